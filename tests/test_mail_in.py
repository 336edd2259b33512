"""Mail in, as customers meet it: an SMTP client sends to the product's running SMTP server,
the mail pipeline answers or hands off, and the reply reaches a real SMTP sink in the
customer's thread. Robots get nothing; follow-ups join their escalation; the resolution
comes back in the same thread; limits are refused at the SMTP level; nothing is lost or
sent twice when processing is cut short."""

from __future__ import annotations

import smtplib
import ssl
import time
from collections.abc import Iterator
from email.message import EmailMessage, Message
from email.utils import make_msgid
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import update

from responder.auth.roles import local_admin
from responder.channels.mail_desk import MailDesk
from responder.channels.mail_in import MailReceiver
from responder.kb import schema
from responder.models import EscalationStatus
from responder.wiring import Services, build_services
from tests.fakes import FakeEmbedder
from tests.imap_server import make_certificate
from tests.mail_peers import Sink, free_port, wait_for
from tests.test_answer_api import CARD, OTHERS
from tests.test_index import make_settings

pytestmark = pytest.mark.integration
OURS = "support@nordlys.example"


@pytest.fixture
def mail_in(tmp_path: Path, sink: tuple[Sink, int]) -> Iterator[tuple[Services, Sink, int]]:
    """A server's mail side, started as `serve` starts it: SMTP in, the desk, the outbox."""
    handler, relay_port = sink
    port = free_port()
    services = build_services(make_settings(
        tmp_path, smtp_host="127.0.0.1", smtp_port=relay_port, smtp_security="none",
        mail_from=f"Nordlys Support <{OURS}>", mail_listen=f"127.0.0.1:{port}",
        mail_addresses=[OURS], mail_replies_per_day=3, mail_max_bytes=1024 * 1024,
        mail_max_recipients=20), embedder=FakeEmbedder())
    for article in (CARD, *OTHERS):
        services.kb.create_article({k: v for k, v in article.items() if k != "examples"},
                                   article["examples"], edited_by="t")
    services.send_mail()
    services.receive_mail()
    assert services.mail_receiver is not None
    assert wait_for(lambda: services.mail_receiver is not None
                    and services.mail_receiver.receiving)
    yield services, handler, port
    services.close()


def customer_mail(text: str, subject: str = "Where is my refund?",
                  sender: str = "Anna Berg <anna@example.com>", **headers: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = OURS
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain="example.com")
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    message.set_content(text)
    return message


def send(port: int, message: EmailMessage, sender: str = "anna@example.com") -> None:
    with smtplib.SMTP("127.0.0.1", port, timeout=10) as client:
        client.send_message(message, from_addr=sender)


def plain(message: Message) -> str:
    part = next(p for p in message.walk() if p.get_content_type() == "text/plain")
    payload = part.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode(part.get_content_charset() or "utf-8")


def statuses(services: Services) -> list[str]:
    return [e.status for e in reversed(services.inbox.entries())]


def test_a_customer_mail_is_answered_in_its_thread(
        mail_in: tuple[Services, Sink, int]) -> None:
    services, handler, port = mail_in
    mail = customer_mail("Hello,\n\nthe ATM kept my card\n\n-- \nAnna Berg, Oslo",
                         "Card kept")
    send(port, mail)
    assert wait_for(lambda: len(handler.received) == 1), statuses(services)
    (reply,) = handler.received
    assert reply["To"] == "anna@example.com"
    assert reply["Subject"] == "Re: Card kept"
    assert reply["In-Reply-To"] == mail["Message-ID"]
    assert mail["Message-ID"] in reply["References"]
    assert reply["Auto-Submitted"] == "auto-replied"
    types = {p.get_content_type() for p in reply.walk()}
    assert {"text/plain", "text/html"} <= types
    body = plain(reply)
    assert "Anna Berg" in body and "Block the card in the app" in body
    (entry,) = services.inbox.entries()
    assert (entry.status, entry.sender, entry.source) == ("answered", "anna@example.com",
                                                          "smtp")
    answers = services.events.page(_kind("answer"))
    assert answers[0].data["channel"] == "email"


def test_a_short_reply_is_answered_in_the_language_of_the_customers_earlier_mail(
        mail_in: tuple[Services, Sink, int]) -> None:
    services, handler, port = mail_in
    services.kb.create_article({
        "slug": "parcel-late", "language": "da", "title": "Min pakke er ikke kommet",
        "short_answer": "Følg pakken med sporingslinket i din ordrebekræftelse."},
        ["jeg har ikke fået min pakke endnu", "hvor er min pakke"], edited_by="t")
    first = customer_mail("Hej, jeg har ikke fået min pakke endnu, kan I tjekke det?",
                          "Pakke")
    send(port, first)
    assert wait_for(lambda: len(handler.received) == 1), statuses(services)
    ours = handler.received[0]["Message-ID"]
    # "Hvor er pakken?" is Danish and Norwegian alike: alone it would be read as Norwegian.
    send(port, customer_mail("Hvor er pakken?", "Re: Pakke", In_Reply_To=ours,
                             References=f"{first['Message-ID']} {ours}"))
    assert wait_for(lambda: len(handler.received) == 2), statuses(services)
    latest = services.events.page(_kind("answer"))[0].data
    assert (latest["language"], latest["language_source"]) == ("da", "conversation")
    entries = services.inbox.entries()
    assert entries[0].conversation_id == entries[1].conversation_id


def _kind(kind: str) -> Any:
    from responder.events import EventFilter
    return EventFilter(kind=kind)


def test_robots_get_no_reply_and_the_reason_is_kept(
        mail_in: tuple[Services, Sink, int]) -> None:
    services, handler, port = mail_in
    robots = [
        customer_mail("I am away until Monday.", "Abwesenheitsnotiz: Where is my refund?"),
        customer_mail("Jeg er på ferie.", "Fraværende: Hvor er pengene?"),
        customer_mail("Я в отпуске.", "Автоответ: Где мой возврат?"),
        customer_mail("Newsletter", List_Id="<news.shop.example>"),
        customer_mail("Auto", Auto_Submitted="auto-generated"),
        customer_mail("We are no robots", sender="noreply@shop.example"),
        customer_mail("Loop", sender=f"Support <{OURS}>"),
    ]
    for robot in robots:
        send(port, robot)
    bounce = customer_mail("Delivery failed", "Undelivered Mail Returned to Sender",
                           sender="MAILER-DAEMON@mx.example")
    send(port, bounce, sender="")  # MAIL FROM:<>
    assert wait_for(lambda: statuses(services).count("skipped") == len(robots) + 1), \
        statuses(services)
    reasons = [e.reason for e in services.inbox.entries()]
    assert all(reasons), reasons
    assert any("null return path" in r for r in reasons), reasons
    time.sleep(0.5)
    assert handler.received == []
    assert services.outbox is not None and services.outbox.rows() == []


def test_a_follow_up_joins_its_escalation_and_the_resolution_closes_the_thread(
        mail_in: tuple[Services, Sink, int]) -> None:
    services, handler, port = mail_in
    first = customer_mail("Kan I gravere et navn i et armbånd, som jeg har købt hos jer?",
                          "Gravering", sender="Mette Holm <mette@example.dk>")
    send(port, first, sender="mette@example.dk")
    assert wait_for(lambda: len(handler.received) == 1), statuses(services)
    notice = handler.received[0]
    (escalation,) = services.store.list_escalations()
    assert f"#{escalation.id}" in plain(notice)
    assert escalation.input.channel == "email"
    assert escalation.input.customer_email == "mette@example.dk"
    # She answers our notice (her client keeps the thread's headers) ...
    again = customer_mail("Navnet er Sofie, med stort S.\n\n> tidligere besked",
                          "Re: Gravering", sender="Mette Holm <mette@example.dk>",
                          In_Reply_To=notice["Message-ID"], References=notice["Message-ID"])
    send(port, again, sender="mette@example.dk")
    # ... and once more from a client that drops them: the subject and sender still match.
    third = customer_mail("Og det skal være guld.", "SV: Gravering",
                          sender="mette@example.dk")
    send(port, third, sender="mette@example.dk")
    assert wait_for(lambda: statuses(services) == ["handed_off", "follow_up", "follow_up"]), \
        statuses(services)
    message = services.store.get_escalation(escalation.id).input.message
    assert "Navnet er Sofie" in message and "Og det skal være guld." in message
    assert "tidligere besked" not in message  # the quoted history is not the customer's
    assert len(handler.received) == 1  # follow-ups are not answered automatically
    # An agent resolves it: the answer comes in her thread, in Danish.
    services.cases.resolve_escalation(local_admin("t"), escalation.id, "Partner engraves.",
                                      article_id=None, new_article={
                                          "slug": "engraving", "language": "da",
                                          "title": "Gravering af smykker",
                                          "short_answer": "En partner graverer det."})
    assert wait_for(lambda: len(handler.received) == 2)
    resolution = handler.received[1]
    assert resolution["Subject"] == "Re: Gravering"
    assert resolution["In-Reply-To"] == third["Message-ID"]
    assert first["Message-ID"] in resolution["References"]
    assert "En partner graverer det." in plain(resolution)
    assert services.store.get_escalation(escalation.id).status is EscalationStatus.RESOLVED


def test_a_sender_gets_at_most_the_days_replies(mail_in: tuple[Services, Sink, int]) -> None:
    services, handler, port = mail_in
    for n in range(5):
        send(port, customer_mail(f"Where is my refund? ({n})", f"Refund {n}"))
    assert wait_for(lambda: len(statuses(services)) == 5
                    and "pending" not in statuses(services)), statuses(services)
    assert statuses(services).count("skipped") == 2
    assert "automatic replies in 24 hours" in services.inbox.entries()[0].reason
    assert wait_for(lambda: len(handler.received) == 3)


def test_the_same_mail_twice_is_kept_and_answered_once(
        mail_in: tuple[Services, Sink, int]) -> None:
    services, handler, port = mail_in
    mail = customer_mail("Where is my refund?")
    send(port, mail)
    send(port, mail)  # a client that retries after a lost 250
    assert wait_for(lambda: len(handler.received) == 1)
    time.sleep(0.5)
    assert len(services.inbox.entries()) == 1 and len(handler.received) == 1


def test_smtp_limits_are_refused_with_the_right_codes(
        mail_in: tuple[Services, Sink, int]) -> None:
    services, _handler, port = mail_in
    big = customer_mail("x" * (2 * 1024 * 1024))
    with pytest.raises((smtplib.SMTPSenderRefused, smtplib.SMTPDataError)) as refused:
        send(port, big)
    assert refused.value.smtp_code == 552
    with smtplib.SMTP("127.0.0.1", port, timeout=10) as client:
        refused_rcpts = client.sendmail(
            "anna@example.com", [OURS] + [f"x{n}@nordlys.example" for n in range(2000)],
            customer_mail("Many").as_bytes())
    assert all(code in (452, 550) for code, _ in refused_rcpts.values())
    assert len(refused_rcpts) == 2000
    with (pytest.raises(smtplib.SMTPRecipientsRefused) as nobody,
          smtplib.SMTP("127.0.0.1", port, timeout=10) as client):
        client.sendmail("anna@example.com", ["someone@else.example"], b"Subject: x\r\n\r\nx")
    assert nobody.value.recipients["someone@else.example"][0] == 550
    assert wait_for(lambda: "pending" not in statuses(services))
    assert len(services.inbox.entries()) == 1  # only the one with a recipient of ours


def test_garbage_and_injection_are_inert(mail_in: tuple[Services, Sink, int]) -> None:
    services, handler, port = mail_in
    with smtplib.SMTP("127.0.0.1", port, timeout=10) as client:
        client.sendmail("x@example.com", [OURS], b"\x00\xff\xfe garbage \r\n\r\n\x80\x81")
        client.sendmail("eve@example.com", [OURS], (
            b"From: =?utf-8?q?Eve=0D=0ABcc=3A_victim=40example=2Ecom?= <eve@example.com>\r\n"
            b"Subject: =?utf-8?q?Refund=0D=0ABcc:_x@y.example?=\r\n"
            b"Content-Type: multipart/mixed\r\n\r\nWhere is my refund?\r\n"))
    assert wait_for(lambda: len(statuses(services)) == 2
                    and "pending" not in statuses(services)), statuses(services)
    assert statuses(services)[0] == "skipped"
    assert wait_for(lambda: len(handler.received) == 1), statuses(services)
    (reply,) = handler.received
    assert reply["To"] == "eve@example.com" and reply["Bcc"] is None
    assert "\n" not in str(reply["Subject"]) and "victim" not in str(reply.get_all("To"))


def test_a_crash_between_hand_off_and_reply_sends_the_notice_once(
        tmp_path: Path) -> None:
    services = build_services(make_settings(
        tmp_path, smtp_host="127.0.0.1", smtp_port=free_port(), smtp_security="none"),
        embedder=FakeEmbedder())
    try:
        desk = services.desk()
        services.inbox.accept(customer_mail("Kan I gravere et navn?", "Gravering").as_bytes(),
                              "smtp")
        original = MailDesk._queue
        calls = {"n": 0}

        def crash_once(self: MailDesk, *args: Any, **kwargs: Any) -> None:
            calls["n"] += 1
            if calls["n"] == 1:
                raise RuntimeError("power cut")
            original(self, *args, **kwargs)

        MailDesk._queue = crash_once  # type: ignore[method-assign]
        try:
            assert desk.process_due() == 0  # failed after the escalation was written
            assert len(services.store.list_escalations()) == 1
            (entry,) = services.inbox.entries()
            assert entry.status == "pending" and "power cut" in entry.reason
            with services.store.engine.begin() as conn:  # the retry is due now
                conn.execute(update(schema.mail_inbox).values(lease_until=None))
            assert desk.process_due() == 1
        finally:
            MailDesk._queue = original  # type: ignore[method-assign]
        assert len(services.store.list_escalations()) == 1  # not a second escalation
        assert services.outbox is not None
        (queued,) = services.outbox.rows()
        assert queued.mail.escalation_id == services.store.list_escalations()[0].id
        assert services.inbox.entries()[0].status == "handed_off"
    finally:
        services.close()


def test_one_process_receives_and_another_takes_over(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("responder.channels.mail_in.STANDBY_SECONDS", 0.05)
    started: list[str] = []

    class Fake:
        def __init__(self, name: str) -> None:
            self.name = name

        def start(self) -> None:
            started.append(self.name)

        def stop(self) -> None:
            started.append(f"stop {self.name}")

    lock = tmp_path / "mail.lock"
    first = MailReceiver(lock, lambda: [Fake("first")])
    second = MailReceiver(lock, lambda: [Fake("second")])
    first.start()
    assert wait_for(lambda: first.receiving)
    second.start()
    time.sleep(0.3)
    assert not second.receiving and started == ["first"]
    first.stop()
    assert wait_for(lambda: second.receiving)
    second.stop()
    assert started == ["first", "stop first", "second", "stop second"]


CUSTOMERS = {  # the corpus of tests/mails/: who wrote, in which language they get the reply
    "apple_da_reply.eml": ("jens@example.dk", "Jens Ærø"),
    "attachments_mixed.eml": ("anna.larsen@example.com", "Anna Larsen"),
    "gmail_en_reply.eml": ("anna.larsen@example.com", "Anna Larsen"),
    "html_only_gmail_da.eml": ("mette.larsen@example.dk", "Larsen, Mette"),
    "outlook_de_reply.eml": ("juergen.mueller@example.de", "Jürgen Müller"),
    "outlook_ru_cp1251.eml": ("ivan.petrov@example.ru", "Иван Петров"),
    "thunderbird_no_reply.eml": ("kari@example.no", "Kari Nordmann"),
}


def test_the_corpus_gets_one_reply_per_customer_and_none_for_robots(tmp_path: Path) -> None:
    """Real-world-shaped mails through the whole pipeline (kept, parsed, checked, answered or
    handed off, queued): each customer gets exactly one reply, greeted by name; no robot,
    bounce, absence or list gets any."""
    from tests.test_mail_loops import NOT_TO_ANSWER

    services = build_services(make_settings(
        tmp_path, smtp_host="127.0.0.1", smtp_port=free_port(), smtp_security="none",
        mail_from=f"Support <{OURS}>", mail_addresses=[OURS]), embedder=FakeEmbedder())
    try:
        desk = services.desk()
        for name in CUSTOMERS:
            services.inbox.accept((Path(__file__).parent / "mails" / name).read_bytes(), "smtp")
        for robot, _why in NOT_TO_ANSWER:
            services.inbox.accept(robot.as_bytes(), "smtp")
        while desk.process_due():
            pass
        assert services.outbox is not None
        replies = {q.mail.to: q.mail for q in services.outbox.rows()}
        assert len(services.outbox.rows()) == len(CUSTOMERS)
        for address, display_name in CUSTOMERS.values():
            assert display_name in replies[address].text, (address, replies[address].text)
            assert replies[address].subject.startswith("Re: ")
            assert "\n" not in replies[address].subject
        entries = services.inbox.entries()
        skipped = [e for e in entries if e.status == "skipped"]
        assert len(skipped) == len(NOT_TO_ANSWER) and all(e.reason for e in skipped)
        assert {e.status for e in entries} <= {"answered", "handed_off", "skipped"}
    finally:
        services.close()


def test_the_smtp_server_offers_starttls(tmp_path: Path, sink: tuple[Sink, int]) -> None:
    made = make_certificate(tmp_path)
    if made is None:
        pytest.skip("openssl is not installed")
    cert, key = made
    port = free_port()
    services = build_services(make_settings(
        tmp_path, smtp_host="127.0.0.1", smtp_port=sink[1], smtp_security="none",
        mail_listen=f"127.0.0.1:{port}", mail_tls_cert=cert, mail_tls_key=key),
        embedder=FakeEmbedder())
    try:
        services.receive_mail()
        assert wait_for(lambda: services.mail_receiver is not None
                        and services.mail_receiver.receiving)
        context = ssl.create_default_context(cafile=str(cert))
        with smtplib.SMTP("127.0.0.1", port, timeout=10) as client:
            client.starttls(context=context)
            client.send_message(customer_mail("the ATM kept my card"),
                                from_addr="anna@example.com")
        assert wait_for(lambda: len(services.inbox.entries()) == 1)
    finally:
        services.close()
