"""Helpers the tests share (imported explicitly; fixtures live in conftest.py)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx

from runtime.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
TEST_PEPPER = "test-pepper-" + "x" * 40


def make_settings(database_url: str, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "database_url": database_url,
        "environment": "test",
        "key_pepper": TEST_PEPPER,
        "log_format": "json",
        "rate_limit_per_minute": 0,
        "auth_failures_per_minute": 0,  # tests send many bad keys from one address; the tests of the limit set it
        "pool_min_size": 1,
        "pool_max_size": 4,
    }
    values.update(overrides)
    return Settings(**values)


async def client_for(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """An in-process client for the app built from `settings`, its lifespan (pool, queue app) running."""
    from api.app import create_app

    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            client.app = app  # type: ignore[attr-defined]
            yield client


def child_env(database_url: str, **extra: str) -> dict[str, str]:
    """Environment for the project's own processes (worker, API) started by a test."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TRIAGE_", "DATABASE_URL"))}
    env.update(
        {
            "DATABASE_URL": database_url,
            "TRIAGE_ENV": "test",
            "TRIAGE_KEY_PEPPER": TEST_PEPPER,
            "TRIAGE_LOG_FORMAT": "json",
            "TRIAGE_JOB_RETRY_WAIT": "0",
            "TRIAGE_AUTH_FAILURES_PER_MINUTE": "0",  # the fuzzer replays every request without a key
            "PYTHONPATH": str(ROOT),
        }
    )
    env.update(extra)
    return env


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


class ProcessGroup:
    """Processes of the project started by a test (workers, API); stopped and reaped at teardown."""

    def __init__(self, tmp_path: Path) -> None:
        self.tmp_path = tmp_path
        self.procs: list[tuple[subprocess.Popen[bytes], Path]] = []

    def start(
        self, args: list[str], env: dict[str, str], name: str, program: list[str] | None = None
    ) -> subprocess.Popen[bytes]:
        """`triage <args>`, run as `python -m runtime` unless `program` says how (the console script, say)."""
        log_path = self.tmp_path / f"{name}.log"
        with log_path.open("wb") as log_file:  # the child keeps its own descriptor
            proc = subprocess.Popen(
                [*(program or [sys.executable, "-m", "runtime"]), *args],
                env=env,
                cwd=ROOT,
                stdout=log_file,
                stderr=subprocess.STDOUT,
            )
        self.procs.append((proc, log_path))
        return proc

    def start_api(self, env: dict[str, str], *extra: str) -> str:
        """Start `triage api` (with `extra` arguments) on a free port and wait until it is ready; returns its
        base URL."""
        import httpx

        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = int(sock.getsockname()[1])
        self.start(["api", "--port", str(port), *extra], env, "api")
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 20
        while True:
            try:
                if httpx.get(f"{base}/readyz").status_code == 200:
                    return base
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, self.logs()
            time.sleep(0.1)

    def stop(self) -> None:
        for proc, _ in self.procs:
            if proc.poll() is None:
                proc.terminate()
        deadline = time.monotonic() + 40
        for proc, _ in self.procs:
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()

    def logs(self) -> str:
        return "\n".join(path.read_text(errors="replace") for _, path in self.procs)


@dataclass(frozen=True)
class Call:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


class Receiver:
    """A webhook receiver on loopback: records each request; answers the next of `answers` (then 200).
    After `delay` seconds: it reads nothing and answers nothing until then."""

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.answers: list[int] = []
        self.delay = 0.0
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                time.sleep(receiver.delay)  # a slow receiver neither reads the body nor answers meanwhile
                try:
                    body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                    headers = {k.lower(): v for k, v in self.headers.items()}
                    receiver.calls.append(Call(self.command, self.path, headers, body))
                    self.send_response(receiver.answers.pop(0) if receiver.answers else 200)
                    self.end_headers()
                except OSError:
                    pass  # the sender gave up waiting (the timeout tests)

            def log_message(self, *_: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = int(self.server.server_address[1])
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def wait_for(self, count: int, seconds: float = 30) -> list[Call]:
        deadline = time.monotonic() + seconds
        while len(self.calls) < count:
            assert time.monotonic() < deadline, f"{len(self.calls)} of {count} callbacks arrived"
            time.sleep(0.05)
        return self.calls
