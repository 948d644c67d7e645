"""The intake hot path's shortcuts keep their promises: the key cache honours revocation within its bound,
a connection the server dropped while idle is replaced before it is lent, and `triage api --workers N`
serves one port from N supervised processes."""

from __future__ import annotations

import asyncio
import os
import signal
import time
import uuid
from dataclasses import replace
from typing import Any

import httpx
import psutil
import psycopg
import pytest

from store.intakes import Submission, submit_intake
from store.pool import IDLE_CHECK_SECONDS, open_pool
from store.tenancy import statement_transaction
from tests.helpers import ProcessGroup, bearer, child_env, client_for, make_settings

INTAKE = {"patient_id": "P-cache", "age": 40, "symptoms": ["cough"], "urgency": "low"}


async def _post(client: httpx.AsyncClient, token: str) -> int:
    return (await client.post("/v1/intakes", json=INTAKE, headers=bearer(token))).status_code


async def test_a_revoked_key_is_refused_once_the_cache_bound_has_passed(
    database_url: str, make_key: Any, owner_conn: psycopg.Connection[Any]
) -> None:
    token = await make_key(scopes=("intake:write",))
    async for client in client_for(make_settings(database_url, key_cache_seconds=3)):
        assert await _post(client, token) == 202  # read from the database, now cached
        owner_conn.execute("UPDATE api_keys SET revoked_at = now() WHERE id = %s", (token.split("_")[2],))
        # Within the documented bound the cached key still works (no lookup) ...
        assert await _post(client, token) == 202
        await asyncio.sleep(3.1)
        # ... and once it has passed, the revocation holds.
        assert await _post(client, token) == 401


async def test_without_the_cache_a_revocation_holds_at_once(
    database_url: str, make_key: Any, owner_conn: psycopg.Connection[Any]
) -> None:
    token = await make_key(scopes=("intake:write",))
    async for client in client_for(make_settings(database_url, key_cache_seconds=0)):
        assert await _post(client, token) == 202
        owner_conn.execute("UPDATE api_keys SET revoked_at = now() WHERE id = %s", (token.split("_")[2],))
        assert await _post(client, token) == 401


async def test_a_cached_key_needs_no_lookup_but_still_its_secret_and_its_expiry(
    database_url: str, make_key: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from datetime import UTC, datetime, timedelta

    from store import api_keys

    token = await make_key(scopes=("intake:write",), expires_at=datetime.now(UTC) + timedelta(seconds=3))
    forged = token[:-4] + ("aaaa" if not token.endswith("aaaa") else "bbbb")
    async for client in client_for(make_settings(database_url, key_cache_seconds=60)):
        assert await _post(client, token) == 202

        async def no_lookup(*_args: Any, **_kwargs: Any) -> None:
            raise AssertionError("a cached key was looked up again")

        monkeypatch.setattr(api_keys, "get_key", no_lookup)
        assert await _post(client, token) == 202  # served from the cache
        assert await _post(client, forged) == 401  # the secret is still compared
        await asyncio.sleep(3.1)
        assert await _post(client, token) == 401  # and the expiry still holds, cached or not


async def _backend_pid(conn: Any) -> int:
    row = await (await conn.execute("SELECT pg_backend_pid()")).fetchone()
    assert row is not None
    return int(row[0])


async def test_a_connection_dropped_while_idle_is_replaced_before_it_is_lent(
    database_url: str, owner_conn: psycopg.Connection[Any]
) -> None:
    async with open_pool(database_url, min_size=1, max_size=1) as pool:
        async with pool.connection() as conn:
            first = await _backend_pid(conn)
        owner_conn.execute("SELECT pg_terminate_backend(%s)", (first,))
        await asyncio.sleep(IDLE_CHECK_SECONDS + 0.3)
        async with pool.connection() as conn:
            second = await _backend_pid(conn)
        assert second != first


async def test_a_connection_lent_again_at_once_is_not_tested(
    database_url: str, owner_conn: psycopg.Connection[Any]
) -> None:
    # The other side of the bargain: a connection returned less than IDLE_CHECK_SECONDS ago is lent without
    # a round trip, so a server that dropped it meanwhile shows as an error (the API answers 503, the
    # client retries) and the pool replaces it.
    async with open_pool(database_url, min_size=1, max_size=1) as pool:
        async with pool.connection() as conn:
            first = await _backend_pid(conn)
        owner_conn.execute("SELECT pg_terminate_backend(%s)", (first,))
        await asyncio.sleep(0.2)
        failed = False
        try:
            async with pool.connection() as conn:
                await conn.execute("SELECT 1")
        except psycopg.OperationalError:
            failed = True
        assert failed
        async with pool.connection() as conn:
            assert (await (await conn.execute("SELECT 1")).fetchone() or [0])[0] == 1


def _api_children(supervisor_pid: int) -> list[psutil.Process]:
    return [
        p
        for p in psutil.Process(supervisor_pid).children()
        if "--reuse-port" in p.cmdline() and p.is_running() and p.status() != psutil.STATUS_ZOMBIE
    ]


async def test_api_workers_share_one_port_and_a_dead_one_is_replaced(
    database_url: str, make_key: Any, processes: ProcessGroup
) -> None:
    token = await make_key(scopes=("intake:write",))
    base = processes.start_api(child_env(database_url), "--workers", "2")
    supervisor = processes.procs[-1][0].pid
    deadline = time.monotonic() + 20
    while len(_api_children(supervisor)) < 2:
        assert time.monotonic() < deadline, processes.logs()
        await asyncio.sleep(0.1)
    async with httpx.AsyncClient(base_url=base, timeout=10) as client:
        # Fresh connections are spread by the kernel over both processes; all of them answer.
        for _ in range(20):
            async with httpx.AsyncClient(base_url=base, timeout=10) as fresh:
                assert (await fresh.post("/v1/intakes", json=INTAKE, headers=bearer(token))).status_code == 202
        victim = _api_children(supervisor)[0]
        os.kill(victim.pid, signal.SIGKILL)
        # The survivor keeps serving while the supervisor starts a replacement.
        answered = 0
        for _ in range(10):
            try:
                async with httpx.AsyncClient(base_url=base, timeout=10) as fresh:
                    answered += (await fresh.get("/healthz")).status_code == 200
            except httpx.TransportError:
                pass
        assert answered >= 8
        deadline = time.monotonic() + 30
        while victim.pid in {p.pid for p in _api_children(supervisor)} or len(_api_children(supervisor)) < 2:
            assert time.monotonic() < deadline, processes.logs()
            await asyncio.sleep(0.2)
        assert victim.pid not in {p.pid for p in _api_children(supervisor)}
        assert (await client.post("/v1/intakes", json=INTAKE, headers=bearer(token))).status_code == 202


async def test_a_burst_of_jobs_gets_fresh_statistics_from_the_maintenance_tick(
    pool: Any, owner_conn: psycopg.Connection[Any]
) -> None:
    from tasks.maintenance import refresh_job_statistics

    owner_conn.execute("ANALYZE procrastinate_jobs")
    assert await refresh_job_statistics(pool) is False  # nothing changed: no ANALYZE
    owner_conn.execute(
        "INSERT INTO procrastinate_jobs (queue_name, task_name, args, status)"
        " SELECT 'triage', 'triage_intake', '{}'::jsonb, 'todo' FROM generate_series(1, 2000)"
    )
    # A backend that flushed its activity counters less than a second ago holds new ones until it has been idle
    # for 10 s (PostgreSQL 15+, PGSTAT_IDLE_INTERVAL); a busy worker would send them sooner. Ask for the flush
    # now, so that the test measures the maintenance tick, not that timer.
    owner_conn.execute("SELECT pg_stat_force_next_flush()")

    def planned_waiting() -> float:
        plan = owner_conn.execute(
            "EXPLAIN (FORMAT JSON) SELECT * FROM procrastinate_jobs WHERE status = 'todo'"
        ).fetchone()
        assert plan is not None
        return float(plan[0][0]["Plan"]["Plan Rows"])

    assert planned_waiting() < 100  # the planner still believes nothing waits
    deadline = time.monotonic() + 20
    while not await refresh_job_statistics(pool):  # the flushed counters are visible to the next snapshot
        assert time.monotonic() < deadline
        await asyncio.sleep(0.2)
    assert planned_waiting() > 1000


async def test_the_submission_statement_defers_the_job_procrastinate_would(
    database_url: str, make_key: Any, owner_conn: psycopg.Connection[Any]
) -> None:
    # intake_submit (migration 0011) calls Procrastinate's SQL entry point itself; if an upgrade changed what
    # Procrastinate's Python API puts in a job, the two jobs below would differ.
    from tasks.triage import TASK_NAME

    token = await make_key(tenant="clinic-a", scopes=("intake:write",))
    columns = "queue_name, task_name, priority, lock, queueing_lock, scheduled_at, status, attempts, args"
    async for client in client_for(make_settings(database_url)):
        accepted = (await client.post("/v1/intakes", json=INTAKE, headers=bearer(token))).json()
        ours = owner_conn.execute(
            f"SELECT {columns} FROM procrastinate_jobs WHERE id = %s", (accepted["job_id"],)
        ).fetchone()
        queue = client.app.state.triage.queue  # type: ignore[attr-defined]
        theirs_id = await queue.configure_task(TASK_NAME, allow_unknown=False).defer_async(
            intake_id=accepted["intake_id"], tenant_id="clinic-a"
        )
        theirs = owner_conn.execute(f"SELECT {columns} FROM procrastinate_jobs WHERE id = %s", (theirs_id,)).fetchone()
    assert ours is not None and theirs is not None
    assert ours == theirs
    assert ours[-1] == {"intake_id": accepted["intake_id"], "tenant_id": "clinic-a"}


async def test_a_submission_without_a_key_is_one_transaction_and_hands_back_a_clean_connection(
    database_url: str, make_key: Any, owner_conn: psycopg.Connection[Any]
) -> None:
    # The API sends a submission without an Idempotency-Key as one statement in autocommit mode: PostgreSQL's
    # own transaction around it must keep job, intake and audit event together, and the pooled connection
    # must come back in the state every other use expects (explicit transactions, no tenant).
    from tasks.triage import TASK_NAME, TRIAGE_QUEUE

    await make_key(tenant="clinic-a", scopes=("intake:write",))
    submission = Submission(
        intake_id=uuid.uuid4(),
        tenant_id="clinic-a",
        patient_id="P-one-statement",
        payload=INTAKE,
        created_by="key:test",
        queue=TRIAGE_QUEUE,
        task=TASK_NAME,
        audit_action="intake.create",
        audit_resource_type="intake",
        request_id=None,
    )
    refused = replace(submission, intake_id=uuid.uuid4(), audit_resource_type=None)  # type: ignore[arg-type]
    async with open_pool(make_settings(database_url).app_database_url, min_size=1, max_size=1) as single:
        with pytest.raises(psycopg.errors.NotNullViolation):  # the audit event, written last, is refused
            async with single.connection() as conn, statement_transaction(conn):
                await submit_intake(conn, refused)
        async with single.connection() as conn, statement_transaction(conn):
            await submit_intake(conn, submission)
        async with single.connection() as conn:
            assert conn.autocommit is False
            cur = await conn.execute("SELECT current_setting('app.tenant_id', true)")
            assert await cur.fetchone() in {(None,), ("",)}

    def count(query: str, intake_id: uuid.UUID) -> int:
        row = owner_conn.execute(query, (str(intake_id),)).fetchone()
        return int(row[0]) if row else -1

    jobs = "SELECT count(*) FROM procrastinate_jobs WHERE args->>'intake_id' = %s"
    intakes = "SELECT count(*) FROM intakes WHERE id::text = %s"
    audit = "SELECT count(*) FROM audit_events WHERE resource_id = %s"
    assert [count(q, refused.intake_id) for q in (jobs, intakes, audit)] == [0, 0, 0]
    assert [count(q, submission.intake_id) for q in (jobs, intakes, audit)] == [1, 1, 1]
