"""What arrives before any route runs, or fails after: bodies that are not JSON, methods a
path does not take, and unexpected exceptions on a real keep-alive connection."""

from __future__ import annotations

import http.client
import json
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from fastapi.testclient import TestClient

from responder.api.app import create_app
from responder.wiring import Services, build_services
from tests.fakes import FakeEmbedder
from tests.staff import api_client
from tests.test_api import ARTICLE, assert_error
from tests.test_index import make_settings


@pytest.fixture
def services(tmp_path: Path) -> Iterator[Services]:
    built = build_services(make_settings(tmp_path), embedder=FakeEmbedder())
    yield built
    built.close()


@pytest.fixture
def client(services: Services) -> Iterator[TestClient]:
    with api_client(services) as test_client:
        assert test_client.post("/articles", json=ARTICLE).status_code == 201
        yield test_client


@pytest.mark.parametrize("raw, words", [
    (b'{"text": "hi", "channel": ', "not valid JSON"),
    (b"{'text': 'hi'}", "not valid JSON"),
    (b"", "missing"),
    (b'["text", "hi"]', "not a JSON object"),
    (b'"just a string"', "not a JSON object"),
    (b'{"text": "caf\xe9", "channel": "email"}', "could not be read as JSON"),  # Latin-1
])
def test_a_body_that_is_not_a_json_object_is_a_422_on_the_body(
    client: TestClient, raw: bytes, words: str
) -> None:
    response = client.post("/answer", content=raw, headers={"Content-Type": "application/json"})
    error = assert_error(response, 422, "invalid_input", "body")
    assert words in error["message"] and "Content-Type: application/json" in error["message"]


def test_json_sent_as_another_content_type_is_a_422_that_says_which(client: TestClient) -> None:
    response = client.post("/answer", content=b'{"text": "hi", "channel": "email"}',
                           headers={"Content-Type": "text/plain"})
    error = assert_error(response, 422, "invalid_input", "body")
    assert "Content-Type: application/json" in error["message"]


@pytest.mark.parametrize("method, path, allowed", [
    ("DELETE", "/articles/1", "GET, PUT"),
    ("PATCH", "/articles", "GET, POST"),
    ("PUT", "/articles/1/questions", "GET, POST"),
    ("DELETE", "/escalations", "GET, POST"),
    ("GET", "/escalations/1/resolve", "POST"),
    ("POST", "/health", "GET"),
])
def test_a_405_names_every_method_of_the_path(
    client: TestClient, method: str, path: str, allowed: str
) -> None:
    response = client.request(method, path)
    error = assert_error(response, 405, "method_not_allowed")
    assert response.headers["allow"] == allowed
    assert f"{method} is not supported on /api/v1{path}" in error["message"]


def test_an_unknown_path_is_a_404_in_the_one_shape(client: TestClient) -> None:
    error = assert_error(client.get("/nowhere"), 404, "not_found")
    assert "/nowhere" in error["message"] and "/docs" in error["message"]


@pytest.fixture
def live(services: Services) -> Iterator[int]:
    """The app on uvicorn at 127.0.0.1 (a real connection), with a route that fails."""
    app = create_app(services=services)

    @app.get("/boom", include_in_schema=False)
    def boom() -> None:
        raise RuntimeError("a bug")

    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, log_level="critical", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and thread.is_alive() and time.monotonic() < deadline:
        time.sleep(0.02)
    assert server.started, "uvicorn did not start"
    yield listener.getsockname()[1]
    server.should_exit = True
    thread.join(20)
    listener.close()


def test_an_unexpected_error_is_the_json_500_and_the_connection_stays_open(live: int) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", live, timeout=10)
    try:
        connection.request("GET", "/boom")
        response = connection.getresponse()
        body = json.loads(response.read())
        assert response.status == 500
        assert response.getheader("content-type") == "application/json"
        assert body == {"error": {"code": "internal_error", "field": None,
                                  "message": "An unexpected error occurred; it has been logged."}}
        assert (response.getheader("connection") or "").lower() != "close"
        first = connection.sock
        assert first is not None
        # The same socket carries the next request: the server did not drop the connection.
        connection.request("GET", "/health")
        again = connection.getresponse()
        assert again.status == 200 and json.loads(again.read())["status"] == "ok"
        assert connection.sock is first
    finally:
        connection.close()
