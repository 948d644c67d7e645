"""Intakes and their outcomes: the only SQL that touches them.

Every function runs inside the caller's tenant transaction (store.tenancy); row-level security makes
other tenants' rows invisible even if a WHERE clause were forgotten.

The stored `status` records only what the intake's own transactions decide: `queued` until the outcome
(`triaged`) or the last failed attempt (`failed`) is written. Whether an open intake is `processing` is
read from its job at query time — a job in `doing` held by a worker that still heart-beats — so a killed
worker, a retry back-off or a recovered job can never leave a stale status behind.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from psycopg import AsyncConnection
from psycopg.rows import class_row, dict_row
from psycopg.types.json import Jsonb

from store.reviews import Review
from triage.models import Disposition

IntakeStatus = Literal["queued", "processing", "triaged", "failed"]


@dataclass(frozen=True, slots=True)
class IntakeRow:
    id: UUID
    tenant_id: str
    patient_id: str
    payload: dict[str, Any]
    status: IntakeStatus
    job_id: int | None
    attempts: int
    failure_reason: str | None
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class OutcomeRow:
    acuity: int
    disposition: Disposition
    assessment: dict[str, Any]
    engine_name: str
    engine_version: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class IntakeView:
    """An intake with its outcome (None until triaged) and its clinicians' reviews (oldest first)."""

    intake: IntakeRow
    outcome: OutcomeRow | None
    reviews: tuple[Review, ...] = ()


_INTAKE_COLUMNS = (
    "i.id, i.tenant_id, i.patient_id, i.payload, i.status, i.job_id, i.attempts, i.failure_reason,"
    " i.created_at, i.updated_at"
)
_OUTCOME_COLUMNS = (
    "o.acuity AS o_acuity, o.disposition AS o_disposition, o.assessment AS o_assessment,"
    " o.engine_name AS o_engine_name, o.engine_version AS o_engine_version, o.created_at AS o_created_at"
)

# The id is chosen by the caller and the job deferred first, so the row is written once, job id included.
# The status an open intake reports is derived from its job and that job's worker (see the module docstring).
_REPORTED_STATUS = """
CASE
    WHEN i.status IN ('triaged', 'failed') THEN i.status
    WHEN j.status = 'doing' AND w.last_heartbeat >= now() - make_interval(secs => %(stalled_after)s)
        THEN 'processing'
    WHEN j.status IN ('failed', 'cancelled', 'aborted') THEN 'failed'
    ELSE 'queued'
END"""

# An intake with its outcome, if any; both reads below start from this.
_SELECT_VIEWS = (
    "SELECT "
    + _INTAKE_COLUMNS.replace("i.status,", _REPORTED_STATUS + " AS status,")
    + ", "
    + _OUTCOME_COLUMNS
    + """
FROM intakes i
LEFT JOIN triage_outcomes o ON o.intake_id = i.id
LEFT JOIN procrastinate_jobs j ON j.id = i.job_id AND i.status NOT IN ('triaged', 'failed')
LEFT JOIN procrastinate_workers w ON w.id = j.worker_id"""
)

SELECT_VIEW = _SELECT_VIEWS + " WHERE i.id = %(intake_id)s"

# Keyset pagination, newest first: the cursor is the id of the last intake already seen. An unknown id
# (or another tenant's, invisible under RLS) yields an empty page.
SELECT_PATIENT_VIEWS = (
    _SELECT_VIEWS
    + """
WHERE i.patient_id = %(patient_id)s
  AND (%(after_id)s::uuid IS NULL
       OR (i.created_at, i.id) < (SELECT c.created_at, c.id FROM intakes c WHERE c.id = %(after_id)s::uuid))
ORDER BY i.created_at DESC, i.id DESC
LIMIT %(limit)s
"""
)

# The intake as stored (its stored status: queued, triaged or failed), for the worker's own decisions.
SELECT_STORED = "SELECT " + _INTAKE_COLUMNS + " FROM intakes AS i WHERE i.id = %(intake_id)s"

# Counts the attempt; the status stays as stored (`processing` is read from the job, see above).
CLAIM_FOR_TRIAGE = (
    """
UPDATE intakes AS i SET attempts = attempts + 1, updated_at = now()
WHERE id = %(intake_id)s AND status <> 'triaged'
RETURNING """
    + _INTAKE_COLUMNS
)

INSERT_OUTCOME = """
INSERT INTO triage_outcomes
    (intake_id, tenant_id, acuity, disposition, assessment, engine_name, engine_version, job_id)
VALUES (%(intake_id)s, %(tenant_id)s, %(acuity)s, %(disposition)s, %(assessment)s, %(engine_name)s,
        %(engine_version)s, %(job_id)s)
ON CONFLICT (intake_id) DO NOTHING
RETURNING id
"""

MARK_TRIAGED = """
UPDATE intakes SET status = 'triaged', failure_reason = NULL, failure_detail = NULL, updated_at = now()
WHERE id = %(intake_id)s
"""

MARK_FAILED = """
UPDATE intakes SET status = 'failed', failure_reason = %(reason)s, failure_detail = %(detail)s, updated_at = now()
WHERE id = %(intake_id)s AND status <> 'triaged'
"""

# A live key of this owner; an expired one (not yet purged by housekeeping) counts as absent.
SELECT_BY_IDEMPOTENCY_KEY = (
    """
SELECT """
    + _INTAKE_COLUMNS
    + """, i.request_hash, i.idempotency_expires_at > now() AS live
FROM intakes i
WHERE i.tenant_id = %(tenant_id)s AND i.created_by = %(created_by)s AND i.idempotency_key = %(idempotency_key)s
"""
)

RELEASE_IDEMPOTENCY_KEY = """
UPDATE intakes SET idempotency_key = NULL, request_hash = NULL, idempotency_expires_at = NULL WHERE id = %(intake_id)s
"""

PURGE_IDEMPOTENCY_KEYS = """
UPDATE intakes SET idempotency_key = NULL, request_hash = NULL, idempotency_expires_at = NULL
WHERE tenant_id = %(tenant_id)s AND idempotency_key IS NOT NULL AND idempotency_expires_at <= now()
"""

# A failed intake whose job an operator retried (the same job): open again, its failure forgotten.
REOPEN_FAILED = """
UPDATE intakes SET status = 'queued', failure_reason = NULL, failure_detail = NULL, updated_at = now()
WHERE id = %(intake_id)s AND status = 'failed'
"""

# Re-open a failed intake on a new job (a fresh attempt budget). The stored status may still say `queued`
# when the job failed but the intake could not be marked (the database went away at that moment).
REQUEUE_FAILED = """
UPDATE intakes SET status = 'queued', job_id = %(job_id)s, attempts = 0, failure_reason = NULL, failure_detail = NULL,
                   updated_at = now()
WHERE id = %(intake_id)s AND status <> 'triaged'
"""


@dataclass(frozen=True, slots=True)
class IdempotencyKey:
    """An Idempotency-Key as stored: the key, a fingerprint of the request, and how long it is kept."""

    key: str
    request_hash: bytes
    hours: int


@dataclass(frozen=True, slots=True)
class KeyedIntake:
    """The intake a live Idempotency-Key already names, with the fingerprint of the request that created it."""

    intake: IntakeRow
    request_hash: bytes | None
    live: bool


SUBMIT_INTAKE = (
    "SELECT "
    + _INTAKE_COLUMNS
    + """ FROM intake_submit(%(tenant_id)s, %(id)s, %(patient_id)s, %(payload)s, %(created_by)s, %(idempotency_key)s,
    %(request_hash)s, %(idempotency_hours)s, %(queue)s, %(task)s, %(audit_action)s, %(audit_resource_type)s,
    %(request_id)s) AS i"""
)


@dataclass(frozen=True, slots=True)
class Submission:
    """What `submit_intake` stores: the intake, the job that will triage it, and the audit event's fields."""

    intake_id: UUID
    tenant_id: str
    patient_id: str
    payload: dict[str, Any]
    created_by: str
    queue: str
    task: str
    audit_action: str
    audit_resource_type: str
    request_id: str | None
    idempotency: IdempotencyKey | None = None


async def submit_intake(conn: AsyncConnection, submission: Submission) -> IntakeRow:
    """Defer the triage job, insert the intake with its job id and record its audit event: one statement
    (migrations/0011_intake_submit.sql), in the caller's transaction."""
    key = submission.idempotency
    async with conn.cursor(row_factory=class_row(IntakeRow)) as cur:
        await cur.execute(
            SUBMIT_INTAKE,
            {
                "tenant_id": submission.tenant_id,
                "id": submission.intake_id,
                "patient_id": submission.patient_id,
                "payload": Jsonb(submission.payload),
                "created_by": submission.created_by,
                "idempotency_key": key.key if key else None,
                "request_hash": key.request_hash if key else None,
                "idempotency_hours": key.hours if key else 0,
                "queue": submission.queue,
                "task": submission.task,
                "audit_action": submission.audit_action,
                "audit_resource_type": submission.audit_resource_type,
                "request_id": submission.request_id,
            },
        )
        row = await cur.fetchone()
    assert row is not None
    return row


async def find_by_idempotency_key(
    conn: AsyncConnection, *, tenant_id: str, created_by: str, idempotency_key: str
) -> KeyedIntake | None:
    async with conn.cursor(row_factory=dict_row) as cur:
        await cur.execute(
            SELECT_BY_IDEMPOTENCY_KEY,
            {"tenant_id": tenant_id, "created_by": created_by, "idempotency_key": idempotency_key},
        )
        row = await cur.fetchone()
    if row is None:
        return None
    request_hash, live = row.pop("request_hash"), row.pop("live")
    return KeyedIntake(intake=IntakeRow(**row), request_hash=request_hash, live=bool(live))


async def release_idempotency_key(conn: AsyncConnection, intake_id: UUID) -> None:
    await conn.execute(RELEASE_IDEMPOTENCY_KEY, {"intake_id": intake_id})


async def purge_idempotency_keys(conn: AsyncConnection, tenant_id: str) -> int:
    """Forget the tenant's expired Idempotency-Keys; returns how many."""
    cur = await conn.execute(PURGE_IDEMPOTENCY_KEYS, {"tenant_id": tenant_id})
    return cur.rowcount


async def reopen_failed(conn: AsyncConnection, intake_id: UUID) -> bool:
    cur = await conn.execute(REOPEN_FAILED, {"intake_id": intake_id})
    return cur.rowcount == 1


async def requeue_failed(conn: AsyncConnection, intake_id: UUID, job_id: int) -> bool:
    cur = await conn.execute(REQUEUE_FAILED, {"intake_id": intake_id, "job_id": job_id})
    return cur.rowcount == 1


def _view(row: dict[str, Any]) -> IntakeView:
    intake = IntakeRow(**{k: v for k, v in row.items() if not k.startswith("o_")})
    outcome = None
    if row["o_acuity"] is not None:
        outcome = OutcomeRow(**{k.removeprefix("o_"): v for k, v in row.items() if k.startswith("o_")})
    return IntakeView(intake=intake, outcome=outcome)


async def get_view(conn: AsyncConnection, intake_id: UUID, *, stalled_after: float) -> IntakeView | None:
    async with conn.cursor(row_factory=dict_row) as cur:
        await cur.execute(SELECT_VIEW, {"intake_id": intake_id, "stalled_after": stalled_after})
        row = await cur.fetchone()
    return _view(row) if row else None


async def list_patient_views(
    conn: AsyncConnection,
    patient_id: str,
    *,
    limit: int,
    after_id: UUID | None = None,
    stalled_after: float,
) -> list[IntakeView]:
    async with conn.cursor(row_factory=dict_row) as cur:
        await cur.execute(
            SELECT_PATIENT_VIEWS,
            {
                "patient_id": patient_id,
                "limit": limit,
                "after_id": after_id,
                "stalled_after": stalled_after,
            },
        )
        rows = await cur.fetchall()
    return [_view(row) for row in rows]


async def get_stored(conn: AsyncConnection, intake_id: UUID) -> IntakeRow | None:
    async with conn.cursor(row_factory=class_row(IntakeRow)) as cur:
        await cur.execute(SELECT_STORED, {"intake_id": intake_id})
        return await cur.fetchone()


async def claim_for_triage(conn: AsyncConnection, intake_id: UUID) -> IntakeRow | None:
    """Mark the intake `processing`; None when it is already triaged (or does not exist)."""
    async with conn.cursor(row_factory=class_row(IntakeRow)) as cur:
        await cur.execute(CLAIM_FOR_TRIAGE, {"intake_id": intake_id})
        return await cur.fetchone()


async def insert_outcome(
    conn: AsyncConnection,
    *,
    intake: IntakeRow,
    acuity: int,
    disposition: Disposition,
    assessment: dict[str, Any],
    engine_name: str,
    engine_version: str,
    job_id: int | None,
) -> bool:
    """Write the outcome once; False when the intake already had one (a re-run writes nothing)."""
    cur = await conn.execute(
        INSERT_OUTCOME,
        {
            "intake_id": intake.id,
            "tenant_id": intake.tenant_id,
            "acuity": acuity,
            "disposition": disposition,
            "assessment": Jsonb(assessment),
            "engine_name": engine_name,
            "engine_version": engine_version,
            "job_id": job_id,
        },
    )
    return await cur.fetchone() is not None


async def mark_triaged(conn: AsyncConnection, intake_id: UUID) -> None:
    await conn.execute(MARK_TRIAGED, {"intake_id": intake_id})


async def mark_failed(conn: AsyncConnection, intake_id: UUID, reason: str, detail: str | None = None) -> None:
    await conn.execute(MARK_FAILED, {"intake_id": intake_id, "reason": reason, "detail": detail})


async def get_status(conn: AsyncConnection, intake_id: UUID) -> str | None:
    """The intake's stored status alone (no patient data), or None if this tenant has no such intake."""
    cur = await conn.execute("SELECT status FROM intakes WHERE id = %s", (intake_id,))
    row = await cur.fetchone()
    return None if row is None else str(row[0])
