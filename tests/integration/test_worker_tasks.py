"""The queue's tasks as the worker calls them: triage (a run, a failed run, the last failed run), the
stalled-job recovery tick, and re-queueing a failed intake (`triage intakes requeue`).

The process tests (test_worker_failures, test_stalled_jobs, test_worker_lifecycle) drive them through real
worker and CLI processes; here they run in the test's own process, on the real database, with the context a
worker hands them.
"""

from __future__ import annotations

import re
from types import SimpleNamespace
from typing import Any
from uuid import UUID

import httpx
import psycopg
import pytest
import structlog
from prometheus_client import REGISTRY

from runtime.settings import Settings
from store.pool import Pool
from tasks import maintenance, triage
from tasks.engine_process import EngineResult, assess_payload
from tasks.engine_runner import EngineRunner, EngineTimeout
from tasks.queue import create_queue_app
from tests.conftest import KeyFactory
from tests.helpers import bearer
from tests.integration.test_stalled_jobs import take_job_as_a_worker

INTAKE = {"patient_id": "P-task", "age": 58, "symptoms": ["chest pain"], "urgency": "high"}


@pytest.fixture(autouse=True)
def _three_attempts(monkeypatch: pytest.MonkeyPatch, settings: Settings) -> None:
    monkeypatch.setattr(triage, "get_settings", lambda: settings.model_copy(update={"triage_max_attempts": 3}))


async def _accepted(app_client: httpx.AsyncClient, make_key: KeyFactory, tenant: str = "clinic-a") -> tuple[str, int]:
    response = await app_client.post("/v1/intakes", json=INTAKE, headers=bearer(await make_key(tenant=tenant)))
    assert response.status_code == 202
    body = response.json()
    return str(body["intake_id"]), int(body["job_id"])


def _context(pool: Pool, job_id: int, *, attempts: int, worker_name: str | None) -> Any:
    # What Procrastinate passes a `pass_context` task: the job, the worker's name and its additional context.
    return SimpleNamespace(
        additional_context={"pool": pool},
        job=SimpleNamespace(id=job_id, attempts=attempts),
        worker_name=worker_name,
    )


def _audit(owner_conn: psycopg.Connection[Any], intake_id: str) -> list[tuple[Any, ...]]:
    return owner_conn.execute(
        "SELECT action, actor, outcome, job_id FROM audit_events"
        " WHERE resource_id = %s AND actor LIKE 'worker:%%' ORDER BY id",
        (intake_id,),
    ).fetchall()


async def test_a_run_triages_the_intake_as_the_named_worker_and_leaves_no_log_context(
    app_client: httpx.AsyncClient, make_key: KeyFactory, pool: Pool, owner_conn: psycopg.Connection[Any]
) -> None:
    intake_id, job_id = await _accepted(app_client, make_key)
    context = _context(pool, job_id, attempts=0, worker_name="w-7")
    await triage.triage_intake(context, intake_id=intake_id, tenant_id="clinic-a")
    stored = owner_conn.execute(
        "SELECT i.status, i.payload, o.job_id, o.acuity, o.disposition, o.assessment, o.engine_name, o.engine_version"
        " FROM intakes i JOIN triage_outcomes o ON o.intake_id = i.id WHERE i.id = %s",
        (intake_id,),
    ).fetchone()
    assert stored is not None
    status, payload, outcome_job, *outcome = stored
    assert (status, outcome_job) == ("triaged", job_id)
    # What the engine says of the stored payload under the tenant's policy, written as it said it.
    expected = assess_payload(payload, "escalate")
    assert outcome == [
        expected.acuity,
        expected.disposition,
        expected.assessment,
        expected.engine_name,
        expected.engine_version,
    ]
    assert _audit(owner_conn, intake_id) == [
        ("intake.read", "worker:w-7", "success", job_id),
        ("outcome.write", "worker:w-7", "success", job_id),
    ]
    described = owner_conn.execute(
        "SELECT DISTINCT resource_type, patient_id FROM audit_events WHERE actor = 'worker:w-7'"
    ).fetchall()
    assert described == [("intake", "P-task")]
    # The job's ids are bound to the log context for the run only: the worker's next job starts clean.
    assert not {"intake_id", "tenant_id", "job_id"} & structlog.contextvars.get_contextvars().keys()


async def test_a_worker_without_a_name_is_audited_as_worker(
    app_client: httpx.AsyncClient, make_key: KeyFactory, pool: Pool, owner_conn: psycopg.Connection[Any]
) -> None:
    intake_id, job_id = await _accepted(app_client, make_key)
    await triage.triage_intake(
        _context(pool, job_id, attempts=0, worker_name=None), intake_id=intake_id, tenant_id="clinic-a"
    )
    assert {actor for _, actor, _, _ in _audit(owner_conn, intake_id)} == {"worker:worker"}


async def test_a_failed_run_with_attempts_left_leaves_the_intake_open_for_the_retry(
    app_client: httpx.AsyncClient, make_key: KeyFactory, pool: Pool, owner_conn: psycopg.Connection[Any]
) -> None:
    intake_id, job_id = await _accepted(app_client, make_key)
    owner_conn.execute("UPDATE intakes SET payload = payload - 'urgency' WHERE id = %s", (intake_id,))
    with pytest.raises(KeyError):  # raised on, so that Procrastinate schedules the retry
        await triage.triage_intake(
            _context(pool, job_id, attempts=1, worker_name="w-7"), intake_id=intake_id, tenant_id="clinic-a"
        )
    stored = owner_conn.execute(
        "SELECT status, failure_reason, failure_detail FROM intakes WHERE id = %s", (intake_id,)
    ).fetchone()
    assert stored == ("queued", None, None)
    assert [action for action, *_ in _audit(owner_conn, intake_id)] == ["intake.read"]
    assert not {"intake_id", "tenant_id", "job_id"} & structlog.contextvars.get_contextvars().keys()


async def test_the_last_failed_run_fails_the_intake_with_its_type_and_attempts_and_audits_it(
    app_client: httpx.AsyncClient, make_key: KeyFactory, pool: Pool, owner_conn: psycopg.Connection[Any]
) -> None:
    intake_id, job_id = await _accepted(app_client, make_key)
    owner_conn.execute("UPDATE intakes SET payload = payload - 'urgency' WHERE id = %s", (intake_id,))
    with pytest.raises(KeyError):
        await triage.triage_intake(
            _context(pool, job_id, attempts=2, worker_name="w-7"), intake_id=intake_id, tenant_id="clinic-a"
        )
    stored = owner_conn.execute(
        "SELECT status, failure_reason, failure_detail FROM intakes WHERE id = %s", (intake_id,)
    ).fetchone()
    assert stored is not None
    status, reason, detail = stored
    # The third of three attempts: the reason counts the attempts and names the type, never the message.
    assert (status, reason) == ("failed", "KeyError after 3 attempt(s)")
    # Where it was raised, not what it said (the function's name is left open: mutation testing wraps it).
    assert re.fullmatch(r"KeyError at engine_input\.py:\d+ in \w+", detail)
    assert _audit(owner_conn, intake_id)[-1] == ("intake.fail", "worker:w-7", "error", job_id)
    failure = owner_conn.execute(
        "SELECT resource_type, resource_id FROM audit_events WHERE action = 'intake.fail'"
    ).fetchone()
    assert failure == ("intake", intake_id)


async def test_the_recovery_tick_requeues_the_jobs_of_dead_workers_only_and_forgets_those_workers(
    app_client: httpx.AsyncClient,
    make_key: KeyFactory,
    pool: Pool,
    settings: Settings,
    owner_conn: psycopg.Connection[Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(maintenance, "get_settings", lambda: settings)  # a worker is dead after 20 s of silence
    for _ in range(3):
        await _accepted(app_client, make_key)
    dead = [take_job_as_a_worker(owner_conn) for _ in range(2)]
    live_worker, live_job = take_job_as_a_worker(owner_conn)
    owner_conn.execute(
        "UPDATE procrastinate_workers SET last_heartbeat = now() - interval '1 minute' WHERE id = ANY(%s)",
        ([worker for worker, _ in dead],),
    )
    queue_app = create_queue_app()
    async with queue_app.open_async(pool):
        context: Any = SimpleNamespace(app=queue_app, additional_context={"pool": pool})
        assert await maintenance.recover_stalled_jobs(context, 0) == 2
        assert await maintenance.recover_stalled_jobs(context, 0) == 0  # nothing left to recover
    jobs = dict(owner_conn.execute("SELECT id, status FROM procrastinate_jobs").fetchall())
    assert jobs == {dead[0][1]: "todo", dead[1][1]: "todo", live_job: "doing"}
    workers = {row[0] for row in owner_conn.execute("SELECT id FROM procrastinate_workers").fetchall()}
    assert workers == {live_worker}


async def test_requeueing_a_failed_intake_gives_it_a_new_job_and_a_fresh_budget_and_audits_it(
    app_client: httpx.AsyncClient, make_key: KeyFactory, pool: Pool, owner_conn: psycopg.Connection[Any]
) -> None:
    failed_id, old_job = await _accepted(app_client, make_key)
    queued_id, _ = await _accepted(app_client, make_key)
    owner_conn.execute(
        "UPDATE intakes SET status = 'failed', attempts = 3, failure_reason = 'KeyError after 3 attempt(s)',"
        " failure_detail = 'KeyError at engine_input.py:16 in intake_for_engine' WHERE id = %s",
        (failed_id,),
    )
    queue_app = create_queue_app()
    async with queue_app.open_async(pool):
        new_job = await triage.requeue_failed(pool, queue_app, UUID(failed_id), "clinic-a", actor="cli:requeue")
        assert new_job is not None and new_job != old_job
        # Only a failed intake of this tenant is queued again.
        assert await triage.requeue_failed(pool, queue_app, UUID(failed_id), "clinic-a", actor="cli:requeue") is None
        assert await triage.requeue_failed(pool, queue_app, UUID(queued_id), "clinic-a", actor="cli:requeue") is None
        assert await triage.requeue_failed(pool, queue_app, UUID(failed_id), "clinic-b", actor="cli:requeue") is None
    stored = owner_conn.execute(
        "SELECT status, job_id, attempts, failure_reason, failure_detail FROM intakes WHERE id = %s", (failed_id,)
    ).fetchone()
    assert stored == ("queued", new_job, 0, None, None)
    job = owner_conn.execute(
        "SELECT task_name, queue_name, args, status FROM procrastinate_jobs WHERE id = %s", (new_job,)
    ).fetchone()
    assert job == ("triage_intake", "triage", {"intake_id": failed_id, "tenant_id": "clinic-a"}, "todo")
    audited = owner_conn.execute(
        "SELECT action, actor, outcome, job_id, patient_id FROM audit_events WHERE action = 'intake.requeue'"
    ).fetchall()
    assert audited == [("intake.requeue", "cli:requeue", "success", new_job, "P-task")]


def _finished_job(owner_conn: psycopg.Connection[Any], queue: str, status: str, hours_ago: float) -> int:
    row = owner_conn.execute(
        "INSERT INTO procrastinate_jobs (queue_name, task_name, args) VALUES (%s, 'some_task', '{}') RETURNING id",
        (queue,),
    ).fetchone()
    assert row is not None
    if status != "todo":
        owner_conn.execute("UPDATE procrastinate_jobs SET status = %s WHERE id = %s", (status, row[0]))
    owner_conn.execute(
        "UPDATE procrastinate_events SET at = now() - make_interval(secs => %s) WHERE job_id = %s",
        (hours_ago * 3600, row[0]),
    )
    return int(row[0])


async def test_housekeeping_deletes_every_kind_of_finished_job_after_its_queues_retention(
    app_client: httpx.AsyncClient,
    make_key: KeyFactory,
    pool: Pool,
    settings: Settings,
    owner_conn: psycopg.Connection[Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(maintenance, "get_settings", lambda: settings)  # triage jobs are kept 168 h
    finished = ("succeeded", "failed", "cancelled", "aborted")
    deleted = {_finished_job(owner_conn, "triage", status, 200) for status in finished}
    deleted |= {_finished_job(owner_conn, "maintenance", status, 2) for status in finished}
    kept = {
        _finished_job(owner_conn, "triage", "failed", 2),
        _finished_job(owner_conn, "triage", "todo", 200),  # not finished, however old
        _finished_job(owner_conn, "maintenance", "succeeded", 0.5),
    }
    # Two tenants' intakes whose Idempotency-Keys have expired: housekeeping forgets the keys and counts them.
    for tenant in ("clinic-a", "clinic-b"):
        await _accepted(app_client, make_key, tenant)
    owner_conn.execute(
        "UPDATE intakes SET idempotency_key = 'k-1', request_hash = '\\x00', idempotency_expires_at = now()"
    )
    kept |= {row[0] for row in owner_conn.execute("SELECT job_id FROM intakes").fetchall()}
    queue_app = create_queue_app()
    async with queue_app.open_async(pool):
        context: Any = SimpleNamespace(app=queue_app, additional_context={"pool": pool})
        assert await maintenance.housekeeping(context, 0) == 2
    left = {row[0] for row in owner_conn.execute("SELECT id FROM procrastinate_jobs").fetchall()}
    assert left == kept and not left & deleted
    assert owner_conn.execute("SELECT count(*) FROM intakes WHERE idempotency_key IS NOT NULL").fetchone() == (0,)


def _engine_runs(result: str) -> tuple[float, float]:
    count = REGISTRY.get_sample_value("triage_engine_duration_seconds_count", {"result": result}) or 0.0
    total = REGISTRY.get_sample_value("triage_engine_duration_seconds_sum", {"result": result}) or 0.0
    return count, total


async def test_the_engine_runs_under_the_tenants_policy_in_the_workers_runner_and_is_timed(
    app_client: httpx.AsyncClient, make_key: KeyFactory, pool: Pool, owner_conn: psycopg.Connection[Any]
) -> None:
    inline_id, _ = await _accepted(app_client, make_key)
    runner_id, _ = await _accepted(app_client, make_key)
    stopped_id, _ = await _accepted(app_client, make_key)
    owner_conn.execute("UPDATE tenants SET escalation_policy = 'flag' WHERE id = 'clinic-a'")
    ok_before = _engine_runs("ok")
    await triage.run_triage(pool, UUID(inline_id), "clinic-a", actor="worker:test", job_id=None)
    runner = EngineRunner(processes=1, timeout_seconds=30)
    try:
        await triage.run_triage(pool, UUID(runner_id), "clinic-a", actor="worker:test", job_id=None, engine=runner)
    finally:
        runner.close()
    policies = dict(
        owner_conn.execute("SELECT intake_id::text, assessment->>'escalation_policy' FROM triage_outcomes").fetchall()
    )
    assert policies == {inline_id: "flag", runner_id: "flag"}
    ok_after = _engine_runs("ok")
    assert ok_after[0] == ok_before[0] + 2
    assert 0 < ok_after[1] - ok_before[1] < 30  # seconds, however long the two runs took

    # The worker's runner, not an inline run, is what its time limit stops.
    timeouts_before = _engine_runs("timeout")
    stopped = EngineRunner(processes=1, timeout_seconds=0.000_001)
    try:
        with pytest.raises(EngineTimeout):
            await triage.run_triage(
                pool, UUID(stopped_id), "clinic-a", actor="worker:test", job_id=None, engine=stopped
            )
    finally:
        stopped.close()
    assert _engine_runs("timeout")[0] == timeouts_before[0] + 1


class _RecordingEngine:
    """The worker's engine runner as the task sees it, noting the log context each run happens in."""

    def __init__(self) -> None:
        self.contexts: list[dict[str, Any]] = []

    async def assess(self, payload: dict[str, Any], policy: str = "escalate") -> EngineResult:
        self.contexts.append(structlog.contextvars.get_contextvars())
        return assess_payload(payload, policy)


async def test_a_run_uses_the_workers_engine_and_logs_under_the_jobs_ids(
    app_client: httpx.AsyncClient, make_key: KeyFactory, pool: Pool
) -> None:
    intake_id, job_id = await _accepted(app_client, make_key)
    engine = _RecordingEngine()
    context = _context(pool, job_id, attempts=0, worker_name="w-7")
    context.additional_context["engine"] = engine
    await triage.triage_intake(context, intake_id=intake_id, tenant_id="clinic-a")
    assert len(engine.contexts) == 1
    ids = {name: engine.contexts[0].get(name) for name in ("intake_id", "tenant_id", "job_id")}
    assert ids == {"intake_id": intake_id, "tenant_id": "clinic-a", "job_id": job_id}


async def test_only_the_triage_jobs_own_transactions_commit_without_waiting_for_the_flush(
    app_client: httpx.AsyncClient, make_key: KeyFactory, pool: Pool, owner_conn: psycopg.Connection[Any]
) -> None:
    # Each audit row records the synchronous_commit of the transaction that wrote it (a trigger, added here).
    owner_conn.execute("CREATE TABLE commit_modes (action text, mode text)")
    owner_conn.execute("GRANT INSERT ON commit_modes TO PUBLIC")
    owner_conn.execute(
        "CREATE FUNCTION note_commit_mode() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
        " INSERT INTO commit_modes VALUES (NEW.action, current_setting('synchronous_commit')); RETURN NEW; END $$"
    )
    owner_conn.execute(
        "CREATE TRIGGER note_commit_mode AFTER INSERT ON audit_events FOR EACH ROW EXECUTE FUNCTION note_commit_mode()"
    )
    key = await make_key()
    intake_id, job_id = await _accepted(app_client, make_key)
    await triage.triage_intake(
        _context(pool, job_id, attempts=0, worker_name="w-1"), intake_id=intake_id, tenant_id="clinic-a"
    )
    assert (await app_client.get(f"/v1/intakes/{intake_id}", headers=bearer(key))).status_code == 200
    modes = owner_conn.execute("SELECT action, mode FROM commit_modes").fetchall()
    # The submission and the agent's read wait for the flush (a 202 promises the intake is stored); the job's
    # claim and write-back do not (they are redone if a crash loses them).
    assert modes == [("intake.create", "on"), ("intake.read", "off"), ("outcome.write", "off"), ("intake.read", "on")]
    # Turned off for those transactions alone: the pool's connections come back with the server's default.
    async with pool.connection() as conn:
        assert await (await conn.execute("SHOW synchronous_commit")).fetchone() == ("on",)


async def test_the_event_purge_forgets_each_tenants_old_events_and_counts_them_all(
    pool: Pool, owner_conn: psycopg.Connection[Any]
) -> None:
    for tenant in ("clinic-a", "clinic-b"):
        owner_conn.execute("INSERT INTO tenants (id) VALUES (%s) ON CONFLICT DO NOTHING", (tenant,))
    ages = [("clinic-a", 30), ("clinic-a", 30), ("clinic-b", 30), ("clinic-b", 1)]  # hours old
    for tenant, hours in ages:
        owner_conn.execute(
            "INSERT INTO intake_events (tenant_id, intake_id, kind, created_at)"
            " VALUES (%s, gen_random_uuid(), 'intake.triaged', now() - make_interval(hours => %s))",
            (tenant, hours),
        )
    assert await maintenance.purge_intake_events(pool, 24) == 3  # the sum over tenants, not the last one's
    left = owner_conn.execute("SELECT tenant_id, count(*) FROM intake_events GROUP BY 1 ORDER BY 1").fetchall()
    assert left == [("clinic-b", 1)]
