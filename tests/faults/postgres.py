"""A throwaway PostgreSQL that a fault test can stop, start, restart and cut connections of.

It runs the binaries bundled in the `pgserver` wheel, in a data folder of its own (created with
tempfile.mkdtemp, outside pytest's basetemp, which a concurrent pytest session may prune), and listens
on a Unix socket in that folder only. As root (PostgreSQL refuses to run as root) every server command
runs as the `pgserver` system user, as pgserver itself does.
"""

from __future__ import annotations

import atexit
import contextlib
import importlib.util
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Literal, LiteralString

import psycopg
from psycopg import sql

StopMode = Literal["fast", "immediate"]
SERVER_USER = "pgserver"


def _bin_dir() -> Path:
    # find_spec does not import the package (whose import reads platformdirs and may warn).
    spec = importlib.util.find_spec("pgserver")
    assert spec is not None and spec.submodule_search_locations, "the pgserver wheel is not installed"
    return Path(next(iter(spec.submodule_search_locations))) / "pginstall" / "bin"


def _server_user() -> str | None:
    if os.geteuid() != 0:
        return None
    try:
        pwd.getpwnam(SERVER_USER)
    except KeyError:
        subprocess.run(["useradd", "--no-create-home", "--shell", "/usr/sbin/nologin", SERVER_USER], check=True)
    return SERVER_USER


def _unique_port() -> int:
    # Over a Unix socket the port only names the socket file (.s.PGSQL.<port>) and seeds the shared
    # memory key; a port the kernel just handed out is unique among the servers running now.
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass(frozen=True)
class Outage:
    """When a down_for() outage happened (time.monotonic()): stop asked, stopped, start asked, started."""

    stop_requested: float
    stopped: float
    start_requested: float
    started: float


class ThrowawayPostgres:
    """One PostgreSQL server for one test; `destroy()` (also registered with atexit) removes every trace."""

    def __init__(self) -> None:
        self.bin_dir = _bin_dir()
        self.user = _server_user()
        # Short: a Unix socket path must fit in ~107 bytes.
        self.root = Path(tempfile.mkdtemp(prefix="triage-faults-", dir="/tmp"))
        self.data_dir = self.root / "data"
        self.log_path = self.root / "postgres.log"
        self.socket_dir = self.root
        self.port = _unique_port()
        self._destroyed = False
        if self.user is not None:
            shutil.chown(self.root, user=self.user, group=self.user)
        atexit.register(self.destroy)
        self._run("initdb", "-D", str(self.data_dir), "-U", "postgres", "--auth=trust", "--encoding=UTF8")
        with (self.data_dir / "postgresql.conf").open("a") as conf:
            conf.write(
                "\n# tests/faults: Unix socket only, in the test's own folder\n"
                "listen_addresses = ''\n"
                f"unix_socket_directories = '{self.socket_dir}'\n"
                f"port = {self.port}\n"
                "max_connections = 200\n"
            )

    # -- commands -------------------------------------------------------------------------------------

    def _run(self, program: str, *args: str, timeout: float = 90.0) -> None:
        output_path = self.root / "commands.out"
        with output_path.open("ab") as output:
            completed = subprocess.run(
                [str(self.bin_dir / program), *args],
                user=self.user,
                cwd=self.root,
                stdin=subprocess.DEVNULL,
                stdout=output,  # a file, not a pipe: the postmaster pg_ctl starts must not hold our pipe
                stderr=subprocess.STDOUT,
                timeout=timeout,
                check=False,
            )
        if completed.returncode != 0:
            raise RuntimeError(
                f"{program} {' '.join(args)} exited {completed.returncode}\n"
                f"{output_path.read_text(errors='replace')[-2000:]}\n{self.log_tail()}"
            )

    def _pg_ctl(self, *args: str) -> None:
        self._run("pg_ctl", "-D", str(self.data_dir), *args)

    def start(self) -> None:
        self._pg_ctl("-w", "-t", "60", "-l", str(self.log_path), "start")

    def stop(self, mode: StopMode = "fast") -> None:
        self._pg_ctl("-w", "-t", "60", "-m", mode, "stop")

    def restart(self, mode: StopMode = "immediate") -> None:
        self._pg_ctl("-w", "-t", "60", "-m", mode, "-l", str(self.log_path), "restart")

    def down_for(self, seconds: float, mode: StopMode = "immediate") -> Outage:
        """Stop the server, keep it down for `seconds` (the fault's stated duration), start it again."""
        stop_requested = time.monotonic()
        self.stop(mode)
        stopped = time.monotonic()
        time.sleep(seconds)  # holding the fault for its duration, not waiting for a condition
        start_requested = time.monotonic()
        self.start()
        return Outage(stop_requested, stopped, start_requested, time.monotonic())

    def is_running(self) -> bool:
        completed = subprocess.run(
            [str(self.bin_dir / "pg_ctl"), "-D", str(self.data_dir), "status"],
            user=self.user,
            cwd=self.root,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=False,
        )
        return completed.returncode == 0

    # -- SQL as the superuser ----------------------------------------------------------------------------

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@/{database}?host={self.socket_dir}&port={self.port}"

    def create_database(self, name: str) -> str:
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return self.url(name)

    def terminate_backends(self, where: LiteralString) -> list[int]:
        """pg_terminate_backend() every other backend matching `where` (SQL over pg_stat_activity), waiting
        up to 5 s for each to be gone; returns the pids terminated."""
        # MATERIALIZED: the filter picks the victims before any pg_terminate_backend() call runs.
        query = sql.SQL(
            "WITH victims AS MATERIALIZED ("
            "  SELECT pid FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND ({}))"
            " SELECT pid FROM victims WHERE pg_terminate_backend(pid, 5000)"
        ).format(sql.SQL(where))
        with psycopg.connect(self.url(), autocommit=True) as conn:
            return [int(pid) for (pid,) in conn.execute(query).fetchall()]

    def backends(self, where: LiteralString) -> list[int]:
        """The pids of the other backends matching `where`."""
        query = sql.SQL("SELECT pid FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND ({})").format(
            sql.SQL(where)
        )
        with psycopg.connect(self.url(), autocommit=True, connect_timeout=3) as conn:
            return [int(pid) for (pid,) in conn.execute(query).fetchall()]

    def server_now(self) -> datetime | None:
        """The server's clock, or None when it cannot be read (the server is down)."""
        try:
            with psycopg.connect(self.url(), autocommit=True, connect_timeout=3) as conn:
                row = conn.execute("SELECT clock_timestamp()").fetchone()
        except psycopg.Error:
            return None
        return row[0] if row else None

    # -- teardown ---------------------------------------------------------------------------------------

    def log_tail(self, lines: int = 30) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return "(no server log)"
        return "--- postgres.log (tail) ---\n" + "\n".join(text.splitlines()[-lines:])

    def destroy(self) -> None:
        """Stop the server (immediately: it is thrown away) and remove its folder. Idempotent."""
        if self._destroyed:
            return
        self._destroyed = True
        if (self.data_dir / "postmaster.pid").exists():
            with contextlib.suppress(RuntimeError, subprocess.TimeoutExpired):
                self.stop("immediate")
        self._kill_leftover_postmaster()
        shutil.rmtree(self.root, ignore_errors=True)
        atexit.unregister(self.destroy)

    def _kill_leftover_postmaster(self) -> None:
        # pg_ctl stop failed or timed out: never let a server outlive the test session.
        pid_file = self.data_dir / "postmaster.pid"
        try:
            pid = int(pid_file.read_text().splitlines()[0])
        except (OSError, ValueError, IndexError):
            return
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, 9)
