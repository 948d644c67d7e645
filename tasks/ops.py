"""Operator actions on jobs and queues, kept consistent with the intakes they carry.

Retrying a failed triage job opens its intake again (the same job, its attempts kept: one more run;
`triage intakes requeue` gives a fresh budget on a new job); cancelling one fails its intake with a
reason. Each action on a triage job is audited against its intake, in the same transaction. Bulk
actions do the same for every job a filter matches, a bounded batch per call; pausing a queue is a
row that workers read at each fetch (tasks.pausing).
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from psycopg import AsyncConnection

from store import dashboard, intakes, ops
from store.audit import AuditEvent, record
from store.pool import Pool
from store.tenancy import tenant_transaction
from tasks import pausing
from tasks.triage import TASK_NAME

CANCELLED_REASON = "Cancelled by an operator"
# One bulk call acts on at most this many jobs (one transaction, a few seconds); repeat while more match.
MAX_BULK_JOBS = 1_000


class JobNotFound(Exception):
    pass


class NotRetryable(Exception):
    """Only a failed job, or a running one whose worker is gone, can be retried."""


async def job_failure(conn: AsyncConnection, job: ops.JobRow) -> dashboard.FailureRow | None:
    """Why a failed triage job's intake failed: an error class and a scrubbed detail, never data."""
    if job.task_name != TASK_NAME or job.intake_id is None or job.tenant_id is None:
        return None
    async with tenant_transaction(conn, job.tenant_id):  # the intake is read as its own tenant
        rows = await dashboard.failures(conn, [UUID(job.intake_id)])
    return rows[0] if rows else None


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


@dataclass(frozen=True, slots=True)
class BulkResult:
    matched: int  # jobs in the state the action applies to that match the filter (before acting)
    acted: int  # jobs this call retried or cancelled (0 on a dry run)
    job_ids: list[int]  # the jobs acted on, oldest first


async def bulk_retry(
    pool: Pool, where: ops.JobFilter, *, actor: str, dry_run: bool, limit: int = MAX_BULK_JOBS
) -> BulkResult:
    """Retry every failed job matching `where` (up to `limit` per call); a dry run only counts them."""
    return await _bulk(pool, where, "failed", actor=actor, dry_run=dry_run, limit=limit)


async def bulk_cancel(
    pool: Pool, where: ops.JobFilter, *, actor: str, dry_run: bool, limit: int = MAX_BULK_JOBS
) -> BulkResult:
    """Cancel every waiting job matching `where` (up to `limit` per call); running jobs are left alone."""
    return await _bulk(pool, where, "todo", actor=actor, dry_run=dry_run, limit=limit)


async def _bulk(
    pool: Pool, where: ops.JobFilter, status: ops.JobStatus, *, actor: str, dry_run: bool, limit: int
) -> BulkResult:
    async with pool.connection() as conn, conn.transaction():
        matched = await ops.count_matching(conn, where, status)
        if dry_run or matched == 0:
            return BulkResult(matched=matched, acted=0, job_ids=[])
        acted = []
        for job_id in await ops.lock_matching(conn, where, status, min(limit, MAX_BULK_JOBS)):
            found = await ops.job(conn, job_id)
            if found is None:
                continue
            job, _ = found
            if status == "failed":
                await ops.retry(conn, job_id)
                await _for_intake(conn, job, actor, "intake.retry", reopen=True)
            elif await ops.cancel_waiting(conn, job_id):
                await _for_intake(conn, job, actor, "intake.cancel", reopen=False)
            else:
                continue
            acted.append(job_id)
    return BulkResult(matched=matched, acted=len(acted), job_ids=acted)


async def pause_queue(pool: Pool, queue: str, *, actor: str, tenant_id: str | None) -> bool:
    """Workers stop fetching from `queue` (running jobs finish). False when it was paused already."""
    return await _queue_action(pool, queue, actor=actor, tenant_id=tenant_id, pause=True)


async def resume_queue(pool: Pool, queue: str, *, actor: str, tenant_id: str | None) -> bool:
    """Workers fetch from `queue` again. False when it was not paused."""
    return await _queue_action(pool, queue, actor=actor, tenant_id=tenant_id, pause=False)


async def _queue_action(pool: Pool, queue: str, *, actor: str, tenant_id: str | None, pause: bool) -> bool:
    async with pool.connection() as conn, conn.transaction():
        changed = await (pausing.pause(conn, queue, actor=actor) if pause else pausing.resume(conn, queue))
        if changed:
            async with tenant_transaction(conn, tenant_id):
                await record(
                    conn,
                    AuditEvent(
                        tenant_id=tenant_id,
                        actor=actor,
                        action="queue.pause" if pause else "queue.resume",
                        resource_type="queue",
                        resource_id=queue,
                        outcome="success",
                    ),
                )
    return changed
