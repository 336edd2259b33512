"""Many people at once: a real server (`kb-responder serve --workers N`) on the demo KB, loaded
by client threads over loopback HTTP, answers/s and latency at 1, 8 and 32 clients.

    python -m benchmarks.load [--workers 1,2] [--clients 1,8,32] [--seconds 20]
                              [--scenarios read,write,import] [--threads N] [--json PATH]

Scenarios (each client sends POST /answer back to back, a customer message from the demo
KB's example questions, in five languages, over chat, email and the help page):
- read: answers only;
- write: answers while 2 editors write continuously (edit an article's full answer, add an
  example question, open and resolve an escalation into an article, archive and publish),
  each write followed by a 0.25 s pause;
- import: answers while one editor creates articles with 200 example questions each, back
  to back (the model embeds 200 texts per write).
Every cell prints answers/s, answer latency p50/p99, errors, writes done and their p50, and
the largest resident memory of any server process during the cell. The server is started
from a copy of a prepared demo KB (built once, cached under the data folder) and stopped
with SIGTERM at the end; its exit code is checked.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import http.client
import json
import os
import random
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from responder.api.app import API_PREFIX
from responder.auth.accounts import Accounts
from responder.auth.keys import secret_key
from responder.auth.roles import Role
from responder.config import Settings
from responder.kb.markdown import parse_folder
from responder.kb.sql import SqlStore

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "kb" / "demo"
RESULTS = Path(__file__).resolve().parent / "results"
CHANNELS = ("chat", "email", "helppage")
console = Console(stderr=True)


@dataclass
class Cell:
    workers: int
    clients: int
    scenario: str
    seconds: float
    answers: int = 0
    errors: int = 0
    error_samples: list[str] = field(default_factory=list)
    p50_ms: float = 0.0
    p99_ms: float = 0.0
    max_ms: float = 0.0
    writes: int = 0
    write_p50_ms: float = 0.0
    write_errors: int = 0
    rss_max_mib: float = 0.0  # the largest server process
    rss_total_mib: float = 0.0  # all server processes together, at their largest
    slowest: list[tuple[float, float]] = field(default_factory=list)  # (second of cell, ms)
    started_at: str = ""  # wall clock, to find the slow seconds in the server's log

    @property
    def answers_per_second(self) -> float:
        return self.answers / self.seconds


# -- the server --------------------------------------------------------------------------------
def prepared_kb(settings: Settings) -> Path:
    """A demo KB with every vector cached, built once per demo content (minutes)."""
    digest = hashlib.sha256()
    for path in sorted(DEMO.rglob("*.md")):
        digest.update(path.read_bytes())
    folder = settings.data_dir / "bench" / f"demo-kb-{digest.hexdigest()[:12]}"
    if (folder / "ready").exists():
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    console.print(f"preparing the demo KB once in {folder} (the model embeds it)...")
    env = {**os.environ, "RESPONDER_KB_DIR": str(folder / "kb"),
           "RESPONDER_INDEX_DIR": str(folder / "index")}
    subprocess.run([sys.executable, "-m", "responder.cli", "kb", "import", str(DEMO)],
                   env=env, check=True, cwd=ROOT)
    (folder / "ready").touch()
    return folder


def editor_token(settings: Settings) -> str:
    store = SqlStore.from_url(settings.resolved_database_url)
    try:
        accounts = Accounts(store.engine, secret_key(settings))
        user = accounts.create_user("load-editor", Role.EDITOR, secrets.token_urlsafe(16))
        return accounts.create_token(user.id, "load benchmark")[1]
    finally:
        store.close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def running_server(template: Path, workers: int, threads: int | None,
                   keep_log: Path | None = None, extra_env: dict[str, str] | None = None,
                   ) -> Iterator[tuple[int, int, str]]:
    """(port, pid, an editor's API token) of a server on a fresh copy of the template KB; its
    log is copied to `keep_log` when given. The customers all come from 127.0.0.1, so the
    public endpoints' per-address limits are off."""
    with tempfile.TemporaryDirectory(prefix="kb-load-") as tmp:
        shutil.copytree(template / "kb", Path(tmp) / "kb")
        shutil.copytree(template / "index", Path(tmp) / "index")
        port = free_port()
        env = {**os.environ, "RESPONDER_KB_DIR": str(Path(tmp) / "kb"),
               "RESPONDER_INDEX_DIR": str(Path(tmp) / "index"),
               "RESPONDER_PUBLIC_PER_MINUTE": "0", "RESPONDER_ANONYMOUS_HANDOFFS_PER_HOUR": "0",
               **(extra_env or {})}
        token = editor_token(Settings(kb_dir=Path(tmp) / "kb", index_dir=Path(tmp) / "index"))
        command = [sys.executable, "-m", "responder.cli", "serve", "--port", str(port),
                   "--workers", str(workers)]
        if threads:
            command += ["--threads", str(threads)]
        log = open(Path(tmp) / "server.log", "wb")  # noqa: SIM115 - closed below
        proc = subprocess.Popen(command, env=env, cwd=ROOT, stdout=log, stderr=log)
        try:
            wait_until_answering(port, proc, workers)
            yield port, proc.pid, token
        finally:
            proc.send_signal(signal.SIGTERM)
            code = proc.wait(timeout=120)
            log.close()
            if keep_log is not None:
                shutil.copyfile(Path(tmp) / "server.log", keep_log)
            if code != 0:
                console.print(f"[red]the server exited with {code}[/red]; its log:\n"
                              + (Path(tmp) / "server.log").read_text()[-3000:])


def wait_until_answering(port: int, proc: subprocess.Popen[bytes], workers: int) -> None:
    deadline = time.monotonic() + 600
    healthy = 0
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the server exited with {proc.returncode} while starting")
        with contextlib.suppress(OSError, http.client.HTTPException):
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/health")  # at the root, for load balancers
            response = conn.getresponse()
            response.read()
            conn.close()
            if response.status == 200:
                healthy += 1  # a few answers in a row, so that more than one worker is up
                if healthy >= 3 * workers:
                    return
        time.sleep(0.5)
    raise SystemExit("the server did not start within 10 minutes")


def process_tree(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError, IndexError, ValueError):
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                children.setdefault(int(fields[1]), []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(children.get(current, []))
    return found


def rss_mib(pid: int) -> float:
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


# -- the clients -------------------------------------------------------------------------------
class Client:
    """One keep-alive HTTP connection, JSON in and out."""

    def __init__(self, port: int, token: str | None = None) -> None:
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.auth = {"Authorization": f"Bearer {token}"} if token else {}

    def call(self, method: str, path: str, body: dict[str, Any] | None = None
             ) -> tuple[int, Any]:
        data = json.dumps(body).encode() if body is not None else None
        headers = {"Content-Type": "application/json"} if data else {}
        try:
            self.conn.request(method, API_PREFIX + path, body=data,
                              headers=headers | self.auth)
            response = self.conn.getresponse()
            raw = response.read()
        except (OSError, http.client.HTTPException):
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            raise
        return response.status, json.loads(raw) if raw else None


def customer_messages() -> list[tuple[str, str]]:
    """(text, language) of every example question of the demo KB."""
    found = []
    for article in parse_folder(DEMO):
        found.extend((q, article.content.language) for q in article.questions)
    return found


class Writer:
    """An editor at work on articles of its own (the demo's stay as they are)."""

    def __init__(self, client: Client, name: str, rng: random.Random) -> None:
        self.client, self.name, self.rng = client, name, rng
        self.article_id = 0
        self.round = 0

    def article(self, slug: str, questions: list[str]) -> dict[str, Any]:
        return {"slug": slug, "language": "en", "title": f"Parcel help {slug}",
                "short_answer": "We track every parcel and tell you where it is.",
                "body": f"Revision {self.round}: " + " ".join(
                    self.rng.sample(WORDS, 40)), "examples": questions}

    def step(self) -> int:
        self.round += 1
        slug = f"load-{self.name}"
        if not self.article_id:
            status, body = self.client.call("POST", "/articles", self.article(slug, [
                "where is my parcel right now"]))
            self.article_id = body["id"] if status == 201 else 0
            return status
        kind = self.round % 4
        if kind == 0:
            content = self.article(slug, [])
            del content["examples"]
            return self.client.call("PUT", f"/articles/{self.article_id}", content)[0]
        if kind == 1:
            return self.client.call("POST", f"/articles/{self.article_id}/questions", {
                "text": f"parcel question {self.name} {self.round}", "language": "en"})[0]
        if kind == 2:
            status, opened = self.client.call("POST", "/escalations", {
                "message": f"my parcel {self.round} went to the wrong address",
                "language": "en", "channel": "email"})
            if status != 201:
                return status
            return self.client.call("POST", f"/escalations/{opened['id']}/resolve", {
                "resolution": "Redirected", "article_id": self.article_id})[0]
        status = self.client.call("POST", f"/articles/{self.article_id}/archive")[0]
        return status if status != 200 else self.client.call(
            "POST", f"/articles/{self.article_id}/publish")[0]


class Importer(Writer):
    def step(self) -> int:
        self.round += 1
        questions = [f"question {i} about bulk topic {self.name} {self.round} "
                     + " ".join(self.rng.sample(WORDS, 5)) for i in range(200)]
        return self.client.call("POST", "/articles", self.article(
            f"bulk-{self.name}-{self.round}", questions))[0]


_VOCABULARY = """parcel order delivery address refund card payment invoice account password login
shipping return exchange warranty voucher discount store opening hours tracking courier customs
damaged missing late cancel subscription newsletter points loyalty size colour stock gift
wrapping receipt vat business student price match"""
WORDS = _VOCABULARY.split()


def run_cell(port: int, pid: int, token: str, workers: int, clients: int, scenario: str,
             seconds: float, messages: list[tuple[str, str]]) -> Cell:
    cell = Cell(workers, clients, scenario, seconds)
    cell_tag = f"{scenario}-{time.monotonic_ns() % 10**9}"
    latencies: list[tuple[float, float]] = []  # (finished at, seconds taken)
    write_latencies: list[float] = []
    lock = threading.Lock()
    started = threading.Event()
    stop = threading.Event()

    def reader(n: int) -> None:
        rng = random.Random(n)
        client = Client(port)
        started.wait()
        while not stop.is_set():
            text, language = rng.choice(messages)
            begin = time.perf_counter()
            try:
                status, body = client.call("POST", "/answer", {
                    "text": text, "channel": rng.choice(CHANNELS), "language": language})
            except (OSError, http.client.HTTPException) as exc:
                status, body = 0, str(exc)
            elapsed = time.perf_counter() - begin
            if stop.is_set():
                break
            with lock:
                if status == 200:
                    latencies.append((time.monotonic(), elapsed))
                else:
                    cell.errors += 1
                    if len(cell.error_samples) < 3:
                        cell.error_samples.append(f"{status}: {str(body)[:200]}")

    def writer(n: int, kind: Callable[[Client, str, random.Random], Writer]) -> None:
        # Each cell's editors work on articles of their own: a slug of an earlier cell exists.
        editor = kind(Client(port, token), f"w{n}-{clients}-{cell_tag}", random.Random(1000 + n))
        started.wait()
        while not stop.is_set():
            begin = time.perf_counter()
            try:
                status = editor.step()
            except (OSError, http.client.HTTPException):
                status = 0
            if stop.is_set():
                break
            with lock:
                write_latencies.append(time.perf_counter() - begin)
                if status not in (200, 201):
                    cell.write_errors += 1
            if scenario == "write":
                stop.wait(0.25)

    threads = [threading.Thread(target=reader, args=(n,), daemon=True) for n in range(clients)]
    if scenario == "write":
        threads += [threading.Thread(target=writer, args=(n, Writer), daemon=True)
                    for n in range(2)]
    elif scenario == "import":
        threads.append(threading.Thread(target=writer, args=(0, Importer), daemon=True))
    for thread in threads:
        thread.start()
    time.sleep(0.2)
    started.set()
    time.sleep(min(2.0, seconds / 5))  # warm-up, not counted
    with lock:
        latencies.clear()
        write_latencies.clear()
        cell.errors = cell.write_errors = 0
    peak: dict[int, float] = {}
    begin = time.monotonic()
    cell.started_at = datetime.now(UTC).isoformat(timespec="milliseconds")
    while time.monotonic() - begin < seconds:
        for process in process_tree(pid):
            peak[process] = max(peak.get(process, 0.0), rss_mib(process))
        time.sleep(0.5)
    with lock:
        done = list(latencies)
        writes = list(write_latencies)
        cell.seconds = time.monotonic() - begin
    stop.set()
    for thread in threads:
        thread.join(120)
    cell.answers = len(done)
    if done:
        ordered = sorted(elapsed for _, elapsed in done)
        cell.slowest = [(round(at - begin, 1), round(1000 * elapsed))
                        for at, elapsed in sorted(done, key=lambda d: -d[1])[:10]]
        cell.p50_ms = 1000 * statistics.median(ordered)
        cell.p99_ms = 1000 * ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))]
        cell.max_ms = 1000 * ordered[-1]
    cell.writes = len(writes)
    cell.write_p50_ms = 1000 * statistics.median(writes) if writes else 0.0
    cell.rss_max_mib = max(peak.values(), default=0.0)
    cell.rss_total_mib = sum(peak.values())
    return cell


# -- the run -----------------------------------------------------------------------------------
def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.load", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    ints = lambda text: [int(x) for x in text.split(",")]  # noqa: E731
    parser.add_argument("--workers", type=ints, default=[1, 2])
    parser.add_argument("--clients", type=ints, default=[1, 8, 32])
    parser.add_argument("--scenarios", type=lambda t: t.split(","),
                        default=["read", "write", "import"])
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--threads", type=int, default=None,
                        help="serve --threads (default: the server's own default)")
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--server-log", type=Path, default=None,
                        help="keep each server's log as PATH-w<workers>.log")
    return parser.parse_args(argv)


def table(cells: list[Cell]) -> Table:
    out = Table(title="load (loopback HTTP, demo KB)")
    for column in ("workers", "clients", "scenario", "answers/s", "p50 ms", "p99 ms",
                   "max ms", "errors", "writes", "write p50 ms", "RSS/worker MiB",
                   "RSS all MiB"):
        out.add_column(column, justify="right")
    for c in cells:
        out.add_row(str(c.workers), str(c.clients), c.scenario,
                    f"{c.answers_per_second:.1f}", f"{c.p50_ms:.0f}", f"{c.p99_ms:.0f}",
                    f"{c.max_ms:.0f}", str(c.errors + c.write_errors), str(c.writes),
                    f"{c.write_p50_ms:.0f}", f"{c.rss_max_mib:.0f}", f"{c.rss_total_mib:.0f}")
    return out


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    settings = Settings()
    template = prepared_kb(settings)
    messages = customer_messages()
    cells: list[Cell] = []
    for workers in args.workers:
        keep = (args.server_log.with_name(f"{args.server_log.name}-w{workers}.log")
                if args.server_log else None)
        with running_server(template, workers, args.threads, keep) as (port, pid, token):
            for scenario in args.scenarios:
                for clients in args.clients:
                    cell = run_cell(port, pid, token, workers, clients, scenario, args.seconds,
                                    messages)
                    cells.append(cell)
                    console.print(
                        f"workers {workers} clients {clients} {scenario}: "
                        f"{cell.answers_per_second:.1f} answers/s, p50 {cell.p50_ms:.0f} ms, "
                        f"p99 {cell.p99_ms:.0f} ms, errors {cell.errors}, writes "
                        f"{cell.writes} ({cell.write_errors} failed), RSS "
                        f"{cell.rss_max_mib:.0f} MiB, slowest (s, ms) {cell.slowest[:3]}" + (
                            f"; e.g. {cell.error_samples[0]}" if cell.error_samples else ""))
    Console(width=200).print(table(cells))
    path = args.json or RESULTS / f"load-{datetime.now(UTC):%Y%m%dT%H%M%SZ}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({
        "command": "python -m benchmarks.load " + " ".join(sys.argv[1:] if argv is None
                                                           else argv),
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "cores": os.cpu_count(), "load_average": os.getloadavg(),
        "cells": [asdict(c) | {"answers_per_second": c.answers_per_second} for c in cells],
    }, indent=2))
    console.print(f"results: {path}")


if __name__ == "__main__":
    main()
