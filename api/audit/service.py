"""Audit use cases: reading the trail, and recording an event in a transaction of its own.

An access that reads or writes through a service is recorded in that service's transaction; the functions
below are for the rest — refusals, operators' actions whose work committed elsewhere, validation only.
"""

from __future__ import annotations

from datetime import datetime

from api.auth import Access
from api.state import AppState
from store import audit
from store.audit import AuditEvent
from store.tenancy import tenant_transaction


async def record_event(state: AppState, event: AuditEvent) -> None:
    """Write one event, committed on its own, under the event's tenant (row-level security)."""
    async with state.pool.connection() as conn, tenant_transaction(conn, event.tenant_id):
        await audit.record(conn, event)


async def record_access(
    state: AppState, access: Access, *, resource_id: str | None = None, patient_id: str | None = None
) -> None:
    """Record the request's access as a success; the error handler then owes it no event."""
    await record_event(state, access.event(resource_id=resource_id, patient_id=patient_id))
    access.audit.committed = True


async def list_events(
    state: AppState,
    access: Access,
    *,
    limit: int,
    patient_id: str | None = None,
    actor: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    cursor: int | None = None,
) -> tuple[list[audit.AuditRow], int | None]:
    """A page of the tenant's trail, newest first, and the cursor of the next (None on the last page).

    Reading the trail is itself an access to patient data: it is recorded in the same transaction.
    """
    async with state.pool.connection() as conn, tenant_transaction(conn, access.tenant_id):
        rows = await audit.list_events(
            conn,
            limit=limit + 1,
            patient_id=patient_id,
            actor=actor,
            since=since,
            until=until,
            before_id=cursor,
        )
        await audit.record(conn, access.event(patient_id=patient_id))
    access.audit.committed = True
    page = rows[:limit]
    return page, page[-1].id if len(rows) > limit else None
