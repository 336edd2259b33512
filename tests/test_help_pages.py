"""The public help centre as a customer meets it without JavaScript: start page, topics,
articles in their languages (and honestly in another when missing), search in three bands,
"did this help?", escaping of everything shown, and only published, public articles."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from responder.api.app import create_app
from responder.events import EventFilter
from responder.index.retriever import Audience
from responder.models import Status
from responder.wiring import Services, build_services
from tests.fakes import FakeEmbedder
from tests.test_index import make_settings

XSS = "<script>alert(1)</script>"


@pytest.fixture
def services(tmp_path: Path) -> Iterator[Services]:
    built = build_services(make_settings(tmp_path, brand={"name": "Fjord & Co",
                                                           "colour": "#004d40"}),
                           embedder=FakeEmbedder())
    kb = built.kb
    kb.create_article({"slug": "refund-status", "language": "en",
                       "title": "When do I get my refund", "category": "refunds",
                       "short_answer": "Refunds arrive within 5 working days.",
                       "options": ["Check your bank statement", "Write to us"],
                       "body": "Card refunds take longer.\n\nBank transfers are faster."},
                      ["where is my refund", "refund not received", "money back"],
                      edited_by="t")
    kb.create_article({"slug": "refund-status", "language": "da",
                       "title": "Hvornår får jeg mine penge", "category": "refunds",
                       "short_answer": "Pengene kommer inden for 5 hverdage."},
                      ["hvor er min refusion"], edited_by="t")
    kb.create_article({"slug": "gift-card", "language": "en", "title": f"Gift cards {XSS}",
                       "category": "payment", "short_answer": f"Balance online. {XSS}"},
                      ["gift card balance"], edited_by="t")
    kb.create_article({"slug": "secret-process", "language": "en", "title": "Internal only",
                       "category": "refunds", "short_answer": "Staff only.",
                       "visibility": "internal"}, [], edited_by="t")
    kb.create_article({"slug": "draft-one", "language": "en", "title": "Not yet",
                       "category": "refunds", "short_answer": "Draft.",
                       "status": "draft"}, [], edited_by="t")
    yield built
    built.close()


@pytest.fixture
def browser(services: Services) -> Iterator[TestClient]:
    with TestClient(create_app(services=services)) as client:
        yield client


class Page(HTMLParser):
    """What a customer sees: the text, the links, the alternates and any script."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.text: list[str] = []
        self.links: list[str] = []
        self.alternates: dict[str, str] = {}
        self.scripts = 0
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "a" and values.get("href"):
            self.links.append(str(values["href"]))
        if tag == "link" and values.get("rel") == "alternate":
            self.alternates[str(values["hreflang"])] = str(values["href"])
        if tag == "script":
            self.scripts += 1
            assert values.get("src") == "/help/assets/help.js", values

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    @property
    def words(self) -> str:
        return " ".join(" ".join(self.text).split())


def page(client: TestClient, url: str, status: int = 200) -> Page:
    response = client.get(url)
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("text/html")
    return Page(response.text)


def test_the_root_sends_customers_to_their_language(browser: TestClient) -> None:
    assert browser.get("/", follow_redirects=False).headers["location"] == "/help/"
    sent = browser.get("/help/", headers={"Accept-Language": "da-DK,da;q=0.9"},
                       follow_redirects=False)
    assert sent.status_code == 307 and sent.headers["location"] == "/help/da/"


def test_the_start_page_lists_topics_and_the_most_asked(browser: TestClient) -> None:
    start = page(browser, "/help/en/")
    assert "Fjord & Co" in start.words and "Help centre" in start.words
    assert "/help/en/categories/refunds" in start.links
    assert "/help/en/articles/refund-status" in start.links
    assert not any("secret-process" in link or "draft-one" in link for link in start.links)
    assert "--accent: #004d40" in browser.get("/help/en/").text
    danish = page(browser, "/help/da/")
    assert "Hjælpecenter" in danish.words and "/help/da/articles/refund-status" in danish.links


def test_an_article_shows_its_answer_steps_and_languages(browser: TestClient) -> None:
    article = page(browser, "/help/en/articles/refund-status")
    assert "Refunds arrive within 5 working days." in article.words
    html = browser.get("/help/en/articles/refund-status").text
    assert re.search(r"<ol>\s*<li>Check your bank statement</li>\s*<li>Write to us</li>", html)
    assert "Bank transfers are faster." in article.words
    assert article.alternates == {"da": "/help/da/articles/refund-status",
                                  "en": "/help/en/articles/refund-status"}
    assert "/help/de/articles/refund-status" not in article.links  # no German version


def test_a_missing_translation_falls_back_and_says_so(browser: TestClient) -> None:
    german = page(browser, "/help/de/articles/refund-status")
    assert "Diesen Artikel gibt es nicht auf Deutsch" in german.words
    assert "Refunds arrive within 5 working days." in german.words


def test_drafts_internal_and_unknown_articles_are_not_found_as_pages(
        browser: TestClient) -> None:
    for slug in ("secret-process", "draft-one", "no-such-article"):
        missing = page(browser, f"/help/en/articles/{slug}", 404)
        assert "Page not found" in missing.words
    assert "Siden findes ikke" in page(browser, "/help/da/articles/nope", 404).words
    page(browser, "/help/xx/", 404)


def test_everything_shown_is_escaped(browser: TestClient) -> None:
    for url in ("/help/en/", "/help/en/categories/payment", "/help/en/articles/gift-card",
                f"/help/en/search?q={XSS}"):
        shown = page(browser, url)
        assert shown.scripts == 1, url  # ours only: /help/assets/help.js
    html = browser.get("/help/en/articles/gift-card").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_search_answers_offers_choices_or_a_person(browser: TestClient,
                                                   services: Services) -> None:
    confident = page(browser, "/help/en/search?q=where is my refund")
    assert "Refunds arrive within 5 working days." in confident.words
    nothing = page(browser, "/help/en/search?q=do you repair bicycles on sundays")
    assert "We could not find a confident answer" in nothing.words
    assert any(link.startswith("mailto:") and "bicycles" in link for link in nothing.links)
    searches = services.events.page(EventFilter(kind="search"))
    assert len(searches) == 2 and searches[0].actor == "anonymous"


def test_did_this_help_is_recorded_and_a_no_offers_a_person(browser: TestClient,
                                                           services: Services) -> None:
    answered = browser.post("/help/en/articles/refund-status/feedback",
                            data={"helpful": "no"}, follow_redirects=False)
    assert answered.status_code == 303
    assert answered.headers["location"].startswith("/help/en/articles/refund-status?feedback=no")
    after = page(browser, answered.headers["location"])
    assert "Sorry it did not help" in after.words
    (event,) = services.events.page(EventFilter(kind="feedback"))
    assert event.subject == "article" and event.data["helpful"] is False
    services.kb.set_status(event.subject_id or 0, Status.ARCHIVED, edited_by="t")
    assert browser.post("/help/en/articles/refund-status/feedback",
                        data={"helpful": "yes"}).status_code == 200  # falls back to da


def test_the_script_searches_as_the_customer_types(browser: TestClient) -> None:
    script = browser.get("/help/assets/help.js")
    assert script.status_code == 200 and "javascript" in script.headers["content-type"]
    assert 'data-suggest="/help/en/suggest"' in browser.get("/help/en/").text
    suggested = browser.get("/help/en/suggest", params={"q": "where is my refund"})
    assert suggested.status_code == 200
    assert "Refunds arrive within 5 working days." in Page(suggested.text).words
    assert "<html" not in suggested.text  # a part of a page
    assert browser.get("/help/en/suggest", params={"q": "wh"}).text == ""


def test_suggestions_are_not_searches_and_a_picked_choice_is_recorded(
        browser: TestClient, services: Services) -> None:
    browser.get("/help/en/suggest", params={"q": "where is my refund"})
    assert services.events.page(EventFilter(kind="search")) == []
    searched = services.cases.search(None, "refund money card balance", "en", k=5,
                                     audience=Audience.CUSTOMER, category=None)
    assert searched.event_id is not None and searched.hits
    first = searched.hits[0].article
    page(browser, f"/help/en/articles/{first.content.slug}?picked={searched.event_id}")
    (pick,) = services.events.page(EventFilter(kind="feedback"))
    assert pick.data["picked"] is True and pick.data["question"] == searched.query
    assert pick.data["article_id"] == first.id
    # An article the search did not offer (written after it) is no choice of it.
    services.kb.create_article({"slug": "opening-hours", "language": "en",
                                "title": "Opening hours", "short_answer": "9 to 5."},
                               [], edited_by="t")
    page(browser, f"/help/en/articles/opening-hours?picked={searched.event_id}")
    picks = services.events.page(EventFilter(kind="feedback"))
    assert len(picks) == 1
    # A forged or unknown search id records nothing and still shows the article.
    page(browser, "/help/en/articles/refund-status?picked=forged-search-id")
    assert len(services.events.page(EventFilter(kind="feedback"))) == len(picks)
