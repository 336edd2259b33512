"""Mail out through a real SMTP peer on loopback (aiosmtpd): the outbox sends both MIME parts
with the threading and auto-reply headers, retries a relay that refuses or is down, and never
delivers a message twice; a contact form with an address gets its reply by email."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from fastapi.testclient import TestClient

from responder.api.app import create_app
from responder.api.routes_widget import sign_form_token
from responder.auth.keys import secret_key
from responder.auth.roles import Role
from responder.channels.mail_out import OutboxWorker, Relay
from responder.channels.outbox import Mail, backoff
from responder.wiring import Services, build_services, mail_sender
from tests.fakes import FakeEmbedder
from tests.mail_peers import Sink, free_port
from tests.staff import API, token_for
from tests.test_index import make_settings

pytestmark = pytest.mark.integration


def mail_services(tmp_path: Path, port: int) -> Services:
    return build_services(make_settings(tmp_path, smtp_host="127.0.0.1", smtp_port=port,
                                        smtp_security="none"), embedder=FakeEmbedder())


def worker(services: Services) -> OutboxWorker:
    assert services.outbox is not None
    return OutboxWorker(services.outbox, Relay(services.settings),
                        mail_sender(services.settings))


def test_a_reply_goes_out_with_both_parts_and_the_right_headers(
        tmp_path: Path, sink: tuple[Sink, int]) -> None:
    handler, port = sink
    services = mail_services(tmp_path, port)
    try:
        assert services.outbox is not None
        services.outbox.add(Mail(to="anna@example.com", subject="Re: Where is my refund",
                                 text="Hello Anna, plain.", html="<p>Hello Anna, html.</p>",
                                 in_reply_to="<abc@customer.example>",
                                 references=("<root@customer.example>",)))
        assert worker(services).send_due() == 1
        (message,) = handler.received
        assert message["To"] == "anna@example.com"
        assert message["Subject"] == "Re: Where is my refund"
        assert message["Auto-Submitted"] == "auto-replied"
        assert message["In-Reply-To"] == "<abc@customer.example>"
        assert message["References"] == "<root@customer.example> <abc@customer.example>"
        assert message["Message-ID"].startswith("<outbox-1-")
        parts = {part.get_content_type(): part.get_payload(decode=True).decode()
                 for part in message.walk() if not part.is_multipart()}
        assert "Hello Anna, plain." in parts["text/plain"]
        assert "<p>Hello Anna, html.</p>" in parts["text/html"]
        assert [q.status for q in services.outbox.rows()] == ["sent"]
        assert worker(services).send_due() == 0  # nothing is sent twice
    finally:
        services.close()


def test_a_refusing_or_missing_relay_is_retried_without_duplicates(
        tmp_path: Path, sink: tuple[Sink, int], monkeypatch: pytest.MonkeyPatch) -> None:
    handler, port = sink
    services = mail_services(tmp_path, port)
    try:
        assert services.outbox is not None
        row = services.outbox.add(Mail(to="ben@example.com", subject="Re: x", text="Hi."))
        handler.refuse = 1
        assert worker(services).send_due() == 0
        (queued,) = services.outbox.rows()
        assert (queued.status, queued.attempts) == ("pending", 1)
        assert "451" in queued.last_error and queued.next_attempt_at is not None
        assert worker(services).send_due() == 0  # not due yet: back-off
        # Due again, but the relay is gone: still queued, the error kept for staff.
        monkeypatch.setattr("responder.channels.outbox._now",
                            lambda: queued.next_attempt_at + backoff(1))  # type: ignore[operator]
        gone = build_services(make_settings(tmp_path, smtp_host="127.0.0.1",
                                            smtp_port=free_port(), smtp_security="none"),
                              embedder=FakeEmbedder())
        try:
            assert worker(gone).send_due() == 0
        finally:
            gone.close()
        (queued,) = services.outbox.rows()
        assert queued.attempts == 2 and "Connection" in queued.last_error
        monkeypatch.setattr("responder.channels.outbox._now",
                            lambda: queued.next_attempt_at + backoff(2))  # type: ignore[operator]
        assert worker(services).send_due() == 1
        assert len(handler.received) == 1 and handler.received[0]["To"] == "ben@example.com"
        assert services.outbox.rows()[0].status == "sent" and row == 1
    finally:
        services.close()


def test_a_contact_form_with_an_address_gets_the_reply_by_email(
        tmp_path: Path, sink: tuple[Sink, int]) -> None:
    handler, port = sink
    services = mail_services(tmp_path, port)
    services.kb.create_article({"slug": "refund-status", "language": "en",
                                "title": "When do I get my refund", "category": "refunds",
                                "short_answer": "Refunds arrive within 5 working days."},
                               ["where is my refund"], edited_by="t")
    try:
        services.send_mail()  # what `serve` starts: the outbox's sender
        with TestClient(create_app(services=services), base_url=API) as client:
            token = sign_form_token(secret_key(services.settings), int(time.time()) - 10)
            sent = client.post("/contact", json={
                "message": "where is my refund", "language": "en", "customer_name": "Anna",
                "customer_email": "anna@example.com", "form_token": token})
            assert sent.status_code == 200, sent.text
            deadline = time.monotonic() + 10
            while not handler.received and time.monotonic() < deadline:
                time.sleep(0.1)  # the server's own worker sends it
        (message,) = handler.received
        assert message["To"] == "anna@example.com" and message["Auto-Submitted"]
        text = next(p for p in message.walk() if p.get_content_type() == "text/plain")
        body = text.get_payload(decode=True).decode()
        assert "Anna" in body and "5 working days" in body
    finally:
        services.close()


def test_a_resolved_escalation_reaches_the_customer_by_email(
        tmp_path: Path, sink: tuple[Sink, int]) -> None:
    """The loop closes for the customer: an agent resolves a Danish customer's escalation
    into an article, and the customer gets it by email, in Danish."""
    handler, port = sink
    services = mail_services(tmp_path, port)
    try:
        services.kb.create_article({"slug": "engraving", "language": "en",
                                    "title": "Engraving jewellery",
                                    "short_answer": "A partner engraves it in a week."},
                                   [], edited_by="t")
        danish = services.kb.create_article(
            {"slug": "engraving", "language": "da", "title": "Gravering af smykker",
             "short_answer": "En partner graverer det på en uge."}, [], edited_by="t")
        with TestClient(create_app(services=services), base_url=API) as client:
            token = token_for(services.accounts, Role.AGENT, "tier2")
            auth = {"Authorization": f"Bearer {token}"}
            opened = client.post("/escalations", headers=auth, json={
                "message": "Kan I gravere et navn i et armbånd?", "language": "da",
                "customer_name": "Mette", "customer_email": "mette@example.dk"}).json()
            resolved = client.post(f"/escalations/{opened['id']}/resolve", headers=auth,
                                   json={"resolution": "Partner engraves.",
                                         "article_id": danish.id})
            assert resolved.status_code == 200, resolved.text
        assert worker(services).send_due() == 1
        (message,) = handler.received
        assert message["To"] == "mette@example.dk"
        text = next(p for p in message.walk() if p.get_content_type() == "text/plain")
        body = text.get_payload(decode=True).decode()
        assert "Mette" in body and "En partner graverer det på en uge." in body
        (queued,) = services.outbox.rows() if services.outbox else []
        assert queued.mail.escalation_id == opened["id"]
    finally:
        services.close()


class HangsUp(Sink):
    """A relay that drops the connection in the middle of the second message's DATA."""

    def __init__(self) -> None:
        super().__init__()
        self.calls = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.calls += 1
        if self.calls == 2:
            server.transport.close()
            return "451 gone"
        return await super().handle_DATA(server, session, envelope)


def test_a_relay_that_hangs_up_mid_batch_loses_nothing_and_sends_nothing_twice(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    handler = HangsUp()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    services = mail_services(tmp_path, port)
    try:
        assert services.outbox is not None
        for n in range(3):
            services.outbox.add(Mail(to=f"c{n}@example.com", subject=f"Re: {n}", text="Hi."))
        assert worker(services).send_due() == 1  # the first; then the relay hung up
        rows = services.outbox.rows()
        assert [r.status for r in rows] == ["sent", "pending", "pending"]
        assert all(r.attempts == 1 and r.last_error for r in rows[1:])
        later = max(r.next_attempt_at for r in rows[1:] if r.next_attempt_at)
        monkeypatch.setattr("responder.channels.outbox._now", lambda: later + backoff(1))
        assert worker(services).send_due() == 2
        assert sorted(m["To"] for m in handler.received) == [
            "c0@example.com", "c1@example.com", "c2@example.com"]
        assert worker(services).send_due() == 0
    finally:
        services.close()
        controller.stop()
