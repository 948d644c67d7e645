"""The triage job: load the intake, run the engine, write the outcome once.

At-least-once delivery + an outcome unique per intake = exactly-once in effect: a re-run (retry, a
recovered stalled job, a duplicate) finds the intake triaged, or loses the ON CONFLICT race, and writes
nothing new.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

import procrastinate
import structlog
from procrastinate.jobs import Job
from procrastinate.retry import BaseRetryStrategy, RetryDecision

import triage as engine
from runtime.settings import get_settings
from store import intakes
from store.audit import AuditEvent, record
from store.pool import Pool
from store.tenancy import tenant_transaction
from tasks.engine_input import intake_for_engine

TASK_NAME = "triage_intake"
TRIAGE_QUEUE = "triage"

log = structlog.stdlib.get_logger(__name__)


class TriageRetry(BaseRetryStrategy):
    """Exponential back-off; the number of runs comes from settings (TRIAGE_JOB_MAX_ATTEMPTS)."""

    def get_retry_decision(self, *, exception: BaseException, job: Job) -> RetryDecision | None:
        if is_final_attempt(job) or isinstance(exception, IntakeMissing):
            return None
        wait = get_settings().triage_retry_wait_seconds * 2**job.attempts
        return RetryDecision(retry_in={"seconds": wait})


def is_final_attempt(job: Job) -> bool:
    # job.attempts counts the runs before this one.
    return job.attempts + 1 >= get_settings().triage_max_attempts


class IntakeMissing(Exception):
    """The job points at an intake this tenant does not have: retrying cannot help."""


def _actor(context: procrastinate.JobContext) -> str:
    return f"worker:{context.worker_name or 'worker'}"


async def triage_intake(context: procrastinate.JobContext, *, intake_id: str, tenant_id: str) -> None:
    pool: Pool = context.additional_context["pool"]
    job_id = context.job.id
    structlog.contextvars.bind_contextvars(intake_id=intake_id, tenant_id=tenant_id, job_id=job_id)
    try:
        await run_triage(pool, UUID(intake_id), tenant_id, actor=_actor(context), job_id=job_id)
    except Exception as exc:
        if is_final_attempt(context.job) or isinstance(exc, IntakeMissing):
            # The reason names the failure's type only: messages can quote patient data.
            reason = f"{type(exc).__name__} after {context.job.attempts + 1} attempt(s)"
            await mark_failed(pool, UUID(intake_id), tenant_id, reason, actor=_actor(context), job_id=job_id)
            log.error("triage failed for good", reason=reason)
        raise
    finally:
        structlog.contextvars.unbind_contextvars("intake_id", "tenant_id", "job_id")


def register(queue_app: procrastinate.App) -> None:
    """Declare the task on an app (an app per process; Procrastinate cannot re-bind a pool to one)."""
    queue_app.task(name=TASK_NAME, queue=TRIAGE_QUEUE, pass_context=True, retry=TriageRetry())(triage_intake)


async def run_triage(pool: Pool, intake_id: UUID, tenant_id: str, *, actor: str, job_id: int | None) -> bool:
    """Triage one intake; True when this run wrote the outcome, False when it already existed."""
    async with pool.connection() as conn:
        async with tenant_transaction(conn, tenant_id):
            intake = await intakes.claim_for_triage(conn, intake_id)
            if intake is None:
                existing = await intakes.get_view(conn, intake_id)
                if existing is None:
                    raise IntakeMissing
                log.info("intake already triaged; nothing to do")
                return False
            await record(conn, _event(intake, actor, job_id, action="intake.read"))

        # The engine is pure and fast: no connection is held while it runs.
        assessment = engine.assess(intake_for_engine(intake.payload))
        outcome: dict[str, Any] = assessment.to_dict()

        async with tenant_transaction(conn, tenant_id):
            written = await intakes.insert_outcome(
                conn,
                intake=intake,
                acuity=assessment.acuity,
                disposition=assessment.disposition,
                assessment=outcome,
                engine_name=assessment.engine.name,
                engine_version=assessment.engine.version,
                job_id=job_id,
            )
            await intakes.mark_triaged(conn, intake_id)
            if written:
                await record(conn, _event(intake, actor, job_id, action="outcome.write"))
    log.info("intake triaged", acuity=assessment.acuity, disposition=assessment.disposition, written=written)
    return written


async def mark_failed(
    pool: Pool, intake_id: UUID, tenant_id: str, reason: str, *, actor: str, job_id: int | None
) -> None:
    async with pool.connection() as conn, tenant_transaction(conn, tenant_id):
        await intakes.mark_failed(conn, intake_id, reason)
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
