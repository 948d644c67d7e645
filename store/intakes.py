"""Intakes and their outcomes: the only SQL that touches them.

Every function runs inside the caller's tenant transaction (store.tenancy); row-level security makes
other tenants' rows invisible even if a WHERE clause were forgotten.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from psycopg import AsyncConnection
from psycopg.rows import class_row, dict_row
from psycopg.types.json import Jsonb

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
    disposition: str
    assessment: dict[str, Any]
    engine_name: str
    engine_version: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class IntakeView:
    """An intake with its outcome (None until triaged)."""

    intake: IntakeRow
    outcome: OutcomeRow | None


_INTAKE_COLUMNS = (
    "i.id, i.tenant_id, i.patient_id, i.payload, i.status, i.job_id, i.attempts, i.failure_reason,"
    " i.created_at, i.updated_at"
)
_OUTCOME_COLUMNS = (
    "o.acuity AS o_acuity, o.disposition AS o_disposition, o.assessment AS o_assessment,"
    " o.engine_name AS o_engine_name, o.engine_version AS o_engine_version, o.created_at AS o_created_at"
)

INSERT_INTAKE = (
    """
INSERT INTO intakes AS i (tenant_id, patient_id, payload, created_by, idempotency_key)
VALUES (%(tenant_id)s, %(patient_id)s, %(payload)s, %(created_by)s, %(idempotency_key)s)
RETURNING """
    + _INTAKE_COLUMNS
)

SET_JOB_ID = "UPDATE intakes SET job_id = %(job_id)s WHERE id = %(intake_id)s"

# An intake with its outcome, if any; both reads below start from this.
_SELECT_VIEWS = (
    "SELECT "
    + _INTAKE_COLUMNS
    + ", "
    + _OUTCOME_COLUMNS
    + " FROM intakes i LEFT JOIN triage_outcomes o ON o.intake_id = i.id"
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

CLAIM_FOR_TRIAGE = (
    """
UPDATE intakes AS i SET status = 'processing', attempts = attempts + 1, updated_at = now()
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
UPDATE intakes SET status = 'triaged', failure_reason = NULL, updated_at = now() WHERE id = %(intake_id)s
"""

MARK_FAILED = """
UPDATE intakes SET status = 'failed', failure_reason = %(reason)s, updated_at = now()
WHERE id = %(intake_id)s AND status <> 'triaged'
"""


async def insert_intake(
    conn: AsyncConnection,
    *,
    tenant_id: str,
    patient_id: str,
    payload: dict[str, Any],
    created_by: str,
    idempotency_key: str | None = None,
) -> IntakeRow:
    async with conn.cursor(row_factory=class_row(IntakeRow)) as cur:
        await cur.execute(
            INSERT_INTAKE,
            {
                "tenant_id": tenant_id,
                "patient_id": patient_id,
                "payload": Jsonb(payload),
                "created_by": created_by,
                "idempotency_key": idempotency_key,
            },
        )
        row = await cur.fetchone()
    assert row is not None
    return row


async def set_job_id(conn: AsyncConnection, intake_id: UUID, job_id: int) -> None:
    await conn.execute(SET_JOB_ID, {"intake_id": intake_id, "job_id": job_id})


def _view(row: dict[str, Any]) -> IntakeView:
    intake = IntakeRow(**{k: v for k, v in row.items() if not k.startswith("o_")})
    outcome = None
    if row["o_acuity"] is not None:
        outcome = OutcomeRow(**{k.removeprefix("o_"): v for k, v in row.items() if k.startswith("o_")})
    return IntakeView(intake=intake, outcome=outcome)


async def get_view(conn: AsyncConnection, intake_id: UUID) -> IntakeView | None:
    async with conn.cursor(row_factory=dict_row) as cur:
        await cur.execute(SELECT_VIEW, {"intake_id": intake_id})
        row = await cur.fetchone()
    return _view(row) if row else None


async def list_patient_views(
    conn: AsyncConnection,
    patient_id: str,
    *,
    limit: int,
    after_id: UUID | None = None,
) -> list[IntakeView]:
    async with conn.cursor(row_factory=dict_row) as cur:
        await cur.execute(
            SELECT_PATIENT_VIEWS,
            {
                "patient_id": patient_id,
                "limit": limit,
                "after_id": after_id,
            },
        )
        rows = await cur.fetchall()
    return [_view(row) for row in rows]


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
    disposition: str,
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


async def mark_failed(conn: AsyncConnection, intake_id: UUID, reason: str) -> None:
    await conn.execute(MARK_FAILED, {"intake_id": intake_id, "reason": reason})
