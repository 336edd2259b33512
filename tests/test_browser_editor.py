"""The editor in a real browser (Debian's chromium, headless): an editor signs in through the
form, finds the Danish translation that went stale when its English source changed, edits it,
previews it in every channel, publishes it, and restores an earlier revision; axe-core finds no
serious or critical violation on any editor page; the pages fit a phone's width (390 px) and
the form works from the keyboard; script payloads in an article never run. The screenshots
docs/screenshots/editor-*.png are taken here."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from responder.auth.roles import Role
from responder.models import Status
from responder.wiring import Services, build_services
from tests.browser_kit import assert_accessible, serving
from tests.fakes import FakeEmbedder
from tests.staff_pages import PASSWORD
from tests.test_index import make_settings

pytestmark = pytest.mark.integration
SCREENSHOTS = Path(__file__).resolve().parents[1] / "docs" / "screenshots"
EN = {"slug": "refund-status", "language": "en", "title": "When do I get my refund",
      "short_answer": "Refunds reach your account within 5 working days.",
      "options": ["Check your bank statement", "Write to us with your order number"],
      "category": "refunds"}
DA = {**EN, "language": "da", "title": "Hvornår får jeg mine penge",
      "short_answer": "Pengene kommer inden for 5 hverdage.",
      "options": ["Tjek din kontoudskrift", "Skriv til os med dit ordrenummer"]}
PAYLOAD = "<script>alert('title')</script><img src=x onerror=alert('img')>"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Services]]:
    services = build_services(make_settings(tmp_path_factory.mktemp("editor"),
                                            cookie_secure=False), embedder=FakeEmbedder())
    en = services.kb.create_article(EN, ["where is my refund"], edited_by="seed")
    services.kb.create_article(DA, ["hvor er mine penge"], edited_by="seed")
    services.kb.create_article({"slug": "password-reset", "language": "en",
                                "title": "Reset your password", "category": "password",
                                "short_answer": "Use the forgotten password link."},
                               ["I forgot my password"], edited_by="seed")
    # The English source changes its promise: the Danish translation is now stale.
    services.kb.update_article(en.id, {**EN, "short_answer": "Refunds reach your account "
                                       "within 3 working days."}, edited_by="seed")
    services.accounts.create_user("edith", Role.EDITOR, PASSWORD)
    try:
        with serving(services) as url:
            yield url, services
    finally:
        services.close()


def new_page(browser: Browser, width: int = 1100) -> Page:
    context = browser.new_context(viewport={"width": width, "height": 900})
    opened = context.new_page()
    opened.on("dialog", lambda dialog: pytest.fail(f"a script ran: {dialog.message}"))
    return opened


def sign_in(page: Page, url: str, target: str = "/staff/editor/") -> None:
    page.goto(f"{url}{target}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    page.get_by_label("Username").fill("edith")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{url}{target}")


def shot(page: Page, name: str) -> None:
    """The whole page: chromium's full-page screenshot leaves iframes below the fold blank, so
    the viewport is made as tall as the page for the picture instead."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    size = page.viewport_size
    assert size is not None
    height = page.evaluate("document.documentElement.scrollHeight")
    page.set_viewport_size({"width": size["width"], "height": max(height, size["height"])})
    page.wait_for_timeout(200)  # the iframes paint at the new size
    page.screenshot(path=str(SCREENSHOTS / f"editor-{name}.png"))
    page.set_viewport_size(size)


def test_an_editor_updates_a_stale_danish_translation_previews_publishes_and_restores(
        site: tuple[str, Services], browser: Browser) -> None:
    url, services = site
    page = new_page(browser)
    sign_in(page, url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Articles")
    assert_accessible(page)
    shot(page, "list")

    page.get_by_label("Only stale translations").check()
    page.get_by_role("button", name="Filter").click()
    row = page.get_by_role("row").filter(has_text="Hvornår får jeg mine penge")
    expect(row).to_contain_text("Stale")
    expect(page.get_by_role("row")).to_have_count(2)  # the header and the Danish version
    row.get_by_role("link", name="da, en").click()
    expect(page.locator("section.column.is-stale")).to_contain_text("Dansk")
    expect(page.locator("section.column").first).to_contain_text("within 3 working days")
    assert_accessible(page)
    shot(page, "versions-stale")

    page.locator("section.column.is-stale").get_by_role("link", name="Edit (da)").click()
    expect(page.get_by_label("Title")).to_have_value("Hvornår får jeg mine penge")
    page.get_by_label("Short answer").fill("Pengene kommer inden for 3 hverdage. Slap af.")
    page.get_by_label("Reply language").select_option("da")
    page.get_by_role("button", name="Preview").click()
    expect(page.locator("#preview-heading")).to_contain_text("Dansk")
    expect(page.get_by_label("Short answer")).to_have_value(
        "Pengene kommer inden for 3 hverdage. Slap af.")  # the form, as typed, unsaved
    frames = page.locator("iframe.reply")
    expect(frames).to_have_count(2)
    help_frame = page.frame_locator("iframe[title='Help page · HTML']")
    expect(help_frame.locator("section")).to_contain_text("inden for 3 hverdage")
    email_frame = page.frame_locator("iframe[title='Email · HTML']")
    expect(email_frame.locator("body")).to_contain_text("Tjek din kontoudskrift")
    expect(page.locator("#email-subject")).to_contain_text("Hvornår får jeg mine penge")
    expect(page.locator("#email-text")).to_contain_text("Tjek din kontoudskrift")
    expect(page.locator("#chat-text")).to_contain_text("Tjek din kontoudskrift")
    expect(page.locator(".lint mark").first).to_be_visible()
    unsaved = services.store.find_article("refund-status", "da")
    assert unsaved is not None and unsaved.revision == 1
    assert_accessible(page)
    shot(page, "preview")

    page.get_by_role("button", name="Save and publish").click()
    expect(page.get_by_role("status")).to_contain_text("Saved")
    danish = services.store.find_article("refund-status", "da")
    assert danish is not None and danish.revision == 2
    assert danish.content.short_answer == "Pengene kommer inden for 3 hverdage. Slap af."
    assert danish.content.status is Status.PUBLISHED
    page.get_by_role("link", name="Language versions").click()
    expect(page.locator("section.column.is-stale")).to_have_count(0)
    expect(page.locator(".badge.fresh")).to_have_text("Up to date")

    page.get_by_role("navigation", name="This article").get_by_role(
        "link", name="Revision history").click()
    expect(page.locator(".diff ins").first).to_contain_text("3")
    expect(page.locator(".diff del").first).to_contain_text("5")
    assert_accessible(page)
    shot(page, "revisions")
    page.get_by_role("button", name="Restore revision 1").click()
    expect(page.get_by_role("status")).to_contain_text("The revision was restored")
    restored = services.store.find_article("refund-status", "da")
    assert restored is not None and restored.revision == 3
    assert restored.content.short_answer == DA["short_answer"]
    page.close()


def test_try_it_and_a_new_article_in_the_browser(site: tuple[str, Services],
                                                 browser: Browser) -> None:
    url, _services = site
    page = new_page(browser)
    sign_in(page, url, "/staff/editor/try")
    page.get_by_label("The customer's question").fill("where is my refund")
    page.get_by_role("button", name="Try", exact=True).click()
    expect(page.locator("#decision")).to_be_visible()
    expect(page.get_by_role("table")).to_contain_text("When do I get my refund")
    assert_accessible(page)
    shot(page, "try")

    page.goto(f"{url}/staff/editor/articles/new")
    page.get_by_label("Title").fill("Gift cards")
    page.get_by_label("Slug").fill("Gift Cards!")
    page.get_by_label("Short answer").fill("Valid for three years.")
    page.get_by_role("button", name="Save as draft").click()
    expect(page.get_by_role("alert")).to_contain_text("slug")
    expect(page.get_by_label("Title")).to_have_value("Gift cards")
    assert_accessible(page)
    page.get_by_label("Slug").fill("gift-cards")
    page.get_by_role("button", name="Save as draft").click()
    expect(page.get_by_role("status")).to_contain_text("The article was created.")
    page.close()


def test_the_editor_fits_a_phone_and_works_from_the_keyboard(site: tuple[str, Services],
                                                             browser: Browser) -> None:
    url, services = site
    page = new_page(browser, width=390)
    sign_in(page, url)
    danish = services.store.find_article("refund-status", "da")
    assert danish is not None
    for path in ("/staff/editor/", f"/staff/editor/articles/{danish.id}",
                 f"/staff/editor/articles/{danish.id}/versions",
                 f"/staff/editor/articles/{danish.id}/preview",
                 f"/staff/editor/articles/{danish.id}/revisions"):
        page.goto(f"{url}{path}")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, (path, width)
    page.goto(f"{url}/staff/editor/articles/{danish.id}/versions")
    shot(page, "phone-versions")

    page.goto(f"{url}/staff/editor/articles/{danish.id}")
    page.get_by_label("Timeframe").focus()
    page.keyboard.type("inden for 3 hverdage")
    for _ in range(30):  # Tab to "Save and publish" and press Enter: no mouse needed
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.value") == "publish":
            break
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("Saved")
    saved = services.store.find_article("refund-status", "da")
    assert saved is not None and saved.content.timeframe == "inden for 3 hverdage"
    shot(page, "phone-edit")
    page.close()


def test_script_payloads_never_run_on_the_editor_pages(site: tuple[str, Services],
                                                       browser: Browser) -> None:
    url, services = site
    evil = {"slug": "evil", "language": "en", "title": f"T {PAYLOAD}",
            "short_answer": f"A {PAYLOAD}", "options": [f"O {PAYLOAD}"],
            "agreement": f"G {PAYLOAD}", "timeframe": f"F {PAYLOAD}", "body": f"B {PAYLOAD}",
            "category": "<img src=x onerror=alert('c')>",  # 64 characters at most
            "tags": ["<script>alert('tag')</script>"]}
    article = services.kb.create_article(evil, [f"Q {PAYLOAD}"], edited_by="evil")
    services.kb.update_article(article.id, {**evil, "title": f"T2 {PAYLOAD}"},
                               edited_by="evil")
    page = new_page(browser)
    sign_in(page, url)
    for path in ("/staff/editor/", f"/staff/editor/articles/{article.id}",
                 f"/staff/editor/articles/{article.id}/versions",
                 f"/staff/editor/articles/{article.id}/preview",
                 f"/staff/editor/articles/{article.id}/revisions?a=1&b=2",
                 f"/staff/editor/try?q=T+{PAYLOAD}"):
        page.goto(f"{url}{path}")
        page.wait_for_load_state("load")
        assert page.locator("main img").count() == 0, path
        expect(page.locator("main")).to_contain_text("alert('title')")  # shown as text
    page.close()
