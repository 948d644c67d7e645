"""Operator actions on jobs, kept consistent with the intakes they carry.

Retrying a failed triage job opens its intake again (the same job, its attempts kept: one more run;
`triage intakes requeue` gives a fresh budget on a new job); cancelling one fails its intake with a
reason. Each action on a triage job is audited against its intake, in the same transaction.
"""

from __future__ import annotations

from uuid import UUID

from psycopg import AsyncConnection

from store import intakes, ops
from store.audit import AuditEvent, record
from store.pool import Pool
from store.tenancy import tenant_transaction
from tasks.triage import TASK_NAME

CANCELLED_REASON = "Cancelled by an operator"


class JobNotFound(Exception):
    pass


class NotRetryable(Exception):
    """Only a failed job, or a running one whose worker is gone, can be retried."""


async def retry_job(pool: Pool, job_id: int, *, actor: str) -> ops.JobRow:
    async with pool.connection() as conn, conn.transaction():
        found = await ops.job(conn, job_id)
        if found is None:
            raise JobNotFound
        job, _ = found
        if job.status not in ("failed", "doing"):
            raise NotRetryable
        await ops.retry(conn, job_id)
        await _for_intake(conn, job, actor, "intake.retry", reopen=True)
    return job


async def cancel_job(pool: Pool, job_id: int, *, actor: str) -> bool:
    async with pool.connection() as conn, conn.transaction():
        found = await ops.job(conn, job_id)
        if found is None:
            raise JobNotFound
        job, _ = found
        if not await ops.cancel(conn, job_id):
            return False
        await _for_intake(conn, job, actor, "intake.cancel", reopen=False)
    return True


async def _for_intake(conn: AsyncConnection, job: ops.JobRow, actor: str, action: str, *, reopen: bool) -> None:
    if job.task_name != TASK_NAME or job.intake_id is None or job.tenant_id is None:
        return  # not a triage job: no intake to keep in step
    intake_id = UUID(job.intake_id)
    # The intake's part under its tenant's row-level security (a savepoint of the job's transaction).
    async with tenant_transaction(conn, job.tenant_id):
        if reopen:
            await intakes.reopen_failed(conn, intake_id)
        else:
            await intakes.mark_failed(conn, intake_id, CANCELLED_REASON)
        await record(
            conn,
            AuditEvent(
                tenant_id=job.tenant_id,
                actor=actor,
                action=action,
                resource_type="intake",
                resource_id=str(intake_id),
                outcome="success",
                job_id=job.id,
            ),
        )
