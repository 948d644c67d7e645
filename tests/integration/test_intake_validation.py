"""Bad input → a clear problem+json naming the field, never echoing the value; nothing stored or queued."""

from __future__ import annotations

import json
from typing import Any

import httpx
import psycopg
import pytest

from tests.conftest import KeyFactory
from tests.helpers import bearer

VALID: dict[str, Any] = {"patient_id": "P12345", "age": 42, "symptoms": ["fever", "cough"], "urgency": "high"}
SECRET = "Zebra-Quokka-7731"  # a value that must never come back in an error body


def with_(**changes: Any) -> dict[str, Any]:
    body = {**VALID, **changes}
    return {k: v for k, v in body.items() if v is not ...}


INVALID = [
    pytest.param(with_(age=-5), "age", id="negative-age"),
    pytest.param(with_(age=131), "age", id="age-over-130"),
    pytest.param(with_(age="42"), "age", id="age-as-string"),
    pytest.param(with_(age=42.5), "age", id="fractional-age"),
    pytest.param(with_(age=True), "age", id="age-as-bool"),
    pytest.param(with_(age=...), "age", id="missing-age"),
    pytest.param(with_(age_months=12), "age_months", id="age-months-12"),
    pytest.param(with_(urgency="whatever"), "urgency", id="unknown-urgency"),
    pytest.param(with_(urgency=...), "urgency", id="missing-urgency"),
    pytest.param(with_(sex="x"), "sex", id="unknown-sex"),
    pytest.param(with_(patient_id=""), "patient_id", id="empty-patient-id"),
    pytest.param(with_(patient_id="P 1/2"), "patient_id", id="patient-id-bad-chars"),
    pytest.param(with_(patient_id="P" * 65), "patient_id", id="patient-id-too-long"),
    pytest.param(with_(symptoms=[]), "symptoms", id="no-symptoms-no-vitals"),
    pytest.param(with_(symptoms=[""]), "symptoms.0", id="empty-symptom"),
    pytest.param(with_(symptoms=["a" * 201]), "symptoms.0", id="symptom-too-long"),
    pytest.param(with_(symptoms=["cough"] * 51), "symptoms", id="too-many-symptoms"),
    pytest.param(with_(symptoms="cough"), "symptoms", id="symptoms-not-a-list"),
    pytest.param(with_(vitals={"spo2": 101}), "vitals.spo2", id="spo2-over-100"),
    pytest.param(with_(vitals={"heart_rate": -1}), "vitals.heart_rate", id="negative-heart-rate"),
    pytest.param(with_(vitals={"temperature_c": 50}), "vitals.temperature_c", id="temperature-implausible"),
    pytest.param(with_(vitals={"respiratory_rate": "20"}), "vitals.respiratory_rate", id="rr-as-string"),
    pytest.param(with_(vitals={"spo2_scale": 3}), "vitals.spo2_scale", id="spo2-scale-3"),
    pytest.param(with_(vitals={"consciousness": "drowsy"}), "vitals.consciousness", id="unknown-acvpu"),
    pytest.param(with_(vitals={"pain_score": 11}), "vitals.pain_score", id="pain-over-10"),
    pytest.param(with_(vitals={"pulse": 80}), "vitals.pulse", id="unknown-vital"),
    pytest.param(with_(notes="n" * 4001), "notes", id="notes-too-long"),
    pytest.param(with_(pregnant="yes"), "pregnant", id="pregnant-not-bool"),
    pytest.param(with_(favourite_colour="blue"), "favourite_colour", id="unknown-field"),
]


async def count_rows(database_url: str) -> tuple[int, int, int]:
    async with await psycopg.AsyncConnection.connect(database_url) as conn:
        intakes = await (await conn.execute("SELECT count(*) FROM intakes")).fetchone()
        outcomes = await (await conn.execute("SELECT count(*) FROM triage_outcomes")).fetchone()
        jobs = await (await conn.execute("SELECT count(*) FROM procrastinate_jobs")).fetchone()
    assert intakes and outcomes and jobs
    return intakes[0], outcomes[0], jobs[0]


@pytest.mark.parametrize(("body", "field"), INVALID)
@pytest.mark.parametrize("path", ["/v1/intakes", "/intake/store", "/intake"])
async def test_invalid_intake_is_rejected_naming_the_field(
    app_client: httpx.AsyncClient,
    make_key: KeyFactory,
    database_url: str,
    body: dict[str, Any],
    field: str,
    path: str,
) -> None:
    body = json.loads(json.dumps(body).replace("fever", SECRET))
    response = await app_client.post(path, json=body, headers=bearer(await make_key()))
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == 422
    assert field in [error["field"] for error in problem["errors"]]
    assert SECRET not in response.text
    assert await count_rows(database_url) == (0, 0, 0)


async def test_errors_name_every_bad_field(app_client: httpx.AsyncClient, make_key: KeyFactory) -> None:
    body = with_(age=-1, urgency="soon", vitals={"spo2": 120})
    response = await app_client.post("/v1/intakes", json=body, headers=bearer(await make_key()))
    fields = {error["field"] for error in response.json()["errors"]}
    assert fields == {"age", "urgency", "vitals.spo2"}


async def test_vitals_alone_are_enough(app_client: httpx.AsyncClient, make_key: KeyFactory) -> None:
    body = with_(symptoms=[], vitals={"heart_rate": 80})
    response = await app_client.post("/v1/intakes", json=body, headers=bearer(await make_key()))
    assert response.status_code == 202, response.text


@pytest.mark.parametrize(
    ("content", "content_type", "status"),
    [
        pytest.param(b'{"patient_id": "P1", "age": ', "application/json", 400, id="truncated-json"),
        pytest.param(b"patient_id=P1&age=4", "application/x-www-form-urlencoded", 415, id="form-body"),
        pytest.param(json.dumps(VALID).encode(), "text/plain", 415, id="json-as-text-plain"),
        pytest.param(b"x" * (70 * 1024), "application/json", 413, id="body-over-limit"),
        pytest.param(b"[" * 50 + b"]" * 50, "application/json", 413, id="too-deep"),
        # Deeper than the JSON parser itself accepts (it refuses before our own depth check runs).
        pytest.param(b"[" * 10000 + b"]" * 10000, "application/json", 413, id="deeper-than-the-parser-allows"),
        pytest.param(b'{"a":' * 10000 + b"1" + b"}" * 10000, "application/json", 413, id="deep-objects"),
        pytest.param(b'["[[[[[[[[[[[[", ' * 3 + b"1]", "application/json", 400, id="brackets-in-a-string-then-bad"),
        pytest.param(json.dumps({f"k{i}": i for i in range(500)}).encode(), "application/json", 413, id="too-wide"),
    ],
)
async def test_malformed_bodies(
    app_client: httpx.AsyncClient,
    make_key: KeyFactory,
    database_url: str,
    content: bytes,
    content_type: str,
    status: int,
) -> None:
    response = await app_client.post(
        "/v1/intakes", content=content, headers={**bearer(await make_key()), "Content-Type": content_type}
    )
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["status"] == status
    assert await count_rows(database_url) == (0, 0, 0)


async def test_body_limit_is_counted_on_the_stream_not_trusted_from_content_length(
    app_client: httpx.AsyncClient, make_key: KeyFactory, database_url: str
) -> None:
    async def chunks():  # type: ignore[no-untyped-def]
        for _ in range(100):
            yield b" " * 1024

    # A streamed body has no Content-Length at all; the guard counts what arrives.
    response = await app_client.post(
        "/v1/intakes", content=chunks(), headers={**bearer(await make_key()), "Content-Type": "application/json"}
    )
    assert response.status_code == 413
    assert await count_rows(database_url) == (0, 0, 0)


async def test_unknown_route_and_method_are_problems(app_client: httpx.AsyncClient) -> None:
    missing = await app_client.get("/v1/nothing-here")
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"
    wrong_method = await app_client.delete("/v1/intakes")
    assert wrong_method.status_code == 405
    assert wrong_method.headers["content-type"] == "application/problem+json"
