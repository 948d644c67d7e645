"""Measure the ops and audit routes over HTTP, and EXPLAIN (ANALYZE, BUFFERS) the SQL each one runs.

The HTTP pass talks to a real `triage api` process (uvicorn) on a loopback port, one request at a time,
as a production client would: each route is called `warmup` times, then `calls` times measured. The SQL
pass runs the same routes once more in-process, records every statement the route sends to PostgreSQL
(by wrapping psycopg's cursor), and EXPLAINs each read with the same parameters and the same tenant, on a
separate connection acting as the application role; a plan that scans one of the big tables sequentially
is flagged.
"""

from __future__ import annotations

import hashlib
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import httpx
import psycopg
from psycopg import sql

from bench.scale_data import BIG_TABLES, DOMINANT, HISTORY_S, SMALL, Sizes
from runtime.settings import Settings
from store.pool import app_conninfo

SLOW_MS = 100.0


@dataclass(frozen=True)
class Case:
    key: str  # platform, dominant, small
    label: str  # what the route is asked (shown in the report)
    path: str
    params: dict[str, str] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return f"{self.key} {self.label}"


@dataclass
class Timing:
    case: str
    path: str
    status: int
    median_ms: float
    p95_ms: float
    max_ms: float
    calls: int
    items: int | None

    @property
    def slow(self) -> bool:
        return self.p95_ms >= SLOW_MS or self.median_ms >= SLOW_MS


@dataclass
class Plan:
    case: str
    statement: str
    execution_ms: float
    seq_scans: list[str]
    nodes: str
    text: str


@dataclass(frozen=True)
class Samples:
    """Ids the cases ask for, looked up once after the load."""

    t_end: datetime
    job_cursor: int
    failed_job: int
    tenant_job: dict[str, int]
    tenant_job_cursor: dict[str, int]
    audit_cursor: dict[str, int]
    intake: dict[str, str]
    intake_cursor: str
    common_patient: str


def agent_actor(tenant: str) -> str:
    """The actor the loader wrote for the tenant's intake agent (bench.scale_data's pg_temp.agent)."""
    return "key:" + hashlib.md5(f"agent:{tenant}".encode()).hexdigest()[:12]  # noqa: S324 - a label, not security


def find_samples(owner_url: str, sizes: Sizes) -> Samples:
    with psycopg.connect(owner_url, autocommit=True) as conn:

        def one(query: Any, *params: Any) -> Any:
            row = conn.execute(query, params).fetchone()
            assert row is not None, query
            return row[0]

        t_end = one("SELECT max(at) FROM procrastinate_events")
        middle = sizes.jobs // 2
        tenant_job: dict[str, int] = {}
        tenant_job_cursor: dict[str, int] = {}
        audit_cursor: dict[str, int] = {}
        intake: dict[str, str] = {}
        for tenant in (DOMINANT, SMALL):
            tenant_job[tenant] = one(
                "SELECT max(id) FROM procrastinate_jobs WHERE args->>'tenant_id' = %s AND status = 'succeeded'", tenant
            )
            tenant_job_cursor[tenant] = one(
                "SELECT max(id) FROM procrastinate_jobs WHERE args->>'tenant_id' = %s AND id <= %s", tenant, middle
            )
            audit_cursor[tenant] = one(
                "SELECT id FROM audit_events WHERE tenant_id = %s AND occurred_at <= %s"
                " ORDER BY occurred_at DESC LIMIT 1",
                tenant,
                t_end - timedelta(days=15),
            )
            intake[tenant] = str(
                one(
                    "SELECT id FROM intakes WHERE tenant_id = %s AND status = 'triaged' ORDER BY job_id DESC LIMIT 1",
                    tenant,
                )
            )
        frequent = one("SELECT count(*) FROM intakes WHERE tenant_id = %s AND patient_id = 'P-frequent'", DOMINANT)
        intake_cursor = str(
            one(
                "SELECT id FROM intakes WHERE tenant_id = %s AND patient_id = 'P-frequent'"
                " ORDER BY created_at DESC, id DESC OFFSET %s LIMIT 1",
                DOMINANT,
                frequent // 2,
            )
        )
        common_patient = one(
            "SELECT patient_id FROM intakes WHERE tenant_id = %s AND patient_id <> 'P-frequent'"
            " ORDER BY job_id DESC LIMIT 1",
            DOMINANT,
        )
        return Samples(
            t_end=t_end,
            job_cursor=middle,
            failed_job=one("SELECT max(id) FROM procrastinate_jobs WHERE status = 'failed' AND id <= %s", middle),
            tenant_job=tenant_job,
            tenant_job_cursor=tenant_job_cursor,
            audit_cursor=audit_cursor,
            intake=intake,
            intake_cursor=intake_cursor,
            common_patient=common_patient,
        )


def cases(s: Samples) -> list[Case]:
    day_ago = (s.t_end - timedelta(days=1)).isoformat()
    half_ago = (s.t_end - timedelta(days=15)).isoformat()
    half_ago_and_a_day = (s.t_end - timedelta(days=16)).isoformat()
    out: list[Case] = []
    for key in ("platform", "dominant", "small"):
        tenant = DOMINANT if key != "small" else SMALL
        cursor = str(s.job_cursor if key == "platform" else s.tenant_job_cursor[tenant])
        out += [
            Case(key, "GET /v1/ops/queues", "/v1/ops/queues"),
            Case(key, "GET /v1/ops/jobs", "/v1/ops/jobs"),
            Case(key, "GET /v1/ops/jobs?status=failed", "/v1/ops/jobs", {"status": "failed"}),
            Case(key, "GET /v1/ops/jobs?status=todo", "/v1/ops/jobs", {"status": "todo"}),
            Case(key, "GET /v1/ops/jobs?queue=triage", "/v1/ops/jobs", {"queue": "triage"}),
            Case(key, "GET /v1/ops/jobs?cursor=(middle)", "/v1/ops/jobs", {"cursor": cursor}),
            Case(
                key,
                "GET /v1/ops/jobs?status=failed&cursor=(middle)",
                "/v1/ops/jobs",
                {"status": "failed", "cursor": cursor},
            ),
            Case(key, "GET /v1/ops/jobs?since=(1 day ago)", "/v1/ops/jobs", {"since": day_ago}),
            Case(
                key,
                "GET /v1/ops/jobs/{id}",
                f"/v1/ops/jobs/{s.failed_job if key == 'platform' else s.tenant_job[tenant]}",
            ),
            Case(key, "GET /v1/ops/stalled", "/v1/ops/stalled"),
        ]
        if key == "platform":
            out += [
                Case(key, "GET /v1/ops/jobs?status=succeeded", "/v1/ops/jobs", {"status": "succeeded"}),
                Case(key, "GET /v1/ops/jobs?queue=maintenance", "/v1/ops/jobs", {"queue": "maintenance"}),
                Case(key, "GET /v1/ops/jobs?task=housekeeping", "/v1/ops/jobs", {"task": "housekeeping"}),
                Case(key, "GET /v1/ops/workers", "/v1/ops/workers"),
            ]
            continue
        agent = agent_actor(tenant)
        out += [
            Case(key, "GET /v1/audit", "/v1/audit"),
            Case(key, "GET /v1/audit?limit=500", "/v1/audit", {"limit": "500"}),
            Case(key, "GET /v1/audit?patient_id=P-frequent", "/v1/audit", {"patient_id": "P-frequent"}),
            Case(key, "GET /v1/audit?actor=(agent)", "/v1/audit", {"actor": agent}),
            Case(key, "GET /v1/audit?since=(1 day ago)", "/v1/audit", {"since": day_ago}),
            Case(key, "GET /v1/audit?until=(15 days ago)", "/v1/audit", {"until": half_ago}),
            Case(
                key,
                "GET /v1/audit?since&until=(a day, 15 days ago)",
                "/v1/audit",
                {"since": half_ago_and_a_day, "until": half_ago},
            ),
            Case(key, "GET /v1/audit?cursor=(15 days ago)", "/v1/audit", {"cursor": str(s.audit_cursor[tenant])}),
            Case(
                key,
                "GET /v1/audit?actor=(agent)&cursor=(15 days ago)",
                "/v1/audit",
                {"actor": agent, "cursor": str(s.audit_cursor[tenant])},
            ),
            Case(key, "GET /v1/intakes/{id}", f"/v1/intakes/{s.intake[tenant]}"),
            Case(key, "GET /v1/patients/P-frequent/intakes", "/v1/patients/P-frequent/intakes"),
        ]
        if key == "dominant":
            out += [
                Case(key, "GET /v1/audit?patient_id=(one patient)", "/v1/audit", {"patient_id": s.common_patient}),
                Case(
                    key,
                    "GET /v1/patients/P-frequent/intakes?cursor=(middle)",
                    "/v1/patients/P-frequent/intakes",
                    {"cursor": s.intake_cursor},
                ),
                Case(key, "GET /v1/patients/(one patient)/intakes", f"/v1/patients/{s.common_patient}/intakes"),
            ]
    return out


def _items(response: httpx.Response) -> int | None:
    try:
        body = response.json()
    except ValueError:
        return None
    if isinstance(body, dict):
        for name in ("items", "queues"):
            if isinstance(body.get(name), list):
                return len(body[name])
    return None


def time_routes(
    base_url: str, tokens: dict[str, str], all_cases: Sequence[Case], *, warmup: int, calls: int
) -> list[Timing]:
    timings: list[Timing] = []
    with httpx.Client(base_url=base_url, timeout=60.0) as client:
        for case in all_cases:
            headers = {"Authorization": f"Bearer {tokens[case.key]}"}
            for _ in range(warmup):
                client.get(case.path, params=case.params, headers=headers)
            samples: list[float] = []
            status = 0
            items = None
            for _ in range(calls):
                started = time.perf_counter()
                response = client.get(case.path, params=case.params, headers=headers)
                samples.append((time.perf_counter() - started) * 1000)
                status, items = response.status_code, _items(response)
            ordered = sorted(samples)
            timing = Timing(
                case=case.name,
                path=case.path,
                status=status,
                median_ms=statistics.median(ordered),
                p95_ms=ordered[max(0, -(-95 * len(ordered) // 100) - 1)],
                max_ms=ordered[-1],
                calls=calls,
                items=items,
            )
            timings.append(timing)
            flag = "  <-- >= 100 ms" if timing.slow else ""
            print(
                f"  {case.name:<62} {status}  median {timing.median_ms:8.1f} ms  p95 {timing.p95_ms:8.1f} ms{flag}",
                flush=True,
            )
    return timings


# -- the SQL each route runs, explained -----------------------------------------------------------------------


def _walk(node: dict[str, Any], found: list[str], names: list[str]) -> None:
    kind = node.get("Node Type", "?")
    relation = node.get("Relation Name")
    index = node.get("Index Name")
    names.append(kind + (f" on {relation}" if relation else "") + (f" using {index}" if index else ""))
    if kind == "Seq Scan" and relation in BIG_TABLES:
        found.append(
            f"{relation} ({node.get('Actual Rows', '?')} rows out, {node.get('Rows Removed by Filter', 0)} removed)"
        )
    for child in node.get("Plans", []):
        _walk(child, found, names)


def _statement_text(query: Any, conn: psycopg.Connection[Any]) -> str:
    return query.as_string(conn) if isinstance(query, sql.Composable) else str(query)


async def record_statements(
    settings: Settings, tokens: dict[str, str], all_cases: Sequence[Case]
) -> dict[str, list[tuple[Any, Any, str]]]:
    """Run each case once in-process; return the statements each sent, with the tenant it had set."""
    from api.app import create_app

    recorded: list[tuple[Any, Any]] = []
    original = psycopg.AsyncCursor.execute

    async def recording(self: psycopg.AsyncCursor[Any], query: Any, params: Any = None, **kwargs: Any) -> Any:
        recorded.append((query, params))
        return await original(self, query, params, **kwargs)

    psycopg.AsyncCursor.execute = recording  # type: ignore[method-assign]
    try:
        app = create_app(settings)
        by_case: dict[str, list[tuple[Any, Any, str]]] = {}
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
                for case in all_cases:
                    recorded.clear()
                    headers = {"Authorization": f"Bearer {tokens[case.key]}"}
                    await client.get(case.path, params=case.params, headers=headers)
                    tenant = ""
                    statements: list[tuple[Any, Any, str]] = []
                    for query, params in recorded:
                        text = str(query) if not isinstance(query, sql.Composable) else repr(query)
                        if "set_config('app.tenant_id'" in text and params:
                            tenant = str(
                                params[0] if isinstance(params, (list, tuple)) else next(iter(params.values()))
                            )
                            continue
                        head = text.lstrip().split(None, 1)[0].upper() if text.strip() else ""
                        if head in ("SELECT", "WITH"):
                            statements.append((query, params, tenant))
                    by_case[case.name] = statements
        return by_case
    finally:
        psycopg.AsyncCursor.execute = original  # type: ignore[method-assign]


def explain_statements(database_url: str, by_case: dict[str, list[tuple[Any, Any, str]]]) -> list[Plan]:
    plans: list[Plan] = []
    with psycopg.connect(app_conninfo(database_url)) as conn:
        for case, statements in by_case.items():
            for query, params, tenant in statements:
                text = _statement_text(query, conn)
                if "api_keys" in text or "_yoyo_migration" in text:
                    continue  # authentication and readiness: primary-key lookups, not what is measured here
                with conn.transaction(force_rollback=True):
                    conn.execute("SELECT set_config('app.tenant_id', %s, true)", (tenant,))
                    explained = sql.SQL("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ") + (
                        query if isinstance(query, sql.Composable) else sql.SQL(query)
                    )
                    row = conn.execute(explained, params).fetchone()
                    text_plan = conn.execute(
                        sql.SQL("EXPLAIN (ANALYZE, BUFFERS) ")
                        + (query if isinstance(query, sql.Composable) else sql.SQL(query)),
                        params,
                    ).fetchall()
                assert row is not None
                document = row[0][0]
                seq: list[str] = []
                names: list[str] = []
                _walk(document["Plan"], seq, names)
                plans.append(
                    Plan(
                        case=case,
                        statement=" ".join(text.split())[:160],
                        execution_ms=float(document.get("Execution Time", 0.0)),
                        seq_scans=seq,
                        nodes=" > ".join(names[:4]),
                        text="\n".join(r[0] for r in text_plan),
                    )
                )
    return plans


# -- housekeeping -----------------------------------------------------------------------------------------------


def time_housekeeping(database_url: str, retention_hours: int) -> list[tuple[str, float, str]]:
    """Procrastinate's delete_old_jobs as housekeeping calls it, and the Idempotency-Key purge; rolled back."""
    from procrastinate.sql import queries

    from store import intakes

    results: list[tuple[str, float, str]] = []
    statuses = ["succeeded", "failed", "cancelled", "aborted"]

    def timed(name: str, action: Callable[[psycopg.Connection[Any]], str]) -> None:
        with psycopg.connect(app_conninfo(database_url)) as conn, conn.transaction(force_rollback=True):
            started = time.perf_counter()
            note = action(conn)
            results.append((name, (time.perf_counter() - started) * 1000, note))
            print(f"  {name}: {results[-1][1]:.0f} ms {note}", flush=True)

    def delete_old(queue: str | None, hours: int) -> Callable[[psycopg.Connection[Any]], str]:
        def run(conn: psycopg.Connection[Any]) -> str:
            cur = conn.execute(queries["delete_old_jobs"], {"nb_hours": hours, "queue": queue, "statuses": statuses})
            return f"({cur.rowcount} jobs deleted)"

        return run

    def purge(conn: psycopg.Connection[Any]) -> str:
        total = 0
        tenants = [r[0] for r in conn.execute("SELECT id FROM tenants").fetchall()]
        for tenant in tenants:
            conn.execute("SELECT set_config('app.tenant_id', %s, true)", (tenant,))
            total += conn.execute(intakes.PURGE_IDEMPOTENCY_KEYS, {"tenant_id": tenant}).rowcount
        return f"({len(tenants)} tenants, {total} keys)"

    # Steady state: the history is 30 days, so only its oldest hour is past 719 hours (a run every 15 minutes
    # deletes about that much); then the first run after the default retention was set (most of the history).
    steady = int(HISTORY_S // 3600) - 1
    timed(f"delete_old_jobs(nb_hours={steady}, every queue): steady state", delete_old(None, steady))
    timed(f"delete_old_jobs(nb_hours={retention_hours}, every queue): catching up", delete_old(None, retention_hours))
    timed("delete_old_jobs(nb_hours=1, queue=maintenance)", delete_old("maintenance", 1))
    timed("purge_idempotency_keys (every tenant)", purge)
    return results
