"""What the dashboard shows: queue state from store.ops turned into verdicts, tables and SVG bar charts.

Only ids, statuses, counts, times and failure classes reach a page (store.ops reads Procrastinate's
tables, whose job arguments are an intake id and a tenant id); never a payload or a patient id.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal
from uuid import UUID

from psycopg import AsyncConnection

from runtime.settings import Settings
from store import dashboard, ops
from store.pool import Pool
from store.tenancy import tenant_transaction
from tasks.triage import TRIAGE_QUEUE

Level = Literal["ok", "warn", "bad"]
FAILED_SHOWN = 20
# A queue whose oldest runnable job has waited this long is falling behind (warn), or stuck (bad).
BEHIND_SECONDS = 60.0
STUCK_SECONDS = 300.0


@dataclass(frozen=True, slots=True)
class Verdict:
    level: Level
    text: str


@dataclass(frozen=True, slots=True)
class QueueView:
    row: ops.QueueRow
    paused: ops.PausedQueue | None
    rate_1m: float | None  # jobs finished per minute over the last minute
    rate_15m: float | None
    wait_p95_5m: float | None
    verdict: Verdict


@dataclass(frozen=True, slots=True)
class FailedJobView:
    job: ops.JobRow
    reason: str | None
    detail: str | None
    failed_at: datetime | None


@dataclass(frozen=True, slots=True)
class WorkerView:
    row: ops.WorkerRow
    alive: bool


@dataclass(frozen=True, slots=True)
class Segment:
    x: float
    y: float
    width: float
    height: float
    css: str
    title: str


@dataclass(frozen=True, slots=True)
class ChartRow:
    label: str
    text: str
    y: float  # baseline of the row's text
    segments: list[Segment]


@dataclass(frozen=True, slots=True)
class Chart:
    title: str
    unit: str
    rows: list[ChartRow]
    legend: list[tuple[str, str]]  # (css class, label)
    height: float
    empty: str  # what the chart says when it has no row
    width: float
    bar_x: float
    text_x: float


@dataclass(frozen=True, slots=True)
class Panel:
    platform: bool
    tenant: str | None
    generated_at: datetime
    headline: Verdict
    queues: list[QueueView]
    depth: Chart
    throughput: Chart
    wait: Chart
    run: Chart
    failed: list[FailedJobView]
    failed_total: int
    stalled: list[ops.JobRow]
    workers: list[WorkerView]
    paused: list[ops.PausedQueue]
    stalled_after_s: float
    live_workers: int


async def load_panel(pool: Pool, settings: Settings, tenant: str | None) -> Panel:
    """Everything one refresh shows; `tenant` None: every tenant (the platform operator's view)."""
    async with pool.connection() as conn:
        queues = sorted(
            await ops.queues(conn, tenant=tenant), key=lambda q: (q.queue_name != TRIAGE_QUEUE, q.queue_name)
        )
        windows = await ops.throughput(conn, tenant=tenant)
        failed = await ops.jobs(conn, status="failed", tenant=tenant, limit=FAILED_SHOWN)
        stalled = await ops.stalled(conn, settings.worker_stalled_seconds, tenant=tenant)
        workers = await ops.workers(conn)
        paused = await ops.paused_queues(conn)
        failures = await _failures(conn, failed)
    worker_views = [WorkerView(w, w.silent_for_s < settings.worker_stalled_seconds) for w in workers]
    live = sum(1 for w in worker_views if w.alive)
    paused_by_name = {p.queue_name: p for p in paused}
    queue_views = [_queue_view(q, windows, paused_by_name.get(q.queue_name), live, stalled) for q in queues]
    return Panel(
        platform=tenant is None,
        tenant=tenant,
        generated_at=datetime.now(UTC),
        headline=_headline(queue_views, sum(q.failed for q in queues), len(stalled)),
        queues=queue_views,
        depth=depth_chart(queues),
        throughput=throughput_chart(windows),
        wait=latency_chart(windows, "wait"),
        run=latency_chart(windows, "run"),
        failed=[_failed_view(job, failures) for job in failed],
        failed_total=sum(q.failed for q in queues),
        stalled=stalled,
        workers=worker_views,
        paused=paused,
        stalled_after_s=settings.worker_stalled_seconds,
        live_workers=live,
    )


async def _failures(conn: AsyncConnection, jobs: list[ops.JobRow]) -> dict[str, dashboard.FailureRow]:
    """Why each failed triage job's intake failed, read tenant by tenant under row-level security."""
    by_tenant: dict[str, list[UUID]] = defaultdict(list)
    for job in jobs:
        if job.tenant_id and job.intake_id:
            try:
                by_tenant[job.tenant_id].append(UUID(job.intake_id))
            except ValueError:
                continue
    found: dict[str, dashboard.FailureRow] = {}
    for tenant_id, intake_ids in by_tenant.items():
        async with tenant_transaction(conn, tenant_id):
            for row in await dashboard.failures(conn, intake_ids):
                found[row.intake_id] = row
    return found


def _failed_view(job: ops.JobRow, failures: dict[str, dashboard.FailureRow]) -> FailedJobView:
    row = failures.get(job.intake_id or "")
    if row is None:
        return FailedJobView(job=job, reason=None, detail=None, failed_at=None)
    return FailedJobView(job=job, reason=row.failure_reason, detail=row.failure_detail, failed_at=row.failed_at)


def _window(windows: list[ops.ThroughputRow], queue: str, minutes: int) -> ops.ThroughputRow | None:
    return next((w for w in windows if w.queue_name == queue and w.minutes == minutes), None)


def _queue_view(
    row: ops.QueueRow,
    windows: list[ops.ThroughputRow],
    paused: ops.PausedQueue | None,
    live_workers: int,
    stalled: list[ops.JobRow],
) -> QueueView:
    one, five, fifteen = (_window(windows, row.queue_name, m) for m in ops.WINDOWS_MINUTES)
    return QueueView(
        row=row,
        paused=paused,
        rate_1m=one.finished / 1 if one else 0.0,
        rate_15m=fifteen.finished / 15 if fifteen else 0.0,
        wait_p95_5m=five.wait_p95_s if five else None,
        verdict=verdict(row, paused, live_workers, sum(1 for j in stalled if j.queue_name == row.queue_name)),
    )


def verdict(row: ops.QueueRow, paused: ops.PausedQueue | None, live_workers: int, stalled: int) -> Verdict:
    """Is this queue keeping up? The worst of: paused, no worker, stalled jobs, the oldest job's wait."""
    waiting = row.todo > 0
    oldest = row.oldest_waiting_s or 0.0
    if paused is not None:
        return Verdict("bad" if waiting else "warn", f"Paused by {paused.paused_by}: nothing is fetched")
    if waiting and live_workers == 0:
        return Verdict("bad", "Not processing: no live worker")
    if oldest >= STUCK_SECONDS:
        return Verdict("bad", f"Stuck: oldest waiting job {seconds(oldest)}")
    if stalled:
        return Verdict("warn", f"{stalled} stalled job(s): recovery re-queues them")
    if oldest >= BEHIND_SECONDS:
        return Verdict("warn", f"Falling behind: oldest waiting job {seconds(oldest)}")
    return Verdict("ok", "Keeping up")


_RANK: dict[Level, int] = {"ok": 0, "warn": 1, "bad": 2}


def _headline(queues: list[QueueView], failed: int, stalled: int) -> Verdict:
    worst = max(
        (q for q in queues if q.row.queue_name == TRIAGE_QUEUE), key=lambda q: _RANK[q.verdict.level], default=None
    )
    worst = max(queues, key=lambda q: _RANK[q.verdict.level], default=None) if worst is None else worst
    base = worst.verdict if worst else Verdict("ok", "No jobs yet")
    text = f"{worst.row.queue_name}: {base.text}" if worst else base.text
    if failed and base.level == "ok":
        return Verdict("warn", f"{text} · {failed} failed job(s) wait for a decision")
    if failed:
        return Verdict(base.level, f"{text} · {failed} failed job(s)")
    return Verdict(base.level, text)


def seconds(value: float | None) -> str:
    """A duration for people: 850 ms, 12.3 s, 4 min 05 s, 2 h 03 min."""
    if value is None:
        return "—"
    if value < 1:
        return f"{value * 1000:.0f} ms"
    if value < 60:
        return f"{value:.1f} s"
    if value < 3600:
        return f"{int(value // 60)} min {int(value % 60):02d} s"
    return f"{int(value // 3600)} h {int(value % 3600 // 60):02d} min"


def clock(value: datetime) -> str:
    """A time of day in UTC, to the second (the page says UTC)."""
    return value.astimezone(UTC).strftime("%H:%M:%S")


# -- Charts: horizontal bars, laid out here, drawn by templates/_chart.html ------------------------------

_ROW = 22.0
_TOP = 8.0
_BAR_X = 170.0  # labels left of it
_BAR_WIDTH = 240.0
_TEXT_X = _BAR_X + _BAR_WIDTH + 10.0  # the numbers right of the bars
_WIDTH = _TEXT_X + 190.0


def _chart(
    title: str,
    unit: str,
    rows: list[tuple[str, list[tuple[float, str, str]], str]],
    legend: list[tuple[str, str]],
    empty: str,
    *,
    overlay: bool = False,
) -> Chart:
    """`rows`: (label, [(value, css class, tooltip)], text). Segments stack, or with `overlay` all start at
    zero (drawn in order: the first is the longest, e.g. a p95 behind its p50)."""
    totals = [
        max((v for v, _, _ in segs), default=0.0) if overlay else sum(v for v, _, _ in segs) for _, segs, _ in rows
    ]
    scale = _BAR_WIDTH / max(max(totals, default=0.0), 1e-9)
    chart_rows = []
    for index, (label, segs, text) in enumerate(rows):
        top = _TOP + index * _ROW
        x = _BAR_X
        drawn = []
        for number, (value, css, tip) in enumerate(segs):
            width = max(value * scale, 0.0)
            inset = 4.0 if overlay and number else 0.0
            drawn.append(Segment(x=x, y=top + inset, width=width, height=_ROW - 6 - 2 * inset, css=css, title=tip))
            if not overlay:
                x += width
        chart_rows.append(ChartRow(label=label, text=text, y=top + _ROW / 2 + 1, segments=drawn))
    return Chart(
        title=title,
        unit=unit,
        rows=chart_rows,
        legend=legend,
        height=_TOP * 2 + max(len(rows), 1) * _ROW,
        empty=empty,
        width=_WIDTH,
        bar_x=_BAR_X,
        text_x=_TEXT_X,
    )


def depth_chart(queues: list[ops.QueueRow]) -> Chart:
    rows = [
        (
            q.queue_name,
            [
                (float(q.todo), "todo", f"{q.todo} waiting"),
                (float(q.doing), "doing", f"{q.doing} running"),
                (float(q.failed), "failed", f"{q.failed} failed"),
            ],
            f"{q.todo} waiting · {q.doing} running · {q.failed} failed",
        )
        for q in queues
    ]
    legend = [("todo", "waiting"), ("doing", "running"), ("failed", "failed")]
    return _chart("Depth by state", "jobs", rows, legend, "No jobs.")


def throughput_chart(windows: list[ops.ThroughputRow]) -> Chart:
    rows = []
    for w in _triage_first(windows):
        ok, bad = (w.finished - w.failed) / w.minutes, w.failed / w.minutes
        rows.append(
            (
                f"{w.queue_name} · {w.minutes} min",
                [(ok, "succeeded", f"{ok:.1f} succeeded/min"), (bad, "failed", f"{bad:.1f} failed/min")],
                f"{w.finished / w.minutes:.1f}/min ({w.finished} in {w.minutes} min)",
            )
        )
    legend = [("succeeded", "succeeded"), ("failed", "failed or aborted")]
    return _chart("Throughput (jobs finished per minute)", "jobs/min", rows, legend, "Nothing finished in 15 min.")


def latency_chart(windows: list[ops.ThroughputRow], kind: Literal["wait", "run"]) -> Chart:
    """p50 in front of p95, per queue and window: `wait` is queued → started, `run` is started → ended."""
    rows = []
    for w in _triage_first(windows):
        p50, p95 = (w.wait_p50_s, w.wait_p95_s) if kind == "wait" else (w.run_p50_s, w.run_p95_s)
        rows.append(
            (
                f"{w.queue_name} · {w.minutes} min",
                [
                    (p95 or 0.0, f"{kind}-p95", f"p95 {seconds(p95)}"),
                    (p50 or 0.0, f"{kind}-p50", f"p50 {seconds(p50)}"),
                ],
                f"p50 {seconds(p50)} · p95 {seconds(p95)}",
            )
        )
    title = "Wait: queued → started" if kind == "wait" else "Run: started → ended"
    legend = [(f"{kind}-p50", "p50"), (f"{kind}-p95", "p95")]
    return _chart(title, "s", rows, legend, "Nothing finished in 15 min.", overlay=True)


def _triage_first(windows: list[ops.ThroughputRow]) -> list[ops.ThroughputRow]:
    return sorted(windows, key=lambda w: (w.queue_name != TRIAGE_QUEUE, w.queue_name, w.minutes))
