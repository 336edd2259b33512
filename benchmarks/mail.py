"""Mail throughput as an operator's mail server meets it: a real server (`kb-responder serve`,
the real model, the demo KB) receiving customers' mail on its SMTP port and handing the
replies to a relay (an SMTP sink on loopback), all over real SMTP.

    python -m benchmarks.mail [--mails 300] [--senders 4] [--workers 1] [--json PATH]

`--senders` SMTP clients send the demo KB's example questions (five languages), one mail
each from a different customer address, as fast as the server takes them. Reported:

- throughput: mails in -> replies handed to the relay, per second, from the first mail sent
  to the last reply received by the relay;
- latency per mail: from the client's end of DATA to its reply reaching the relay (p50/p99).
"""

from __future__ import annotations

import argparse
import json
import random
import smtplib
import statistics
import sys
import threading
import time
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from rich.console import Console
from rich.table import Table

from benchmarks.load import RESULTS, customer_messages, free_port, prepared_kb, running_server
from responder.config import Settings

console = Console(stderr=True)
OURS = "support@nordlys.example"


class Relay:
    """The operator's relay: keeps when each reply arrived, by the mail it answers."""

    def __init__(self) -> None:
        self.arrived: dict[str, float] = {}
        self.lock = threading.Lock()

    async def handle_DATA(self, _server: Any, _session: Any, envelope: Any) -> str:
        from email import message_from_bytes

        answered = str(message_from_bytes(envelope.content).get("In-Reply-To", ""))
        with self.lock:
            self.arrived[answered] = time.perf_counter()
        return "250 OK"


def mail(text: str, n: int) -> EmailMessage:
    message = EmailMessage()
    message["From"] = f"Customer {n} <customer{n}@example.com>"
    message["To"] = OURS
    message["Subject"] = text[:60]
    message["Message-ID"] = make_msgid(f"bench{n}", domain="example.com")
    message.set_content(f"Hello,\n\n{text}\n\nThanks")
    return message


def send_all(port: int, mails: list[EmailMessage], sent_at: dict[str, float]) -> None:
    with smtplib.SMTP("127.0.0.1", port, timeout=120) as client:
        for message in mails:
            client.send_message(message, from_addr=message["From"].addresses[0].addr_spec)
            sent_at[message["Message-ID"]] = time.perf_counter()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def wait_for_port(port: int, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with smtplib.SMTP("127.0.0.1", port, timeout=5) as client:
                client.noop()
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"the server's SMTP port {port} never answered")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.mail", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mails", type=int, default=300)
    parser.add_argument("--senders", type=int, default=4)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args(argv)
    messages = customer_messages()
    random.Random(11).shuffle(messages)
    chosen = (messages * (1 + args.mails // len(messages)))[: args.mails]
    mails = [mail(text, n) for n, (text, _language) in enumerate(chosen)]
    relay = Relay()
    relay_port, smtp_port = free_port(), free_port()
    controller = Controller(relay, hostname="127.0.0.1", port=relay_port)
    controller.start()
    env = {"RESPONDER_SMTP_HOST": "127.0.0.1", "RESPONDER_SMTP_PORT": str(relay_port),
           "RESPONDER_SMTP_SECURITY": "none", "RESPONDER_MAIL_FROM": f"Support <{OURS}>",
           "RESPONDER_MAIL_LISTEN": f"127.0.0.1:{smtp_port}",
           "RESPONDER_MAIL_ADDRESSES": json.dumps([OURS])}
    sent_at: dict[str, float] = {}
    try:
        with running_server(prepared_kb(Settings()), args.workers, None,
                            extra_env=env) as (_port, _pid, _token):
            wait_for_port(smtp_port)
            send_all(smtp_port, [mail("Where is my parcel?", 10**6 + i) for i in range(5)],
                     {})  # warm-up, not counted
            deadline = time.monotonic() + 120
            while len(relay.arrived) < 5 and time.monotonic() < deadline:
                time.sleep(0.05)
            relay.arrived.clear()
            started = time.perf_counter()
            threads = [threading.Thread(target=send_all, args=(
                smtp_port, mails[i::args.senders], sent_at)) for i in range(args.senders)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            accepted = time.perf_counter()
            last, seen = time.monotonic(), 0
            while len(relay.arrived) < len(mails) and time.monotonic() - last < 30:
                time.sleep(0.05)  # until every reply is in, or none came for 30 s
                if len(relay.arrived) != seen:
                    last, seen = time.monotonic(), len(relay.arrived)
            finished = max(relay.arrived.values(), default=accepted)
    finally:
        controller.stop()
    latencies = [1000 * (relay.arrived[m] - sent_at[m]) for m in sent_at if m in relay.arrived]
    replied = len(latencies)
    row = {
        "mails": len(mails), "replied": replied, "senders": args.senders,
        "workers": args.workers,
        "accepted_per_s": round(len(mails) / (accepted - started), 1),
        "replies_per_s": round(replied / (finished - started), 1),
        "p50_ms": round(statistics.median(latencies), 1) if latencies else None,
        "p99_ms": round(percentile(latencies, 0.99), 1) if latencies else None,
    }
    table = Table(title="mail in -> replies to the relay (loopback SMTP, real model)")
    for column in ("mails", "replied", "accepted/s", "replies/s", "p50 ms", "p99 ms"):
        table.add_column(column, justify="right")
    table.add_row(str(row["mails"]), str(replied), str(row["accepted_per_s"]),
                  str(row["replies_per_s"]), str(row["p50_ms"]), str(row["p99_ms"]))
    Console(width=120).print(table)
    path = args.json or RESULTS / f"mail-{datetime.now(UTC):%Y%m%dT%H%M%SZ}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"command": "python -m benchmarks.mail " + " ".join(
        sys.argv[1:] if argv is None else argv), "when": datetime.now(UTC).isoformat(
        timespec="seconds"), "results": row}, indent=2))
    console.print(f"results: {path}")
    if replied < len(mails):
        raise SystemExit(f"only {replied} of {len(mails)} mails got a reply")


if __name__ == "__main__":
    main()
