"""The engine runs in a child process, off the worker's event loop, with a time limit per run.

A long note costs the engine a noticeable fraction of a second of pure CPU; run on the event loop it
would hold up the worker's other jobs and its heartbeat (a worker that stops heart-beating is treated as
dead and its jobs are recovered elsewhere). A process, unlike a thread, can be stopped when a run
exceeds its limit: the pool is torn down and rebuilt, and the run fails like any other error.
"""

from __future__ import annotations

import asyncio
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

import structlog

from tasks.engine_process import EngineResult, assess_payload, ignore_interrupts, warm_up

log = structlog.stdlib.get_logger(__name__)


class EngineTimeout(Exception):
    """The engine did not finish within its time limit (TRIAGE_ENGINE_TIMEOUT)."""


class EngineRunner:
    """A small process pool shared by a worker's concurrent jobs.

    The time limit covers the run only: a job waits for a free process first (at most `processes` runs are
    handed to the pool at once), and the processes are started before the first job (`start`), because a
    busy machine can take seconds to start one.
    """

    def __init__(self, *, processes: int, timeout_seconds: float) -> None:
        self.processes = processes
        self.timeout_seconds = timeout_seconds
        self._executor: ProcessPoolExecutor | None = None
        self._slots = asyncio.Semaphore(processes)

    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        pool = self._pool()
        await asyncio.gather(*(loop.run_in_executor(pool, warm_up) for _ in range(self.processes)))

    def _pool(self) -> ProcessPoolExecutor:
        if self._executor is None:
            # spawn: the child starts clean, without the parent's event loop, sockets or pool threads.
            self._executor = ProcessPoolExecutor(
                self.processes, mp_context=multiprocessing.get_context("spawn"), initializer=ignore_interrupts
            )
        return self._executor

    async def assess(self, payload: dict[str, Any], policy: str = "escalate") -> EngineResult:
        loop = asyncio.get_running_loop()
        async with self._slots:
            future = loop.run_in_executor(self._pool(), assess_payload, payload, policy)
            try:
                async with asyncio.timeout(self.timeout_seconds):
                    return await future
            except TimeoutError:
                log.error("engine run exceeded its time limit; restarting the engine processes")
                self._restart()
                raise EngineTimeout from None
            except BrokenProcessPool:
                # Another run's timeout (or a crash) tore the pool down under this one: not this intake's fault.
                self._restart()
                raise

    def _restart(self) -> None:
        executor, self._executor = self._executor, None
        if executor is None:
            return
        for process in list(getattr(executor, "_processes", {}).values()):
            process.kill()  # a runaway run cannot be cancelled any other way
        executor.shutdown(wait=False, cancel_futures=True)

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None
