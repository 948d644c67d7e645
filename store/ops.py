"""Queue state for operators: queues, jobs, a job's history, workers, stalled jobs; retry and cancel.

Everything here reads Procrastinate's own tables, which hold ids, statuses and times only (a job's
arguments are an intake id and a tenant id): no patient data. Every query is bounded (keyset pages,
time windows on indexed columns) so that it stays fast on large tables.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from psycopg import AsyncConnection
from psycopg.rows import class_row, dict_row

JobStatus = Literal["todo", "doing", "succeeded", "failed", "cancelled", "aborted"]
JOB_STATUSES: tuple[JobStatus, ...] = ("todo", "doing", "succeeded", "failed", "cancelled", "aborted")
WINDOWS_MINUTES = (1, 5, 15)


@dataclass(frozen=True, slots=True)
class QueueRow:
    queue_name: str
    todo: int
    doing: int
    succeeded: int
    failed: int
    cancelled: int
    aborted: int
    oldest_waiting_s: float | None  # how long the oldest job that may run now has been waiting


@dataclass(frozen=True, slots=True)
class ThroughputRow:
    queue_name: str
    minutes: int
    finished: int
    failed: int
    wait_p50_s: float | None
    wait_p95_s: float | None
    run_p50_s: float | None
    run_p95_s: float | None


@dataclass(frozen=True, slots=True)
class JobRow:
    id: int
    queue_name: str
    task_name: str
    status: JobStatus
    attempts: int
    scheduled_at: datetime | None
    worker_id: int | None
    intake_id: str | None
    tenant_id: str | None


@dataclass(frozen=True, slots=True)
class JobEvent:
    type: str
    at: datetime


@dataclass(frozen=True, slots=True)
class WorkerRow:
    id: int
    last_heartbeat: datetime
    silent_for_s: float
    running: int


# Counts come from ops_job_counts (kept exact by triggers, migration 0006): a few thousand rows at most,
# however many jobs. The oldest waiting job is the first todo job by id through a partial index — one
# branch for the platform, one for a tenant, so that even a generic (prepared) plan uses the index.
SELECT_QUEUES = """
WITH counts AS (
    SELECT c.queue_name,
           coalesce(sum(c.jobs) FILTER (WHERE c.status = 'todo'), 0)::bigint AS todo,
           coalesce(sum(c.jobs) FILTER (WHERE c.status = 'doing'), 0)::bigint AS doing,
           coalesce(sum(c.jobs) FILTER (WHERE c.status = 'succeeded'), 0)::bigint AS succeeded,
           coalesce(sum(c.jobs) FILTER (WHERE c.status = 'failed'), 0)::bigint AS failed,
           coalesce(sum(c.jobs) FILTER (WHERE c.status = 'cancelled'), 0)::bigint AS cancelled,
           coalesce(sum(c.jobs) FILTER (WHERE c.status = 'aborted'), 0)::bigint AS aborted
    FROM ops_job_counts c
    WHERE (%(tenant)s::text IS NULL OR c.tenant_id = %(tenant)s)
    GROUP BY c.queue_name
    HAVING sum(c.jobs) > 0
)
SELECT c.queue_name, c.todo, c.doing, c.succeeded, c.failed, c.cancelled, c.aborted,
       (SELECT extract(epoch FROM now() - max(e.at))::float
          FROM procrastinate_events e
         WHERE e.job_id = least(
                   (SELECT min(j.id) FROM procrastinate_jobs j
                     WHERE %(tenant)s::text IS NULL AND j.status = 'todo' AND j.queue_name = c.queue_name
                       AND coalesce(j.scheduled_at, now()) <= now()),
                   (SELECT min(j.id) FROM procrastinate_jobs j
                     WHERE j.args->>'tenant_id' = %(tenant)s AND j.status = 'todo' AND j.queue_name = c.queue_name
                       AND coalesce(j.scheduled_at, now()) <= now()))
           AND e.type IN ('deferred', 'deferred_for_retry', 'retried', 'scheduled')) AS oldest_waiting_s
FROM counts c
ORDER BY c.queue_name
"""

# Jobs that ended in the last 15 minutes, with their last wait (became todo → started) and run
# (started → ended), per queue and window. The cost is proportional to the jobs that ended in the window:
# the ended events come from a partial index (0004), each job is one primary-key probe (OFFSET 0 keeps
# the planner from hashing the whole jobs table instead) and one read of its few events; MATERIALIZED
# computes that once per ended job rather than once per window.
SELECT_THROUGHPUT = """
WITH timed AS MATERIALIZED (
    SELECT j.queue_name, e.type, e.at,
           extract(epoch FROM x.started_at - x.todo_at)::float AS wait_s,
           extract(epoch FROM e.at - x.started_at)::float AS run_s
    FROM procrastinate_events e
    CROSS JOIN LATERAL (
        SELECT j.queue_name FROM procrastinate_jobs j
        WHERE j.id = e.job_id AND (%(tenant)s::text IS NULL OR j.args->>'tenant_id' = %(tenant)s)
        OFFSET 0
    ) j
    CROSS JOIN LATERAL (
        -- The run that ended: its start, and when the job last became runnable (before that start: a job
        -- goes back to todo only from doing, and starts again before it can end).
        SELECT max(s.at) FILTER (WHERE s.type = 'started') AS started_at,
               max(s.at) FILTER (WHERE s.type IN ('deferred', 'deferred_for_retry', 'retried')) AS todo_at
        FROM procrastinate_events s
        WHERE s.job_id = e.job_id AND s.at <= e.at
    ) x
    WHERE e.at > now() - interval '15 minutes' AND e.type IN ('succeeded', 'failed', 'aborted')
)
SELECT t.queue_name, w.minutes, count(*) AS finished, count(*) FILTER (WHERE t.type <> 'succeeded') AS failed,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY t.wait_s) AS wait_p50_s,
       percentile_cont(0.95) WITHIN GROUP (ORDER BY t.wait_s) AS wait_p95_s,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY t.run_s) AS run_p50_s,
       percentile_cont(0.95) WITHIN GROUP (ORDER BY t.run_s) AS run_p95_s
FROM timed t
JOIN (VALUES (1), (5), (15)) AS w (minutes) ON t.at > now() - make_interval(mins => w.minutes)
GROUP BY t.queue_name, w.minutes
ORDER BY t.queue_name, w.minutes
"""

SELECT_JOB = """
SELECT j.id, j.queue_name, j.task_name, j.status, j.attempts, j.scheduled_at, j.worker_id,
       j.args->>'intake_id' AS intake_id, j.args->>'tenant_id' AS tenant_id
FROM procrastinate_jobs j WHERE j.id = %(job_id)s
"""

SELECT_JOB_EVENTS = "SELECT type::text AS type, at FROM procrastinate_events WHERE job_id = %(job_id)s ORDER BY id"

SELECT_WORKERS = """
SELECT w.id, w.last_heartbeat, extract(epoch FROM now() - w.last_heartbeat)::float AS silent_for_s,
       (SELECT count(*) FROM procrastinate_jobs j WHERE j.worker_id = w.id AND j.status = 'doing') AS running
FROM procrastinate_workers w ORDER BY w.id
"""

# Jobs `doing` on a worker that is gone or silent: what stalled-job recovery will re-queue.
SELECT_STALLED = """
SELECT j.id, j.queue_name, j.task_name, j.status, j.attempts, j.scheduled_at, j.worker_id,
       j.args->>'intake_id' AS intake_id, j.args->>'tenant_id' AS tenant_id
FROM procrastinate_jobs j LEFT JOIN procrastinate_workers w ON w.id = j.worker_id
WHERE j.status = 'doing'
  AND (w.id IS NULL OR w.last_heartbeat < now() - make_interval(secs => %(stalled_after)s))
  AND (%(tenant)s::text IS NULL OR j.args->>'tenant_id' = %(tenant)s)
ORDER BY j.id
"""

RETRY_JOB = "SELECT procrastinate_retry_job_v2(%(job_id)s, now(), NULL, NULL, NULL)"
CANCEL_JOB = "SELECT procrastinate_cancel_job_v1(%(job_id)s, %(abort)s, false) AS id"


# `tenant`: only jobs carrying that tenant's id (a tenant's own view); None: every job (the platform's).


async def queues(conn: AsyncConnection, *, tenant: str | None = None) -> list[QueueRow]:
    async with conn.cursor(row_factory=class_row(QueueRow)) as cur:
        await cur.execute(SELECT_QUEUES, {"tenant": tenant})
        return await cur.fetchall()


async def throughput(conn: AsyncConnection, *, tenant: str | None = None) -> list[ThroughputRow]:
    async with conn.cursor(row_factory=class_row(ThroughputRow)) as cur:
        await cur.execute(SELECT_THROUGHPUT, {"tenant": tenant})
        return await cur.fetchall()


async def jobs(
    conn: AsyncConnection,
    *,
    queue: str | None = None,
    status: JobStatus | None = None,
    task: str | None = None,
    tenant: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    before_id: int | None = None,
    limit: int = 50,
) -> list[JobRow]:
    """Jobs, newest first; the cursor (`before_id`) is the id of the last job already seen."""
    where = JobFilter(queue=queue, task=task, tenant=tenant, since=since, until=until)
    params = where.params() | {"status": status, "before_id": before_id, "limit": limit}
    async with conn.cursor(row_factory=class_row(JobRow)) as cur:
        await cur.execute(SELECT_FILTERED_JOBS, params, prepare=False)
        return await cur.fetchall()


async def job(conn: AsyncConnection, job_id: int) -> tuple[JobRow, list[JobEvent]] | None:
    async with conn.cursor(row_factory=class_row(JobRow)) as cur:
        await cur.execute(SELECT_JOB, {"job_id": job_id})
        row = await cur.fetchone()
    if row is None:
        return None
    async with conn.cursor(row_factory=class_row(JobEvent)) as cur:
        await cur.execute(SELECT_JOB_EVENTS, {"job_id": job_id})
        return row, await cur.fetchall()


async def workers(conn: AsyncConnection) -> list[WorkerRow]:
    async with conn.cursor(row_factory=class_row(WorkerRow)) as cur:
        await cur.execute(SELECT_WORKERS)
        return await cur.fetchall()


async def stalled(conn: AsyncConnection, stalled_after: float, *, tenant: str | None = None) -> list[JobRow]:
    async with conn.cursor(row_factory=class_row(JobRow)) as cur:
        await cur.execute(SELECT_STALLED, {"stalled_after": stalled_after, "tenant": tenant})
        return await cur.fetchall()


async def retry(conn: AsyncConnection, job_id: int) -> None:
    """Back to `todo` now: a failed job, or a `doing` one whose worker is gone. Raises for other states."""
    await conn.execute(RETRY_JOB, {"job_id": job_id})


async def cancel_waiting(conn: AsyncConnection, job_id: int) -> bool:
    """A waiting job is cancelled; False for any other state (a running job is left alone)."""
    async with conn.cursor(row_factory=dict_row) as cur:
        await cur.execute(CANCEL_JOB, {"job_id": job_id, "abort": False})
        row = await cur.fetchone()
    return row is not None and row["id"] is not None


async def cancel(conn: AsyncConnection, job_id: int) -> bool:
    """A waiting job is cancelled; a running one is asked to abort. False when neither applies."""
    if await cancel_waiting(conn, job_id):
        return True
    async with conn.cursor(row_factory=dict_row) as cur:
        await cur.execute(CANCEL_JOB, {"job_id": job_id, "abort": True})
        row = await cur.fetchone()
    return row is not None and row["id"] is not None


# -- Paused queues, time filters and bulk selection ------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PausedQueue:
    queue_name: str
    paused_at: datetime
    paused_by: str


@dataclass(frozen=True, slots=True)
class JobFilter:
    """Which jobs a listing or a bulk action covers; None means any. `since`/`until`: deferral time."""

    queue: str | None = None
    task: str | None = None
    tenant: str | None = None
    since: datetime | None = None
    until: datetime | None = None

    def params(self) -> dict[str, Any]:
        return {
            "queue": self.queue,
            "task": self.task,
            "tenant": self.tenant,
            "since": self.since,
            "until": self.until,
        }


SELECT_PAUSED = "SELECT queue_name, paused_at, paused_by FROM ops_paused_queues ORDER BY queue_name"

# The filters are `(param IS NULL OR …)`: executed unprepared (`prepare=False`), so that PostgreSQL plans
# each call with its values and uses the matching index, never a generic plan that must serve every
# combination of filters.
#
# Job ids grow with deferral time, so a time bound is turned into an id bound by one probe of the
# deferred-events index (0005): O(log n) however far back the bound lies. Two transactions deferring in
# the same millisecond may be ordered differently by id and by time; the bound is exact otherwise.
FILTERED = """
      (%(queue)s::text IS NULL OR j.queue_name = %(queue)s)
  AND (%(task)s::text IS NULL OR j.task_name = %(task)s)
  AND (%(tenant)s::text IS NULL OR j.args->>'tenant_id' = %(tenant)s)
  AND (%(since)s::timestamptz IS NULL OR j.id >= coalesce(
        (SELECT e.job_id FROM procrastinate_events e
          WHERE e.type = 'deferred' AND e.at >= %(since)s ORDER BY e.at LIMIT 1), 9223372036854775807))
  AND (%(until)s::timestamptz IS NULL OR j.id <= coalesce(
        (SELECT e.job_id FROM procrastinate_events e
          WHERE e.type = 'deferred' AND e.at < %(until)s ORDER BY e.at DESC LIMIT 1), 0))
"""

# Newest first.
SELECT_FILTERED_JOBS = f"""
SELECT j.id, j.queue_name, j.task_name, j.status, j.attempts, j.scheduled_at, j.worker_id,
       j.args->>'intake_id' AS intake_id, j.args->>'tenant_id' AS tenant_id
FROM procrastinate_jobs j
WHERE {FILTERED}
  AND (%(status)s::text IS NULL OR j.status = %(status)s::procrastinate_job_status)
  AND (%(before_id)s::bigint IS NULL OR j.id < %(before_id)s)
ORDER BY j.id DESC
LIMIT %(limit)s
"""  # FILTERED is a constant: every value is a bound parameter

COUNT_MATCHING = f"""
SELECT count(*) AS n FROM procrastinate_jobs j
WHERE j.status = %(status)s::procrastinate_job_status AND {FILTERED}
"""

# Oldest first, locked so that two bulk actions (or a worker) never act on the same job twice.
LOCK_MATCHING = f"""
SELECT j.id FROM procrastinate_jobs j
WHERE j.status = %(status)s::procrastinate_job_status AND {FILTERED}
ORDER BY j.id
LIMIT %(limit)s
FOR UPDATE SKIP LOCKED
"""


async def paused_queues(conn: AsyncConnection) -> list[PausedQueue]:
    async with conn.cursor(row_factory=class_row(PausedQueue)) as cur:
        await cur.execute(SELECT_PAUSED)
        return await cur.fetchall()


async def count_matching(conn: AsyncConnection, where: JobFilter, status: JobStatus) -> int:
    async with conn.cursor(row_factory=dict_row) as cur:
        await cur.execute(COUNT_MATCHING, where.params() | {"status": status}, prepare=False)
        row = await cur.fetchone()
    return int(row["n"]) if row else 0


async def lock_matching(conn: AsyncConnection, where: JobFilter, status: JobStatus, limit: int) -> list[int]:
    """Ids of up to `limit` matching jobs, oldest first, locked for this transaction."""
    async with conn.cursor(row_factory=dict_row) as cur:
        await cur.execute(LOCK_MATCHING, where.params() | {"status": status, "limit": limit}, prepare=False)
        return [int(row["id"]) for row in await cur.fetchall()]
