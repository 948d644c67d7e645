"""The engine runs in a child process: the event loop stays free, and a runaway run is stopped."""

from __future__ import annotations

import asyncio
import multiprocessing
import time
from multiprocessing.connection import wait

import pytest

from tasks.engine_process import assess_payload
from tasks.engine_runner import EngineRunner, EngineTimeout

INTAKE = {"age": 70, "urgency": "high", "symptoms": ["crushing chest pain", "sweating"], "vitals": {"heart_rate": 120}}
LONG_NOTE = "patient denies fever but reports chest pain radiating to the left arm and nausea. " * 48


async def test_the_child_gives_the_same_answer_as_the_engine_inline() -> None:
    runner = EngineRunner(processes=1, timeout_seconds=30)
    try:
        assert await runner.assess(INTAKE) == assess_payload(INTAKE)
    finally:
        runner.close()


async def test_the_event_loop_keeps_turning_while_the_engine_works() -> None:
    runner = EngineRunner(processes=1, timeout_seconds=30)
    try:
        await runner.assess(INTAKE)  # the child process is started
        ticks = 0
        stop = False

        async def heartbeat() -> None:
            nonlocal ticks
            while not stop:
                ticks += 1
                await asyncio.sleep(0.001)

        beating = asyncio.create_task(heartbeat())
        started = time.monotonic()
        for _ in range(5):
            await runner.assess({**INTAKE, "notes": LONG_NOTE[:4000]})
        elapsed = time.monotonic() - started
        stop = True
        await beating
        # The loop ran its heartbeat all along (inline, it would get no turn during each run).
        assert ticks > elapsed / 0.01
    finally:
        runner.close()


async def test_a_run_past_its_time_limit_is_stopped_and_the_runner_recovers() -> None:
    runner = EngineRunner(processes=1, timeout_seconds=0.000_001)
    try:
        with pytest.raises(EngineTimeout):
            await runner.assess(INTAKE)
        runner.timeout_seconds = 30
        assert (await runner.assess(INTAKE)).acuity == assess_payload(INTAKE).acuity
    finally:
        runner.close()


async def test_waiting_for_a_free_process_does_not_count_against_the_limit() -> None:
    runner = EngineRunner(processes=1, timeout_seconds=30)
    await runner.start()
    try:
        note = {**INTAKE, "notes": LONG_NOTE[:4000]}
        started = time.monotonic()
        for _ in range(5):
            await runner.assess(note)
        one_run = max((time.monotonic() - started) / 5, 0.001)
        # A limit far above any single run (no run is cut on a busy machine), and enough runs queued behind
        # the one process that together they take longer than it: only the wait could exceed the limit.
        runner.timeout_seconds = 2.0
        count = min(2000, int(3.0 / one_run) + 1)
        for _ in range(4):  # the first runs may have been slow (a busy machine): queue more until they must wait
            started = time.monotonic()
            results = await asyncio.gather(*(runner.assess(note) for _ in range(count)))
            assert len(results) == count  # none was cut, however long it waited
            if time.monotonic() - started > runner.timeout_seconds:
                break
            count *= 2
        assert time.monotonic() - started > runner.timeout_seconds
    finally:
        runner.close()


async def test_the_engine_works_in_a_child_process_not_in_the_worker() -> None:
    note = {**INTAKE, "notes": LONG_NOTE * 16}
    started = time.process_time()
    assess_payload(note)
    inline_cpu = time.process_time() - started
    runner = EngineRunner(processes=1, timeout_seconds=30)
    await runner.start()
    try:
        started = time.process_time()
        await runner.assess(note)
        # CPU time, not wall time: what this process spent while the run went on elsewhere (pickling, waiting).
        assert time.process_time() - started < inline_cpu / 3
    finally:
        runner.close()


async def test_a_runaway_run_is_killed_not_left_to_finish() -> None:
    before = set(multiprocessing.active_children())
    runner = EngineRunner(processes=1, timeout_seconds=30)
    await runner.start()
    engine_processes = set(multiprocessing.active_children()) - before
    assert engine_processes
    runner.timeout_seconds = 0.5
    try:
        with pytest.raises(EngineTimeout):
            await runner.assess({**INTAKE, "notes": LONG_NOTE * 512})  # about ten seconds of engine work
        # Killed at once; left alone, the process would stay busy with the run for seconds more. Its sentinel
        # is ready once it has exited (read without reaping it, which the pool's own thread may be doing).
        exited = wait([process.sentinel for process in engine_processes], timeout=3)
        assert len(exited) == len(engine_processes)
    finally:
        runner.close()
