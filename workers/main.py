"""A worker process: one pool, one Procrastinate worker, graceful shutdown on SIGINT/SIGTERM.

Procrastinate installs the signal handlers: on the first signal it stops fetching and waits for the
running jobs (up to `shutdown_graceful_timeout`), then the pool closes.
"""

from __future__ import annotations

import asyncio
import os
import socket

import structlog

from runtime.logging import configure_logging
from runtime.settings import Settings
from store.pool import open_pool
from tasks.queue import create_queue_app
from tasks.triage import TRIAGE_QUEUE

log = structlog.stdlib.get_logger(__name__)

SHUTDOWN_GRACE_SECONDS = 30.0


async def run_worker(settings: Settings, *, concurrency: int = 4, name: str | None = None) -> None:
    worker_name = name or f"{socket.gethostname()}-{os.getpid()}"
    structlog.contextvars.bind_contextvars(worker=worker_name)
    queue_app = create_queue_app()
    # Each concurrent job holds at most one connection; one more for Procrastinate's own queries.
    async with (
        open_pool(settings.database_url, min_size=1, max_size=concurrency + 2, name=f"worker-{worker_name}") as pool,
        queue_app.open_async(pool),
    ):
        log.info("worker starting", concurrency=concurrency, queues=[TRIAGE_QUEUE])
        await queue_app.run_worker_async(
            name=worker_name,
            queues=[TRIAGE_QUEUE],
            concurrency=concurrency,
            additional_context={"pool": pool},
            shutdown_graceful_timeout=SHUTDOWN_GRACE_SECONDS,
            fetch_job_polling_interval=2.0,
        )
    log.info("worker stopped")


def main(settings: Settings, *, concurrency: int, name: str | None = None) -> None:
    configure_logging(log_format=settings.log_format, level=settings.log_level)
    asyncio.run(run_worker(settings, concurrency=concurrency, name=name))
