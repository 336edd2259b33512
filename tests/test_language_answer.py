"""The answer path chooses the reply's language with the hint, the customer's earlier messages
and the knowledge base when the message alone leaves it open, and says how it chose."""

from __future__ import annotations

from pathlib import Path

import pytest

from responder.wiring import build_services
from tests.fakes import FakeEmbedder
from tests.staff import api_client
from tests.test_answer_api import ask
from tests.test_index import make_settings

AMBIGUOUS = "pakken er ødelagt"  # the same words in Danish and Norwegian

DAMAGED_DA = {"slug": "damaged-parcel", "language": "da", "category": "delivery",
              "title": "Min pakke er ødelagt",
              "short_answer": "Tag et billede af pakken, og send det til os, så sender vi en ny.",
              "examples": ["pakken er ødelagt, hvad gør jeg", "varen var i stykker da den kom"]}


@pytest.fixture
def client(tmp_path: Path):
    services = build_services(make_settings(tmp_path), embedder=FakeEmbedder())
    with api_client(services) as test_client:
        assert test_client.post("/articles", json=DAMAGED_DA).status_code == 201
        yield test_client
    services.close()


def test_the_knowledge_base_settles_an_ambiguous_message(client):
    language = ask(client, AMBIGUOUS, channel="chat")["language"]
    assert (language["code"], language["source"]) == ("da", "knowledge_base")
    assert set(language["candidates"]) == {"da", "nb"}


def test_earlier_messages_come_before_the_knowledge_base(client):
    body = ask(client, AMBIGUOUS, channel="chat",
               earlier=["Hei, jeg har ikke fått pakken min ennå", "den kom i dag"])
    assert (body["language"]["code"], body["language"]["source"]) == ("nb", "conversation")
    assert body["reply"]["language"] == "nb"


def test_the_hint_comes_first(client):
    language = ask(client, AMBIGUOUS, channel="chat", language="nb",
                   earlier=["Hej, jeg har ikke fået min pakke endnu"])["language"]
    assert (language["code"], language["source"]) == ("nb", "hint")


def test_a_clear_message_is_detected_whatever_comes_with_it(client):
    language = ask(client, "Hvornår kommer min pakke? Den er ikke kommet endnu", channel="chat",
                   language="nb", earlier=["Hei, jeg har ikke fått pakken min ennå"])["language"]
    assert (language["code"], language["source"], language["candidates"]) == (
        "da", "detected", [])


def test_at_most_five_earlier_messages_are_accepted(client):
    response = client.post("/answer", json={"text": AMBIGUOUS, "channel": "chat",
                                            "earlier": ["hei"] * 6})
    assert response.status_code == 422
