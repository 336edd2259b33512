"""A customer's mail, as raw bytes, made into what the responder needs: who to answer, the
thread it belongs to, its subject, and the customer's new words.

Real mail is messy: bodies in Windows-1251 or KOI8-R, charsets missing or misspelt, raw 8-bit
headers, encoded CR/LF in a display name (a header-injection attempt, or a broken client),
multiparts without a boundary, truncated uploads, HTML-only mail. The standard library's
parser does most of the work; around it, every step that can raise is caught and what was
wrong is recorded in `problems` for staff, because one bad mail must never stop the mail
pipeline: `parse_mail` never raises, whatever the bytes. What it reads is bounded (header and
body lengths, MIME depth and part count), so that no mail costs more than about a second.

Whatever comes out of a header is one line, with no control characters: it goes into the
headers of our reply and into the logs. HTML is made text by inscriptis, with the quoted
history removed from the markup first, where the clients' own classes and ids mark it.
"""

from __future__ import annotations

import codecs
import email
import email.header
import email.parser
import email.utils
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from email.message import EmailMessage, Message
from email.policy import EmailPolicy
from typing import Any

import lxml.html
from inscriptis import Inscriptis
from inscriptis.css_profiles import CSS_PROFILES
from inscriptis.model.config import ParserConfig

from responder.channels.quotes import strip_quoted, strip_signature

MAX_TEXT = 20_000
# Characters of body, text and HTML, read in all. Inscriptis lays out tables in Python, about
# a second for 700 kB of table; what is cut is the end, and the customer's words are on top.
MAX_READ = 300_000
MAX_DEPTH = 20  # MIME nesting; real mail rarely goes past 4
# The standard parser takes about 0.2 ms a part and several seconds for a header of 100 kB;
# a mail with more parts is read for its headers only, and each header is cut as it is read.
MAX_SEPARATORS = 2_000
MAX_HEADER = 8_000
MAX_SUBJECT = 1_000
MAX_NAME = 200


class _Policy(EmailPolicy):
    """email.policy.default, with every header cut at MAX_HEADER characters as it is read."""

    def header_source_parse(self, sourcelines: list[str]) -> tuple[str, str]:
        name, value = super().header_source_parse(sourcelines)
        return name, value[:MAX_HEADER]


_POLICY = _Policy()
# The strict profile: the relaxed one indents every nested <div>, and mail nests many.
_HTML_CONFIG = ParserConfig(css=CSS_PROFILES["strict"])
_QUOTED_HTML = (
    "//blockquote"
    " | //div[contains(concat(' ', normalize-space(@class), ' '), ' gmail_quote ')]"
    " | //div[contains(concat(' ', normalize-space(@class), ' '), ' moz-cite-prefix ')]"
    " | //div[contains(concat(' ', normalize-space(@class), ' '), ' yahoo_quoted ')]"
    " | //div[contains(concat(' ', normalize-space(@class), ' '), ' protonmail_quote ')]"
    # Signatures, where clients mark them (Outlook's has no "-- " line above it)
    " | //*[contains(concat(' ', normalize-space(@class), ' '), ' gmail_signature ')]"
    " | //*[contains(concat(' ', normalize-space(@class), ' '), ' moz-signature ')]"
    " | //div[@id='Signature']")
# Outlook puts the earlier message after these, as siblings rather than inside them.
_HISTORY_FROM_HERE = ("//*[@id='appendonsend' or @id='divRplyFwdMsg'"
                      " or @id='mail-editor-reference-message-container']")
_SIGNATURE_TYPES = {"application/pgp-signature", "application/pkcs7-signature",
                    "application/x-pkcs7-signature"}
# Names mail clients send that Python does not know under that spelling.
_CHARSET_ALIASES = {"iso-8859-8-i": "iso-8859-8", "windows-874": "cp874",
                    "x-mac-cyrillic": "mac-cyrillic", "ks_c_5601-1987": "cp949",
                    "x-sjis": "shift_jis", "x-user-defined": "latin-1"}
# Codecs that are not charsets: they unescape, or always fail.
_NOT_CHARSETS = {"undefined", "unicode-escape", "raw-unicode-escape", "idna", "punycode"}

_MSG_ID = re.compile(r"<([\x21-\x3b\x3d\x3f-\x7e]{1,500})>")
_ENCODED_WORD_CHARSET = re.compile(r"=\?([^?*\s]{1,40})(?:\*[^?]*)?\?[bBqQ]\?")
_LABEL = r"[^\W_](?:[\w-]{0,61}[^\W_])?"
_ADDRESS = re.compile(rf"[\w.!#$%&'*+/=?^`{{|}}~-]{{1,64}}@(?:{_LABEL}\.)+{_LABEL}")
_NAME_ADDR = re.compile(r"([^<>]*)<([^<>]*)>\s*")
_BOUNDARY_LINE = re.compile(r"^--([^\s]{1,70})[ \t]*\r?$", re.MULTILINE)
_NOT_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
_ONE_LINE_SPACE = re.compile(r"[\s\x00-\x1f\x7f-\x9f\u2028\u2029]+")
_SURROGATES = re.compile(r"[\ud800-\udfff]")

_REPLY_PREFIX = re.compile(
    r"(?:re|aw|sv|vs|antw|ynt|fwd?|wg|tr|rv|отв|ответ|пересл)"
    r"\s*(?:\[\d{1,4}\]|\(\d{1,4}\)|\^\d{1,4})?\s*[:：]", re.IGNORECASE)
_SUBJECT_TAG = re.compile(r"\[[^\[\]]{1,60}\]")


@dataclass(frozen=True)
class ParsedMail:
    """One mail as the responder uses it; `problems` says what was wrong with it, if anything."""

    message: Message
    message_id: str | None
    in_reply_to: str | None
    references: tuple[str, ...]
    subject: str
    sender: str
    sender_name: str
    text: str
    full_text: str
    attachments: int
    problems: tuple[str, ...]


def parse_mail(raw: bytes) -> ParsedMail:
    """Everything the responder needs from one mail; never raises."""
    try:
        data = bytes(raw)
    except Exception as error:
        return _unreadable(error)
    too_many = data.count(b"\n--") > MAX_SEPARATORS
    try:
        return _Reader().read(data, f"more than {MAX_SEPARATORS:,} MIME separator lines"
                              if too_many else "")
    except Exception as error:  # RecursionError, say: the parser recurses per MIME level
        why = f"unreadable MIME structure ({type(error).__name__}: {error})"[:300]
    try:
        return _Reader().read(data, why)
    except Exception as error:
        return _unreadable(error)


def _unreadable(error: Exception) -> ParsedMail:
    return ParsedMail(EmailMessage(), None, None, (), "", "", "", "", "", 0,
                      (f"unreadable mail ({type(error).__name__}: {error})"[:300],))


def normalized_subject(subject: str) -> str:
    """The subject without reply and forward prefixes, in one case and spacing: the same for
    every message of a thread, when the client sent no In-Reply-To. Tags ("[#123]") stay."""
    tags, rest = _split_subject(subject)
    return " ".join(" ".join([*tags, rest]).split()).casefold()


def reply_subject(subject: str) -> str:
    """ "Re: " and the subject without its reply and forward prefixes; just "Re:" when nothing
    is left (a client shows its own "(no subject)", in the customer's language)."""
    tags, rest = _split_subject(subject)
    return " ".join(["Re:", *tags, rest]).strip()


def _split_subject(subject: str) -> tuple[list[str], str]:
    """Peels "Re: [#12] AW: " off the front: the prefixes dropped, the tags kept."""
    rest = _ONE_LINE_SPACE.sub(" ", subject)
    tags: list[str] = []
    while True:
        rest = rest.lstrip()
        if prefix := _REPLY_PREFIX.match(rest):
            rest = rest[prefix.end():]
        elif tag := _SUBJECT_TAG.match(rest):
            tags.append(tag.group())
            rest = rest[tag.end():]
        else:
            return tags, rest.strip()


class _Reader:
    """One mail's reading, collecting the problems noticed on the way."""

    def __init__(self) -> None:
        self.problems: list[str] = []
        self._recovered: dict[int, list[Message]] = {}
        self._left = MAX_READ

    def note(self, problem: str) -> None:
        if problem not in self.problems:
            self.problems.append(problem)

    def read(self, raw: bytes, skip_body: str = "") -> ParsedMail:
        """The whole mail, or only its headers when `skip_body` says why not the body."""
        parser = email.parser.BytesParser(policy=_POLICY)
        message = parser.parsebytes(raw, headersonly=bool(skip_body))
        if not raw.strip():
            self.note("empty mail")
        if skip_body:
            self.note(f"body not read: {skip_body}")
        for name, value in message.raw_items():
            if len(value) >= MAX_HEADER:
                self.note(f"{name} header cut at {MAX_HEADER:,} characters")
        subject = self._bounded(_one_line(self.header_text(message, "Subject")), MAX_SUBJECT,
                                "subject")
        sender, sender_name = self.sender(message)
        chunks = [] if skip_body else self.body(message, 0)
        full_text = self._bounded(_clean("\n\n".join(c.full for c in chunks)), MAX_TEXT, "body")
        new_words = self._bounded(_clean("\n\n".join(c.new for c in chunks)), MAX_TEXT, "body")
        attachments = 0 if skip_body else self.count_attachments(message, 0)
        self.note_defects(message)
        return ParsedMail(
            message=message,
            message_id=_first_id(_raw_header(message, "Message-ID")),
            in_reply_to=_first_id(_raw_header(message, "In-Reply-To")),
            references=tuple(dict.fromkeys(_ids(_raw_header(message, "References")))),
            subject=subject,
            sender=sender,
            sender_name=sender_name,
            text=strip_signature(strip_quoted(new_words)),
            full_text=full_text,
            attachments=attachments,
            problems=tuple(self.problems))

    def _bounded(self, text: str, limit: int, what: str) -> str:
        if len(text) <= limit:
            return text
        self.note(f"{what} cut at {limit:,} characters")
        return text[:limit]

    # Headers

    def header_text(self, message: Message, name: str) -> str:
        """A header's value with encoded-words decoded, raw 8-bit text read as UTF-8 (or
        Windows-1252), but not yet made one line."""
        raw = _raw_header(message, name)
        if raw is None:
            return ""
        value = self.from_8bit(raw, name)
        self.note_unknown_word_charsets(value, name)
        try:
            return str(_POLICY.header_factory(name, value))
        except Exception:
            return _decode_words(value)

    def from_8bit(self, raw: str, name: str) -> str:
        """Raw 8-bit bytes in a header (RFC 6532 allows UTF-8; older clients send their own
        charset), which the parser kept as surrogate escapes."""
        value = raw.replace("\r", "").replace("\n", "")
        if not _SURROGATES.search(value):
            return value
        data = value.encode("utf-8", "surrogateescape")
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            self.note(f"8-bit {name} header is not UTF-8, decoded as Windows-1252")
            return data.decode("cp1252", "replace")

    def note_unknown_word_charsets(self, value: str, name: str) -> None:
        for charset in _ENCODED_WORD_CHARSET.findall(value):
            if _codec(charset) is None:
                self.note(f"unknown charset {charset.lower()!r} in the {name} header, "
                          "decoded with replacements")

    def addresses(self, message: Message, name: str) -> list[tuple[str, str]]:
        """(display name, address) pairs; the parser's own first, the lenient one's when it
        refuses (it raises on a display name with an encoded CR or LF)."""
        raw = _raw_header(message, name)
        if raw is None:
            return []
        value = self.from_8bit(raw, name)
        self.note_unknown_word_charsets(value, name)
        try:
            header = _POLICY.header_factory(name, value)
            pairs = [(a.display_name, a.addr_spec) for a in header.addresses]
        except Exception:
            return _lenient_addresses(value)
        if len(pairs) == 1 and not pairs[0][0]:  # the old "anna@example.com (Anna Larsen)"
            name_in_comment, address = email.utils.parseaddr(value)
            if address == pairs[0][1]:
                pairs = [(_decode_words(name_in_comment), address)]
        return pairs

    def sender(self, message: Message) -> tuple[str, str]:
        """The address to answer (Reply-To when valid, else From) and the name to greet."""
        reply_to = self.addresses(message, "Reply-To")[:1]
        sender = self.addresses(message, "From")[:1]
        if reply_to and _valid_address(reply_to[0][1]):
            name, address = reply_to[0]
            if not name.strip() and sender and sender[0][1].lower() == address.lower():
                name = sender[0][0]
            return address.lower(), _display_name(name)
        if reply_to:
            self.note(f"Reply-To {_one_line(reply_to[0][1])[:100]!r} is not a valid address; "
                      "From is answered")
        if sender and _valid_address(sender[0][1]):
            return sender[0][1].lower(), _display_name(sender[0][0])
        self.note("no valid sender address")
        return "", _display_name(sender[0][0]) if sender else ""

    # The MIME tree

    def children(self, part: Message) -> list[Message]:
        """A multipart's parts; for a multipart without a boundary, the parts found by the
        first "--" line of its body, which is how such mail was meant to be read."""
        if part.is_multipart():
            payload: Any = part.get_payload()
            return [p for p in payload if isinstance(p, Message)]
        key = id(part)
        if key not in self._recovered:
            self._recovered[key] = self._recover_parts(part)
        return self._recovered[key]

    def _recover_parts(self, part: Message) -> list[Message]:
        payload = part.get_payload()
        body = payload if isinstance(payload, str) else ""
        found = _BOUNDARY_LINE.search(body)
        if found is None:
            self.note("malformed MIME: a multipart without parts, read as plain text")
            return []
        self.note("malformed MIME: a multipart's parts found by their separator lines, not "
                  "by its boundary parameter")
        boundary = found.group(1).replace('"', "")
        head = f'Content-Type: multipart/mixed; boundary="{boundary}"\r\n\r\n'
        whole = head.encode() + body.encode("utf-8", "surrogateescape")
        rebuilt = email.message_from_bytes(whole, policy=_POLICY)
        return self.children(rebuilt) if rebuilt.is_multipart() else []

    def body(self, part: Message, depth: int) -> list[_Chunk]:
        """The readable text of the mail, in order, each piece in full and without quotes."""
        if depth > MAX_DEPTH:
            self.note(f"malformed MIME: nested deeper than {MAX_DEPTH} levels, the rest ignored")
            return []
        kind = _content_type(part)
        if kind.startswith("multipart/"):
            return self.multipart_body(part, kind, depth)
        if kind not in ("text/plain", "text/html") or _is_attachment(part):
            return []
        text = self.decode(part)
        if kind == "text/plain":
            return [_Chunk(text, text)]
        return [self.html_chunk(text)]

    def multipart_body(self, part: Message, kind: str, depth: int) -> list[_Chunk]:
        parts = self.children(part)
        if not parts and not part.is_multipart():
            text = self.decode(part)
            return [_Chunk(text, text)]
        if kind == "multipart/encrypted":
            self.note("encrypted mail: the body cannot be read")
            return []
        if kind == "multipart/alternative":
            for choice in _preferred(parts):
                chunks = self.body(choice, depth + 1)
                if any(c.full.strip() for c in chunks):
                    return chunks
            return []
        if kind in ("multipart/related", "multipart/signed"):
            parts = parts[:1]  # the root, or the signed content
        return [chunk for p in parts for chunk in self.body(p, depth + 1)]

    def count_attachments(self, part: Message, depth: int) -> int:
        kind = _content_type(part)
        if depth > MAX_DEPTH or kind in _SIGNATURE_TYPES:
            return 0
        if kind.startswith("multipart/"):
            return sum(self.count_attachments(p, depth + 1) for p in self.children(part))
        if _is_attachment(part):
            return 1
        return int(not kind.startswith("text/") and bool(_filename(part)))

    def decode(self, part: Message) -> str:
        """The part's text, within what is left of MAX_READ."""
        try:
            data = part.get_payload(decode=True)
        except Exception as error:
            self.note(f"malformed MIME: undecodable body ({type(error).__name__})")
            return ""
        if not isinstance(data, bytes):
            return ""
        most = 4 * self._left  # bytes: a character is at most 4 in the charsets of mail
        if len(data) > most:  # cut at a line end, not in the middle of a character
            data = data[:data.rfind(b"\n", 0, most) + 1 or most]
        text = self.decode_bytes(data, _charset(part))
        if len(text) > self._left:
            self.note(f"body read only to its first {MAX_READ:,} characters")
            text = text[:self._left]
        self._left -= len(text)
        return text

    def decode_bytes(self, data: bytes, charset: str | None) -> str:
        if not charset:
            return self.undeclared(data, None)
        codec = _codec(charset)
        if codec is None:
            self.note(f"unknown charset {charset!r}, decoded as UTF-8 with replacements")
            return data.decode("utf-8", "replace")
        if codec == "ascii":
            return self.undeclared(data, charset)
        if codec == "iso8859-1":
            # What Windows sends as ISO-8859-1 is Windows-1252 (its quotes and the euro sign
            # sit where Latin-1 has control codes); browsers read it so too.
            try:
                return data.decode("cp1252")
            except UnicodeDecodeError:
                return data.decode("latin-1")
        try:
            return data.decode(codec)
        except (UnicodeDecodeError, ValueError):
            self.note(f"invalid {charset} bytes in the body, replaced")
            return data.decode(codec, "replace")

    def undeclared(self, data: bytes, charset: str | None) -> str:
        """Text with no charset or with ASCII declared: ASCII when it is; else UTF-8 when it
        is (what clients that declare nothing mostly send), else Windows-1252."""
        if data.isascii():
            return data.decode("ascii")
        declared = f"{charset!r} declared" if charset else "no charset declared"
        try:
            text = data.decode("utf-8")
            self.note(f"8-bit text with {declared}, decoded as UTF-8")
            return text
        except UnicodeDecodeError:
            self.note(f"8-bit text with {declared}, decoded as Windows-1252")
            return data.decode("cp1252", "replace")

    def html_chunk(self, html: str) -> _Chunk:
        try:
            return _html_to_text(html)
        except Exception as error:
            self.note(f"HTML body could not be converted ({type(error).__name__})")
            return _Chunk("", "")

    def note_defects(self, message: Message) -> None:
        for part in _walk(message, 0):
            for defect in getattr(part, "defects", ()):
                self.note(f"malformed MIME: {_defect_text(defect)}")


@dataclass(frozen=True)
class _Chunk:
    full: str
    new: str  # with the HTML quotes removed already, the text ones not yet


def _walk(part: Message, depth: int) -> Iterable[Message]:
    """The parts, without descending into attached mails (their defects are not this one's)."""
    yield part
    if depth < MAX_DEPTH and part.is_multipart():
        for child in part.get_payload():
            if isinstance(child, Message) and _content_type(child) != "message/rfc822":
                yield from _walk(child, depth + 1)


def _defect_text(defect: object) -> str:
    name = type(defect).__name__.removesuffix("Defect")
    words = re.sub(r"(?<!^)([A-Z])", r" \1", name).lower()
    detail = str(defect)
    return f"{words} ({detail})"[:200] if detail and detail != name else words


def _preferred(parts: list[Message]) -> list[Message]:
    """text/plain first (what the customer typed), then the richer forms, richest first."""
    plain = [p for p in parts if _content_type(p) == "text/plain" and not _is_attachment(p)]
    return plain + [p for p in reversed(parts) if p not in plain]


def _content_type(part: Message) -> str:
    try:
        return part.get_content_type()
    except Exception:
        return "text/plain"


def _is_attachment(part: Message) -> bool:
    try:
        return part.get_content_disposition() == "attachment"
    except Exception:
        return False


def _filename(part: Message) -> str | None:
    try:
        return part.get_filename()
    except Exception:
        return "unreadable"  # a name was there, in some broken form


def _charset(part: Message) -> str | None:
    try:
        charset = part.get_content_charset()
    except Exception:
        return None
    if not isinstance(charset, str):
        return None
    return charset.strip().strip("\"'").lower() or None


def _codec(charset: str) -> str | None:
    """Python's codec name for a mail charset, or None when unknown or not a charset."""
    name = _CHARSET_ALIASES.get(charset.lower(), charset)
    try:
        info = codecs.lookup(name)
    except (LookupError, ValueError):
        return None
    if info.name in _NOT_CHARSETS or not getattr(info, "_is_text_encoding", True):
        return None
    return info.name


def _html_to_text(html: str) -> _Chunk:
    """The HTML as text, in full and without its quoted parts (removed before conversion,
    where their markup still tells them apart)."""
    data = html.encode("utf-8", "replace")
    try:
        tree = lxml.html.document_fromstring(data, parser=lxml.html.HTMLParser(encoding="utf-8"))
    except Exception:  # lxml refuses an empty or all-comment document
        return _Chunk("", "")
    full = str(Inscriptis(tree, _HTML_CONFIG).get_text())
    if not _remove_quoted_html(tree):
        return _Chunk(full, full)
    return _Chunk(full, str(Inscriptis(tree, _HTML_CONFIG).get_text()))


def _remove_quoted_html(tree: Any) -> bool:
    quoted = [e for e in tree.xpath(_QUOTED_HTML) if e.getparent() is not None]
    for element in quoted:
        element.drop_tree()
    markers = tree.xpath(_HISTORY_FROM_HERE)[:1]
    for marker in markers:
        _remove_from(marker)
    return bool(quoted or markers)


def _remove_from(element: Any) -> None:
    """The element and everything after it in the document."""
    node = element
    while node.getparent() is not None and node.tag != "body":
        parent = node.getparent()
        for sibling in list(node.itersiblings()):
            parent.remove(sibling)
        node = parent
    parent = element.getparent()
    if parent is not None:
        parent.remove(element)


def _clean(text: str) -> str:
    """Newlines made \\n, control characters out, trailing spaces and extra blank lines off."""
    text = _NOT_TEXT.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = unicodedata.normalize("NFC", text)
    lines = [line.rstrip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")


def _one_line(text: str) -> str:
    text = _SURROGATES.sub("\ufffd", text)
    return unicodedata.normalize("NFC", _ONE_LINE_SPACE.sub(" ", text)).strip()


def _display_name(name: str) -> str:
    return _one_line(name.replace("<", " ").replace(">", " "))[:MAX_NAME].strip()


def _decode_words(value: str) -> str:
    """RFC 2047 encoded-words decoded leniently; the value itself when even that fails."""
    try:
        return str(email.header.make_header(email.header.decode_header(value)))
    except Exception:
        return value


def _lenient_addresses(value: str) -> list[tuple[str, str]]:
    """For what the parser refuses: one "name <address>" read by its angle brackets (an
    encoded-word with a raw ":" in the name would read as a group otherwise), else
    getaddresses' reading."""
    if one := _NAME_ADDR.fullmatch(value.strip()):
        return [(_decode_words(one.group(1).strip().strip('"')), one.group(2).strip())]
    return [(_decode_words(n), a) for n, a in email.utils.getaddresses([value])]


def _valid_address(address: str) -> bool:
    local = address.split("@", 1)[0]
    return (len(address) <= 254 and _ADDRESS.fullmatch(address) is not None
            and not local.startswith(".") and not local.endswith(".") and ".." not in local)


def _raw_header(message: Message, name: str) -> str | None:
    """The first such header as it came, before the policy's parsing (which can raise)."""
    wanted = name.lower()
    for key, value in message.raw_items():
        if key.lower() == wanted:
            return str(value)
    return None


def _ids(value: str | None) -> list[str]:
    if not value:
        return []
    found = _MSG_ID.findall(value.replace("\r", "").replace("\n", ""))
    return [f"<{i}>" for i in found if "@" in i.strip("@")]


def _first_id(value: str | None) -> str | None:
    ids = _ids(value)
    return ids[0] if ids else None
