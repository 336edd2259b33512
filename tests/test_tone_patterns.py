"""The fast whole-word matcher finds exactly what one alternation per first letter finds: anchors
and case folding never hide a match."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from responder import tone_rules
from responder.tone_patterns import WordPatterns, _LetterAlternations, anchors, folded, word_starts

TONE_SET = Path(__file__).resolve().parents[1] / "benchmarks" / "data" / "tone"
# Letters the regex engine matches case-insensitively although str.lower() differs, and the like.
ODD = [
    "You ſtupid IDİOTS", "ıdiots", "ЧЁРТ возьми", "ЧЕРТ", "ᲀы жулики", "ΣΟΦΊΑ σοφίας",
    "STRAẞE", "rip-off RIPOFF rip off", "K\u212aelvin", "i'm FURIOUS!!", "fuck u",
]


def _sets() -> dict[str, list[str]]:
    lexicons = [tone_rules.load_lexicon(code) for code in tone_rules.LANGUAGES]
    sets = {str(kind): [p for lex in lexicons for p in (*lex.cues[kind], *lex.local[kind])]
            for kind in tone_rules.CUE_SECTIONS.values()}
    sets |= {section: [p for lex in lexicons for p in lex.patterns[section]]
             for section in ("harmless", "negators", "positive")}
    sets["mild"] = [p for lex in lexicons for p in lex.mild]
    return sets


def _messages() -> list[str]:
    texts = [json.loads(line)["text"] for path in sorted(TONE_SET.glob("*.jsonl"))
             for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [*texts, *(text.upper() for text in texts[::7]), *ODD]


@pytest.mark.parametrize("name", list(_sets()))
def test_the_shipped_lexicons_match_as_one_alternation_would(name: str) -> None:
    patterns = _sets()[name]
    fast, reference = WordPatterns(patterns), _LetterAlternations(patterns)
    for text in _messages():
        plain = tone_rules.matchable(text)
        starts = word_starts(plain)
        assert list(fast.spans(plain, starts)) == list(reference.spans(plain, starts)), text


@pytest.mark.parametrize(("patterns", "text"), [
    (["ſtupid", "stupid"], "STUPID ſtupid"),
    (["idiot\\w*"], "İDİOTS ıdiots"),
    (["ч[её]рт", "черт\\w*"], "ЧЁРТ ЧЕРТ ᲂчень"),
    (["(?-i:ABC)", "abc"], "ABC abc Abc"),
    (["x?", "xy"], "xy yy"),  # the first pattern matches empty: no match, as in the alternation
    (["(a)b\\1", "ab"], "aba ab"),  # groups: matched as one alternation
    (["\\w+leder", "leder"], "teamleder leder"),
    (["(?:you|u)\\s+suck\\w*", "ab(?=c)c"], "U SUCKS abc"),
])
def test_odd_patterns_and_letters_match_as_one_alternation_would(patterns: list[str],
                                                                 text: str) -> None:
    starts = word_starts(text)
    assert (list(WordPatterns(patterns).spans(text, starts))
            == list(_LetterAlternations(patterns).spans(text, starts)))


def test_anchors_are_what_every_match_contains() -> None:
    assert anchors("idiot\\w*") == {"idiot"}
    assert anchors("you (?:stole|robbed)") == {"you stole", "you robbed"}
    assert anchors("ч[её]рт") == {"черт", "чёрт"}
    assert anchors("(?:fuck|f\\*+k)\\s+you") == {"you"}
    assert anchors("\\w+leder|chef") == {"leder", "chef"}
    assert anchors("\\w+|chef") is None  # one alternative has no literal part
    # folded as the regex engine compares: "ſ" is "s", "İ" is "i", "σ" and "ς" are one letter
    assert folded("İDİOT ſtupid ΣΟΦΊΑΣ") == folded("idiot stupid σοφίας") == "idiot stupid ςοφίας"
