"""The OpenAPI document declares every status a route can return, each error with the one
error body, and the input limits the routes enforce."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI

from responder.api.app import create_app


@pytest.fixture(scope="module")
def openapi() -> dict[str, Any]:
    app: FastAPI = create_app()  # the document needs no services
    return app.openapi()


def operations(doc: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in doc["paths"].items():
        for method, operation in item.items():
            yield method.upper(), path, operation


def test_every_error_status_has_the_one_error_body(openapi: dict[str, Any]) -> None:
    detail = openapi["components"]["schemas"]["ErrorDetail"]
    assert set(detail["required"]) == {"code", "message", "field"}
    assert openapi["components"]["schemas"]["ErrorOut"]["required"] == ["error"]
    assert "HTTPValidationError" not in openapi["components"]["schemas"]
    for method, path, operation in operations(openapi):
        responses = operation["responses"]
        assert "500" in responses, (method, path)
        for status, response in responses.items():
            if int(status) >= 400:
                schema = response["content"]["application/json"]["schema"]
                assert schema == {"$ref": "#/components/schemas/ErrorOut"}, (method, path)


def test_every_route_declares_the_statuses_it_can_return(openapi: dict[str, Any]) -> None:
    for method, path, operation in operations(openapi):
        declared = set(operation["responses"])
        if operation.get("parameters") or operation.get("requestBody"):
            assert "422" in declared, (method, path)
        if "{" in path:
            assert "404" in declared, (method, path)
    paths = openapi["paths"]
    assert {"401", "403", "409", "422", "503"} <= set(
        paths["/api/v1/articles"]["post"]["responses"])
    assert {"401", "403", "404", "409", "422", "503"} <= set(
        paths["/api/v1/escalations/{escalation_id}/resolve"]["post"]["responses"])
    assert set(paths["/api/v1/escalations/{escalation_id}"]["get"]["responses"]) == {
        "200", "401", "403", "404", "422", "500"}
    assert set(paths["/health"]["get"]["responses"]) == {"200", "401", "429", "500"}
    assert {"429"} <= set(paths["/api/v1/answer"]["post"]["responses"])


def test_every_route_is_under_the_api_prefix_but_health(openapi: dict[str, Any]) -> None:
    assert {path for path in openapi["paths"] if not path.startswith("/api/v1/")} == {
        "/health"}


def test_the_limits_are_in_the_document(openapi: dict[str, Any]) -> None:
    schemas = openapi["components"]["schemas"]
    escalation = schemas["EscalationCreate"]["properties"]
    assert escalation["reason"]["maxLength"] == 2000
    assert escalation["customer_name"]["maxLength"] == 200
    assert escalation["customer_email"]["maxLength"] == 320
    assert escalation["category"]["maxLength"] == 64
    assert schemas["ArticleCreate"]["properties"]["examples"]["maxItems"] == 200
    assert "edited_by" not in schemas["ArticleCreate"]["properties"]  # who is signed in
    assert "resolved_by" not in schemas["ResolutionIn"]["properties"]
    assert schemas["AnswerIn"]["properties"]["customer_name"]["maxLength"] == 200
    ids = [parameter for _, _, operation in operations(openapi)
           for parameter in operation.get("parameters", []) if parameter["in"] == "path"]
    assert len(ids) == 17  # 15 routes with an id; restore and removing a question have two
    for parameter in ids:
        assert parameter["schema"]["type"] == "integer", parameter
        assert (parameter["schema"]["minimum"], parameter["schema"]["maximum"]) == (
            1, 2_147_483_647), parameter
