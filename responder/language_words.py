"""Short messages: everyday words that only one of the supported Latin-script languages
writes ("danke", "bitte", "thanks", "please"), for messages too short for statistics.

Danish and Norwegian are told apart by responder.language_nordic; a word here must not be
a word of Danish, Norwegian or Swedish too ("hallo", "kaputt", "paket", "is" are left out).
"""

from __future__ import annotations

import re

from responder.language_nordic import markers


def _listed(words: str) -> frozenset[str]:
    return frozenset(words.split())


WORDS = {
    # function and courtesy words, not the loanwords Danes, Norwegians and Germans use too
    # ("refund", "tracking", "update", "sorry", "hi")
    "en": _listed("""
        thanks thank thx please pls where my not the yes why when what how still wrong
        broken missing received any back hello you your have has did does this that there
        need want help order parcel package payment money charged delivered arrived cancel
        cant dont didnt got"""),
    "de": _listed("""
        danke bitte nicht kein keine keinen wo wie ist mein meine meinen ich und geht gibt noch
        schon rechnung geld karte bestellung lieferung zahlung erstattung
        rückerstattung ruckerstattung sendung warum wann hilfe gutschein falsch falsche
        nichts immer jetzt heute gestern bin sauer auch aber oder wir euch uns mir mich dich
        dir haben habe hab bist sind wird wurde kann können konnte muss soll möchte mochte
        moechte würde nein doch mal nur sehr von vom zum zur bei nach über uber ueber für fur
        fuer auf aus zu wer wieso weshalb welche welcher bestellt paket lieferung geliefert
        rücksendung rucksendung retoure passwort anmelden bezahlt überweisung abgebucht
        storniert stornieren kündigen gekündigt abo woche tage tagen seit endlich leider
        eigentlich trotzdem funktioniert klappt servus moin grüezi tschüss tschuss dank
        vielen gruß grüße gruss mfg bestellnr bestellnummer sendungsnummer"""),
}
# Words Danish and Norwegian share and English and German do not write ("jeg", "ikke"): a
# message with one of them and no English or German word of its own is Scandinavian, however
# the statistics lean on a few letters ("jeg vil klage" is not English).
NORDIC_SHARED = _listed("""
    jeg ikke hvor hvordan hvorfor hvem hvis eller også på får kommer kommet mangler virker
    ingen ingenting pakken pakke pakkeshop ordren ordre varen varer bestilling bestilt
    levering leveret levert kundeservice betaling betalt kortet skal har og vil det
    svar hjemme kan når faktura retur returnere kode koden appen fungerer betale kort
    gavekort leveringstid størrelse pris tilbud mvh hilsen""")
# Greetings and thanks only one of the two writes, but no other language of ours.
COURTESY = _listed("tak takk hej hei nej nei tusind tusen")
_WORD = re.compile(r"[^\W\d_]+")


def nordic_words(text: str) -> bool:
    """Whether `text` uses a word Danish and Norwegian share, or one only one of them writes
    (greetings and thanks: "tak", "takk", "hej"), and no English or German word."""
    words = set(_WORD.findall(text.lower()))
    nordic = words & (NORDIC_SHARED | COURTESY)
    return bool(nordic) and not any(words & WORDS[lang] for lang in WORDS)


def word_language(text: str) -> str | None:
    """The one language whose own words the text uses, if exactly one."""
    words = _WORD.findall(text.lower())
    found = {lang for lang, listed in WORDS.items() if any(w in listed for w in words)}
    danish, norwegian = markers(text)
    if danish > norwegian:
        found.add("da")
    elif norwegian > danish:
        found.add("nb")
    return found.pop() if len(found) == 1 else None
