"""The audit trail: append-only events, one per access to patient data (allowed or not)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from psycopg import AsyncConnection
from psycopg.rows import class_row
from psycopg.types.json import Jsonb

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
    detail: dict[str, str] | None = None  # what the columns cannot say (never patient data)


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
    outcome: AuditOutcome
    request_id: str | None
    job_id: int | None


INSERT_EVENT = """
INSERT INTO audit_events
    (tenant_id, actor, action, resource_type, resource_id, patient_id, outcome, request_id, job_id, detail)
VALUES (%(tenant_id)s, %(actor)s, %(action)s, %(resource_type)s, %(resource_id)s, %(patient_id)s,
        %(outcome)s, %(request_id)s, %(job_id)s, %(detail)s)
"""

# Newest first by time, then by event number; a cursor is the number of the last event already seen. The
# WHERE clause names only the filters given (see select_events), so that every combination — prepared
# plans included — is a range scan of one index starting with the tenant (row-level security supplies
# `tenant_id = current_setting('app.tenant_id')`): (tenant, occurred_at), (tenant, patient_id,
# occurred_at) or (tenant, actor, occurred_at). An unknown cursor, or another tenant's, gives an empty page.
_EVENT_COLUMNS = """
SELECT id, occurred_at, tenant_id, actor, action, resource_type, resource_id, patient_id, outcome,
       request_id, job_id
FROM audit_events
WHERE true"""
_EVENT_FILTERS = {
    "patient_id": " AND patient_id = %(patient_id)s",
    "actor": " AND actor = %(actor)s",
    "since": " AND occurred_at >= %(since)s",
    "until": " AND occurred_at < %(until)s",
    "before_id": " AND (occurred_at, id) < (SELECT c.occurred_at, c.id FROM audit_events c WHERE c.id = %(before_id)s)",
}
_EVENT_ORDER = """
ORDER BY occurred_at DESC, id DESC
LIMIT %(limit)s
"""


def select_events(filters: Iterable[str]) -> str:
    """The listing query for the filters given (names of _EVENT_FILTERS); constants only, values are bound."""
    given = set(filters)
    return _EVENT_COLUMNS + "".join(clause for name, clause in _EVENT_FILTERS.items() if name in given) + _EVENT_ORDER


# Every filter: the query's full shape (documentation, tests).
SELECT_EVENTS = select_events(_EVENT_FILTERS)


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
            "detail": None if event.detail is None else Jsonb(event.detail),
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
    params = {"patient_id": patient_id, "actor": actor, "since": since, "until": until, "before_id": before_id}
    given = {name: value for name, value in params.items() if value is not None}
    async with conn.cursor(row_factory=class_row(AuditRow)) as cur:
        await cur.execute(select_events(given), {**given, "limit": limit})
        return await cur.fetchall()
