"""The editor's pages (responder/web/editor.py) through the app, with the fake embedder: who may
open them, the list's filters, every change as a form post with its CSRF token that ends in an
event, refused forms that keep what was typed, stale translations marked (and never answered
from, under both settings), the preview in every channel and language with the linter's marks,
revision diffs and restore, "try it" changing nothing, and script payloads escaped everywhere."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from html import unescape
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from responder.api.app import create_app
from responder.auth.roles import Actor, Role
from responder.config import SUPPORTED_LANGUAGES
from responder.events import EventFilter
from responder.models import Article, ReplyKind, Status
from responder.pipeline import Message
from responder.render import SUPPORTED_CHANNELS
from responder.web.editor import DIFF_FIELDS, DONE, mark, word_diff
from responder.web.staff_wording import STAFF_WORDS
from responder.wiring import Services, build_services
from tests.fakes import FakeEmbedder
from tests.staff_pages import SITE, signed_in
from tests.test_index import make_settings

EDITOR = "/staff/editor"
SCRIPT = "<script>alert(1)</script>"
BREAKOUT = '"><img src=x onerror=alert(1)>'
REFUND_EN = {"slug": "refund-status", "language": "en", "title": "When do I get my refund",
             "short_answer": "Refunds reach your account within 5 working days.",
             "options": ["Check your bank statement", "Write to us with your order number"],
             "category": "refunds"}
REFUND_DA = {**REFUND_EN, "language": "da", "title": "Hvornår får jeg mine penge",
             "short_answer": "Pengene kommer inden for 5 hverdage.",
             "options": ["Tjek din kontoudskrift", "Skriv til os med dit ordrenummer"]}
OTHERS = [
    ({"slug": "password-reset", "language": "en", "title": "Reset your password",
      "short_answer": "Use the forgotten password link.", "category": "password"},
     ["I forgot my password", "password reset link does not work"]),
    ({"slug": "opening-hours", "language": "en", "title": "Opening hours",
      "short_answer": "Our stores are open 9-18 on weekdays.", "category": "stores",
      "visibility": "internal", "status": "draft"},
     ["when are you open"]),
]
ACTOR = Actor(None, "test-editor", Role.EDITOR, "token")
GET_PAGES = ["/", "/articles/new", "/articles/{id}", "/articles/{id}/versions",
             "/articles/{id}/preview", "/articles/{id}/revisions", "/try?q=refund"]


def build(tmp_path: Path, **settings: object) -> Services:
    services = build_services(make_settings(tmp_path, **settings), embedder=FakeEmbedder())
    seed(services)
    return services


def seed(services: Services) -> tuple[Article, Article]:
    en = services.kb.create_article(REFUND_EN, ["where is my refund", "refund not received"],
                                    edited_by="seed")
    da = services.kb.create_article(REFUND_DA, ["hvor er mine penge", "jeg har ikke fået "
                                                "pengene tilbage"], edited_by="seed")
    for content, examples in OTHERS:
        services.kb.create_article(content, examples, edited_by="seed")
    return en, da


@pytest.fixture
def services(tmp_path: Path) -> Iterator[Services]:
    built = build(tmp_path)
    yield built
    built.close()


@pytest.fixture
def client(services: Services) -> Iterator[TestClient]:
    with TestClient(create_app(services=services), base_url=SITE) as test_client:
        yield test_client


@pytest.fixture
def token(services: Services, client: TestClient) -> str:
    return signed_in(services, client, Role.EDITOR, "edith")


def find(services: Services, slug: str, language: str) -> Article:
    found = services.store.find_article(slug, language)
    assert found is not None
    return found


def form(article: Mapping[str, object], token: str, **changes: str) -> dict[str, str]:
    """The edit form as a browser sends it."""
    options = article.get("options", [])
    assert isinstance(options, list)
    fields = {"csrf_token": token, "slug": str(article["slug"]),
              "language": str(article["language"]), "title": str(article["title"]),
              "short_answer": str(article["short_answer"]), "options": "\n".join(options),
              "agreement": "", "timeframe": "", "body": "",
              "category": str(article.get("category", "general")), "tags": "",
              "visibility": str(article.get("visibility", "public"))}
    return {**fields, **changes}


def events(services: Services, kind: str) -> list[str]:
    return [e.kind for e in services.events.page(EventFilter(kind=kind))]


def text_of(html: str) -> str:
    return unescape(re.sub(r"<[^>]+>", " ", html))


# -- who may ------------------------------------------------------------------------------------
def test_a_stranger_gets_the_sign_in_form_and_an_agent_is_refused(
        services: Services, client: TestClient) -> None:
    article = find(services, "refund-status", "en")
    for path in GET_PAGES:
        url = EDITOR + path.format(id=article.id)
        stranger = client.get(url)
        assert stranger.status_code == 401, url
        assert 'action="/staff/sign-in"' in stranger.text
    signed_in(services, client, Role.AGENT, "agnes")
    for path in GET_PAGES:
        assert client.get(EDITOR + path.format(id=article.id)).status_code == 403, path
    assert 'href="/staff/editor/"' not in client.get("/staff/").text  # not in an agent's menu


def test_an_editor_sees_the_editor_in_the_menu_and_a_missing_article_is_a_404(
        client: TestClient, token: str) -> None:
    assert 'href="/staff/editor/"' in client.get("/staff/").text
    assert client.get(f"{EDITOR}/articles/999999").status_code == 404
    assert client.get(f"{EDITOR}/articles/x1").status_code == 404


# -- the list -----------------------------------------------------------------------------------
def titles(client: TestClient, query: str = "") -> set[str]:
    page = client.get(f"{EDITOR}/?{query}")
    assert page.status_code == 200, page.text
    return set(re.findall(r'<a href="/staff/editor/articles/\d+">([^<]+)</a>', page.text))


def test_the_list_filters_by_language_category_status_visibility_and_missing_translation(
        services: Services, client: TestClient, token: str) -> None:
    every = {"When do I get my refund", "Hvornår får jeg mine penge", "Reset your password",
             "Opening hours"}
    assert titles(client) == every
    assert titles(client, "language=da") == {"Hvornår får jeg mine penge"}
    assert titles(client, "category=password") == {"Reset your password"}
    assert titles(client, "status=draft") == {"Opening hours"}
    assert titles(client, "visibility=internal") == {"Opening hours"}
    # one row per article: its source version, with a link to translate it
    missing = client.get(f"{EDITOR}/?missing=da")
    assert set(re.findall(r'<a href="/staff/editor/articles/\d+">([^<]+)</a>', missing.text)) \
        == {"Reset your password", "Opening hours"}
    assert "/staff/editor/articles/new?source=" in missing.text
    assert titles(client, "missing=de") == {"When do I get my refund", "Reset your password",
                                            "Opening hours"}
    assert titles(client, "stale=1") == set()
    assert titles(client, "language=xx&status=nonsense") == every  # unknown values: no filter


def test_the_stale_filter_lists_translations_older_than_their_source(
        services: Services, client: TestClient, token: str) -> None:
    en = find(services, "refund-status", "en")
    answer = client.post(f"{EDITOR}/articles/{en.id}", data=form(
        REFUND_EN, token, short_answer="Refunds reach your account within 3 working days.",
        action="publish"), follow_redirects=False)
    assert answer.status_code == 303
    assert titles(client, "stale=1") == {"Hvornår får jeg mine penge"}
    assert 'class="badge stale"' in client.get(f"{EDITOR}/?language=da").text


# -- create, edit, publish, archive --------------------------------------------------------------
def test_create_edit_publish_and_archive_are_form_posts_recorded_as_events(
        services: Services, client: TestClient, token: str) -> None:
    new = {"slug": "gift-cards", "language": "en", "title": "Gift cards",
           "short_answer": "Gift cards are valid for three years.", "category": "payment"}
    created = client.post(f"{EDITOR}/articles/new", data=form(
        new, token, options="Buy one in a store\n\nBuy one online\n", tags="gifts, cards",
        examples="do gift cards expire\nhow long is a gift card valid", action="draft"),
        follow_redirects=False)
    assert created.status_code == 303
    article = find(services, "gift-cards", "en")
    assert created.headers["location"] == f"{EDITOR}/articles/{article.id}?done=created"
    assert article.content.status is Status.DRAFT
    assert article.content.options == ("Buy one in a store", "Buy one online")
    assert article.content.tags == ("gifts", "cards")
    assert len(services.store.questions(article.id)) == 2
    page = client.get(created.headers["location"])
    assert "The article was created." in page.text and "do gift cards expire" in page.text

    edited = client.post(f"{EDITOR}/articles/{article.id}", data=form(
        new, token, title="Gift cards and vouchers", revision=str(article.revision),
        action="publish"), follow_redirects=False)
    assert edited.status_code == 303 and edited.headers["location"].endswith("done=published")
    article = find(services, "gift-cards", "en")
    assert article.content.title == "Gift cards and vouchers"
    assert article.content.status is Status.PUBLISHED

    archived = client.post(f"{EDITOR}/articles/{article.id}", data=form(
        new, token, title="Gift cards and vouchers", action="archive"), follow_redirects=False)
    assert archived.status_code == 303
    assert find(services, "gift-cards", "en").content.status is Status.ARCHIVED
    kinds = events(services, "article.")
    assert {"article.create", "article.update", "article.publish", "article.archive"} <= set(
        kinds)
    assert kinds.count("article.update") == 1  # archiving unchanged fields is no edit
    actors = {e.actor for e in services.events.page(EventFilter(kind="article."))
              if e.subject_id == article.id}
    assert actors == {"edith"}


def test_a_refused_form_says_what_is_wrong_at_the_field_and_keeps_the_input(
        services: Services, client: TestClient, token: str) -> None:
    bad = {"slug": "Not A Slug", "language": "en", "title": "", "short_answer": "Kept answer",
           "category": "refunds"}
    refused = client.post(f"{EDITOR}/articles/new", data=form(
        bad, token, body="Kept <b>body</b>", action="publish"))
    assert refused.status_code == 422
    html = refused.text
    assert 'id="slug-problem"' in html and 'id="title-problem"' in html
    assert re.search(r'<input id="slug" name="slug" value="Not A Slug"[^>]*aria-invalid="true"',
                     html)
    assert "Kept answer" in html and "Kept &lt;b&gt;body&lt;/b&gt;" in html
    assert 'role="alert"' in html and 'href="#slug"' in html
    assert find_none(services, "Not A Slug")
    taken = client.post(f"{EDITOR}/articles/new", data=form(REFUND_EN, token, action="draft"))
    assert taken.status_code == 422 and 'id="slug-problem"' in taken.text
    assert "already exists" in taken.text


def find_none(services: Services, slug: str) -> bool:
    return all(a.slug != slug for a in services.store.list_articles())


def test_a_save_over_someone_elses_newer_save_is_refused_with_the_text_kept(
        services: Services, client: TestClient, token: str) -> None:
    en = find(services, "refund-status", "en")
    services.kb.update_article(en.id, {**REFUND_EN, "title": "Refund timing"}, edited_by="bo")
    late = client.post(f"{EDITOR}/articles/{en.id}", data=form(
        REFUND_EN, token, title="My title", revision=str(en.revision), action="publish"))
    assert late.status_code == 409 and 'value="My title"' in late.text
    assert find(services, "refund-status", "en").content.title == "Refund timing"
    assert f'name="revision" value="{en.revision + 1}"' in late.text  # a second save goes


def test_a_change_without_the_csrf_token_or_from_another_site_is_refused(
        services: Services, client: TestClient, token: str) -> None:
    en = find(services, "refund-status", "en")
    posts = [(f"{EDITOR}/articles/new", form(REFUND_EN, "", slug="x", action="draft")),
             (f"{EDITOR}/articles/{en.id}", form(REFUND_EN, "", action="archive")),
             (f"{EDITOR}/articles/{en.id}/questions", {"question": "refund?"}),
             (f"{EDITOR}/articles/{en.id}/questions/"
              f"{services.kb.store.questions(en.id)[0].id}/delete", {}),
             (f"{EDITOR}/articles/{en.id}/revisions/1/restore", {}),
             (f"{EDITOR}/preview", form(REFUND_EN, ""))]
    for url, data in posts:
        data = {k: v for k, v in data.items() if k != "csrf_token"}
        assert client.post(url, data=data).status_code == 403, url
        assert client.post(url, data={**data, "csrf_token": token},
                           headers={"Origin": "https://evil.example"}).status_code == 403, url
    assert find(services, "refund-status", "en").revision == en.revision
    assert len(services.kb.store.questions(en.id)) == 2


def test_example_questions_are_added_listed_and_recorded(
        services: Services, client: TestClient, token: str) -> None:
    en = find(services, "refund-status", "en")
    added = client.post(f"{EDITOR}/articles/{en.id}/questions", data={
        "csrf_token": token, "question": "has my refund been sent", "question_language": "en"},
        follow_redirects=False)
    assert added.status_code == 303
    page = client.get(added.headers["location"])
    assert "has my refund been sent" in page.text and "The example question was added." in \
        page.text
    assert "article.question" in events(services, "article.question")
    empty = client.post(f"{EDITOR}/articles/{en.id}/questions", data={
        "csrf_token": token, "question": "   ", "question_language": "en"})
    assert empty.status_code == 422 and 'id="question-problem"' in empty.text


def test_an_example_question_is_removed_and_no_longer_matches(
        services: Services, client: TestClient, token: str) -> None:
    en = find(services, "refund-status", "en")
    other = find(services, "password-reset", "en")
    question = next(q for q in services.kb.store.questions(en.id)
                    if q.text == "refund not received")
    asked = Message(text="refund not received", channel="chat", language="en")
    assert services.responder.preview(asked).hits[0].article.slug == "refund-status"
    page = client.get(f"{EDITOR}/articles/{en.id}").text
    assert 'aria-label="Remove the example question: refund not received"' in page
    wrong = client.post(f"{EDITOR}/articles/{other.id}/questions/{question.id}/delete",
                        data={"csrf_token": token})
    assert wrong.status_code == 404  # not this article's question
    removed = client.post(f"{EDITOR}/articles/{en.id}/questions/{question.id}/delete",
                          data={"csrf_token": token}, follow_redirects=False)
    assert removed.status_code == 303
    shown = client.get(removed.headers["location"]).text
    assert "The example question was removed." in shown
    assert "refund not received" not in shown and "where is my refund" in shown
    assert [q.text for q in services.kb.store.questions(en.id)] == ["where is my refund"]
    assert services.events.page(EventFilter(kind="article.question_delete"))[0].data == {
        "question_id": question.id}
    again = client.post(f"{EDITOR}/articles/{en.id}/questions/{question.id}/delete",
                        data={"csrf_token": token})
    assert again.status_code == 404
    hits = services.responder.preview(asked).hits
    assert all(h.matched_text != "refund not received" for h in hits), hits


# -- stale translations -------------------------------------------------------------------------
def edit_words(services: Services, article: Article, **changes: object) -> Article:
    data = {**REFUND_EN, **changes} if article.language == "en" else {**REFUND_DA, **changes}
    return services.kb.update_article(article.id, data, edited_by="test")


def test_a_translation_is_stale_when_its_source_words_changed_after_its_last_edit(
        services: Services, client: TestClient, token: str) -> None:
    en, da = find(services, "refund-status", "en"), find(services, "refund-status", "da")
    fresh = services.cases.versions(ACTOR, da.id)
    assert fresh.source_id == en.id and not fresh.stale_ids  # the source's creation: no change
    services.kb.set_status(en.id, Status.DRAFT, edited_by="t")  # status only: not a change
    services.kb.update_article(en.id, {**REFUND_EN, "status": "draft", "tags": ["money"]},
                               edited_by="t")  # tags: nothing to translate
    assert not services.cases.versions(ACTOR, da.id).stale_ids
    edit_words(services, en, short_answer="Refunds reach your account within 3 working days.")
    assert services.cases.versions(ACTOR, da.id).stale_ids == {da.id}

    page = client.get(f"{EDITOR}/articles/{da.id}/versions")
    assert page.status_code == 200
    columns = re.findall(r'<section class="column( is-stale)?"[^>]*lang="(\w+)"', page.text)
    assert columns == [("", "en"), (" is-stale", "da")]  # the source first
    assert 'class="badge source"' in page.text and 'class="badge stale"' in page.text
    assert "The source&#39;s words changed" in page.text
    assert f'/staff/editor/articles/new?source={en.id}&amp;language=de' in page.text

    services.kb.set_status(da.id, Status.DRAFT, edited_by="t")
    published = client.post(f"{EDITOR}/articles/{da.id}", data=form(
        REFUND_DA, token, action="publish"), follow_redirects=False)
    assert published.status_code == 303  # a change of status alone is no review
    assert services.cases.versions(ACTOR, da.id).stale_ids == {da.id}
    resaved = client.post(f"{EDITOR}/articles/{da.id}", data=form(
        REFUND_DA, token, action="publish"), follow_redirects=False)
    assert resaved.status_code == 303  # an unchanged save: the translator says it is right
    assert not services.cases.versions(ACTOR, da.id).stale_ids


def test_the_source_is_the_default_language_version_else_the_oldest(tmp_path: Path) -> None:
    services = build_services(make_settings(tmp_path, default_language="de"),
                              embedder=FakeEmbedder())
    try:
        da = services.kb.create_article(REFUND_DA, [], edited_by="t")
        en = services.kb.create_article(REFUND_EN, [], edited_by="t")
        assert services.cases.versions(ACTOR, en.id).source_id == da.id
        de = services.kb.create_article({**REFUND_EN, "language": "de"}, [], edited_by="t")
        assert services.cases.versions(ACTOR, en.id).source_id == de.id
        services.kb.set_status(de.id, Status.ARCHIVED, edited_by="t")
        assert services.cases.versions(ACTOR, en.id).source_id == da.id
    finally:
        services.close()


def make_da_stale(services: Services) -> tuple[Article, Article]:
    en, da = find(services, "refund-status", "en"), find(services, "refund-status", "da")
    return edit_words(services, en, short_answer="Refunds reach your account within 3 "
                                                 "working days."), da


@pytest.mark.parametrize("channel", ["chat", "email", "helppage"])
def test_a_stale_translation_is_answered_from_its_source_and_the_reply_says_so(
        services: Services, channel: str) -> None:
    question = Message("hvor er mine penge", channel, language="da")
    before = services.responder.preview(question)
    assert before.decision.kind is ReplyKind.ANSWER, before.decision
    assert before.hits[0].article.language == "da" and before.context is not None
    assert before.context.stale_translation is None
    en, _da = make_da_stale(services)
    answered = services.cases.answer(None, question)
    outcome = answered.outcome
    assert outcome.decision.kind is ReplyKind.ANSWER
    assert outcome.hits[0].article.id == en.id and outcome.hits[0].fallback_language
    assert outcome.context is not None and outcome.context.stale_translation is not None
    assert outcome.reply.language == "da"
    assert "Check your bank statement" in outcome.reply.text  # the English version's
    assert "Vi har svaret ud fra artiklen på engelsk, fordi oversættelsen til dansk er ved at " \
           "blive opdateret." in outcome.reply.text
    if outcome.reply.html:
        assert "oversættelsen til dansk" in outcome.reply.html
    assert answered.event.data["stale_translation"] == "da"
    assert answered.event.data["matches"][0]["article_id"] == en.id


def test_with_the_handoff_setting_a_stale_translation_goes_to_a_person(
        tmp_path: Path) -> None:
    services = build(tmp_path, stale_translations="handoff")
    try:
        question = Message("hvor er mine penge", "chat", language="da")
        assert services.responder.preview(question).decision.kind is ReplyKind.ANSWER
        make_da_stale(services)
        outcome = services.cases.answer(None, question).outcome
        assert outcome.decision.kind is ReplyKind.HANDOFF
        assert outcome.decision.rule == "stale-translation"
        assert outcome.escalation is not None and outcome.escalation.input.category == "refunds"
        assert outcome.context is not None and outcome.context.stale_translation is None
        english = services.responder.preview(Message("where is my refund", "chat",
                                                     language="en"))
        assert english.decision.kind is ReplyKind.ANSWER  # the source itself still answers
    finally:
        services.close()


def test_a_stale_translation_whose_source_is_not_public_goes_to_a_person(
        services: Services) -> None:
    en, _da = make_da_stale(services)
    services.kb.set_status(en.id, Status.DRAFT, edited_by="t")
    outcome = services.responder.preview(Message("hvor er mine penge", "chat", language="da"))
    assert outcome.decision.kind is ReplyKind.HANDOFF
    assert outcome.decision.rule == "stale-translation"


# -- preview ------------------------------------------------------------------------------------
def test_the_preview_shows_every_channel_in_the_chosen_language_with_lint_marks(
        services: Services, client: TestClient, token: str) -> None:
    en = find(services, "refund-status", "en")
    services.kb.update_article(en.id, {**REFUND_EN, "short_answer": "Calm down: refunds take "
                                       "5 days. Unfortunately banks are slow."}, edited_by="t")
    for language in SUPPORTED_LANGUAGES:
        page = client.get(f"{EDITOR}/articles/{en.id}/preview?language={language}")
        assert page.status_code == 200
        html = page.text
        assert len(re.findall(r'<iframe class="reply[^"]*" sandbox=""', html)) == 2
        assert 'id="email-subject"' in html and 'id="chat-text"' in html
        assert f'<option value="{language}" selected>' in html
        helppage = re.search(r'srcdoc="([^"]*)"', html)
        assert helppage is not None and f'lang=&#34;{language}&#34;' in helppage.group(1)
    html = client.get(f"{EDITOR}/articles/{en.id}/preview?language=de").text
    assert "Vielen Dank" in unescape(html) or "Danke" in unescape(html)
    assert '<mark class="error">Calm down</mark>' in html
    assert '<mark class="warning">Unfortunately</mark>' in html
    assert "Suggestion:" in html


def test_the_edit_forms_preview_shows_the_typed_text_and_saves_nothing(
        services: Services, client: TestClient, token: str) -> None:
    da = find(services, "refund-status", "da")
    shown = client.post(f"{EDITOR}/preview", data=form(
        REFUND_DA, token, article_id=str(da.id), revision=str(da.revision),
        short_answer="Slap af, pengene kommer om 3 dage.", preview_language="nb"))
    assert shown.status_code == 200
    assert 'value="Hvornår får jeg mine penge"' in shown.text  # the form, as typed
    assert "Slap af" in shown.text and "<mark" in shown.text
    assert 'id="chat-text"' in shown.text and "nothing has been saved" in shown.text
    assert f'name="revision" value="{da.revision}"' in shown.text
    assert find(services, "refund-status", "da").revision == da.revision
    invalid = client.post(f"{EDITOR}/preview", data=form(REFUND_DA, token, title=""))
    assert invalid.status_code == 422 and 'id="title-problem"' in invalid.text


def test_mark_cuts_the_text_at_each_finding() -> None:
    from responder.lint import lint_text
    text = "Please calm down. Unfortunately it is a problem."
    pieces = mark(text, lint_text(text, "en"))
    assert "".join(p for p, _ in pieces) == text
    assert [p for p, f in pieces if f] == ["calm down", "Unfortunately", "problem"]


# -- revisions ----------------------------------------------------------------------------------
def test_two_revisions_are_compared_word_by_word_and_one_is_restored(
        services: Services, client: TestClient, token: str) -> None:
    en = find(services, "refund-status", "en")
    client.post(f"{EDITOR}/articles/{en.id}", data=form(
        REFUND_EN, token, short_answer="Refunds reach your account within 3 working days.",
        action="publish"))
    page = client.get(f"{EDITOR}/articles/{en.id}/revisions?a=1&b=2")
    assert page.status_code == 200
    assert "<del>5</del><ins>3</ins>" in page.text
    assert page.text.count('action="/staff/editor/articles/') >= 1
    restored = client.post(f"{EDITOR}/articles/{en.id}/revisions/1/restore",
                           data={"csrf_token": token}, follow_redirects=False)
    assert restored.status_code == 303
    assert restored.headers["location"] == f"{EDITOR}/articles/{en.id}/revisions?done=restored"
    now = find(services, "refund-status", "en")
    assert now.revision == 3 and now.content.short_answer == REFUND_EN["short_answer"]
    assert "article.restore" in events(services, "article.restore")
    assert "The revision was restored" in client.get(restored.headers["location"]).text
    assert client.post(f"{EDITOR}/articles/{en.id}/revisions/99/restore",
                       data={"csrf_token": token}).status_code == 404


def test_word_diff_keeps_every_word_once() -> None:
    pieces = word_diff("Refunds take 5 days.", "Refunds take 3 working days!")
    assert "".join(t for k, t in pieces if k != "ins") == "Refunds take 5 days."
    assert "".join(t for k, t in pieces if k != "del") == "Refunds take 3 working days!"


# -- try it -------------------------------------------------------------------------------------
def test_try_it_shows_the_decision_and_matches_and_changes_nothing(
        services: Services, client: TestClient, token: str) -> None:
    before = len(services.events.page(EventFilter()))
    answered = client.get(f"{EDITOR}/try", params={"q": "where is my refund", "language": "en"})
    assert answered.status_code == 200
    assert 'id="decision"' in answered.text and "refund-status" in answered.text
    assert "When do I get my refund" in answered.text and "%" in answered.text
    assert '<option value="en" selected>' in answered.text  # the language asked for, kept
    detected = client.get(f"{EDITOR}/try", params={"q": "where is my refund"})
    assert ' selected>' not in detected.text.split('id="try-language"')[1].split("</select>")[0]
    person = client.get(f"{EDITOR}/try", params={
        "q": "I WANT A MANAGER NOW, this is a disgrace, I will call my lawyer",
        "channel": "email"})
    assert person.status_code == 200 and "handoff" in person.text
    assert services.store.list_escalations() == []
    assert len(services.events.page(EventFilter())) == before
    assert client.get(f"{EDITOR}/try", params={"q": "x" * 9000}).status_code == 422


def test_try_it_shows_a_stale_translation_answered_from_its_source(
        services: Services, client: TestClient, token: str) -> None:
    make_da_stale(services)
    page = client.get(f"{EDITOR}/try", params={"q": "hvor er mine penge", "language": "da"})
    assert "The Dansk version is stale: answered from the English version." in page.text


# -- escaping -----------------------------------------------------------------------------------
@pytest.mark.parametrize("payload", [SCRIPT, BREAKOUT])
def test_payloads_in_every_field_are_escaped_on_every_editor_page(
        services: Services, client: TestClient, token: str, payload: str) -> None:
    evil = {"slug": "evil", "language": "en", "title": f"Title {payload}",
            "short_answer": f"Answer {payload} calm down", "options": [f"Option {payload}"],
            "agreement": f"Agreement {payload}", "timeframe": f"Time {payload}",
            "body": f"Body {payload}", "category": f"cat {payload}", "tags": [f"tag {payload}"],
            "visibility": "public"}
    article = services.kb.create_article(evil, [f"Question {payload}"], edited_by=payload)
    services.kb.update_article(article.id, {**evil, "title": f"New {payload}"},
                               edited_by=payload)
    da = services.kb.create_article({**evil, "language": "da"}, [], edited_by=payload)
    pages = [f"{EDITOR}/", f"{EDITOR}/?category=cat {payload}",
             f"{EDITOR}/articles/{article.id}", f"{EDITOR}/articles/{article.id}/versions",
             f"{EDITOR}/articles/{da.id}/versions", f"{EDITOR}/articles/{article.id}/revisions",
             f"{EDITOR}/articles/{article.id}/revisions?a=1&b=2",
             f"{EDITOR}/articles/new?source={article.id}&language=de"]
    pages += [f"{EDITOR}/articles/{article.id}/preview?language={code}"
              for code in SUPPORTED_LANGUAGES]
    responses = [client.get(url) for url in pages]
    responses.append(client.get(f"{EDITOR}/try", params={"q": f"Question {payload}"}))
    responses.append(client.get(f"{EDITOR}/try", params={"q": f"Title {payload}",
                                                         "channel": "email"}))
    responses.append(client.post(f"{EDITOR}/preview", data=form(
        {**evil, "options": evil["options"]}, token, tags=f"tag {payload}",
        article_id=str(article.id))))
    responses.append(client.post(f"{EDITOR}/articles/new", data=form(
        {**evil, "slug": "Bad Slug"}, token, action="draft")))
    for response in responses:
        assert response.status_code in (200, 422), response.url
        html = response.text
        assert payload not in html, response.url
        assert "<script>alert" not in html and "<img" not in html, response.url
    assert "Question &lt;script&gt;" in responses[2].text or "&#34;&gt;&lt;img" in \
        responses[2].text


# -- wording ------------------------------------------------------------------------------------
def test_every_editor_word_is_there_in_all_five_languages() -> None:
    english = {k for k in STAFF_WORDS["en"] if k.startswith("e_")}
    for code in SUPPORTED_LANGUAGES:
        assert {k for k in STAFF_WORDS[code] if k.startswith("e_")} == english, code
        assert all(STAFF_WORDS[code][k].strip() for k in english)
    templates = Path(__file__).resolve().parents[1] / "templates" / "web" / "staff" / "editor"
    used = set()
    for path in templates.glob("*.html.j2"):
        used |= set(re.findall(r"\bw\.(e_\w+)", path.read_text(encoding="utf-8")))
    composed = {f"e_{prefix}_{value}" for prefix, values in (
        ("done", DONE), ("kind", [k.value for k in ReplyKind]),
        ("severity", ["error", "warning"]), ("status", [v.value for v in Status]),
        ("source", ["editor", "escalation", "import"]), ("channel", SUPPORTED_CHANNELS),
        ("tab", ["edit", "versions", "preview", "revisions"]),
        ("visibility", ["public", "internal"])) for value in values}
    composed |= {f"e_{name}" for name in DIFF_FIELDS}  # the diff's and the linter's labels
    assert (used | composed) - english == set()
