"""`triage ops`: queue state and job actions from the command line, against a real database and worker."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import httpx
import orjson
import psycopg

from tests.conftest import KeyFactory
from tests.helpers import ROOT, ProcessGroup, bearer, child_env
from tests.integration.test_end_to_end import wait_for_status
from tests.integration.test_stalled_jobs import take_job_as_a_worker

INTAKE = {"patient_id": "P-ops", "age": 40, "symptoms": ["cough"], "urgency": "low"}


def ops(database_url: str, *args: str, code: int = 0) -> Any:
    argv = [sys.executable, "-m", "runtime", "ops", *args]
    done = subprocess.run(
        argv, env=child_env(database_url), cwd=ROOT, capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == code, done.stderr
    return orjson.loads(done.stdout) if "--json" in args and code == 0 else done


async def test_an_operator_sees_counts_finds_a_failed_job_and_retries_it(
    app_client: httpx.AsyncClient,
    make_key: KeyFactory,
    database_url: str,
    owner_conn: psycopg.Connection[Any],
    processes: ProcessGroup,
) -> None:
    headers = bearer(await make_key())
    ids = [(await app_client.post("/v1/intakes", json=INTAKE, headers=headers)).json()["intake_id"] for _ in range(3)]
    broken = ids[0]
    owner_conn.execute("UPDATE intakes SET payload = payload - 'urgency' WHERE id = %s", (broken,))
    processes.start(["worker", "--concurrency", "1"], child_env(database_url, TRIAGE_JOB_MAX_ATTEMPTS="1"), "worker")
    for intake_id in ids:
        await wait_for_status(app_client, intake_id, headers, {"triaged", "failed"})

    state = ops(database_url, "queues", "--json")
    triage_queue = next(q for q in state["queues"] if q["queue_name"] == "triage")
    assert (triage_queue["succeeded"], triage_queue["failed"], triage_queue["todo"]) == (2, 1, 0)
    window = next(w for w in state["throughput"] if w["queue_name"] == "triage" and w["minutes"] == 1)
    assert (window["finished"], window["failed"]) == (3, 1)
    assert window["run_p95_s"] is not None and window["wait_p50_s"] is not None

    failed = ops(database_url, "jobs", "--queue", "triage", "--status", "failed", "--json")["items"]
    assert [(job["intake_id"], job["tenant_id"]) for job in failed] == [(broken, "clinic-a")]
    job_id = failed[0]["id"]
    detail = ops(database_url, "job", str(job_id), "--json")
    assert [e["type"] for e in detail["events"]] == ["deferred", "started", "failed"]
    # Why it failed: the error class and where, never data.
    assert detail["failure"]["reason"].startswith("KeyError") and "P-ops" not in str(detail)
    workers = ops(database_url, "workers", "--json")["items"]
    assert len(workers) == 1 and workers[0]["silent_for_s"] < 30

    owner_conn.execute('UPDATE intakes SET payload = payload || \'{"urgency": "low"}\' WHERE id = %s', (broken,))
    assert ops(database_url, "retry", str(job_id)).stdout.strip() == f"job {job_id} retried"
    triaged = await wait_for_status(app_client, broken, headers, {"triaged"})
    assert triaged["status"] == "triaged"
    # Only a failed (or orphaned running) job can be retried.
    assert "nothing to retry" in ops(database_url, "retry", str(job_id), code=1).stderr
    assert "no job" in ops(database_url, "job", "999999", code=1).stderr
    actions = owner_conn.execute("SELECT actor, action, job_id FROM audit_events WHERE actor = 'cli:ops'").fetchall()
    assert actions == [("cli:ops", "intake.retry", job_id)]
    # A readable table too.
    table = ops(database_url, "queues").stdout
    assert table.splitlines()[0].split()[:3] == ["queue_name", "todo", "doing"]


async def test_cancelling_a_waiting_job_fails_its_intake_with_a_reason(
    app_client: httpx.AsyncClient, make_key: KeyFactory, database_url: str
) -> None:
    headers = bearer(await make_key())
    accepted = (await app_client.post("/v1/intakes", json=INTAKE, headers=headers)).json()
    assert ops(database_url, "cancel", str(accepted["job_id"])).stdout.strip() == f"job {accepted['job_id']} cancelled"
    read = (await app_client.get(f"/v1/intakes/{accepted['intake_id']}", headers=headers)).json()
    assert (read["status"], read["failure_reason"]) == ("failed", "Cancelled by an operator")
    assert "nothing to cancel" in ops(database_url, "cancel", str(accepted["job_id"]), code=1).stderr


async def test_stalled_jobs_and_tenant_filters(
    app_client: httpx.AsyncClient, make_key: KeyFactory, database_url: str, owner_conn: psycopg.Connection[Any]
) -> None:
    for tenant in ("clinic-a", "clinic-b"):
        await app_client.post("/v1/intakes", json=INTAKE, headers=bearer(await make_key(tenant=tenant)))
    _worker, job_id = take_job_as_a_worker(owner_conn)
    owner_conn.execute("UPDATE procrastinate_workers SET last_heartbeat = now() - interval '1 minute'")
    assert [job["id"] for job in ops(database_url, "stalled", "--json")["items"]] == [job_id]
    mine = ops(database_url, "jobs", "--tenant", "clinic-b", "--json")["items"]
    assert [job["tenant_id"] for job in mine] == ["clinic-b"]
    first = ops(database_url, "jobs", "--limit", "1", "--json")
    second = ops(database_url, "jobs", "--limit", "1", "--cursor", str(first["next_cursor"]), "--json")
    assert first["items"][0]["id"] > second["items"][0]["id"]
