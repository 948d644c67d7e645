from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from api.audit import service
from api.audit.schemas import AuditEventOut, AuditPage
from api.auth import Access, access_for
from api.intakes.schemas import PATIENT_ID_PATTERN
from api.openapi import problem_responses
from api.state import State
from api.validation import Rfc3339DateTime

router = APIRouter(prefix="/v1/audit", tags=["audit"])


@router.get("", response_model=AuditPage, responses=problem_responses(401, 403, 422, 429))
async def list_audit_events(
    state: State,
    access: Annotated[Access, Depends(access_for("admin", "audit.list", "audit_event"))],
    patient_id: Annotated[str | None, Query(pattern=PATIENT_ID_PATTERN, max_length=64)] = None,
    # PostgreSQL text cannot hold NUL: refused here as a validation error rather than failing in the query.
    actor: Annotated[str | None, Query(max_length=80, pattern=r"^[^\x00]*$")] = None,
    since: Annotated[Rfc3339DateTime | None, Query(description="RFC 3339, e.g. `2026-01-01T00:00:00Z`")] = None,
    until: Annotated[Rfc3339DateTime | None, Query(description="RFC 3339, exclusive")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    # Event numbers are bigints: a larger cursor is refused here rather than overflowing in PostgreSQL.
    cursor: Annotated[int | None, Query(ge=1, le=2**63 - 1, description="`next_cursor` of the previous page")] = None,
) -> AuditPage:
    """This tenant's audit trail, newest first, filtered by patient, actor (e.g. `key:<id>`) and time."""
    events, next_cursor = await service.list_events(
        state, access, limit=limit, patient_id=patient_id, actor=actor, since=since, until=until, cursor=cursor
    )
    return AuditPage(
        items=[AuditEventOut.model_validate(row, from_attributes=True) for row in events],
        next_cursor=None if next_cursor is None else str(next_cursor),
    )
