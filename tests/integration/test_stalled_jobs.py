"""An intake's status says what is really happening to its job, and a dead worker's job runs again by itself."""

from __future__ import annotations

import time
from typing import Any

import httpx
import psycopg

from tests.conftest import KeyFactory
from tests.helpers import ProcessGroup, bearer, child_env
from tests.integration.test_end_to_end import wait_for_status

INTAKE = {"patient_id": "P-stall", "age": 55, "symptoms": ["chest pain"], "urgency": "high"}


def take_job_as_a_worker(owner_conn: psycopg.Connection[Any]) -> tuple[int, int]:
    """Do what a worker does when it fetches a job: register, then fetch (the job is `doing`, held by it)."""
    worker = owner_conn.execute("SELECT worker_id FROM procrastinate_register_worker_v1()").fetchone()
    assert worker is not None
    job = owner_conn.execute(
        "SELECT id FROM procrastinate_fetch_job_v2(ARRAY['triage']::varchar[], %s)", (worker[0],)
    ).fetchone()
    assert job is not None and job[0] is not None
    return worker[0], job[0]


async def test_status_follows_the_job_and_its_worker(
    app_client: httpx.AsyncClient, make_key: KeyFactory, owner_conn: psycopg.Connection[Any]
) -> None:
    headers = bearer(await make_key())
    intake_id = (await app_client.post("/v1/intakes", json=INTAKE, headers=headers)).json()["intake_id"]

    async def status() -> str:
        body: dict[str, Any] = (await app_client.get(f"/v1/intakes/{intake_id}", headers=headers)).json()
        return str(body["status"])

    assert await status() == "queued"
    worker_id, job_id = take_job_as_a_worker(owner_conn)
    assert await status() == "processing"
    # The worker stops heart-beating (killed): nobody is processing the intake any more.
    owner_conn.execute(
        "UPDATE procrastinate_workers SET last_heartbeat = now() - interval '1 minute' WHERE id = %s", (worker_id,)
    )
    assert await status() == "queued"
    # A retry waiting for its back-off is queued, not processing.
    owner_conn.execute("UPDATE procrastinate_workers SET last_heartbeat = now() WHERE id = %s", (worker_id,))
    assert await status() == "processing"
    owner_conn.execute("SELECT procrastinate_retry_job_v2(%s, now() + interval '1 hour', NULL, NULL, NULL)", (job_id,))
    assert await status() == "queued"
    # A job that failed for good fails its intake, even if the worker could not mark the intake itself.
    owner_conn.execute("UPDATE procrastinate_jobs SET scheduled_at = NULL WHERE id = %s", (job_id,))
    take_job_as_a_worker(owner_conn)
    owner_conn.execute("SELECT procrastinate_finish_job_v1(%s, 'failed', false)", (job_id,))
    assert await status() == "failed"


async def test_a_dead_workers_job_is_recovered_and_triaged_once(
    app_client: httpx.AsyncClient,
    make_key: KeyFactory,
    database_url: str,
    owner_conn: psycopg.Connection[Any],
    processes: ProcessGroup,
) -> None:
    headers = bearer(await make_key())
    intake_id = (await app_client.post("/v1/intakes", json=INTAKE, headers=headers)).json()["intake_id"]
    # A worker took the job and died without a word: its heartbeat stops.
    dead_worker, job_id = take_job_as_a_worker(owner_conn)
    owner_conn.execute(
        "UPDATE procrastinate_workers SET last_heartbeat = now() - interval '1 minute' WHERE id = %s", (dead_worker,)
    )
    started = time.monotonic()
    processes.start(["worker", "--concurrency", "2"], child_env(database_url), "worker")
    triaged = await wait_for_status(app_client, intake_id, headers, {"triaged", "failed"}, timeout=60)
    assert triaged["status"] == "triaged", processes.logs()
    # Recovery runs every 10 s; a stalled job waits at most one tick once its worker counts as dead.
    assert time.monotonic() - started < 45
    assert owner_conn.execute("SELECT count(*) FROM triage_outcomes").fetchone() == (1,)
    job = owner_conn.execute("SELECT status, attempts FROM procrastinate_jobs WHERE id = %s", (job_id,)).fetchone()
    assert job == ("succeeded", 2)  # the lost run counts as an attempt
    # The dead worker's row is gone, so listings of workers show only live ones.
    assert owner_conn.execute(
        "SELECT count(*) FROM procrastinate_workers WHERE id = %s", (dead_worker,)
    ).fetchone() == (0,)
