"""A corpus of real-world-shaped mails, written here: robots, bounces, out-of-office replies in
five languages, list and bulk mail, no-reply senders and our own address get no automatic
reply, each with its reason; customers' ordinary mails in five languages do."""

from __future__ import annotations

from email.message import EmailMessage

import pytest

from responder.channels.loops import reason_not_to_reply

OURS = {"support@nordlys.example"}


def mail(subject: str = "Where is my parcel?", sender: str = "Anna <anna@example.com>",
         **headers: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "support@nordlys.example"
    message["Subject"] = subject
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    message.set_content("Hello, my parcel has not arrived.")
    return message


def report() -> EmailMessage:
    message = mail("Delivery Status Notification (Failure)", "mailer-daemon@mx.example")
    message.make_mixed()
    message.replace_header("Content-Type", 'multipart/report; report-type=delivery-status')
    return message


NOT_TO_ANSWER = [
    (mail(Auto_Submitted="auto-replied"), "auto-submitted"),
    (mail(Auto_Submitted="auto-generated"), "auto-submitted"),
    (mail(Return_Path="<>"), "bounce"),
    (report(), "multipart/report"),
    (mail(X_Autoreply="yes"), "automatic reply"),
    (mail(X_Auto_Response_Suppress="All"), "no automatic replies"),
    (mail(Precedence="bulk"), "bulk"),
    (mail(Precedence="list"), "bulk or list"),
    (mail(Precedence="junk"), "bulk"),
    (mail(Precedence="auto_reply"), "automatic reply"),
    (mail(List_Id="<news.shop.example>"), "list mail"),
    (mail(List_Unsubscribe="<mailto:leave@shop.example>"), "list mail"),
    (mail("Out of Office: back on Monday"), "out-of-office"),
    (mail("Automatic reply: Where is my parcel?"), "out-of-office"),
    (mail("Abwesenheitsnotiz: Re: Paket"), "out-of-office"),
    (mail("Automatische Antwort: Ihr Paket"), "out-of-office"),
    (mail("Fraværende: Hvor er min pakke?"), "out-of-office"),
    (mail("Autosvar: Hvor er pakken min?"), "out-of-office"),
    (mail("Автоответ: Где моя посылка?"), "out-of-office"),
    (mail("В отпуске до 12 января"), "out-of-office"),
    (mail("On vacation until Monday"), "out-of-office"),
    (mail("Re: Fraværende"), "out-of-office"),
    (mail(sender="no-reply@shop.example"), "no-reply"),
    (mail(sender="noreply@bank.example"), "no-reply"),
    (mail(sender="MAILER-DAEMON@mx.example"), "no-reply"),
    (mail(sender="Support <support@nordlys.example>"), "own address"),
    (mail(sender="not an address"), "no sender"),
]


@pytest.mark.parametrize("message, why", NOT_TO_ANSWER)
def test_robots_bounces_absences_and_lists_get_no_reply(message: EmailMessage,
                                                        why: str) -> None:
    reason = reason_not_to_reply(message, OURS)
    assert reason is not None and why in reason, (message["Subject"], reason)


@pytest.mark.parametrize("subject", [
    "Where is my parcel?", "Hvor er min pakke?", "Hvor er pakken min?", "Wo ist mein Paket?",
    "Где моя посылка?", "Re: Where is my parcel?", "Office chair arrived broken",
    # Customers may mention their absence; only a client's marker makes it an auto-reply.
    "карта застряла в банкомате за границей, я в отпуске",
    "Card blocked while I am on vacation", "Kann ich die Lieferung während ich abwesend "
    "bin pausieren?", "Pakken kom mens jeg var på ferie",
])
def test_customers_get_their_answer(subject: str) -> None:
    assert reason_not_to_reply(mail(subject), OURS) is None
    assert reason_not_to_reply(mail(subject, Auto_Submitted="no"), OURS) is None
