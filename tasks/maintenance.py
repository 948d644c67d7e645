"""Periodic maintenance, run by the workers themselves: no scheduler or extra process to deploy.

- `recover_stalled_jobs` (every 10 s): jobs still `doing` on a worker that stopped heart-beating for
  TRIAGE_WORKER_STALLED_SECONDS (killed, frozen, host lost) go back to `todo` and run again elsewhere.
  The re-run is safe because the write-back is idempotent (one outcome per intake).
  The same tick refreshes the job table's planner statistics after a burst (store/migrations/0010).
- `housekeeping` (every 15 min): finished jobs and their events older than TRIAGE_JOB_RETENTION_HOURS are
  deleted (maintenance jobs after an hour); expired Idempotency-Keys are forgotten, tenant by tenant
  (row-level security applies to maintenance too).

Procrastinate's periodic deferrer runs in every worker and defers each tick once, whatever the number of
workers; a high priority puts the maintenance jobs ahead of waiting triage jobs.
"""

from __future__ import annotations

import procrastinate
import structlog

from runtime.settings import get_settings
from store import events, intakes, tenants
from store.pool import Pool
from store.tenancy import tenant_transaction

MAINTENANCE_QUEUE = "maintenance"
MAINTENANCE_PRIORITY = 100
# Maintenance jobs run every few seconds: keep their history short.
MAINTENANCE_RETENTION_HOURS = 1

log = structlog.stdlib.get_logger(__name__)


async def recover_stalled_jobs(context: procrastinate.JobContext, timestamp: int) -> int:
    settings = get_settings()
    manager = context.app.job_manager
    stalled = list(await manager.get_stalled_jobs(seconds_since_heartbeat=settings.worker_stalled_seconds))
    recovered = 0
    for job in stalled:
        try:
            await manager.retry_job(job)
            recovered += 1
        except procrastinate.exceptions.ConnectorException:
            # Finished or recovered by someone else since it was listed: nothing to do.
            log.info("stalled job changed before it could be retried", stalled_job_id=job.id)
    # Dead workers' rows go too, so that the list of workers shows only live ones.
    await manager.prune_stalled_workers(settings.worker_stalled_seconds)
    try:
        await refresh_job_statistics(context.additional_context["pool"])
    except Exception as exc:  # a missed refresh costs speed, never recovery: log it and go on
        log.warning("job statistics not refreshed", error=type(exc).__name__)
    if recovered:
        log.warning("stalled jobs re-queued", count=recovered, stalled_job_ids=[job.id for job in stalled])
    return recovered


async def refresh_job_statistics(pool: Pool) -> bool:
    """ANALYZE the job table if a burst changed it since the last time (else nothing); True if it did."""
    async with pool.connection() as conn:
        cur = await conn.execute("SELECT ops_refresh_job_statistics()")
        row = await cur.fetchone()
    return bool(row and row[0])


async def housekeeping(context: procrastinate.JobContext, timestamp: int) -> int:
    settings = get_settings()
    manager = context.app.job_manager
    await manager.delete_old_jobs(
        nb_hours=settings.job_retention_hours, include_failed=True, include_cancelled=True, include_aborted=True
    )
    await manager.delete_old_jobs(
        nb_hours=MAINTENANCE_RETENTION_HOURS,
        queue=MAINTENANCE_QUEUE,
        include_failed=True,
        include_cancelled=True,
        include_aborted=True,
    )
    pool = context.additional_context["pool"]
    purged = await purge_idempotency_keys(pool)
    events_purged = await purge_intake_events(pool, settings.job_retention_hours)
    log.info("housekeeping done", idempotency_keys_purged=purged, intake_events_purged=events_purged)
    return purged


async def purge_idempotency_keys(pool: Pool) -> int:
    async with pool.connection() as conn:
        tenant_ids = await tenants.list_tenant_ids(conn)
    purged = 0
    for tenant_id in tenant_ids:
        async with pool.connection() as conn, tenant_transaction(conn, tenant_id):
            purged += await intakes.purge_idempotency_keys(conn, tenant_id)
    return purged


async def purge_intake_events(pool: Pool, retention_hours: int) -> int:
    """Forget event-stream entries older than the job retention: a stream resumes within that window."""
    async with pool.connection() as conn:
        tenant_ids = await tenants.list_tenant_ids(conn)
    purged = 0
    for tenant_id in tenant_ids:
        async with pool.connection() as conn, tenant_transaction(conn, tenant_id):
            purged += await events.purge(conn, tenant_id, retention_hours)
    return purged


def register(queue_app: procrastinate.App) -> None:
    for name, cron, func in (
        ("recover_stalled_jobs", "* * * * * */10", recover_stalled_jobs),
        ("housekeeping", "*/15 * * * *", housekeeping),
    ):
        task = queue_app.task(name=name, queue=MAINTENANCE_QUEUE, pass_context=True, priority=MAINTENANCE_PRIORITY)
        queue_app.periodic(cron=cron)(task(func))
