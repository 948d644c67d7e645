"""Operators' queue actions against real workers: pause and resume, bulk retry and cancel, time filters."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import psycopg
import pytest

from tests.conftest import KeyFactory
from tests.helpers import ProcessGroup, bearer, child_env, client_for, make_settings
from tests.integration.test_end_to_end import wait_for_status
from tests.integration.test_ops_cli import ops

INTAKE = {"patient_id": "P-opsact", "age": 40, "symptoms": ["cough"], "urgency": "low"}


@pytest.fixture
async def client(database_url: str) -> AsyncIterator[httpx.AsyncClient]:
    async for ops_client in client_for(make_settings(database_url, platform_tenant="platform")):
        yield ops_client


def job_statuses(owner_conn: psycopg.Connection[Any], queue: str = "triage") -> list[str]:
    rows = owner_conn.execute("SELECT status::text FROM procrastinate_jobs WHERE queue_name = %s", (queue,))
    return sorted(row[0] for row in rows.fetchall())


async def maintenance_runs_after(owner_conn: psycopg.Connection[Any], after_id: int, timeout: float = 40.0) -> int:
    """Wait until a worker has fetched and finished a maintenance job deferred after `after_id`: proof that
    the worker is fetching (from its unpaused queues). Returns that job's id."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        row = owner_conn.execute(
            "SELECT max(id) FROM procrastinate_jobs WHERE queue_name = 'maintenance' AND status = 'succeeded'"
            " AND id > %s",
            (after_id,),
        ).fetchone()
        if row and row[0]:
            return int(row[0])
        await asyncio.sleep(0.2)
    raise AssertionError("no maintenance job ran: the worker is not fetching")


async def test_a_paused_queue_is_skipped_across_worker_restarts_and_runs_when_resumed(
    client: httpx.AsyncClient,
    make_key: KeyFactory,
    database_url: str,
    owner_conn: psycopg.Connection[Any],
    processes: ProcessGroup,
) -> None:
    writer = bearer(await make_key())
    platform = bearer(await make_key(tenant="platform", scopes=("ops:read", "ops:write")))
    tenant_ops = bearer(await make_key(scopes=("ops:read", "ops:write")))
    reader = bearer(await make_key(tenant="platform", scopes=("ops:read",)))

    # Queues are shared: a tenant's ops key cannot pause one, nor can a read-only platform key.
    refused = await client.post("/v1/ops/queues/triage/pause", headers=tenant_ops)
    assert (refused.status_code, refused.json()["type"]) == (403, "urn:triage:problem:platform-operator-only")
    assert (await client.post("/v1/ops/queues/triage/pause", headers=reader)).status_code == 403
    assert (await client.post("/v1/ops/queues/bad%20name/pause", headers=platform)).status_code == 422

    paused = await client.post("/v1/ops/queues/triage/pause", headers=platform)
    assert paused.json() == {"queue_name": "triage", "result": "paused"}
    again = await client.post("/v1/ops/queues/triage/pause", headers=platform)
    assert again.json()["result"] == "already_paused"
    ids = [(await client.post("/v1/intakes", json=INTAKE, headers=writer)).json()["intake_id"] for _ in range(2)]

    env = child_env(database_url, TRIAGE_PLATFORM_TENANT="platform")
    seen = 0
    for life in range(2):  # the pause holds in a worker started after it, and after that worker restarts
        worker = processes.start(["worker", "--concurrency", "2"], env, f"worker-{life}")
        seen = await maintenance_runs_after(owner_conn, seen)
        assert job_statuses(owner_conn) == ["todo", "todo"], f"life {life}: a paused queue's job was fetched"
        worker.terminate()
        worker.wait(timeout=30)

    state = (await client.get("/v1/ops/queues", headers=platform)).json()
    triage = next(q for q in state["queues"] if q["queue_name"] == "triage")
    assert (triage["paused"], triage["todo"]) == (True, 2)
    assert [(p["queue_name"], p["paused_by"].startswith("key:")) for p in state["paused"]] == [("triage", True)]
    assert ops(database_url, "queues", "--json")["paused"][0]["queue_name"] == "triage"

    processes.start(["worker", "--concurrency", "2"], env, "worker-resumed")
    await maintenance_runs_after(owner_conn, seen)
    resumed = await client.post("/v1/ops/queues/triage/resume", headers=platform)
    assert resumed.json() == {"queue_name": "triage", "result": "resumed"}
    assert (await client.post("/v1/ops/queues/triage/resume", headers=platform)).json()["result"] == "not_paused"
    for intake_id in ids:
        assert (await wait_for_status(client, intake_id, writer, {"triaged"}))["status"] == "triaged"

    audited = owner_conn.execute(
        "SELECT tenant_id, action, outcome FROM audit_events WHERE action LIKE '%%queue.%%' ORDER BY id"
    ).fetchall()
    assert ("platform", "queue.pause", "success") in audited and ("platform", "queue.resume", "success") in audited
    assert ("clinic-a", "ops.queue.pause", "denied") in audited


async def test_bulk_retry_counts_first_then_retries_a_bounded_batch_of_the_tenants_failed_jobs(
    client: httpx.AsyncClient,
    make_key: KeyFactory,
    database_url: str,
    owner_conn: psycopg.Connection[Any],
    processes: ProcessGroup,
) -> None:
    started = datetime.now(UTC)
    submitted: dict[str, list[str]] = {"clinic-a": [], "clinic-b": []}
    writers = {tenant: bearer(await make_key(tenant=tenant)) for tenant in submitted}
    for tenant, count in (("clinic-a", 3), ("clinic-b", 1)):
        for _ in range(count):
            accepted = await client.post("/v1/intakes", json=INTAKE, headers=writers[tenant])
            submitted[tenant].append(accepted.json()["intake_id"])
    # Every triage fails for real (a worker with one attempt, on intakes it cannot read).
    owner_conn.execute("UPDATE intakes SET payload = payload - 'urgency'")
    env = child_env(database_url, TRIAGE_JOB_MAX_ATTEMPTS="1", TRIAGE_PLATFORM_TENANT="platform")
    processes.start(["worker", "--concurrency", "2"], env, "worker")
    for tenant, intake_ids in submitted.items():
        for intake_id in intake_ids:
            assert (await wait_for_status(client, intake_id, writers[tenant], {"failed"}))["status"] == "failed"

    clinic_a = bearer(await make_key(scopes=("ops:read", "ops:write")))
    platform = bearer(await make_key(tenant="platform", scopes=("ops:read", "ops:write")))
    failed_job = (await client.get("/v1/ops/jobs", params={"status": "failed"}, headers=clinic_a)).json()["items"][0]
    detail = (await client.get(f"/v1/ops/jobs/{failed_job['id']}", headers=clinic_a)).json()
    assert detail["failure"]["reason"].startswith("KeyError") and detail["failure"]["failed_at"]
    assert "P-opsact" not in str(detail) and "cough" not in str(detail)
    # Retried jobs must stay visible as `todo` here: the platform pauses triage first.
    assert (await client.post("/v1/ops/queues/triage/pause", headers=platform)).status_code == 200

    dry = (await client.post("/v1/ops/jobs/bulk-retry", json={"queue": "triage"}, headers=clinic_a)).json()
    assert dry == {"dry_run": True, "matched": 3, "acted": 0, "remaining": 3, "job_ids": []}
    future = {"since": (datetime.now(UTC) + timedelta(minutes=1)).isoformat(), "dry_run": True}
    assert (await client.post("/v1/ops/jobs/bulk-retry", json=future, headers=clinic_a)).json()["matched"] == 0
    past = {"until": (started - timedelta(minutes=1)).isoformat(), "dry_run": True}
    assert (await client.post("/v1/ops/jobs/bulk-retry", json=past, headers=clinic_a)).json()["matched"] == 0
    bad = await client.post("/v1/ops/jobs/bulk-retry", json={"status": "doing"}, headers=clinic_a)
    assert bad.status_code == 422 and "status" in bad.text

    batch = await client.post("/v1/ops/jobs/bulk-retry", json={"dry_run": False, "limit": 2}, headers=clinic_a)
    assert (batch.json()["matched"], batch.json()["acted"], batch.json()["remaining"]) == (3, 2, 1)
    assert job_statuses(owner_conn) == ["failed", "failed", "todo", "todo"]
    reads = [(await client.get(f"/v1/intakes/{i}", headers=writers["clinic-a"])).json() for i in submitted["clinic-a"]]
    assert sorted(r["status"] for r in reads) == ["failed", "queued", "queued"]
    # The platform sees what is left across tenants: one of clinic-a's, clinic-b's one.
    left = (await client.post("/v1/ops/jobs/bulk-retry", json={}, headers=platform)).json()
    assert left["matched"] == 2

    owner_conn.execute('UPDATE intakes SET payload = payload || \'{"urgency": "low"}\'')
    await client.post("/v1/ops/jobs/bulk-retry", json={"dry_run": False}, headers=platform)
    assert (await client.post("/v1/ops/queues/triage/resume", headers=platform)).status_code == 200
    for tenant, intake_ids in submitted.items():
        for intake_id in intake_ids:
            assert (await wait_for_status(client, intake_id, writers[tenant], {"triaged"}))["status"] == "triaged"
    retried = owner_conn.execute("SELECT count(*) FROM audit_events WHERE action = 'intake.retry'").fetchone()
    assert retried == (4,)


async def test_bulk_cancel_cancels_waiting_jobs_only_and_fails_their_intakes(
    client: httpx.AsyncClient, make_key: KeyFactory, owner_conn: psycopg.Connection[Any]
) -> None:
    writer = bearer(await make_key())
    ids = [(await client.post("/v1/intakes", json=INTAKE, headers=writer)).json()["intake_id"] for _ in range(3)]
    # One job is running (taken by a worker): a bulk cancel of waiting jobs leaves it alone.
    worker = owner_conn.execute("SELECT worker_id FROM procrastinate_register_worker_v1()").fetchone()
    assert worker is not None
    owner_conn.execute("SELECT id FROM procrastinate_fetch_job_v2(ARRAY['triage']::varchar[], %s)", (worker[0],))
    ops_key = bearer(await make_key(scopes=("ops:read", "ops:write")))
    other = bearer(await make_key(tenant="clinic-b", scopes=("ops:write",)))

    assert (await client.post("/v1/ops/jobs/bulk-cancel", json={"dry_run": False}, headers=other)).json()["acted"] == 0
    cancelled = (await client.post("/v1/ops/jobs/bulk-cancel", json={"dry_run": False}, headers=ops_key)).json()
    assert (cancelled["matched"], cancelled["acted"]) == (2, 2)
    assert job_statuses(owner_conn) == ["cancelled", "cancelled", "doing"]
    reads = [(await client.get(f"/v1/intakes/{i}", headers=writer)).json() for i in ids]
    assert sorted(r["status"] for r in reads) == ["failed", "failed", "processing"]
    assert {r["failure_reason"] for r in reads if r["status"] == "failed"} == {"Cancelled by an operator"}


async def test_jobs_listing_filters_by_deferral_time(
    client: httpx.AsyncClient, make_key: KeyFactory, owner_conn: psycopg.Connection[Any]
) -> None:
    writer = bearer(await make_key())
    ops_key = bearer(await make_key(scopes=("ops:read",)))
    first = (await client.post("/v1/intakes", json=INTAKE, headers=writer)).json()["job_id"]
    boundary = owner_conn.execute("SELECT clock_timestamp()").fetchone()
    assert boundary is not None
    second = (await client.post("/v1/intakes", json=INTAKE, headers=writer)).json()["job_id"]
    since = {"since": boundary[0].isoformat()}
    until = {"until": boundary[0].isoformat()}

    listed = await client.get("/v1/ops/jobs", params=since, headers=ops_key)
    assert [job["id"] for job in listed.json()["items"]] == [second]
    assert [job["id"] for job in (await client.get("/v1/ops/jobs", params=until, headers=ops_key)).json()["items"]] == [
        first
    ]
    naive = await client.get("/v1/ops/jobs", params={"since": "2026-01-01T00:00:00"}, headers=ops_key)
    assert naive.status_code == 422 and "since" in naive.text


async def test_the_cli_pauses_resumes_and_bulk_cancels_with_a_dry_run_first(
    app_client: httpx.AsyncClient, make_key: KeyFactory, database_url: str, owner_conn: psycopg.Connection[Any]
) -> None:
    writer = bearer(await make_key())
    for _ in range(2):
        await app_client.post("/v1/intakes", json=INTAKE, headers=writer)

    assert ops(database_url, "pause", "triage", "--json") == {"queue_name": "triage", "result": "paused"}
    assert ops(database_url, "pause", "triage").stdout.strip() == "queue triage already_paused"
    assert "queue name" in ops(database_url, "pause", "no spaces", code=2).stderr
    dry = ops(database_url, "cancel", "--all", "--queue", "triage", "--dry-run", "--json")
    assert (dry["dry_run"], dry["matched"], dry["acted"]) == (True, 2, 0)
    assert job_statuses(owner_conn) == ["todo", "todo"]
    assert "either a job id or --all" in ops(database_url, "cancel", "1", "--all", code=2).stderr
    assert (
        ops(database_url, "cancel", "--all", "--tenant", "clinic-b").stdout.strip() == "0 of 0 matching jobs cancelled"
    )
    assert ops(database_url, "cancel", "--all").stdout.strip() == "2 of 2 matching jobs cancelled"
    assert job_statuses(owner_conn) == ["cancelled", "cancelled"]
    assert ops(database_url, "resume", "triage", "--json")["result"] == "resumed"
    assert ops(database_url, "queues", "--json")["paused"] == []

    audited = owner_conn.execute(
        "SELECT tenant_id, actor, action, resource_id FROM audit_events WHERE actor = 'cli:ops' ORDER BY id"
    ).fetchall()
    assert [row[2] for row in audited] == ["queue.pause", "intake.cancel", "intake.cancel", "queue.resume"]
    assert audited[0] == (None, "cli:ops", "queue.pause", "triage")
