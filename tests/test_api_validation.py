"""Every input path over HTTP: the same rules on every route, each refusal a 422 in the one
error shape that names the field and says what to do."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from responder.wiring import build_services
from tests.fakes import FakeEmbedder
from tests.staff import api_client
from tests.test_api import ARTICLE, assert_error
from tests.test_index import make_settings

MAX_ID = 2_147_483_647
BODY = {k: v for k, v in ARTICLE.items() if k != "examples"}
# Every route with an id in its path: (method, path with {id} for the id under test, body).
ID_ROUTES = [
    ("GET", "/articles/{id}", None, "article_id"),
    ("PUT", "/articles/{id}", BODY, "article_id"),
    ("POST", "/articles/{id}/publish", None, "article_id"),
    ("POST", "/articles/{id}/archive", None, "article_id"),
    ("GET", "/articles/{id}/revisions", None, "article_id"),
    ("POST", "/articles/{id}/revisions/1/restore", None, "article_id"),
    ("POST", "/articles/1/revisions/{id}/restore", None, "revision"),
    ("GET", "/articles/{id}/translations", None, "article_id"),
    ("GET", "/articles/{id}/questions", None, "article_id"),
    ("POST", "/articles/{id}/questions", {"text": "refund?", "language": "en"}, "article_id"),
    ("GET", "/articles/{id}/lint", None, "article_id"),
    ("GET", "/escalations/{id}", None, "escalation_id"),
    ("POST", "/escalations/{id}/resolve", {"resolution": "Done", "article_id": 1}, "escalation_id"),
]


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    services = build_services(make_settings(tmp_path), embedder=FakeEmbedder())
    with api_client(services) as test_client:
        assert test_client.post("/articles", json=ARTICLE).status_code == 201
        opened = test_client.post("/escalations", json={"message": "where is my money",
                                                        "language": "en"})
        assert opened.json()["id"] == 1
        yield test_client
    services.close()


def send_json(client: TestClient, method: str, path: str, raw: str) -> object:
    """A body written by hand, so it can hold what json.dumps would never produce."""
    return client.request(method, path, content=raw.encode("utf-8"),
                          headers={"Content-Type": "application/json"})


TOO_BIG = f"at most {MAX_ID}"
OUT_OF_RANGE = [("9223372036854775808", TOO_BIG), (str(MAX_ID + 1), TOO_BIG),
                ("1" + "0" * 30, TOO_BIG), ("0", "at least 1"), ("-1", "at least 1")]


@pytest.mark.parametrize("method, template, body, field", ID_ROUTES,
                         ids=[f"{m} {t}" for m, t, _, _ in ID_ROUTES])
def test_an_out_of_range_id_is_a_422_on_every_id_route(
    client: TestClient, method: str, template: str, body: object, field: str
) -> None:
    for value, bound in OUT_OF_RANGE:
        response = client.request(method, template.format(id=value), json=body)
        error = assert_error(response, 422, "invalid_input", field)
        assert bound in error["message"] and value[:20] in error["message"]
    error = assert_error(client.request(method, template.format(id="1.5"), json=body), 422,
                         "invalid_input", field)
    assert "whole number" in error["message"]


def test_an_id_in_range_that_names_no_row_is_a_404(client: TestClient) -> None:
    assert_error(client.get(f"/articles/{MAX_ID}"), 404, "not_found", "article_id")
    assert_error(client.get(f"/escalations/{MAX_ID}"), 404, "not_found", "escalation_id")


@pytest.mark.parametrize("path, raw, field", [
    ("/answer", '{"text": "a\\ud800b", "channel": "email"}', "text"),
    ("/escalations", '{"message": "a\\ud800b"}', "message"),
    ("/escalations", '{"message": "hi", "customer_name": "\\udc00"}', "customer_name"),
    ("/articles/1/questions", '{"text": "\\ud83d", "language": "en"}', "text"),
    ("/lint", '{"text": "calm \\ud800 down", "language": "en"}', "text"),
])
def test_a_lone_surrogate_is_a_422_that_says_so(
    client: TestClient, path: str, raw: str, field: str
) -> None:
    error = assert_error(send_json(client, "POST", path, raw), 422, "invalid_input", field)
    assert "lone UTF-16 surrogate" in error["message"] and "UTF-8" in error["message"]


def test_a_complete_surrogate_pair_in_json_is_an_ordinary_character(client: TestClient) -> None:
    response = send_json(client, "POST", "/escalations", '{"message": "card \\ud83d\\ude00"}')
    assert response.status_code == 201 and response.json()["message"] == "card \U0001f600"


@pytest.mark.parametrize("path, base", [
    ("/answer", {"text": "where is my refund", "channel": "email"}),
    ("/escalations", {"message": "where is my refund"}),
])
@pytest.mark.parametrize("field, value, words", [
    ("customer_name", "Eve\r\nBcc: all@example.com", "must be one line"),
    ("customer_name", "Eve\nBerg", "must be one line"),
    ("customer_name", "Eve\x00", "control character U+0000"),
    ("customer_name", "E" * 201, "the limit is 200"),
    ("customer_email", "eve@example.com\r\nBcc: all@example.com", "must be one line"),
    ("customer_email", "eve at example", "not an email address"),
    ("customer_email", "e" * 321, "the limit is 320"),
])
def test_names_and_addresses_are_one_line_everywhere(
    client: TestClient, path: str, base: dict[str, str], field: str, value: str, words: str
) -> None:
    error = assert_error(client.post(path, json={**base, field: value}), 422, "invalid_input",
                         field)
    assert words in error["message"]


def test_an_escalation_reason_is_capped(client: TestClient) -> None:
    ok = client.post("/escalations", json={"message": "hi there", "reason": "r" * 2000})
    assert ok.status_code == 201 and len(ok.json()["reason"]) == 2000
    for reason in ("r" * 2001, "r" * 10_000_000):
        error = assert_error(client.post("/escalations", json={"message": "hi", "reason": reason}),
                             422, "invalid_input", "reason")
        assert "the limit is 2000" in error["message"]


def test_an_escalation_category_is_one_the_matrix_knows(client: TestClient) -> None:
    for category in ("general", "billing", "Legal"):
        response = client.post("/escalations", json={"message": "hi", "category": category})
        assert response.status_code == 201 and response.json()["category"] == category.lower()
    error = assert_error(client.post("/escalations", json={"message": "hi",
                                                           "category": "gossip"}),
                         422, "invalid_input", "category")
    assert "Unknown category 'gossip'" in error["message"]
    assert "'billing'" in error["message"] and "'general'" in error["message"]
    assert_error(client.post("/escalations", json={"message": "hi", "category": "bill\r\ning"}),
                 422, "invalid_input", "category")


@pytest.mark.parametrize("path, body", [
    ("/articles", {**BODY, "slug": "other", "edited_by": "somebody else"}),
    ("/escalations/1/resolve", {"resolution": "Sent again", "resolved_by": "somebody else",
                                "article_id": 1}),
])
def test_who_made_a_change_cannot_be_claimed(client: TestClient, path: str, body: dict) -> None:
    """The signed-in user is recorded; a body that names someone else is refused."""
    field = "edited_by" if "edited_by" in body else "resolved_by"
    error = assert_error(client.post(path, json=body), 422, "invalid_input", field)
    assert "not a known field" in error["message"]


def test_a_resolution_names_an_article_id_in_range(client: TestClient) -> None:
    error = assert_error(client.post("/escalations/1/resolve", json={
        "resolution": "Sent again", "article_id": 2**63}),
        422, "invalid_input", "article_id")
    assert f"at most {MAX_ID}" in error["message"]


def test_a_new_article_from_a_resolution_follows_the_article_rules(client: TestClient) -> None:
    error = assert_error(client.post("/escalations/1/resolve", json={
        "resolution": "Sent again",
        "new_article": {**BODY, "slug": "new-one", "title": "Refunds\r\nBcc: x@evil"}}),
        422, "invalid_input", "title")
    assert "must be one line" in error["message"]


def test_example_questions_per_request_are_capped_with_what_to_do(client: TestClient) -> None:
    examples = [f"question number {n}" for n in range(201)]
    error = assert_error(client.post("/articles", json={**ARTICLE, "slug": "many",
                                                        "examples": examples}),
                         422, "invalid_input", "examples")
    assert "201 items; at most 200" in error["message"]
    assert "POST /articles/{id}/questions" in error["message"]
    created = client.post("/articles", json={**ARTICLE, "slug": "many",
                                             "examples": examples[:200]})
    assert created.status_code == 201, created.text
    article_id = created.json()["id"]
    added = client.post(f"/articles/{article_id}/questions",
                        json={"text": examples[200], "language": "en"})
    assert added.status_code == 201
    assert len(client.get(f"/articles/{article_id}/questions").json()) == 201


@pytest.mark.parametrize("params, field, words", [
    ({"q": "refund", "k": 51}, "k", "at most 50"),
    ({"q": "refund", "k": 0}, "k", "at least 1"),
    ({"q": "refund", "k": 2**64}, "k", "at most 50"),
    ({"q": "refund", "language": "e" * 36}, "language", "the limit is 35"),
    ({"q": "refund", "category": "c" * 65}, "category", "the limit is 64"),
    ({"q": "x" * 9000}, "q", "9000 characters long; the limit is 8000"),
    ({"q": ""}, "q", "is empty"),
    ({"q": "bad\x00"}, "q", "control character U+0000"),
])
def test_query_parameters_have_the_same_rules(
    client: TestClient, params: dict[str, object], field: str, words: str
) -> None:
    error = assert_error(client.get("/search", params=params), 422, "invalid_input", field)
    assert words in error["message"]


def test_agent_search_greets_a_one_line_name_only(client: TestClient) -> None:
    error = assert_error(client.get("/agent/search", params={
        "q": "refund", "customer_name": "Eve\r\nBcc: x"}), 422, "invalid_input", "customer_name")
    assert "must be one line" in error["message"]


def test_an_unknown_channel_lists_the_known_ones(client: TestClient) -> None:
    error = assert_error(client.post("/answer", json={"text": "hi", "channel": "fax"}),
                         422, "invalid_input", "channel")
    assert "'fax'" in error["message"] and "'helppage', 'email' or 'chat'" in error["message"]


def test_nothing_refused_was_stored(client: TestClient) -> None:
    before = client.get("/escalations").json()
    send_json(client, "POST", "/escalations", json.dumps({"message": "hi", "reason": "r" * 3000}))
    client.post("/escalations", json={"message": "hi", "customer_name": "a\r\nb"})
    assert client.get("/escalations").json() == before
