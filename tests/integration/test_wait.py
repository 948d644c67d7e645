"""`GET /v1/intakes/{id}?wait=N`: answered when the outcome is written (LISTEN/NOTIFY), not by polling."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from typing import Any

import httpx
import psycopg
import pytest

import store.intakes
from api.intakes.listener import CHANNEL
from runtime.settings import Settings
from tests.conftest import KeyFactory
from tests.helpers import ProcessGroup, bearer, child_env, client_for, make_settings

pytestmark = pytest.mark.integration

INTAKE = {"patient_id": "P-wait", "age": 40, "symptoms": ["cough"], "urgency": "low"}


@pytest.fixture
def status_reads(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """When each status read happened: spied on (the real read still runs), to show that waiting is not polling."""
    reads: list[float] = []
    real = store.intakes.get_status

    async def counted(*args: Any, **kwargs: Any) -> str | None:
        reads.append(time.monotonic())
        return await real(*args, **kwargs)

    monkeypatch.setattr(store.intakes, "get_status", counted)
    return reads


async def _submit(client: httpx.AsyncClient, headers: dict[str, str]) -> str:
    accepted = await client.post("/v1/intakes", json=INTAKE, headers=headers)
    assert accepted.status_code == 202, accepted.text
    return str(accepted.json()["intake_id"])


async def _listening(client: httpx.AsyncClient) -> None:
    listener = client.app.state.triage.listener  # type: ignore[attr-defined]
    await asyncio.wait_for(listener.listening.wait(), 10)


async def test_a_waiting_read_returns_when_the_worker_commits_the_outcome(
    app_client: httpx.AsyncClient,
    make_key: KeyFactory,
    database_url: str,
    processes: ProcessGroup,
    status_reads: list[float],
) -> None:
    headers = bearer(await make_key())
    intake_id = await _submit(app_client, headers)
    await _listening(app_client)
    started = time.monotonic()
    waiting = asyncio.create_task(app_client.get(f"/v1/intakes/{intake_id}", params={"wait": 25}, headers=headers))
    await asyncio.sleep(1.0)
    assert not waiting.done()  # nothing triages it yet: the request waits
    processes.start(["worker", "--concurrency", "1"], child_env(database_url), "worker")
    answered = await asyncio.wait_for(waiting, 30)
    elapsed = time.monotonic() - started
    assert answered.status_code == 200, answered.text
    assert answered.json()["status"] == "triaged", processes.logs()
    assert answered.json()["outcome"]["acuity"]
    assert "Wait-Timed-Out" not in answered.headers
    assert elapsed < 20
    # One read before waiting, one after the notification (a reconnect could add one): not a poll loop.
    assert len(status_reads) <= 3, status_reads


async def test_a_wait_that_runs_out_returns_the_current_state_and_says_so(
    app_client: httpx.AsyncClient, make_key: KeyFactory, status_reads: list[float]
) -> None:
    headers = bearer(await make_key())
    intake_id = await _submit(app_client, headers)
    await _listening(app_client)
    started = time.monotonic()
    answered = await app_client.get(f"/v1/intakes/{intake_id}", params={"wait": 1.5}, headers=headers)
    assert time.monotonic() - started >= 1.5
    assert answered.status_code == 200
    assert answered.json()["status"] == "queued"
    assert answered.headers["Wait-Timed-Out"] == "true"
    assert len(status_reads) == 1  # read once, then slept


async def test_a_finished_intake_is_answered_at_once_and_audited_once(
    app_client: httpx.AsyncClient, make_key: KeyFactory, owner_conn: psycopg.Connection[Any]
) -> None:
    headers = bearer(await make_key())
    intake_id = await _submit(app_client, headers)
    owner_conn.execute("UPDATE intakes SET status = 'failed', failure_reason = 'engine' WHERE id = %s", (intake_id,))
    started = time.monotonic()
    answered = await app_client.get(f"/v1/intakes/{intake_id}", params={"wait": 20}, headers=headers)
    assert time.monotonic() - started < 5
    assert answered.json()["status"] == "failed"
    reads = owner_conn.execute(
        "SELECT count(*) FROM audit_events WHERE action = 'intake.read' AND resource_id = %s", (intake_id,)
    ).fetchone()
    assert reads == (1,)


async def test_another_tenants_intake_is_not_found_without_waiting(
    app_client: httpx.AsyncClient, make_key: KeyFactory
) -> None:
    intake_id = await _submit(app_client, bearer(await make_key(tenant="clinic-a")))
    started = time.monotonic()
    answered = await app_client.get(
        f"/v1/intakes/{intake_id}", params={"wait": 20}, headers=bearer(await make_key(tenant="clinic-b"))
    )
    assert answered.status_code == 404
    assert time.monotonic() - started < 5


@pytest.mark.parametrize("wait", ["31", "-1", "soon", "nan"])
async def test_a_wait_out_of_range_is_a_422_naming_it(
    app_client: httpx.AsyncClient, make_key: KeyFactory, wait: str
) -> None:
    headers = bearer(await make_key())
    intake_id = await _submit(app_client, headers)
    answered = await app_client.get(f"/v1/intakes/{intake_id}", params={"wait": wait}, headers=headers)
    assert answered.status_code == 422
    assert answered.headers["content-type"].startswith("application/problem+json")
    assert [error["field"] for error in answered.json()["errors"]] == ["wait"]


@pytest.fixture
async def short_deadline_client(database_url: str) -> AsyncIterator[tuple[httpx.AsyncClient, Settings]]:
    settings = make_settings(database_url, request_timeout_seconds=1.0)
    async for client in client_for(settings):
        yield client, settings


async def test_the_request_deadline_grants_the_wait_on_top(
    short_deadline_client: tuple[httpx.AsyncClient, Settings], make_key: KeyFactory
) -> None:
    client, _ = short_deadline_client
    headers = bearer(await make_key())
    intake_id = await _submit(client, headers)
    answered = await client.get(f"/v1/intakes/{intake_id}", params={"wait": 2.5}, headers=headers)
    assert answered.status_code == 200, answered.text  # not the deadline's 503 after 1 s
    assert answered.headers["Wait-Timed-Out"] == "true"


async def test_waiters_are_woken_to_check_again_when_the_listener_reconnects(
    app_client: httpx.AsyncClient, make_key: KeyFactory, owner_conn: psycopg.Connection[Any]
) -> None:
    headers = bearer(await make_key())
    intake_id = await _submit(app_client, headers)
    await _listening(app_client)
    waiting = asyncio.create_task(app_client.get(f"/v1/intakes/{intake_id}", params={"wait": 25}, headers=headers))
    await asyncio.sleep(0.5)
    listener_pid = owner_conn.execute(
        "SELECT pid FROM pg_stat_activity WHERE query = %s", (f"LISTEN {CHANNEL}",)
    ).fetchone()
    assert listener_pid is not None
    # The intake finishes while nobody listens: its notification is lost...
    owner_conn.execute("SELECT pg_terminate_backend(%s)", listener_pid)
    owner_conn.execute("UPDATE intakes SET status = 'failed', failure_reason = 'engine' WHERE id = %s", (intake_id,))
    # ...yet the reconnected listener makes the waiter look again.
    answered = await asyncio.wait_for(waiting, 15)
    assert answered.json()["status"] == "failed"
    assert "Wait-Timed-Out" not in answered.headers


async def test_a_submission_that_waits_gets_its_outcome_in_the_same_call(
    app_client: httpx.AsyncClient,
    make_key: KeyFactory,
    database_url: str,
    processes: ProcessGroup,
    owner_conn: psycopg.Connection[Any],
) -> None:
    headers = bearer(await make_key())
    processes.start(["worker", "--concurrency", "1"], child_env(database_url), "worker")
    await _listening(app_client)
    answered = await app_client.post("/v1/intakes", params={"wait": 25}, json=INTAKE, headers=headers)
    assert answered.status_code == 200, answered.text
    body = answered.json()
    assert body["status"] == "triaged", processes.logs()
    assert body["outcome"]["acuity"]
    # Audited as what the caller did: one creation, one read of the outcome (the worker's own are apart).
    # Both belong to this request and name the intake as their resource.
    events = owner_conn.execute(
        "SELECT action, resource_type, request_id FROM audit_events"
        " WHERE resource_id = %s AND actor LIKE 'key:%%' ORDER BY id",
        (body["intake_id"],),
    ).fetchall()
    request_id = answered.headers["x-request-id"]
    assert [event for event in events if event[0].startswith("intake.")] == [
        ("intake.create", "intake", request_id),
        ("intake.read", "intake", request_id),
    ]


async def test_a_submission_whose_wait_runs_out_is_the_usual_202(
    app_client: httpx.AsyncClient, make_key: KeyFactory
) -> None:
    answered = await app_client.post("/v1/intakes", params={"wait": 1}, json=INTAKE, headers=bearer(await make_key()))
    assert answered.status_code == 202
    assert answered.json()["status"] == "queued"
    assert answered.headers["Wait-Timed-Out"] == "true"


async def test_waiting_on_submission_needs_the_read_scope_and_stores_nothing_without_it(
    app_client: httpx.AsyncClient, make_key: KeyFactory, owner_conn: psycopg.Connection[Any]
) -> None:
    headers = bearer(await make_key(scopes=("intake:write",)))
    refused = await app_client.post("/v1/intakes", params={"wait": 5}, json=INTAKE, headers=headers)
    assert refused.status_code == 403
    assert "intake:read" in refused.json()["detail"]
    assert owner_conn.execute("SELECT count(*) FROM intakes").fetchone() == (0,)
    assert owner_conn.execute("SELECT count(*) FROM procrastinate_jobs").fetchone() == (0,)
