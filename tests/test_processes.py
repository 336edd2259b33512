"""Real server processes on one KB: each sees the others' writes, stops cleanly on SIGTERM,
and a kill -9 in the middle of concurrent writes loses nothing it acknowledged."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from responder.api.app import API_PREFIX
from responder.config import Settings
from responder.wiring import build_services
from tests.fakes import FakeEmbedder
from tests.staff import token_in
from tests.test_index import make_settings

ROOT = Path(__file__).resolve().parents[1]
ARTICLE = {"slug": "refund-status", "language": "en", "title": "When do I get my refund",
           "short_answer": "Refunds arrive within 5 working days.",
           "examples": ["where is my refund", "refund not received"]}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def settings_json(tmp_path: Path, name: str, database_url: str | None = None) -> str:
    values = {"kb_dir": str(tmp_path / "kb"), "index_dir": str(tmp_path / f"index-{name}"),
              "data_dir": str(tmp_path / "data"), "seed_demo": False,
              "language_components": 0, "head_weight": 0.0}
    if database_url:
        values["database_url"] = database_url
    return json.dumps(values)


class Server:
    def __init__(self, proc: subprocess.Popen[bytes], port: int, token: str) -> None:
        self.proc = proc
        self.url = f"http://127.0.0.1:{port}{API_PREFIX}"
        self.headers = {"Authorization": f"Bearer {token}"}
        self.client = self.new_client()

    def new_client(self) -> httpx.Client:
        """A client of the API acting as an admin."""
        return httpx.Client(base_url=self.url, headers=self.headers, timeout=30)

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"the server exited with {self.proc.returncode}")
            try:
                if self.client.get("/health").status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        raise AssertionError("the server did not start")

    def stop(self) -> int:
        self.client.close()
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        return self.proc.wait(timeout=60)


@contextmanager
def server(tmp_path: Path, name: str, database_url: str | None = None) -> Iterator[Server]:
    port = free_port()
    values = settings_json(tmp_path, name, database_url)
    token = token_in(Settings(**json.loads(values)))
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.fake_server", str(port), values],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    running = Server(proc, port, token)
    try:
        running.wait_ready()
        yield running
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=60)


def search_slugs(server: Server, query: str) -> list[str]:
    response = server.client.get("/search", params={"q": query, "language": "en"})
    assert response.status_code == 200, response.text
    return [h["slug"] for h in response.json()["hits"]]


def until(condition, seconds: float) -> float:  # type: ignore[no-untyped-def]
    start = time.monotonic()
    while not condition():
        if time.monotonic() - start > seconds:
            raise AssertionError(f"not within {seconds} s")
        time.sleep(0.05)
    return time.monotonic() - start


def check_two_servers(tmp_path: Path, database_url: str | None) -> None:
    with server(tmp_path, "a", database_url) as a, server(tmp_path, "b", database_url) as b:
        created = a.client.post("/articles", json=ARTICLE)
        assert created.status_code == 201, created.text
        until(lambda: "refund-status" in search_slugs(b, "where is my refund"), 2.0)
        answered = b.client.post("/answer", json={"text": "where is my refund",
                                                  "channel": "chat", "language": "en"})
        assert answered.json()["matches"][0]["slug"] == "refund-status"
        archived = a.client.post(f"/articles/{created.json()['id']}/archive")
        assert archived.status_code == 200, archived.text
        until(lambda: "refund-status" not in search_slugs(b, "where is my refund"), 2.0)
        assert a.stop() == 0 and b.stop() == 0


def test_two_servers_on_sqlite_see_each_others_writes_within_two_seconds(tmp_path):
    check_two_servers(tmp_path, None)


@pytest.mark.integration
def test_two_servers_on_postgresql_see_each_others_writes_within_two_seconds(
        tmp_path, postgres_url):
    check_two_servers(tmp_path, postgres_url)


def test_sigterm_stops_a_server_cleanly_and_saves_its_index(tmp_path):
    with server(tmp_path, "a") as a:
        assert a.client.post("/articles", json=ARTICLE).status_code == 201
        started = time.monotonic()
        assert a.stop() == 0
        assert time.monotonic() - started < 15
        output = (a.proc.stdout.read() if a.proc.stdout else b"").decode()
        assert "terminate called" not in output and "Traceback" not in output, output
    services = build_services(make_settings(tmp_path, index_dir=tmp_path / "index-a"),
                              embedder=FakeEmbedder())
    assert services.index.verify().ok  # saved on the way out
    assert services.sync.added == 0
    services.close()


def test_kill_9_in_a_burst_of_writes_loses_nothing_acknowledged(tmp_path):
    acked: list[int] = []
    lock = threading.Lock()
    stop = threading.Event()
    with server(tmp_path, "a") as a:
        base = a.client.post("/articles", json=ARTICLE).json()["id"]

        def write(n: int) -> None:
            with a.new_client() as client:
                for round_ in range(10_000):
                    if stop.is_set():
                        return
                    try:
                        if round_ % 2:
                            response = client.post(f"/articles/{base}/questions", json={
                                "text": f"question {n}-{round_}", "language": "en"})
                        else:
                            response = client.post("/articles", json={
                                **ARTICLE, "slug": f"topic-{n}-{round_}",
                                "examples": [f"example {n}-{round_}"]})
                    except httpx.TransportError:
                        return  # the server died: this write was never acknowledged
                    assert response.status_code == 201, response.text
                    with lock:
                        acked.append(response.json()["id"] if round_ % 2 == 0 else -1)

        writers = [threading.Thread(target=write, args=(n,)) for n in range(6)]
        for thread in writers:
            thread.start()
        until(lambda: len(acked) >= 60, 60)
        os.kill(a.proc.pid, signal.SIGKILL)
        stop.set()
        for thread in writers:
            thread.join(60)
    services = build_services(make_settings(tmp_path, index_dir=tmp_path / "index-a"),
                              embedder=FakeEmbedder())
    stored = {article.id for article in services.store.list_articles()}
    assert {i for i in acked if i > 0} <= stored
    questions = services.store.questions(base)
    assert len(questions) >= sum(1 for i in acked if i == -1) + 2
    assert services.index.verify().ok
    services.close()
