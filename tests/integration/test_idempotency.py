"""Idempotency-Key on intake submission (IETF httpapi Idempotency-Key draft semantics)."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import httpx
import psycopg
import pytest

from store.pool import Pool
from tasks.maintenance import purge_idempotency_keys
from tests.conftest import KeyFactory
from tests.helpers import bearer

INTAKE = {"patient_id": "P-idem", "age": 30, "symptoms": ["headache"], "urgency": "low"}


def stored(owner_conn: psycopg.Connection[Any]) -> tuple[int, int]:
    row = owner_conn.execute(
        "SELECT (SELECT count(*) FROM intakes),"
        " (SELECT count(*) FROM procrastinate_jobs WHERE task_name = 'triage_intake')"
    ).fetchone()
    assert row is not None
    return row[0], row[1]


def with_key(token: str, key: str) -> dict[str, str]:
    return {**bearer(token), "Idempotency-Key": key}


async def test_a_repeated_request_gets_the_first_response_and_nothing_new(
    app_client: httpx.AsyncClient, make_key: KeyFactory, owner_conn: psycopg.Connection[Any]
) -> None:
    headers = with_key(await make_key(), "order-7f3a")
    first = await app_client.post("/v1/intakes", json=INTAKE, headers=headers)
    # The same body with its keys in another order is the same request.
    again = await app_client.post("/v1/intakes", json=dict(reversed(INTAKE.items())), headers=headers)
    assert (first.status_code, again.status_code) == (202, 202)
    assert again.json() == first.json()
    assert "idempotent-replayed" not in first.headers
    assert again.headers["idempotent-replayed"] == "true"
    assert stored(owner_conn) == (1, 1)
    actions = owner_conn.execute("SELECT action, resource_id FROM audit_events ORDER BY id").fetchall()
    assert actions == [("intake.create", first.json()["intake_id"]), ("intake.replay", first.json()["intake_id"])]


async def test_the_quoted_structured_field_form_names_the_same_key(
    app_client: httpx.AsyncClient, make_key: KeyFactory, owner_conn: psycopg.Connection[Any]
) -> None:
    token = await make_key()
    first = await app_client.post("/v1/intakes", json=INTAKE, headers=with_key(token, "abc-1"))
    again = await app_client.post("/v1/intakes", json=INTAKE, headers=with_key(token, '"abc-1"'))
    assert again.json()["intake_id"] == first.json()["intake_id"]
    assert stored(owner_conn) == (1, 1)


async def test_the_same_key_with_another_body_is_refused_and_stores_nothing(
    app_client: httpx.AsyncClient, make_key: KeyFactory, owner_conn: psycopg.Connection[Any]
) -> None:
    headers = with_key(await make_key(), "k-1")
    await app_client.post("/v1/intakes", json=INTAKE, headers=headers)
    other = await app_client.post("/v1/intakes", json={**INTAKE, "age": 31}, headers=headers)
    assert other.status_code == 422
    assert other.headers["content-type"] == "application/problem+json"
    problem = other.json()
    assert problem["type"] == "urn:triage:problem:idempotency-key-reused"
    assert problem["errors"][0]["field"] == "Idempotency-Key"
    echoed = str({k: v for k, v in problem.items() if k != "request_id"})  # a random id may contain "31"
    assert "31" not in echoed and "headache" not in echoed
    assert stored(owner_conn) == (1, 1)


async def test_keys_belong_to_their_api_key(
    app_client: httpx.AsyncClient, make_key: KeyFactory, owner_conn: psycopg.Connection[Any]
) -> None:
    first = await app_client.post("/v1/intakes", json=INTAKE, headers=with_key(await make_key(name="a"), "shared"))
    second = await app_client.post("/v1/intakes", json=INTAKE, headers=with_key(await make_key(name="b"), "shared"))
    other_tenant = await app_client.post(
        "/v1/intakes", json=INTAKE, headers=with_key(await make_key(tenant="clinic-b"), "shared")
    )
    ids = {r.json()["intake_id"] for r in (first, second, other_tenant)}
    assert len(ids) == 3
    assert stored(owner_conn) == (3, 3)


@pytest.mark.parametrize("bad", ["", "has space", "x" * 256, '"unterminated', "tab\there"])
async def test_a_malformed_key_is_a_422_naming_the_header(
    app_client: httpx.AsyncClient, make_key: KeyFactory, owner_conn: psycopg.Connection[Any], bad: str
) -> None:
    response = await app_client.post(
        "/v1/intakes", json=INTAKE, headers={**bearer(await make_key()), "Idempotency-Key": bad}
    )
    assert response.status_code == 422, response.text
    assert [e["field"] for e in response.json()["errors"]] == ["Idempotency-Key"]
    assert stored(owner_conn) == (0, 0)


async def test_a_retry_while_the_first_is_in_flight_gets_409(
    app_client: httpx.AsyncClient, make_key: KeyFactory, owner_conn: psycopg.Connection[Any]
) -> None:
    token = await make_key()
    key_id = token.split("_")[2]
    # Hold the key's lock as the first request's transaction would while it is still running.
    with psycopg.connect(owner_conn.info.dsn) as holder:
        holder.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", (f"clinic-a/key:{key_id}/k-busy",))
        busy = await app_client.post("/v1/intakes", json=INTAKE, headers=with_key(token, "k-busy"))
        holder.rollback()
    assert busy.status_code == 409
    assert busy.headers["retry-after"] == "1"
    assert busy.json()["type"] == "urn:triage:problem:idempotency-key-in-flight"
    assert stored(owner_conn) == (0, 0)
    after = await app_client.post("/v1/intakes", json=INTAKE, headers=with_key(token, "k-busy"))
    assert after.status_code == 202


async def test_twenty_concurrent_duplicates_store_one_intake_and_one_job(
    app_client: httpx.AsyncClient, make_key: KeyFactory, owner_conn: psycopg.Connection[Any]
) -> None:
    headers = with_key(await make_key(), str(uuid.uuid4()))
    responses = await asyncio.gather(*(app_client.post("/v1/intakes", json=INTAKE, headers=headers) for _ in range(20)))
    assert {r.status_code for r in responses} <= {202, 409}
    accepted = {r.json()["intake_id"] for r in responses if r.status_code == 202}
    assert len(accepted) == 1
    assert stored(owner_conn) == (1, 1)
    # Every 409 turns into the same answer once retried.
    retried = await app_client.post("/v1/intakes", json=INTAKE, headers=headers)
    assert retried.json()["intake_id"] in accepted


async def test_the_compatibility_route_replays_too(
    app_client: httpx.AsyncClient, make_key: KeyFactory, owner_conn: psycopg.Connection[Any]
) -> None:
    headers = with_key(await make_key(), "compat-1")
    first = await app_client.post("/intake/store", json=INTAKE, headers=headers)
    again = await app_client.post("/intake/store", json=INTAKE, headers=headers)
    assert first.status_code == again.status_code == 200
    assert again.json() == first.json()
    assert stored(owner_conn) == (1, 1)
    # The key fingerprints the route as well: the v1 route with the same key is another request.
    v1 = await app_client.post("/v1/intakes", json=INTAKE, headers=headers)
    assert v1.status_code == 422


async def test_an_expired_key_is_forgotten_and_purged(
    app_client: httpx.AsyncClient, make_key: KeyFactory, owner_conn: psycopg.Connection[Any], pool: Pool
) -> None:
    token = await make_key()
    first = await app_client.post("/v1/intakes", json=INTAKE, headers=with_key(token, "old"))
    live = await app_client.post("/v1/intakes", json=INTAKE, headers=with_key(token, "live"))
    owner_conn.execute(
        "UPDATE intakes SET idempotency_expires_at = now() - interval '1 second' WHERE id = %s",
        (first.json()["intake_id"],),
    )
    # Past its window the key names nothing: the same request is a new intake.
    again = await app_client.post("/v1/intakes", json=INTAKE, headers=with_key(token, "old"))
    assert again.status_code == 202
    assert again.json()["intake_id"] != first.json()["intake_id"]

    owner_conn.execute("UPDATE intakes SET idempotency_expires_at = now() - interval '1 second'")
    assert await purge_idempotency_keys(pool) == 2
    keys = owner_conn.execute("SELECT count(*) FROM intakes WHERE idempotency_key IS NOT NULL").fetchone()
    assert keys == (0,)
    assert live.status_code == 202
