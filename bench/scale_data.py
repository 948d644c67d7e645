"""Bulk-load a production-sized history into a migrated database, with server-side SQL only.

Every value is a pure function of a row number `g` (hash-based pseudo-random numbers, no `random()`), so a
job, its events, its intake, its outcome and its tenant agree without a join, and two runs load the same
data. The load runs as the superuser: row-level security does not apply, and `session_replication_role =
replica` skips triggers (Procrastinate's event and NOTIFY triggers, foreign-key checks, the audit trail's
append-only trigger — which refuses only UPDATE and DELETE anyway). Secondary indexes of the big tables
are dropped first and built again from their own definitions afterwards (faster than maintaining them row
by row); primary keys and constraint indexes stay.

The shape, for `Sizes()` (the defaults):

- 50 tenants `clinic-00` … `clinic-49`: `clinic-00` has half of everything, the others share the other
  half in proportion 1/k (the smallest, `clinic-49`, about 0.2 %); and `platform`, the operators' tenant.
- `jobs` finished triage jobs, ids 1…jobs, deferred over 30 days (ids grow with time), 1 % of them in
  the last 15 minutes; 0.5 % failed after 4 attempts, 1 % succeeded on a second attempt, 0.1 %
  cancelled, 0.02 % aborted; Procrastinate's events for each transition (about 3.1 per job).
- `live` open jobs after them: todo (a tenth waiting for a retry back-off), and some doing on four
  workers, one of which stopped heart-beating (its jobs are stalled).
- 364 `maintenance` jobs of the last hour (stalled-job recovery every 10 s, housekeeping every 15 min).
- `intakes` intakes, one per triage job (the newest ones), of about 200 patients per 1,000 intakes plus
  one patient per tenant with a long history (`P-frequent`, 1 %); an outcome for each triaged one.
- `audit` audit events over the same 30 days: creations, reads by workers and agents, outcome writes,
  history and ops reads, and unauthenticated denials (no tenant).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from typing import Any, LiteralString

import psycopg
from psycopg import sql
from psycopg.types.json import Jsonb

from tasks.engine_process import assess_payload

DAY_S = 86_400.0
HISTORY_S = 30 * DAY_S
RECENT_S = 15 * 60.0
DOMINANT = "clinic-00"
SMALL = "clinic-49"
PLATFORM = "platform"
SLOTS = 1000  # tenant shares are drawn from 1,000 slots
BIG_TABLES = ("procrastinate_jobs", "procrastinate_events", "intakes", "triage_outcomes", "audit_events")


@dataclass(frozen=True)
class Sizes:
    jobs: int = 1_000_000  # finished triage jobs
    intakes: int = 1_000_000
    audit: int = 5_000_000
    live: int = 3_000  # open jobs: todo and doing
    doing: int = 60
    tenants: int = 50

    @classmethod
    def small(cls) -> Sizes:
        return cls(jobs=20_000, intakes=20_000, audit=100_000, live=300, doing=12)


@dataclass
class LoadReport:
    steps: list[tuple[str, float]] = field(default_factory=list)
    total_s: float = 0.0


def tenant_ids(count: int) -> list[str]:
    return [f"clinic-{i:02d}" for i in range(count)]


def tenant_slots(count: int) -> list[str]:
    """SLOTS entries, each a tenant id, in proportion to the tenants' shares (at least one slot each)."""
    ids = tenant_ids(count)
    harmonic = sum(1.0 / k for k in range(1, count))
    shares = [0.5] + [0.5 * (1.0 / k) / harmonic for k in range(1, count)]
    counts = [max(1, round(share * SLOTS)) for share in shares]
    counts[0] += SLOTS - sum(counts)
    return [tenant for tenant, n in zip(ids, counts, strict=True) for _ in range(n)]


# -- per-session helper functions (pg_temp: they vanish with the session) ------------------------------------

_FUNCTIONS: LiteralString = """
-- A pseudo-random number in [0, 1) for row g and stream s.
CREATE FUNCTION pg_temp.u(g bigint, s bigint) RETURNS float8 LANGUAGE sql IMMUTABLE AS
$$ SELECT (hashint8extended(g, s) & 9007199254740991)::float8 / 9007199254740992.0 $$;

CREATE FUNCTION pg_temp.tenant(g bigint, s bigint) RETURNS text LANGUAGE sql IMMUTABLE AS
$$ SELECT ({slots}::text[])[1 + floor(pg_temp.u(g, s) * {n_slots})::int] $$;

-- What happened to job g: finished (ok, retried_ok, failed, cancelled, aborted) or open (doing, todo, todo_retry).
CREATE FUNCTION pg_temp.kind(g bigint) RETURNS text LANGUAGE sql IMMUTABLE AS $$
SELECT CASE
    WHEN g > {jobs} THEN CASE WHEN g - {jobs} <= {doing} THEN 'doing'
                              WHEN (g - {jobs}) % 10 = 0 THEN 'todo_retry' ELSE 'todo' END
    WHEN g % 200 = 0 THEN 'failed'
    WHEN g % 1000 = 7 THEN 'cancelled'
    WHEN g % 5000 = 11 THEN 'aborted'
    WHEN g % 100 = 3 THEN 'retried_ok'
    ELSE 'ok' END $$;

-- When job g was deferred: ids grow with time; 1 % of the finished jobs in the last 15 minutes; open
-- jobs in the last 5 minutes.
CREATE FUNCTION pg_temp.d(g bigint) RETURNS timestamptz LANGUAGE sql IMMUTABLE AS $$
SELECT CASE
    WHEN g <= {old_n} THEN {t0} + make_interval(secs => (g - 1)::float8 / {old_n} * {old_span})
    WHEN g <= {jobs} THEN {recent_t0} + make_interval(secs => (g - {old_n} - 1)::float8 / {recent_n} * {recent_span})
    ELSE {t_end} - interval '5 minutes' + make_interval(secs => (g - {jobs} - 1)::float8 / {live} * 280) END $$;

-- Seconds waited before the first start (a tail of long waits), and run time of an attempt.
CREATE FUNCTION pg_temp.w(g bigint) RETURNS float8 LANGUAGE sql IMMUTABLE AS $$
SELECT CASE WHEN g > {jobs} THEN 0.3
            ELSE 0.02 + pg_temp.u(g, 4) * 0.5 + (pg_temp.u(g, 5) < 0.02)::int * pg_temp.u(g, 6) * 60 END $$;
CREATE FUNCTION pg_temp.r(g bigint) RETURNS float8 LANGUAGE sql IMMUTABLE AS
$$ SELECT 0.05 + pg_temp.u(g, 7) * 0.9 $$;

CREATE FUNCTION pg_temp.patient(g bigint) RETURNS text LANGUAGE sql IMMUTABLE AS $$
SELECT CASE WHEN pg_temp.u(g, 3) < 0.01 THEN 'P-frequent' ELSE 'P' || floor(pg_temp.u(g, 2) * {patients})::int END $$;

CREATE FUNCTION pg_temp.agent(tenant text) RETURNS text LANGUAGE sql IMMUTABLE AS
$$ SELECT 'key:' || left(md5('agent:' || tenant), 12) $$;
"""


@dataclass(frozen=True)
class _Plan:
    sizes: Sizes
    t_end: datetime

    @property
    def recent_n(self) -> int:
        return max(1, self.sizes.jobs // 100)

    @property
    def old_n(self) -> int:
        return self.sizes.jobs - self.recent_n

    @property
    def first_job_with_intake(self) -> int:
        return max(1, self.sizes.jobs + self.sizes.live - self.sizes.intakes + 1)

    def functions(self) -> sql.Composed:
        s = self.sizes
        return sql.SQL(_FUNCTIONS).format(
            slots=sql.Literal(tenant_slots(s.tenants)),
            n_slots=sql.Literal(SLOTS),
            jobs=sql.Literal(s.jobs),
            doing=sql.Literal(s.doing),
            live=sql.Literal(s.live),
            old_n=sql.Literal(self.old_n),
            recent_n=sql.Literal(self.recent_n),
            t0=sql.Literal(self.t_end - timedelta(seconds=HISTORY_S)),
            old_span=sql.Literal(HISTORY_S - RECENT_S),
            recent_t0=sql.Literal(self.t_end - timedelta(seconds=RECENT_S)),
            recent_span=sql.Literal(RECENT_S - 70.0),  # the last of them ends before the load does
            t_end=sql.Literal(self.t_end),
            patients=sql.Literal(max(10, s.intakes // 5)),
        )


# -- the statements ----------------------------------------------------------------------------------------

_TENANTS: LiteralString = """
INSERT INTO tenants (id) SELECT unnest(%(ids)s::text[]) ON CONFLICT DO NOTHING
"""

_WORKERS: LiteralString = """
INSERT INTO procrastinate_workers (id, last_heartbeat) OVERRIDING SYSTEM VALUE
VALUES (1, now()), (2, now()), (3, now()), (4, now() - interval '10 minutes')
"""

_STATUS: LiteralString = """
CASE pg_temp.kind(g) WHEN 'ok' THEN 'succeeded' WHEN 'retried_ok' THEN 'succeeded' WHEN 'failed' THEN 'failed'
     WHEN 'cancelled' THEN 'cancelled' WHEN 'aborted' THEN 'aborted' WHEN 'doing' THEN 'doing' ELSE 'todo' END
"""

_ATTEMPTS: LiteralString = """
CASE pg_temp.kind(g) WHEN 'ok' THEN 1 WHEN 'retried_ok' THEN 2 WHEN 'failed' THEN 4 WHEN 'aborted' THEN 1
     WHEN 'todo_retry' THEN 1 ELSE 0 END
"""

_JOBS: LiteralString = (
    """
INSERT INTO procrastinate_jobs
    (id, queue_name, task_name, priority, args, status, scheduled_at, attempts, abort_requested, worker_id)
SELECT g, 'triage', 'triage_intake', 0,
       jsonb_build_object('intake_id', md5('intake:' || g)::uuid::text, 'tenant_id', pg_temp.tenant(g, 1)),
       ("""
    + _STATUS
    + """)::procrastinate_job_status,
       CASE WHEN pg_temp.kind(g) = 'todo_retry' THEN %(t_end)s + make_interval(secs => 30 + pg_temp.u(g, 8) * 60) END,
       """
    + _ATTEMPTS
    + """,
       pg_temp.kind(g) = 'aborted',
       CASE WHEN pg_temp.kind(g) = 'doing' THEN 1 + g %% 4 END
FROM generate_series(1, %(n)s::bigint) g
"""
)

# Offsets (seconds after deferral) of each kind's events, as Procrastinate's triggers would have written them.
_EVENTS: LiteralString = """
INSERT INTO procrastinate_events (job_id, type, at)
SELECT t.g, e.type::procrastinate_job_event_type, t.d + make_interval(secs => e.off)
FROM (SELECT g, pg_temp.kind(g) AS k, pg_temp.d(g) AS d, pg_temp.w(g) AS w, pg_temp.r(g) AS r
      FROM generate_series(1, %(n)s::bigint) g) t
CROSS JOIN LATERAL unnest(
    CASE t.k
        WHEN 'ok' THEN ARRAY['deferred', 'started', 'succeeded']
        WHEN 'retried_ok' THEN ARRAY['deferred', 'started', 'deferred_for_retry', 'started', 'succeeded']
        WHEN 'failed' THEN ARRAY['deferred', 'started', 'deferred_for_retry', 'started', 'deferred_for_retry',
                                 'started', 'deferred_for_retry', 'started', 'failed']
        WHEN 'cancelled' THEN ARRAY['deferred', 'cancelled']
        WHEN 'aborted' THEN ARRAY['deferred', 'started', 'abort_requested', 'aborted']
        WHEN 'doing' THEN ARRAY['deferred', 'started']
        WHEN 'todo_retry' THEN ARRAY['deferred', 'started', 'deferred_for_retry', 'scheduled']
        ELSE ARRAY['deferred'] END,
    CASE t.k
        WHEN 'ok' THEN ARRAY[0, t.w, t.w + t.r]
        WHEN 'retried_ok' THEN ARRAY[0, t.w, t.w + t.r, t.w + t.r + 1, t.w + 2 * t.r + 1]
        WHEN 'failed' THEN ARRAY[0, t.w, t.w + t.r, t.w + t.r + 1, t.w + 2 * t.r + 1, t.w + 2 * t.r + 3,
                                 t.w + 3 * t.r + 3, t.w + 3 * t.r + 7, t.w + 4 * t.r + 7]
        WHEN 'cancelled' THEN ARRAY[0, 5]
        WHEN 'aborted' THEN ARRAY[0, t.w, t.w + t.r, t.w + t.r + 0.5]
        WHEN 'doing' THEN ARRAY[0, t.w]
        WHEN 'todo_retry' THEN ARRAY[0, t.w, t.w + t.r, 120]
        ELSE ARRAY[0::float8] END
) AS e (type, off)
"""

_MAINTENANCE_JOBS: LiteralString = """
INSERT INTO procrastinate_jobs (id, queue_name, task_name, priority, args, status, attempts)
SELECT %(first)s + i, 'maintenance', CASE WHEN i %% 90 = 0 THEN 'housekeeping' ELSE 'recover_stalled_jobs' END, 100,
       jsonb_build_object('timestamp', extract(epoch FROM %(t_end)s - interval '1 hour')::bigint + i * 10),
       'succeeded', 1
FROM generate_series(0, 363) i
"""

_MAINTENANCE_EVENTS: LiteralString = """
INSERT INTO procrastinate_events (job_id, type, at)
SELECT j.id, e.type::procrastinate_job_event_type,
       %(t_end)s - interval '1 hour' + make_interval(secs => (j.id - %(first)s) * 10 + e.off)
FROM procrastinate_jobs j
CROSS JOIN LATERAL unnest(ARRAY['deferred', 'started', 'succeeded'], ARRAY[0, 0.01, 0.05]) AS e (type, off)
WHERE j.id >= %(first)s
"""

_INTAKES: LiteralString = """
INSERT INTO intakes (id, tenant_id, patient_id, payload, status, job_id, attempts, failure_reason, idempotency_key,
                     created_by, created_at, updated_at, request_hash, idempotency_expires_at, failure_detail)
SELECT md5('intake:' || g)::uuid, t.tenant, t.patient,
       jsonb_build_object(
           'patient_id', t.patient, 'age', floor(pg_temp.u(g, 9) * 95)::int,
           'sex', (ARRAY['female', 'male', 'other', 'unknown'])[1 + floor(pg_temp.u(g, 10) * 4)::int],
           'symptoms', jsonb_build_array(
               (ARRAY['cough', 'fever', 'headache', 'chest pain', 'shortness of breath', 'abdominal pain',
                      'dizziness', 'rash'])[1 + floor(pg_temp.u(g, 11) * 8)::int],
               (ARRAY['fatigue', 'nausea', 'sore throat', 'back pain'])[1 + floor(pg_temp.u(g, 12) * 4)::int]),
           'urgency', (ARRAY['low', 'medium', 'high', 'emergency'])[1 + floor(pg_temp.u(g, 13) * 4)::int],
           'vitals', jsonb_build_object(
               'heart_rate', 55 + floor(pg_temp.u(g, 14) * 70)::int,
               'respiratory_rate', 10 + floor(pg_temp.u(g, 15) * 18)::int,
               'spo2', 88 + floor(pg_temp.u(g, 16) * 12)::int,
               'systolic_bp', 90 + floor(pg_temp.u(g, 17) * 80)::int,
               'temperature_c', round((36 + pg_temp.u(g, 18) * 4)::numeric, 1)),
           'notes', 'Reported by the intake agent after a structured interview; symptoms started '
                    || (1 + floor(pg_temp.u(g, 19) * 10)::int) || ' days ago, no known allergies, '
                    || 'takes no regular medication, lives with family.'),
       CASE WHEN t.k IN ('ok', 'retried_ok') THEN 'triaged' WHEN t.k IN ('failed', 'cancelled', 'aborted') THEN 'failed'
            ELSE 'queued' END,
       g,
       CASE t.k WHEN 'ok' THEN 1 WHEN 'retried_ok' THEN 2 WHEN 'failed' THEN 4 WHEN 'cancelled' THEN 0
                WHEN 'todo' THEN 0 ELSE 1 END,
       CASE t.k WHEN 'failed' THEN 'ValueError after 4 attempt(s)' WHEN 'cancelled' THEN 'Cancelled by an operator'
                WHEN 'aborted' THEN 'Aborted by an operator' END,
       CASE WHEN t.recent_key THEN 'idem-' || g END,
       pg_temp.agent(t.tenant),
       t.d - interval '5 milliseconds',
       CASE WHEN t.k IN ('todo', 'todo_retry', 'doing') THEN t.d
            ELSE t.d + make_interval(secs => pg_temp.w(g) + pg_temp.r(g)) END,
       CASE WHEN t.recent_key THEN decode(md5('body:' || g), 'hex') END,
       CASE WHEN t.recent_key THEN t.d + interval '24 hours' END,
       CASE WHEN t.k = 'failed' THEN 'KeyError at engine_input.py:16 in intake_for_engine' END
FROM (SELECT g, pg_temp.kind(g) AS k, pg_temp.d(g) AS d, pg_temp.tenant(g, 1) AS tenant, pg_temp.patient(g) AS patient,
             pg_temp.d(g) > %(t_end)s - interval '24 hours' AND g %% 2 = 0 AS recent_key
      FROM generate_series(%(first)s::bigint, %(last)s::bigint) g) t
"""

_OUTCOMES: LiteralString = """
INSERT INTO triage_outcomes (intake_id, tenant_id, acuity, disposition, assessment, engine_name, engine_version,
                             job_id, created_at)
SELECT md5('intake:' || g)::uuid, pg_temp.tenant(g, 1), (o ->> 'acuity')::int, o ->> 'disposition',
       o -> 'assessment', o ->> 'engine_name', o ->> 'engine_version', g,
       pg_temp.d(g) + make_interval(secs => pg_temp.w(g) + pg_temp.r(g))
FROM (SELECT g, %(outcomes)s::jsonb -> floor(pg_temp.u(g, 20) * 5)::int AS o
      FROM generate_series(%(first)s::bigint, %(last)s::bigint) g
      WHERE pg_temp.kind(g) IN ('ok', 'retried_ok')) t
"""

# One intake per ESI level, assessed by the engine itself: stored outcomes must be what a worker writes, since
# every read serves the assessment through the engine's own result types (api/intakes/schemas.py).
_LEVEL_EXAMPLES: tuple[dict[str, Any], ...] = (
    {"age": 70, "symptoms": ["unresponsive"], "vitals": {"heart_rate": 30, "spo2": 80}, "urgency": "emergency"},
    {"age": 70, "symptoms": ["crushing chest pain", "sweating"], "vitals": {"heart_rate": 120}, "urgency": "high"},
    {"age": 40, "symptoms": ["abdominal pain", "fever"], "urgency": "medium"},
    {"age": 30, "symptoms": ["sprained ankle"], "urgency": "low"},
    {"age": 25, "symptoms": ["sore throat"], "urgency": "low"},
)


def engine_outcomes() -> Jsonb:
    """The engine's results for _LEVEL_EXAMPLES, as the rows the outcome loader picks from."""
    results = [assess_payload(example) for example in _LEVEL_EXAMPLES]
    return Jsonb([asdict(result) for result in results])


# One event in 50 is an unauthenticated denial (no tenant); the rest are spread like the jobs' tenants.
_AUDIT: LiteralString = """
INSERT INTO audit_events (occurred_at, tenant_id, actor, action, resource_type, resource_id, patient_id, outcome,
                          request_id, job_id)
SELECT %(t0)s + make_interval(secs => (g - 1)::float8 / %(n)s * %(span)s),
       CASE WHEN t.a < 0.98 THEN t.tenant END,
       CASE WHEN t.a < 0.25 THEN pg_temp.agent(t.tenant)
            WHEN t.a < 0.65 THEN 'worker:w' || (1 + g %% 4)
            WHEN t.a < 0.94 THEN pg_temp.agent(t.tenant)
            WHEN t.a < 0.98 THEN 'key:' || left(md5('ops:' || t.tenant), 12)
            ELSE 'anonymous' END,
       CASE WHEN t.a < 0.25 THEN 'intake.create' WHEN t.a < 0.45 THEN 'intake.read'
            WHEN t.a < 0.65 THEN 'outcome.write'
            WHEN t.a < 0.88 THEN 'intake.read' WHEN t.a < 0.94 THEN 'patient.intakes.list'
            WHEN t.a < 0.96 THEN 'ops.jobs.list' WHEN t.a < 0.97 THEN 'ops.queues.read'
            WHEN t.a < 0.98 THEN 'audit.list'
            ELSE 'intake.read' END,
       CASE WHEN t.a < 0.88 OR t.a >= 0.98 THEN 'intake' WHEN t.a < 0.94 THEN 'patient' WHEN t.a < 0.97 THEN 'job'
            ELSE 'audit_event' END,
       CASE WHEN t.a < 0.88 THEN md5('intake:' || (g %% 1000003))::uuid::text WHEN t.a < 0.94 THEN t.patient END,
       CASE WHEN t.a < 0.94 THEN t.patient END,
       CASE WHEN t.a >= 0.98 THEN 'denied' WHEN pg_temp.u(g, 24) < 0.01 THEN 'not_found' ELSE 'success' END,
       CASE WHEN t.a < 0.25 OR (t.a >= 0.65 AND t.a < 0.98) OR t.a >= 0.98 THEN md5('request:' || g) END,
       CASE WHEN t.a >= 0.25 AND t.a < 0.65 THEN g %% 1000003 END
FROM (SELECT g, pg_temp.u(g, 22) AS a, pg_temp.tenant(g, 21) AS tenant, pg_temp.patient(g) AS patient
      FROM generate_series(1, %(n)s::bigint) g) t
"""

_SECONDARY_INDEXES: LiteralString = """
SELECT i.relname AS name, pg_get_indexdef(x.indexrelid) AS definition, c.relname AS table_name
FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class c ON c.oid = x.indrelid
WHERE c.relname = ANY(%(tables)s) AND c.relnamespace = 'public'::regnamespace
  AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid)
ORDER BY c.relname, i.relname
"""


@contextmanager
def _session(url: str, plan: _Plan) -> Iterator[psycopg.Connection[Any]]:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("SET session_replication_role = replica")
        conn.execute("SET synchronous_commit = off")
        conn.execute("SET maintenance_work_mem = '1GB'")
        conn.execute("SET work_mem = '256MB'")
        conn.execute("SET max_parallel_maintenance_workers = 0")  # two sessions already share two cores
        conn.execute(plan.functions())
        yield conn


def _timed(report: LoadReport, name: str, action: Callable[[], object]) -> None:
    started = time.perf_counter()
    action()
    elapsed = time.perf_counter() - started
    report.steps.append((name, elapsed))
    print(f"  {name}: {elapsed:.1f} s", flush=True)


def _run(conn: psycopg.Connection[Any], query: LiteralString, params: dict[str, Any]) -> Callable[[], object]:
    return lambda: conn.execute(query, params)


def _indexes(conn: psycopg.Connection[Any], definitions: list[tuple[str, str]]) -> Callable[[], object]:
    def build() -> None:
        for _name, definition in definitions:
            conn.execute(sql.SQL(definition))  # the server's own pg_get_indexdef() text

    return build


def _vacuum(conn: psycopg.Connection[Any], table: str) -> Callable[[], object]:
    return lambda: conn.execute(sql.SQL("VACUUM ANALYZE {}").format(sql.Identifier(table)))


def load(owner_url: str, sizes: Sizes) -> LoadReport:
    """Load `sizes` into the migrated database at `owner_url` (a superuser URL); VACUUM ANALYZE it."""
    report = LoadReport()
    started = time.perf_counter()
    with psycopg.connect(owner_url, autocommit=True) as conn:
        row = conn.execute("SELECT now()").fetchone()
        assert row is not None
        t_end: datetime = row[0]
    plan = _Plan(sizes, t_end)
    s = sizes
    first_maintenance = s.jobs + s.live + 1

    with _session(owner_url, plan) as conn:
        conn.execute(_TENANTS, {"ids": [*tenant_ids(s.tenants), PLATFORM]})
        conn.execute(_WORKERS)
        indexes = conn.execute(_SECONDARY_INDEXES, {"tables": list(BIG_TABLES)}).fetchall()
        for name, _definition, _table in indexes:
            conn.execute(sql.SQL("DROP INDEX {}").format(sql.Identifier(name)))
    by_table: dict[str, list[tuple[str, str]]] = {}
    for name, definition, table in indexes:
        by_table.setdefault(table, []).append((name, definition))

    def queue_side() -> None:
        with _session(owner_url, plan) as conn:
            n_jobs = s.jobs + s.live
            bounds = {"first": plan.first_job_with_intake, "last": n_jobs, "t_end": t_end}
            maintenance = {"first": first_maintenance, "t_end": t_end}
            steps: list[tuple[str, LiteralString, dict[str, Any]]] = [
                (f"procrastinate_jobs: {n_jobs:,} triage jobs", _JOBS, {"n": n_jobs, "t_end": t_end}),
                ("procrastinate_jobs: 364 maintenance jobs", _MAINTENANCE_JOBS, maintenance),
                ("procrastinate_events", _EVENTS, {"n": n_jobs}),
                ("procrastinate_events (maintenance)", _MAINTENANCE_EVENTS, maintenance),
                (f"intakes: {n_jobs - plan.first_job_with_intake + 1:,}", _INTAKES, bounds),
                ("triage_outcomes", _OUTCOMES, {**bounds, "outcomes": engine_outcomes()}),
            ]
            for name, query, params in steps:
                _timed(report, name, _run(conn, query, params))
            conn.execute("SELECT setval('procrastinate_jobs_id_seq', (SELECT max(id) FROM procrastinate_jobs))")
            tables = ("procrastinate_jobs", "procrastinate_events", "intakes", "triage_outcomes")
            for table in tables:
                _timed(report, f"indexes of {table}", _indexes(conn, by_table.get(table, [])))
            for table in tables:
                _timed(report, f"VACUUM ANALYZE {table}", _vacuum(conn, table))

    def audit_side() -> None:
        with _session(owner_url, plan) as conn:
            params = {"n": s.audit, "t0": t_end - timedelta(seconds=HISTORY_S), "span": HISTORY_S - 60.0}
            _timed(report, f"audit_events: {s.audit:,}", _run(conn, _AUDIT, params))
            _timed(report, "indexes of audit_events", _indexes(conn, by_table.get("audit_events", [])))
            _timed(report, "VACUUM ANALYZE audit_events", _vacuum(conn, "audit_events"))

    # Two sessions, one per core: the queue tables on one, the audit trail on the other.
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = [pool.submit(queue_side), pool.submit(audit_side)]
        for future in futures:
            future.result()

    with psycopg.connect(owner_url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE tenants, procrastinate_workers")
        # Derived state that migrations keep with triggers (skipped by the replica-mode load) is rebuilt.
        if conn.execute("SELECT to_regprocedure('ops_job_counts_rebuild()')").fetchone() not in (None, (None,)):
            _timed(report, "ops_job_counts_rebuild()", lambda: conn.execute("SELECT ops_job_counts_rebuild()"))
            conn.execute("VACUUM ANALYZE ops_job_counts")
    report.total_s = time.perf_counter() - started
    return report
