"""Closed-loop HTTP load with wrk (Debian's package): a fixed number of connections, each sending the next
request as soon as the previous one is answered. One wrk thread: on a two-core machine the other core is
the server's (and the database's); the load generator must cost as little as possible.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
from dataclasses import dataclass
from pathlib import Path

SCRIPT = Path(__file__).with_name("wrk_post.lua")


@dataclass(frozen=True)
class Round:
    requests: int
    seconds: float
    non_2xx: int
    socket_errors: int
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float

    @property
    def rps(self) -> float:
        """Answered with 2xx per second: a fast refusal is not throughput."""
        ok = self.requests - self.non_2xx - self.socket_errors
        return max(ok, 0) / self.seconds if self.seconds else 0.0


@dataclass(frozen=True)
class Summary:
    """Medians over rounds (each figure its own median)."""

    rounds: list[Round]

    def median(self, name: str) -> float:
        return float(statistics.median(float(getattr(r, name)) for r in self.rounds))

    @property
    def rps(self) -> float:
        return statistics.median(r.rps for r in self.rounds)

    @property
    def failures(self) -> int:
        return sum(r.non_2xx + r.socket_errors for r in self.rounds)


def wrk_path() -> str:
    path = shutil.which("wrk")
    if path is None:
        raise RuntimeError("wrk is not installed: `make bench` installs it (apt-get install wrk) when run as root")
    return path


def post(url: str, body: bytes, *, seconds: float, connections: int, authorization: str = "") -> Round:
    env = {**os.environ, "BENCH_BODY": body.decode(), "BENCH_AUTHORIZATION": authorization}
    argv = [wrk_path(), "-t1", f"-c{connections}", f"-d{seconds:g}s", "--timeout", "10s", "-s", str(SCRIPT), url]
    done = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=seconds + 60, check=True)  # noqa: S603
    line = next((ln for ln in done.stdout.splitlines() if ln.startswith("BENCH_RESULT ")), None)
    if line is None:
        raise RuntimeError(f"wrk printed no result:\n{done.stdout}\n{done.stderr}")
    raw = json.loads(line.removeprefix("BENCH_RESULT "))
    return Round(
        requests=raw["requests"],
        seconds=raw["duration_us"] / 1e6,
        non_2xx=raw["non_2xx"],
        socket_errors=raw["socket_errors"],
        p50_ms=raw["p50_us"] / 1000,
        p90_ms=raw["p90_us"] / 1000,
        p99_ms=raw["p99_us"] / 1000,
        max_ms=raw["max_us"] / 1000,
    )
