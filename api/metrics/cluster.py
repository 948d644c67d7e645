"""The cluster's state as Prometheus metrics, read from the database when `/metrics` is scraped.

Every process of every host shares one PostgreSQL, so queue depth, workers, stalled jobs and outcome
totals are read there, once per scrape, in one read-only transaction whose statements PostgreSQL cancels
after TRIAGE_METRICS_DB_TIMEOUT; the whole read (connection included) is bounded by the same time. A
failed or slow read does not fail the scrape: `triage_metrics_database_up` is 0 and the cluster series
are left out, while the per-process series are still exported.

Every API replica exports the same cluster figures: aggregate them with `max`, not `sum`.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import get_args

import structlog
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.metrics_core import Metric

from store import ops
from store.metrics import ClusterState, cluster_state
from store.pool import Pool
from tasks.maintenance import MAINTENANCE_QUEUE
from tasks.triage import TRIAGE_QUEUE
from triage.models import Disposition

log = structlog.stdlib.get_logger(__name__)

ACUITIES = ("1", "2", "3", "4", "5")
DISPOSITIONS: tuple[str, ...] = get_args(Disposition)
KNOWN_QUEUES = (TRIAGE_QUEUE, MAINTENANCE_QUEUE)
OTHER = "other"
# Queue names come from the code, not from clients; anything else still collapses to one label.
_QUEUE_NAME = re.compile(r"^[A-Za-z0-9_.:-]{1,64}$")


@dataclass(frozen=True, slots=True)
class Reading:
    state: ClusterState | None  # None: the read failed or timed out
    seconds: float


async def read_cluster(pool: Pool, *, budget_seconds: float, stalled_after: float) -> Reading:
    """The cluster's state, or None after `budget_seconds` (connection, statements, everything)."""
    started = time.perf_counter()
    try:
        async with asyncio.timeout(budget_seconds), pool.connection(timeout=budget_seconds) as conn:
            state: ClusterState | None = await cluster_state(
                conn, stalled_after=stalled_after, statement_timeout=budget_seconds
            )
    except Exception as exc:  # a slow or unreachable database must not fail the scrape
        log.warning("metrics: cluster state not read", error=type(exc).__name__)
        state = None
    return Reading(state, time.perf_counter() - started)


def queue_label(name: str) -> str:
    return name if _QUEUE_NAME.match(name) else OTHER


class ClusterCollector:
    """One scrape's reading as metric families (a collector for `generate_latest`)."""

    def __init__(self, reading: Reading, *, stalled_after: float) -> None:
        self.reading = reading
        self.stalled_after = stalled_after

    def collect(self) -> Iterator[Metric]:
        state = self.reading.state
        up = GaugeMetricFamily(
            "triage_metrics_database_up",
            "1 when this scrape read the cluster's state from the database; 0 when the read failed or took "
            "longer than TRIAGE_METRICS_DB_TIMEOUT (the cluster series are then absent).",
        )
        up.add_metric([], 0 if state is None else 1)
        yield up
        took = GaugeMetricFamily(
            "triage_metrics_database_read_seconds", "How long this scrape's read of the cluster's state took."
        )
        took.add_metric([], self.reading.seconds)
        yield took
        if state is not None:
            yield from self._queues(state)
            yield from self._workers(state)
            yield from self._outcomes(state)

    def _queues(self, state: ClusterState) -> Iterator[Metric]:
        counts: dict[tuple[str, str], float] = {(q, s): 0 for q in KNOWN_QUEUES for s in ops.JOB_STATUSES}
        oldest: dict[str, float] = dict.fromkeys(KNOWN_QUEUES, 0.0)
        for row in state.queues:
            queue = queue_label(row.queue_name)
            for status in ops.JOB_STATUSES:
                counts[queue, status] = counts.get((queue, status), 0) + getattr(row, status)
            oldest[queue] = max(oldest.get(queue, 0.0), row.oldest_waiting_s or 0.0)
        finished = dict.fromkeys(oldest, 0.0)
        failed = dict.fromkeys(oldest, 0.0)
        for window in state.recent:
            queue = queue_label(window.queue_name)
            finished[queue] = finished.get(queue, 0) + window.finished
            failed[queue] = failed.get(queue, 0) + window.failed

        jobs = GaugeMetricFamily(
            "triage_queue_jobs",
            "Jobs by queue and status, every tenant's (finished ones are kept TRIAGE_JOB_RETENTION_HOURS).",
            labels=["queue", "status"],
        )
        for (queue, job_status), value in sorted(counts.items()):
            jobs.add_metric([queue, job_status], value)
        yield jobs
        yield _per_queue(
            "triage_queue_oldest_waiting_seconds",
            "Age of the oldest job that may run now and waits for a worker; 0 when none waits.",
            oldest,
        )
        yield _per_queue(
            "triage_queue_jobs_finished_5m", "Jobs that ended (any result) in the last 5 minutes.", finished
        )
        yield _per_queue(
            "triage_queue_jobs_failed_5m",
            "Jobs that failed for good (retries exhausted) or were aborted in the last 5 minutes.",
            failed,
        )

    def _workers(self, state: ClusterState) -> Iterator[Metric]:
        live = sum(1 for w in state.workers if w.silent_for_s < self.stalled_after)
        workers = GaugeMetricFamily(
            "triage_workers_live", "Workers that sent a heartbeat within TRIAGE_WORKER_STALLED_SECONDS."
        )
        workers.add_metric([], live)
        yield workers
        silent = GaugeMetricFamily(
            "triage_workers_silent",
            "Registered workers silent for longer than that (dead; recovery removes them within seconds).",
        )
        silent.add_metric([], len(state.workers) - live)
        yield silent
        stalled = GaugeMetricFamily(
            "triage_jobs_stalled", "Running jobs whose worker is gone or silent (recovery re-queues them)."
        )
        stalled.add_metric([], state.stalled_jobs)
        yield stalled

    def _outcomes(self, state: ClusterState) -> Iterator[Metric]:
        totals: dict[tuple[str, str], float] = {(a, d): 0 for a in ACUITIES for d in DISPOSITIONS}
        for row in state.outcomes:
            acuity = str(row.acuity) if str(row.acuity) in ACUITIES else OTHER
            disposition = row.disposition if row.disposition in DISPOSITIONS else OTHER
            totals[acuity, disposition] = totals.get((acuity, disposition), 0) + row.outcomes
        outcomes = CounterMetricFamily(
            "triage_outcomes",
            "Outcomes written, by acuity (ESI 1-5) and disposition, every tenant's, since the database began.",
            labels=["acuity", "disposition"],
        )
        for (acuity, disposition), value in sorted(totals.items()):
            outcomes.add_metric([acuity, disposition], value)
        yield outcomes


def _per_queue(name: str, documentation: str, values: dict[str, float]) -> GaugeMetricFamily:
    family = GaugeMetricFamily(name, documentation, labels=["queue"])
    for queue, value in sorted(values.items()):
        family.add_metric([queue], value)
    return family
