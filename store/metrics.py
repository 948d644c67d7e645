"""The cluster's state for /metrics, read in one bounded, read-only transaction.

Everything here is an aggregate over every tenant: queue counts (store.ops, which reads Procrastinate's
tables: ids, statuses and times only), workers, stalled jobs, and outcome totals by acuity and
disposition from `triage_outcome_tally` (migration 0007). No row of patient data is read.
"""

from __future__ import annotations

from dataclasses import dataclass

from psycopg import AsyncConnection
from psycopg.rows import class_row

from store import ops

# The throughput window exported (ops.throughput computes 1, 5 and 15 minutes).
RECENT_WINDOW_MINUTES = 5

SELECT_OUTCOME_TOTALS = """
SELECT acuity, disposition, sum(outcomes)::bigint AS outcomes
FROM triage_outcome_tally GROUP BY acuity, disposition ORDER BY acuity, disposition
"""


@dataclass(frozen=True, slots=True)
class OutcomeTotal:
    acuity: int
    disposition: str
    outcomes: int


@dataclass(frozen=True, slots=True)
class ClusterState:
    queues: list[ops.QueueRow]
    recent: list[ops.ThroughputRow]  # jobs that ended in the last RECENT_WINDOW_MINUTES, per queue
    workers: list[ops.WorkerRow]
    stalled_jobs: int
    outcomes: list[OutcomeTotal]


async def cluster_state(conn: AsyncConnection, *, stalled_after: float, statement_timeout: float) -> ClusterState:
    """Read the whole state; each statement is cancelled by PostgreSQL after `statement_timeout` seconds."""
    async with conn.transaction():
        # Transaction-local: the pooled connection goes back with its own settings.
        await conn.execute("SET TRANSACTION READ ONLY")
        await conn.execute(
            "SELECT set_config('statement_timeout', %s, true)", (f"{max(1, round(statement_timeout * 1000))}ms",)
        )
        queues = await ops.queues(conn, tenant=None)
        recent = [row for row in await ops.throughput(conn, tenant=None) if row.minutes == RECENT_WINDOW_MINUTES]
        workers = await ops.workers(conn)
        stalled = await ops.stalled(conn, stalled_after, tenant=None)
        async with conn.cursor(row_factory=class_row(OutcomeTotal)) as cur:
            await cur.execute(SELECT_OUTCOME_TOTALS)
            outcomes = await cur.fetchall()
    return ClusterState(queues=queues, recent=recent, workers=workers, stalled_jobs=len(stalled), outcomes=outcomes)
