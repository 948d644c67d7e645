"""The parts every benchmark starts: a throwaway PostgreSQL, this project's processes, and the baselines'.

Everything runs on this machine: the database on a Unix socket in a temporary folder (the embedded
pgserver binaries, default settings), the HTTP servers on loopback ports, and it is all stopped and deleted
when the `with` block ends.
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import psutil
import psycopg
from pydantic import SecretStr

from runtime.settings import Settings
from store.migrate import apply_migrations
from store.pool import app_conninfo

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def server_version(url: str) -> str:
    with psycopg.connect(url) as conn:
        row = conn.execute("SHOW server_version").fetchone()
    return str(row[0]) if row else "?"


@dataclass
class Database:
    """A throwaway PostgreSQL server and the URLs of its databases."""

    root: Path
    server: Any

    def processes(self) -> list[psutil.Process]:
        """The server's processes: the postmaster (its pid heads `postmaster.pid`) and its children."""
        try:
            postmaster = psutil.Process(int((self.root / "data" / "postmaster.pid").read_text().split()[0]))
            return [postmaster, *postmaster.children(recursive=True)]
        except (OSError, ValueError, psutil.NoSuchProcess):
            return []

    def url(self, database: str) -> str:
        from runtime.embedded_pg import database_url

        return database_url(self.server, database)

    @property
    def admin_url(self) -> str:
        return self.url("postgres")

    def create(self, database: str, *, migrate: bool = False) -> str:
        """A new, empty database (this project's migrations applied when `migrate`); its URL."""
        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{database}"')
        url = self.url(database)
        if migrate:
            apply_migrations(url)
        return url


@contextmanager
def throwaway_postgres(prefix: str = "triage-bench-") -> Iterator[Database]:
    from runtime.embedded_pg import start_embedded_postgres

    root = Path(tempfile.mkdtemp(prefix=prefix))
    server = start_embedded_postgres(root / "data", delete_on_exit=True)
    try:
        db = Database(root=root, server=server)
        with psycopg.connect(db.admin_url, autocommit=True) as conn:
            # Room for bulk loads without checkpoints every few seconds; nothing a query plan sees changes.
            conn.execute("ALTER SYSTEM SET max_wal_size = '8GB'")
            conn.execute("SELECT pg_reload_conf()")
        yield db
    finally:
        server.cleanup()
        shutil.rmtree(root, ignore_errors=True)


def project_env(url: str, pepper: str, **extra: str) -> dict[str, str]:
    """The environment of `triage api` / `triage worker` in a benchmark: production settings, no rate limit."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TRIAGE_", "DATABASE_URL", "MIGRATION_"))}
    env.update(
        {
            "DATABASE_URL": url,
            "TRIAGE_ENV": "production",
            "TRIAGE_KEY_PEPPER": pepper,
            "TRIAGE_RATE_LIMIT_PER_MINUTE": "0",
            "PYTHONPATH": str(ROOT),
        }
    )
    env.update(extra)
    return env


def new_pepper() -> str:
    return secrets.token_urlsafe(48)


async def mint_key(url: str, pepper: str, tenant: str, scopes: Sequence[str], **settings: Any) -> str:
    from runtime.cli import create_key

    config = Settings(database_url=SecretStr(url), environment="production", key_pepper=SecretStr(pepper), **settings)
    async with await psycopg.AsyncConnection.connect(app_conninfo(url)) as conn:
        token, _ = await create_key(conn, config, tenant, f"bench-{tenant}", list(scopes), None)
        await conn.commit()
    return token


@dataclass
class Process:
    """A started server or worker (with its children): readiness, memory, stop."""

    name: str
    popen: subprocess.Popen[bytes]
    log: Path
    base_url: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def rss_by_process(self) -> dict[int, float]:
        """MB of each process in the tree that serves (the top one too, unless it only supervises)."""
        return {p.pid: _rss(p) / 1_048_576 for p in self.tree() if not is_engine_child(p)}

    def rss_by_worker(self) -> dict[int, float]:
        """MB of each `triage worker` process together with its engine children."""
        out: dict[int, float] = {}
        for proc in self.tree():
            if is_engine_child(proc) or "worker" not in " ".join(_cmdline(proc)):
                continue
            if "--processes" in _cmdline(proc):
                continue  # the supervisor of a worker group
            children = proc.children(recursive=True)
            out[proc.pid] = (_rss(proc) + sum(_rss(c) for c in children)) / 1_048_576
        return out

    def tree(self) -> list[psutil.Process]:
        try:
            top = psutil.Process(self.popen.pid)
            return [top, *top.children(recursive=True)]
        except psutil.NoSuchProcess:
            return []

    def stop(self, timeout: float = 30) -> None:
        if self.popen.poll() is None:
            self.popen.send_signal(signal.SIGTERM)
            try:
                self.popen.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait()

    def tail(self, chars: int = 3000) -> str:
        return self.log.read_text(errors="replace")[-chars:]


def _rss(proc: psutil.Process) -> int:
    try:
        return int(proc.memory_info().rss)
    except psutil.NoSuchProcess:
        return 0


def _cmdline(proc: psutil.Process) -> list[str]:
    try:
        return [str(part) for part in proc.cmdline()]
    except psutil.NoSuchProcess:
        return []


def is_engine_child(proc: psutil.Process) -> bool:
    """The engine's processes (multiprocessing spawn children) and their resource tracker."""
    return any("multiprocessing" in part for part in _cmdline(proc))


def start(
    name: str,
    argv: Sequence[str],
    env: dict[str, str],
    log_dir: Path,
    *,
    ready_url: str | None = None,
    base_url: str | None = None,
    timeout: float = 60,
) -> Process:
    """Start `argv` (this project's interpreter and modules only); wait until `ready_url` answers 200."""
    log_dir.mkdir(parents=True, exist_ok=True)
    log = log_dir / f"{name}.log"
    with log.open("wb") as out:
        popen = subprocess.Popen(list(argv), env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)  # noqa: S603
    proc = Process(name=name, popen=popen, log=log, base_url=base_url)
    if ready_url is None:
        return proc
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if popen.poll() is not None:
            raise RuntimeError(f"{name} exited {popen.returncode}:\n{proc.tail()}")
        try:
            if httpx.get(ready_url, timeout=2).status_code == 200:
                return proc
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    proc.stop()
    raise RuntimeError(f"{name} not ready after {timeout:.0f} s:\n{proc.tail()}")


def start_project_api(env: dict[str, str], log_dir: Path, *, workers: int = 1, name: str = "api") -> Process:
    port = free_port()
    argv = [sys.executable, "-m", "runtime", "api", "--host", "127.0.0.1", "--port", str(port)]
    if workers > 1:
        argv += ["--workers", str(workers)]
    base = f"http://127.0.0.1:{port}"
    return start(name, argv, env, log_dir, ready_url=f"{base}/readyz", base_url=base)


def start_project_workers(env: dict[str, str], log_dir: Path, *, processes: int, concurrency: int) -> Process:
    argv = [sys.executable, "-m", "runtime", "worker", "--concurrency", str(concurrency)]
    if processes > 1:
        argv += ["--processes", str(processes)]
    return start(f"worker-{processes}x{concurrency}", argv, env, log_dir)


def start_uvicorn(
    name: str, app: str, env: dict[str, str], log_dir: Path, *, access_log: bool, ready_path: str = "/openapi.json"
) -> Process:
    """A baseline's ASGI app under uvicorn: one process, uvicorn's defaults but for the access log."""
    port = free_port()
    argv = [sys.executable, "-m", "uvicorn", app, "--host", "127.0.0.1", "--port", str(port)]
    if not access_log:
        argv.append("--no-access-log")
    base = f"http://127.0.0.1:{port}"
    return start(name, argv, env, log_dir, ready_url=f"{base}{ready_path}", base_url=base)


def cpu_seconds(processes: Sequence[psutil.Process]) -> dict[int, float]:
    """User + system CPU seconds each process has used so far, by pid (those that are gone are left out)."""
    out: dict[int, float] = {}
    for proc in processes:
        try:
            times = proc.cpu_times()
        except psutil.NoSuchProcess:
            continue
        out[proc.pid] = times.user + times.system
    return out


def cpu_used(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU seconds used between two `cpu_seconds` snapshots; a process started in between counts from zero
    (one that started and ended in between is missed: the servers' and workers' connections are pooled)."""
    return sum(seconds - before.get(pid, 0.0) for pid, seconds in after.items())
