"""The triage job: load the intake, run the engine, write the outcome once.

At-least-once delivery + an outcome unique per intake = exactly-once in effect: a re-run (retry, a
recovered stalled job, a duplicate) finds the intake triaged, or loses the ON CONFLICT race, and writes
nothing new.
"""

from __future__ import annotations

import random
import time
from concurrent.futures.process import BrokenProcessPool
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any, cast
from uuid import UUID

import procrastinate
import structlog
from procrastinate.jobs import Job
from procrastinate.retry import BaseRetryStrategy, RetryDecision

from runtime.metrics import ENGINE_DURATION, EngineResultLabel, sample_pool
from runtime.settings import get_settings
from store import intakes, tenants
from store.audit import AuditEvent, record
from store.errors import is_transient, scrubbed_detail
from store.pool import Pool
from store.tenancy import tenant_transaction
from tasks.engine_process import EngineResult, assess_payload
from tasks.engine_runner import EngineRunner, EngineTimeout
from tasks.model_opinion import ModelMode, second_opinion

TASK_NAME = "triage_intake"
TRIAGE_QUEUE = "triage"

log = structlog.stdlib.get_logger(__name__)


class IntakeMissing(Exception):
    """The job points at an intake this tenant does not have: retrying cannot help."""


def retry_delay(exception: BaseException, attempts_so_far: int) -> float | None:
    """Seconds before the next run, or None when this run was the last.

    Transient errors (the database, not the intake) get TRIAGE_JOB_MAX_TRANSIENT_ATTEMPTS runs, others
    TRIAGE_JOB_MAX_ATTEMPTS. The wait doubles each time up to TRIAGE_JOB_RETRY_MAX_WAIT, and half of it is
    random so that the jobs of an outage do not all come back in the same second.
    """
    settings = get_settings()
    if isinstance(exception, IntakeMissing):
        return None
    budget = settings.triage_max_transient_attempts if transient(exception) else settings.triage_max_attempts
    if attempts_so_far + 1 >= budget:
        return None
    ceiling = min(settings.triage_retry_max_wait_seconds, settings.triage_retry_wait_seconds * 2.0**attempts_so_far)
    return ceiling / 2 + random.uniform(0, ceiling / 2)  # noqa: S311 (jitter, not security)


def transient(exception: BaseException) -> bool:
    """The database, or the engine's process pool torn down under a run: nothing about the intake itself."""
    return is_transient(exception) or isinstance(exception, BrokenProcessPool)


class TriageRetry(BaseRetryStrategy):
    def get_retry_decision(self, *, exception: BaseException, job: Job) -> RetryDecision | None:
        # job.attempts counts the runs before this one.
        delay = retry_delay(exception, job.attempts)
        return None if delay is None else RetryDecision(retry_at=datetime.now(UTC) + timedelta(seconds=delay))


def _actor(context: procrastinate.JobContext) -> str:
    return f"worker:{context.worker_name or 'worker'}"


async def triage_intake(context: procrastinate.JobContext, *, intake_id: str, tenant_id: str) -> None:
    pool: Pool = context.additional_context["pool"]
    runner: EngineRunner | None = context.additional_context.get("engine")
    job_id = context.job.id
    structlog.contextvars.bind_contextvars(intake_id=intake_id, tenant_id=tenant_id, job_id=job_id)
    try:
        await run_triage(pool, UUID(intake_id), tenant_id, actor=_actor(context), job_id=job_id, engine=runner)
    except Exception as exc:
        detail = scrubbed_detail(exc)
        if retry_delay(exc, context.job.attempts) is None:
            # The reason names the failure's type only: messages can quote patient data.
            reason = f"{type(exc).__name__} after {context.job.attempts + 1} attempt(s)"
            await mark_failed(
                pool, UUID(intake_id), tenant_id, reason, detail=detail, actor=_actor(context), job_id=job_id
            )
            log.error("triage failed for good", reason=reason, detail=detail)
        else:
            log.warning("triage attempt failed; will retry", detail=detail, transient=transient(exc))
        raise
    finally:
        structlog.contextvars.unbind_contextvars("intake_id", "tenant_id", "job_id")
        sample_pool(pool, "worker")


def register(queue_app: procrastinate.App) -> None:
    """Declare the task on an app (an app per process; Procrastinate cannot re-bind a pool to one)."""
    queue_app.task(name=TASK_NAME, queue=TRIAGE_QUEUE, pass_context=True, retry=TriageRetry())(triage_intake)


async def run_triage(
    pool: Pool,
    intake_id: UUID,
    tenant_id: str,
    *,
    actor: str,
    job_id: int | None,
    engine: EngineRunner | None = None,
) -> bool:
    """Triage one intake; True when this run wrote the outcome, False when it already existed.

    `engine` runs the engine in a child process (the worker's); without one it runs inline (tests, tools).
    """
    # Both transactions commit without waiting for the WAL flush (store.tenancy): lost in a crash, they are
    # redone, since the job stays `doing` until Procrastinate's finish, which waits for the flush and so makes
    # them durable first. Any audited read of the outcome does the same (its own commit waits).
    async with pool.connection() as conn, tenant_transaction(conn, tenant_id, flush_on_commit=False):
        intake = await intakes.claim_for_triage(conn, intake_id)
        if intake is None:
            if await intakes.get_stored(conn, intake_id) is None:
                raise IntakeMissing
            log.info("intake already triaged; nothing to do")
            return False
        # The tenant's escalation policy as of this claim: a change applies to intakes triaged after it, and
        # the outcome's assessment records the policy that applied.
        policy = await tenants.get_escalation_policy(conn, intake.tenant_id)
        if policy is None:
            raise IntakeMissing  # cannot happen: intakes.tenant_id references tenants
        model_mode = await tenants.get_model_opinion(conn, intake.tenant_id) or "off"
        await record(conn, _event(intake, actor, job_id, action="intake.read"))

    # No connection is held while the engine runs, nor while a model gives its opinion (bounded by its timeout).
    result = await _timed_assessment(intake.payload, policy, engine)
    opinion = None
    if model_mode != "off":  # the settings are read only then: inline runs (tests, tools) need none
        result, opinion = await second_opinion(get_settings(), intake.payload, cast(ModelMode, model_mode), result)
    if opinion is not None:
        result = replace(result, assessment={**result.assessment, "model_opinion": opinion.record()})

    async with pool.connection() as conn, tenant_transaction(conn, tenant_id, flush_on_commit=False):
        written = await intakes.insert_outcome(
            conn,
            intake=intake,
            acuity=result.acuity,
            disposition=result.disposition,
            assessment=result.assessment,
            engine_name=result.engine_name,
            engine_version=result.engine_version,
            job_id=job_id,
        )
        await intakes.mark_triaged(conn, intake_id)
        if written:
            await record(conn, _event(intake, actor, job_id, action="outcome.write"))
        if opinion is not None:
            detail = {"model": opinion.model, "prompt_sha256": opinion.prompt_sha256, "status": opinion.status}
            await record(conn, replace(_event(intake, actor, job_id, action="model.opinion"), detail=detail))
    log.info(
        "intake triaged",
        acuity=result.acuity,
        disposition=result.disposition,
        escalation_policy=policy,
        written=written,
    )
    return written


async def _timed_assessment(payload: dict[str, Any], policy: str, engine: EngineRunner | None) -> EngineResult:
    """Run the engine (in the worker's child process, or inline without one) and observe how long it took."""
    started = time.perf_counter()
    result_label: EngineResultLabel = "error"
    try:
        result = await engine.assess(payload, policy) if engine else assess_payload(payload, policy)
        result_label = "ok"
        return result
    except EngineTimeout:
        result_label = "timeout"
        raise
    finally:
        ENGINE_DURATION.labels(result_label).observe(time.perf_counter() - started)


async def mark_failed(
    pool: Pool, intake_id: UUID, tenant_id: str, reason: str, *, detail: str, actor: str, job_id: int | None
) -> None:
    async with pool.connection() as conn, tenant_transaction(conn, tenant_id):
        await intakes.mark_failed(conn, intake_id, reason, detail)
        await record(
            conn,
            AuditEvent(
                tenant_id=tenant_id,
                actor=actor,
                action="intake.fail",
                resource_type="intake",
                resource_id=str(intake_id),
                outcome="error",
                job_id=job_id,
            ),
        )


async def requeue_failed(
    pool: Pool, queue_app: procrastinate.App, intake_id: UUID, tenant_id: str, *, actor: str
) -> int | None:
    """Queue a failed intake again on a new job (a fresh attempt budget); its job id, or None if not failed."""
    async with pool.connection() as conn, tenant_transaction(conn, tenant_id):
        stored = await intakes.get_stored(conn, intake_id)
        if stored is None or stored.status != "failed":
            return None
        job_id: int = await queue_app.configure_task(TASK_NAME, allow_unknown=False, connection=conn).defer_async(
            intake_id=str(intake_id), tenant_id=tenant_id
        )
        if not await intakes.requeue_failed(conn, intake_id, job_id):
            raise RuntimeError("the intake changed while it was being re-queued")  # rolls the defer back
        await record(conn, _event(stored, actor, job_id, action="intake.requeue"))
    log.info("failed intake re-queued", intake_id=str(intake_id), job_id=job_id)
    return job_id


def _event(intake: intakes.IntakeRow, actor: str, job_id: int | None, *, action: str) -> AuditEvent:
    return AuditEvent(
        tenant_id=intake.tenant_id,
        actor=actor,
        action=action,
        resource_type="intake",
        resource_id=str(intake.id),
        patient_id=intake.patient_id,
        outcome="success",
        job_id=job_id,
    )
