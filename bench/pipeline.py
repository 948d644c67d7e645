"""`make bench` sections b–d: workers, end to end, memory. Each runs this project's real processes (and the
reference's Procrastinate worker) against the throwaway server; timings come from the database's own
clock (Procrastinate's event times, the intake's and the outcome's `created_at`), not from polling.
"""

from __future__ import annotations

import asyncio
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import psycopg

from bench import load, openloop, stack
from bench.intake_throughput import BODY

WORKER_CONCURRENCY = 4  # `triage worker`'s default, and the reference worker's


def _one(url: str, query: str, *params: object) -> float:
    with psycopg.connect(url, autocommit=True) as conn:
        row = conn.execute(query, params).fetchone()
    return float(row[0]) if row and row[0] is not None else 0.0


def _analyze(url: str) -> None:
    """Current planner statistics for the job table before a drain, in both databases alike: the project's
    workers refresh them themselves after a burst (migration 0010), the reference worker does not, and a
    fetch planned on stale statistics would slow the baseline down, not the work it stands for."""
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("ANALYZE procrastinate_jobs")


def _drain_rate(url: str, queue: str) -> tuple[int, float]:
    """Jobs of `queue` that succeeded, per second from the first start to the last success."""
    with psycopg.connect(url, autocommit=True) as conn:
        row = conn.execute(
            "SELECT count(*) FILTER (WHERE e.type = 'succeeded'),"
            " extract(epoch FROM max(e.at) FILTER (WHERE e.type = 'succeeded') - min(e.at) FILTER (WHERE e.type ="
            " 'started')) FROM procrastinate_events e JOIN procrastinate_jobs j ON j.id = e.job_id"
            " WHERE j.queue_name = %s",
            (queue,),
        ).fetchone()
    done, seconds = (int(row[0]), float(row[1] or 0)) if row else (0, 0.0)
    return done, (done / seconds if seconds else 0.0)


def _wait_drained(url: str, queue: str, expected: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        left = _one(
            url, "SELECT count(*) FROM procrastinate_jobs WHERE queue_name = %s AND status IN ('todo', 'doing')", queue
        )
        if left == 0 and _one(url, "SELECT count(*) FROM procrastinate_jobs WHERE queue_name = %s", queue) >= expected:
            return
        time.sleep(0.5)
    raise RuntimeError(f"queue {queue} not drained after {timeout:.0f} s")


@dataclass
class WorkerResult:
    processes: int
    jobs: int
    ours_per_s: float
    noop_per_s: float
    # CPU milliseconds per job while the jobs drained: PostgreSQL's processes, the workers', their engine processes'.
    ours_cpu_ms: dict[str, float] = field(default_factory=dict)
    noop_cpu_ms: dict[str, float] = field(default_factory=dict)

    @property
    def ratio(self) -> float:
        return self.ours_per_s / self.noop_per_s if self.noop_per_s else 0.0

    def cpu_line(self) -> str:
        def one(cpu: dict[str, float]) -> str:
            return " + ".join(f"{kind} {ms:.2f}" for kind, ms in cpu.items()) + f" = {sum(cpu.values()):.2f} ms"

        return f"CPU per job: ours {one(self.ours_cpu_ms)}; no-op {one(self.noop_cpu_ms)}"


def fill_intakes(api_url: str, token: str, seconds: float) -> None:
    load.post(f"{api_url}/v1/intakes", BODY, seconds=seconds, connections=16, authorization=f"Bearer {token}")


def worker_throughput(
    db: stack.Database,
    log_dir: Path,
    pepper: str,
    processes: int,
    *,
    fill_seconds: float,
    worker_argv: list[str] | None = None,
    name: str = "workers",
) -> WorkerResult:
    """Intakes triaged per second by `triage worker` × processes, against no-op jobs drained by a plain
    Procrastinate worker × processes, the same number of jobs each, queued before the workers start.
    `worker_argv` replaces `triage worker` (one process; bench.worker_variants)."""
    url = db.create(f"{name}_{processes}", migrate=True)
    token = asyncio.run(stack.mint_key(url, pepper, "bench", ["intake:write"]))
    env = stack.project_env(url, pepper)
    api = stack.start_project_api(env, log_dir, name=f"api-fill-{processes}")
    try:
        fill_intakes(api.base_url or "", token, fill_seconds)
    finally:
        api.stop()
    jobs = int(_one(url, "SELECT count(*) FROM procrastinate_jobs WHERE queue_name = 'triage'"))
    _analyze(url)  # both queues start with current statistics (see _analyze)
    if worker_argv is None:
        workers = stack.start_project_workers(env, log_dir, processes=processes, concurrency=WORKER_CONCURRENCY)
    else:
        workers = stack.start(f"{name}-{processes}", worker_argv, env, log_dir)
    meter = _CpuMeter(db, [workers])
    try:
        _wait_drained(url, "triage", jobs, timeout=600)
        ours_cpu = meter.per_job_ms(jobs)
    finally:
        workers.stop()
    _, ours = _drain_rate(url, "triage")

    noop_url = db.create(f"noop_{name}_{processes}")
    from procrastinate.schema import SchemaManager

    with psycopg.connect(noop_url, autocommit=True) as conn:
        conn.execute(SchemaManager.get_schema())
    _defer_noops(noop_url, jobs)
    _analyze(noop_url)
    noop_env = {**env, "BASELINE_DATABASE_URL": noop_url}
    argv = [sys.executable, "-m", "bench.baselines.reference", "worker", "--concurrency", str(WORKER_CONCURRENCY)]
    noops = [stack.start(f"noop-{processes}-{i}", argv, noop_env, log_dir) for i in range(processes)]
    meter = _CpuMeter(db, noops)
    try:
        _wait_drained(noop_url, "bench-reference", jobs, timeout=600)
        noop_cpu = meter.per_job_ms(jobs)
    finally:
        for proc in noops:
            proc.stop()
    _, noop = _drain_rate(noop_url, "bench-reference")
    return WorkerResult(
        processes=processes, jobs=jobs, ours_per_s=ours, noop_per_s=noop, ours_cpu_ms=ours_cpu, noop_cpu_ms=noop_cpu
    )


class _CpuMeter:
    """CPU used by PostgreSQL and by the given worker processes (with their children) from now on. Started
    with the workers, so their start-up is counted too: a few hundred milliseconds against thousands of jobs."""

    def __init__(self, db: stack.Database, workers: list[stack.Process]) -> None:
        self.db = db
        self.workers = workers
        self.before = self._snapshot()

    def _snapshot(self) -> dict[str, dict[int, float]]:
        trees = [proc for worker in self.workers for proc in worker.tree()]
        return {
            "postgres": stack.cpu_seconds(self.db.processes()),
            "worker": stack.cpu_seconds([p for p in trees if not stack.is_engine_child(p)]),
            "engine": stack.cpu_seconds([p for p in trees if stack.is_engine_child(p)]),
        }

    def per_job_ms(self, jobs: int) -> dict[str, float]:
        after = self._snapshot()
        return {kind: stack.cpu_used(self.before[kind], after[kind]) * 1000 / max(jobs, 1) for kind in after}


def _defer_noops(url: str, count: int) -> None:
    """Queue `count` no-op jobs in one statement (Procrastinate's triggers record each as deferred)."""
    from bench.baselines import reference

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(
            "INSERT INTO procrastinate_jobs (queue_name, task_name, args, status)"
            " SELECT %s, %s, jsonb_build_object('intake_id', g::text), 'todo' FROM generate_series(1, %s) g",
            (reference.QUEUE, reference.noop.name, count),
        )


@dataclass
class EndToEnd:
    processes: int
    sustainable_rps: float  # the highest offered rate the whole system kept up with (probed)
    offered_rps: float  # 70 % of it
    seconds: float
    accepted: int
    refused: int
    late: int  # requests the generator sent > 100 ms behind schedule (it fell behind, not the server)
    intake_p50_ms: float
    intake_p99_ms: float
    p50_ms: float
    p99_ms: float
    backlog_left: int  # intakes of the measured window not triaged 60 s after it ended
    probes: list[tuple[float, int]] = field(default_factory=list)  # (offered/s, backlog 1 s after the probe)


PROBE_SECONDS = 10.0
# A rate is kept up with when, this long after its probe, at most this share of a second's intakes is left: the
# system then triages at least (10 - 0.1) / 11 = 90 % of the rate while it is offered, so that 70 % of the rate
# is at most 78 % of what it can do. (5 s and a whole second's worth, as before, let a system that triages only
# two thirds of the rate pass, and 70 % of that rate was then more than it could do.)
PROBE_GRACE_SECONDS = 1.0
PROBE_BACKLOG_SHARE = 0.1


def _untriaged(url: str, since: str | None = None) -> int:
    if since is None:
        return int(_one(url, "SELECT count(*) FROM intakes WHERE status <> 'triaged'"))
    return int(
        _one(url, "SELECT count(*) FROM intakes WHERE status <> 'triaged' AND created_at >= %s::timestamptz", since)
    )


def _drain(url: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and _untriaged(url):
        time.sleep(0.5)


def _offer(base_url: str, token: str, rate: float, seconds: float) -> openloop.OpenLoopResult:
    return asyncio.run(
        openloop.post_at_rate(
            f"{base_url}/v1/intakes", BODY, rate=rate, seconds=seconds, authorization=f"Bearer {token}"
        )
    )


def end_to_end(
    db: stack.Database,
    log_dir: Path,
    pepper: str,
    processes: int,
    *,
    upper_rps: float,
    seconds: float,
    api_workers: int,
) -> EndToEnd:
    """With the API and `processes` workers running together: first the highest sustainable rate, probed
    down from `upper_rps` in steps of 15 % (a rate is sustainable when, 1 s after a 10-s probe, at most a
    tenth of a second's worth of its intakes is still untriaged); then 70 % of it offered for `seconds`, and
    202 → outcome written measured on the database's clock (the intake's `created_at` to the outcome's)."""
    url = db.create(f"e2e_{processes}", migrate=True)
    token = asyncio.run(stack.mint_key(url, pepper, "bench", ["intake:write"]))
    env = stack.project_env(url, pepper)
    api = stack.start_project_api(env, log_dir, workers=api_workers, name=f"api-e2e-{processes}")
    workers = stack.start_project_workers(env, log_dir, processes=processes, concurrency=WORKER_CONCURRENCY)
    probes: list[tuple[float, int]] = []
    try:
        time.sleep(3)  # workers connected and listening
        base = api.base_url or ""
        rate = round(upper_rps)
        while True:
            probe = _offer(base, token, rate, PROBE_SECONDS)
            time.sleep(PROBE_GRACE_SECONDS)
            left = _untriaged(url)
            probes.append((rate, left))
            _drain(url, 120)
            if (left <= PROBE_BACKLOG_SHARE * rate and probe.refused == 0) or rate <= 10:
                break
            rate = round(rate * 0.85)
        sustainable = rate
        offered = round(0.7 * sustainable)
        with psycopg.connect(url, autocommit=True) as conn:
            row = conn.execute("SELECT now()::text").fetchone()
        window_start = str(row[0]) if row else None
        sent = _offer(base, token, offered, seconds)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and _untriaged(url, window_start):
            time.sleep(0.5)
    finally:
        workers.stop()
        api.stop()
    with psycopg.connect(url, autocommit=True) as conn:
        rows = conn.execute(
            "SELECT extract(epoch FROM o.created_at - i.created_at) * 1000 FROM intakes i"
            " JOIN triage_outcomes o ON o.intake_id = i.id WHERE i.created_at >= %s::timestamptz",
            (window_start,),
        ).fetchall()
    e2e = sorted(float(r[0]) for r in rows)
    lat = sorted(sent.latencies_ms)
    return EndToEnd(
        processes=processes,
        sustainable_rps=sustainable,
        offered_rps=offered,
        seconds=sent.seconds,
        accepted=sent.accepted,
        refused=sent.refused,
        late=sent.late,
        intake_p50_ms=_pct(lat, 50),
        intake_p99_ms=_pct(lat, 99),
        p50_ms=_pct(e2e, 50),
        p99_ms=_pct(e2e, 99),
        backlog_left=_untriaged(url, window_start),
        probes=probes,
    )


def _pct(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))]


@dataclass
class Memory:
    intakes: int
    api_processes: int
    worker_processes: int
    # (intakes stored so far, largest API process MB, largest worker process MB incl. its engine children)
    samples: list[tuple[int, float, float]] = field(default_factory=list)


def memory(
    db: stack.Database, log_dir: Path, pepper: str, *, intakes: int, api_workers: int, worker_processes: int
) -> Memory:
    """RSS of the API and worker processes at rest and as `intakes` intakes go through them."""
    url = db.create("memory", migrate=True)
    token = asyncio.run(stack.mint_key(url, pepper, "bench", ["intake:write"]))
    env = stack.project_env(url, pepper)
    api = stack.start_project_api(env, log_dir, workers=api_workers, name="api-memory")
    workers = stack.start_project_workers(env, log_dir, processes=worker_processes, concurrency=WORKER_CONCURRENCY)
    result = Memory(intakes=intakes, api_processes=api_workers, worker_processes=worker_processes)
    try:
        time.sleep(3)
        result.samples.append((0, _largest(api), _largest_worker(workers)))
        stored = 0
        step = max(1, intakes // 10)
        next_sample = step
        while stored < intakes:
            fill_intakes(api.base_url or "", token, 5)
            stored = int(_one(url, "SELECT count(*) FROM intakes"))
            if stored >= next_sample:
                result.samples.append((stored, _largest(api), _largest_worker(workers)))
                next_sample = stored + step
        deadline = time.monotonic() + 900
        while time.monotonic() < deadline and _one(url, "SELECT count(*) FROM intakes WHERE status <> 'triaged'"):
            time.sleep(1)
        result.samples.append((stored, _largest(api), _largest_worker(workers)))
    finally:
        workers.stop()
        api.stop()
    return result


def _largest(proc: stack.Process) -> float:
    return max(proc.rss_by_process().values(), default=0.0)


def _largest_worker(proc: stack.Process) -> float:
    """A worker process with its engine children (they exist only to serve it)."""
    return max(proc.rss_by_worker().values(), default=0.0)
