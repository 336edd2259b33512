"""No stored text runs as script on any page, in a real browser.

Script and HTML payloads go into every field a person can write: every article field, example
questions, an escalation's message, customer name, reason and resolution, a user's display
name, a token's name, a mail's subject and a failed reply's error (and so the event log), and
into the query strings of the search pages. Then a signed-in admin opens every HTML page of the
help centre and of the staff pages in Debian's chromium, each with the stored payloads on it.
Each payload calls `xss(n)` if it ever runs; the test fails if any did, or if a payload's text
is not shown literally somewhere, as text or in a form field (a test whose data never reached
a page could not fail).

The list of pages comes from the app's routes: a new HTML page fails here until it is opened.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from urllib.parse import quote, urlencode

import pytest
from playwright.sync_api import Browser, Dialog, Page, expect

from responder.api.app import create_app
from responder.api.errors import flat_routes
from responder.auth.roles import Actor, Role
from responder.channels.outbox import MAX_ATTEMPTS, Mail
from responder.models import Escalation, EscalationInput
from responder.wiring import Services, build_services
from tests.browser_kit import serving
from tests.fakes import FakeEmbedder
from tests.staff_pages import PASSWORD
from tests.test_admin_pages import robot_mail
from tests.test_index import make_settings

pytestmark = pytest.mark.integration
SEED = Actor(None, "seed", Role.ADMIN, "cli")
FIELDS = ("title", "short_answer", "body", "option", "agreement", "timeframe", "category",
          "tag", "question", "message", "customer", "reason", "resolution", "display_name",
          "token", "subject", "error", "query", "new_title", "new_question")


def payload(field: str) -> str:
    """Text that calls xss(n) wherever it is parsed as HTML, in or out of an attribute, and
    a template expression that must be shown, not evaluated. A category or tag is a path
    segment of the help centre and lower case: its payload has no "/" and no capitals."""
    n = FIELDS.index(field)
    tags = f"'\"><img src=x onerror=xss({n})><svg onload=xss({n})>"
    if field in ("category", "tag"):
        return f"p{n}q {tags}"
    return f"P{n}Q <script>xss({n})</script> {tags} {{{{ {n} * 7 }}}}"


def marker(field: str) -> str:
    n = FIELDS.index(field)
    return f"P{n}Q" if field not in ("category", "tag") else f"p{n}q"


@pytest.fixture(scope="module")
def stored(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Services, dict]]:
    services = build_services(
        make_settings(tmp_path_factory.mktemp("escaping"), cookie_secure=False,
                      smtp_host="127.0.0.1", smtp_port=9),
        embedder=FakeEmbedder())
    category = payload("category")
    article = services.kb.create_article({
        "slug": "payloads", "language": "en", "title": payload("title"),
        "short_answer": payload("short_answer"), "body": payload("body"),
        "options": [payload("option")], "agreement": payload("agreement"),
        "timeframe": payload("timeframe"), "category": category, "tags": [payload("tag")],
    }, [payload("question")], edited_by="seed")
    # A second revision, so the history and its diff have payloads on both sides.
    services.kb.update_article(article.id, {
        "slug": "payloads", "language": "en", "title": payload("new_title"),
        "short_answer": payload("short_answer"), "body": payload("body"),
        "options": [payload("option")], "agreement": payload("agreement"),
        "timeframe": payload("timeframe"), "category": category, "tags": [payload("tag")],
    }, edited_by="seed")
    services.kb.create_article({
        "slug": "payloads", "language": "da", "title": payload("title"),
        "short_answer": payload("short_answer"), "category": category,
    }, edited_by="seed")
    services.kb.add_question(article.id, payload("new_question"), "en")
    resolved = open_escalation(services)
    services.cases.resolve_escalation(SEED, resolved.id, payload("resolution"),
                                      article_id=article.id, new_article=None)
    waiting = open_escalation(services)
    admin = services.accounts.create_user("ada", Role.ADMIN, PASSWORD, payload("display_name"))
    services.accounts.create_token(admin.id, payload("token"))
    services.inbox.accept(robot_mail(payload("subject")), "smtp")
    services.desk().process_due()
    assert services.outbox is not None
    failed = services.outbox.add(Mail(to="anna@example.com", subject=payload("subject"),
                                      text="Hi."))
    for _ in range(MAX_ATTEMPTS):
        services.outbox.failed(failed, payload("error"))
    ids = {"article_id": str(article.id), "escalation_id": str(waiting.id),
           "slug": "payloads", "language": "en", "category": quote(category, safe="")}
    try:
        with serving(services) as url:
            yield url, services, ids
    finally:
        services.close()


def open_escalation(services: Services) -> Escalation:
    return services.cases.open_escalation(SEED, EscalationInput(
        message=payload("message"), channel="email", language="en", queue="tier2",
        customer_name=payload("customer"), reason=payload("reason"),
        due_at=datetime.now(UTC) + timedelta(hours=2)))


def html_pages(services: Services) -> list[str]:
    """Every GET route of the help centre and the staff pages that answers with a page."""
    app = create_app(services=services)
    paths = {route.path for route in flat_routes(app.router.routes)  # type: ignore[attr-defined]
             if "GET" in getattr(route, "methods", ()) and
             route.path.startswith(("/help", "/staff"))}  # type: ignore[attr-defined]
    return sorted(p for p in paths if not p.endswith(".js") and p != "/staff/sign-in")


QUERY = {"q": payload("query")}
# Query strings that put the payloads of a request (not of storage) on the page too.
WITH_QUERY = {
    "/help/{language}/search": QUERY,
    "/help/{language}/suggest": QUERY,
    "/help/{language}/contact": {"q": payload("query"), "article": "payloads"},
    "/staff/console/": {**QUERY, "customer_name": payload("customer"), "channel": "email",
                        "source": "all"},
    "/staff/editor/try": QUERY,
    "/staff/editor/articles/{article_id}/revisions": {"a": "1", "b": "2"},
}


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context()
    context.add_init_script("window.__ran = []; window.xss = (n) => window.__ran.push(n);")
    opened = context.new_page()
    dialogs: list[str] = []

    def note(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    opened.on("dialog", note)
    yield opened
    context.close()
    assert dialogs == [], f"a page opened a dialog: {dialogs}"


def test_the_pages_opened_here_are_every_page_of_the_app(
        stored: tuple[str, Services, dict]) -> None:
    _url, services, _ids = stored
    assert html_pages(services) == sorted(PAGES), (
        "a page was added or removed: list it in PAGES so its escaping is checked")


PAGES = [
    "/help", "/help/", "/help/{language}/", "/help/{language}/categories/{category}",
    "/help/{language}/articles/{slug}", "/help/{language}/search",
    "/help/{language}/suggest", "/help/{language}/contact",
    "/help/{language}/contact/feedback",
    "/staff/", "/staff/console/", "/staff/console/escalations",
    "/staff/console/escalations/{escalation_id}",
    "/staff/editor/", "/staff/editor/articles/new", "/staff/editor/articles/{article_id}",
    "/staff/editor/articles/{article_id}/versions",
    "/staff/editor/articles/{article_id}/preview",
    "/staff/editor/articles/{article_id}/revisions", "/staff/editor/try",
    "/staff/admin/", "/staff/admin/users", "/staff/admin/tokens", "/staff/admin/events",
    "/staff/admin/mail/inbox", "/staff/admin/mail/outbox",
]


def test_no_stored_or_asked_text_runs_as_script_on_any_page(
        stored: tuple[str, Services, dict], page: Page) -> None:
    url, _services, ids = stored
    page.goto(f"{url}/staff/sign-in")
    page.get_by_label("Username").fill("ada")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("banner")).to_contain_text("Signed in as")
    shown: set[str] = set()
    for template in PAGES:
        path = template.format(**ids)
        query = WITH_QUERY.get(template)
        address = f"{url}{path}" + (f"?{urlencode(query)}" if query else "")
        answer = page.goto(address)
        assert answer is not None and answer.status < 500, (template, answer and answer.status)
        page.wait_for_load_state("load")
        ran = page.evaluate("() => window.__ran")
        assert ran == [], f"{template}: payloads of {[FIELDS[n] for n in ran]} ran as script"
        assert page.locator("img[src='x'], svg[onload]").count() == 0, template
        text = page.locator("body").inner_text() + "\n".join(page.evaluate(
            "() => [...document.querySelectorAll('input, textarea')].map(e => e.value)"))
        shown |= {field for field in FIELDS if marker(field) in text}
        assert "{{" not in text or " * 7 }}" in text, template  # shown as typed, not evaluated
    # Every payload reached some page as text: what was tested was really on show.
    assert sorted(set(FIELDS) - shown) == []
