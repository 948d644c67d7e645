"""Clinician reviews of outcomes (migration 0015): appended, never changing the engine's outcome."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from psycopg import AsyncConnection
from psycopg.rows import class_row

from triage.models import Disposition

ReviewDecision = Literal["confirm", "override"]
ReviewPolicy = Literal["flagged", "all"]
REVIEW_POLICIES: tuple[ReviewPolicy, ...] = ("flagged", "all")


@dataclass(frozen=True, slots=True)
class Review:
    id: int
    intake_id: UUID
    reviewer: str
    decision: ReviewDecision
    acuity: int
    disposition: Disposition
    reason: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class QueueItem:
    intake_id: UUID
    patient_id: str
    acuity: int
    disposition: Disposition
    review_reasons: list[str]
    triaged_at: datetime


_REVIEW_COLUMNS = "id, intake_id, reviewer, decision, acuity, disposition, reason, created_at"

INSERT_REVIEW = f"""
INSERT INTO outcome_reviews (tenant_id, intake_id, reviewer, decision, acuity, disposition, reason)
VALUES (%(tenant_id)s, %(intake_id)s, %(reviewer)s, %(decision)s, %(acuity)s, %(disposition)s, %(reason)s)
RETURNING {_REVIEW_COLUMNS}
"""

# Outcomes waiting for a first review, oldest first: flagged by the engine, or all under the tenant's policy.
QUEUE = """
SELECT o.intake_id, i.patient_id, o.acuity, o.disposition,
       coalesce(ARRAY(SELECT jsonb_array_elements_text(o.assessment -> 'review_reasons')), '{}') AS review_reasons,
       o.created_at AS triaged_at
FROM triage_outcomes o
JOIN intakes i ON i.id = o.intake_id
WHERE o.tenant_id = %(tenant_id)s
  AND ((o.assessment ->> 'review_required')::boolean
       OR (SELECT review_policy FROM tenants t WHERE t.id = o.tenant_id) = 'all')
  AND NOT EXISTS (SELECT 1 FROM outcome_reviews r WHERE r.tenant_id = o.tenant_id AND r.intake_id = o.intake_id)
  AND (%(acuity)s::integer IS NULL OR o.acuity = %(acuity)s::integer)
  AND (%(reason)s::text IS NULL OR EXISTS (
        SELECT 1 FROM jsonb_array_elements_text(o.assessment -> 'review_reasons') AS reason
        WHERE reason = %(reason)s::text OR reason LIKE %(reason)s::text || ':%%'))
  AND (%(after)s::uuid IS NULL OR (o.created_at, o.intake_id) >
        (SELECT created_at, intake_id FROM triage_outcomes WHERE intake_id = %(after)s::uuid))
ORDER BY o.created_at, o.intake_id
LIMIT %(limit)s
"""


async def record(
    conn: AsyncConnection,
    *,
    tenant_id: str,
    intake_id: UUID,
    reviewer: str,
    decision: ReviewDecision,
    acuity: int,
    disposition: Disposition,
    reason: str,
) -> Review:
    params: dict[str, Any] = {
        "tenant_id": tenant_id,
        "intake_id": intake_id,
        "reviewer": reviewer,
        "decision": decision,
        "acuity": acuity,
        "disposition": disposition,
        "reason": reason,
    }
    async with conn.cursor(row_factory=class_row(Review)) as cur:
        await cur.execute(INSERT_REVIEW, params)
        row = await cur.fetchone()
    assert row is not None
    return row


async def for_intakes(conn: AsyncConnection, intake_ids: list[UUID]) -> dict[UUID, tuple[Review, ...]]:
    """Each intake's reviews, oldest first (intakes without any are absent)."""
    if not intake_ids:
        return {}
    async with conn.cursor(row_factory=class_row(Review)) as cur:
        await cur.execute(
            f"SELECT {_REVIEW_COLUMNS} FROM outcome_reviews WHERE intake_id = ANY(%s) ORDER BY id", (intake_ids,)
        )
        rows = await cur.fetchall()
    found: dict[UUID, tuple[Review, ...]] = {}
    for row in rows:
        found[row.intake_id] = (*found.get(row.intake_id, ()), row)
    return found


async def queue(
    conn: AsyncConnection,
    tenant_id: str,
    *,
    limit: int,
    reason: str | None = None,
    acuity: int | None = None,
    after: UUID | None = None,
) -> list[QueueItem]:
    params = {"tenant_id": tenant_id, "limit": limit, "reason": reason, "acuity": acuity, "after": after}
    async with conn.cursor(row_factory=class_row(QueueItem)) as cur:
        await cur.execute(QUEUE, params)
        return await cur.fetchall()


async def get_policy(conn: AsyncConnection, tenant_id: str) -> str | None:
    cur = await conn.execute("SELECT review_policy FROM tenants WHERE id = %s", (tenant_id,))
    row = await cur.fetchone()
    return None if row is None else str(row[0])


async def set_policy(conn: AsyncConnection, tenant_id: str, policy: ReviewPolicy) -> bool:
    cur = await conn.execute("UPDATE tenants SET review_policy = %s WHERE id = %s", (policy, tenant_id))
    return cur.rowcount > 0
