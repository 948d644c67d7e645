"""The intake event log (migration 0013): what `GET /v1/events` streams and resumes from."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal
from uuid import UUID

from psycopg import AsyncConnection
from psycopg.rows import class_row

EventKind = Literal["intake.triaged", "intake.failed", "intake.reviewed"]


def status_after(kind: str) -> str:
    """The intake's status once the event happened (a review leaves it triaged)."""
    return "triaged" if kind == "intake.reviewed" else kind.removeprefix("intake.")


@dataclass(frozen=True, slots=True)
class IntakeEvent:
    id: int
    intake_id: UUID
    kind: EventKind
    created_at: datetime


# Row-level security keeps it to the session's tenant; the tenant in the WHERE clause lets the index serve it.
LIST_AFTER = """
SELECT id, intake_id, kind, created_at FROM intake_events
WHERE tenant_id = %(tenant_id)s AND id > %(after)s ORDER BY id LIMIT %(limit)s
"""
LAST_ID = "SELECT coalesce(max(id), 0) FROM intake_events WHERE tenant_id = %(tenant_id)s"
PURGE = """
DELETE FROM intake_events WHERE tenant_id = %(tenant_id)s AND created_at < now() - make_interval(hours => %(hours)s)
"""


async def list_after(conn: AsyncConnection, tenant_id: str, after: int, limit: int) -> list[IntakeEvent]:
    async with conn.cursor(row_factory=class_row(IntakeEvent)) as cur:
        await cur.execute(LIST_AFTER, {"tenant_id": tenant_id, "after": after, "limit": limit})
        return await cur.fetchall()


async def last_id(conn: AsyncConnection, tenant_id: str) -> int:
    cur = await conn.execute(LAST_ID, {"tenant_id": tenant_id})
    row = await cur.fetchone()
    return int(row[0]) if row else 0


async def purge(conn: AsyncConnection, tenant_id: str, hours: int) -> int:
    """Forget the tenant's events older than `hours`; returns how many."""
    cur = await conn.execute(PURGE, {"tenant_id": tenant_id, "hours": hours})
    return cur.rowcount
