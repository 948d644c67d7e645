"""Operator actions on one job (tasks.ops.retry_job / cancel_job), called as the ops routes and CLI call them:
which jobs each applies to, and the intake and audit trail kept in step with the job."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import httpx
import psycopg
import pytest

from store import intakes
from store import ops as store_ops
from store.pool import Pool
from store.tenancy import tenant_transaction
from tasks import ops
from tests.conftest import KeyFactory
from tests.helpers import bearer
from tests.integration.test_stalled_jobs import take_job_as_a_worker

INTAKE = {"patient_id": "P-ops", "age": 47, "symptoms": ["dizzy"], "urgency": "medium"}


async def _accepted(app_client: httpx.AsyncClient, make_key: KeyFactory) -> tuple[str, int]:
    body = (await app_client.post("/v1/intakes", json=INTAKE, headers=bearer(await make_key()))).json()
    return str(body["intake_id"]), int(body["job_id"])


def _state(owner_conn: psycopg.Connection[Any], intake_id: str, job_id: int) -> tuple[Any, ...]:
    row = owner_conn.execute(
        "SELECT j.status::text, j.abort_requested, i.status, i.failure_reason"
        " FROM procrastinate_jobs j JOIN intakes i ON i.job_id = j.id WHERE j.id = %s AND i.id = %s",
        (job_id, intake_id),
    ).fetchone()
    assert row is not None
    return tuple(row)


def _audit(owner_conn: psycopg.Connection[Any]) -> list[tuple[Any, ...]]:
    rows = owner_conn.execute(
        "SELECT action, actor, resource_type, resource_id, job_id FROM audit_events WHERE actor = 'key:ops' ORDER BY id"
    ).fetchall()
    assert {row[2] for row in rows} <= {"intake"}  # every action on a triage job is audited against its intake
    return [(action, actor, resource_id, job_id) for action, actor, _, resource_id, job_id in rows]


async def test_retrying_a_failed_job_reopens_its_intake_and_audits_it(
    app_client: httpx.AsyncClient, make_key: KeyFactory, pool: Pool, owner_conn: psycopg.Connection[Any]
) -> None:
    intake_id, job_id = await _accepted(app_client, make_key)
    take_job_as_a_worker(owner_conn)
    owner_conn.execute("SELECT procrastinate_finish_job_v1(%s, 'failed', false)", (job_id,))
    owner_conn.execute("UPDATE intakes SET status = 'failed', failure_reason = 'KeyError' WHERE id = %s", (intake_id,))
    await ops.retry_job(pool, job_id, actor="key:ops")
    assert _state(owner_conn, intake_id, job_id) == ("todo", False, "queued", None)
    assert _audit(owner_conn) == [("intake.retry", "key:ops", intake_id, job_id)]


async def test_a_running_job_can_be_retried_but_a_waiting_one_cannot(
    app_client: httpx.AsyncClient, make_key: KeyFactory, pool: Pool, owner_conn: psycopg.Connection[Any]
) -> None:
    intake_id, job_id = await _accepted(app_client, make_key)
    with pytest.raises(ops.NotRetryable):
        await ops.retry_job(pool, job_id, actor="key:ops")
    take_job_as_a_worker(owner_conn)  # running: its worker may be gone, an operator may send it back
    await ops.retry_job(pool, job_id, actor="key:ops")
    assert _state(owner_conn, intake_id, job_id) == ("todo", False, "queued", None)
    with pytest.raises(ops.JobNotFound):
        await ops.retry_job(pool, job_id + 1000, actor="key:ops")


async def test_cancelling_fails_the_intake_and_audits_it_and_a_running_job_is_asked_to_abort(
    app_client: httpx.AsyncClient, make_key: KeyFactory, pool: Pool, owner_conn: psycopg.Connection[Any]
) -> None:
    running_intake, running_job = await _accepted(app_client, make_key)
    take_job_as_a_worker(owner_conn)
    waiting_intake, waiting_job = await _accepted(app_client, make_key)
    assert await ops.cancel_job(pool, waiting_job, actor="key:ops") is True
    assert await ops.cancel_job(pool, running_job, actor="key:ops") is True
    assert _state(owner_conn, waiting_intake, waiting_job) == ("cancelled", False, "failed", ops.CANCELLED_REASON)
    assert _state(owner_conn, running_intake, running_job) == ("doing", True, "failed", ops.CANCELLED_REASON)
    assert _audit(owner_conn) == [
        ("intake.cancel", "key:ops", waiting_intake, waiting_job),
        ("intake.cancel", "key:ops", running_intake, running_job),
    ]
    # A finished job cannot be cancelled: nothing changes and nothing is audited.
    assert await ops.cancel_job(pool, waiting_job, actor="key:ops") is False
    assert len(_audit(owner_conn)) == 2
    with pytest.raises(ops.JobNotFound):
        await ops.cancel_job(pool, waiting_job + 1000, actor="key:ops")


async def test_cancelling_a_waiting_job_only_leaves_a_running_one_alone(
    app_client: httpx.AsyncClient, make_key: KeyFactory, pool: Pool, owner_conn: psycopg.Connection[Any]
) -> None:
    # The bulk cancel's step (store.ops.cancel_waiting): a job that started meanwhile keeps running.
    intake_id, job_id = await _accepted(app_client, make_key)
    take_job_as_a_worker(owner_conn)
    async with pool.connection() as conn:
        assert await store_ops.cancel_waiting(conn, job_id) is False
    assert _state(owner_conn, intake_id, job_id) == ("doing", False, "queued", None)


async def test_only_a_failed_intake_is_reopened(
    app_client: httpx.AsyncClient, make_key: KeyFactory, pool: Pool, owner_conn: psycopg.Connection[Any]
) -> None:
    failed_id, _ = await _accepted(app_client, make_key)
    queued_id, _ = await _accepted(app_client, make_key)
    owner_conn.execute("UPDATE intakes SET status = 'failed', failure_reason = 'KeyError' WHERE id = %s", (failed_id,))
    async with pool.connection() as conn, tenant_transaction(conn, "clinic-a"):
        assert await intakes.reopen_failed(conn, UUID(failed_id)) is True
        assert await intakes.reopen_failed(conn, UUID(failed_id)) is False  # open again already
        assert await intakes.reopen_failed(conn, UUID(queued_id)) is False
    statuses = dict(owner_conn.execute("SELECT id::text, status FROM intakes").fetchall())
    assert statuses == {failed_id: "queued", queued_id: "queued"}


async def test_a_bulk_cancel_matching_one_waiting_job_cancels_it_and_audits_it(
    app_client: httpx.AsyncClient, make_key: KeyFactory, pool: Pool, owner_conn: psycopg.Connection[Any]
) -> None:
    intake_id, job_id = await _accepted(app_client, make_key)
    where = store_ops.JobFilter(tenant="clinic-a")
    result = await ops.bulk_cancel(pool, where, actor="key:ops", dry_run=False)
    assert (result.matched, result.acted, result.job_ids) == (1, 1, [job_id])
    assert _state(owner_conn, intake_id, job_id) == ("cancelled", False, "failed", ops.CANCELLED_REASON)
    assert _audit(owner_conn) == [("intake.cancel", "key:ops", intake_id, job_id)]


async def test_the_jobs_listing_filters_by_queue_and_by_task(
    app_client: httpx.AsyncClient, make_key: KeyFactory, pool: Pool, owner_conn: psycopg.Connection[Any]
) -> None:
    _, triage_job = await _accepted(app_client, make_key)
    row = owner_conn.execute(
        "INSERT INTO procrastinate_jobs (queue_name, task_name, args) VALUES ('maintenance', 'housekeeping', '{}')"
        " RETURNING id"
    ).fetchone()
    assert row is not None
    maintenance_job = row[0]
    async with pool.connection() as conn:
        assert [job.id for job in await store_ops.jobs(conn)] == [maintenance_job, triage_job]  # newest first
        assert [job.id for job in await store_ops.jobs(conn, queue="maintenance")] == [maintenance_job]
        assert [job.id for job in await store_ops.jobs(conn, task="triage_intake")] == [triage_job]
        assert await store_ops.jobs(conn, queue="triage", task="housekeeping") == []
