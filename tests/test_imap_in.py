"""Mail in by polling a mailbox, against a real IMAP server on loopback (pymap, see
tests/imap_server.py): unseen mail is handed over byte for byte and flagged \\Seen only once
taken, a mail that cannot be taken stays unseen without holding up the rest, and the polling
thread outlives a refused login and a server that goes away."""

from __future__ import annotations

import logging
import ssl
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from imap_tools import BaseMailBox, MailBoxStartTls, MailBoxUnencrypted

from responder.channels import imap_in
from responder.channels.imap_in import ImapLoginError, ImapPoller
from responder.config import Settings
from responder.wiring import build_services
from tests.fakes import FakeEmbedder
from tests.imap_server import HOST, ImapServer, TlsFront, make_certificate
from tests.mail_peers import Sink
from tests.test_answer_api import CARD, OTHERS
from tests.test_index import make_settings
from tests.test_mail_in import plain

pytestmark = pytest.mark.integration


class Inbox:
    """What `accept` was given; raises for mails containing `refuse` (bytes)."""

    def __init__(self) -> None:
        self.taken: list[bytes] = []
        self.refuse: bytes | None = None

    def __call__(self, raw: bytes) -> None:
        if self.refuse is not None and self.refuse in raw:
            raise RuntimeError("the store is full")
        self.taken.append(raw)


def mail(subject: str, body: str = "Where is my order?") -> bytes:
    return (f"From: Anna <anna@example.com>\r\nTo: support@shop.example\r\n"
            f"Subject: {subject}\r\nMessage-ID: <{uuid.uuid4().hex}@example.com>\r\n"
            f"Content-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n").encode()


def wait_for(condition: Callable[[], object], seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    made = make_certificate(tmp_path_factory.mktemp("cert"))
    if made is None:
        pytest.skip("openssl is not installed (the TLS tests make their certificate with it)")
    return made


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ImapServer]:
    running = ImapServer(tmp_path_factory.mktemp("imap"))
    running.start()
    yield running
    running.stop()


def connect(server: ImapServer, ssl_context: ssl.SSLContext | None = None) -> BaseMailBox:
    mailbox: BaseMailBox
    if server.cert is None:
        mailbox = MailBoxUnencrypted(HOST, server.port, timeout=10)
    else:
        mailbox = MailBoxStartTls(HOST, server.port, timeout=10, ssl_context=ssl_context)
    return mailbox.login(server.user, server.password, initial_folder=None)


@pytest.fixture
def folder(server: ImapServer) -> str:
    """A folder of its own for each test, on the shared server."""
    name = f"Support-{uuid.uuid4().hex[:8]}"
    with connect(server) as mailbox:
        mailbox.folder.create(name)
    return name


def settings_for(tmp_path: Path, server: ImapServer, port: int | None = None,
                 **overrides: object) -> Settings:
    values: dict[str, object] = {
        "imap_host": HOST, "imap_port": port or server.port, "imap_security": "none",
        "imap_username": server.user, "imap_password": server.password,
        "imap_poll_seconds": 1,
        # Mail in is configured only with a relay for the replies; these tests send none.
        "smtp_host": "127.0.0.1",
    }
    return make_settings(tmp_path, **{**values, **overrides})


def put(server: ImapServer, folder: str, *raws: bytes, seen: bool = False,
        ssl_context: ssl.SSLContext | None = None) -> None:
    with connect(server, ssl_context) as mailbox:
        for raw in raws:
            mailbox.append(raw, folder, flag_set=[r"\Seen"] if seen else None)


def subjects(server: ImapServer, folder: str, criteria: str) -> list[str]:
    with connect(server) as mailbox:
        mailbox.folder.set(folder)
        return [m.subject for m in mailbox.fetch(criteria, mark_seen=False, headers_only=True)]


@pytest.fixture
def poller_of() -> Iterator[Callable[..., ImapPoller]]:
    made: list[ImapPoller] = []

    def make(settings: Settings, accept: Callable[[bytes], object],
             **options: object) -> ImapPoller:
        made.append(ImapPoller(settings, accept, timeout=10, **options))  # type: ignore[arg-type]
        return made[-1]

    yield make
    for poller in made:
        poller.stop()


def test_unseen_mail_is_taken_once_in_order_and_flagged_seen(
        tmp_path: Path, server: ImapServer, folder: str, poller_of: Callable[..., ImapPoller],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(imap_in, "CHUNK_MESSAGES", 2)  # three fetches for five mails
    raws = [mail(f"order {n}") for n in range(5)]
    put(server, folder, *raws)
    inbox = Inbox()
    poller = poller_of(settings_for(tmp_path, server, imap_folder=folder), inbox)
    assert poller.poll_once() == 5
    assert inbox.taken == raws
    assert subjects(server, folder, "UNSEEN") == []
    assert subjects(server, folder, "SEEN") == [f"order {n}" for n in range(5)]
    assert poller.poll_once() == 0 and len(inbox.taken) == 5
    # The connection stays open between polls and sees mail that arrived meanwhile.
    put(server, folder, mail("later"))
    assert poller.poll_once() == 1 and b"Subject: later" in inbox.taken[-1]


def test_mail_already_seen_is_not_fetched(
        tmp_path: Path, server: ImapServer, folder: str,
        poller_of: Callable[..., ImapPoller]) -> None:
    put(server, folder, mail("read by staff"), seen=True)
    put(server, folder, mail("new"))
    inbox = Inbox()
    assert poller_of(settings_for(tmp_path, server, imap_folder=folder), inbox).poll_once() == 1
    assert len(inbox.taken) == 1 and b"Subject: new" in inbox.taken[0]


def test_a_mail_that_cannot_be_taken_stays_unseen_and_does_not_hold_up_the_rest(
        tmp_path: Path, server: ImapServer, folder: str, poller_of: Callable[..., ImapPoller],
        caplog: pytest.LogCaptureFixture) -> None:
    put(server, folder, mail("first"), mail("broken"), mail("third"))
    inbox = Inbox()
    inbox.refuse = b"Subject: broken"
    poller = poller_of(settings_for(tmp_path, server, imap_folder=folder), inbox)
    with caplog.at_level(logging.WARNING, logger="responder.channels.imap_in"):
        assert poller.poll_once() == 2
    assert [raw.split(b"Subject: ")[1].split(b"\r\n")[0] for raw in inbox.taken] == [
        b"first", b"third"]
    assert subjects(server, folder, "UNSEEN") == ["broken"]
    (record,) = caplog.records
    assert "was not taken" in record.getMessage() and record.exc_info is not None
    assert server.password not in caplog.text
    inbox.refuse = None  # fixed: the next poll delivers it
    assert poller.poll_once() == 1 and b"Subject: broken" in inbox.taken[-1]
    assert subjects(server, folder, "UNSEEN") == []


def test_mail_that_always_fails_cannot_starve_new_mail(
        tmp_path: Path, server: ImapServer, folder: str, poller_of: Callable[..., ImapPoller],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(imap_in, "MAX_PER_POLL", 1)
    put(server, folder, mail("poison"))
    inbox = Inbox()
    inbox.refuse = b"Subject: poison"
    poller = poller_of(settings_for(tmp_path, server, imap_folder=folder), inbox)
    assert poller.poll_once() == 0
    put(server, folder, mail("fresh"))
    assert poller.poll_once() == 1 and b"Subject: fresh" in inbox.taken[0]
    assert subjects(server, folder, "UNSEEN") == ["poison"]


def test_staff_changing_flags_during_a_poll_does_not_mix_mails_up(
        tmp_path: Path, server: ImapServer, folder: str, poller_of: Callable[..., ImapPoller],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The server tells the poller of another session's flag changes inside its FETCH
    answers; each body must still go with its own UID (flagged \\Seen: the right mails)."""
    monkeypatch.setattr(imap_in, "CHUNK_MESSAGES", 2)
    put(server, folder, *(mail(f"m{n}") for n in range(1, 5)))
    with connect(server) as staff:
        staff.folder.set(folder)
        uids = staff.uids("ALL")

        def accept(raw: bytes) -> None:
            if b"Subject: m2" in raw:  # staff answer m3 and star m4 meanwhile
                staff.client.uid("STORE", uids[2], "+FLAGS", r"(\Answered)")
                staff.client.uid("STORE", uids[3], "+FLAGS", r"(\Flagged)")
            if b"Subject: m1" in raw or b"Subject: m2" in raw:
                raise RuntimeError("not now")
            inbox(raw)

        inbox = Inbox()
        assert poller_of(settings_for(tmp_path, server, imap_folder=folder),
                         accept).poll_once() == 2
    assert [raw.split(b"Subject: ")[1][:2] for raw in inbox.taken] == [b"m3", b"m4"]
    assert subjects(server, folder, "UNSEEN") == ["m1", "m2"]
    assert subjects(server, folder, "SEEN ANSWERED") == ["m3"]
    assert subjects(server, folder, "SEEN FLAGGED") == ["m4"]


def test_eight_bit_mail_arrives_byte_for_byte(
        tmp_path: Path, server: ImapServer, folder: str,
        poller_of: Callable[..., ImapPoller]) -> None:
    # Windows-1251 in a raw 8-bit header and body, long lines, and text that looks like the
    # protocol's own: none of it may be re-encoded, re-folded or mistaken for a response.
    raw = ("From: Иван <ivan@example.ru>\r\nTo: support@shop.example\r\n"
           "Subject: Где мой заказ?\r\nMessage-ID: <cp1251@example.ru>\r\n"
           "X-Long: " + "слово " * 40 + "\r\nMIME-Version: 1.0\r\n"
           "Content-Type: text/plain; charset=windows-1251\r\n"
           "Content-Transfer-Encoding: 8bit\r\n\r\n"
           "Здравствуйте! Заказ 1234 не пришёл.\r\n* 1 FETCH (UID 999 BODY[] {3}\r\n)\r\n"
           ).encode("cp1251")
    put(server, folder, raw)
    inbox = Inbox()
    assert poller_of(settings_for(tmp_path, server, imap_folder=folder), inbox).poll_once() == 1
    assert inbox.taken == [raw]


def test_a_wrong_password_is_a_clear_error_and_the_thread_keeps_trying(
        tmp_path: Path, server: ImapServer, folder: str, poller_of: Callable[..., ImapPoller],
        caplog: pytest.LogCaptureFixture) -> None:
    wrong = "not-the-password"
    settings = settings_for(tmp_path, server, imap_folder=folder, imap_password=wrong)
    poller = poller_of(settings, Inbox())
    with pytest.raises(ImapLoginError, match=r"login as 'support@shop\.example' at "
                                             r"127\.0\.0\.1:\d+ refused: .*AUTHENTICATIONFAILED"):
        poller.poll_once()
    with caplog.at_level(logging.WARNING, logger="responder.channels.imap_in"):
        poller.start()
        wait_for(lambda: len(caplog.records) >= 2, seconds=5)  # tried at once, again after 1 s
        assert poller._thread is not None and poller._thread.is_alive()
    assert "ImapLoginError" in caplog.records[0].getMessage()
    assert wrong not in caplog.text and wrong not in str(poller.__dict__)


def test_the_thread_outlives_a_server_that_goes_away_and_comes_back(
        tmp_path: Path, poller_of: Callable[..., ImapPoller],
        caplog: pytest.LogCaptureFixture) -> None:
    server = ImapServer(tmp_path)
    server.start()
    try:
        inbox = Inbox()
        poller = poller_of(settings_for(tmp_path, server), inbox)
        put(server, "INBOX", mail("before"))
        with caplog.at_level(logging.WARNING, logger="responder.channels.imap_in"):
            poller.start()
            wait_for(lambda: len(inbox.taken) == 1)
            server.stop()  # also drops the connection the poller keeps open
            wait_for(lambda: "poll failed" in caplog.text)
            assert poller._thread is not None and poller._thread.is_alive()
            server.start()  # the same port, an empty mailbox
            put(server, "INBOX", mail("after"))
            wait_for(lambda: len(inbox.taken) == 2)
        assert b"Subject: after" in inbox.taken[1]
        started = time.monotonic()
        poller.stop()
        assert time.monotonic() - started < 1 and not poller._thread.is_alive()
    finally:
        server.stop()


def test_stop_returns_promptly_between_polls(
        tmp_path: Path, server: ImapServer, folder: str,
        poller_of: Callable[..., ImapPoller]) -> None:
    polled = threading.Event()
    poller = poller_of(settings_for(tmp_path, server, imap_folder=folder,
                                    imap_poll_seconds=600), lambda raw: polled.set())
    put(server, folder, mail("one"))
    poller.start()
    assert polled.wait(5)
    started = time.monotonic()
    poller.stop()
    assert time.monotonic() - started < 1
    assert poller._thread is not None and not poller._thread.is_alive()
    assert subjects(server, folder, "UNSEEN") == []


def test_starttls_checks_the_certificate_before_logging_in(
        tmp_path: Path, certificate: tuple[Path, Path],
        poller_of: Callable[..., ImapPoller]) -> None:
    server = ImapServer(tmp_path, cert=certificate)
    server.start()
    try:
        trusted = ssl.create_default_context(cafile=str(certificate[0]))
        put(server, "INBOX", mail("over starttls"), ssl_context=trusted)
        settings = settings_for(tmp_path, server, imap_security="starttls")
        inbox = Inbox()
        with pytest.raises(ssl.SSLCertVerificationError):  # the system's trust store
            poller_of(settings, inbox).poll_once()
        assert poller_of(settings, inbox, ssl_context=trusted).poll_once() == 1
        assert b"Subject: over starttls" in inbox.taken[0]
    finally:
        server.stop()


def test_implicit_tls(tmp_path: Path, server: ImapServer, folder: str,
                      certificate: tuple[Path, Path],
                      poller_of: Callable[..., ImapPoller]) -> None:
    front = TlsFront(server.port, certificate)
    try:
        put(server, folder, mail("over tls"))
        settings = settings_for(tmp_path, server, port=front.port, imap_security="tls",
                                imap_folder=folder)
        trusted = ssl.create_default_context(cafile=str(certificate[0]))
        inbox = Inbox()
        assert poller_of(settings, inbox, ssl_context=trusted).poll_once() == 1
        assert b"Subject: over tls" in inbox.taken[0]
    finally:
        front.stop()


def test_back_off_doubles_from_the_poll_interval_up_to_ten_minutes() -> None:
    assert [imap_in.backoff_seconds(n, 30) for n in (1, 2, 3, 5, 6, 50)] == [
        30, 60, 120, 480, 600, 600]


def test_a_mailbox_polled_by_the_server_gets_its_mail_answered(
        tmp_path: Path, server: ImapServer, folder: str, sink: tuple[Sink, int]) -> None:
    """The whole way in by IMAP, as `serve` runs it: poll, keep, answer, reply to the relay."""
    handler, relay_port = sink
    services = build_services(settings_for(
        tmp_path, server, imap_folder=folder, smtp_port=relay_port, smtp_security="none",
        mail_from="Support <support@shop.example>"), embedder=FakeEmbedder())
    try:
        for article in (CARD, *OTHERS):
            services.kb.create_article({k: v for k, v in article.items() if k != "examples"},
                                       article["examples"], edited_by="t")
        put(server, folder, mail("Card kept", "the ATM kept my card"))
        services.send_mail()
        services.receive_mail()
        wait_for(lambda: len(handler.received) == 1, seconds=20)
        (reply,) = handler.received
        assert reply["Subject"] == "Re: Card kept"
        assert "Block the card in the app" in plain(reply)
        assert subjects(server, folder, "SEEN") == ["Card kept"]
        (entry,) = services.inbox.entries()
        assert (entry.source, entry.status) == ("imap", "answered")
    finally:
        services.close()
