"""A worker's fetch skips paused queues, in the same statement (tasks.pausing), and resuming wakes idle workers.

test_ops_actions drives this through worker processes; here the job manager is called in the test's own
process, on the real database and Procrastinate's own fetch function.
"""

from __future__ import annotations

from typing import Any

import httpx
import psycopg
import pytest

from store.pool import Pool
from tasks import ops, pausing
from tasks.queue import create_queue_app
from tests.conftest import KeyFactory
from tests.helpers import bearer

INTAKE = {"patient_id": "P-pause", "age": 61, "symptoms": ["cough"], "urgency": "low"}


async def test_a_paused_queue_gives_no_job_and_a_resumed_one_gives_its_job(
    app_client: httpx.AsyncClient, make_key: KeyFactory, pool: Pool, owner_conn: psycopg.Connection[Any]
) -> None:
    job_id = (await app_client.post("/v1/intakes", json=INTAKE, headers=bearer(await make_key()))).json()["job_id"]
    worker = owner_conn.execute("SELECT worker_id FROM procrastinate_register_worker_v1()").fetchone()
    assert worker is not None
    queue_app = create_queue_app()
    async with queue_app.open_async(pool):
        manager = queue_app.job_manager
        async with pool.connection() as conn:
            assert await pausing.pause(conn, "triage", actor="key:test") is True
            assert await pausing.pause(conn, "triage", actor="key:test") is False  # paused already
        assert await manager.fetch_job(["triage"], worker[0]) is None
        async with pool.connection() as conn:
            assert await pausing.resume(conn, "triage") is True
            assert await pausing.resume(conn, "triage") is False  # not paused any more
        fetched = await manager.fetch_job(["triage"], worker[0])
        assert fetched is not None and fetched.id == job_id
        held = owner_conn.execute("SELECT status, worker_id FROM procrastinate_jobs WHERE id = %s", (job_id,))
        assert held.fetchone() == ("doing", worker[0])  # held by the worker that fetched it
        assert fetched.task_kwargs["tenant_id"] == "clinic-a"
        assert await manager.fetch_job(["triage"], worker[0]) is None  # the only job is taken
        with pytest.raises(ValueError, match="must name its queues"):
            await manager.fetch_job(None, worker[0])


async def test_resuming_wakes_the_queues_idle_workers(pool: Pool, database_url: str) -> None:
    async with await psycopg.AsyncConnection.connect(database_url, autocommit=True) as listener:
        await listener.execute('LISTEN "procrastinate_queue_v1#triage"')
        async with pool.connection() as conn:
            await pausing.pause(conn, "triage", actor="key:test")
            await pausing.resume(conn, "triage")
            await pausing.resume(conn, "triage")  # not paused: nobody is woken
        notices = []
        async for notice in listener.notifies(timeout=1.0):
            notices.append((notice.channel, notice.payload))
    assert notices == [("procrastinate_queue_v1#triage", pausing.WAKE_PAYLOAD)]


async def test_a_pause_and_a_resume_are_audited_once_each_for_the_operators_tenant(
    pool: Pool, owner_conn: psycopg.Connection[Any]
) -> None:
    owner_conn.execute("INSERT INTO tenants (id) VALUES ('platform') ON CONFLICT DO NOTHING")
    assert await ops.pause_queue(pool, "triage", actor="key:ops-1", tenant_id="platform") is True
    assert await ops.pause_queue(pool, "triage", actor="key:ops-1", tenant_id="platform") is False  # no change
    assert await ops.resume_queue(pool, "triage", actor="key:ops-2", tenant_id="platform") is True
    assert await ops.resume_queue(pool, "triage", actor="key:ops-2", tenant_id="platform") is False
    audited = owner_conn.execute(
        "SELECT tenant_id, actor, action, resource_type, resource_id, outcome FROM audit_events"
        " WHERE action LIKE 'queue.%%' ORDER BY id"
    ).fetchall()
    assert audited == [
        ("platform", "key:ops-1", "queue.pause", "queue", "triage", "success"),
        ("platform", "key:ops-2", "queue.resume", "queue", "triage", "success"),
    ]
