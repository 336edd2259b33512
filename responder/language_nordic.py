"""Danish or Norwegian bokmål: words that only one of the two spells that way.

Statistical detectors confuse the two on short messages, as most of their letter sequences
are shared. These lists come from the two standard spellings (function words, pronouns,
common verbs and a few shop words), not from the benchmark's messages: a word is listed only
when the other language writes the same meaning differently ("hvad"/"hva", "tak"/"takk",
"af"/"av"). Customers often type without æ/ø/å, so those forms are listed too where they stay
unambiguous.
"""

from __future__ import annotations

import re


def _listed(words: str) -> frozenset[str]:
    return frozenset(words.split())


DANISH = _listed("""
hvad hvornår hvornar noget nogen nogle meget mig dig sig af efter nu tak tusind jer jeres
endnu fik gik blev bliver blive fået faet modtaget modtog modtager
købt kobt købe kobe køb kob købte kobte hjælp hjaelp hjælpe hjaelpe tilbage sige siger
give giver tage tager bruge bruger brugt brugte ud op sker gør gor gøre gore
fejl fejler fejlede spærret spaerret hej nej mere adgangskode adgangskoden moms afsender
venligst sådan sadan lige gerne fortryde annulleret annullere refundering refunderingen
afvist afventer igennem hverdage dage gange uge uger penge fragt nyt rigtig rigtigt forkert
spørgsmål beløb beløbet mit dit vores ændre ændret aendre sidste næste naeste igen altid
aldrig fandt finde finder lidt måske maske hjemmeside forstår ind
""")

NORWEGIAN = _listed("""
hva noe noen mye meg deg seg av etter nå takk tusen dere ennå enda fortsatt
fikk gikk ble blir bli blitt fått fatt mottatt mottok mottar kjøpt kjopt kjøpe kjope kjøp
kjop kjøpte kjopte hjelp hjelpe tilbake sier gi gir bruke bruker brukt brukte ut opp skjer
gjør gjor gjøre gjore feil feilet sperret hei nei mer passord passordet mva avsender
vennligst slik sånn gjerne kansellert kansellere refusjon refusjonen avvist gjennom
virkedager dager ganger uke uker penger frakt nytt riktig riktige spørsmål beløp beløpet
mitt ditt vår våre endre endret siste neste igjen alltid aldri fant finne finner litt
kanskje nettside nettsiden nettbrett veldig skjønner epost eposten lommebok lommeboka
hentested hentestedet ikkje kva inn
""")

# Word parts: Danish æ where Norwegian writes e, and Danish -tion for Norwegian -sjon.
DANISH_PARTS = ("bekræft", "bekraeft", "tion")
NORWEGIAN_PARTS = ("bekreft", "sjon")

_WORD = re.compile(r"[^\W\d_]+")
# Norwegian puts the possessive after a definite noun ("pakken min"); Danish never does.
_POSSESSIVE_AFTER = re.compile(
    r"\b[^\W\d_]+(?:en|et|a|ene|ne)\s+(?:min|mitt|mine|din|ditt|dine|vår|vårt|våre)\b")


def markers(text: str) -> tuple[int, int]:
    """(Danish marker words, Norwegian marker words) in `text`."""
    lower = text.lower()
    words = _WORD.findall(lower)
    danish = sum(w in DANISH or any(p in w for p in DANISH_PARTS) for w in words)
    norwegian = (sum(w in NORWEGIAN or any(p in w for p in NORWEGIAN_PARTS) for w in words)
                 + len(_POSSESSIVE_AFTER.findall(lower)))
    return danish, norwegian
