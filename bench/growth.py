"""`make bench` section e: how cost grows with what is stored. A database bulk-loaded (bench.scale_data:
server-side SQL, not one POST at a time) with n intakes, n finished jobs and n audit events over 50 tenants,
then, over HTTP to `triage api`, one call at a time: submitting an intake, a patient's history (a typical
patient, and the tenant's most frequent one: 1 % of its intakes), and reading one intake.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import psycopg

from bench import scale_data, stack
from bench.intake_throughput import BODY
from bench.scale_data import DOMINANT, Sizes


@dataclass
class Timing:
    stored: int
    case: str
    p50_ms: float
    p99_ms: float


def _sizes(n: int) -> Sizes:
    live = max(30, min(3_000, n // 100))
    return Sizes(jobs=n, intakes=n, audit=n, live=live, doing=min(60, live // 10))


def _samples(url: str) -> dict[str, str]:
    with psycopg.connect(url, autocommit=True) as conn:

        def one(query: str) -> str:
            row = conn.execute(query, (DOMINANT,)).fetchone()
            assert row is not None
            return str(row[0])

        return {
            "typical": one(
                "SELECT patient_id FROM intakes WHERE tenant_id = %s AND patient_id <> 'P-frequent'"
                " ORDER BY job_id DESC LIMIT 1"
            ),
            "intake": one("SELECT id FROM intakes WHERE tenant_id = %s ORDER BY job_id DESC OFFSET 10 LIMIT 1"),
            "frequent_count": one("SELECT count(*) FROM intakes WHERE tenant_id = %s AND patient_id = 'P-frequent'"),
        }


def _time(client: httpx.Client, method: str, path: str, *, calls: int, warmup: int = 10) -> tuple[float, float]:
    took: list[float] = []
    for i in range(warmup + calls):
        started = time.perf_counter()
        response = client.request(method, path, content=BODY if method == "POST" else None)
        elapsed = (time.perf_counter() - started) * 1000
        if response.status_code >= 300:
            raise RuntimeError(f"{method} {path}: {response.status_code} {response.text[:200]}")
        if i >= warmup:
            took.append(elapsed)
    took.sort()
    return statistics.median(took), took[min(len(took) - 1, round(0.99 * (len(took) - 1)))]


def measure(db: stack.Database, log_dir: Path, pepper: str, n: int, *, calls: int = 200) -> list[Timing]:
    url = db.create(f"growth_{n}", migrate=True)
    print(f"  loading {n:,} intakes, jobs and audit events …", flush=True)
    report = scale_data.load(url, _sizes(n))
    print(f"  loaded in {report.total_s:.0f} s", flush=True)
    samples = _samples(url)
    token = asyncio.run(stack.mint_key(url, pepper, DOMINANT, ["intake:write", "intake:read"]))
    api = stack.start_project_api(stack.project_env(url, pepper), log_dir, name=f"api-growth-{n}")
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    cases = [
        ("POST /v1/intakes", "POST", "/v1/intakes"),
        ("GET /v1/patients/{id}/intakes (typical patient)", "GET", f"/v1/patients/{samples['typical']}/intakes"),
        (
            f"GET /v1/patients/{{id}}/intakes (frequent patient, {int(samples['frequent_count']):,} intakes)",
            "GET",
            "/v1/patients/P-frequent/intakes",
        ),
        ("GET /v1/intakes/{id}", "GET", f"/v1/intakes/{samples['intake']}"),
    ]
    out: list[Timing] = []
    try:
        with httpx.Client(base_url=api.base_url or "", headers=headers, timeout=30) as client:
            for name, method, path in cases:
                p50, p99 = _time(client, method, path, calls=calls)
                out.append(Timing(stored=n, case=name, p50_ms=p50, p99_ms=p99))
                print(f"  {n:,} stored: {name}: p50 {p50:.1f} ms, p99 {p99:.1f} ms", flush=True)
    finally:
        api.stop()
    with psycopg.connect(db.admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE "growth_{n}" WITH (FORCE)')  # its disk back before the next size
    return out
