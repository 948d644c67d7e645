"""Worker processes: supervised restarts, graceful SIGTERM, re-queueing a failed intake, housekeeping."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import httpx
import psycopg
import pytest

from runtime.settings import Settings
from store.pool import Pool
from tasks import maintenance
from tasks.maintenance import housekeeping
from tasks.queue import create_queue_app
from tests.conftest import KeyFactory
from tests.helpers import ROOT, ProcessGroup, bearer, child_env
from tests.integration.test_end_to_end import wait_for_status

INTAKE = {"patient_id": "P-life", "age": 40, "symptoms": ["cough"], "urgency": "low"}


def children_of(pid: int) -> set[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return {int(p) for p in path.read_text().split()} if path.exists() else set()


def wait_until(condition: Any, timeout: float, message: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, message
        time.sleep(0.1)


def test_the_supervisor_restarts_a_killed_worker_and_stops_them_all(database_url: str, processes: ProcessGroup) -> None:
    supervisor = processes.start(
        ["worker", "--processes", "2", "--concurrency", "1", "--name", "sup"], child_env(database_url), "sup"
    )
    wait_until(lambda: len(children_of(supervisor.pid)) == 2, 20, processes.logs())
    first = children_of(supervisor.pid)
    victim = min(first)
    os.kill(victim, signal.SIGKILL)
    wait_until(lambda: len(children_of(supervisor.pid) - first) == 1, 20, processes.logs())
    assert len(children_of(supervisor.pid)) == 2
    supervisor.send_signal(signal.SIGTERM)
    assert supervisor.wait(timeout=40) == 0
    assert children_of(supervisor.pid) == set()


async def test_sigterm_lets_running_jobs_finish_then_exits_zero(
    app_client: httpx.AsyncClient,
    make_key: KeyFactory,
    database_url: str,
    owner_conn: psycopg.Connection[Any],
    processes: ProcessGroup,
) -> None:
    headers = bearer(await make_key())
    for i in range(40):
        await app_client.post("/v1/intakes", json={**INTAKE, "patient_id": f"P-{i}"}, headers=headers)
    worker = processes.start(["worker", "--concurrency", "2"], child_env(database_url), "worker")

    def triaged() -> int:
        row = owner_conn.execute("SELECT count(*) FROM triage_outcomes").fetchone()
        return int(row[0]) if row else 0

    wait_until(lambda: triaged() > 0, 30, processes.logs())
    worker.send_signal(signal.SIGTERM)
    assert await asyncio.to_thread(worker.wait, 40) == 0, processes.logs()
    # Nothing was left half-done: no job in `doing`, the worker unregistered, every started job finished.
    doing = owner_conn.execute("SELECT count(*) FROM procrastinate_jobs WHERE status = 'doing'").fetchone()
    assert doing == (0,)
    assert owner_conn.execute("SELECT count(*) FROM procrastinate_workers").fetchone() == (0,)
    succeeded = owner_conn.execute(
        "SELECT count(*) FROM procrastinate_jobs WHERE task_name = 'triage_intake' AND status = 'succeeded'"
    ).fetchone()
    assert succeeded == (triaged(),)


async def test_a_failed_intake_is_requeued_from_the_cli_and_triaged(
    app_client: httpx.AsyncClient,
    make_key: KeyFactory,
    database_url: str,
    owner_conn: psycopg.Connection[Any],
    processes: ProcessGroup,
) -> None:
    headers = bearer(await make_key())
    intake_id = (await app_client.post("/v1/intakes", json=INTAKE, headers=headers)).json()["intake_id"]
    owner_conn.execute("UPDATE intakes SET payload = payload - 'urgency' WHERE id = %s", (intake_id,))
    env = child_env(database_url, TRIAGE_JOB_MAX_ATTEMPTS="1")
    processes.start(["worker", "--concurrency", "1"], env, "worker")
    failed = await wait_for_status(app_client, intake_id, headers, {"failed", "triaged"})
    assert failed["status"] == "failed", processes.logs()

    def requeue(*ids: str) -> subprocess.CompletedProcess[str]:
        argv = [sys.executable, "-m", "runtime", "intakes", "requeue", "--tenant", "clinic-a", *ids]
        return subprocess.run(argv, env=env, cwd=ROOT, capture_output=True, text=True, timeout=60, check=False)

    # Not yet fixed: the CLI queues it again, the worker fails it again (a fresh budget of one attempt).
    owner_conn.execute('UPDATE intakes SET payload = payload || \'{"urgency": "low"}\' WHERE id = %s', (intake_id,))
    done = requeue(intake_id)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"{intake_id}: queued as job ")
    triaged = await wait_for_status(app_client, intake_id, headers, {"triaged"})
    assert triaged["status"] == "triaged", processes.logs()
    assert triaged["failure_reason"] is None
    assert triaged["attempts"] == 1
    # A triaged intake, an unknown one and a malformed id are refused, with exit status 1.
    refused = requeue(intake_id, "00000000-0000-0000-0000-000000000000", "nope")
    assert refused.returncode == 1
    assert f"{intake_id}: not a failed intake of tenant 'clinic-a'" in refused.stderr
    assert "00000000-0000-0000-0000-000000000000: not a failed intake" in refused.stderr
    assert "nope: not an intake id" in refused.stderr
    events = owner_conn.execute("SELECT actor FROM audit_events WHERE action = 'intake.requeue'").fetchall()
    assert events == [("cli:requeue",)]


async def test_housekeeping_deletes_old_finished_jobs_only(
    app_client: httpx.AsyncClient,
    make_key: KeyFactory,
    owner_conn: psycopg.Connection[Any],
    pool: Pool,
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(maintenance, "get_settings", lambda: settings)  # retention: the default 168 h
    headers = bearer(await make_key())
    ids = [(await app_client.post("/v1/intakes", json=INTAKE, headers=headers)).json()["job_id"] for _ in range(3)]
    old_done, recent_done, waiting = ids
    for job_id in (old_done, recent_done):
        owner_conn.execute("UPDATE procrastinate_jobs SET status = 'succeeded' WHERE id = %s", (job_id,))
        owner_conn.execute(
            "INSERT INTO procrastinate_events (job_id, type, at) VALUES (%s, 'succeeded', now())", (job_id,)
        )
    owner_conn.execute(
        "UPDATE procrastinate_events SET at = now() - interval '200 hours' WHERE job_id = %s", (old_done,)
    )
    queue_app = create_queue_app()
    async with queue_app.open_async(pool):
        await housekeeping(SimpleNamespace(app=queue_app, additional_context={"pool": pool}), 0)  # type: ignore[arg-type]
    left = {row[0] for row in owner_conn.execute("SELECT id FROM procrastinate_jobs").fetchall()}
    assert left == {recent_done, waiting}
    # The intakes stay; only the queue's bookkeeping goes.
    assert owner_conn.execute("SELECT count(*) FROM intakes").fetchone() == (3,)


def test_a_worker_without_its_database_waits_and_says_so_instead_of_exiting(
    tmp_path: Path, processes: ProcessGroup
) -> None:
    ready = tmp_path / "ready"
    nowhere = f"postgresql://postgres@/triage?host={tmp_path}&port=5999"
    env = child_env(nowhere, TRIAGE_DB_TIMEOUT="0.3", TRIAGE_WORKER_READY_FILE=str(ready))
    worker = processes.start(["worker"], env, "worker")
    wait_until(lambda: processes.logs().count("worker lost the database") >= 2, 30, processes.logs())
    assert worker.poll() is None
    assert not ready.exists()


async def test_a_working_worker_is_ready_until_it_stops(
    database_url: str, tmp_path: Path, processes: ProcessGroup
) -> None:
    ready = tmp_path / "ready"
    worker = processes.start(["worker"], child_env(database_url, TRIAGE_WORKER_READY_FILE=str(ready)), "worker")
    wait_until(ready.exists, 30, processes.logs())
    worker.send_signal(signal.SIGTERM)
    assert await asyncio.to_thread(worker.wait, 40) == 0
    assert not ready.exists()
