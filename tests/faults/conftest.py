"""Fault-injection fixtures: each test gets its own PostgreSQL, which it may stop, restart or cut.

`make test` runs them with the rest of the suite (about 8 minutes of it); alone:
`.venv/bin/pytest tests/faults -s -q`; without them: `.venv/bin/pytest -m "not faults"`.
Environment: FAULTS_REPORT=<file> appends each scenario's line to it; FAULTS_ARTIFACTS=<folder> keeps
every scenario's process and server logs there (the test's own folder is always removed).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import AsyncIterator, Generator
from pathlib import Path

import pytest

from tests.faults.postgres import ThrowawayPostgres
from tests.faults.stack import FaultStack

CALL_FAILED = pytest.StashKey[bool]()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    if report.when == "call":
        item.stash[CALL_FAILED] = report.failed
    return report


@pytest.fixture
async def stack(request: pytest.FixtureRequest) -> AsyncIterator[FaultStack]:
    pg = ThrowawayPostgres()
    fault_stack: FaultStack | None = None
    try:
        pg.start()
        log_dir = pg.root / "logs"
        log_dir.mkdir()
        fault_stack = await FaultStack.create(pg, log_dir)
        yield fault_stack
    finally:
        try:
            if fault_stack is not None:
                if request.node.stash.get(CALL_FAILED, False):
                    print(f"\n{request.node.name}: process logs\n{fault_stack.log_tail()}", flush=True)
                fault_stack.thaw_workers()  # a test that failed between SIGSTOP and its signal
                fault_stack.processes.stop()
                artifacts = os.environ.get("FAULTS_ARTIFACTS")
                if artifacts:
                    fault_stack.keep_artifacts(Path(artifacts) / request.node.name)
        finally:
            pg.destroy()
            shutil.rmtree(pg.root, ignore_errors=True)
