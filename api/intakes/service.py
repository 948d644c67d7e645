"""Intake use cases. Each owns its transaction; the audit event commits with the access it records."""

from __future__ import annotations

from dataclasses import replace
from uuid import UUID

from api.auth import Access
from api.errors import NotFound
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
    state: AppState, access: Access, patient_id: str, *, limit: int, cursor: UUID | None = None
) -> tuple[list[intakes.IntakeView], UUID | None]:
    async with state.pool.connection() as conn, tenant_transaction(conn, access.tenant_id):
        views = await intakes.list_patient_views(conn, patient_id, limit=limit + 1, after_id=cursor)
        await record(conn, access.event(patient_id=patient_id))
    access.audit.committed = True
    next_cursor = views[limit - 1].intake.id if len(views) > limit else None
    return views[:limit], next_cursor
