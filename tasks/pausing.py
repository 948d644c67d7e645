"""Paused queues: a worker fetches no new job from a queue an operator paused.

Procrastinate has no pause. Its fetch takes the list of queues to serve; ours removes the paused ones
from that list inside the same statement (no extra round trip per fetch), so a pause is honoured from a
worker's next fetch on, and — being a row in `ops_paused_queues` — across restarts. Jobs already running
finish. Resuming notifies the queue's channel so that idle workers fetch at once instead of at their
next poll.
"""

from __future__ import annotations

from collections.abc import Iterable

import orjson
from procrastinate import jobs, manager
from psycopg import AsyncConnection

# Procrastinate's own fetch (procrastinate_fetch_job_v2) over the requested queues minus the paused ones.
# An empty array serves no queue (NULL would serve every queue).
FETCH_UNPAUSED = """
SELECT id, status, task_name, priority, lock, queueing_lock, args, scheduled_at, queue_name, attempts, worker_id
FROM procrastinate_fetch_job_v2(
    ARRAY(SELECT unnest(%(queues)s::varchar[])
          EXCEPT SELECT queue_name FROM ops_paused_queues)::varchar[],
    %(worker_id)s)
"""

PAUSE = """
INSERT INTO ops_paused_queues (queue_name, paused_by) VALUES (%(queue)s, %(actor)s)
ON CONFLICT (queue_name) DO NOTHING
"""
RESUME = "DELETE FROM ops_paused_queues WHERE queue_name = %(queue)s"
# The payload Procrastinate's own insert trigger sends: idle workers on that queue fetch now.
WAKE = "SELECT pg_notify('procrastinate_queue_v1#' || %(queue)s, %(payload)s)"
WAKE_PAYLOAD = orjson.dumps({"type": "job_inserted", "job_id": None}).decode()


class PausableJobManager(manager.JobManager):
    """Procrastinate's job manager whose fetch skips paused queues."""

    async def fetch_job(self, queues: Iterable[str] | None, worker_id: int) -> jobs.Job | None:
        if queues is None:
            # Our workers always name their queues (workers.main.QUEUES); "every queue" cannot be
            # narrowed without knowing them all, so it is refused rather than silently unpausable.
            raise ValueError("a pausable worker must name its queues")
        row = await self.connector.execute_query_one_async(
            query=FETCH_UNPAUSED, queues=list(queues), worker_id=worker_id
        )
        return None if row["id"] is None else jobs.Job.from_row(row)


async def pause(conn: AsyncConnection, queue: str, *, actor: str) -> bool:
    """True when the queue was running and is now paused; False when it was paused already."""
    cur = await conn.execute(PAUSE, {"queue": queue, "actor": actor})
    return cur.rowcount == 1


async def resume(conn: AsyncConnection, queue: str) -> bool:
    """True when the queue was paused and now runs again; False when it was not paused."""
    cur = await conn.execute(RESUME, {"queue": queue})
    if cur.rowcount != 1:
        return False
    await conn.execute(WAKE, {"queue": queue, "payload": WAKE_PAYLOAD})
    return True
