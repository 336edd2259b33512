"""The grown tone lexicons: inflected and compound insults, aimed vs described, calm look-alikes,
and the shouting rules that leave excitement and product names alone."""

from __future__ import annotations

import pytest

from responder.models import CueKind, ToneLevel
from responder.tone import detect_tone

INSULTS = [
    # the German examples
    ("de", "Ihr seid doch strunzdumm!"),
    ("de", "Ihr habt doch alle einen an der Waffel"),
    ("de", "Was für ein Pack, ihr Pack!"),
    ("de", "Ihr Schweine habt mein Geld behalten"),
    ("de", "Euer doofer Kundenservice antwortet nie"),
    ("de", "So ein Scheißladen"),
    ("de", "Ihr Arschlöcher"),
    ("de", "Was für eine Lügenbande"),
    # Danish and Norwegian definite and plural forms
    ("da", "idioterne i jeres kundeservice har mistet min pakke"),
    ("da", "klovnen i telefonen lagde bare på"),
    ("da", "Sikke nogle tabere"),
    ("nb", "idiotene hos dere har mistet pakken min"),
    ("nb", "klovnene på kundeservice svarer aldri"),
    ("nb", "Dere er noen tosker"),
    # Russian cases and obscene roots
    ("ru", "Вы козлы, верните деньги"),
    ("ru", "Идиотам из поддержки привет"),
    ("ru", "Разговаривать с такими мразями бесполезно"),
    ("ru", "Ваша тупая поддержка опять молчит"),
    ("ru", "Мне похуй на ваши правила"),
    ("ru", "Идите на хрен со своим сервисом"),
    # English aimed at the reader
    ("en", "you idiots lost my parcel"),
    ("en", "Your stupid app ate my money"),
    ("en", "kiss my ass"),
    ("en", "your service is absolute shit"),
]

CALM = [
    ("en", "This is a stupid mistake on the invoice, can you fix it?"),
    ("en", "I feel like such a fool, I ordered the wrong size"),
    ("en", "Do you sell dumbbells?"),
    ("en", "My sister is a journalist, can she pick up my parcel for me?"),
    ("en", "I need my statements for my divorce lawyer"),
    ("en", "There is dust on the screen of the new monitor"),
    ("de", "Das Update ist doof gelaufen, die App startet nicht. Was kann ich tun?"),
    ("de", "Schwein gehabt, das Paket ist doch angekommen."),
    ("de", "Ich hätte gern das 6er-Pack Batterien"),
    ("de", "Mein Mann ist Journalist und braucht eine Rechnung."),
    ("de", "Ich brauche einen Anwalt für meine Scheidung, können Sie mir die Auszüge schicken?"),
    ("de", "Wie schicke ich etwas zurück?"),
    ("da", "Jeg har købt et klovnekostume, kan jeg bytte det?"),
    ("da", "Pakken var svinet til, da den kom"),
    ("da", "Min søster er journalist, kan hun hente pakken?"),
    ("da", "hvordan starter jeg mit medlemskab igen før pausen er slut"),
    ("nb", "hodetelefonene mine har sluttet å virke"),
    ("nb", "Jeg trenger kontoutskrift til skilsmisseadvokaten min"),
    ("ru", "Мой муж журналист, можно ему забрать заказ?"),
    ("ru", "Шашлык из барана в наборе есть?"),
    ("ru", "Есть ли свинья-копилка в наличии?"),
    ("en", "Does this collar protect against parasites?"),
    ("en", "What is the best cleaner for soap scum?"),
    ("en", "Is the Muppets DVD in stock?"),
    ("da", "Min søn vil gerne være klovn til fastelavn, har I kostumer?"),
    ("nb", "Datteren min skal være klovn på karneval"),
    ("de", "Der Pfosten, an dem das Bett hängt, ist gebrochen."),
]


@pytest.mark.parametrize(("language", "text"), INSULTS)
def test_insults_in_their_inflected_and_compound_forms(language: str, text: str) -> None:
    tone = detect_tone(text, language)
    assert tone.has(CueKind.INSULT) and tone.level is ToneLevel.HOSTILE, tone


@pytest.mark.parametrize(("language", "text"), CALM)
def test_calm_look_alikes_are_no_insult(language: str, text: str) -> None:
    tone = detect_tone(text, language)
    assert not tone.has(CueKind.INSULT) and tone.level is not ToneLevel.HOSTILE, tone


@pytest.mark.parametrize(("language", "text"), [
    ("en", "Thank you SO much!!!"),
    ("en", "Wow!! The parcel came a day early, thanks!!"),
    ("en", "I LOVE this shop!! 😍"),
    ("en", "Can I return the NORDLYS AIR 2 headphones?"),
    ("en", "Is the X200 PRO in stock?"),
    ("en", 'My code "SUMMERSALE" does not work'),
    ("da", "rabatkoden SOMMER virker ikke når jeg skal betale"),
    ("de", "der gutscheincode SOMMER geht an der kasse nicht"),
    ("ru", "промокод SUMMER не принимается при оплате"),
    ("en", "@NORDLYS hello, where do I find my invoice?"),
    ("de", "Wow!! Schon da, danke!"),
])
def test_excitement_and_names_in_capitals_are_not_shouting(language: str, text: str) -> None:
    tone = detect_tone(text, language)
    assert not tone.has(CueKind.SHOUTING) and tone.level is ToneLevel.CALM, tone


@pytest.mark.parametrize(("language", "text"), [
    ("en", "I did NOT order this"),
    ("en", "WHERE IS MY PARCEL"),
    ("de", "Ich habe das NICHT bestellt!!"),
    ("en", "the code you sent is WRONG AGAIN"),
])
def test_shouting_still_counts(language: str, text: str) -> None:
    assert detect_tone(text, language).has(CueKind.SHOUTING)
