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
hvad hvornår hvornar hvornaar noget nogen nogle meget mig dig sig af efter nu tusind jer jeres
endnu fik gik blev bliver blive fået faet modtaget modtog modtager modtage
købt kobt købe kobe køb kob købte kobte hjælp hjaelp hjælpe hjaelpe tilbage sige siger
give giver tage tager bruge bruger brugt brugte ud op sker gør gor gøre gore
fejl fejler fejlede spærret spaerret hej nej mere adgangskode adgangskoden afsender
venligst venlig sådan sadan lige gerne fortryde annulleret annullere refundering
refunderingen afvist afventer igennem gennem hverdage dage gange uge uger penge fragt nyt
rigtig rigtigt forkert spørgsmål beløb beløbet mit dit vores ændre ændret aendre sidste næste
naeste igen altid aldrig fandt finde finder lidt måske maske hjemmeside ind stadig
blot nem nemt vej vejen dejlig dejligt ejer eje lejlighed tjek tjekke tjekket høj højt tøj
støj øjeblik lave lavet laver spørge spurgte kigge kigget kiggede kende kendt
desværre desvaerre undskyld hverken mellem imod uden hende os anden andet
farve farven hvid billede billedet billeder åbne åbner åbnet abne muligt ked træt vred
forsvundet overførsel ven mand rabat besked nøgle nøglen sket skete bedst bedste
sikke sikken ret skidt stadigvæk weekenden slet æske æsken æsker æskerne
vedhæfter vedhæftet vedhæfte vedhaefter vedhaeftet vedhaefte væk vaek rykkergebyr ik ikk
mobilepay mitid nemid dankort dao betalingsservice cvr
""")

NORWEGIAN = _listed("""
hva noe noen mye meg deg seg av etter nå takk tusen dere ennå enda fortsatt
fikk gikk ble blir bli blitt fått fatt mottatt mottok mottar motta kjøpt kjopt kjøpe kjope
kjøp kjop kjøpte kjopte hjelp hjelpe tilbake sier gi gir bruke bruker brukt brukte ut opp
skjer gjør gjor gjøre gjore feil feilet sperret hei nei mer passord passordet mva avsender
vennligst vennlig slik sånn gjerne kansellert kansellere refusjon refusjonen avvist gjennom
virkedager dager ganger uke uker penger frakt nytt riktig riktige spørsmål beløp beløpet
mitt ditt vår våre endre endret siste neste igjen alltid aldri fant finne finner litt
kanskje nettside nettsiden nettbrett veldig skjønner epost eposten lommebok lommeboka
hentested hentestedet ikkje kva inn greit vei veien deilig eier eie leilighet sjekk
sjekke sjekket høy høyt tøy støy øyeblikk laget spørre spurte kjenne kjent
dessverre unnskyld verken mellom imot uten henne oss annen annet trenger trengte
farge fargen hvit bilde bildet bilder åpne åpner åpnet apne å lei sint klær prøvde
funker funka funket forsvunnet poeng beskjed beskjeden nøkkel nøkkelen skjedd skjedde
dersom fremdeles helg helga helgen helgene døra uka klokka boka senga pakka
grei greie greiest greiere eske esken esker eskene vet vedlegger vedlegge
purregebyr purregebyret purring purringen purringer laderen kanseller ehf
vipps bankid avtalegiro helthjem orgnr sete setet seter setene barnesete barnesetet bilsete
bilsetet
""")

# Word parts: Danish æ where Norwegian writes e (bekræfte/bekrefte, skærm/skjerm,
# sælge/selge, tænke/tenke, hænge/henge; not mærke/merke, as German writes "bemerkt"),
# Danish k and g where Norwegian writes kj and k (køre/kjøre, søge/søke), Danish -tion and
# -sion for Norwegian -sjon, -hed-/-het- inside compounds (nyhedsbrev/nyhetsbrev), and
# compounds of tilbage/tilbake, køb/kjøp, kæmpe/kjempe and skære/skjære (tilbagebetaling,
# købsdato, skærtorsdag), Danish sæde for Norwegian sete (barnesæde/barnesete); Danish
# øj where Norwegian writes øy (tøj/tøy, legetøj/leketøy, højt/høyt), Danish ind- where
# Norwegian writes inn- (indpakning/innpakning, indstillinger/innstillinger).
DANISH_PARTS = ("bekræft", "bekraeft", "tion", "sion", "heds", "rabatkode", "tilbage", "køb",
                "skær", "sæde", "sælg", "tænk", "hæng", "kør", "søg", "kæmp", "øj", "indpak",
                "indbetal", "indstil", "indkøb", "indlever", "indtast", "bonuspoint",
                "sagsnr", "sagsnummer", "sagsbehandl", "dæksel", "verificer", "specificer",
                "identificer", "kvalificer", "åbning", "udsæt", "fortryd")
NORWEGIAN_PARTS = ("bekreft", "sjon", "hets", "rabattkode", "tilbake", "kjøp", "skjerm", "skjær",
                   "selg", "tenk", "heng", "kjør", "søk", "kjemp", "øy", "innpak", "innbetal",
                   "innstil", "innkjøp", "innlever", "inntast", "saksnr", "saksnummer",
                   "saksbehandl", "deksel", "verifiser", "spesifiser", "identifiser",
                   "kvalifiser", "åpning", "utsett", "angrerett", "handlekurv", "vinterdress")
# Endings, for words of at least 7 letters: -hed/-het (sikkerhed, mulighet), the Danish
# definite plural -erne (varerne; Norwegian varene), Danish past tense -ede (ventede;
# Norwegian ventet), past participles of -ere verbs (leveret/levert), compounds of rabat
# (studierabat/studierabatt) and of sag/sak (hastesag/hastesak, klagesag/klagesak).
DANISH_ENDINGS = ("hed", "heden", "erne", "ede", "eret", "rabat", "sag", "sagen")
NORWEGIAN_ENDINGS = ("het", "heten", "ert", "sak", "saken")
_NOT_ENDINGS = frozenset({"moderne", "interne", "eksterne", "allerede", "forberede",
                          "forkert", "ekspert", "dessert", "koncert", "konsert", "kuffert",
                          "kuvert"})
# Norwegian doubles a final consonant where Danish does not (takk/tak, opp/op, nytt/nyt,
# inn/ind); English loanwords that do it too are left out.
_DOUBLE_FINAL = re.compile(r"(?:kk|pp|tt|nn)$")
_NOT_DOUBLE = frozenset({"app", "watt", "scott"})
# Prefixes: Danish op-/af-/ud- where Norwegian writes opp-/av-/ut- (opdatere/oppdatere,
# oplysninger/opplysninger, afbestille/avbestille, afdeling/avdeling, udsolgt/utsolgt,
# udbetaling/utbetaling). Not ut- before r: "utrolig" is both languages' u-trolig.
_DANISH_PREFIX = re.compile(r"^(?:op[bcdfghjklmnrsv]|af[bcdfghjklmnprsv]|ud[bfgklmnprstv])")
_NORWEGIAN_PREFIX = re.compile(r"^(?:opp[a-zæøå]|av[bdfghjklmnprstv]|ut[bdfgklmnpsv])")
_NOT_PREFIX = frozenset({"opsjon", "opsjoner", "avis", "aviser", "avisen"})

_WORD = re.compile(r"[^\W\d_]+")
# Danish "tak" (thanks; Norwegian "takk"), but not Norwegian "få tak i" (get hold of).
_THANKS = re.compile(r"\btak\b(?!\s+i\b)")
# Danish "I" (you, plural) inside a sentence: "kan I hjælpe"; Norwegian writes "dere".
_YOU_PLURAL = re.compile(r"(?<=[^\W\d_,] )I\b")
# Norwegian puts the possessive after a definite noun ("pakken min", "TV-en min"); Danish
# never does.
_POSSESSIVE_AFTER = re.compile(
    r"\b(?:[^\W\d_]{3,}|[^\W_]+-)(?:en|et|a|ene|ne)\s+"
    r"(?:min|mitt|mine|din|ditt|dine|vår|vårt|våre|deres|sin|sitt|sine)\b")
# Danish "nå" (well, oh) opens a reply ("nå men okay", "nå, det var hurtigt"); Norwegian
# "nå" is "now", which the word list counts. Each such Danish use takes back the Norwegian
# count of its word, as does Danish "hvor er pakken henne".
_WELL = re.compile(r"\bnå(?:,?\s+men\b|\s+okay\b|\s+ok\b|,\s+det var\b)")
# Danish "hvor er pakken henne" (where is it); "henne" alone is Norwegian "her".
_WHERE_AT = re.compile(r"\bhvor\b[^.?!\n]{0,30}\bhenne\b")
# Danish grammar Norwegian does not share: "at" before an infinitive ("glemte at skrive";
# Norwegian "å skrive")...
_DANISH_GRAMMAR = re.compile(
    r"\bat (?:skrive|sende|betale|bestille|rette|ændre|hente|vente|returnere|bytte|logge|"
    r"finde|give|tage|gøre|købe|modtage|få|se|høre|spørge|vide|bruge|klage|annullere|"
    r"afbestille|afmelde|opsige|tale|snakke|ringe|fortryde|prøve|reklamere|aflevere)\b")
# ... and the plural "you" in lower case ("kan i levere"); the capital "I" is _YOU_PLURAL's.
_LOWER_YOU = re.compile(
    r"\b(?i:kan|vil|skal|må) i (?:ikke )?(?:bare )?(?i:levere|sende|hjælpe|rette|nå|ringe|give|"
    r"tjekke|finde|ændre|se|svare|refundere|lave|bytte)\b")
# The definite ending of an abbreviation: Norwegian after a hyphen ("TV-en", "PC-en"), Danish
# after an apostrophe ("tv'et", "pc'en", "sms'en").
_ABBREVIATION_NORWEGIAN = re.compile(r"\b(?:[A-ZÆØÅ0-9]{2,}|[a-zæøå]{2,4})-(?:en|et|ene)\b")
_ABBREVIATION_DANISH = re.compile(r"\b[^\W_]{2,}['’](?:en|et|erne|ene)\b")
# Norwegian "e-post" (Danish "e-mail") and "org.nr" (Danish "CVR"), Danish "e-Boks" (the
# public digital mailbox; Norway's is Digipost), each split in two by the word pattern.
_EMAIL = re.compile(r"\be-post|\borg\.\s?nr\b")
_DANISH_MAILBOX = re.compile(r"\be-boks\b")
# Danish switches off with "fra" ("slå det fra"), Norwegian with "av"; and Danish asks "when"
# with "hvornår", so a question opening with "når" is Norwegian ("når kommer pakken").
_SWITCH_OFF = re.compile(r"\bslå\s+(?:\w+\s+)?fra\b")
_WHEN_QUESTION = re.compile(
    r"(?:^|[.!?]\s+)(?:når|nar)\s+(?:kommer|kan|blir|får|far|er|skal|vil|sendes|kjem|kommer)\b")
# Norwegian closes a sentence with the particle "da" ("ok da", "hvor da?", "svar litt fortere
# da"); Danish does not, except in "jo da" (yes indeed).
_PARTICLE_DA = re.compile(r"(?<=[^\W\d_] )(?<!\bjo )da\s*(?:[?!.]+|$)", re.MULTILINE)
# Norwegian may say "har kommet" where Danish says "er kommet" (verbs of motion take "være").
_HAS_COME = re.compile(r"\bhar\s+(?:ikke\s+)?(?:kommet|gått|reist)\b")
# Norwegian marks a noun definite twice after an adjective ("den nye adressen", "det gamle
# kortet"); Danish once ("den nye adresse", "det gamle kort"). Only common adjectives, so that
# Danish "de sendte pakken" (they sent the parcel) is not read as one; not nouns that end so
# when indefinite ("den samme morgen", "det nye headset").
_DOUBLE_DEFINITE = re.compile(
    r"\b(?:den|det|de)\s+(?:nye|gamle|store|lille|samme|andre|forrige|rette|rigtige|riktige|"
    r"første|sidste|siste|nyeste|billige|dyre|sorte|hvide|hvite|røde|grønne|korte|lange|gode|"
    r"dårlige|ødelagte|defekte|manglende|nuværende|nåværende|originale|oprindelige|"
    r"opprinnelige)\s+([^\W\d_]{2,}(?:en|et|ene))\b")
_INDEFINITE_SO = frozenset({"morgen", "aften", "eksamen", "lagen", "budget", "tablet", "toilet",
                            "internet", "billet", "kabinet", "ticket", "jacket", "pocket",
                            "market", "headset", "basket", "bracelet", "wallet", "helmet",
                            "outlet", "gadget", "target", "screen", "token", "kitchen"})


def markers(text: str) -> tuple[int, int]:
    """(Danish marker words, Norwegian marker words) in `text`."""
    lower = text.lower()
    words = _WORD.findall(lower)
    well = len(_WELL.findall(lower)) + len(_WHERE_AT.findall(lower))
    danish = (sum(_danish(w) for w in words) + len(_YOU_PLURAL.findall(text))
              + len(_THANKS.findall(lower)) + well + len(_DANISH_GRAMMAR.findall(lower))
              + len(_LOWER_YOU.findall(text)) + len(_DANISH_MAILBOX.findall(lower))
              + len(_ABBREVIATION_DANISH.findall(text)) + len(_SWITCH_OFF.findall(lower)))
    norwegian = (sum(_norwegian(w) for w in words) + len(_POSSESSIVE_AFTER.findall(lower))
                 + len(_HAS_COME.findall(lower)) + len(_EMAIL.findall(lower)) - well
                 + len(_ABBREVIATION_NORWEGIAN.findall(text)) + len(_WHEN_QUESTION.findall(lower))
                 + len(_PARTICLE_DA.findall(lower))
                 + sum(noun not in _INDEFINITE_SO for noun in _DOUBLE_DEFINITE.findall(lower)))
    return danish, norwegian


def _danish(word: str) -> bool:
    return (word in DANISH or any(p in word for p in DANISH_PARTS)
            or (len(word) >= 7 and word.endswith(DANISH_ENDINGS)
                and word not in _NOT_ENDINGS and not word.endswith("mmeret"))
            or (len(word) >= 6 and _DANISH_PREFIX.match(word) is not None
                and word not in _NOT_PREFIX and "sjon" not in word))


def _norwegian(word: str) -> bool:
    return (word in NORWEGIAN or any(p in word for p in NORWEGIAN_PARTS)
            or (len(word) >= 6 and word.endswith(NORWEGIAN_ENDINGS)
                and not word.endswith("eret") and word not in _NOT_ENDINGS)
            or (len(word) >= 3 and _DOUBLE_FINAL.search(word) is not None
                and word not in _NOT_DOUBLE)
            or (len(word) >= 6 and _NORWEGIAN_PREFIX.match(word) is not None
                and word not in _NOT_PREFIX))
