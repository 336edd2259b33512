"""Many whole-word regex patterns, matched fast: each is tried only where it could match.

Every pattern is matched at each word start as if all of them were one case-insensitive
alternation tried there: the first pattern (in the given order) that matches wins, matches do not
overlap, leftmost first. Trying that alternation at every word start costs most of a millisecond
per message for the few hundred tone patterns, so two cheap checks cut it down, neither of which
can change a match:

- a pattern is tried only at the word starts whose first letter it can start with;
- a pattern is tried only in a message that holds one of its anchors: literal strings, one of
  which every match of the pattern contains ("idiot" for `idiot\\w*`, "stole" or "robbed" for
  `you (?:stole|robbed)`). They are read from the parsed pattern, and looked for in the message
  case-folded as the regex engine folds letters, so an anchor is missing only where the pattern
  cannot match.

Most messages hold no anchor of most sets of patterns and run no regex for them; the few
patterns left are tried one by one, which gives the alternation's match because patterns without
capturing groups cannot see each other. Patterns with capturing groups (a back reference numbers
the groups of the whole alternation) are matched as one alternation per first letter instead.
"""

from __future__ import annotations

import re
import re._constants as sre  # private, but the only way to read a pattern's possible first letters
import re._parser as sre_parse
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from itertools import product
from re._casefix import _EXTRA_CASES  # private too: the letters the engine folds beyond lower()
from typing import Any

FLAGS = re.IGNORECASE | re.UNICODE
_WORD_START = re.compile(r"(?<!\w)\w")
_MAX_RANGE = 128  # a character class wider than this counts as "any letter"
_ZERO_WIDTH = (sre.ASSERT, sre.ASSERT_NOT, sre.AT)
_REPEATS = (sre.MAX_REPEAT, sre.MIN_REPEAT, getattr(sre, "POSSESSIVE_REPEAT", sre.MAX_REPEAT))
KEY_LENGTH = 3  # anchors are filed under one of their substrings of this length
_MAX_ANCHORS = 64  # strings in one anchor set: more would cost more to look for than they save
_SMALL_CLASS = 4  # a character class of at most this many letters is spelt out ("ч[её]рт")

# Possible first characters (lower case) and whether the part can match the empty string;
# None for the characters means "anything".
_Firsts = tuple[frozenset[str] | None, bool]
_Anchors = frozenset[str]

# The regex engine matches a letter case-insensitively when its lower case, or one of the few
# letters `_EXTRA_CASES` lists with it ("s" and "ſ", "σ" and "ς", "в" and "ᲀ"), is the pattern's.
# Folding both sides to the smallest letter of that group keeps every match an anchor match.
_CANONICAL = {code: min(code, *others) for code, others in _EXTRA_CASES.items()}
_TO_CANONICAL = {code: canonical for code, canonical in _CANONICAL.items() if canonical != code}
_NOT_CANONICAL = re.compile(f"[{''.join(map(chr, _TO_CANONICAL))}]")
_DOTTED_CAPITAL_I = "\u0130"  # the one letter whose str.lower() ("i\u0307") is not the engine's


def word_starts(text: str) -> list[int]:
    return [match.start() for match in _WORD_START.finditer(text)]


def folded(text: str) -> str:
    """`text` case-folded as the regex engine compares letters, one character for one."""
    lowered = text.replace(_DOTTED_CAPITAL_I, "i").lower()
    if lowered.isascii() or not _NOT_CANONICAL.search(lowered):  # translate() is slow: skip it
        return lowered
    return lowered.translate(_TO_CANONICAL)


class WordPatterns:
    """Whole-word, case-insensitive patterns; `spans` works like finditer over their alternation."""

    def __init__(self, patterns: Sequence[str]) -> None:
        self._alternations: _LetterAlternations | None = None
        if any(_has_groups(pattern) for pattern in patterns):
            self._alternations = _LetterAlternations(patterns)
            patterns = ()
        unique = list(dict.fromkeys(patterns))  # a repeated pattern never matches the second time
        firsts = [first_letters(pattern) for pattern in unique]
        self._patterns = [(_whole_word(pattern), chars)
                          for pattern, chars in zip(unique, firsts, strict=True)]
        self._letters = frozenset().union(*(chars for chars in firsts if chars is not None))
        self._anchors = _AnchorIndex([anchors(pattern) for pattern in unique])

    def spans(self, text: str, starts: Sequence[int]) -> Iterator[tuple[int, int]]:
        """Non-overlapping matches, leftmost first, each starting at one of `starts`."""
        if self._alternations is not None:
            yield from self._alternations.spans(text, starts)
            return
        candidates = [self._patterns[rank] for rank in self._anchors.ranks(text)]
        if not candidates:
            return
        taken_until = 0
        for start in starts:
            if start < taken_until:
                continue
            letter: str | None = text[start].lower()
            if letter not in self._letters:
                letter = None  # as in the alternation: only the patterns that start with anything
            for pattern, chars in candidates:
                if chars is not None and (letter is None or letter not in chars):
                    continue
                match = pattern.match(text, start)
                if match:  # the first pattern that matches is the alternation's match
                    if match.end() > start:
                        taken_until = match.end()
                        yield match.span()
                    break


@dataclass(frozen=True)
class _Message:
    folded: str
    keys: frozenset[str]  # every substring of `folded` of KEY_LENGTH


@lru_cache(maxsize=32)
def _message(text: str) -> _Message:
    """Cached: the pattern sets read the same message one after the other."""
    lowered = folded(text)
    return _Message(lowered, frozenset(_keys(lowered)))


class _AnchorIndex:
    """Which patterns (by rank) can match a message: those with an anchor in it, or none known."""

    def __init__(self, found: Sequence[_Anchors | None]) -> None:
        self._always = [rank for rank, strings in enumerate(found) if strings is None]
        self._short: list[tuple[str, int]] = []  # anchors shorter than a key
        self._by_key: dict[str, list[tuple[str, int]]] = {}
        key = _rarest_key([anchor for strings in found for anchor in strings or ()])
        for rank, strings in enumerate(found):
            for anchor in sorted(strings or ()):
                if len(anchor) < KEY_LENGTH:
                    self._short.append((anchor, rank))
                else:
                    self._by_key.setdefault(key[anchor], []).append((anchor, rank))
        self._keys = frozenset(self._by_key)

    def ranks(self, text: str) -> list[int]:
        message = _message(text)
        ranks = set(self._always)
        for anchor, rank in self._short:
            if anchor in message.folded:
                ranks.add(rank)
        for key in self._keys & message.keys:
            for anchor, rank in self._by_key[key]:
                if anchor in message.folded:
                    ranks.add(rank)
        return sorted(ranks)


def _keys(text: str) -> list[str]:
    return [text[i:i + KEY_LENGTH] for i in range(len(text) - KEY_LENGTH + 1)]


def _rarest_key(anchors_: list[str]) -> dict[str, str]:
    """The key each anchor is filed under: its substring within a word that fewest of them share.

    A key that most messages hold ("er ", "for") would have its anchors looked for in each of
    them. Keys across two words ("e a") are in most messages; within a word, how many anchors
    share a key is a fair guess at how often text holds it.
    """
    shared = Counter(key for anchor in set(anchors_) for key in set(_keys(anchor)))
    return {anchor: min(_keys(anchor), key=lambda key: (not key.isalpha(), shared[key]))
            for anchor in anchors_ if len(anchor) >= KEY_LENGTH}


class _LetterAlternations:
    """One alternation per possible first letter, tried at each word start."""

    def __init__(self, patterns: Sequence[str]) -> None:
        firsts = [first_letters(pattern) for pattern in patterns]
        letters = frozenset().union(*(chars for chars in firsts if chars is not None))

        def starting_with(letter: str | None) -> tuple[str, ...]:
            return tuple(
                pattern
                for pattern, chars in zip(patterns, firsts, strict=True)
                if chars is None or (letter is not None and letter in chars)
            )

        self._by_letter = {letter: _alternation(starting_with(letter)) for letter in letters}
        self._any_letter = _alternation(starting_with(None))

    def spans(self, text: str, starts: Sequence[int]) -> Iterator[tuple[int, int]]:
        taken_until = 0
        for start in starts:
            if start < taken_until:
                continue
            pattern = self._by_letter.get(text[start].lower(), self._any_letter)
            match = pattern.match(text, start) if pattern is not None else None
            if match and match.end() > start:
                taken_until = match.end()
                yield match.span()


@cache
def _alternation(patterns: tuple[str, ...]) -> re.Pattern[str] | None:
    if not patterns:
        return None
    return re.compile(f"(?:{'|'.join(f'(?:{p})' for p in patterns)})(?!\\w)", FLAGS)


@cache
def _whole_word(pattern: str) -> re.Pattern[str]:
    return re.compile(f"(?:{pattern})(?!\\w)", FLAGS)


@dataclass(frozen=True)
class _Reading:
    """What `WordPatterns` needs to know of a pattern, read from its parsed form."""

    has_groups: bool
    first_letters: frozenset[str] | None
    anchors: _Anchors | None


@cache
def _read(pattern: str) -> _Reading:
    """Cached: every language's pattern sets hold the same patterns, most of them. (Not the
    parsed form: a thousand parse trees kept alive would slow every garbage collection.)"""
    parsed = sre_parse.parse(pattern, FLAGS)
    return _Reading(parsed.state.groups > 1, _first_letters(parsed, pattern), _required(parsed))


def _has_groups(pattern: str) -> bool:
    return _read(pattern).has_groups


def first_letters(pattern: str) -> frozenset[str] | None:
    """The lower-case characters a match of `pattern` can start with; None when unknown."""
    return _read(pattern).first_letters


def _first_letters(parsed: Any, pattern: str) -> frozenset[str] | None:
    chars, can_be_empty = _sequence(parsed)
    if chars is None or can_be_empty:
        return None
    if any(not (char.isalnum() or char == "_") for char in chars):
        raise ValueError(f"tone pattern must start with a letter or digit: {pattern!r}")
    return chars


def _sequence(items: Any) -> _Firsts:
    found: set[str] = set()
    for op, av in items:
        chars, can_be_empty = _item(op, av)
        if chars is None:
            return None, False
        found |= chars
        if not can_be_empty:
            return frozenset(found), False
    return frozenset(found), True


def _item(op: Any, av: Any) -> _Firsts:
    if op is sre.LITERAL:
        return frozenset(chr(av).lower()), False
    if op is sre.IN:
        return _char_class(av), False
    if op is sre.BRANCH:
        branches = [_sequence(branch) for branch in av[1]]
        if any(chars is None for chars, _ in branches):
            return None, False
        return frozenset().union(*(c for c, _ in branches if c)), any(e for _, e in branches)
    if op is sre.SUBPATTERN:
        return _sequence(av[3])
    if op in _REPEATS:
        chars, can_be_empty = _sequence(av[2])
        return chars, can_be_empty or av[0] == 0
    if op in _ZERO_WIDTH:
        return frozenset(), True
    return None, False


def _char_class(items: Any) -> frozenset[str] | None:
    chars: set[str] = set()
    for op, av in items:
        if op is sre.LITERAL:
            chars.add(chr(av).lower())
        elif op is sre.RANGE and av[1] - av[0] <= _MAX_RANGE:
            chars.update(chr(code).lower() for code in range(av[0], av[1] + 1))
        elif op is sre.CATEGORY and av is sre.CATEGORY_DIGIT:
            chars.update("0123456789")
        else:
            return None
    return frozenset(chars)


# -- anchors ------------------------------------------------------------------------------------
def anchors(pattern: str) -> _Anchors | None:
    """Folded strings one of which every match of `pattern` contains; None when none is known."""
    return _read(pattern).anchors


def _required(items: Any) -> _Anchors | None:
    """The best of the anchor sets that a sequence's parts each require: runs of literal text
    ("you stole") and whatever a group, an alternation or a repeated part requires."""
    found: list[_Anchors] = []
    run: _Anchors = frozenset({""})  # what the literal parts read so far spell
    for op, av in items:
        spelt = _spelt(op, av)
        if spelt is not None and len(run) * len(spelt) <= _MAX_ANCHORS:
            run = frozenset(a + b for a, b in product(run, spelt))
            continue
        found.append(run)
        run = frozenset({""})
        if spelt is not None:
            found.append(spelt)
        elif op is sre.SUBPATTERN:
            found.append(_required(av[3]) or frozenset())
        elif op is sre.BRANCH:
            found.append(_union_of_all(_required(branch) for branch in av[1]) or frozenset())
        elif op in _REPEATS and av[0] >= 1:
            found.append(_required(av[2]) or frozenset())
    found.append(run)
    return _best(found)


def _union_of_all(alternatives: Iterable[_Anchors | None]) -> _Anchors | None:
    """All the alternatives' strings; None when one has none, or when they are too many."""
    union: set[str] = set()
    for strings in alternatives:
        if strings is None:
            return None
        union |= strings
    return frozenset(union) if len(union) <= _MAX_ANCHORS else None


def _best(candidates: list[_Anchors]) -> _Anchors | None:
    """The candidate whose shortest string is longest (fewest strings on a tie)."""
    usable = [c for c in candidates if c and "" not in c]
    if not usable:
        return None
    return max(usable, key=lambda c: (min(map(len, c)), -len(c)))


def _spelt(op: Any, av: Any) -> _Anchors | None:
    """The exact strings (folded) a part can match, when they are few; None otherwise."""
    if op is sre.LITERAL:
        return frozenset({folded(chr(av))})
    if op is sre.IN and len(av) <= _SMALL_CLASS and all(o is sre.LITERAL for o, _ in av):
        return frozenset(folded(chr(code)) for _, code in av)
    if op is sre.SUBPATTERN:
        return _spelt_sequence(av[3])
    if op is sre.BRANCH:
        return _union_of_all(_spelt_sequence(branch) for branch in av[1])
    return None


def _spelt_sequence(items: Any) -> _Anchors | None:
    strings = frozenset({""})
    for op, av in items:
        spelt = _spelt(op, av)
        if spelt is None or len(strings) * len(spelt) > _MAX_ANCHORS:
            return None
        strings = frozenset(a + b for a, b in product(strings, spelt))
    return strings
