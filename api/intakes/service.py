"""Intake use cases. Each owns its transaction; the audit event commits with the access it records."""

from __future__ import annotations

import base64
import binascii
from dataclasses import replace
from datetime import datetime
from uuid import UUID

from api.auth import Access
from api.errors import NotFound, ValidationFailed
from api.intakes.schemas import IntakeIn
from api.state import AppState
from store import intakes
from store.audit import record
from store.tenancy import tenant_transaction
from tasks.triage import TASK_NAME


async def submit_intake(state: AppState, access: Access, intake: IntakeIn) -> intakes.IntakeRow:
    """Persist the intake and queue its triage in one transaction: both happen, or neither."""
    payload = intake.model_dump(mode="json", exclude_none=True)
    async with state.pool.connection() as conn, tenant_transaction(conn, access.tenant_id):
        row = await intakes.insert_intake(
            conn,
            tenant_id=access.tenant_id,
            patient_id=intake.patient_id,
            payload=payload,
            created_by=access.principal.actor,
        )
        # The job carries ids only; the worker reads the intake (and its PHI) from the table.
        job_id = await state.queue.configure_task(TASK_NAME, allow_unknown=False, connection=conn).defer_async(
            intake_id=str(row.id), tenant_id=row.tenant_id
        )
        await intakes.set_job_id(conn, row.id, job_id)
        await record(conn, access.event(resource_id=str(row.id), patient_id=row.patient_id))
    access.audit.committed = True
    return replace(row, job_id=job_id)


async def read_intake(state: AppState, access: Access, intake_id: UUID) -> intakes.IntakeView:
    async with state.pool.connection() as conn, tenant_transaction(conn, access.tenant_id):
        view = await intakes.get_view(conn, intake_id)
        if view is None:
            # Another tenant's intake is indistinguishable from a missing one.
            raise NotFound("No intake with this id.")
        await record(conn, access.event(patient_id=view.intake.patient_id))
    access.audit.committed = True
    return view


async def list_patient_intakes(
    state: AppState, access: Access, patient_id: str, *, limit: int, cursor: str | None = None
) -> tuple[list[intakes.IntakeView], str | None]:
    before = decode_cursor(cursor) if cursor else None
    async with state.pool.connection() as conn, tenant_transaction(conn, access.tenant_id):
        views = await intakes.list_patient_views(conn, patient_id, limit=limit + 1, before=before)
        await record(conn, access.event(patient_id=patient_id))
    access.audit.committed = True
    next_cursor = encode_cursor(views[limit - 1].intake) if len(views) > limit else None
    return views[:limit], next_cursor


def encode_cursor(intake: intakes.IntakeRow) -> str:
    raw = f"{intake.created_at.isoformat()}|{intake.id}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, UUID]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        created_at, intake_id = raw.split("|")
        return datetime.fromisoformat(created_at), UUID(intake_id)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise ValidationFailed(
            "Invalid field(s): cursor.",
            errors=[{"field": "cursor", "message": "is not a cursor this API issued", "type": "cursor_invalid"}],
        ) from None
