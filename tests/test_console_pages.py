"""The agent console's pages (responder/web/console.py) through the app, as a signed-in
browser uses them: search with the API's filters, the escalation queue in SLA order with
the escalation signs marked, claim/release/move recorded as events, and resolving into an
existing or a new article, after which the same question is answered automatically. Every
page escapes what customers and editors wrote."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from html import unescape
from pathlib import Path

import numpy as np
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from responder import context_check, escalation_model
from responder.api.app import create_app
from responder.auth.roles import Actor, Role
from responder.events import EventFilter
from responder.kb.sql import SqlStore
from responder.models import CueKind, Escalation, EscalationInput, ReplyKind
from responder.pipeline import Message
from responder.tone import detect_tone
from responder.web.console import Part, highlighted
from responder.web.staff_wording import STAFF_WORDS
from responder.wiring import Services, build_services
from tests.fakes import FakeEmbedder
from tests.staff_pages import SITE, signed_in
from tests.test_index import make_settings

SEED = Actor(None, "seed", Role.ADMIN, "cli")
PAYLOADS = ("<script>alert(1)</script>", '"><img src=x onerror=alert(1)>')
XSS = " ".join(PAYLOADS)
ANGRY = "This is RIDICULOUS, I want a manager NOW!!! My card was charged twice"


@pytest.fixture
def services(tmp_path: Path) -> Iterator[Services]:
    built = build_services(make_settings(tmp_path), embedder=FakeEmbedder())
    built.kb.create_article({
        "slug": "refund-status", "language": "en", "title": "When do I get my refund",
        "short_answer": "Refunds arrive within 5 working days.", "category": "refunds"},
        ["where is my refund", "refund not received"], edited_by="seed")
    built.kb.create_article({
        "slug": "refund-status", "language": "da", "title": "Hvornår får jeg mine penge",
        "short_answer": "Pengene kommer inden for 5 hverdage.", "category": "refunds"},
        ["hvor er min refusion"], edited_by="seed")
    built.kb.create_article({
        "slug": "card-limits", "language": "en", "title": "Raising a card limit by hand",
        "short_answer": "Supervisors raise the card limit in the back office.",
        "category": "payment-card", "visibility": "internal", "status": "draft"},
        ["raise the card limit"], edited_by="seed")
    yield built
    built.close()


@pytest.fixture
def client(services: Services) -> Iterator[TestClient]:
    with TestClient(create_app(services=services), base_url=SITE) as test_client:
        yield test_client


def escalate(services: Services, message: str, *, queue: str = "tier2",
             due: timedelta | None = timedelta(hours=4), name: str = "Anna",
             channel: str = "chat", category: str = "general") -> Escalation:
    return services.cases.open_escalation(SEED, EscalationInput(
        message=message, channel=channel, language="en", queue=queue, customer_name=name,
        category=category, reason="no-good-match (confidence 0.12)",
        due_at=datetime.now(UTC) + due if due is not None else None))


def article_id(services: Services, slug: str, language: str = "en") -> int:
    found = services.store.find_article(slug, language)
    assert found is not None
    return found.id


def text_of(html: str) -> str:
    """The page's words without tags, as a person reads them."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def events(services: Services, kind: str) -> list:
    return services.events.page(EventFilter(kind=kind))


# -- who may see the console ---------------------------------------------------------------------
@pytest.mark.parametrize("path", ["/staff/console/", "/staff/console/escalations",
                                  "/staff/console/escalations/1"])
def test_a_stranger_gets_the_sign_in_form(client: TestClient, path: str) -> None:
    page = client.get(path)
    assert page.status_code == 401
    assert 'action="/staff/sign-in"' in page.text and f'name="next" value="{path}"' in page.text


def test_the_start_page_leads_an_agent_to_the_console(services: Services,
                                                      client: TestClient) -> None:
    signed_in(services, client, Role.AGENT)
    home = client.get("/staff/")
    assert '<a href="/staff/console/">Agent console</a>' in home.text


def test_every_language_has_every_console_word() -> None:
    english = {k for k in STAFF_WORDS["en"] if k.startswith("c_")}
    assert len(english) > 100
    for code, words in STAFF_WORDS.items():
        assert {k for k in words if k.startswith("c_")} == english, code


@pytest.mark.parametrize("language", sorted(STAFF_WORDS))
def test_the_console_pages_speak_the_browser_language(services: Services, client: TestClient,
                                                      language: str) -> None:
    signed_in(services, client, Role.AGENT)
    escalation = escalate(services, ANGRY)
    headers = {"Accept-Language": language}
    for path in ("/staff/console/?q=refund", "/staff/console/escalations",
                 f"/staff/console/escalations/{escalation.id}"):
        page = client.get(path, headers=headers)
        assert page.status_code == 200, (path, page.text[:300])
        assert f'<html lang="{language}">' in page.text
        assert STAFF_WORDS[language]["c_queue" if "escalations" in path else "c_source"] in \
            unescape(page.text)


# -- search --------------------------------------------------------------------------------------
def test_search_shows_score_why_resolutions_and_the_reply_for_the_channel(
        services: Services, client: TestClient) -> None:
    signed_in(services, client, Role.AGENT)
    past = escalate(services, "my refund never came back", name="Bo")
    services.cases.resolve_escalation(SEED, past.id, "Refund was stuck at the bank; re-sent.",
                                      article_id=article_id(services, "refund-status"),
                                      new_article=None)
    page = client.get("/staff/console/", params={
        "q": "where is my refund", "channel": "email", "customer_name": "Carla"})
    assert page.status_code == 200
    text = text_of(page.text)
    assert "When do I get my refund" in text
    assert re.search(r"Score 0\.\d\d|Score 1\.00", text)
    assert "Why it matched Matched text an example question: where is my refund" in text
    assert re.search(r"How by meaning and by keywords \(meaning \d\.\d\d, keywords \d\.\d\d", text)
    assert "Searched in language en" in text
    # the resolution behind it: question, resolution, who, when
    assert "my refund never came back" in text
    assert "Refund was stuck at the bank; re-sent." in text
    assert re.search(r"Resolved by seed, \d{4}-\d\d-\d\d \d\d:\d\d UTC", text)
    # the suggested reply, rendered for email, greeting the customer, ready to copy
    assert "Suggested reply (Email)" in text and "Subject:" in text
    reply = re.search(r'<textarea id="reply-1" class="reply" readonly[^>]*>(.*?)</textarea>',
                      page.text, re.S)
    assert reply is not None and "Carla" in reply.group(1)
    assert "Refunds arrive within 5 working days." in unescape(reply.group(1))
    assert 'data-copy="reply-1"' in page.text and "navigator.clipboard" in page.text
    (event,) = events(services, "agent.search")
    assert event.data["text"] == "where is my refund" and event.actor.startswith("agent")


def test_search_finds_internal_drafts_and_other_languages(services: Services,
                                                          client: TestClient) -> None:
    signed_in(services, client, Role.AGENT)
    internal = text_of(client.get("/staff/console/", params={"q": "raise the card limit"}).text)
    assert "Raising a card limit by hand" in internal
    assert "internal" in internal and "draft" in internal
    danish = text_of(client.get("/staff/console/", params={
        "q": "hvor er min refusion", "language": "da"}).text)
    assert "Hvornår får jeg mine penge" in danish and "Searched in language da" in danish
    norwegian = text_of(client.get("/staff/console/", params={
        "q": "where is my refund", "language": "nb"}).text)
    assert "There is no version in the language searched; this one is in" in norwegian


def test_a_stale_translation_is_marked_in_the_search_and_the_api(services: Services,
                                                                 client: TestClient) -> None:
    signed_in(services, client, Role.AGENT)
    asked = {"q": "hvor er min refusion", "language": "da"}
    assert "Stale translation" not in client.get("/staff/console/", params=asked).text
    english = services.store.find_article("refund-status", "en")
    assert english is not None
    services.kb.update_article(english.id, {
        "slug": "refund-status", "language": "en", "title": "When do I get my refund",
        "short_answer": "Refunds now arrive within 2 working days.", "category": "refunds"},
        edited_by="ed")
    shown = text_of(client.get("/staff/console/", params=asked).text)
    assert ("Stale translation: the en version changed after it was last edited; customers "
            "are not answered from it.") in shown
    found = client.get("/api/v1/agent/search", params=asked).json()["hits"]
    assert [(h["language"], h["stale_source"]) for h in found][:1] == [("da", "en")]


def test_the_filters_narrow_the_search(services: Services, client: TestClient) -> None:
    signed_in(services, client, Role.AGENT)

    def titles(**params: str) -> str:
        page = client.get("/staff/console/", params={"q": "refund card limit", **params})
        assert page.status_code == 200, page.text
        return text_of(page.text)

    assert "When do I get my refund" in titles()
    only_cards = titles(category="payment-card")
    assert "Raising a card limit" in only_cards and "When do I get my refund" not in only_cards
    assert "No escalation has been resolved" in titles()
    nothing_taught = titles(source="resolution")
    assert "Nothing in the knowledge base matches." in nothing_taught
    past = escalate(services, "refund missing")
    services.cases.resolve_escalation(SEED, past.id, "Re-sent.", new_article=None,
                                      article_id=article_id(services, "refund-status"))
    taught = titles(source="resolution")
    assert "When do I get my refund" in taught and "Raising a card limit" not in taught
    today = datetime.now(UTC).date()
    assert "When do I get my refund" in titles(since=str(today), until=str(today))
    future = titles(since=str(today + timedelta(days=2)))
    assert "Nothing in the knowledge base matches." in future
    past_only = titles(until=str(today - timedelta(days=2)))
    assert "Nothing in the knowledge base matches." in past_only


@pytest.mark.parametrize(("params", "field", "message"), [
    ({"since": "yesterday"}, "since", "Enter a date as YYYY-MM-DD."),
    ({"since": "2026-05-02", "until": "2026-05-01"}, "until", "before the “changed since”"),
    ({"language": "xx"}, "language", "Choose one of the options offered."),
    ({"source": "gossip"}, "source", "Choose one of the options offered."),
    ({"channel": "fax"}, "channel", "Choose one of the options offered."),
])
def test_a_wrong_filter_comes_back_at_its_field(services: Services, client: TestClient,
                                               params: dict[str, str], field: str,
                                               message: str) -> None:
    signed_in(services, client, Role.AGENT)
    page = client.get("/staff/console/", params={"q": "refund", **params})
    assert page.status_code == 422
    problem = re.search(rf'<p class="problem" id="{field}-problem">(.*?)</p>', page.text)
    assert problem is not None and message in unescape(problem.group(1))
    assert f'aria-describedby="{field}-problem"' in page.text
    assert ">refund</textarea>" in page.text  # what was typed stays
    assert events(services, "agent.search") == []


# -- the queue -----------------------------------------------------------------------------------
def test_the_queue_puts_the_soonest_sla_first_and_says_which_are_overdue(
        services: Services, client: TestClient) -> None:
    signed_in(services, client, Role.AGENT)
    later = escalate(services, "later one", due=timedelta(hours=20))
    no_sla = escalate(services, "no promise", due=None)
    overdue = escalate(services, "late one", due=timedelta(hours=-3), queue="billing")
    soon = escalate(services, "soon one", due=timedelta(minutes=30), queue="billing")
    resolved = escalate(services, "done one", due=timedelta(hours=-5))
    services.cases.resolve_escalation(SEED, resolved.id, "Done.", new_article=None,
                                      article_id=article_id(services, "refund-status"))
    page = client.get("/staff/console/escalations")
    links = re.findall(r'<h2><a href="/staff/console/escalations/(\d+)">', page.text)
    assert [int(i) for i in links] == [overdue.id, soon.id, later.id, no_sla.id]
    text = text_of(page.text)
    assert "Overdue by 3 hours" in text and "Due in 30 minutes" in text and "No SLA" in text
    assert '<strong class="overdue">⚠ Overdue by 3 hours</strong>' in page.text
    assert text.count("Overdue by") == 1
    billing = client.get("/staff/console/escalations", params={"queue": "billing"})
    links = re.findall(r'<h2><a href="/staff/console/escalations/(\d+)">', billing.text)
    assert [int(i) for i in links] == [overdue.id, soon.id]
    assert '<option value="billing" selected>billing (2)</option>' in billing.text
    assert "All queues (4)" in text_of(billing.text)


def test_the_escalation_signs_are_marked_in_words_too(services: Services,
                                                      client: TestClient) -> None:
    signed_in(services, client, Role.AGENT)
    escalation = escalate(services, ANGRY, channel="email")
    for path in ("/staff/console/escalations", f"/staff/console/escalations/{escalation.id}"):
        page = client.get(path)
        assert '<mark title="anger, shouting">RIDICULOUS, I<span class="vh"> (anger, ' \
               'shouting)</span></mark>' in page.text
        assert re.search(r'<mark title="asks for a person, [^"]*">want a manager NOW', page.text)
        text = text_of(page.text)
        assert "Channel: Email" in text or "Channel Email" in text
        assert "nobody" in text


def test_highlighting_keeps_every_character_of_the_message() -> None:
    parts = highlighted(ANGRY, detect_tone(ANGRY, "en"))
    assert "".join(p.text for p in parts) == ANGRY
    assert next(p.cues for p in parts if p.cues) == ("anger", "shouting")
    calm = "Where is my parcel?"
    assert highlighted(calm, detect_tone(calm, "en")) == [Part(calm)]


def test_the_learnt_insult_score_is_shown_with_its_threshold(services: Services,
                                                            client: TestClient) -> None:
    signed_in(services, client, Role.AGENT)
    abusive = "you people are pathetic worthless liars and idiots and I am sick of you"
    (score,) = detect_tone(abusive, "en").learnt
    assert score.flagged  # the shipped model; if a retrained one is unsure, pick another text
    escalation = escalate(services, abusive)
    page = text_of(client.get(f"/staff/console/escalations/{escalation.id}").text)
    assert (f"Learnt insult score {score.score:.2f} ≥ {score.threshold:.2f} (counts as an "
            "insult)") in page
    calm = escalate(services, "where is my refund")
    (low,) = detect_tone("where is my refund", "en").learnt
    shown = text_of(client.get(f"/staff/console/escalations/{calm.id}").text)
    assert f"{low.score:.2f} < {low.threshold:.2f} (below the threshold)" in shown


def test_the_learnt_escalation_score_is_read_on_the_page_as_the_answer_path_read_it(
        services: Services, client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    """The page embeds the message with the responder's own embedder, so the escalation score
    an agent sees is the one that made the customer upset (here a stand-in model for the
    fake embedder: the shipped one reads only the real model's vectors)."""
    embedder = services.responder.retriever.index.embedder
    message = "the sofa has been lost three times and nobody calls back"
    vector = services.responder.retriever.embed_query(message)
    stand_in = escalation_model.EscalationModel(  # no weight on the appended wording score
        weights=np.append(vector / float(vector @ vector), 0.0).astype(np.float32), bias=0.0,
        threshold=0.6, model_id=embedder.model_id)  # scores this message 1/(1+e^-1) = 0.73
    monkeypatch.setattr(escalation_model, "shipped", lambda: stand_in)
    signed_in(services, client, Role.AGENT)
    escalation = escalate(services, message)
    page = text_of(client.get(f"/staff/console/escalations/{escalation.id}").text)
    assert "Learnt anger score 0.73 ≥ 0.60 (counts as upset)" in page


def test_cues_the_context_check_set_aside_are_shown_with_its_score(
        services: Services, client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    """Agents see what the lexicons found and why it no longer counts (a stand-in check for
    the fake embedder, which scores this message 1/(1+e) = 0.27 against 0.50)."""
    embedder = services.responder.retriever.index.embedder
    message = "Should I file a chargeback, or will you refund the deposit?"
    (cue,) = detect_tone(message, "en").cues
    vector = services.responder.retriever.embed_query(message)
    stand_in = context_check.ContextModel(
        weights=np.concatenate([-(vector / float(vector @ vector)), [0.0],  # wording
                                np.zeros(len(context_check.KINDS))]).astype(np.float32),
        bias=0.0, threshold=0.5, model_id=embedder.model_id)
    monkeypatch.setattr(context_check, "shipped", lambda: stand_in)
    signed_in(services, client, Role.AGENT)
    escalation = escalate(services, message)
    page = text_of(client.get(f"/staff/console/escalations/{escalation.id}").text)
    assert cue.kind is CueKind.THREAT
    assert (f"Learnt context check 0.27 < 0.50 (set aside as not meant: threat «{cue.text}»)"
            in page)


def test_the_best_matches_beside_an_escalation_are_not_recorded_as_a_search(
        services: Services, client: TestClient) -> None:
    signed_in(services, client, Role.AGENT)
    escalation = escalate(services, "where is my refund")
    page = text_of(client.get(f"/staff/console/escalations/{escalation.id}").text)
    assert "The responder's best matches now When do I get my refund" in page
    assert events(services, "agent.search") == []


# -- claim, release, move ------------------------------------------------------------------------
def test_claim_release_and_move_are_recorded_and_shown(services: Services,
                                                       client: TestClient) -> None:
    token = signed_in(services, client, Role.AGENT, username="ines")
    escalation = escalate(services, "where is my refund")
    base = f"/staff/console/escalations/{escalation.id}"

    claimed = client.post(f"{base}/claim", data={"csrf_token": token}, follow_redirects=False)
    assert claimed.status_code == 303 and claimed.headers["location"] == f"{base}?done=claimed"
    page = text_of(client.get(claimed.headers["location"]).text)
    assert "It is assigned to you." in page and "Assigned to ines" in page
    assert "ines" in text_of(client.get("/staff/console/escalations").text)
    assert client.get(f"/api/v1/escalations/{escalation.id}").json()["assignee"] == "ines"
    (event,) = events(services, "escalation.claim")
    assert event.actor == "ines" and event.subject_id == escalation.id
    assert event.data == {"from": None, "to": "ines"}

    moved = client.post(f"{base}/move", data={"csrf_token": token, "queue": "cards"},
                        follow_redirects=False)
    assert moved.status_code == 303
    assert services.store.get_escalation(escalation.id).input.queue == "cards"
    (event,) = events(services, "escalation.move")
    assert event.data == {"from": "tier2", "to": "cards"}
    assert "It is moved." in text_of(client.get(moved.headers["location"]).text)
    cards = client.get("/staff/console/escalations", params={"queue": "cards"}).text
    assert f'href="{base}"' in cards

    released = client.post(f"{base}/release", data={"csrf_token": token},
                           follow_redirects=False)
    assert released.status_code == 303
    assert services.store.get_escalation(escalation.id).assignee is None
    (event,) = events(services, "escalation.release")
    assert event.data == {"from": "ines", "to": None}
    assert "Assigned to nobody" in text_of(client.get(base).text)


def test_an_unknown_queue_and_a_resolved_escalation_are_refused(services: Services,
                                                                client: TestClient) -> None:
    token = signed_in(services, client, Role.AGENT)
    escalation = escalate(services, "where is my refund")
    base = f"/staff/console/escalations/{escalation.id}"
    wrong = client.post(f"{base}/move", data={"csrf_token": token, "queue": "nowhere"})
    assert wrong.status_code == 422 and "Unknown queue" in unescape(wrong.text)
    services.cases.resolve_escalation(SEED, escalation.id, "Done.", new_article=None,
                                      article_id=article_id(services, "refund-status"))
    assert client.post(f"{base}/claim", data={"csrf_token": token}).status_code == 409
    assert client.get("/staff/console/escalations/999999").status_code == 404
    assert events(services, "escalation.move") == events(services, "escalation.claim") == []


@pytest.mark.parametrize("action", ["claim", "release", "move", "resolve"])
def test_a_form_without_the_csrf_token_or_from_another_site_is_refused(
        services: Services, client: TestClient, action: str) -> None:
    token = signed_in(services, client, Role.AGENT)
    escalation = escalate(services, "where is my refund")
    path = f"/staff/console/escalations/{escalation.id}/{action}"
    body = {"queue": "cards", "resolution": "x", "target": "existing",
            "article_id": str(article_id(services, "refund-status"))}
    assert client.post(path, data=body).status_code == 403
    assert client.post(path, data={**body, "csrf_token": "forged"}).status_code == 403
    assert client.post(path, data={**body, "csrf_token": token},
                       headers={"Origin": "https://evil.example"}).status_code == 403
    unchanged = services.store.get_escalation(escalation.id)
    assert unchanged.assignee is None and unchanged.input.queue == "tier2"
    assert unchanged.status.value == "open"


# -- resolving -----------------------------------------------------------------------------------
def test_resolving_into_an_existing_article_answers_the_question_from_then_on(
        services: Services, client: TestClient) -> None:
    token = signed_in(services, client, Role.AGENT, username="jonas")
    question = "my refund is not received yet"
    before = services.responder.preview(Message(question, "chat", "en"))
    assert before.decision.kind is ReplyKind.HANDOFF  # why it was escalated
    escalation = escalate(services, question, channel="chat")
    base = f"/staff/console/escalations/{escalation.id}"
    refund = article_id(services, "refund-status")
    form = client.get(base).text
    assert "The responder&#39;s best matches now" in form
    assert f'<input type="radio" name="pick" id="pick-{refund}" value="{refund}"' in form
    done = client.post(f"{base}/resolve", data={
        "csrf_token": token, "resolution": "Refund re-sent by the bank.", "target": "existing",
        "pick": str(refund)}, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == f"{base}?done=resolved"
    page = text_of(client.get(done.headers["location"]).text)
    assert "The resolution is saved." in page and "Refund re-sent by the bank." in page
    assert "The question now belongs to When do I get my refund" in page
    assert "Asked again now" in page
    assert "This question is now answered automatically." in page
    assert "Best match When do I get my refund" in page
    assert "Refunds arrive within 5 working days." in page  # the reply now
    examples = [q.text for q in services.store.questions(refund)]
    assert question in examples
    (event,) = events(services, "escalation.resolve")
    assert event.actor == "jonas" and event.data["article_id"] == refund


def test_resolving_into_a_new_article_and_the_help_centre_then_answers(
        services: Services, client: TestClient) -> None:
    token = signed_in(services, client, Role.AGENT)
    question = "can I pay my invoice with bitcoin"
    escalation = escalate(services, question, channel="email", category="billing")
    base = f"/staff/console/escalations/{escalation.id}"
    assert "Bitcoin" not in client.get(f"/help/en/search?q={question}").text
    done = client.post(f"{base}/resolve", data={
        "csrf_token": token, "resolution": "Told them we take cards only.", "target": "new",
        "slug": "bitcoin-payments", "language": "en", "title": "Paying with Bitcoin",
        "short_answer": "We do not take Bitcoin; pay by card or bank transfer.",
        "category": "billing", "status": "published"}, follow_redirects=False)
    assert done.status_code == 303
    page = text_of(client.get(done.headers["location"]).text)
    assert "This question is now answered automatically." in page
    assert "Best match Paying with Bitcoin" in page
    assert "The reply now (Email)" in page
    created = services.store.find_article("bitcoin-payments", "en")
    assert created is not None and created.content.status.value == "published"
    assert created.content.category == "billing"
    help_page = text_of(client.get("/help/en/search", params={"q": question}).text)
    assert "We do not take Bitcoin; pay by card or bank transfer." in help_page


def test_a_new_draft_is_not_answered_yet_and_says_why(services: Services,
                                                      client: TestClient) -> None:
    token = signed_in(services, client, Role.AGENT)
    escalation = escalate(services, "do you sell gift vouchers for weddings")
    base = f"/staff/console/escalations/{escalation.id}"
    client.post(f"{base}/resolve", data={
        "csrf_token": token, "resolution": "Yes, in store.", "target": "new",
        "slug": "wedding-vouchers", "language": "en", "title": "Gift vouchers for weddings",
        "short_answer": "Buy them in any store.", "category": "orders", "status": "draft"})
    page = text_of(client.get(base).text)
    assert "(wedding-vouchers, en, #" in page and "draft)" in page
    assert "This question would still go to a person." in page


def test_a_resolution_with_problems_comes_back_with_everything_typed(
        services: Services, client: TestClient) -> None:
    token = signed_in(services, client, Role.AGENT)
    escalation = escalate(services, "where is my refund")
    base = f"/staff/console/escalations/{escalation.id}"
    page = client.post(f"{base}/resolve", data={
        "csrf_token": token, "resolution": "", "target": "new", "slug": "Not A Slug",
        "title": "Kept title", "short_answer": "Kept answer", "category": "billing",
        "language": "en", "status": "published"})
    assert page.status_code == 422
    assert re.search(r'id="resolution-problem">This cannot be empty.<', page.text)
    assert re.search(r'id="slug-problem">Article: slug: [^<]*use lower-case', page.text)
    assert 'value="Not A Slug"' in page.text and 'value="Kept title"' in page.text
    assert ">Kept answer</textarea>" in page.text
    assert 'id="target-new" name="target" value="new" checked' in page.text
    assert 'id="new-status-published" name="status" value="published" checked' in page.text

    no_article = client.post(f"{base}/resolve", data={
        "csrf_token": token, "resolution": "Sent again", "target": "existing"})
    assert no_article.status_code == 422
    assert "Choose one of the matches or enter an article" in unescape(no_article.text)
    assert ">Sent again</textarea>" in no_article.text
    missing = client.post(f"{base}/resolve", data={
        "csrf_token": token, "resolution": "Sent again", "target": "existing",
        "article_id": "999999"})
    assert missing.status_code == 422
    assert re.search(r'id="article_id-problem">Article 999999 does not exist', missing.text)
    assert services.store.get_escalation(escalation.id).status.value == "open"
    assert events(services, "escalation.resolve") == []


# -- escaping ------------------------------------------------------------------------------------
def test_script_and_html_payloads_are_escaped_on_every_console_page(
        services: Services, client: TestClient) -> None:
    token = signed_in(services, client, Role.AGENT)
    services.kb.create_article({
        "slug": "payload-article", "language": "en", "title": f"Refund {XSS}",
        "short_answer": f"Refund answer {XSS}", "category": "refunds",
        "options": [f"Option {XSS}"]}, [f"refund question {XSS}"], edited_by="seed")
    taught = escalate(services, f"refund {XSS} ANGRY!!!", name=PAYLOADS[1])
    services.cases.resolve_escalation(SEED, taught.id, f"resolution {XSS}", new_article=None,
                                      article_id=article_id(services, "payload-article"))
    open_one = escalate(services, f"refund again {XSS} you IDIOTS!!!", name=PAYLOADS[0])
    client.post(f"/staff/console/escalations/{open_one.id}/claim", data={"csrf_token": token})
    pages = {
        "search": client.get("/staff/console/", params={"q": f"refund {XSS}",
                                                        "customer_name": PAYLOADS[1]}),
        "search email": client.get("/staff/console/", params={"q": "refund question",
                                                              "channel": "email"}),
        "queue": client.get("/staff/console/escalations"),
        "open": client.get(f"/staff/console/escalations/{open_one.id}"),
        "resolved": client.get(f"/staff/console/escalations/{taught.id}"),
        "problem": client.post(f"/staff/console/escalations/{open_one.id}/resolve", data={
            "csrf_token": token, "resolution": XSS, "target": "new", "slug": XSS,
            "title": XSS, "short_answer": XSS, "category": XSS}),
    }
    for name, page in pages.items():
        assert page.status_code in (200, 422), name
        for payload in PAYLOADS:
            assert payload not in page.text, (name, payload)
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text, name
        assert "onerror=alert(1)&gt;" in page.text, name
        assert page.text.count("<script>") == (name != "queue"), name  # only the Copy script


# -- the schema ----------------------------------------------------------------------------------
def test_a_version_7_database_gains_the_assignee_and_keeps_its_escalations(
        tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'v7.sqlite3'}"
    store = SqlStore.from_url(url)
    old = store.open_escalation(EscalationInput(message="old", channel="chat", language="en"))
    store.close()
    engine = create_engine(url)
    with engine.begin() as conn:  # what version 7 had: no assignee
        conn.execute(text("ALTER TABLE escalations DROP COLUMN assignee"))
        conn.execute(text("UPDATE kb_meta SET value = '7' WHERE key = 'schema_version'"))
    engine.dispose()
    upgraded = SqlStore.from_url(url)
    try:
        assert upgraded.get_escalation(old.id).assignee is None
        claimed = upgraded.assign_escalation(old.id, "ines")
        assert claimed.assignee == "ines" and claimed.input.message == "old"
        assert upgraded.move_escalation(old.id, "cards").input.queue == "cards"
    finally:
        upgraded.close()
