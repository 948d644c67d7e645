"""A worker process: survives database outages, recovers from its own crashes, shuts down gracefully.

Procrastinate's worker stops when its database connection fails (a fetch, a heartbeat or the LISTEN
connection raises). Here that is never fatal: the worker is started again on a fresh pool with an
exponential back-off, logging how long the database has been unreachable, until it answers again. Jobs
that were running when the connection went are finished by the recovery of stalled jobs (tasks.maintenance)
if the worker could not record their end.

Signals: the first SIGTERM/SIGINT stops fetching and lets running jobs finish for up to
TRIAGE_WORKER_SHUTDOWN_TIMEOUT seconds, then the process exits 0; a second one exits at once (the jobs
it abandons are recovered like a killed worker's).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import signal
import socket
import time

import structlog

from runtime.logging import configure_logging
from runtime.metrics import serve_worker_metrics
from runtime.settings import Settings
from store.pool import open_pool
from tasks.engine_runner import EngineRunner
from tasks.maintenance import MAINTENANCE_QUEUE
from tasks.queue import create_queue_app
from tasks.triage import TRIAGE_QUEUE
from tasks.webhooks import WEBHOOK_QUEUE

log = structlog.stdlib.get_logger(__name__)

QUEUES = [TRIAGE_QUEUE, MAINTENANCE_QUEUE, WEBHOOK_QUEUE]
FIRST_BACKOFF_SECONDS = 0.5
# Short: a worker should notice within seconds that the database is back (an attempt costs one connection).
MAX_BACKOFF_SECONDS = 5.0
# A worker that ran this long before failing starts its back-off from the beginning again.
HEALTHY_RUN_SECONDS = 60.0


async def run_worker(settings: Settings, *, concurrency: int = 4, name: str | None = None) -> None:
    worker_name = name or f"{socket.gethostname()}-{os.getpid()}"
    structlog.contextvars.bind_contextvars(worker=worker_name)
    stopping = asyncio.Event()
    _install_signal_handlers(stopping)
    engine = EngineRunner(
        processes=max(1, min(concurrency, os.cpu_count() or 1)), timeout_seconds=settings.engine_timeout_seconds
    )
    backoff = FIRST_BACKOFF_SECONDS
    unreachable_since: float | None = None
    try:
        await engine.start()
        while not stopping.is_set():
            started = time.monotonic()
            try:
                await _run_once(settings, worker_name, concurrency, engine, stopping)
                unreachable_since = None
            except Exception as exc:
                _mark_ready(settings, ready=False)
                now = time.monotonic()
                if now - started > HEALTHY_RUN_SECONDS:
                    backoff = FIRST_BACKOFF_SECONDS
                unreachable_since = unreachable_since or now
                wait = backoff / 2 + random.uniform(0, backoff / 2)  # noqa: S311 (jitter)
                log.warning(
                    "worker lost the database; starting again",
                    error=type(exc).__name__,
                    unreachable_for_s=round(now - unreachable_since, 1),
                    retry_in_s=round(wait, 1),
                )
                backoff = min(backoff * 2, MAX_BACKOFF_SECONDS)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stopping.wait(), timeout=wait)
    finally:
        _mark_ready(settings, ready=False)
        engine.close()
    log.info("worker stopped")


async def _run_once(
    settings: Settings, worker_name: str, concurrency: int, engine: EngineRunner, stopping: asyncio.Event
) -> None:
    """One life of the Procrastinate worker, on a fresh pool and app; returns when asked to stop."""
    queue_app = create_queue_app()
    # Each concurrent job holds at most one connection; two more for Procrastinate's own queries
    # (fetch, heartbeat, periodic deferrer). LISTEN uses a connection of its own.
    async with (
        open_pool(
            settings.app_database_url,
            min_size=1,
            max_size=concurrency + 2,
            name=f"worker-{worker_name}",
            checkout_timeout=settings.db_timeout_seconds,
        ) as pool,
        queue_app.open_async(pool),
    ):
        log.info("worker starting", concurrency=concurrency, queues=QUEUES)
        _mark_ready(settings, ready=True)  # the pool opened: the database answers
        worker = asyncio.create_task(
            queue_app.run_worker_async(
                name=worker_name,
                queues=QUEUES,
                concurrency=concurrency,
                additional_context={"pool": pool, "engine": engine},
                shutdown_graceful_timeout=settings.worker_shutdown_seconds,
                fetch_job_polling_interval=settings.worker_poll_seconds,
                update_heartbeat_interval=settings.worker_heartbeat_seconds,
                stalled_worker_timeout=settings.worker_stalled_seconds,
                install_signal_handlers=False,  # ours (below) also handle a signal between two lives
            )
        )
        stop_requested = asyncio.create_task(stopping.wait())
        await asyncio.wait({worker, stop_requested}, return_when=asyncio.FIRST_COMPLETED)
        stop_requested.cancel()
        if not worker.done():
            # Cancelling Procrastinate's worker is its graceful stop: no new fetches, running jobs finish
            # (up to shutdown_graceful_timeout), then it unregisters.
            worker.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await worker
        if not stopping.is_set():
            raise RuntimeError("the worker stopped by itself")  # a failed side task: start again


def _mark_ready(settings: Settings, *, ready: bool) -> None:
    """The worker's readiness, for a healthcheck that cannot see its logs: the file exists while it works."""
    path = settings.worker_ready_file
    if path is None:
        return
    if ready:
        path.write_text(f"{os.getpid()}\n")
    else:
        path.unlink(missing_ok=True)


def _install_signal_handlers(stopping: asyncio.Event) -> None:
    loop = asyncio.get_running_loop()

    def on_signal(signum: int) -> None:
        if stopping.is_set():
            log.warning("second stop signal: exiting now", signal=signal.Signals(signum).name)
            os._exit(1)  # the abandoned jobs are recovered like a killed worker's
        log.info("stop signal: finishing running jobs", signal=signal.Signals(signum).name)
        stopping.set()

    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, on_signal, signum)


def main(settings: Settings, *, concurrency: int, name: str | None = None) -> None:
    configure_logging(log_format=settings.log_format, level=settings.log_level)
    # TRIAGE_WORKER_METRICS_PORT (off by default): this worker's own /metrics, for hosts without an API.
    serve_worker_metrics(settings.worker_metrics_port, settings.worker_metrics_host)
    asyncio.run(run_worker(settings, concurrency=concurrency, name=name))
