"""The customer's new words in a reply: the quoted history and the signature taken off.

A reply carries the whole thread below (or, from mutt and Thunderbird users, around) the new
words, and the thread contains our own answer: matched as it is, a reply would be answered by
what we said last time. Each mail client marks the history its own way and in the writer's
language, so this knows the markers of Gmail, Outlook, Apple Mail and Thunderbird in English,
Danish, Norwegian, German and Russian.

Two kinds of history are told apart. History in ">" lines is dropped line by line, with the
attribution line above it ("On ..., Anna wrote:"), so that answers written between or after
the quotes are kept. History that is not quoted (Outlook's header block, "-----Original
Message-----", an attribution with unquoted text below) runs to the end: everything from its
first line on is dropped. So does a forwarded message, which is not the customer's new words
either (and often our own). Only markers shaped like a client's, carrying a date and time or
an address, start unquoted history, so a customer's own "On Monday I wrote:" cuts nothing.

Closing salutations ("Med venlig hilsen, Anna") are kept: no rule tells them reliably from
real content, and they do not disturb matching.
"""

from __future__ import annotations

import re

_MAX_MARKER = 300  # longer lines are prose, never a client's marker

_VERB_END = re.compile(
    r"(?<!\w)(?:wrote|writes|schrieb|skrev|skriver|написал\(а\)|написала|написал|пишет)"
    r"(?!\w).{0,160}:$", re.IGNORECASE)
# Gmail in Russian and Yandex write no verb: "вт, 3 мар. 2025 г. в 10:15, Иван <i@x.ru>:".
_ADDRESS_END = re.compile(r"<[^<>\s@]+@[^<>\s@]+>:$")
_TIME = re.compile(r"(?<!\d)\d{1,2}[:.]\d{2}(?!\d)")
_DATE = re.compile(r"(?<!\d)(?:(?:19|20)\d{2}|\d{1,2}[./-]\d{1,2}[./-]\d{2,4})(?!\d)")
_EMAIL = re.compile(r"[^\s<>@]+@[^\s<>@]+\.\w")
# "On", "Am", "Den"; a weekday before a date ("tir. 3. mar.", "вт, 3 мар."); or a date.
_CLIENT_START = re.compile(r"(?:on|am|den)\s|\d|\w{2,11}\.?,?\s+\d", re.IGNORECASE)

_SEPARATOR = re.compile(
    r"-{2,}\s*(?:original message|ursprüngliche nachricht|originalnachricht|"
    r"oprindelig meddelelse|oprindelig besked|opprinnelig melding|originalmelding|"
    r"исходное сообщение|forwarded message|weitergeleitete nachricht|"
    r"videresendt (?:meddelelse|besked|melding)|пересылаемое сообщение|"
    r"пересланное сообщение)\s*-{2,}"
    r"|(?:begin forwarded message|anfang der weitergeleiteten nachricht|"
    r"start på videresendt (?:meddelelse|besked|melding)|"
    r"начало переадресованного сообщения|пересланное сообщение):", re.IGNORECASE)
_UNDERSCORES = re.compile(r"_{10,}")

_LABEL = r"^\*?\s*({})\s*\*?\s*:"
_FROM_LABEL = re.compile(_LABEL.format("from|von|fra|от"), re.IGNORECASE)
_DATE_LABEL = re.compile(
    _LABEL.format("sent|date|gesendet|datum|sendt|dato|отправлено|дата"), re.IGNORECASE)
_TO_LABEL = re.compile(_LABEL.format("to|cc|an|til|kopi|кому|копия"), re.IGNORECASE)
_SUBJECT_LABEL = re.compile(_LABEL.format("subject|betreff|emne|тема"), re.IGNORECASE)
_HEADER_BLOCK_LINES = 8  # From: plus the others, a long To: or Cc: wrapped over a few lines

_DEVICE = (r"(?:iphone|ipad|ipod|android|samsung|galaxy|huawei|xiaomi|pixel|oneplus|nokia|"
           r"motorola|sony|blackberry|mobil\w*|smartphone|smarttelefon|phone|telefon|tablet|"
           r"mail|e-post|outlook|yahoo|gmail|proton\s?mail|proton|aol|gmx|web\.de|t-online|"
           r"telekom|windows|ios|yandex|яндекс\w*|mail\.ru|почт\w+|мобильн\w+|устройств\w+|"
           r"смартфон\w*|телефон\w*|планшет\w*|приложени\w+)\b")
_SENT_FROM = re.compile(
    r"(?:sent|sendt) (?:from|with|via|using|fra|med) (?:my |mi[nt]t? |the |den )?" + _DEVICE
    + r".{0,45}"
    r"|get outlook for (?:ios|android).{0,30}"
    r"|von meinem .{1,50} gesendet\W{0,3}"
    r"|gesendet (?:von|mit|aus|über) (?:meinem |meiner |der |dem )?" + _DEVICE + r".{0,45}"
    r"|outlook für (?:ios|android) (?:herunterladen|beziehen)\W{0,3}"
    r"|(?:hent|få) outlook (?:til|for) (?:ios|android).{0,30}"
    r"|отправлено (?:с|со|из|через) (?:моего |моей |мобильной |мобильного )?" + _DEVICE
    + r".{0,45}"
    r"|(?:получите|скачайте|загрузите) outlook для (?:ios|android).{0,30}",
    re.IGNORECASE)


def strip_quoted(text: str) -> str:
    """The text without quoted earlier messages ("> " lines, attributions, Outlook blocks)."""
    lines = _lines(text)
    kept: list[str] = []
    i = 0
    while i < len(lines):
        if _is_quote(lines[i]):
            i += 1
            continue
        if _starts_unquoted_history(lines, i):
            return _tidy(_without_trailing_separator(kept))
        span, strict = _attribution(lines, i)
        if span:
            after = _next_nonblank(lines, i + span)
            if after is not None and _is_quote(lines[after]):
                i += span
                continue
            if strict:
                return _tidy(_without_trailing_separator(kept))
        kept.append(lines[i])
        i += 1
    return _tidy(kept)


def strip_signature(text: str) -> str:
    """The text without the signature after "-- " and without "Sent from my iPhone" lines."""
    lines = _lines(text)
    for i, line in enumerate(lines):
        if line in ("-- ", "--"):
            lines = lines[:i]
            break
    return _tidy([line for line in lines if not _SENT_FROM.fullmatch(line.strip())])


def _lines(text: str) -> list[str]:
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _is_quote(line: str) -> bool:
    return line.lstrip().startswith(">")


def _next_nonblank(lines: list[str], start: int) -> int | None:
    return next((j for j in range(start, len(lines)) if lines[j].strip()), None)


def _attribution(lines: list[str], i: int) -> tuple[int, bool]:
    """How many lines (0, 1 or 2: Gmail wraps long ones) an attribution at line i takes, and
    whether it is certain enough to end the text when no quote follows it."""
    one = lines[i].strip()
    if _is_client_attribution(one):
        return 1, True
    if i + 1 < len(lines):
        second = lines[i + 1].strip()
        if (second and not _is_quote(second) and not _is_client_attribution(second)
                and _is_client_attribution(f"{one} {second}")):
            return 2, True
    if len(one) <= _MAX_MARKER and _VERB_END.search(one):
        return 1, False
    return 0, False


def _is_client_attribution(line: str) -> bool:
    if len(line) > _MAX_MARKER or not _CLIENT_START.match(line):
        return False
    dated = bool(_TIME.search(line) and _DATE.search(line))
    if _VERB_END.search(line):
        return dated or bool(_EMAIL.search(line))
    return dated and bool(_ADDRESS_END.search(line))


def _starts_unquoted_history(lines: list[str], i: int) -> bool:
    line = lines[i].strip()
    if len(line) > _MAX_MARKER:
        return False
    return bool(_SEPARATOR.fullmatch(line)) or _is_header_block(lines, i)


def _is_header_block(lines: list[str], i: int) -> bool:
    """Outlook's "From: / Sent: / To: / Subject:" (or Von:, Fra:, От: ...) above a reply.

    A From: line alone could be the customer's own ("Fra: København / Til: Oslo"), so a date
    label is required, and a subject label or an address on the From: line as well.
    """
    first = lines[i].strip()
    if not _FROM_LABEL.match(first):
        return False
    following = [line.strip() for line in lines[i + 1:i + 1 + _HEADER_BLOCK_LINES]]
    dated = any(_DATE_LABEL.match(line) for line in following)
    titled = any(_SUBJECT_LABEL.match(line) for line in following)
    addressed = any(_TO_LABEL.match(line) for line in following) and "@" in first
    return dated and (titled or addressed)


def _without_trailing_separator(lines: list[str]) -> list[str]:
    """Outlook draws a line of underscores above its header block; it belongs to the history."""
    end = len(lines)
    while end and not lines[end - 1].strip():
        end -= 1
    if end and _UNDERSCORES.fullmatch(lines[end - 1].strip()):
        end -= 1
    return lines[:end]


def _tidy(lines: list[str]) -> str:
    """Trailing spaces off, runs of blank lines made one, blank lines at both ends dropped."""
    out: list[str] = []
    for line in lines:
        line = line.rstrip()
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip("\n")
