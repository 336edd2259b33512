"""Whether an incoming mail may be answered automatically (RFC 3834, and what users of other
help desks were burnt by): never a robot, a bounce, an out-of-office reply, a list or bulk
mail, a no-reply sender, or ourselves. `reason_not_to_reply` says why not, for the record.
The mail pipeline (responder/channels/mail_desk.py) calls it first.
"""

from __future__ import annotations

import re
from email.message import Message
from email.utils import getaddresses, parseaddr

# Out-of-office subjects in the five languages (and the common English forms of others).
# The auto-reply words are a robot's anywhere in a subject; an absence phrase only where a
# client puts it, at the start ("Fraværende: ...", "В отпуске до 12.01"): a customer may
# well write "my card is stuck abroad, I am on vacation".
_AUTO_REPLY = re.compile(
    r"\b(out of (the )?office|automatic reply|auto(matic)?[- ]?reply|autoreply|"
    r"abwesenheitsnotiz|automatische antwort|autosvar|automatisk svar|"
    r"автоответ|автоматический ответ)\b", re.IGNORECASE)
_ABSENT_AT_START = re.compile(
    r"^\W*((re|aw|sv|vs)\s*:\s*)*(on vacation|away from (the )?office|i am away|"
    r"abwesend|außer haus|nicht im büro|fraværende|fravær|ikke på kontoret|"
    r"på ferie|нет на месте|в отпуске|отсутствую)\b", re.IGNORECASE)
_NO_REPLY = re.compile(r"^(no[-_.]?reply|do[-_.]?not[-_.]?reply|mailer[-_.]daemon|postmaster|"
                       r"bounces?)([+@-]|$)", re.IGNORECASE)
_BULK = {"bulk", "list", "junk"}


def _header(message: Message, name: str) -> str | None:
    """A header as text; a header the parser cannot make sense of (an address with an
    encoded line break) is taken as written rather than failing the whole check."""
    try:
        value = message.get(name)
    except (ValueError, TypeError, IndexError):
        value = next((v for k, v in message.raw_items() if k.lower() == name.lower()), None)
    return None if value is None else str(value)


def reason_not_to_reply(message: Message, own_addresses: set[str]) -> str | None:
    """Why this mail must not get an automatic reply, or None when it may."""
    auto = (_header(message, "Auto-Submitted") or "no").strip().lower()
    if auto != "no":
        return f"auto-submitted ({auto})"
    return_path = _header(message, "Return-Path")
    if return_path is not None and return_path.strip() in ("<>", ""):
        return "a bounce (null return path)"
    if message.get_content_type() == "multipart/report":
        return "a delivery or read report (multipart/report)"
    for header in ("X-Autoreply", "X-Autorespond"):
        if _header(message, header) is not None:
            return f"an automatic reply ({header})"
    suppress = (_header(message, "X-Auto-Response-Suppress") or "").lower()
    if any(word in suppress for word in ("all", "oof", "autoreply")):
        return f"the sender asks for no automatic replies ({suppress})"
    precedence = (_header(message, "Precedence") or "").strip().lower()
    if precedence in _BULK:
        return f"bulk or list mail (Precedence: {precedence})"
    if precedence == "auto_reply":
        return "an automatic reply (Precedence: auto_reply)"
    for header in ("List-Id", "List-Unsubscribe", "List-Post"):
        if _header(message, header) is not None:
            return f"list mail ({header})"
    subject = str(_header(message, "Subject") or "")
    if _AUTO_REPLY.search(subject) or _ABSENT_AT_START.search(subject):
        return "an out-of-office reply (subject)"
    sender = parseaddr(_header(message, "Reply-To") or _header(message, "From") or "")[1].lower()
    if not sender or "@" not in sender:
        return "no sender address to reply to"
    if _NO_REPLY.match(sender.split("@")[0]):
        return f"a no-reply sender ({sender})"
    own = {address.lower() for address in own_addresses}
    if sender in own:
        return "our own address (a loop)"
    recipients = {a.lower() for _, a in getaddresses(
        [str(v) for k, v in message.raw_items() if k.lower() in ("to", "cc")])}
    if len(recipients) > 50:
        return f"sent to {len(recipients)} recipients at once"
    return None
