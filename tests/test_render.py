"""Channel templates: every channel x language x kind x mood renders the four steps, lint-clean."""

from __future__ import annotations

import dataclasses
import html as html_module
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from responder.config import SUPPORTED_LANGUAGES
from responder.errors import InvalidInput, TemplateProblem
from responder.kb.markdown import parse_file
from responder.lint import lint_text
from responder.models import (
    ArticleView,
    Contact,
    HandoffView,
    Mood,
    RenderedReply,
    ReplyContext,
    ReplyKind,
)
from responder.render import SUPPORTED_CHANNELS, Renderer

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = ROOT / "templates"
DEMO_ARTICLE = ROOT / "kb" / "demo" / "card-swallowed"
DUE = datetime(2030, 1, 8, 14, 30, tzinfo=ZoneInfo("Europe/Copenhagen"))
PARTS = {"helppage": ("html", "txt"), "email": ("subject", "html", "txt"), "chat": ("txt",)}

GREETING = {"en": "Hi Anna,", "da": "Hej Anna", "nb": "Hei Anna", "de": "Hallo Anna,",
            "ru": "Здравствуйте, Анна!"}
NEUTRAL_GREETING = {"en": "Hello,", "da": "Hej", "nb": "Hei,", "de": "Guten Tag,",
                    "ru": "Здравствуйте!"}
CUSTOMER = {"en": "Anna", "da": "Anna", "nb": "Anna", "de": "Anna", "ru": "Анна"}
ANYTHING_ELSE = {"en": "anything else", "da": "Er der andet", "nb": "noe annet",
                 "de": "sonst noch etwas", "ru": "чем-нибудь ещё"}
BOUNDARY = {"en": "respectful", "da": "respektfuld", "nb": "respektfull", "de": "respektvoll",
            "ru": "уважительно"}
SUPERVISOR = {"en": "supervisor", "da": "teamleder", "nb": "teamleder", "de": "Teamleitung",
              "ru": "руководителю"}
FINNISH = {"en": "Finnish", "da": "finsk", "nb": "finsk", "de": "Finnisch", "ru": "финский"}
SLA_4_HOURS = {"en": "4 hours", "da": "4 timer", "nb": "4 timer", "de": "4 Stunden",
               "ru": "4 часа"}
DUE_TIME = {"en": "14:30", "da": "14.30", "nb": "14:30", "de": "14:30", "ru": "14:30"}
GREETING_WORDS = ("Hi ", "Hello", "Hej", "Hei", "Hallo", "Guten Tag", "Здравствуйте")


def demo_view(language: str) -> ArticleView:
    content = parse_file(DEMO_ARTICLE / f"{language}.md").content
    return ArticleView(content.slug, content.title, content.short_answer, content.options,
                       content.agreement, content.timeframe, f"https://help.example/{content.slug}")


def handoff(hierarchical: bool) -> HandoffView:
    return HandoffView("#42", "Kort og betaling", DUE, timedelta(hours=4), hierarchical)


@pytest.fixture(scope="module")
def renderer() -> Renderer:
    return Renderer(TEMPLATES)


def html_text(html: str) -> str:
    """What a reader sees of the HTML body: tags and the <head> removed, entities decoded."""
    body = re.sub(r"<head>.*?</head>", " ", html, flags=re.DOTALL)
    return html_module.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)))


def outputs(reply: RenderedReply) -> list[str]:
    return [part for part in (reply.text, reply.subject, reply.html) if part is not None]


def variants(channel: str, language: str, kind: ReplyKind, mood: Mood) -> list[ReplyContext]:
    full = demo_view(language)
    bare = dataclasses.replace(full, options=(), agreement="", timeframe="")
    # Abuse always goes to a supervisor (hierarchical handoff).
    hierarchical = mood is Mood.ABUSIVE
    return [
        ReplyContext(channel, language, kind, mood, CUSTOMER[language], full,
                     handoff(hierarchical)),
        ReplyContext(channel, language, kind, mood, "",
                     None if kind is ReplyKind.HANDOFF else bare, handoff(hierarchical),
                     unsupported_language="fi"),
    ]


COMBINATIONS = [
    (channel, language, kind, mood)
    for channel in SUPPORTED_CHANNELS for language in SUPPORTED_LANGUAGES
    for kind in ReplyKind for mood in Mood
]


@pytest.mark.parametrize(("channel", "language", "kind", "mood"), COMBINATIONS)
def test_every_template_renders_the_steps_lint_clean(
    renderer: Renderer, channel: str, language: str, kind: ReplyKind, mood: Mood
) -> None:
    for ctx in variants(channel, language, kind, mood):
        reply = renderer.render(ctx)
        assert (reply.channel, reply.language) == (channel, language)
        assert [p for p in PARTS[channel] if getattr(reply, _field(p)) is None] == []
        assert all(part.strip() for part in outputs(reply))
        for text in (reply.text, html_text(reply.html or ""), reply.subject or ""):
            findings = lint_text(text, language)
            assert findings == [], (ctx, [(f.rule, f.phrase) for f in findings])
        _check_steps(ctx, reply.text)
        if reply.html is not None:
            _check_steps(ctx, html_text(reply.html))


def _field(part: str) -> str:
    return {"txt": "text"}.get(part, part)


def _check_steps(ctx: ReplyContext, text: str) -> None:
    lang = ctx.language
    if ctx.kind is ReplyKind.HANDOFF:
        assert ctx.handoff is not None
        assert "#42" in text and ctx.handoff.team in text and DUE_TIME[lang] in text
        if ctx.handoff.hierarchical:
            assert SUPERVISOR[lang] in text
    else:
        assert ctx.article is not None
        if ctx.channel == "helppage" or not ctx.article.options:
            assert ctx.article.short_answer in text
        assert all(option in text for option in ctx.article.options)
        if ctx.channel != "helppage":
            assert ctx.article.agreement in text and ctx.article.timeframe in text
        if ctx.kind is ReplyKind.ANSWER_OFFER_HUMAN:
            assert ctx.contact.phone in text
    if ctx.mood is Mood.ABUSIVE:
        assert BOUNDARY[lang] in text
    if ctx.unsupported_language:
        assert FINNISH[lang] in text
    if ctx.channel == "helppage":
        assert not text.lstrip().startswith(GREETING_WORDS)
        assert CUSTOMER[lang] not in text
        if ctx.kind is ReplyKind.ANSWER:
            assert ctx.contact.phone not in text
        return
    assert ANYTHING_ELSE[lang] in text and ctx.contact.email in text
    if ctx.channel == "email":
        greeting = GREETING[lang] if ctx.customer_name else NEUTRAL_GREETING[lang]
        assert text.lstrip().startswith(greeting)
        assert ctx.contact.signature in text and ctx.contact.help_url in text
        assert ctx.contact.phone in text and ctx.contact.hours in text
        if ctx.kind is ReplyKind.HANDOFF:
            assert SLA_4_HOURS[lang] in text


def test_calm_and_upset_acknowledge_differently(renderer: Renderer) -> None:
    article = demo_view("en")
    calm, upset = (renderer.render(ReplyContext("email", "en", ReplyKind.ANSWER, mood, "Anna",
                                                article)).text for mood in (Mood.CALM, Mood.UPSET))
    assert f"Thank you for contacting us about “{article.title}”" in calm
    assert "I'm really sorry about this" in upset and "frustrating" in upset
    assert "sorry" not in calm


def test_html_escapes_every_field(renderer: Renderer) -> None:
    evil = "<script>alert(1)</script>"
    article = ArticleView("x", f"Title {evil}", f"Answer {evil}", (f"Option {evil}",),
                          f"Agreement {evil}", "2 days")
    team_handoff = dataclasses.replace(handoff(True), team=f"Team {evil}")
    for channel, kind in (("email", ReplyKind.ANSWER_OFFER_HUMAN), ("helppage", ReplyKind.ANSWER),
                          ("email", ReplyKind.HANDOFF), ("helppage", ReplyKind.HANDOFF)):
        for language in SUPPORTED_LANGUAGES:
            ctx = ReplyContext(channel, language, kind, Mood.UPSET, f"Anna {evil}", article,
                               team_handoff)
            html = renderer.render(ctx).html
            assert html is not None
            assert "<script>" not in html and "&lt;script&gt;" in html


def test_plain_text_and_subject_are_not_escaped(renderer: Renderer) -> None:
    article = dataclasses.replace(demo_view("en"), title="Fish & chips <3")
    reply = renderer.render(ReplyContext("email", "en", ReplyKind.ANSWER, Mood.CALM, "O'Brien",
                                         article))
    assert reply.subject == "About your question: Fish & chips <3"
    assert "Hi O'Brien," in reply.text and "Fish & chips <3" in reply.text


def test_subject_is_one_line(renderer: Renderer) -> None:
    article = dataclasses.replace(demo_view("de"), title="Zeile eins\nZeile zwei")
    reply = renderer.render(ReplyContext("email", "de", ReplyKind.ANSWER, Mood.CALM, "", article))
    assert reply.subject == "Ihre Anfrage: Zeile eins Zeile zwei"


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
def test_due_time_and_sla_in_the_language(renderer: Renderer, language: str) -> None:
    ctx = ReplyContext("email", language, ReplyKind.HANDOFF, Mood.CALM, "",
                       handoff=dataclasses.replace(handoff(False), sla=timedelta(hours=48)))
    text = renderer.render(ctx).text
    two_days = {"en": "2 days", "da": "2 dage", "nb": "2 døgn", "de": "2 Tage", "ru": "2 дня"}
    month = {"en": "January", "da": "januar", "nb": "januar", "de": "Januar", "ru": "января"}
    assert two_days[language] in text and month[language] in text
    assert DUE_TIME[language] in text


def test_utc_due_time_says_utc(renderer: Renderer) -> None:
    utc = dataclasses.replace(handoff(False), due=datetime(2030, 1, 8, 13, 30, tzinfo=UTC))
    text = renderer.render(ReplyContext("chat", "da", ReplyKind.HANDOFF, handoff=utc)).text
    assert "kl. 13.30 UTC" in text


def test_russian_sla_says_hours(renderer: Renderer) -> None:
    ctx = ReplyContext("email", "ru", ReplyKind.HANDOFF, Mood.UPSET, "Анна", handoff=handoff(False))
    assert "4 часа" in renderer.render(ctx).text


def test_contact_channels_come_from_the_context(renderer: Renderer) -> None:
    contact = Contact(phone="+47 22 00 00 00", hours="08-16", email="hjelp@nordlys.example",
                      help_url="https://hjelp.nordlys.example", signature="Nordlys Kundeservice")
    ctx = ReplyContext("email", "nb", ReplyKind.ANSWER, Mood.CALM, "Kari", demo_view("nb"),
                       contact=contact)
    text = renderer.render(ctx).text
    assert all(value in text for value in ("+47 22 00 00 00", "08-16", "hjelp@nordlys.example",
                                           "https://hjelp.nordlys.example", "Nordlys Kundeservice"))


def test_every_channel_and_language_has_its_own_files() -> None:
    for channel, parts in PARTS.items():
        for language in SUPPORTED_LANGUAGES:
            for part in parts:
                assert (TEMPLATES / channel / f"{language}.{part}.j2").is_file()


def test_check_passes_on_the_builtins(renderer: Renderer) -> None:
    renderer.check()


# -- overrides and template errors --------------------------------------------------------------
def test_override_wins_for_one_file(tmp_path: Path) -> None:
    (tmp_path / "chat").mkdir()
    (tmp_path / "chat" / "da.txt.j2").write_text(
        '{% extends "_layouts/chat.txt.j2" %}{% block anything_else %}Ring endelig til os.'
        "{% endblock %}", encoding="utf-8")
    renderer = Renderer(TEMPLATES, tmp_path)
    danish = renderer.render(ReplyContext("chat", "da", ReplyKind.ANSWER, article=demo_view("da")))
    english = renderer.render(ReplyContext("chat", "en", ReplyKind.ANSWER, article=demo_view("en")))
    assert danish.text.endswith("Ring endelig til os.")
    assert demo_view("da").options[0] in danish.text
    assert english.text.endswith(Contact().help_url + ".")
    renderer.check()


def test_wording_override_serves_html_escaped_and_text(tmp_path: Path) -> None:
    wording = (TEMPLATES / "_wording" / "nb.j2").read_text(encoding="utf-8")
    (tmp_path / "_wording").mkdir()
    (tmp_path / "_wording" / "nb.j2").write_text(
        wording.replace("Vennlig hilsen", "Beste hilsen {{ customer_name }}"), encoding="utf-8")
    reply = Renderer(TEMPLATES, tmp_path).render(
        ReplyContext("email", "nb", ReplyKind.ANSWER, Mood.CALM, "<b>Kari</b>", demo_view("nb")))
    assert "Beste hilsen <b>Kari</b>" in reply.text
    assert reply.html is not None and "Beste hilsen &lt;b&gt;Kari&lt;/b&gt;" in reply.html


def test_missing_override_folder_fails_fast(tmp_path: Path) -> None:
    with pytest.raises(TemplateProblem, match="do not exist"):
        Renderer(TEMPLATES, tmp_path / "typo")


def test_undefined_variable_names_template_and_variable(tmp_path: Path) -> None:
    (tmp_path / "email").mkdir()
    (tmp_path / "email" / "de.txt.j2").write_text(
        '{% extends "_layouts/email.txt.j2" %}\n{% block signoff %}{{ kundennummer }}'
        "{% endblock %}", encoding="utf-8")
    renderer = Renderer(TEMPLATES, tmp_path)
    ctx = ReplyContext("email", "de", ReplyKind.ANSWER, article=demo_view("de"))
    with pytest.raises(TemplateProblem) as caught:
        renderer.render(ctx)
    assert "email/de.txt.j2" in caught.value.message and "kundennummer" in caught.value.message
    assert caught.value.status_code == 422 and caught.value.code == "template_error"
    with pytest.raises(TemplateProblem, match="kundennummer"):
        renderer.check()


def test_undefined_attribute_in_wording_is_reported(tmp_path: Path) -> None:
    (tmp_path / "_wording").mkdir()
    (tmp_path / "_wording" / "ru.j2").write_text(
        (TEMPLATES / "_wording" / "ru.j2").read_text(encoding="utf-8").replace(
            "С уважением,", "{{ contact.fax }}"),
        encoding="utf-8")
    with pytest.raises(TemplateProblem, match=r"_wording/ru\.j2.*fax"):
        Renderer(TEMPLATES, tmp_path).check()


def test_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "helppage").mkdir()
    (tmp_path / "helppage" / "en.html.j2").write_text(
        '{% extends "_layouts/helppage.html.j2" %}\n{% block steps %}{% if %}{% endblock %}',
        encoding="utf-8")
    with pytest.raises(TemplateProblem, match=r"helppage/en\.html\.j2 \(override, line 2\)"):
        Renderer(TEMPLATES, tmp_path).check()


# -- invalid input ------------------------------------------------------------------------------
def test_unknown_channel(renderer: Renderer) -> None:
    with pytest.raises(InvalidInput) as caught:
        renderer.render(ReplyContext("fax", "en", ReplyKind.ANSWER, article=demo_view("en")))
    assert caught.value.field == "channel"
    assert caught.value.message == (
        "Unsupported channel 'fax'; expected one of ['chat', 'email', 'helppage']")


def test_unknown_language(renderer: Renderer) -> None:
    with pytest.raises(InvalidInput) as caught:
        renderer.render(ReplyContext("email", "fi", ReplyKind.ANSWER, article=demo_view("en")))
    assert caught.value.field == "language" and "'fi'" in caught.value.message


def test_answer_without_article(renderer: Renderer) -> None:
    with pytest.raises(InvalidInput) as caught:
        renderer.render(ReplyContext("chat", "en", ReplyKind.ANSWER_OFFER_HUMAN))
    assert caught.value.field == "article"


def test_handoff_without_handoff(renderer: Renderer) -> None:
    with pytest.raises(InvalidInput) as caught:
        renderer.render(ReplyContext("chat", "en", ReplyKind.HANDOFF, article=demo_view("en")))
    assert caught.value.field == "handoff"


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
@pytest.mark.parametrize("channel", SUPPORTED_CHANNELS)
def test_a_middling_answer_names_the_runner_up_too(renderer: Renderer, channel: str,
                                                   language: str) -> None:
    other = ArticleView("gift-card", "Gift <cards>", "Check the balance online.")
    ctx = ReplyContext(channel, language, ReplyKind.ANSWER_OFFER_HUMAN, Mood.CALM, "Anna",
                       demo_view(language), runner_up=other)
    reply = renderer.render(ctx)
    assert "Gift <cards>" in reply.text and "Check the balance online." in reply.text
    if reply.html is not None:
        assert "Gift &lt;cards&gt;" in reply.html
    sure = renderer.render(dataclasses.replace(ctx, kind=ReplyKind.ANSWER))
    assert "Gift <cards>" not in sure.text  # a confident answer names one article
