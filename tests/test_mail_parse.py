"""Customers' mail, as it really arrives, made into what the responder matches and answers.

The corpus is written here and in tests/mails/: first mails and replies in the five
languages from Gmail, Outlook, Apple Mail and Thunderbird, the charsets they are sent in,
HTML-only mail, attachments, header-injection attempts, and broken MIME; and fuzzing, because
parse_mail must never raise.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from responder.channels.mail_parse import (
    MAX_TEXT,
    ParsedMail,
    normalized_subject,
    parse_mail,
    reply_subject,
)
from responder.channels.quotes import strip_quoted, strip_signature

MAILS = Path(__file__).parent / "mails"
FIXTURES = sorted(MAILS.glob("*.eml"))


def fixture(name: str) -> ParsedMail:
    return parse_mail((MAILS / name).read_bytes())


def mail(*headers: str, body: bytes | str = b"") -> bytes:
    """A raw mail with CRLF line ends, as it comes over SMTP."""
    data = body.encode("utf-8") if isinstance(body, str) else body
    return "\r\n".join([*headers, "", ""]).encode("utf-8") + data.replace(b"\n", b"\r\n")


# First mails in the five languages, in the transfer encodings clients use for each.

FIRST_MAILS = [
    ("en", 'From: "Anna Larsen" <anna@example.com>', "Subject: Where is my parcel?",
     "Content-Type: text/plain; charset=us-ascii", "Content-Transfer-Encoding: 7bit",
     b"Hello,\n\nI ordered a jacket on 3 March (order 4711) and it has not arrived.\n",
     "Hello,\n\nI ordered a jacket on 3 March (order 4711) and it has not arrived.",
     "Where is my parcel?"),
    ("da", "From: =?utf-8?q?S=C3=B8ren_=C3=86rb=C3=B8?= <soren@example.dk>",
     "Subject: =?utf-8?q?Hvorn=C3=A5r_kommer_min_pakke=3F?=",
     "Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: 8bit",
     "Hej,\n\nJeg har bestilt en grøn jakke. Hvornår kommer den?\n".encode(),
     "Hej,\n\nJeg har bestilt en grøn jakke. Hvornår kommer den?", "Hvornår kommer min pakke?"),
    ("no", "From: Kari Nordmann <kari@example.no>", "Subject: Bytte av jakke",
     'Content-Type: text/plain; charset="UTF-8"', "Content-Transfer-Encoding: quoted-printable",
     b"Hei!\n\nKan jeg bytte jakken til en st=C3=B8rre st=C3=B8rrelse? Den er for liten =\n"
     b"i skuldrene.\n",
     "Hei!\n\nKan jeg bytte jakken til en større størrelse? Den er for liten i skuldrene.",
     "Bytte av jakke"),
    ("de", "From: =?iso-8859-1?q?J=FCrgen_M=FCller?= <juergen@example.de>",
     "Subject: =?utf-8?b?UsO8Y2tzZW5kdW5n?=",
     "Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: base64",
     b"R3V0ZW4gVGFnLAoKaWNoIG3DtmNodGUgZGllIEphY2tlIHp1csO8Y2tzY2hpY2tlbi4gV2llIGdl\n"
     b"aHQgZGFzPwo=\n",
     "Guten Tag,\n\nich möchte die Jacke zurückschicken. Wie geht das?", "Rücksendung"),
    ("ru", "From: =?utf-8?b?0JjQstCw0L0g0J/QtdGC0YDQvtCy?= <ivan@example.ru>",
     "Subject: =?utf-8?b?0JLQvtC30LLRgNCw0YIg0YLQvtCy0LDRgNCw?=",
     "Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: 8bit",
     "Здравствуйте!\n\nКак вернуть куртку? Она мне мала.\n".encode(),
     "Здравствуйте!\n\nКак вернуть куртку? Она мне мала.", "Возврат товара"),
]
NAMES = {"en": "Anna Larsen", "da": "Søren Ærbø", "no": "Kari Nordmann",
         "de": "Jürgen Müller", "ru": "Иван Петров"}
ADDRESSES = {"en": "anna@example.com", "da": "soren@example.dk", "no": "kari@example.no",
             "de": "juergen@example.de", "ru": "ivan@example.ru"}


@pytest.mark.parametrize(("language", "sender", "subject", "ctype", "cte", "body", "text",
                          "title"), FIRST_MAILS, ids=[m[0] for m in FIRST_MAILS])
def test_a_first_mail_in_each_language(language: str, sender: str, subject: str, ctype: str,
                                       cte: str, body: bytes, text: str, title: str) -> None:
    parsed = parse_mail(mail(sender, "To: support@nordlys.example", subject,
                             "Message-ID: <first-1@example.com>", "MIME-Version: 1.0",
                             ctype, cte, body=body))
    assert parsed.text == text
    assert parsed.full_text == text
    assert parsed.subject == title
    assert parsed.sender_name == NAMES[language]
    assert parsed.sender == ADDRESSES[language]
    assert parsed.message_id == "<first-1@example.com>"
    assert (parsed.in_reply_to, parsed.references, parsed.attachments) == (None, (), 0)
    assert parsed.problems == ()


# Real clients' replies (tests/mails): only the customer's new words remain.

def test_a_gmail_reply_keeps_the_new_words_and_the_thread() -> None:
    parsed = fixture("gmail_en_reply.eml")
    assert parsed.text == ("Hi again,\n\nThe tracking link still says \"label created\" and it "
                           "has been a week. Can you\ncheck with the carrier?\n\nThanks,\nAnna")
    assert "Your parcel left our warehouse" in parsed.full_text
    assert parsed.message_id == "<CAF7Qm2rT0b0pY+9dA@mail.gmail.com>"
    assert parsed.in_reply_to == "<20250303101500.7f3a@nordlys.example>"
    assert parsed.references == ("<20250303101500.7f3a@nordlys.example>",
                                 "<CAF7Qm2p1y=Xv0wQ3@mail.gmail.com>")
    assert parsed.subject == "Re: Re: Where is my parcel?"
    assert normalized_subject(parsed.subject) == "where is my parcel?"
    assert (parsed.sender, parsed.sender_name) == ("anna.larsen@example.com", "Anna Larsen")


def test_an_outlook_reply_in_german_drops_the_header_block_and_keeps_the_greeting() -> None:
    parsed = fixture("outlook_de_reply.eml")
    assert parsed.text == ("Hallo,\n\ndie Jacke ist leider zu groß. Kann ich sie gegen Größe M "
                           "umtauschen?\n\nMit freundlichen Grüßen\nJürgen Müller")
    assert "Ihre Bestellung 4711 wurde versandt" in parsed.full_text
    assert parsed.sender_name == "Jürgen Müller"
    assert parsed.message_id == (
        "<AM9PR03MB7091C0A4F2E3D1B8C1E2A3B4C5D6@AM9PR03MB7091.eurprd03.prod.outlook.com>")
    assert parsed.problems == ()


def test_an_apple_mail_reply_in_danish_latin1_quoted_printable() -> None:
    parsed = fixture("apple_da_reply.eml")
    assert parsed.text == ("Hej\n\nJeg har fået en rød jakke, men jeg bestilte en grøn. "
                           "Hvordan bytter jeg den?")
    assert "Sendt fra min iPhone" in parsed.full_text
    assert (parsed.sender, parsed.sender_name) == ("jens@example.dk", "Jens Ærø")
    assert reply_subject(parsed.subject) == "Re: Din ordre 4711"


def test_a_thunderbird_reply_in_norwegian_keeps_answers_written_between_the_quotes() -> None:
    parsed = fixture("thunderbird_no_reply.eml")
    assert parsed.text == ("Ordrenummeret er 4711.\n\n"
                           "Storgata 5, 0155 Oslo. Pakken må leveres før fredag.")
    assert "Kari Nordmann" not in parsed.text  # the signature after "-- "


def test_an_outlook_reply_in_russian_windows_1251() -> None:
    parsed = fixture("outlook_ru_cp1251.eml")
    assert parsed.subject == "RE: Где мой заказ?"
    assert normalized_subject(parsed.subject) == "где мой заказ?"
    assert parsed.sender_name == "Иван Петров"
    assert parsed.text == ("Здравствуйте!\n\nЯ заказал куртку 3 марта, но посылка до сих пор не "
                           "пришла. Номер заказа 4711.\n\nС уважением,\nИван Петров")
    assert "Ваш заказ отправлен" in parsed.full_text


def test_an_html_only_gmail_mail_keeps_the_table_and_the_link_text_not_the_quote() -> None:
    parsed = fixture("html_only_gmail_da.eml")
    lines = parsed.text.splitlines()
    assert lines[:3] == ["Hej,", "", "Jeg vil gerne returnere disse varer:"]
    vare, uld, hue = (lines.index(row) for row in ("Vare          Antal", "Uldtrøje blå  2",
                                                    "Hue           1"))
    assert vare < uld < hue
    assert "Returlabel fra jeres side virker ikke." in lines
    assert "30 dage" not in parsed.text and "skrev Nordlys" not in parsed.text
    assert "30 dage" in parsed.full_text
    assert "<" not in parsed.text and "&quot;" not in parsed.text
    assert parsed.sender_name == "Larsen, Mette"


def test_attachments_are_counted_and_kept_out_of_the_text() -> None:
    parsed = fixture("attachments_mixed.eml")
    assert parsed.attachments == 2  # the invoice PDF and the inline photo
    assert parsed.text == ("The zipper on my jacket broke on the first day. A photo of it is "
                           "below and the\ninvoice is attached.")
    for trace in ("JVBER", "iVBOR", "%PDF", "Invoice 4711", "<p>", "cid:"):
        assert trace not in parsed.full_text


@pytest.mark.parametrize("path", FIXTURES, ids=[p.name for p in FIXTURES])
def test_every_fixture_reads_without_problems(path: Path) -> None:
    parsed = parse_mail(path.read_bytes())
    assert parsed.problems == ()
    assert parsed.text and parsed.sender and parsed.subject
    assert parsed.message.get("From") is not None


# Parts, alternatives and HTML

def alternative(plain: str, html: str) -> bytes:
    return mail("From: anna@example.com", "Subject: Both", "MIME-Version: 1.0",
                'Content-Type: multipart/alternative; boundary="b1"',
                body=f"--b1\nContent-Type: text/plain; charset=utf-8\n\n{plain}\n"
                     f"--b1\nContent-Type: text/html; charset=utf-8\n\n{html}\n--b1--\n")


def test_multipart_alternative_prefers_the_plain_text() -> None:
    parsed = parse_mail(alternative("Typed by Anna.", "<p>Rendered <b>by</b> her client.</p>"))
    assert parsed.text == "Typed by Anna."


def test_an_empty_plain_alternative_falls_back_to_the_html() -> None:
    parsed = parse_mail(alternative(" ", "<p>Only the <b>HTML</b> has words.</p>"))
    assert parsed.text == "Only the HTML has words."


def html_mail(html: str) -> bytes:
    return mail("From: anna@example.com", "Subject: Re: Order", "MIME-Version: 1.0",
                "Content-Type: text/html; charset=utf-8", body=html)


def test_an_outlook_html_reply_loses_everything_from_its_reply_header_on() -> None:
    parsed = parse_mail(html_mail(
        '<html><body><div>Please cancel order 4711.</div><div>Anna</div>'
        '<div id="appendonsend"></div><hr style="display:inline-block;width:98%">'
        '<div id="divRplyFwdMsg" dir="ltr"><b>From:</b> Nordlys Support<br>'
        '<b>Sent:</b> Tuesday, March 4, 2025 10:15<br><b>Subject:</b> Order</div>'
        '<div>Your order 4711 has been shipped.</div></body></html>'))
    assert parsed.text == "Please cancel order 4711.\nAnna"
    assert "has been shipped" in parsed.full_text


def test_html_blockquotes_are_dropped_with_their_attribution() -> None:
    apple = parse_mail(html_mail(
        '<html><body dir="auto">Yes, size M please.<br><div dir="ltr"><br>'
        '<blockquote type="cite">On 4 Mar 2025, at 10:15, Nordlys Support '
        '&lt;support@nordlys.example&gt; wrote:<br><br>Which size?</blockquote></div>'
        '</body></html>'))
    thunderbird = parse_mail(html_mail(
        '<html><body><p>Yes, size M please.</p><div class="moz-cite-prefix">On 04.03.2025 '
        '10:15, Nordlys Support wrote:<br></div><blockquote type="cite">Which size?'
        '</blockquote></body></html>'))
    bare = parse_mail(html_mail("<div>Yes, size M please.</div><blockquote>Which size?"
                                "</blockquote>"))
    assert apple.text == thunderbird.text == bare.text == "Yes, size M please."


def test_signatures_marked_in_html_are_dropped() -> None:
    parsed = parse_mail(html_mail(
        '<div>Where is my parcel?</div><div id="Signature"><p>Anna Larsen | Head of '
        'Purchasing</p><p>This e-mail is confidential.</p></div>'))
    assert parsed.text == "Where is my parcel?"
    assert "confidential" in parsed.full_text


def test_an_outlook_desktop_html_reply_is_cut_at_its_header_block_in_the_text() -> None:
    parsed = parse_mail(html_mail(
        '<div class="WordSection1"><p class="MsoNormal">Wann kommt das Paket?</p>'
        '<div style="border:none;border-top:solid #E1E1E1 1.0pt"><p class="MsoNormal">'
        '<b>Von:</b> Nordlys &lt;support@nordlys.example&gt;<br><b>Gesendet:</b> Dienstag, '
        '4. März 2025 10:15<br><b>An:</b> Jürgen<br><b>Betreff:</b> Bestellung</p></div>'
        '<p class="MsoNormal">Ihr Paket ist unterwegs.</p></div>'))
    assert parsed.text == "Wann kommt das Paket?"


def test_a_text_attachment_is_counted_and_a_pgp_signature_is_not() -> None:
    parsed = parse_mail(mail(
        "From: anna@example.com", "Subject: Log", "MIME-Version: 1.0",
        'Content-Type: multipart/signed; protocol="application/pgp-signature"; boundary="s"',
        body='--s\nContent-Type: multipart/mixed; boundary="m"\n\n'
             "--m\nContent-Type: text/plain; charset=utf-8\n\nThe app crashes, log attached.\n"
             '--m\nContent-Type: text/plain; name="app.log"\n'
             'Content-Disposition: attachment; filename="app.log"\n\nERROR secret stack\n'
             "--m--\n"
             '--s\nContent-Type: application/pgp-signature; name="signature.asc"\n'
             'Content-Disposition: attachment; filename="signature.asc"\n\n'
             "-----BEGIN PGP SIGNATURE-----\nxyz\n-----END PGP SIGNATURE-----\n--s--\n"))
    assert parsed.text == "The app crashes, log attached."
    assert parsed.attachments == 1
    assert "ERROR" not in parsed.full_text and "PGP" not in parsed.full_text


# Charsets

def text_mail(body: bytes, ctype: str = "text/plain; charset=utf-8",
              cte: str = "8bit") -> ParsedMail:
    return parse_mail(mail("From: kunde@example.com", "Subject: Hi", "MIME-Version: 1.0",
                           f"Content-Type: {ctype}", f"Content-Transfer-Encoding: {cte}",
                           body=body))


def test_koi8_r_body_and_subject() -> None:
    parsed = parse_mail(mail(
        "From: ivan@example.ru", "Subject: =?koi8-r?B?UmU6IPrBy8HaIDQ3MTE=?=",
        "Content-Type: text/plain; charset=KOI8-R", "Content-Transfer-Encoding: 8bit",
        body="Где мой заказ? Прошла неделя.\n".encode("koi8_r")))
    assert parsed.subject == "Re: Заказ 4711"
    assert parsed.text == "Где мой заказ? Прошла неделя."
    assert parsed.problems == ()


@pytest.mark.parametrize(("charset", "body", "text"), [
    ("windows-1252", b"Don\x92t send the \x93blue\x94 one \x96 the green one.",
     "Don’t send the “blue” one – the green one."),
    ("iso-8859-15", b"Jeg har betalt 49 \xa4 for fragt.", "Jeg har betalt 49 € for fragt."),
    ("iso-8859-1", b"Gr\xfc\xdfe, \x84Jacke\x93 kaputt", "Grüße, „Jacke“ kaputt"),
    ("windows-1251", "Добрый день".encode("cp1251"), "Добрый день"),
    ("utf-8", "Hei på deg".encode(), "Hei på deg"),
])
def test_declared_charsets(charset: str, body: bytes, text: str) -> None:
    parsed = text_mail(body, f'text/plain; charset="{charset}"')
    assert parsed.text == text
    assert parsed.problems == ()


def test_a_missing_charset_on_utf8_text_is_read_as_utf8_and_noted() -> None:
    parsed = text_mail("Hvornår kommer pakken?".encode(), "text/plain")
    assert parsed.text == "Hvornår kommer pakken?"
    assert parsed.problems == ("8-bit text with no charset declared, decoded as UTF-8",)


def test_a_missing_charset_on_windows_text_falls_back_to_windows_1252() -> None:
    parsed = text_mail("Viele Grüße – Jürgen".encode("cp1252"), "text/plain")
    assert parsed.text == "Viele Grüße – Jürgen"
    assert parsed.problems == ("8-bit text with no charset declared, decoded as Windows-1252",)


def test_an_unknown_charset_is_read_as_utf8_with_replacements() -> None:
    parsed = text_mail("Hej Søren".encode() + b" \xff", "text/plain; charset=x-foo")
    assert parsed.text == "Hej Søren \ufffd"
    assert parsed.problems == ("unknown charset 'x-foo', decoded as UTF-8 with replacements",)


def test_codecs_that_are_no_charsets_are_refused() -> None:
    parsed = text_mail(b"caf\\xe9 \\u0041", "text/plain; charset=unicode_escape")
    assert parsed.text == "caf\\xe9 \\u0041"
    assert parsed.problems[0].startswith("unknown charset 'unicode_escape'")


def test_raw_8bit_headers_are_read_as_utf8_or_windows_1252() -> None:
    utf8 = parse_mail("From: Søren Ærbø <soren@example.dk>\r\nSubject: Bytte af trøje\r\n\r\n"
                      "x".encode())
    latin = parse_mail(b"From: anna@example.com\r\nSubject: Gr\xfc\xdfe aus K\xf6ln\r\n\r\nx")
    assert (utf8.subject, utf8.sender_name) == ("Bytte af trøje", "Søren Ærbø")
    assert latin.subject == "Grüße aus Köln"
    assert latin.problems == ("8-bit Subject header is not UTF-8, decoded as Windows-1252",)


def test_an_unknown_charset_in_an_encoded_word_is_noted() -> None:
    parsed = parse_mail(b"From: anna@example.com\r\nSubject: =?x-bogus?q?Hello?=\r\n\r\nx")
    assert "Hello" in parsed.subject
    assert parsed.problems == (
        "unknown charset 'x-bogus' in the Subject header, decoded with replacements",)


def test_a_long_body_is_cut_and_the_cut_noted() -> None:
    parsed = text_mail(("Hello world. " * 5000).encode())
    assert len(parsed.full_text) == MAX_TEXT
    assert len(parsed.text) <= MAX_TEXT
    assert parsed.problems == (f"body cut at {MAX_TEXT:,} characters",)


# Senders, display names and header injection

@pytest.mark.parametrize(("from_", "address", "name"), [
    ('"Larsen, Anna" <Anna.Larsen@Example.COM>', "anna.larsen@example.com", "Larsen, Anna"),
    ('"Anna \\"the boss\\" Larsen" <anna@example.com>', "anna@example.com",
     'Anna "the boss" Larsen'),
    ("=?iso-8859-1?q?Jens_=C6r=F8?= <j@x.dk>", "j@x.dk", "Jens Ærø"),
    ("=?utf-8?q?Larsen=2C_Mette?= <mette@example.dk>", "mette@example.dk", "Larsen, Mette"),
    ("=?windows-1251?B?yOLg7SDP5fLw7uI=?= <ivan@example.ru>", "ivan@example.ru", "Иван Петров"),
    ("anna@example.com", "anna@example.com", ""),
    ("<anna@example.com>", "anna@example.com", ""),
    ("anna@example.com (Anna Larsen)", "anna@example.com", "Anna Larsen"),
])
def test_sender_address_and_display_name(from_: str, address: str, name: str) -> None:
    parsed = parse_mail(mail(f"From: {from_}", "Subject: x", body="x"))
    assert (parsed.sender, parsed.sender_name) == (address, name)


def test_reply_to_is_preferred_to_from() -> None:
    parsed = parse_mail(mail("From: Webshop <noreply@shop.example>",
                             "Reply-To: Anna Larsen <Anna@Example.com>", body="x"))
    assert (parsed.sender, parsed.sender_name) == ("anna@example.com", "Anna Larsen")


def test_a_nameless_reply_to_of_the_same_address_keeps_the_from_name() -> None:
    parsed = parse_mail(mail("From: Anna Larsen <anna@example.com>",
                             "Reply-To: anna@example.com", body="x"))
    assert (parsed.sender, parsed.sender_name) == ("anna@example.com", "Anna Larsen")


def test_an_invalid_reply_to_falls_back_to_from_and_is_noted() -> None:
    parsed = parse_mail(mail("From: Anna <anna@example.com>", "Reply-To: garbage", body="x"))
    assert parsed.sender == "anna@example.com"
    assert parsed.problems == ("Reply-To 'garbage' is not a valid address; From is answered",)


@pytest.mark.parametrize("from_", [None, "<>", "Anna", "anna@", "@example.com",
                                   "anna@localhost", "an..na@example.com", "a b@example.com"])
def test_no_valid_sender_gives_an_empty_address(from_: str | None) -> None:
    headers = [f"From: {from_}"] if from_ is not None else []
    parsed = parse_mail(mail(*headers, "Subject: x", body="x"))
    assert parsed.sender == ""
    assert "no valid sender address" in parsed.problems


@pytest.mark.parametrize("header", [
    "Subject: =?utf-8?q?Hi=0D=0ABcc:_x@y?=",
    "Subject: =?utf-8?b?SGkNCkJjYzogeEB5?=",
    "Subject: =?utf-8?q?Hi=0ABcc:_x@y=09=E2=80=A8more?=",
])
def test_encoded_line_breaks_in_the_subject_come_out_as_one_line(header: str) -> None:
    subject = parse_mail(mail("From: anna@example.com", header, body="x")).subject
    assert subject.startswith("Hi Bcc: x@y")
    assert not any(c in subject for c in "\r\n\t\u2028")


@pytest.mark.parametrize("from_", [
    "=?utf-8?q?Evil=0D=0ABcc:_x@y?= <anna@example.com>",
    "=?utf-8?q?Evil=0D=0ABcc=3A_x=40y?= <anna@example.com>",
    "=?utf-8?q?Anna_=3Cceo@bank.example=3E=0D=0A?= <anna@example.com>",
    '"Evil\\\r\n Bcc: x@y" <anna@example.com>',
])
def test_a_display_name_cannot_inject_headers(from_: str) -> None:
    parsed = parse_mail(mail(f"From: {from_}", "Subject: x", body="x"))
    assert parsed.sender == "anna@example.com"
    assert parsed.sender_name
    assert not any(c in parsed.sender_name for c in "\r\n<>")


@pytest.mark.parametrize(("value", "expected"), [
    ("<abc.123@mail.example.com>", "<abc.123@mail.example.com>"),
    ("  <abc@example.com>  ", "<abc@example.com>"),
    ("<abc@example.com> (Anna's message of 3 March)", "<abc@example.com>"),
    ("\r\n <abc@example.com>", "<abc@example.com>"),
    ("abc@example.com", None),
    ("<no-at-sign>", None),
    ("<a b@example.com>", None),
    ("<>", None),
    ("garbage", None),
])
def test_message_ids(value: str, expected: str | None) -> None:
    parsed = parse_mail(mail("From: anna@example.com", f"Message-ID: {value}",
                             f"In-Reply-To: {value}", body="x"))
    assert parsed.message_id == parsed.in_reply_to == expected


def test_references_keep_order_and_lose_duplicates_and_garbage() -> None:
    parsed = parse_mail(mail("From: anna@example.com",
                             "References: <1@a.example> <2@b.example>\r\n"
                             "\t<1@a.example> junk <3@c.example>\r\n <not an id>",
                             "In-Reply-To: <3@c.example> <4@d.example>", body="x"))
    assert parsed.references == ("<1@a.example>", "<2@b.example>", "<3@c.example>")
    assert parsed.in_reply_to == "<3@c.example>"


# Malformed mail never raises

def test_a_multipart_without_a_boundary_is_read_by_its_separator_lines() -> None:
    parsed = parse_mail(mail(
        "From: anna@example.com", "Subject: Broken", "MIME-Version: 1.0",
        "Content-Type: multipart/mixed",
        body="--XyZ\nContent-Type: text/plain; charset=utf-8\n\nThe words.\n"
             '--XyZ\nContent-Type: application/pdf\nContent-Disposition: attachment; '
             'filename="a.pdf"\nContent-Transfer-Encoding: base64\n\nJVBERi0=\n--XyZ--\n'))
    assert parsed.text == "The words."
    assert parsed.attachments == 1
    assert any(p.startswith("malformed MIME") for p in parsed.problems)


def test_a_multipart_without_a_boundary_or_parts_is_read_as_text() -> None:
    parsed = parse_mail(mail("From: anna@example.com", "Content-Type: multipart/mixed",
                             body="Just some words."))
    assert parsed.text == "Just some words."
    assert any(p.startswith("malformed MIME") for p in parsed.problems)


def test_a_truncated_mail_keeps_what_arrived() -> None:
    raw = (MAILS / "attachments_mixed.eml").read_bytes()
    parsed = parse_mail(raw[:raw.index(b"JVBERi0xLjQK") + 30])
    assert parsed.text.startswith("The zipper on my jacket broke")
    assert parsed.attachments == 2
    assert "malformed MIME: close boundary not found" in parsed.problems


def test_bad_base64_is_noted_not_fatal() -> None:
    parsed = text_mail(b"SGVsbG8gd29ybGQ*!!", cte="base64")
    assert parsed.text.startswith("Hello")
    assert any("base64" in p for p in parsed.problems)


def test_empty_bytes() -> None:
    parsed = parse_mail(b"")
    assert (parsed.text, parsed.subject, parsed.sender, parsed.attachments) == ("", "", "", 0)
    assert "empty mail" in parsed.problems


def test_binary_garbage() -> None:
    parsed = parse_mail(bytes(range(256)) * 4)
    assert isinstance(parsed.text, str)
    assert parsed.sender == ""
    assert parsed.problems


def test_mime_nested_past_the_parsers_recursion_still_gives_the_headers() -> None:
    nested = b"".join(b'Content-Type: multipart/mixed; boundary="b%d"\r\n\r\n--b%d\r\n' % (i, i)
                      for i in range(2000))
    parsed = parse_mail(b"From: anna@example.com\r\nSubject: Deep\r\n" + nested + b"\r\nhi")
    assert (parsed.subject, parsed.sender, parsed.text) == ("Deep", "anna@example.com", "")
    assert parsed.problems[0].startswith("body not read: ")


def test_too_many_parts_are_not_read() -> None:
    parts = b"--b\r\nContent-Type: text/plain\r\n\r\nhello\r\n" * 3000
    parsed = parse_mail(b"From: anna@example.com\r\nSubject: Many\r\n"
                        b"Content-Type: multipart/mixed; boundary=b\r\n\r\n" + parts + b"--b--")
    assert (parsed.subject, parsed.text) == ("Many", "")
    assert parsed.problems == ("body not read: more than 2,000 MIME separator lines",)


def test_a_huge_header_is_cut() -> None:
    parsed = parse_mail(b"From: anna@example.com\r\nSubject: " + b"=?utf-8?q?a?= " * 50000
                        + b"\r\n\r\nx")
    assert len(parsed.subject) <= 1000
    assert "Subject header cut at 8,000 characters" in parsed.problems


def assert_sane(parsed: ParsedMail) -> None:
    assert isinstance(parsed, ParsedMail)
    for one_line in (parsed.subject, parsed.sender, parsed.sender_name):
        assert "\r" not in one_line and "\n" not in one_line
    assert "<" not in parsed.sender_name and ">" not in parsed.sender_name
    assert len(parsed.full_text) <= MAX_TEXT and len(parsed.text) <= MAX_TEXT
    assert all(isinstance(p, str) for p in parsed.problems)


def test_fuzz_truncated_fixtures() -> None:
    for path in FIXTURES:
        raw = path.read_bytes()
        for end in range(0, len(raw), 23):
            assert_sane(parse_mail(raw[:end]))


def mutate(raw: bytes, rng: random.Random) -> bytes:
    data = bytearray(raw)
    pieces = [b"\r\n", b"\n--", b"=?", b"?=", b"<", b">", b":", b'"', b"=\r\n", b"\x00",
              b"boundary=", b"charset=x-foo", b"\xff\xfe", b"=?utf-8?q?a=0D=0A?=",
              b"<blockquote>", b'<div id="divRplyFwdMsg">', b"Content-Type: multipart/mixed"]
    for _ in range(rng.randint(1, 12)):
        at = rng.randrange(len(data) + 1)
        roll = rng.random()
        if roll < 0.3 and data:
            data[min(at, len(data) - 1)] = rng.randrange(256)
        elif roll < 0.6:
            data[at:at] = rng.choice(pieces)
        elif roll < 0.8:
            del data[at:at + rng.randint(1, 200)]
        else:
            start = rng.randrange(len(data) + 1)
            data[at:at] = data[start:start + rng.randint(1, 300)]
    return bytes(data)


def test_fuzz_mutated_fixtures_and_random_bytes() -> None:
    rng = random.Random(20250304)
    corpus = [path.read_bytes() for path in FIXTURES]
    for _ in range(600):
        assert_sane(parse_mail(mutate(rng.choice(corpus), rng)))
    for _ in range(200):
        assert_sane(parse_mail(rng.randbytes(rng.randint(0, 2000))))


# Quoted history, by client and language (the text as the mail's plain part has it)

REPLIES = {
    "gmail-en": "On Tue, 4 Mar 2025 at 10:15, Nordlys Support <support@nordlys.example>\n"
                "wrote:\n\n> Which size would you like?\n>\n",
    "gmail-en-us": "On Tue, Mar 4, 2025 at 10:15 AM Nordlys Support <support@nordlys.example> "
                   "wrote:\n\n> Which size would you like?\n",
    "gmail-de": "Am Di., 4. März 2025 um 10:15 Uhr schrieb Nordlys Support <\n"
                "support@nordlys.example>:\n\n> Welche Größe möchten Sie?\n",
    "gmail-da": "Den tir. 4. mar. 2025 kl. 10.15 skrev Nordlys Support <\n"
                "support@nordlys.example>:\n\n> Hvilken størrelse vil du have?\n",
    "gmail-no": "tir. 4. mar. 2025 kl. 10:15 skrev Nordlys Support <\n"
                "support@nordlys.example>:\n\n> Hvilken størrelse vil du ha?\n",
    "gmail-ru": "вт, 4 мар. 2025 г. в 10:15, Nordlys Support <support@nordlys.example>:\n\n"
                "> Какой размер вам нужен?\n",
    "gmail-html-as-text": "On Tue, 4 Mar 2025 at 10:15, Nordlys Support "
                          "<support@nordlys.example> wrote:\nWhich size would you like?\n",
    "apple-en": "On 4 Mar 2025, at 10:15, Nordlys Support <support@nordlys.example> wrote:\n\n"
                "> Which size would you like?\n",
    "apple-ios-en": "> On 4 Mar 2025, at 10:15, Nordlys Support <support@nordlys.example> "
                    "wrote:\n> \n> Which size would you like?\n",
    "apple-de": "Am 04.03.2025 um 10:15 schrieb Nordlys Support <support@nordlys.example>:\n\n"
                "> Welche Größe möchten Sie?\n",
    "apple-da": "Den 4. mar. 2025 kl. 10.15 skrev Nordlys Support <support@nordlys.example>:\n"
                "\n> Hvilken størrelse vil du have?\n",
    "apple-no": "4. mar. 2025 kl. 10:15 skrev Nordlys Support <support@nordlys.example>:\n\n"
                "> Hvilken størrelse vil du ha?\n",
    "apple-ru": "4 марта 2025 г., в 10:15, Nordlys Support <support@nordlys.example> "
                "написал(а):\n\n> Какой размер вам нужен?\n",
    "outlook-en": "________________________________\nFrom: Nordlys Support "
                  "<support@nordlys.example>\nSent: Tuesday, March 4, 2025 10:15 AM\n"
                  "To: Anna Larsen <anna@example.com>\nSubject: RE: Order 4711\n\n"
                  "Which size would you like?\n",
    "outlook-en-old": "-----Original Message-----\nFrom: Nordlys Support "
                      "[mailto:support@nordlys.example]\nSent: Tuesday, March 4, 2025 10:15 AM\n"
                      "To: Anna Larsen\nSubject: Order 4711\n\nWhich size would you like?\n",
    "outlook-en-bold": "*From:* Nordlys Support <support@nordlys.example>\n*Sent:* Tuesday, "
                       "March 4, 2025 10:15 AM\n*To:* Anna Larsen <anna@example.com>\n"
                       "*Subject:* Order 4711\n\nWhich size would you like?\n",
    "outlook-de": "-----Ursprüngliche Nachricht-----\nVon: Nordlys Support "
                  "<support@nordlys.example>\nGesendet: Dienstag, 4. März 2025 10:15\n"
                  "An: Jürgen Müller\nBetreff: Bestellung 4711\n\nWelche Größe möchten Sie?\n",
    "outlook-da": "________________________________\nFra: Nordlys Support "
                  "<support@nordlys.example>\nSendt: 4. marts 2025 10:15\nTil: Jens Ærø\n"
                  "Emne: Ordre 4711\n\nHvilken størrelse vil du have?\n",
    "outlook-da-old": "-----Oprindelig meddelelse-----\nFra: Nordlys Support\n"
                      "Sendt: 4. marts 2025 10:15\nTil: Jens\nEmne: Ordre\n\nHvilken størrelse?\n",
    "outlook-no": "-----Opprinnelig melding-----\nFra: Nordlys Support "
                  "<support@nordlys.example>\nSendt: tirsdag 4. mars 2025 10:15\nTil: Kari\n"
                  "Emne: Ordre 4711\n\nHvilken størrelse vil du ha?\n",
    "outlook-ru": "________________________________\nОт: Nordlys Support "
                  "<support@nordlys.example>\nОтправлено: 4 марта 2025 г. 10:15\n"
                  "Кому: Иван Петров\nТема: Заказ 4711\n\nКакой размер вам нужен?\n",
    "outlook-ru-old": "-----Исходное сообщение-----\nОт: Nordlys Support\n"
                      "Отправлено: 4 марта 2025 г. 10:15\nТема: Заказ\n\nКакой размер?\n",
    "thunderbird-en": "On 04/03/2025 10:15, Nordlys Support wrote:\n"
                      "> Which size would you like?\n",
    "thunderbird-de": "Am 04.03.25 um 10:15 schrieb Nordlys Support:\n"
                      "> Welche Größe möchten Sie?\n",
    "thunderbird-da": "Den 04-03-2025 kl. 10:15 skrev Nordlys Support:\n"
                      "> Hvilken størrelse vil du have?\n",
    "thunderbird-no": "Den 04.03.2025 10:15, skrev Nordlys Support:\n"
                      "> Hvilken størrelse vil du ha?\n",
    "thunderbird-ru": "04.03.2025 10:15, Nordlys Support пишет:\n> Какой размер вам нужен?\n",
    "thunderbird-old": "Nordlys Support wrote:\n> Which size would you like?\n",
    "gmail-forward-en": "---------- Forwarded message ---------\nFrom: Nordlys Support "
                        "<support@nordlys.example>\nDate: Tue, 4 Mar 2025 at 10:15\n"
                        "Subject: Order 4711\nTo: <anna@example.com>\n\nWhich size?\n",
    "apple-forward-da": "Start på videresendt besked:\n\nFra: Nordlys Kundeservice "
                        "<support@nordlys.example>\nEmne: Ordre 4711\n\nHvilken størrelse?\n",
    "thunderbird-forward-de": "-------- Weitergeleitete Nachricht --------\n"
                              "Betreff: Bestellung 4711\nDatum: Tue, 4 Mar 2025 10:15:00\n"
                              "\nWelche Größe?\n",
    "yandex-ru": '04.03.2025, 10:15, "Nordlys Support" <support@nordlys.example>:\n'
                 "Какой размер вам нужен?\n",
    "mailru-ru": "Вторник, 4 марта 2025, 10:15 +03:00 от Nordlys Support "
                 "<support@nordlys.example>:\n\nКакой размер вам нужен?\n",
}
NEW_WORDS = "Size M, please.\nAnd in green if you have it."


@pytest.mark.parametrize("client", REPLIES)
def test_top_posted_reply_keeps_only_the_new_words(client: str) -> None:
    assert strip_quoted(f"{NEW_WORDS}\n\n{REPLIES[client]}") == NEW_WORDS


QUOTED = [c for c in REPLIES if REPLIES[c].rstrip().splitlines()[-1].startswith(">")]


@pytest.mark.parametrize("client", QUOTED)
def test_bottom_posted_reply_keeps_only_the_new_words(client: str) -> None:
    assert strip_quoted(f"{REPLIES[client]}\n{NEW_WORDS}\n") == NEW_WORDS


def test_crlf_text_is_handled() -> None:
    text = f"{NEW_WORDS}\n\n{REPLIES['outlook-de']}".replace("\n", "\r\n")
    assert strip_quoted(text) == NEW_WORDS


@pytest.mark.parametrize("text", [
    "Your colleague wrote on 3 March 2025:\n\"We will refund you within 5 days.\"\n"
    "Nothing has happened since.",
    "Fra: København\nTil: Oslo\nDato: 3. marts\n\nHvornår kommer pakken?",
    "Den mail I skrev til mig i går, sagde følgende:\nPakken er sendt.",
    "Am Telefon schrieb mir Ihr Kollege um 10:15 Folgendes:\nDas Paket kommt morgen.",
    "Я написал вам вчера в 10:15:\nгде мой заказ?",
    "On Monday I wrote to you:\nno answer yet.",
    "I need:\n- two blue scarves\n- one hat\n\nThanks",
    "Von: Berlin\nAn: Hamburg\nDatum: gestern\nDas Paket ist verloren.",
])
def test_customers_own_words_that_look_like_markers_are_kept(text: str) -> None:
    assert strip_quoted(text) == text
    assert strip_signature(text) == text


# Signatures

@pytest.mark.parametrize("signature", [
    "-- \nAnna Larsen\nNordlys customer since 2019",
    "--\nJürgen Müller\nTel. 0221 123456",
    "Sent from my iPhone", "Sent from my Samsung Galaxy smartphone.",
    "Get Outlook for Android", "Sent from Mail for Windows",
    "Von meinem iPhone gesendet", "Gesendet von meinem iPad",
    "Gesendet mit der Telekom Mail App",
    "Sendt fra min iPhone", "Sendt fra Outlook til iOS", "Hent Outlook til Android",
    "Sendt fra min Samsung Galaxy-smarttelefon.", "Få Outlook for iOS",
    "Отправлено с iPhone", "Отправлено из мобильной Почты Mail.ru",
])
def test_signatures_are_stripped(signature: str) -> None:
    assert strip_signature(f"{NEW_WORDS}\n\n{signature}\n") == NEW_WORDS


@pytest.mark.parametrize("text", [
    "Tak for hjælpen!\n\nMed venlig hilsen\nJens",
    "Danke!\n\nMit freundlichen Grüßen\nJürgen Müller",
    "Спасибо!\n\nС уважением,\nИван",
    "Sendt med posten i går, men ikke kommet.",
    "Sent from my old address, but the new one is right.",
    "Price -- too high?",
])
def test_salutations_and_lookalikes_are_kept(text: str) -> None:
    assert strip_signature(text) == text


# Subjects

@pytest.mark.parametrize(("subject", "normalized"), [
    ("Where is my parcel?", "where is my parcel?"),
    ("Re: Where is my parcel?", "where is my parcel?"),
    ("RE: Re: AW: Where  is my\tparcel?", "where is my parcel?"),
    ("Re[2]: Order", "order"), ("Re(3): Order", "order"), ("Re : Order", "order"),
    ("Fwd: FW: Order", "order"), ("WG: AW: Bestellung", "bestellung"),
    ("SV: VS: Ordre", "ordre"), ("Vs: Sv: Ordre", "ordre"), ("Ynt: Sipariş", "sipariş"),
    ("Отв: Ответ: Заказ", "заказ"), ("RE:RE:Order", "order"),
    ("[#123] Re: Order", "[#123] order"), ("Re: [#123] AW: Order", "[#123] order"),
    ("Reply needed: order", "reply needed: order"), ("Sverige: order", "sverige: order"),
    ("Rescue: order", "rescue: order"), ("Re:", ""),
])
def test_normalized_subject(subject: str, normalized: str) -> None:
    assert normalized_subject(subject) == normalized


@pytest.mark.parametrize(("subject", "reply"), [
    ("Where is my parcel?", "Re: Where is my parcel?"),
    ("Re: Re: AW: Where is my parcel?", "Re: Where is my parcel?"),
    ("SV: Ordre 4711", "Re: Ordre 4711"),
    ("Отв: Заказ", "Re: Заказ"),
    ("Re: [#123] Order", "Re: [#123] Order"),
    ("Hi\r\nBcc: x@y", "Re: Hi Bcc: x@y"),
    ("", "Re:"), ("Re: ", "Re:"),
])
def test_reply_subject(subject: str, reply: str) -> None:
    assert reply_subject(subject) == reply
