"""A worker's engine processes hold the engine and nothing else of the service.

They are spawned, and a spawned child imports its parent's main script before the function it runs; with
the CLI module as that script each engine process loaded the whole service (about 65 MB instead of 20). The
engine is pure standard library, so an engine process that maps any library from site-packages has
imported something it does not need.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from tests.helpers import ProcessGroup, child_env

PROGRAMS = {
    "the console script": [str(Path(sys.executable).with_name("triage"))],
    "python -m runtime": [sys.executable, "-m", "runtime"],
}


def _site_packages_libraries(process: psutil.Process) -> set[str]:
    return {Path(m.path).name for m in process.memory_maps() if "site-packages" in m.path}


def _engine_processes(worker: subprocess.Popen[bytes], logs: ProcessGroup) -> list[psutil.Process]:
    """The worker's engine processes, once each has run a first call (the worker logs "worker starting" after
    its engine pool is warm: every process has imported what it imports)."""
    deadline = time.monotonic() + 60
    while "worker starting" not in logs.logs():
        assert worker.poll() is None and time.monotonic() < deadline, logs.logs()
        time.sleep(0.2)
    children = [
        child
        for child in psutil.Process(worker.pid).children(recursive=True)
        if "--multiprocessing-fork" in child.cmdline()  # the pool's processes, not its resource tracker
    ]
    assert children, logs.logs()
    return children


@pytest.mark.parametrize("program", PROGRAMS)
def test_engine_processes_load_no_library_of_the_service(
    database_url: str, processes: ProcessGroup, program: str
) -> None:
    worker = processes.start(["worker", "--concurrency", "2"], child_env(database_url), "worker", PROGRAMS[program])
    engines = _engine_processes(worker, processes)
    # What the check can see: the worker itself maps the service's compiled libraries.
    assert any(name.startswith("_pydantic_core.") for name in _site_packages_libraries(psutil.Process(worker.pid)))
    for engine in engines:
        assert _site_packages_libraries(engine) == set(), engine.cmdline()
