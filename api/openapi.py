"""OpenAPI helpers: every error a route can return is documented as problem+json; examples keep their nulls."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI

from api.errors import PROBLEM_JSON

_PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["type", "title", "status"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "request_id": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["field", "message", "type"],
                "properties": {
                    "field": {"type": "string"},
                    "message": {"type": "string"},
                    "type": {"type": "string"},
                },
            },
        },
    },
}

_DESCRIPTIONS = {
    400: "Malformed JSON",
    401: "Missing, invalid, expired or revoked API key",
    403: "The key lacks the required scope",
    404: "Not found (or another tenant's)",
    406: "The Accept header names no representation this route serves",
    409: "A request with this Idempotency-Key is still in progress; retry it",
    413: "Body too large, too deep or too many members",
    415: "Body is not application/json",
    422: "Invalid field(s), named in `errors` (or an Idempotency-Key reused with another body)",
    429: "Rate limit exceeded; see Retry-After",
    503: "Database unavailable or not ready; see Retry-After",
}


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    return {
        status: {"description": _DESCRIPTIONS[status], "content": {PROBLEM_JSON: {"schema": _PROBLEM_SCHEMA}}}
        for status in statuses
    }


def with_examples(app: FastAPI, examples: dict[tuple[str, str], list[Any]]) -> None:
    """Set `examples` on (component, property) pairs of the OpenAPI document after FastAPI built it.

    FastAPI drops every null from the document (`exclude_none`), examples included, which would turn an
    example with a null field into one that fails its own schema; examples set here keep their nulls.
    """
    build: Callable[[], dict[str, Any]] = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = build()
            for (component, field), values in examples.items():
                schema["components"]["schemas"][component]["properties"][field]["examples"] = values
        return app.openapi_schema or build()

    app.openapi = openapi  # type: ignore[method-assign]
