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
        broken missing received any back"""),
    "de": _listed("""
        danke bitte nicht kein keine keinen wo wie ist mein meine meinen ich und geht gibt noch
        schon rechnung geld karte bestellung lieferung zahlung erstattung
        rückerstattung ruckerstattung sendung warum wann hilfe gutschein falsch falsche
        nichts immer jetzt heute gestern"""),
}
_WORD = re.compile(r"[^\W\d_]+")


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
