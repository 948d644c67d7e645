"""The system under test for one fault scenario: a throwaway PostgreSQL, `triage api`, `triage worker`s."""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import signal
import subprocess
import time
from pathlib import Path

import psutil  # type: ignore[import-untyped]
import psycopg

from runtime.cli import create_key
from store.migrate import apply_migrations
from store.pool import app_conninfo
from tests.faults.checker import FaultMark
from tests.faults.postgres import ThrowawayPostgres
from tests.helpers import ProcessGroup, child_env, make_settings

TENANT = "faults"
SCOPES = ("intake:write", "intake:read")
# The query text of Procrastinate's LISTEN connections (until their first idle `SELECT 1`, after 30 s); not the
# API's own LISTEN connection (api.intakes.listener), whose cut and return would otherwise count as a worker's.
LISTEN_BACKENDS = "query ILIKE 'LISTEN %procrastinate_queue%'"
ALERT_LEVELS = ("warning", "error", "critical")


class FaultStack:
    def __init__(self, pg: ThrowawayPostgres, processes: ProcessGroup, database_url: str, token: str) -> None:
        self.pg = pg
        self.processes = processes
        self.database_url = database_url  # the superuser's URL: the checker's view bypasses RLS
        self.token = token
        self.workers: dict[str, subprocess.Popen[bytes]] = {}

    @classmethod
    async def create(cls, pg: ThrowawayPostgres, log_dir: Path) -> FaultStack:
        database_url = pg.create_database("triage")
        apply_migrations(database_url)
        settings = make_settings(database_url)
        # As tests/conftest.py's make_key does.
        async with await psycopg.AsyncConnection.connect(app_conninfo(database_url)) as conn:
            token, _ = await create_key(conn, settings, TENANT, "faults-load", list(SCOPES), None)
            await conn.commit()
        return cls(pg, ProcessGroup(log_dir), database_url, token)

    def env(self, **extra: str) -> dict[str, str]:
        # No rate limit: the load generator is one key sending as fast as the API answers.
        return child_env(self.database_url, TRIAGE_RATE_LIMIT_PER_MINUTE="0", TRIAGE_POOL_MAX="16", **extra)

    def start_api(self) -> str:
        return self.processes.start_api(self.env())

    def start_worker(self, name: str, *, concurrency: int = 4) -> subprocess.Popen[bytes]:
        proc = self.processes.start(["worker", "--concurrency", str(concurrency), "--name", name], self.env(), name)
        self.workers[name] = proc
        return proc

    async def wait_workers_ready(self, count: int, timeout: float = 30.0) -> None:
        """Until `count` workers have registered with Procrastinate (each heartbeats in its own row)."""
        deadline = time.monotonic() + timeout
        while True:
            async with await psycopg.AsyncConnection.connect(self.database_url, autocommit=True) as conn:
                row = await (await conn.execute("SELECT count(*) FROM procrastinate_workers")).fetchone()
            if row is not None and row[0] >= count:
                return
            exited = {name: p.returncode for name, p in self.workers.items() if p.poll() is not None}
            assert not exited, f"worker(s) exited while starting: {exited}\n{self.log_tail()}"
            assert time.monotonic() < deadline, f"{row} of {count} workers registered\n{self.log_tail()}"
            await asyncio.sleep(0.1)

    def thaw_workers(self) -> None:
        for proc in self.workers.values():
            if proc.poll() is None:
                proc.send_signal(signal.SIGCONT)

    def dead_workers(self) -> dict[str, int | None]:
        return {name: proc.returncode for name, proc in self.workers.items() if proc.poll() is not None}

    def signal_worker(self, name: str, signum: signal.Signals) -> None:
        """SIGKILL takes the whole process tree (a supervised worker's children too): the machine is gone.
        Other signals go to the process itself, as a process manager would send them."""
        proc = self.workers[name]
        children: list[psutil.Process] = []
        if signum == signal.SIGKILL:
            with contextlib.suppress(psutil.NoSuchProcess):
                children = psutil.Process(proc.pid).children(recursive=True)
        proc.send_signal(signum)
        for child in children:
            with contextlib.suppress(psutil.NoSuchProcess):
                child.send_signal(signum)

    def mark_fault(self, name: str) -> FaultMark:
        server = self.pg.server_now()
        return FaultMark(name=name, wall=time.time(), monotonic=time.monotonic(), server=server)

    async def inflight_claims(self, worker: str) -> int:
        """Intakes this worker claimed (audited intake.read) but has not written an outcome for."""
        async with await psycopg.AsyncConnection.connect(self.database_url, autocommit=True) as conn:
            row = await (
                await conn.execute(
                    "SELECT count(DISTINCT c.resource_id) FROM audit_events c"
                    " WHERE c.actor = %(actor)s AND c.action = 'intake.read' AND NOT EXISTS ("
                    "   SELECT FROM audit_events w WHERE w.actor = %(actor)s AND w.action = 'outcome.write'"
                    "   AND w.resource_id = c.resource_id)",
                    {"actor": f"worker:{worker}"},
                )
            ).fetchone()
        return int(row[0]) if row else 0

    async def claims(self, worker: str) -> int:
        async with await psycopg.AsyncConnection.connect(self.database_url, autocommit=True) as conn:
            row = await (
                await conn.execute(
                    "SELECT count(DISTINCT resource_id) FROM audit_events WHERE actor = %s AND action = 'intake.read'",
                    (f"worker:{worker}",),
                )
            ).fetchone()
        return int(row[0]) if row else 0

    async def freeze_when_busy(self, worker: str, timeout: float = 20.0) -> int:
        """SIGSTOP `worker` at a moment it holds claimed intakes, counted while it is stopped (so it cannot
        finish them in between); returns how many. The caller then signals it (and SIGCONTs it if that
        signal must be handled). At the deadline the worker is left running and 0 is returned."""
        proc = self.workers[worker]
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if await self.inflight_claims(worker):
                proc.send_signal(signal.SIGSTOP)
                # A COMMIT the worker sent just before it stopped still lands: let it, then count.
                await asyncio.sleep(0.3)
                inflight = await self.inflight_claims(worker)
                if inflight:
                    return inflight
                proc.send_signal(signal.SIGCONT)  # it finished them meanwhile: try again
            await asyncio.sleep(0.01)
        return 0

    def log_tail(self, lines: int = 12) -> str:
        """Per process: its last warnings and errors, then its last lines (JSON logs are long)."""
        sections = []
        for _, path in self.processes.procs:
            try:
                text = path.read_text(errors="replace").splitlines()
            except OSError:
                continue
            problems = [line for line in text if any(f'"level":"{lvl}"' in line for lvl in ALERT_LEVELS)]
            sections.append(
                f"--- {path.name}: last {lines} warnings/errors of {len(problems)} ---\n"
                + "\n".join(line[:600] for line in problems[-lines:])
                + f"\n--- {path.name}: last 3 lines ---\n"
                + "\n".join(line[:600] for line in text[-3:])
            )
        sections.append(self.pg.log_tail(lines))
        return "\n".join(sections)

    def keep_artifacts(self, folder: Path) -> None:
        """Copy the processes' and the server's logs to `folder` (FAULTS_ARTIFACTS)."""
        folder.mkdir(parents=True, exist_ok=True)
        for _, path in self.processes.procs:
            with contextlib.suppress(OSError):
                shutil.copy(path, folder / path.name)
        with contextlib.suppress(OSError):
            shutil.copy(self.pg.log_path, folder / "postgres.log")
