"""The agent console in a real browser (Debian's chromium, headless, driven by playwright): an
agent signs in through the form, finds a past resolution, copies a suggested reply, opens an
escalation, claims it with the keyboard, resolves it by creating an article and sees that the
question is now answered automatically; the help centre then answers it too. axe-core finds
no serious or critical violation on the console's pages; at a phone's width (390 px) nothing
scrolls sideways; without JavaScript the search still works. The docs/screenshots/console-*
images are taken here."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from responder.auth.roles import Actor, Role
from responder.models import Escalation, EscalationInput, EscalationStatus
from responder.wiring import Services, build_services
from tests.browser_kit import assert_accessible, serving
from tests.fakes import FakeEmbedder
from tests.staff_pages import PASSWORD
from tests.test_browser import SCREENSHOTS
from tests.test_index import make_settings

pytestmark = pytest.mark.integration
SEED = Actor(None, "seed", Role.ADMIN, "cli")
QUESTION = "can I pay my invoice with bitcoin"
ANGRY = "This is RIDICULOUS, I want a manager NOW!!! My card was charged twice"
ARTICLES: list[tuple[dict[str, Any], list[str]]] = [
    ({"slug": "refund-status", "language": "en", "title": "When do I get my refund",
      "category": "refunds", "short_answer": "Refunds arrive within 5 working days.",
      "options": ["Check your bank statement", "Write to us with your order number"]},
     ["where is my refund", "refund not received", "my money back"]),
    ({"slug": "refund-status", "language": "da", "title": "Hvornår får jeg mine penge",
      "category": "refunds", "short_answer": "Pengene kommer inden for 5 hverdage."},
     ["hvor er min refusion"]),
    ({"slug": "opening-hours", "language": "en", "title": "Opening hours",
      "category": "stores", "short_answer": "Our stores are open 9-18 on weekdays."},
     ["when are you open", "opening hours"]),
]


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Services]]:
    # Over http://127.0.0.1 the browser would drop a Secure cookie: the session is not.
    services: Services = build_services(
        make_settings(tmp_path_factory.mktemp("console"), cookie_secure=False),
        embedder=FakeEmbedder())
    for content, examples in ARTICLES:
        services.kb.create_article(content, examples, edited_by="seed")
    services.accounts.create_user("agnes", Role.AGENT, PASSWORD)
    refund = services.store.find_article("refund-status", "en")
    assert refund is not None
    past = escalate(services, "my refund never came back after the return", hours=-30)
    services.cases.resolve_escalation(SEED, past.id, "The bank held it; we sent it again.",
                                      article_id=refund.id, new_article=None)
    escalate(services, ANGRY, hours=-2, queue="cards", name="Rasmus")
    escalate(services, QUESTION, hours=3, queue="billing", name="Mette")
    escalate(services, "hvornår åbner butikken i Aarhus", hours=20, language="da")
    try:
        with serving(services) as url:
            yield url, services
    finally:
        services.close()


def escalate(services: Services, message: str, *, hours: float, queue: str = "tier2",
             name: str = "Anna", language: str = "en") -> Escalation:
    return services.cases.open_escalation(SEED, EscalationInput(
        message=message, channel="email", language=language, queue=queue, customer_name=name,
        reason="no-good-match (confidence 0.05)",
        due_at=datetime.now(UTC) + timedelta(hours=hours)))


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1100, "height": 900},
                                  permissions=["clipboard-read", "clipboard-write"])
    opened = context.new_page()
    yield opened
    context.close()


def sign_in(page: Page, url: str, path: str = "/staff/console/") -> None:
    """As a person does: the page asks for a sign-in, then shows what was asked for."""
    page.goto(f"{url}{path}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    page.get_by_label("Username").fill("agnes")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("banner")).to_contain_text("Signed in as agnes")


def no_sideways_scroll(page: Page) -> None:
    wide = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert wide[0] <= wide[1], f"the page is {wide[0]} px wide in a {wide[1]} px window"


def test_an_agent_finds_copies_resolves_and_the_question_is_then_answered(
        served: tuple[str, Services], page: Page) -> None:
    url, _services = served
    sign_in(page, url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Agent console")

    page.get_by_label("Search past resolutions and articles").fill("where is my refund")
    page.get_by_label("Channel").select_option("email")
    page.get_by_label("Customer's name (for the greeting)").fill("Carla")
    page.get_by_role("button", name="Search", exact=True).click()
    first = page.locator("ol.cards > li").first
    expect(first.get_by_role("heading")).to_have_text("When do I get my refund")
    expect(first).to_contain_text("my refund never came back after the return")
    expect(first).to_contain_text("The bank held it; we sent it again.")
    expect(first).to_contain_text("Resolved by seed")
    reply = first.get_by_label("Suggested reply (Email)")
    expect(reply).to_contain_text("Carla")
    first.get_by_role("button", name="Copy").click()
    expect(first.get_by_role("status")).to_have_text("Copied.")
    copied = page.evaluate("() => navigator.clipboard.readText()")
    assert copied == reply.input_value() and "When do I get my refund" in copied
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "console-search.png"), full_page=True)
    assert_accessible(page)

    page.get_by_role("link", name="Escalation queue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Escalations")
    cards = page.locator("ol.cards > li")
    expect(cards.first).to_contain_text("Overdue by 2 hours")
    expect(cards.first.locator("mark").first).to_have_attribute("title", "anger, shouting")
    page.screenshot(path=str(SCREENSHOTS / "console-queue.png"), full_page=True)
    assert_accessible(page)

    page.get_by_role("link", name=re.compile(r"Escalation #\d+ · Mette")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Mette")
    claim = page.get_by_role("button", name="Assign to me")
    claim.focus()
    page.keyboard.press("Enter")  # the keyboard alone does it
    expect(page.get_by_role("status").first).to_have_text("It is assigned to you.")
    expect(page.locator("dl.facts").first).to_contain_text("agnes")
    assert_accessible(page)

    page.get_by_label("Resolution (what was done, for the record)").fill(
        "Explained that we take cards and bank transfers only.")
    page.get_by_label("Create a new article from it").check()
    page.get_by_label("Slug (e.g. card-blocked-abroad)").fill("bitcoin-payments")
    page.get_by_label("Title").fill("Paying with Bitcoin")
    page.get_by_label("Short answer").fill(
        "We do not take Bitcoin; pay by card or bank transfer.")
    page.locator("#new-category").fill("billing")
    page.get_by_label("published").check()
    page.screenshot(path=str(SCREENSHOTS / "console-escalation.png"), full_page=True)
    page.get_by_role("button", name="Resolve", exact=True).click()
    expect(page.get_by_role("status").first).to_have_text("The resolution is saved.")
    main = page.locator("main")
    expect(main).to_contain_text("This question is now answered automatically.")
    expect(main).to_contain_text("Paying with Bitcoin")
    page.screenshot(path=str(SCREENSHOTS / "console-resolved.png"), full_page=True)
    assert_accessible(page)

    page.goto(f"{url}/help/en/search?q={QUESTION.replace(' ', '+')}")
    expect(page.locator("main")).to_contain_text(
        "We do not take Bitcoin; pay by card or bank transfer.")


def test_a_resolution_with_problems_is_named_at_its_fields(served: tuple[str, Services],
                                                          page: Page) -> None:
    url, services = served
    escalation = services.store.list_escalations(EscalationStatus.OPEN, queue="tier2")[0]
    sign_in(page, url, f"/staff/console/escalations/{escalation.id}")
    page.get_by_label("Create a new article from it").check()
    page.get_by_label("Slug (e.g. card-blocked-abroad)").fill("Not A Slug")
    page.get_by_label("Resolution (what was done, for the record)").fill("Told them.")
    page.get_by_role("button", name="Resolve", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("not resolved yet")
    expect(page.locator("#slug-problem")).to_contain_text("lower-case")
    expect(page.get_by_label("Slug (e.g. card-blocked-abroad)")).to_have_value("Not A Slug")
    assert_accessible(page)
    page.goto(f"{url}/staff/console/?q=refund&since=yesterday")
    expect(page.locator("#since-problem")).to_have_text("Enter a date as YYYY-MM-DD.")
    assert_accessible(page)


def test_the_console_fits_a_phone(served: tuple[str, Services], browser: Browser) -> None:
    url, services = served
    context = browser.new_context(viewport={"width": 390, "height": 844},
                                  device_scale_factor=2, is_mobile=True, has_touch=True)
    phone = context.new_page()
    sign_in(phone, url, "/staff/console/escalations")
    expect(phone.locator("ol.cards > li").first).to_contain_text("Overdue by")
    no_sideways_scroll(phone)
    phone.screenshot(path=str(SCREENSHOTS / "console-queue-phone.png"), full_page=True)
    phone.goto(f"{url}/staff/console/?q=where+is+my+refund")
    expect(phone.locator("ol.cards > li").first).to_contain_text("When do I get my refund")
    no_sideways_scroll(phone)
    escalation = services.store.list_escalations(queue="cards")[0]
    phone.goto(f"{url}/staff/console/escalations/{escalation.id}")
    no_sideways_scroll(phone)
    context.close()


def test_the_search_works_without_javascript(served: tuple[str, Services],
                                             browser: Browser) -> None:
    url, _services = served
    context = browser.new_context(java_script_enabled=False)
    plain = context.new_page()
    sign_in(plain, url)
    plain.get_by_label("Search past resolutions and articles").fill("where is my refund")
    plain.get_by_role("button", name="Search", exact=True).click()
    first = plain.locator("ol.cards > li").first
    expect(first).to_contain_text("When do I get my refund")
    expect(first.get_by_role("button", name="Copy")).to_be_hidden()  # the text is selectable
    expect(first.get_by_label("Suggested reply (Chat)")).to_contain_text("bank statement")
    context.close()
