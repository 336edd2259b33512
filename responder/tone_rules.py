"""The tone lexicons (responder/tone_lexicon/*.yaml) compiled into matchers, and shouting.

Each language file lists regex patterns per cue kind (anger, insult, threat, human, urgency),
matched as whole words, case-insensitively, with typographic apostrophes read as "'". A message
is checked against its own language's patterns, English, and every other language's patterns
except those under `local:` (words that are harmless in another of our languages).
`harmless` matches cancel any cue they overlap ("stupid question", "store manager"); a
`negators` match at most three words before a HUMAN, THREAT or URGENCY cue in the same clause
cancels it ("no need for a manager"), unless a `conditionals` word comes first ("if you don't
refund me, I'll sue"). `positive` words make a sentence's "!!!" joy rather than shouting;
`acronyms` are never shouting; `fillers` are words that carry no request on their own;
capitals of two or three letters are shouting only for `fillers` and `emphasis` words ("NOT").
`mild_insult` words ("stupid", "unfähig") are said of things as often as of people: they come
back apart (`mild_insult_cues`) for responder.tone to weigh with the learnt insult score.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import Any

import yaml

from responder.language_scores import mostly_cyrillic
from responder.models import Cue, CueKind
from responder.tone_patterns import FLAGS, WordPatterns, word_starts

LANGUAGES = ("en", "da", "nb", "de", "ru")
CUE_SECTIONS = {
    "anger": CueKind.ANGER,
    "insult": CueKind.INSULT,
    "threat": CueKind.THREAT,
    "human": CueKind.HUMAN,
    "urgency": CueKind.URGENCY,
}
MILD_INSULT = "mild_insult"
PATTERN_SECTIONS = ("harmless", "negators", "conditionals", "clause_breaks", "positive",
                    "reassurance")
WORD_SECTIONS = ("acronyms", "fillers", "emphasis")
NEGATABLE = frozenset({CueKind.HUMAN, CueKind.THREAT, CueKind.URGENCY})
NEGATION_REACH = 3  # words between a negator and the cue it negates

WORD = re.compile(r"[^\W\d_]+(?:['\u2019\u02bc][^\W\d_]+)*")
# Typographic apostrophes become "'": one code point each, so offsets stay valid.
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'", "\u00b4": "'"})
_PUNCTUATION_RUN = re.compile(r"[!?]{2,}")
# Someone reported saying what follows in quotes, in the same sentence.
_REPORTED = re.compile(
    r"\b(?:said|says|say|told|called|calls|wrote|writes|thinks|thought|reckons|sagde|siger|"
    r"sagt|skrev|kaldte|kalder|mente|mener|sa|sier|sagte|kalte|kaller|meinte|meint|schrieb|"
    r"nannte|nennt|findet|fand|сказал\w*|говорит|говорил\w*|написал\w*|назвал\w*|"
    r"называет|считает)\b[^.!?\n]{0,40}$", re.IGNORECASE)
# ... or reported writing it just after it ("hat 'SCHLECHTESTER SHOP EVER' geschrieben").
_REPORTED_AFTER = re.compile(
    r"[^.!?\n]{0,25}?\b(?:geschrieben|gepostet|kommentiert|posted|wrote|written|commented|"
    r"skrev|skrevet|postede|postet|kommenterede|kommenterte|написал\w*|оставил\w*)\b",
    re.IGNORECASE)
# A short quotation: someone else's words ("the box says 'URGENT'", a friend's «svindlere»),
# which the labelling guideline does not count as the customer's. Single quotes only where no
# letter touches them from outside, so "can't ... don't" is no quotation.
_QUOTATION = re.compile(
    r'"[^"\n]{1,200}"|\u201c[^\u201d"\n]{1,200}[\u201d"]|\u201e[^\u201c\u201d\n]{1,200}[\u201c\u201d]'
    r"|\u00ab[^\u00bb\n]{1,200}\u00bb|\u00bb[^\u00ab\n]{1,200}\u00ab"
    r"|(?<!\w)'(?:[^'\n]|(?<=\w)'(?=\w)){1,80}'(?!\w)")
# Someone else's words by the e-mail's structure: a forwarded message's header lines
# ("Subject: URGENT: your account ...", "Emne: VIGTIGT") and the signature under the sign-off,
# where a job title or an employer ("Advokatsekretær", "Journalist, Aftenposten", "помощник
# адвоката") says who writes, not what they threaten.
_HEADER_LINE = re.compile(
    r"^[ \t>]*(?:subject|emne|betreff|тема|from|fra|von|от|to|til|an|кому|sent|sendt|gesendet|"
    r"отправлено|date|dato|datum|дата|cc)[ \t]*:[^\n]*$", re.IGNORECASE | re.MULTILINE)
_GREETING_SIGN_OFFS = (
    r"(?:(?:best|kind|warm|many)?[ \t]*(?:regards|wishes)|regards|"
    r"(?:med )?(?:venlig|vennlig|venlige|vennlige|de bedste|beste|mange)[ \t]+hilsen(?:er)?|"
    r"hilsen|hilsner|mvh|vh|(?:mit )?freundliche[n]? grüße[n]?|(?:viele|beste|liebe|herzliche) "
    r"grüße|gruß|grüße|lg|mfg|с уважением|всего доброго|с наилучшими пожеланиями)")
_SIGN_OFF = re.compile(
    rf"^[ \t]*(?:{_GREETING_SIGN_OFFS}|cheers|thanks|thank you|спасибо)[ \t]*[,.!]?[ \t]*$",
    re.IGNORECASE | re.MULTILINE)
# A sign-off and the name after it on the message's last line ("Med venlig hilsen EJNAR
# SKOVGAARD"): older writers often sign in capitals, and a name is no shouting. Not after
# "thanks": "Thanks FOR NOTHING" ends many an angry message.
_INLINE_SIGNATURE = re.compile(
    rf"(?<!\w){_GREETING_SIGN_OFFS}[ \t]*,?[ \t]+((?:[^\W\d_][\w.'-]*[ \t]*){{1,5}})[.!]?\s*$",
    re.IGNORECASE)
# A line of an earlier message quoted in a reply ("> Please pay immediately ...").
_QUOTED_LINE = re.compile(r"^[ \t]*>[^\n]*$", re.MULTILINE)
SIGNATURE_LINES = 6  # a signature: at most this many lines under the sign-off ...
SIGNATURE_WORDS = 8  # ... of at most this many words each, under a message of its own
_SENTENCE_END = re.compile(r"[.!?\n]")
_SENTENCE = re.compile(r"[^.!?\n]+[.!?\n]*")
_CLAUSE_PUNCTUATION = r"[.!?;:,\n]"
_CODE_BEFORE = re.compile(r"[\d/&@#_-]")  # "2FA", "H&M", "B2B", "#AB", "@NORDLYS"
_CODE_AFTER = re.compile(r"\d|[-/&_.]\w")  # "NS-40921", "TV2", "A/S", "AB.12"
_LAUGHING_EMOJI = re.compile("[\U0001F602\U0001F923\U0001F606\U0001F605]")
# The upside-down face is sarcasm in customer messages: all 13 tuning messages that hold it
# are labelled anger ("a week of waiting, love that for me 🙃"); so is clapping: all 91 that
# clap ("Great service, well done 👏").
_ANGRY_EMOJI = re.compile(
    "[\U0001F621\U0001F624\U0001F92C\U0001F620\U0001F644\U0001F612\U0001F643\U0001F44F]+")
# Smiling, laughing, hearts, party, thumbs up: the sentence they close is cheerful.
_HAPPY_EMOJI = re.compile(
    "[\U0001F600-\U0001F60D\U0001F642\U0001F917\U0001F929\U0001F970\U0001F973"
    "\u2764\U0001F496-\U0001F49F\U0001F389\U0001F38A\U0001F44D\U0001F64F\u263A]")
# "AIR 2", "GALAXY S24", "PRO-X1": a product name; but not an amount ("I will NOT pay 650 kr").
_NAME_AFTER = re.compile(
    r"[ -]?\w*\d(?![\d.,]*\s?(?:kr\b|kroner|eur\b|euro|€|\$|£|usd\b|nok\b|dkk\b|sek\b|chf\b|"
    r"руб|₽|dollars?\b|pounds?\b))", re.IGNORECASE)
_NAME_BEFORE = re.compile(r"\w*\d\w*[ -]$")  # "X200 PRO"
# A company's name ends in its legal form: "BIRCH & BOLT LTD", "KRAUSE MÖBEL GMBH".
_COMPANY_FORMS = frozenset({"LTD", "PLC", "INC", "LLC", "AS", "ASA", "APS", "AB", "OY", "GMBH",
                            "AG", "KG", "OHG", "UG", "SE", "ООО", "АО", "ЗАО", "ОАО", "ПАО", "ИП"})
# A maker's name before its product's: "ASUS ZenBook", "HP EliteBook-en", "APPLE iPhone".
_PRODUCT_AFTER = re.compile(r"[ -](?:[A-Z][a-z]+[A-Z]|i[A-Z])\w*")
# Capitals the customer reads off a screen or a label: an error message, a tracking status, a
# button ("the app says INVALID CODE", "Sporingen sier LEVERT TIL HENTESTED", "laut
# Sendungsverfolgung: ZUSTELLUNG NICHT MÖGLICH", "the DOWNLOAD INVOICE button").
_SCREEN_TEXT_BEFORE = re.compile(
    r"(?:says?|said|saying|shows?|showed|showing|displays?|reads|error|status|message|notice|"
    r"label|screen|press(?:ing)?|tap(?:ping)?|click(?:ing)?|siger|sagde|viser|står(?: som)?|"
    r"sier|fejlmeddelelse(?:n)?|feilmelding(?:en)?|knappen|trykker på|zeigt|steht|meldet|"
    r"Meldung|Fehlermeldung|Status|tippe auf|drücke auf|laut [\w-]+|пишет|написано|показывает|"
    r"выдаёт|выдает|ошибк[аиуой]|статус(?:ом)?|надпись|нажимаю на|repl(?:y|ied|ying)(?: with)?|"
    r"text(?:ed)? back)"
    r"(?:\s+(?:as|som|als|как))?\s*[:\"'«„“]?\s*$",
    re.IGNORECASE)
_SCREEN_TEXT_AFTER = re.compile(
    r"\s*[\"'»”]?\s*(?:button|knap(?:pen)?|knapp(?:en)?|Schaltfläche|кнопк\w*|in the subject|"
    r"i emnefeltet|im Betreff|в теме)", re.IGNORECASE)
_NEGATIONS = frozenset({"not", "never", "ikke", "aldrig", "aldri", "nicht", "nie", "kein", "keine",
                        "не", "нет", "никогда"})
_CODE_INSIDE = re.compile(r"[^\W\d_]+-\d")  # a model code inside a run of capitals
# A discount or gift code is written in capitals: "rabatkoden SOMMER", "промокод SUMMER".
_CODE_WORD_BEFORE = re.compile(
    r"\w*(?:code|codes|kode|koden|koder|coupon|voucher|gutschein|промокод\w*|купон\w*)"
    r"\s*[:\"'\u201c\u201e\u00ab]?\s*$", re.IGNORECASE)
_QUOTES = "\"'\u201c\u201d\u201e\u00ab\u00bb\u2018\u2019"


@dataclass(frozen=True)
class Lexicon:
    """One language file, as written."""

    cues: dict[CueKind, tuple[str, ...]]
    mild: tuple[str, ...]  # mild insults, checked in every language
    local: dict[CueKind, tuple[str, ...]]
    patterns: dict[str, tuple[str, ...]]
    words: dict[str, frozenset[str]]


@dataclass(frozen=True)
class Shared:
    """What every message is checked with, whatever its language."""

    harmless: WordPatterns
    negators: WordPatterns
    positive: WordPatterns  # "thanks", "great": their "!!!" is joy, not shouting
    reassurance: WordPatterns  # "I'm not angry", "keine Eile": the customer is not upset
    conditionals: re.Pattern[str]
    clause_breaks: re.Pattern[str]
    dangling_conjunction: re.Pattern[str]  # "and" left at the end once venting is cut out
    acronyms: frozenset[str]  # upper case
    fillers: frozenset[str]  # lower case
    short_words: frozenset[str]  # lower case: fillers and emphasis, words that can be shouted


@dataclass(frozen=True)
class _Scan:
    """What every rule reads of a message: its matchable text, word starts, harmless phrases
    and quotations."""

    plain: str
    starts: tuple[int, ...]
    harmless: tuple[tuple[int, int], ...]
    quoted: tuple[tuple[int, int], ...]

    def quotation_around(self, start: int, end: int) -> tuple[int, int] | None:
        """The quotation [start, end) lies wholly inside, if any."""
        return next(((s, e) for s, e in self.quoted if s < start and end < e), None)

    def quotes(self, kind: CueKind, start: int, end: int) -> bool:
        """Whether a cue lies wholly inside a quotation, so is someone else's words. Anger is
        kept unless someone is reported saying it ("my mate said your support was
        'useless'"): scare quotes are the customer's own sarcasm (Ну спасибо, «сервис»)."""
        around = self.quotation_around(start, end)
        return around is not None and (
            kind is not CueKind.ANGER
            or _REPORTED.search(self.plain, max(0, around[0] - 50), around[0]) is not None
            or _REPORTED_AFTER.match(self.plain, around[1]) is not None)


@dataclass(frozen=True)
class Shouting:
    cues: tuple[Cue, ...]
    heavy: bool


def matchable(text: str) -> str:
    return text.translate(_APOSTROPHES)


@lru_cache(maxsize=32)
def _scan(text: str) -> _Scan:
    """Cached: detect_tone reads a message's harmless phrases three times (for its cues, its mild
    insults and the learnt score's features)."""
    plain = matchable(text)
    starts = tuple(word_starts(plain))
    quoted = [quotation.span() for quotation in _QUOTATION.finditer(plain)]
    return _Scan(plain, starts, tuple(shared().harmless.spans(plain, starts)),
                 tuple(sorted([*quoted, *_not_the_customers(plain)])))


def _not_the_customers(text: str) -> list[tuple[int, int]]:
    """Forwarded header lines, quoted lines and the signature, each widened by one character
    either side so that a cue at the very start or end of one lies wholly inside."""
    spans = [(line.start() - 1, line.end() + 1) for line in _HEADER_LINE.finditer(text)]
    spans += [(line.start() - 1, line.end() + 1) for line in _QUOTED_LINE.finditer(text)]
    sign_offs = list(_SIGN_OFF.finditer(text))
    if sign_offs:
        sign_off = sign_offs[-1]
        lines = [line for line in text[sign_off.end():].splitlines() if line.strip()]
        if (lines and len(lines) <= SIGNATURE_LINES
                and len(WORD.findall(text, 0, sign_off.start())) >= 3
                and all(len(line.split()) <= SIGNATURE_WORDS for line in lines)):
            spans.append((sign_off.end() - 1, len(text) + 1))
    if inline := _INLINE_SIGNATURE.search(text):
        spans.append((inline.start(1) - 1, len(text) + 1))
    return spans


def harmless_spans(text: str) -> tuple[tuple[int, int], ...]:
    """Where the lexicons' harmless phrases are in `text` ("a stupid question")."""
    return _scan(text).harmless


@cache
def load_lexicon(language: str) -> Lexicon:
    path = resources.files("responder").joinpath("tone_lexicon", f"{language}.yaml")
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    known = {*CUE_SECTIONS, *PATTERN_SECTIONS, *WORD_SECTIONS, MILD_INSULT, "local"}
    unknown = set(data) - known
    if unknown:
        raise ValueError(f"tone lexicon {language}: unknown sections {sorted(unknown)}")
    local: dict[str, Any] = data.get("local") or {}
    if set(local) - set(CUE_SECTIONS):
        raise ValueError(f"tone lexicon {language}: local may only hold cue kinds")
    return Lexicon(
        cues={kind: _strings(data.get(key)) for key, kind in CUE_SECTIONS.items()},
        mild=_strings(data.get(MILD_INSULT)),
        local={kind: _strings(local.get(key)) for key, kind in CUE_SECTIONS.items()},
        patterns={key: _strings(data.get(key)) for key in PATTERN_SECTIONS},
        words={key: frozenset(_strings(data.get(key))) for key in WORD_SECTIONS},
    )


def _strings(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise ValueError(f"tone lexicon: expected a list, got {value!r}")
    wrong = [item for item in value if not isinstance(item, str)]
    if wrong:  # e.g. an unquoted yes/no/on/off, which YAML reads as a boolean
        raise ValueError(f"tone lexicon: entries that are not strings: {wrong!r}")
    return tuple(value)


def _whole_words(patterns: Iterable[str]) -> re.Pattern[str]:
    alternatives = [f"(?:{pattern})" for pattern in patterns]
    if not alternatives:
        return re.compile(r"(?!x)x")  # never matches
    return re.compile(rf"(?<!\w)(?:{'|'.join(alternatives)})(?!\w)", FLAGS)


@cache
def cue_patterns(language: str) -> tuple[tuple[CueKind, WordPatterns], ...]:
    """One alternation per cue kind for a message in `language` (unknown: every pattern)."""
    lexicons = {code: load_lexicon(code) for code in LANGUAGES}
    compiled = []
    for kind in CUE_SECTIONS.values():
        patterns: list[str] = []
        for code, lexicon in lexicons.items():
            patterns.extend(lexicon.cues[kind])
            if code == language or language not in LANGUAGES:
                patterns.extend(lexicon.local[kind])
        compiled.append((kind, WordPatterns(patterns)))
    return tuple(compiled)


@cache
def mild_patterns() -> WordPatterns:
    return WordPatterns([pattern for code in LANGUAGES for pattern in load_lexicon(code).mild])


@cache
def shared() -> Shared:
    lexicons = [load_lexicon(code) for code in LANGUAGES]

    def patterns(section: str) -> list[str]:
        return [pattern for lexicon in lexicons for pattern in lexicon.patterns[section]]

    def words(section: str) -> frozenset[str]:
        return frozenset(word for lexicon in lexicons for word in lexicon.words[section])

    breaks = _whole_words(patterns("clause_breaks")).pattern
    return Shared(
        harmless=WordPatterns(patterns("harmless")),
        negators=WordPatterns(patterns("negators")),
        positive=WordPatterns(patterns("positive")),
        reassurance=WordPatterns(patterns("reassurance")),
        conditionals=_whole_words(patterns("conditionals")),
        clause_breaks=re.compile(f"{_CLAUSE_PUNCTUATION}|{breaks}", FLAGS),
        dangling_conjunction=re.compile(rf"\s+{breaks}(?=[\s,.;:!?\u2026]*$)", FLAGS),
        acronyms=frozenset(word.upper() for word in words("acronyms")),
        fillers=frozenset(word.lower() for word in words("fillers")),
        short_words=frozenset(word.lower() for word in words("fillers") | words("emphasis")),
    )


def lexicon_cues(text: str, language: str) -> list[Cue]:
    """Every lexicon cue in `text`, minus the harmless and the negated ones."""
    scan = _scan(text)
    rules = shared()
    negators = list(rules.negators.spans(scan.plain, scan.starts))
    cues = []
    for kind, patterns in cue_patterns(language):
        for start, end in patterns.spans(scan.plain, scan.starts):
            if any(s < end and start < e for s, e in scan.harmless):
                continue
            if scan.quotes(kind, start, end):
                continue
            if kind in NEGATABLE and _negated(scan.plain, start, negators, rules):
                continue
            cues.append(Cue(kind, text[start:end], start, end))
    return cues


def reassured(text: str) -> bool:
    """Whether the customer says plainly that they are not upset ("bin nicht sauer", "no
    rush"), outside a quotation, or laughs (😂, "haha"): every one of the 39 tuning messages
    that laughs is calm, jokes about the bot or a spouse threatening divorce included."""
    scan = _scan(text)
    return any(scan.quotation_around(start, end) is None
               for start, end in shared().reassurance.spans(scan.plain, scan.starts)
               ) or _LAUGHING_EMOJI.search(text) is not None


def mild_insult_cues(text: str, insults: Iterable[Cue]) -> list[Cue]:
    """Mild insults (INSULT cues) outside harmless phrases and outside `insults`, the lexicon's
    own insult cues in `text`."""
    scan = _scan(text)
    taken = [*scan.harmless, *((cue.start, cue.end) for cue in insults)]
    return [Cue(CueKind.INSULT, text[start:end], start, end)
            for start, end in mild_patterns().spans(scan.plain, scan.starts)
            if not any(s < end and start < e for s, e in taken)
            and not scan.quotes(CueKind.INSULT, start, end)]


def _negated(text: str, start: int, negators: list[tuple[int, int]], rules: Shared) -> bool:
    clause_start = 0
    for boundary in rules.clause_breaks.finditer(text, 0, start):
        clause_start = boundary.end()
    for neg_start, neg_end in negators:
        if not clause_start <= neg_start < start:
            continue
        if rules.conditionals.search(text, clause_start, neg_start):
            continue
        gap = text[neg_end:start] if neg_end < start else ""
        if len(WORD.findall(gap)) <= NEGATION_REACH:
            return True
    return False


def is_acronym(word: str) -> bool:
    return word.upper() in shared().acronyms


def emoji_cues(text: str) -> list[Cue]:
    """Angry, eye-rolling or upside-down emoji (😡 😤 🤬 😠 🙄 😒 🙃): anger or sarcasm, one cue
    per run."""
    return [Cue(CueKind.ANGER, m.group(), m.start(), m.end()) for m in _ANGRY_EMOJI.finditer(text)]


def shouting(text: str, lexicon_cues: list[Cue]) -> Shouting:
    """Capitals (runs of shouted words) and "!!", "?!", "???".

    A shouted word is all capitals, at least two letters, no known acronym and not part of a
    code ("NS-40921", "TV2"). One shouted word is enough ("I did NOT order this"), but never in a
    message of one or two words. Heavy: four or more shouted words, three in a mostly-capitals
    message, capitals together with "!!", or three "!!" runs. Marks in a cheerful sentence
    ("Thanks so much!!!", "LOVE it 😍") with no other cue do not count, nor do capitals in a
    product name next to a model number ("AIR 2", "X200 PRO") or in quotes.
    """
    scan = _scan(text)
    # someone else's capitals and marks: "the note said 'URGENT - signature required'"
    words = [word for word in WORD.finditer(scan.plain)
             if scan.quotation_around(*word.span()) is None]
    cheerful = _cheerful_sentences(text, lexicon_cues)
    shouted_runs, shouted = _shouted_runs(text, words, cheerful)
    long_words = sum(1 for word in words if len(word.group()) >= 2)
    caps = 0 if len(words) <= 2 or shouted < 1 else 1
    if shouted >= 4 or (shouted >= 3 and shouted * 2 >= long_words):
        caps = 2
    # With no other cue, "!!" right before a cheerful sentence is joy too ("Just got my
    # order!! The lamp is gorgeous, thank you!").
    before_cheer = [] if lexicon_cues else [(max(0, start - 3), start) for start, _ in cheerful]
    marks = [
        mark
        for mark in _PUNCTUATION_RUN.finditer(text)
        if ("!" in mark.group() or len(mark.group()) >= 3)
        and not any(start <= mark.start() < end for start, end in cheerful)
        and not any(start <= mark.end() <= end for start, end in before_cheer)
        and scan.quotation_around(*mark.span()) is None
    ]
    cues = [Cue(CueKind.SHOUTING, text[s:e], s, e) for s, e in shouted_runs] if caps else []
    cues += [Cue(CueKind.SHOUTING, m.group(), m.start(), m.end()) for m in marks]
    heavy = caps == 2 or (caps == 1 and bool(marks)) or len(marks) >= 3
    return Shouting(tuple(sorted(cues, key=lambda cue: cue.start)), heavy)


def _cheerful_sentences(text: str, lexicon_cues: list[Cue]) -> list[tuple[int, int]]:
    scan = _scan(text)
    plain = scan.plain
    positive = list(shared().positive.spans(plain, scan.starts))
    return [
        sentence.span()
        for sentence in _SENTENCE.finditer(plain)
        if (any(sentence.start() <= start < sentence.end() for start, _ in positive)
            or _HAPPY_EMOJI.search(plain, sentence.start(), sentence.end() + 4))
        and not any(sentence.start() <= cue.start < sentence.end() for cue in lexicon_cues)
    ]


def _shouted_runs(text: str, words: list[re.Match[str]], cheerful: list[tuple[int, int]],
                  ) -> tuple[list[tuple[int, int]], int]:
    """Spans of capital runs holding a shouted word, and the number of shouted words."""
    spans: list[tuple[int, int]] = []
    total = 0
    for run in _capital_runs(text, words):
        start, end = run[0].start(), run[-1].end()
        if _name(text, start, end) or any(s <= start < e for s, e in cheerful):
            continue
        count = sum(1 for word in run if _shouted(text, word))
        if count:
            spans.append((run[0].start(), run[-1].end()))
            total += count
    return spans, total


def _name(text: str, start: int, end: int) -> bool:
    """Capitals that name something: next to a model number or a product's name, a company
    with its legal form, after the word "code", text read off a screen, or in quotes."""
    if text[start:end].lower() in _NEGATIONS:  # "IKKE 44210", "NOT 3 but 4": emphasis, no name
        return False
    if (_NAME_AFTER.match(text, end) or _NAME_BEFORE.search(text[max(0, start - 12):start])
            ) and not _sentence_in_capitals(text, start, end):
        return True
    if _PRODUCT_AFTER.match(text, end):
        return True
    if len(run := WORD.findall(text, start, end)) >= 2 and run[-1].upper() in _COMPANY_FORMS:
        return True
    if _CODE_WORD_BEFORE.search(text[max(0, start - 24):start]):
        return True
    if _SCREEN_TEXT_BEFORE.search(text[max(0, start - 30):start]) or _SCREEN_TEXT_AFTER.match(
            text, end):
        return True
    if _CODE_INSIDE.search(text, start, end):  # "НЛ-15 ПРО", "NS-200 MAX"
        return True
    if text[start:end].isascii() and mostly_cyrillic(text):  # "термос ARKTIKA": a brand
        return True
    first = WORD.match(text, start)
    if first and first.end() < end and is_acronym(first.group()):  # a brand: "IKEA BILLY"
        return True
    return start > 0 and end < len(text) and text[start - 1] in _QUOTES and text[end] in _QUOTES


def _sentence_in_capitals(text: str, start: int, end: int) -> bool:
    """Three or more capital words with a small word among them ("BITTE UM RÜCKMELDUNG ZU
    BESTELLUNG 4471209", "ОТВЕТЬТЕ ПО ЗАКАЗУ 418833"): a sentence shouted before an order
    number, not a product's name."""
    run = WORD.findall(text, start, end)
    small = shared().short_words
    return len(run) >= 3 and any(word.lower() in small for word in run[1:-1])


def _shouted(text: str, word: re.Match[str]) -> bool:
    """A capital word that is no acronym and no part of a code or a number.

    Two or three capitals ("KU", "DTU") are mostly an abbreviation nobody listed, so a word that
    short counts only when it is a known short word ("NOT", "NÅ", "НЕ", "DAG").
    """
    if len(word.group()) < 2 or is_acronym(word.group()):
        return False
    if len(word.group()) <= 3 and word.group().lower() not in shared().short_words:
        return False
    before = text[max(0, word.start() - 1) : word.start()]
    after = text[word.end() : word.end() + 2]
    return not (_CODE_BEFORE.match(before) or _CODE_AFTER.match(after))


def _capital_runs(text: str, words: list[re.Match[str]]) -> list[list[re.Match[str]]]:
    """Consecutive all-capital words within one sentence."""
    runs: list[list[re.Match[str]]] = []
    current: list[re.Match[str]] = []
    for word in words:
        if not word.group().isupper():
            current = []
            continue
        if current and _SENTENCE_END.search(text, current[-1].end(), word.start()):
            current = []
        if not current:
            runs.append(current)
        current.append(word)
    return runs
