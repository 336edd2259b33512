"""Phrase linter: the phrases DOMAIN.md says to avoid, in every supported language."""

from __future__ import annotations

from pathlib import Path

import pytest

from responder.config import SUPPORTED_LANGUAGES
from responder.errors import InvalidInput
from responder.kb.markdown import parse_folder
from responder.lint import Finding, lint_article, lint_text
from responder.models import ArticleContent

DEMO_KB = Path(__file__).resolve().parents[1] / "kb" / "demo"

# (language, text, rule): each text must give an error of that rule.
ERRORS = [
    # English
    ("en", "Calm down, please.", "calm-down"),
    ("en", "You need to calm yourself down first.", "calm-down"),
    ("en", "Once you've calmed down we can talk.", "calm-down"),
    ("en", "There's no need to get upset.", "calm-down"),
    ("en", "That's not our policy.", "not-our-policy"),
    ("en", "That is not our policy, sir.", "not-our-policy"),
    ("en", "It isn't company policy.", "not-our-policy"),
    ("en", "Refunds like that are against our policy.", "not-our-policy"),
    ("en", "I can't do anything about it.", "cant-do-anything"),
    ("en", "I cannot do anything.", "cant-do-anything"),
    ("en", "I can not do anything for you.", "cant-do-anything"),
    ("en", "I can’t do anything.", "cant-do-anything"),
    ("en", "We are unable to help you with that.", "cant-do-anything"),
    ("en", "There's nothing I can do.", "cant-do-anything"),
    ("en", "It's out of my hands.", "cant-do-anything"),
    ("en", "You misunderstood.", "you-misunderstood"),
    ("en", "You've misunderstood the offer.", "you-misunderstood"),
    ("en", "You have misunderstood.", "you-misunderstood"),
    ("en", "You got it wrong.", "you-misunderstood"),
    ("en", "That's just how it is.", "just-how-it-is"),
    ("en", "That's the way it is.", "just-how-it-is"),
    ("en", "It is what it is.", "just-how-it-is"),
    ("en", "It's simply how things work.", "just-how-it-is"),
    ("en", "I'm busy right now.", "busy-now"),
    ("en", "I am very busy at the moment.", "busy-now"),
    ("en", "We're really busy today.", "busy-now"),
    ("en", "I don't have time for this.", "busy-now"),
    # Danish
    ("da", "Fald nu ned.", "calm-down"),
    ("da", "Fald ned, tak.", "calm-down"),
    ("da", "Slap af, det ordner sig.", "calm-down"),
    ("da", "Tag det roligt.", "calm-down"),
    ("da", "Du skal lige falde ned.", "calm-down"),
    ("da", "Det er ikke vores politik.", "not-our-policy"),
    ("da", "Det er imod vores regler.", "not-our-policy"),
    ("da", "Det strider mod vores politik.", "not-our-policy"),
    ("da", "Jeg kan ikke gøre noget.", "cant-do-anything"),
    ("da", "Vi kan desværre ikke gøre noget ved det.", "cant-do-anything"),
    ("da", "Der er ikke noget, jeg kan gøre.", "cant-do-anything"),
    ("da", "Der er ikke noget jeg kan gøre.", "cant-do-anything"),
    ("da", "Du har misforstået.", "you-misunderstood"),
    ("da", "Du misforstår tilbuddet.", "you-misunderstood"),
    ("da", "Du har forstået det forkert.", "you-misunderstood"),
    ("da", "Sådan er det bare.", "just-how-it-is"),
    ("da", "Det er nu engang sådan.", "just-how-it-is"),
    ("da", "Jeg har travlt lige nu.", "busy-now"),
    ("da", "Vi har meget travlt.", "busy-now"),
    # Norwegian (bokmål)
    ("nb", "Ro deg ned.", "calm-down"),
    ("nb", "Du må roe deg ned.", "calm-down"),
    ("nb", "Slapp av, dette ordner seg.", "calm-down"),
    ("nb", "Ta det med ro.", "calm-down"),
    ("nb", "Det er ikke vår policy.", "not-our-policy"),
    ("nb", "Det er mot våre retningslinjer.", "not-our-policy"),
    ("nb", "Jeg kan ikke gjøre noe.", "cant-do-anything"),
    ("nb", "Vi kan dessverre ikke gjøre noe med det.", "cant-do-anything"),
    ("nb", "Det er ingenting jeg kan gjøre.", "cant-do-anything"),
    ("nb", "Du har misforstått.", "you-misunderstood"),
    ("nb", "Du har forstått det feil.", "you-misunderstood"),
    ("nb", "Sånn er det bare.", "just-how-it-is"),
    ("nb", "Slik er det nå en gang.", "just-how-it-is"),
    ("nb", "Jeg er opptatt akkurat nå.", "busy-now"),
    ("nb", "Vi har det travelt nå.", "busy-now"),
    # German
    ("de", "Beruhigen Sie sich.", "calm-down"),
    ("de", "Beruhigen Sie sich bitte erst einmal.", "calm-down"),
    ("de", "Beruhige dich!", "calm-down"),
    ("de", "Bleiben Sie doch ruhig.", "calm-down"),
    ("de", "Regen Sie sich nicht so auf.", "calm-down"),
    ("de", "Das ist nicht unsere Richtlinie.", "not-our-policy"),
    ("de", "Das entspricht nicht unseren Richtlinien.", "not-our-policy"),
    ("de", "Das verstößt gegen unsere Richtlinien.", "not-our-policy"),
    ("de", "Ich kann nichts machen.", "cant-do-anything"),
    ("de", "Da kann ich leider nichts tun.", "cant-do-anything"),
    ("de", "Wir können da nichts ändern.", "cant-do-anything"),
    ("de", "Ich kann Ihnen leider nicht helfen.", "cant-do-anything"),
    ("de", "Sie haben das falsch verstanden.", "you-misunderstood"),
    ("de", "Sie haben mich missverstanden.", "you-misunderstood"),
    ("de", "Sie verstehen das falsch.", "you-misunderstood"),
    ("de", "Das ist nun mal so.", "just-how-it-is"),
    ("de", "So ist es halt.", "just-how-it-is"),
    ("de", "Ich bin gerade beschäftigt.", "busy-now"),
    ("de", "Ich habe gerade keine Zeit.", "busy-now"),
    # Russian
    ("ru", "Успокойтесь, пожалуйста.", "calm-down"),
    ("ru", "Вам нужно успокоиться.", "calm-down"),
    ("ru", "Не надо так нервничать.", "calm-down"),
    ("ru", "Это не наша политика.", "not-our-policy"),
    ("ru", "Это противоречит нашей политике.", "not-our-policy"),
    ("ru", "У нас так не положено.", "not-our-policy"),
    ("ru", "Я ничего не могу сделать.", "cant-do-anything"),
    ("ru", "Мы ничем не можем помочь.", "cant-do-anything"),
    ("ru", "Я не могу ничего сделать.", "cant-do-anything"),
    ("ru", "Тут ничего не поделаешь.", "cant-do-anything"),
    ("ru", "Вы неправильно поняли.", "you-misunderstood"),
    ("ru", "Вы меня неправильно поняли.", "you-misunderstood"),
    ("ru", "Вы не так поняли условия.", "you-misunderstood"),
    ("ru", "Таковы правила.", "just-how-it-is"),
    ("ru", "Такие у нас правила.", "just-how-it-is"),
    ("ru", "Я сейчас занят.", "busy-now"),
    ("ru", "У меня сейчас нет времени.", "busy-now"),
]

WARNINGS = [
    ("en", "There was a problem with your order.", "problem"),
    ("en", "Problems happen.", "problem"),
    ("en", "Unfortunately the parcel is late.", "unfortunately"),
    ("en", "We can't ship abroad.", "cannot"),
    ("en", "We cannot ship abroad.", "cannot"),
    ("da", "Der er et problem med ordren.", "problem"),
    ("da", "Problemet er løst.", "problem"),
    ("da", "Desværre er pakken forsinket.", "unfortunately"),
    ("da", "Vi kan ikke sende til udlandet.", "cannot"),
    ("nb", "Det var et problem med bestillingen.", "problem"),
    ("nb", "Dessverre er pakken forsinket.", "unfortunately"),
    ("nb", "Vi kan ikke sende til utlandet.", "cannot"),
    ("de", "Es gab ein Problem mit Ihrer Bestellung.", "problem"),
    ("de", "Leider ist das Paket verspätet.", "unfortunately"),
    ("de", "Wir können das nicht ins Ausland senden.", "cannot"),
    ("de", "Das kann nicht sein.", "cannot"),
    ("ru", "С заказом возникла проблема.", "problem"),
    ("ru", "Мы решаем проблемы быстро.", "problem"),
    ("ru", "К сожалению, посылка задерживается.", "unfortunately"),
    ("ru", "Мы не можем отправить заказ за границу.", "cannot"),
]

CLEAN = [
    ("en", "Thank you for contacting us. I understand how frustrating it is to wait for a parcel, "
           "especially when it is late. Is there anything else I can do for you?"),
    ("en", "If I understood you correctly, the parcel has not arrived. Here is what we can do."),
    ("en", "This is how it works: block the card, then order a new one."),
    ("da", "Tak, fordi du kontakter os. Jeg forstår godt, hvor frustrerende det er at vente på en "
           "pakke. Er der andet, jeg kan hjælpe dig med?"),
    ("da", "Pakken falder ned i postkassen, og du kan slappe af."),
    ("nb", "Takk for at du tok kontakt. Jeg forstår godt hvor frustrerende det er å vente. "
           "Vi er opptatt av personvernet ditt. Er det noe annet jeg kan hjelpe deg med?"),
    ("de", "Vielen Dank für Ihre Nachricht. Ich kann gut verstehen, wie ärgerlich das Warten ist. "
           "Kann ich sonst noch etwas für Sie tun?"),
    ("de", "Es ist einfach so, dass die Karte sofort gesperrt wird."),
    ("ru", "Спасибо, что обратились к нам. Понимаю, как неприятно ждать посылку. "
           "Чем ещё я могу вам помочь?"),
    ("ru", "Такие правила действуют для всех заказов. Не волнуйтесь, деньги вернутся."),
]

# Words that contain an avoided word but are not it.
INSIDE_OTHER_WORDS = [
    ("en", "The problematic unfortunatelyish scancan't canned calmdowns."),
    ("en", "Settled downstream; the recalm downtime."),
    ("da", "Problemfri levering og problemløsning."),
    ("nb", "Problemfri levering og problemløsning."),
    ("de", "Problemlösung ohne Lieferprobleme; leiderfüllt."),
    ("ru", "Проблематика и беспроблемная доставка; успокойтесьте."),
]


def kinds(findings: list[Finding]) -> set[tuple[str, str]]:
    return {(f.severity, f.rule) for f in findings}


@pytest.mark.parametrize(("language", "text", "rule"), ERRORS)
def test_every_error_phrase_is_caught(language: str, text: str, rule: str) -> None:
    assert ("error", rule) in kinds(lint_text(text, language))


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
def test_every_language_covers_every_error_rule(language: str) -> None:
    rules = {rule for lang, _, rule in ERRORS if lang == language}
    assert rules == {"calm-down", "not-our-policy", "cant-do-anything", "you-misunderstood",
                     "just-how-it-is", "busy-now"}


@pytest.mark.parametrize(("language", "text", "rule"), WARNINGS)
def test_negative_words_are_warnings(language: str, text: str, rule: str) -> None:
    findings = lint_text(text, language)
    assert kinds(findings) == {("warning", rule)}


@pytest.mark.parametrize(("language", "text"), CLEAN)
def test_empathetic_sentences_are_clean(language: str, text: str) -> None:
    assert lint_text(text, language) == []


@pytest.mark.parametrize(("language", "text"), INSIDE_OTHER_WORDS)
def test_no_hit_inside_longer_words(language: str, text: str) -> None:
    assert lint_text(text, language) == []


def test_case_insensitive_and_any_whitespace() -> None:
    assert kinds(lint_text("CALM\n  DOWN!", "en")) == {("error", "calm-down")}
    assert kinds(lint_text("УСПОКОЙТЕСЬ", "ru")) == {("error", "calm-down")}


def test_offsets_point_at_the_phrase() -> None:
    text = "Hello Anna. Unfortunately, that's just how it is."
    findings = lint_text(text, "en")
    assert [(f.severity, f.rule) for f in findings] == [
        ("warning", "unfortunately"), ("error", "just-how-it-is")]
    for finding in findings:
        assert text[finding.start:finding.end] == finding.phrase
    assert findings[1].phrase == "that's just how it is"
    assert findings[1].start == text.index("that's")


def test_every_finding_explains_and_suggests() -> None:
    for language, text, _ in ERRORS + WARNINGS:
        for finding in lint_text(text, language):
            assert finding.message and finding.suggestion and finding.field == ""
            assert lint_text(finding.suggestion.replace("…", ""), language) == []


def test_error_swallows_the_warning_inside_it() -> None:
    findings = lint_text("I can't do anything.", "en")
    assert kinds(findings) == {("error", "cant-do-anything")}
    assert kinds(lint_text("Vi kan desværre ikke gøre noget.", "da")) == {
        ("error", "cant-do-anything")}


def test_unknown_language() -> None:
    with pytest.raises(InvalidInput) as caught:
        lint_text("calm down", "fi")
    assert caught.value.field == "language"


def test_lint_article_names_the_field() -> None:
    content = ArticleContent(
        slug="x", language="en", title="Parcel problem", short_answer="It is on its way.",
        body="Please calm down.", options=("Wait.", "Track it.", "That's not our policy."),
        agreement="Unfortunately we can't refund.", timeframe="within 2 days",
    )
    found = {(f.field, f.severity, f.rule) for f in lint_article(content)}
    assert found == {
        ("title", "warning", "problem"),
        ("body", "error", "calm-down"),
        ("options[2]", "error", "not-our-policy"),
        ("agreement", "warning", "unfortunately"),
        ("agreement", "warning", "cannot"),
    }
    body_finding = next(f for f in lint_article(content) if f.field == "body")
    assert content.body[body_finding.start:body_finding.end] == "calm down"


def test_demo_articles_have_no_errors() -> None:
    articles = parse_folder(DEMO_KB)
    assert {a.content.language for a in articles} == set(SUPPORTED_LANGUAGES)
    errors = [(a.path.name, a.content.slug, f.field, f.phrase)
              for a in articles for f in lint_article(a.content) if f.severity == "error"]
    assert errors == []
