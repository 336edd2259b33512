"""The admin pages in a real browser (Debian's chromium, headless): an admin signs in through
the form, creates an API token, revokes it, and the token stops working against the API; a
user is created with the keyboard alone; axe-core finds no serious or critical violation on
any admin or mail page; at a phone's width nothing needs sideways scrolling; the payloads
planted in names, token names, event data and mail never run. The screenshots in
docs/screenshots/admin-*.png are taken here."""

from __future__ import annotations

from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from responder.auth.roles import Actor, Role
from responder.channels.outbox import MAX_ATTEMPTS, Mail
from responder.wiring import Services, build_services
from tests.browser_kit import assert_accessible, serving
from tests.fakes import FakeEmbedder
from tests.mail_peers import free_port
from tests.staff_pages import PASSWORD
from tests.test_index import make_settings

pytestmark = pytest.mark.integration
SCREENSHOTS = Path(__file__).resolve().parents[1] / "docs" / "screenshots"
SCRIPT = "<script>alert(1)</script>"
BREAKOUT = '"><img src=x onerror=alert(1)>'
PAGES = ["/staff/admin/", "/staff/admin/users", "/staff/admin/tokens", "/staff/admin/events",
         "/staff/admin/mail/inbox", "/staff/admin/mail/outbox"]


def plant(services: Services) -> None:
    """An admin to sign in as; a user, a token (and so an event) and mail whose names and
    subjects are script and HTML; a skipped mail and a reply the relay never took."""
    services.accounts.create_user("ada", Role.ADMIN, PASSWORD, "Ada Admin")
    planted = services.accounts.create_user("mallory", Role.AGENT, PASSWORD, SCRIPT)
    services.cases.create_token(Actor(planted.id, planted.username, Role.AGENT, "session"),
                                BREAKOUT, None)
    away = EmailMessage()
    away["From"] = "Bot <bot@example.com>"
    away["To"] = "support@example.com"
    away["Subject"] = f"Away {SCRIPT}"
    away["Auto-Submitted"] = "auto-replied"
    away.set_content("I am away.")
    services.inbox.accept(away.as_bytes(), "smtp")
    services.desk().process_due()
    assert services.outbox is not None
    services.outbox.sent(services.outbox.add(Mail(to="ok@example.com", subject="Re: Card kept",
                                                  text="Hello")))
    failed = services.outbox.add(Mail(to="anna@example.com", subject=f"Re: {BREAKOUT}",
                                      text="Hello"))
    for _ in range(MAX_ATTEMPTS):
        services.outbox.failed(failed, f"550 5.1.1 mailbox unavailable {SCRIPT}")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    # Served over http://127.0.0.1: the session cookie cannot be Secure there.
    services = build_services(make_settings(
        tmp_path_factory.mktemp("admin-site"), cookie_secure=False, smtp_host="127.0.0.1",
        smtp_port=free_port(), smtp_security="none"), embedder=FakeEmbedder())
    plant(services)
    try:
        with serving(services) as url:
            yield url
    finally:
        services.close()


def open_page(browser: Browser, width: int = 1100) -> tuple[Page, list[str]]:
    """A fresh browser tab and the dialogs (alert...) any script on its pages opened."""
    page = browser.new_context(viewport={"width": width, "height": 900}).new_page()
    dialogs: list[str] = []

    def note(dialog: object) -> None:
        dialogs.append(str(getattr(dialog, "message", "")))
        dialog.dismiss()  # type: ignore[attr-defined]

    page.on("dialog", note)
    return page, dialogs


def sign_in(page: Page, site: str, target: str = "/staff/admin/") -> None:
    page.goto(f"{site}{target}")  # not signed in: the page answers with the sign-in form
    page.get_by_label("Username").fill("ada")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{site}{target}")


def bearer_status(site: str, token: str, path: str) -> int:
    return httpx.get(f"{site}{path}", headers={"Authorization": f"Bearer {token}"},
                     timeout=10).status_code


def test_an_admin_creates_a_token_revokes_it_and_it_stops_working(browser: Browser,
                                                                  site: str) -> None:
    page, dialogs = open_page(browser)
    sign_in(page, site)
    page.get_by_role("link", name="API tokens").first.click()
    page.get_by_label("Name").fill("crm integration")
    page.get_by_label("Role").select_option("editor")
    page.get_by_role("button", name="Create token").click()
    expect(page.get_by_text("Copy it now")).to_be_visible()
    field = page.get_by_label("API token (crm integration, editor)")
    expect(field).to_have_attribute("readonly", "")
    token = field.input_value()
    assert token.startswith("kbr")
    page.screenshot(path=str(SCREENSHOTS / "admin-token-created.png"), full_page=True)
    assert bearer_status(site, token, "/api/v1/session") == 200
    assert bearer_status(site, token, "/api/v1/articles") == 200

    page.get_by_role("link", name="Back to the API tokens").click()
    assert token not in page.content()  # shown once, never again
    page.get_by_role("button", name="Revoke crm integration").click()
    expect(page.get_by_text("The token was revoked")).to_be_visible()
    row = page.locator("tr", has_text="crm integration")
    expect(row.get_by_text("Revoked", exact=True)).to_be_visible()
    page.screenshot(path=str(SCREENSHOTS / "admin-tokens.png"), full_page=True)
    assert bearer_status(site, token, "/api/v1/session") == 401
    assert bearer_status(site, token, "/api/v1/articles") == 401
    assert dialogs == []


def test_an_admin_creates_a_user_with_the_keyboard_alone(browser: Browser, site: str) -> None:
    page, dialogs = open_page(browser)
    sign_in(page, site, "/staff/admin/users")
    for _ in range(80):  # Tab through the page to the new user's form
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "username":
            break
    assert page.evaluate("document.activeElement.id") == "username"
    page.keyboard.type("kari")
    page.keyboard.press("Tab")
    page.keyboard.type("Kari Nordmann")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")  # the role stays agent
    page.keyboard.type("short")
    page.keyboard.press("Enter")
    # The browser's own check (minlength) or the page's: either way no user yet.
    page.wait_for_load_state()
    assert "Kari Nordmann" not in page.locator("table").inner_text()
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password", exact=True).press("Enter")
    expect(page.get_by_text("The user was created.")).to_be_visible()
    expect(page.locator("tr", has_text="Kari Nordmann")).to_be_visible()
    page.screenshot(path=str(SCREENSHOTS / "admin-users.png"), full_page=True)
    assert dialogs == []


def test_the_pages_pass_axe_and_run_no_planted_script(browser: Browser, site: str) -> None:
    page, dialogs = open_page(browser)
    sign_in(page, site)
    for path in PAGES:
        page.goto(f"{site}{path}")
        for summary in page.locator("summary").all()[:3]:  # the event data, opened
            summary.click()
        assert_accessible(page)
        assert SCRIPT not in page.locator("body").inner_html()
    page.goto(f"{site}/staff/admin/events?kind=token.&actor=mallory")
    page.locator("summary").first.click()
    expect(page.locator("details pre").first).to_contain_text(BREAKOUT)
    page.screenshot(path=str(SCREENSHOTS / "admin-events.png"), full_page=True)
    page.goto(f"{site}/staff/admin/mail/outbox")
    expect(page.locator("tr.failed")).to_contain_text("550 5.1.1 mailbox unavailable")
    page.screenshot(path=str(SCREENSHOTS / "admin-mail-outbox.png"), full_page=True)
    page.goto(f"{site}/staff/admin/events?since=yesterday")  # a wrong filter, at its field
    expect(page.locator("#f-since-problem")).to_be_visible()
    assert_accessible(page)
    assert dialogs == []


def test_the_pages_fit_a_phone(browser: Browser, site: str) -> None:
    page, dialogs = open_page(browser, width=390)
    sign_in(page, site)
    for path in PAGES:
        page.goto(f"{site}{path}")
        wide = page.evaluate("document.documentElement.scrollWidth")
        assert wide <= 390, (path, wide)
    page.goto(f"{site}/staff/admin/users")
    page.screenshot(path=str(SCREENSHOTS / "admin-users-phone.png"), full_page=True)
    page.goto(f"{site}/staff/admin/mail/outbox")
    assert_accessible(page)
    page.screenshot(path=str(SCREENSHOTS / "admin-mail-outbox-phone.png"), full_page=True)
    assert dialogs == []
