"""The audit trail: append-only events, one per access to patient data (allowed or not)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from psycopg import AsyncConnection
from psycopg.rows import class_row

AuditOutcome = Literal["success", "denied", "not_found", "invalid", "error"]


@dataclass(frozen=True, slots=True)
class AuditEvent:
    """What happened; written in the same transaction as the access it records."""

    actor: str
    action: str
    resource_type: str
    outcome: AuditOutcome
    tenant_id: str | None = None
    resource_id: str | None = None
    patient_id: str | None = None
    request_id: str | None = None
    job_id: int | None = None


@dataclass(frozen=True, slots=True)
class AuditRow:
    id: int
    occurred_at: datetime
    tenant_id: str | None
    actor: str
    action: str
    resource_type: str
    resource_id: str | None
    patient_id: str | None
    outcome: str
    request_id: str | None
    job_id: int | None


INSERT_EVENT = """
INSERT INTO audit_events
    (tenant_id, actor, action, resource_type, resource_id, patient_id, outcome, request_id, job_id)
VALUES (%(tenant_id)s, %(actor)s, %(action)s, %(resource_type)s, %(resource_id)s, %(patient_id)s,
        %(outcome)s, %(request_id)s, %(job_id)s)
"""

SELECT_EVENTS = """
SELECT id, occurred_at, tenant_id, actor, action, resource_type, resource_id, patient_id, outcome,
       request_id, job_id
FROM audit_events
WHERE (%(patient_id)s::text IS NULL OR patient_id = %(patient_id)s)
  AND (%(actor)s::text IS NULL OR actor = %(actor)s)
  AND (%(since)s::timestamptz IS NULL OR occurred_at >= %(since)s)
  AND (%(until)s::timestamptz IS NULL OR occurred_at < %(until)s)
  AND (%(before_id)s::bigint IS NULL OR id < %(before_id)s)
ORDER BY id DESC
LIMIT %(limit)s
"""


async def record(conn: AsyncConnection, event: AuditEvent) -> None:
    await conn.execute(
        INSERT_EVENT,
        {
            "tenant_id": event.tenant_id,
            "actor": event.actor,
            "action": event.action,
            "resource_type": event.resource_type,
            "resource_id": event.resource_id,
            "patient_id": event.patient_id,
            "outcome": event.outcome,
            "request_id": event.request_id,
            "job_id": event.job_id,
        },
    )


async def list_events(
    conn: AsyncConnection,
    *,
    limit: int,
    patient_id: str | None = None,
    actor: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    before_id: int | None = None,
) -> list[AuditRow]:
    async with conn.cursor(row_factory=class_row(AuditRow)) as cur:
        await cur.execute(
            SELECT_EVENTS,
            {
                "patient_id": patient_id,
                "actor": actor,
                "since": since,
                "until": until,
                "before_id": before_id,
                "limit": limit,
            },
        )
        return await cur.fetchall()
