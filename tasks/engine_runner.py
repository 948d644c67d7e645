"""The engine runs in a child process, off the worker's event loop, with a time limit per run.

A long note costs the engine a noticeable fraction of a second of pure CPU; run on the event loop it
would hold up the worker's other jobs and its heartbeat (a worker that stops heart-beating is treated as
dead and its jobs are recovered elsewhere). A process, unlike a thread, can be stopped when a run
exceeds its limit: the pool is torn down and rebuilt, and the run fails like any other error.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import signal
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any

import structlog

import triage as engine
from tasks.engine_input import intake_for_engine
from triage.models import ESCALATION_POLICIES, Disposition, EscalationPolicy

log = structlog.stdlib.get_logger(__name__)


class EngineTimeout(Exception):
    """The engine did not finish within its time limit (TRIAGE_ENGINE_TIMEOUT)."""


@dataclass(frozen=True, slots=True)
class EngineResult:
    acuity: int
    disposition: Disposition
    assessment: dict[str, Any]
    engine_name: str
    engine_version: str


def policy_for_engine(value: str) -> EscalationPolicy:
    """A tenant's stored escalation policy (tenants.escalation_policy) as the engine's type."""
    for policy in ESCALATION_POLICIES:
        if value == policy:
            return policy
    raise ValueError("unknown escalation policy")  # the column's CHECK allows only the engine's policies


def assess_payload(payload: dict[str, Any], policy: str = "escalate") -> EngineResult:
    """Stored intake payload and its tenant's escalation policy → what the worker writes back. Pure; runs in the
    child process (plain arguments, pickled to it)."""
    assessment = engine.assess(intake_for_engine(payload), policy=policy_for_engine(policy))
    return EngineResult(
        acuity=assessment.acuity,
        disposition=assessment.disposition,
        assessment=assessment.to_dict(),
        engine_name=assessment.engine.name,
        engine_version=assessment.engine.version,
    )


def _ignore_interrupts() -> None:
    """Ctrl-C reaches the whole process group; the worker, not its engine children, decides when they stop."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _warm_up() -> None:
    """Busy for a moment, so that each of a pool's processes gets one (and has imported the engine)."""
    time.sleep(0.2)


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
        await asyncio.gather(*(loop.run_in_executor(pool, _warm_up) for _ in range(self.processes)))

    def _pool(self) -> ProcessPoolExecutor:
        if self._executor is None:
            # spawn: the child starts clean, without the parent's event loop, sockets or pool threads.
            self._executor = ProcessPoolExecutor(
                self.processes, mp_context=multiprocessing.get_context("spawn"), initializer=_ignore_interrupts
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
