"""Persist-first delivery: the outbox (intake + job commit together) and idempotent write-back."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from typing import Any
from uuid import UUID

import httpx
import psycopg
import pytest

from api.intakes import service
from store.pool import Pool
from tasks.triage import run_triage
from tests.conftest import KeyFactory
from tests.helpers import bearer

INTAKE = {
    "patient_id": "P-outbox",
    "age": 30,
    "symptoms": ["headache"],
    "urgency": "low",
    "vitals": {"heart_rate": 88, "respiratory_rate": 16},
}


def counts(owner_conn: psycopg.Connection[Any]) -> tuple[int, int, int]:
    row = owner_conn.execute(
        "SELECT (SELECT count(*) FROM intakes), (SELECT count(*) FROM procrastinate_jobs),"
        " (SELECT count(*) FROM triage_outcomes)"
    ).fetchone()
    assert row is not None
    return row[0], row[1], row[2]


async def test_submit_stores_the_intake_and_its_job_together(
    app_client: httpx.AsyncClient, make_key: KeyFactory, owner_conn: psycopg.Connection[Any]
) -> None:
    response = await app_client.post("/v1/intakes", json=INTAKE, headers=bearer(await make_key()))
    assert response.status_code == 202
    body = response.json()
    job = owner_conn.execute(
        "SELECT task_name, queue_name, args, status FROM procrastinate_jobs WHERE id = %s", (body["job_id"],)
    ).fetchone()
    assert job is not None
    task_name, queue_name, args, status = job
    assert (task_name, queue_name, status) == ("triage_intake", "triage", "todo")
    # The job carries ids only, never patient data.
    assert args == {"intake_id": body["intake_id"], "tenant_id": "clinic-a"}
    stored = owner_conn.execute("SELECT job_id, status FROM intakes WHERE id = %s", (body["intake_id"],)).fetchone()
    assert stored == (body["job_id"], "queued")


async def test_failure_after_insert_before_commit_leaves_no_intake_and_no_job(
    app_client: httpx.AsyncClient,
    make_key: KeyFactory,
    owner_conn: psycopg.Connection[Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # With an Idempotency-Key the submission is an explicit transaction (the key is claimed first): a failure
    # after the writes and before COMMIT must leave nothing behind.
    submit = service.intakes.submit_intake

    async def fail_after_insert_and_defer(*args: Any, **kwargs: Any) -> None:
        await submit(*args, **kwargs)  # the job, the intake and the audit event are written ...
        raise RuntimeError("crash between the writes and the commit")  # ... and never committed

    monkeypatch.setattr(service.intakes, "submit_intake", fail_after_insert_and_defer)
    headers = {**bearer(await make_key()), "Idempotency-Key": "crash-before-commit"}
    response = await app_client.post("/v1/intakes", json=INTAKE, headers=headers)
    assert response.status_code == 500
    assert response.headers["content-type"] == "application/problem+json"
    assert "crash" not in response.text
    assert counts(owner_conn) == (0, 0, 0)


async def test_failure_in_the_last_write_of_a_one_statement_submission_leaves_no_intake_and_no_job(
    app_client: httpx.AsyncClient,
    make_key: KeyFactory,
    owner_conn: psycopg.Connection[Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Without a key the submission is one statement, its own transaction: there is no moment between the writes
    # and the commit for the application to fail in. The statement's last write (the audit event) failing
    # must undo the job and the intake written before it.
    submit = service.intakes.submit_intake

    async def refuse_the_audit_event(conn: Any, submission: service.intakes.Submission) -> Any:
        return await submit(conn, replace(submission, audit_resource_type=None))  # type: ignore[arg-type]

    monkeypatch.setattr(service.intakes, "submit_intake", refuse_the_audit_event)
    response = await app_client.post("/v1/intakes", json=INTAKE, headers=bearer(await make_key()))
    assert response.status_code == 500
    assert response.headers["content-type"] == "application/problem+json"
    assert counts(owner_conn) == (0, 0, 0)


async def _submit(app_client: httpx.AsyncClient, token: str) -> UUID:
    response = await app_client.post("/v1/intakes", json=INTAKE, headers=bearer(token))
    assert response.status_code == 202
    return UUID(response.json()["intake_id"])


async def test_running_the_task_twice_writes_one_outcome(
    app_client: httpx.AsyncClient, make_key: KeyFactory, pool: Pool, owner_conn: psycopg.Connection[Any]
) -> None:
    intake_id = await _submit(app_client, await make_key())
    first = await run_triage(pool, intake_id, "clinic-a", actor="worker:test", job_id=None)
    second = await run_triage(pool, intake_id, "clinic-a", actor="worker:test", job_id=None)
    assert (first, second) == (True, False)
    assert counts(owner_conn) == (1, 1, 1)
    status = owner_conn.execute("SELECT status FROM intakes WHERE id = %s", (intake_id,)).fetchone()
    assert status == ("triaged",)
    writes = owner_conn.execute("SELECT count(*) FROM audit_events WHERE action = 'outcome.write'").fetchone()
    assert writes == (1,)


async def test_concurrent_runs_write_one_outcome(
    app_client: httpx.AsyncClient, make_key: KeyFactory, pool: Pool, owner_conn: psycopg.Connection[Any]
) -> None:
    intake_id = await _submit(app_client, await make_key())
    results = await asyncio.gather(
        *(run_triage(pool, intake_id, "clinic-a", actor="worker:test", job_id=None) for _ in range(3))
    )
    assert sorted(results) == [False, False, True]
    assert owner_conn.execute("SELECT count(*) FROM triage_outcomes").fetchone() == (1,)


async def test_a_re_run_after_triage_does_not_reopen_the_intake(
    app_client: httpx.AsyncClient, make_key: KeyFactory, pool: Pool, owner_conn: psycopg.Connection[Any]
) -> None:
    intake_id = await _submit(app_client, await make_key())
    await run_triage(pool, intake_id, "clinic-a", actor="worker:test", job_id=None)
    before = owner_conn.execute("SELECT status, attempts, updated_at FROM intakes").fetchone()
    await run_triage(pool, intake_id, "clinic-a", actor="worker:test", job_id=None)
    assert owner_conn.execute("SELECT status, attempts, updated_at FROM intakes").fetchone() == before
