"""Keep N child processes running: start them, restart any that dies, stop them all on a signal.

`triage worker --processes N` and `triage dev` use it. A child that exits on its own (a crash, an OOM
kill, `kill -9`) is started again after a back-off that doubles with each quick death (up to 30 s) and
resets once the child has run for a minute. On SIGTERM/SIGINT the children get SIGTERM and their own
graceful shutdown time; those still running after it are killed.
"""

from __future__ import annotations

import signal
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from runtime.logging import get_logger

log = get_logger("triage.supervisor")

FIRST_BACKOFF_SECONDS = 1.0
MAX_BACKOFF_SECONDS = 30.0
HEALTHY_RUN_SECONDS = 60.0


@dataclass
class Child:
    name: str
    argv: list[str]
    process: subprocess.Popen[bytes] | None = None
    started_at: float = 0.0
    backoff: float = FIRST_BACKOFF_SECONDS
    restart_at: float | None = None
    restarts: int = field(default=0)

    def start(self) -> None:
        self.process = subprocess.Popen(self.argv)  # noqa: S603 (our own interpreter and arguments)
        self.started_at = time.monotonic()
        self.restart_at = None
        log.info("child started", child=self.name, pid=self.process.pid)


class Supervisor:
    def __init__(
        self, children: list[Child], *, shutdown_seconds: float, on_exit: Callable[[int], None] | None = None
    ) -> None:
        self.children = children
        self.shutdown_seconds = shutdown_seconds
        self._stopping = False
        # Told the pid of every child that ended (the metrics' multiprocess bookkeeping, runtime.metrics).
        self.on_exit = on_exit

    def request_stop(self, _signum: int = 0, _frame: object = None) -> None:
        self._stopping = True

    def start_all(self) -> None:
        signal.signal(signal.SIGTERM, self.request_stop)
        signal.signal(signal.SIGINT, self.request_stop)
        for child in self.children:
            child.start()

    def supervise(self) -> None:
        """Restart children that die, until a stop signal; then stop every child."""
        try:
            while not self._stopping:
                self._tend(time.monotonic())
                time.sleep(0.2)
        finally:
            self.stop_all()

    def run(self) -> None:
        self.start_all()
        self.supervise()

    def _tend(self, now: float) -> None:
        for child in self.children:
            if child.restart_at is not None:
                if now >= child.restart_at:
                    child.restarts += 1
                    child.start()
                continue
            assert child.process is not None
            code = child.process.poll()
            if code is None:
                continue
            if now - child.started_at > HEALTHY_RUN_SECONDS:
                child.backoff = FIRST_BACKOFF_SECONDS
            log.warning("child exited; restarting", child=child.name, exit_code=code, restart_in_s=child.backoff)
            self._exited(child.process.pid)
            child.restart_at = now + child.backoff
            child.backoff = min(child.backoff * 2, MAX_BACKOFF_SECONDS)

    def _exited(self, pid: int) -> None:
        if self.on_exit is not None:
            self.on_exit(pid)

    def stop_all(self) -> None:
        running = [c.process for c in self.children if c.process is not None and c.process.poll() is None]
        for process in running:
            process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + self.shutdown_seconds + 5
        for process in running:
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            self._exited(process.pid)
