"""Tone: the signs that a customer's message is escalating, and the message without the venting.

`detect_tone(text, language)` finds cues with the per-language lexicons (responder/tone_lexicon,
compiled by responder.tone_rules) and sets the level:

- HOSTILE: any INSULT cue (insults and profanity, "scammers"/"thieves" aimed at us) or THREAT cue
  (lawyer, court, police report against us, press, bad review, social media, consumer ombudsman,
  chargeback, leaving for a competitor), or a learnt insult score at or over its threshold.
  The learnt score (responder.tone_model, trained on public offensive-language data) reads the
  whole message, so it has no span: it is kept in `Tone.learnt` with its threshold, and
  `Tone.has(CueKind.INSULT)` is true when it is flagged, so routing and the reply's mood treat it
  as an insult. It also weighs the lexicon's mild insults ("stupid", "unfähig", "тупые"), words
  said of things as often as of people: an INSULT cue when the score reaches its lower `support`
  bar, an ANGER cue otherwise.
- ANGRY: two or more ANGER cues, ANGER together with SHOUTING, or heavy shouting (four or more
  shouted words, a mostly-capitals message, capitals together with "!!", or three "!!" runs).
- UPSET: any ANGER, URGENCY or SHOUTING cue.
  SHOUTING: a word in capitals that is no acronym (ATM, PIN, IBAN...) nor part of a code
  (NS-40921), @handle or #hashtag, two or three capitals only for a known short word ("NOT",
  "NÅ", "НЕ"), no name (capitals next to a model number, "AIR 2", "X200 PRO", but not
  before an amount, "IKKE 650 kr"; in quotes; text read off a screen, "the app says INVALID
  CODE"; a name signed after "Med venlig hilsen"); never in a message of one or two words; or
  "!!", "?!", "???". Neither counts in a cheerful sentence ("Thank you SO much!!!", "Wow!!",
  a smiling emoji) with no other cue.
  ANGER also comes from angry, eye-rolling or upside-down emoji (😡 😤 🤬 😠 🙄 😒 🙃).
- CALM: otherwise. A HUMAN cue (a demand for a manager, a supervisor or a real person) never
  changes the level: routing reads it from the cues, and `Tone.escalated` is true for it.

Where the message's query vector is at hand (the answer path, the console), a learnt context
check reads it next and may set the cues aside as not meant (responder.context_check), before
the learnt escalation score (responder.escalation_model) may make a calm message upset.

`language` picks which lexicon's language-specific words count; English and every language's
unambiguous patterns are always checked, since short angry messages are often misdetected and
customers mix English swearing into other languages. An unknown language checks everything.

`content_text` and `content_sentences` give what the customer actually asks, for matching against
the knowledge base: insult, anger, threat and manager-demand spans removed, shouted words in
lower case (acronyms kept), repeated "!!!"/"?!" collapsed, and pure-venting sentences dropped.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace

from responder import tone_model, tone_rules
from responder.models import Cue, CueKind, LearntScore, Tone, ToneLevel

VENTING = frozenset({CueKind.ANGER, CueKind.INSULT, CueKind.THREAT, CueKind.HUMAN})
# The learnt score was fitted on tweets and comments of twenty-odd words; on a short customer
# message it misfires ("pakken min er borte", "this is ridiculous" scored as insults), and a
# customer answered as abusive for no insult is the worst mistake this module can make. Below
# this many words the score only confirms mild words; it does not count on its own.
LEARNT_ALONE_MIN_WORDS = 10

_SENTENCE = re.compile(r"\S[^\n]*?(?:[.!?\u2026]+(?=\s|$)|(?=\n)|$)")
_REPEATED_MARKS = re.compile(r"([!?])[!?]+")
_LONG_DOTS = re.compile(r"\.{4,}")
_SPACES = re.compile(r"[ \t\u00a0]+")
_SPACE_BEFORE_MARK = re.compile(r"\s+([,.;:!?\u2026])")
_REPEATED_SEPARATORS = re.compile(r"([,;:])(?:\s*[,;:])+")
_LEADING_SEPARATORS = re.compile(r"^[\s,.;:!?\-\u2013\u2014]+")
_SEPARATOR_BEFORE_END = re.compile(r"[,;:\-\u2013\u2014]+\s*([.!?\u2026]*)$")


def detect_tone(text: str, language: str) -> Tone:
    """The escalation cues in `text` and the level they add up to (rules in the module doc)."""
    model = tone_model.shipped()
    has_words = tone_rules.WORD.search(text) is not None
    learnt: tuple[LearntScore, ...] = (
        (model.learnt(text, language),) if model is not None and has_words else ())
    supported = any(score.supports for score in learnt)
    strong = tone_rules.lexicon_cues(text, language)
    insults = [cue for cue in strong if cue.kind is CueKind.INSULT]
    mild = [replace(cue, kind=CueKind.INSULT if supported else CueKind.ANGER)
            for cue in tone_rules.mild_insult_cues(text, insults)]
    lexicon_cues = [*strong, *mild, *tone_rules.emoji_cues(text)]
    shouting = tone_rules.shouting(text, lexicon_cues)
    found = [*lexicon_cues, *shouting.cues]
    cues = tuple(sorted(found, key=lambda cue: (cue.start, cue.end, cue.kind)))
    if len(tone_rules.WORD.findall(text)) < LEARNT_ALONE_MIN_WORDS:
        learnt = tuple(replace(score, may_count_alone=False) for score in learnt)
    flagged = any(score.flagged for score in learnt)
    return Tone(_level(cues, heavy_shouting=shouting.heavy, learnt_insult=flagged), cues, learnt,
                reassured=tone_rules.reassured(text))


def _level(cues: tuple[Cue, ...], *, heavy_shouting: bool, learnt_insult: bool = False,
           ) -> ToneLevel:
    kinds = Counter(cue.kind for cue in cues)
    anger, shouting = kinds[CueKind.ANGER], kinds[CueKind.SHOUTING]
    if kinds[CueKind.INSULT] or kinds[CueKind.THREAT] or learnt_insult:
        return ToneLevel.HOSTILE
    if anger >= 2 or (anger and shouting) or heavy_shouting:
        return ToneLevel.ANGRY
    if anger or shouting or kinds[CueKind.URGENCY]:
        return ToneLevel.UPSET
    return ToneLevel.CALM


def learnt_notes(tone: Tone) -> list[str]:
    """Each learnt score that counted, as agents read it: "learnt insult score 0.83 >= 0.71",
    and cues the context check set aside: "learnt context score 0.07 < 0.11: set aside
    threat 'Vor Gericht'"."""
    notes = [f"learnt {s.kind.value} score {s.score:.2f} >= {s.threshold:.2f}"
             for s in tone.learnt if s.flagged]
    check = tone.check
    if check is not None and not check.kept:
        aside = ", ".join(f"{cue.kind.value} '{cue.text}'" for cue in check.set_aside)
        notes.append(f"learnt context score {check.score:.2f} < {check.threshold:.2f}: set "
                     f"aside {aside or 'the learnt scores'}")
    return notes


def content_text(text: str, tone: Tone) -> str:
    """What the customer asks, without the venting; "" when nothing meaningful is left."""
    return " ".join(content_sentences(text, tone))


def content_sentences(text: str, tone: Tone) -> list[str]:
    """The sentences that carry a request, each cleaned as in `content_text`."""
    venting = sorted((cue.start, cue.end) for cue in tone.cues if cue.kind in VENTING)
    sentences = []
    for sentence in _SENTENCE.finditer(text):
        cut = _clip(venting, *sentence.span())
        cleaned = _tidy(_without(text, sentence.start(), sentence.end(), cut))
        if _carries_content(cleaned, cut_letters=sum(_letters(text[s:e]) for s, e in cut)):
            sentences.append(cleaned)
    return sentences


def _clip(spans: list[tuple[int, int]], start: int, end: int) -> list[tuple[int, int]]:
    """The sorted spans cut to [start, end) and made disjoint."""
    clipped: list[tuple[int, int]] = []
    cursor = start
    for span_start, span_end in spans:
        span_start, span_end = max(span_start, cursor), min(span_end, end)
        if span_start < span_end:
            clipped.append((span_start, span_end))
            cursor = span_end
    return clipped


def _without(text: str, start: int, end: int, cut: list[tuple[int, int]]) -> str:
    """text[start:end] with the disjoint spans in `cut` replaced by a space."""
    pieces = []
    cursor = start
    for span_start, span_end in cut:
        pieces += [text[cursor:span_start], " "]
        cursor = span_end
    pieces.append(text[cursor:end])
    return "".join(pieces)


def _tidy(sentence: str) -> str:
    sentence = tone_rules.WORD.sub(_unshout, sentence)
    sentence = _REPEATED_MARKS.sub(r"\1", sentence)
    sentence = _LONG_DOTS.sub("...", sentence)
    sentence = _SPACES.sub(" ", sentence)
    sentence = _SPACE_BEFORE_MARK.sub(r"\1", sentence)
    sentence = _REPEATED_SEPARATORS.sub(r"\1", sentence)
    sentence = tone_rules.shared().dangling_conjunction.sub("", sentence)
    sentence = _SEPARATOR_BEFORE_END.sub(r"\1", sentence.strip())
    return _LEADING_SEPARATORS.sub("", sentence).strip()


def _unshout(word: re.Match[str]) -> str:
    text = word.group()
    if len(text) >= 2 and text.isupper() and not tone_rules.is_acronym(text):
        return text.lower()
    return text


def _carries_content(sentence: str, *, cut_letters: int) -> bool:
    """At least one content word; a sentence that was mostly venting needs two.

    ("You idiots, where is my parcel?" keeps "where is my parcel"; "I will never order from you
    again" does not keep "I will".)
    """
    fillers = tone_rules.shared().fillers
    content = [
        word
        for word in tone_rules.WORD.findall(sentence)
        if len(word) >= 3 and tone_rules.matchable(word).lower() not in fillers
    ]
    return len(content) >= 2 or (len(content) == 1 and _letters(sentence) >= cut_letters)


def _letters(text: str) -> int:
    return sum(character.isalpha() for character in text)
