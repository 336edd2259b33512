"""What a server process does beyond answering one message: it answers no more messages at
once than it has cores for, detects languages on many threads without a shared lock, and
does its first-use work before the first request."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from threadpoolctl import threadpool_info

from responder.language import detect_language
from responder.pipeline import Message
from responder.wiring import build_services
from tests.fakes import FakeEmbedder
from tests.test_index import make_settings, seed

MESSAGES = [
    "I forgot my password and the link does not work",
    "Ich habe mein Passwort vergessen und der Link funktioniert nicht",
    "Jeg har glemt min adgangskode, og linket virker ikke",
    "Jeg har glemt passordet mitt og lenken fungerer ikke",
    "Я забыл пароль, и ссылка не работает",
    "where is my refund",
]


def test_a_process_answers_at_most_concurrent_answers_messages_at_once(tmp_path: Path) -> None:
    services = build_services(make_settings(tmp_path, concurrent_answers=3),
                              embedder=FakeEmbedder())
    try:
        seed(services)
        retriever = services.responder.retriever
        search = retriever.search_many
        inside, most = 0, 0
        lock = threading.Lock()

        def slow_search(*args: object, **kwargs: object):  # type: ignore[no-untyped-def]
            nonlocal inside, most
            with lock:
                inside += 1
                most = max(most, inside)
            time.sleep(0.05)
            try:
                return search(*args, **kwargs)  # type: ignore[arg-type]
            finally:
                with lock:
                    inside -= 1

        retriever.search_many = slow_search  # type: ignore[method-assign]
        with ThreadPoolExecutor(8) as pool:
            outcomes = list(pool.map(
                lambda n: services.responder.respond(Message(MESSAGES[n % 6], "chat")),
                range(16)))
        assert len(outcomes) == 16
        assert most == 3
    finally:
        services.close()


def test_language_detection_gives_the_same_answer_on_many_threads_at_once() -> None:
    alone = [detect_language(text) for text in MESSAGES]
    with ThreadPoolExecutor(8) as pool:
        together = list(pool.map(detect_language, MESSAGES * 20))
    assert together == alone * 20
    assert [d.language for d in alone] == ["en", "de", "da", "nb", "ru", "en"]


def test_prepare_to_serve_checks_templates_warms_up_and_follows_the_kb(tmp_path: Path) -> None:
    services = build_services(make_settings(tmp_path), embedder=FakeEmbedder())
    try:
        seed(services)
        assert services.follower is None
        services.prepare_to_serve()
        assert services.follower is not None
        blas = [pool for pool in threadpool_info() if pool["user_api"] == "blas"]
        assert blas and all(pool["num_threads"] == 1 for pool in blas)
    finally:
        services.close()
    assert services.closed
