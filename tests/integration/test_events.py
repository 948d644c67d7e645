"""`GET /v1/events`: Server-Sent Events of the tenant's finished intakes, from a durable log, resumable."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import psycopg
import pytest

from store.pool import open_pool
from tasks.maintenance import purge_intake_events
from tests.conftest import KeyFactory
from tests.helpers import ProcessGroup, bearer, child_env

pytestmark = pytest.mark.integration


def _intake(n: int) -> dict[str, Any]:
    return {"patient_id": f"P-events-{n}", "age": 30 + n, "symptoms": ["cough"], "urgency": "low"}


async def _events(response: httpx.Response) -> AsyncIterator[dict[str, str]]:
    """The stream's events, as their fields (`id`, `event`, `data`); comments skipped."""
    fields: dict[str, str] = {}
    async for line in response.aiter_lines():
        if not line:
            if "data" in fields:
                yield fields
            fields = {}
        elif not line.startswith(":"):
            name, _, value = line.partition(": ")
            fields[name] = value


async def _take(response: httpx.Response, count: int, seconds: float = 30) -> list[dict[str, str]]:
    taken: list[dict[str, str]] = []

    async def read() -> None:
        async for event in _events(response):
            taken.append(event)
            if len(taken) == count:
                return

    await asyncio.wait_for(read(), seconds)
    return taken


@pytest.fixture
def api(database_url: str, processes: ProcessGroup) -> str:
    return processes.start_api(child_env(database_url, TRIAGE_EVENT_STREAMS_PER_TENANT="2"))


async def _submit(client: httpx.AsyncClient, headers: dict[str, str], n: int) -> str:
    accepted = await client.post("/v1/intakes", json=_intake(n), headers=headers)
    assert accepted.status_code == 202, accepted.text
    return str(accepted.json()["intake_id"])


async def test_a_stream_carries_the_tenants_finished_intakes_in_order_and_no_patient_data(
    api: str, make_key: KeyFactory, database_url: str, processes: ProcessGroup, owner_conn: psycopg.Connection[Any]
) -> None:
    mine, theirs = bearer(await make_key(tenant="clinic-a")), bearer(await make_key(tenant="clinic-b"))
    processes.start(["worker", "--concurrency", "2"], child_env(database_url), "worker")
    async with (
        httpx.AsyncClient(base_url=api, timeout=30) as client,
        client.stream("GET", "/v1/events", headers=mine) as stream,
    ):
        assert stream.status_code == 200
        assert stream.headers["content-type"].startswith("text/event-stream")
        await _submit(client, theirs, 99)  # another tenant's: never on this stream
        submitted = {await _submit(client, mine, n) for n in range(3)}
        received = await _take(stream, 3)
    ids = [int(event["id"]) for event in received]
    assert ids == sorted(ids) and len(set(ids)) == 3
    assert {event["event"] for event in received} == {"intake.triaged"}, processes.logs()
    data = [json.loads(event["data"]) for event in received]
    assert {d["intake_id"] for d in data} == submitted
    assert all(d["links"]["intake"] == f"/v1/intakes/{d['intake_id']}" for d in data)
    assert not any("P-events" in event["data"] for event in received)  # ids and status only
    # One audit event for the connection, however many events it carried.
    streams = owner_conn.execute("SELECT count(*) FROM audit_events WHERE action = 'events.stream'").fetchone()
    assert streams == (1,)


async def test_a_client_that_reconnects_with_last_event_id_gets_what_it_missed_once(
    api: str, make_key: KeyFactory, owner_conn: psycopg.Connection[Any]
) -> None:
    headers = bearer(await make_key())
    async with httpx.AsyncClient(base_url=api, timeout=30) as client:
        first = await _submit(client, headers, 1)
        async with client.stream("GET", "/v1/events", headers=headers) as stream:
            owner_conn.execute("UPDATE intakes SET status = 'triaged' WHERE id = %s", (first,))
            (seen,) = await _take(stream, 1)
        # Disconnected: these finish while nobody listens.
        missed = [await _submit(client, headers, n) for n in (2, 3)]
        for intake_id in missed:
            owner_conn.execute(
                "UPDATE intakes SET status = 'failed', failure_reason = 'engine' WHERE id = %s", (intake_id,)
            )
        async with client.stream("GET", "/v1/events", headers={**headers, "Last-Event-ID": seen["id"]}) as stream:
            resumed = await _take(stream, 2)
    assert json.loads(seen["data"])["intake_id"] == first
    assert [json.loads(event["data"])["intake_id"] for event in resumed] == missed
    assert [event["event"] for event in resumed] == ["intake.failed", "intake.failed"]
    assert int(resumed[0]["id"]) > int(seen["id"])


async def test_streams_are_bounded_per_tenant(api: str, make_key: KeyFactory) -> None:
    headers, other = bearer(await make_key(tenant="clinic-a")), bearer(await make_key(tenant="clinic-b"))
    async with httpx.AsyncClient(base_url=api, timeout=30) as client:
        async with (
            client.stream("GET", "/v1/events", headers=headers) as one,
            client.stream("GET", "/v1/events", headers=headers) as two,
        ):
            assert (one.status_code, two.status_code) == (200, 200)
            refused = await client.get("/v1/events", headers=headers)
            assert refused.status_code == 429  # TRIAGE_EVENT_STREAMS_PER_TENANT=2
            assert refused.headers["content-type"].startswith("application/problem+json")
            assert "Retry-After" in refused.headers
            async with client.stream("GET", "/v1/events", headers=other) as theirs:
                assert theirs.status_code == 200  # the bound is per tenant
        # Closed streams are counted out (once the server has seen the disconnects).
        for _ in range(50):
            async with client.stream("GET", "/v1/events", headers=headers) as again:
                if again.status_code == 200:
                    break
            await asyncio.sleep(0.1)
        assert again.status_code == 200


@pytest.mark.parametrize("value", ["-1", "soon"])
async def test_a_malformed_last_event_id_is_a_422_naming_it(api: str, make_key: KeyFactory, value: str) -> None:
    async with httpx.AsyncClient(base_url=api, timeout=30) as client:
        refused = await client.get("/v1/events", headers={**bearer(await make_key()), "Last-Event-ID": value})
    assert refused.status_code == 422
    assert [error["field"] for error in refused.json()["errors"]] == ["Last-Event-ID"]


async def test_a_key_without_the_read_scope_cannot_stream(api: str, make_key: KeyFactory) -> None:
    async with httpx.AsyncClient(base_url=api, timeout=30) as client:
        refused = await client.get("/v1/events", headers=bearer(await make_key(scopes=("intake:write",))))
    assert refused.status_code == 403


def test_a_tenants_event_ids_are_handed_out_in_commit_order(
    database_url: str, owner_conn: psycopg.Connection[Any]
) -> None:
    tenant = "clinic-a"
    owner_conn.execute("INSERT INTO tenants (id) VALUES (%s) ON CONFLICT DO NOTHING", (tenant,))
    intake_ids = [
        owner_conn.execute(
            "INSERT INTO intakes (id, tenant_id, patient_id, payload, created_by) "
            "VALUES (gen_random_uuid(), %s, 'P1', '{}', 'test') RETURNING id",
            (tenant,),
        ).fetchone()[0]  # type: ignore[index]
        for _ in range(2)
    ]
    with psycopg.connect(database_url) as first, psycopg.connect(database_url) as second:
        first.execute("UPDATE intakes SET status = 'triaged' WHERE id = %s", (intake_ids[0],))
        # The second finishing transaction of the same tenant waits for the first to commit...
        second.execute("SET lock_timeout = '300ms'")
        with pytest.raises(psycopg.errors.LockNotAvailable):
            second.execute("UPDATE intakes SET status = 'triaged' WHERE id = %s", (intake_ids[1],))
        second.rollback()
        first.commit()
        second.execute("UPDATE intakes SET status = 'triaged' WHERE id = %s", (intake_ids[1],))
        second.commit()
    rows = owner_conn.execute("SELECT intake_id FROM intake_events ORDER BY id").fetchall()
    assert [row[0] for row in rows] == intake_ids  # ...so its event comes after, in id as in commit


async def test_housekeeping_forgets_events_past_the_retention(
    database_url: str, settings: Any, owner_conn: psycopg.Connection[Any]
) -> None:
    owner_conn.execute("INSERT INTO tenants (id) VALUES ('clinic-a') ON CONFLICT DO NOTHING")
    for age in ("2 hours", "10 minutes"):
        owner_conn.execute(
            "INSERT INTO intake_events (tenant_id, intake_id, kind, created_at)"
            " VALUES ('clinic-a', gen_random_uuid(), 'intake.triaged', now() - %s::interval)",
            (age,),
        )
    async with open_pool(settings.app_database_url, min_size=1, max_size=2) as pool:
        assert await purge_intake_events(pool, retention_hours=1) == 1
    assert owner_conn.execute("SELECT count(*) FROM intake_events").fetchone() == (1,)
