"""Per-process Prometheus metrics, shared by the API and the workers, and how a process group exposes them.

The metrics defined here are counted in the process that does the work: HTTP requests (the API's
middleware, api/metrics), accepted intakes (api/intakes/service.py), engine runs (tasks/triage.py) and
database pool usage (sampled from psycopg_pool's `get_stats()`). The cluster's state, read from the
database at scrape time, is the API's (api/metrics/cluster.py).

Several processes on one host: with `PROMETHEUS_MULTIPROC_DIR` set (before this module is imported),
prometheus_client keeps every value in memory-mapped files in that folder, one set per process, and
`process_registry()` merges them all. `triage dev` and `triage worker --processes N` set it up for their
children (`ProcessGroupMetrics`); the API's `/metrics` then shows the workers' engine runs too.

Labels are bounded and never carry patient data: method, route template, status, pool name, the
engine run's result. See docs/operations.md#metrics.
"""

from __future__ import annotations

import atexit
import multiprocessing
import os
import shutil
import tempfile
import weakref
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Protocol

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"

# The engine's child processes (multiprocessing, tasks/engine_runner.py) import this module too (while
# spawning, before their parent is known: hence the name), and count nothing: they must not add a set of
# files per child to the multiprocess folder. prometheus_client picks its storage when it is imported.
if multiprocessing.current_process().name != "MainProcess" or multiprocessing.parent_process() is not None:
    os.environ.pop(MULTIPROC_ENV, None)

from prometheus_client import (  # noqa: E402
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    disable_created_metrics,
)
from prometheus_client.multiprocess import MultiProcessCollector, mark_process_dead  # noqa: E402
from prometheus_client.registry import Collector  # noqa: E402

from runtime.logging import get_logger  # noqa: E402

log = get_logger("triage.metrics")

WORKER_PORT_ENV = "TRIAGE_WORKER_METRICS_PORT"

# `<name>_created` series double the series count and tell operators nothing here.
disable_created_metrics()  # type: ignore[no-untyped-call]

HTTP_REQUESTS = Counter(
    "triage_http_requests",
    "HTTP requests answered by this API process, by method, route template and status.",
    ["method", "route", "status"],
)
HTTP_DURATION = Histogram(
    "triage_http_request_duration_seconds",
    "Time from a request's arrival to the end of its response, by method and route template.",
    ["method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
INTAKES_ACCEPTED = Counter(
    "triage_intakes_accepted",
    "Intakes stored and queued for triage (a replay of an Idempotency-Key is not counted again).",
)
REVIEW_DELAY = Histogram(
    "triage_review_delay_seconds",
    "Time from an outcome being written to its first clinician review (confirm or override).",
    buckets=(60, 300, 900, 1800, 3600, 4 * 3600, 12 * 3600, 24 * 3600, 3 * 24 * 3600, 7 * 24 * 3600),
)
EngineResultLabel = Literal["ok", "error", "timeout"]
ENGINE_DURATION = Histogram(
    "triage_engine_duration_seconds",
    "One triage engine run in a worker (child process round trip included), by result.",
    ["result"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
PoolLabel = Literal["api", "worker"]
# Gauges of several processes on one host add up (`livesum`: the processes still running).
POOL_CONNECTIONS = Gauge(
    "triage_db_pool_connections",
    "Connections open in the database pool (in use + idle).",
    ["pool"],
    multiprocess_mode="livesum",
)
POOL_IDLE = Gauge(
    "triage_db_pool_idle_connections", "Open connections not in use.", ["pool"], multiprocess_mode="livesum"
)
POOL_MAX = Gauge(
    "triage_db_pool_max_connections", "Most connections the pool may open.", ["pool"], multiprocess_mode="livesum"
)
POOL_WAITING = Gauge(
    "triage_db_pool_waiting_requests",
    "Requests waiting for a connection right now.",
    ["pool"],
    multiprocess_mode="livesum",
)
POOL_ERRORS = Counter(
    "triage_db_pool_errors",
    "Requests for a connection that failed (waited past the timeout, or refused because too many waited).",
    ["pool"],
)


class _StatsSource(Protocol):
    def get_stats(self) -> dict[str, int]: ...


_errors_seen: weakref.WeakKeyDictionary[_StatsSource, int] = weakref.WeakKeyDictionary()


def sample_pool(pool: _StatsSource, name: PoolLabel) -> None:
    """Copy a pool's current usage into the pool metrics (cheap: psycopg_pool keeps the numbers)."""
    stats = pool.get_stats()
    POOL_CONNECTIONS.labels(name).set(stats.get("pool_size", 0))
    POOL_IDLE.labels(name).set(stats.get("pool_available", 0))
    POOL_MAX.labels(name).set(stats.get("pool_max", 0))
    POOL_WAITING.labels(name).set(stats.get("requests_waiting", 0))
    errors = stats.get("requests_errors", 0)
    new = errors - _errors_seen.get(pool, 0)
    counter = POOL_ERRORS.labels(name)  # exported from 0 on, so that rate() sees the first error
    if new > 0:
        counter.inc(new)
    _errors_seen[pool] = errors


def multiproc_dir() -> str | None:
    """The multiprocess folder this process writes to, or None (single-process mode)."""
    return os.environ.get(MULTIPROC_ENV) or None


def process_registry() -> Collector:
    """What this process exposes: its own metrics or, in multiprocess mode, those of every process
    sharing the folder (merged: counters and histograms added up, pool gauges summed over live ones)."""
    directory = multiproc_dir()
    if directory is None:
        return REGISTRY
    registry = CollectorRegistry()
    MultiProcessCollector(registry, path=directory)  # type: ignore[no-untyped-call]
    return registry


def _mark_self_dead() -> None:
    directory = multiproc_dir()
    if directory and os.path.isdir(directory):
        mark_process_dead(os.getpid(), directory)  # type: ignore[no-untyped-call]


# A process that exits drops its pool gauges from the sums (its counters stay: they were counted).
if multiproc_dir():
    atexit.register(_mark_self_dead)


def serve(port: int, host: str, registry: Collector) -> None:
    """A plain HTTP endpoint (any path) on a daemon thread: for workers, which have no API of their own.

    It has no authentication: bind it to an address only your Prometheus can reach.
    """
    from prometheus_client import start_http_server

    start_http_server(port, addr=host, registry=registry)
    log.info("metrics endpoint listening", host=host, port=port)


def serve_worker_metrics(port: int | None, host: str) -> None:
    """`triage worker` with TRIAGE_WORKER_METRICS_PORT: serve this process's metrics (or, in multiprocess
    mode, those of every process sharing the folder). Off by default."""
    if port is not None:
        serve(port, host, process_registry())


@dataclass
class ProcessGroupMetrics:
    """The multiprocess folder of a supervisor's children (`triage dev`, `triage worker --processes`)."""

    directory: Path | None
    owned: bool = False  # created here, removed at the end

    @classmethod
    def prepare(cls, *, default_dir: Path | None, needed: bool) -> ProcessGroupMetrics:
        """Set PROMETHEUS_MULTIPROC_DIR for the children about to be started.

        An operator's folder is used as it is (it must be empty when the group starts: a tmpfs, a
        systemd RuntimeDirectory). Otherwise `default_dir` is emptied and used, or, when the group's
        metrics are `needed` (someone will serve them), a temporary folder is created. Else nothing.
        """
        existing = multiproc_dir()
        if existing:
            Path(existing).mkdir(parents=True, exist_ok=True)
            return cls(Path(existing))
        if default_dir is not None:
            shutil.rmtree(default_dir, ignore_errors=True)
            default_dir.mkdir(parents=True)
            os.environ[MULTIPROC_ENV] = str(default_dir)
            return cls(default_dir)
        if needed:
            directory = Path(tempfile.mkdtemp(prefix="triage-metrics-"))
            os.environ[MULTIPROC_ENV] = str(directory)
            return cls(directory, owned=True)
        return cls(None)

    def registry(self) -> Collector:
        assert self.directory is not None
        registry = CollectorRegistry()
        MultiProcessCollector(registry, path=str(self.directory))  # type: ignore[no-untyped-call]
        return registry

    def child_exited(self, pid: int) -> None:
        """A child that died (even by SIGKILL) no longer counts in the pool gauges."""
        if self.directory is not None:
            mark_process_dead(pid, str(self.directory))  # type: ignore[no-untyped-call]

    def close(self) -> None:
        if self.owned and self.directory is not None:
            shutil.rmtree(self.directory, ignore_errors=True)
