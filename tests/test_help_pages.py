"""The public help centre as a customer meets it without JavaScript: start page, topics,
articles in their languages (and honestly in another when missing), search in three bands,
"did this help?", escaping of everything shown, and only published, public articles; and
the contact form that a search with no confident match or an unhelpful article leads to."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from httpx import Response

from responder.api.app import create_app
from responder.api.routes_widget import MIN_FILL_SECONDS, check_form_token, sign_form_token
from responder.auth.keys import secret_key
from responder.config import SUPPORTED_LANGUAGES
from responder.events import Event, EventFilter
from responder.index.retriever import Audience
from responder.models import Status
from responder.web.wording import WORDS
from responder.wiring import Services, build_services
from tests.fakes import FakeEmbedder
from tests.test_index import make_settings

XSS = "<script>alert(1)</script>"


@pytest.fixture
def services(tmp_path: Path) -> Iterator[Services]:
    built = build_services(make_settings(tmp_path, brand={"name": "Fjord & Co",
                                                           "colour": "#004d40"}),
                           embedder=FakeEmbedder())
    seed(built)
    yield built
    built.close()


def seed(built: Services) -> None:
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


def test_a_stale_translation_says_so_and_links_its_fresher_source(
        browser: TestClient, services: Services) -> None:
    assert 'id="stale"' not in browser.get("/help/da/articles/refund-status").text
    english = services.store.find_article("refund-status", "en")
    assert english is not None
    services.kb.update_article(english.id, {
        "slug": "refund-status", "language": "en", "title": "When do I get my refund",
        "category": "refunds", "short_answer": "Refunds now arrive within 2 working days."},
        edited_by="t")
    danish = browser.get("/help/da/articles/refund-status").text
    assert ('<p class="note" lang="da" id="stale">Denne version på Dansk er måske forældet: '
            'versionen på English er ændret siden. <a href="/help/en/articles/refund-status" '
            'hreflang="en">Læs versionen på English</a></p>') in danish
    assert 'id="stale"' not in browser.get("/help/en/articles/refund-status").text
    for path in ("/help/da/search", "/help/da/suggest"):
        found = browser.get(path, params={"q": "hvor er min refusion"}).text
        assert "Hvornår får jeg mine penge" in found, path
        assert "Denne oversættelse er måske forældet." in found, path
    english = browser.get("/help/en/search", params={"q": "where is my refund"}).text
    assert "When do I get my refund" in english and "may be out of date" not in english


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
    assert "/help/en/contact?q=do%20you%20repair%20bicycles%20on%20sundays" in nothing.links
    assert [link for link in nothing.links if link.startswith("mailto:")] == [
        "mailto:support@nordlys.example"]  # the footer's, as on every page
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
    offered = "/help/en/contact?q=When%20do%20I%20get%20my%20refund&article=refund-status"
    assert offered in after.links
    form = contact_page(browser, offered)
    assert form.values["message"] == "When do I get my refund"
    assert form.values["article"] == "refund-status"
    assert "You read “When do I get my refund”" in form.words
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


# -- the contact form ---------------------------------------------------------------------------
class FormPage(Page):
    """A page with a form: what each field holds, how it is labelled, and its attributes."""

    def __init__(self, html: str) -> None:
        self.values: dict[str, str] = {}
        self.labels: dict[str, str] = {}
        self.fields: dict[str, dict[str, str | None]] = {}
        self.hidden_from_people: set[str] = set()
        self._divs: list[bool] = []
        self._label: str | None = None
        self._textarea: str | None = None
        super().__init__(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        super().handle_starttag(tag, attrs)
        values = dict(attrs)
        if tag == "div":
            self._divs.append(values.get("aria-hidden") == "true")
        elif tag == "label":
            self._label = values.get("for") or ""
            self.labels[self._label] = ""
        elif tag in ("input", "textarea") and values.get("name"):
            name = str(values["name"])
            self.fields[name] = values
            self.values[name] = values.get("value") or ""
            if any(self._divs):
                self.hidden_from_people.add(name)
            self._textarea = name if tag == "textarea" else None

    def handle_endtag(self, tag: str) -> None:
        if tag == "div" and self._divs:
            self._divs.pop()
        elif tag == "label":
            self._label = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        super().handle_data(data)
        if self._label is not None:
            self.labels[self._label] += data
        if self._textarea is not None:
            self.values[self._textarea] += data


def contact_page(client: TestClient, url: str, status: int = 200) -> FormPage:
    response = client.get(url)
    assert response.status_code == status, response.text
    return FormPage(response.text)


def ready_token(services: Services, age: float = 10) -> str:
    """A genuine form token, old enough to be sent (a person took `age` seconds)."""
    return sign_form_token(secret_key(services.settings), int(time.time() - age))


def send(client: TestClient, services: Services, language: str = "en", *,
         token: str | None = None, **fields: str) -> Response:
    data = {"form_token": ready_token(services) if token is None else token, **fields}
    return client.post(f"/help/{language}/contact", data=data)


def answers(services: Services) -> list[Event]:
    return services.events.page(EventFilter(kind="answer"))


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
def test_the_contact_form_is_filled_in_and_labelled_in_every_language(
        browser: TestClient, services: Services, language: str) -> None:
    form = contact_page(browser, f"/help/{language}/contact?q=where is my refund")
    words = WORDS[language]
    assert words["contact_title"] in form.words
    assert form.values["message"] == "where is my refund"
    for field, label in (("message", "message"), ("customer_name", "name"),
                         ("customer_email", "email")):
        assert form.labels[field].startswith(words[label]), (field, form.labels)
        assert form.fields[field]["id"] == field
    assert form.fields["customer_email"]["type"] == "email"
    assert words["email_hint"] in form.words  # mail out is not configured here
    # The token is the widget API's, signed with the server's key, good once filled in.
    token = form.values["form_token"]
    assert form.fields["form_token"]["type"] == "hidden"
    check_form_token(secret_key(services.settings), token, time.time() + MIN_FILL_SECONDS)
    # The honeypot: not for people, screen readers, the tab key or autofill.
    assert form.hidden_from_people == {"website"}
    assert form.fields["website"]["tabindex"] == "-1"
    assert form.fields["website"]["autocomplete"] == "off"
    assert form.values["website"] == ""
    assert f'<html lang="{language}">' in browser.get(f"/help/{language}/contact").text


def test_the_wording_has_every_word_in_every_language() -> None:
    assert all(set(WORDS[code]) == set(WORDS["en"]) for code in SUPPORTED_LANGUAGES)


def test_a_form_sent_too_fast_comes_back_with_the_fields_kept(
        browser: TestClient, services: Services) -> None:
    token = contact_page(browser, "/help/en/contact").values["form_token"]
    sent = send(browser, services, token=token, message="where is my refund",
                customer_name="Anna", customer_email="anna@example.com")
    assert sent.status_code == 422
    again = FormPage(sent.text)
    assert "That was faster than a person types" in again.words
    assert again.values["message"] == "where is my refund"
    assert again.values["customer_name"] == "Anna"
    assert again.values["customer_email"] == "anna@example.com"
    assert again.values["form_token"] == token  # it becomes good by itself in a moment
    assert answers(services) == []


@pytest.mark.parametrize("token", [
    "", "not a token", "1700000000.0123456789abcdef0123456789abcdef",
    "².0123456789abcdef0123456789abcdef",
    sign_form_token(b"another server's key", int(time.time()) - 10)])
def test_a_forged_token_is_refused_and_replaced(browser: TestClient, services: Services,
                                                token: str) -> None:
    sent = send(browser, services, token=token, message="where is my refund")
    assert sent.status_code == 422
    again = FormPage(sent.text)
    assert "We could not check this form" in again.words
    assert again.values["message"] == "where is my refund"
    assert again.values["form_token"] != token
    check_form_token(secret_key(services.settings), again.values["form_token"],
                     time.time() + MIN_FILL_SECONDS)
    assert answers(services) == []


def test_a_form_more_than_a_day_old_is_refused(browser: TestClient,
                                              services: Services) -> None:
    sent = send(browser, services, token=ready_token(services, age=2 * 24 * 3600),
                message="where is my refund")
    assert sent.status_code == 422
    assert "more than a day ago" in FormPage(sent.text).words


def test_a_filled_in_honeypot_is_refused_and_comes_back_empty(
        browser: TestClient, services: Services) -> None:
    sent = send(browser, services, message="do you repair bicycles on sundays",
                customer_name="Bot", website="https://spam.example")
    assert sent.status_code == 422
    again = FormPage(sent.text)
    assert "filled in automatically" in again.words
    assert again.values["website"] == ""
    assert again.values["message"] == "do you repair bicycles on sundays"
    assert answers(services) == [] and services.store.list_escalations() == []


def test_an_empty_message_or_a_bad_address_is_named_at_its_field(
        browser: TestClient, services: Services) -> None:
    sent = send(browser, services, "da", message="  \r\n ", customer_email="no address")
    assert sent.status_code == 422
    again = FormPage(sent.text)
    assert again.fields["message"]["aria-invalid"] == "true"
    assert again.fields["message"]["aria-describedby"] == "message-problem"
    assert 'id="message-problem">Skriv dit spørgsmål.</p>' in sent.text
    assert again.fields["customer_email"]["aria-invalid"] == "true"
    assert "customer_email-problem" in str(again.fields["customer_email"]["aria-describedby"])
    assert "#customer_email" in again.links  # from the summary to the field
    assert again.values["customer_email"] == "no address"
    long = send(browser, services, message="x" * (services.settings.max_text_chars + 1))
    assert long.status_code == 422 and "at most 8000 characters" in FormPage(long.text).words
    assert answers(services) == []


def test_the_article_that_did_not_help_is_never_the_answer_again(
        browser: TestClient, services: Services) -> None:
    """Back from an article's "no", the same question must not get the same article."""
    sent = send(browser, services, message="where is my refund", article="refund-status")
    assert sent.status_code == 200, sent.text
    (answer,) = answers(services)
    assert "refund-status" not in [m["slug"] for m in answer.data["matches"]]
    assert "/help/en/articles/refund-status" not in FormPage(sent.text).links


def test_a_confident_question_is_answered_on_the_page(browser: TestClient,
                                                      services: Services) -> None:
    sent = send(browser, services, message="where is my refund", customer_name="Anna",
                customer_email="anna@example.com")
    assert sent.status_code == 200, sent.text
    result = FormPage(sent.text)
    assert "Our answer" in result.words and "Hi Anna!" in result.words
    assert "Refunds arrive within 5 working days." in result.words
    assert "Check your bank statement" in result.words
    assert "/help/en/articles/refund-status" in result.links
    assert "A copy is on its way" not in result.words  # mail out is not configured here
    (answer,) = answers(services)
    assert answer.data["channel"] == "chat" and answer.data["language"] == "en"
    assert answer.actor == "anonymous" and services.store.list_escalations() == []
    # Did this help? Recorded on the answer, then a page that says thanks.
    assert result.values["answer"] == answer.public_id
    helped = browser.post("/help/en/contact/feedback",
                          data={"answer": answer.public_id, "helpful": "yes"},
                          follow_redirects=False)
    assert helped.status_code == 303
    assert "Thank you for telling us." in page(browser, helped.headers["location"]).words
    (feedback,) = services.events.page(EventFilter(kind="feedback"))
    assert feedback.data["helpful"] is True and feedback.subject_id == answer.id
    not_helped = browser.post("/help/en/contact/feedback",
                              data={"answer": answer.public_id, "helpful": "no"})
    assert "Sorry it did not help. A person will answer:" in Page(not_helped.text).words
    assert browser.post("/help/en/contact/feedback", data={
        "answer": "no-such-answer", "helpful": "no"}).status_code == 404


def test_a_question_with_no_match_is_handed_off_with_a_reference(
        browser: TestClient, services: Services) -> None:
    sent = send(browser, services, "de", message="do you repair bicycles on sundays",
                customer_name="Jonas", customer_email="jonas@example.com")
    assert sent.status_code == 200, sent.text
    result = Page(sent.text)
    (escalation,) = services.store.list_escalations()
    assert escalation.input.message == "do you repair bicycles on sundays"
    assert escalation.input.customer_email == "jonas@example.com"
    assert escalation.input.channel == "chat"
    assert "Ein Mensch antwortet Ihnen" in result.words
    assert f"Ihre Vorgangsnummer: <strong>#{escalation.id}</strong>." in sent.text
    assert "Unsere Antwortzeit für diese Art von Anfrage: 24 Stunden." in result.words
    assert "Sie erhalten eine Antwort bis" in result.words
    (answer,) = answers(services)
    assert answer.subject == "escalation" and answer.subject_id == escalation.id
    assert "answer" not in FormPage(sent.text).values  # nothing to rate: a person answers


def test_anonymous_hand_offs_are_limited_as_in_the_api(tmp_path: Path) -> None:
    limited = build_services(make_settings(tmp_path, anonymous_handoffs_per_hour=1),
                             embedder=FakeEmbedder())
    with TestClient(create_app(services=limited)) as client:
        assert send(client, limited, message="do you repair bicycles").status_code == 200
        refused = send(client, limited, message="do you sell boats on mondays")
        assert refused.status_code == 429
    assert len(limited.store.list_escalations()) == 1
    limited.close()


def test_a_post_from_another_site_is_refused(browser: TestClient, services: Services) -> None:
    forged = browser.post("/help/en/contact", headers={"Origin": "https://evil.example"},
                          data={"form_token": ready_token(services),
                                "message": "do you repair bicycles on sundays"})
    assert forged.status_code == 403 and "another site" in Page(forged.text).words
    assert browser.post("/help/en/contact/feedback", headers={"Origin": "https://evil.example"},
                        data={"answer": "x", "helpful": "no"}).status_code == 403
    assert answers(services) == [] and services.store.list_escalations() == []
    ours = browser.post("/help/en/contact", headers={"Origin": "http://testserver"},
                        data={"form_token": ready_token(services),
                              "message": "do you repair bicycles on sundays"})
    assert ours.status_code == 200


@pytest.fixture
def mailing(tmp_path: Path) -> Iterator[tuple[TestClient, Services]]:
    """Mail out configured (never sent: the relay's worker starts only when serving)."""
    built = build_services(make_settings(tmp_path, smtp_host="127.0.0.1", smtp_port=9),
                           embedder=FakeEmbedder())
    seed(built)
    with TestClient(create_app(services=built)) as client:
        yield client, built
    built.close()


def test_with_mail_out_a_copy_goes_by_email(mailing: tuple[TestClient, Services]) -> None:
    client, services = mailing
    assert WORDS["en"]["email_hint_mail"] in contact_page(client, "/help/en/contact").words
    sent = send(client, services, message="do you repair bicycles on sundays",
                customer_email="anna@example.com")
    assert "A copy is on its way to anna@example.com." in Page(sent.text).words
    assert services.outbox is not None
    (queued,) = services.outbox.rows()
    assert queued.mail.to == "anna@example.com"
    without = send(client, services, message="do you sell boats")
    assert "A copy is on its way" not in Page(without.text).words


@pytest.mark.parametrize("handed_off", [False, True])
def test_everything_sent_is_escaped_on_the_result_page(
        mailing: tuple[TestClient, Services], handed_off: bool) -> None:
    client, services = mailing
    if handed_off:  # its title and answer hold the same script: it would match
        gift_card = services.cases.public_article("gift-card", "en")
        services.kb.set_status(gift_card.id, Status.ARCHIVED, edited_by="t")
    question = "do you repair bicycles" if handed_off else "where is my refund"
    fields = {"message": f"{question} {XSS}", "customer_name": f"Eve {XSS}",
              "customer_email": f"{XSS}@example.com"}
    result = send(client, services, **fields)
    form_again = send(client, services, "ru", token="forged", **fields)
    assert (result.status_code, form_again.status_code) == (200, 422)
    assert bool(services.store.list_escalations()) is handed_off
    escaped = "&lt;script&gt;alert(1)&lt;/script&gt;"
    for sent in (result, form_again):
        assert Page(sent.text).scripts == 1, sent.text  # ours only: /help/assets/help.js
        assert XSS not in sent.text
        assert f"{question} {escaped}" in sent.text
        assert f"{escaped}@example.com" in sent.text
    assert (f"Eve {escaped}" in result.text) is not handed_off  # the answer greets by name
    assert f'value="Eve {escaped}"' in form_again.text
