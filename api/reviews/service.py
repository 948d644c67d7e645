"""Review use cases. A review is appended in one transaction with its audit event; the trigger of migration
0015 announces it (event stream, callback) in the same transaction."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID

from api.auth import Access
from api.errors import NotFound, NotTriagedYet
from api.reviews.schemas import ReviewIn
from api.state import AppState
from runtime.metrics import REVIEW_DELAY
from store import intakes, reviews
from store.audit import record
from store.tenancy import tenant_transaction


async def queue(
    state: AppState, access: Access, *, limit: int, reason: str | None, acuity: int | None, cursor: UUID | None
) -> tuple[list[reviews.QueueItem], UUID | None]:
    """A page of outcomes waiting for review, oldest first; reading it is an audited access."""
    async with state.pool.connection() as conn, tenant_transaction(conn, access.tenant_id):
        items = await reviews.queue(conn, access.tenant_id, limit=limit + 1, reason=reason, acuity=acuity, after=cursor)
        await record(conn, access.event())
    access.audit.committed = True
    next_cursor = items[limit - 1].intake_id if len(items) > limit else None
    return items[:limit], next_cursor


async def submit(state: AppState, access: Access, intake_id: UUID, review: ReviewIn) -> reviews.Review:
    async with state.pool.connection() as conn, tenant_transaction(conn, access.tenant_id):
        view = await intakes.get_view(conn, intake_id, stalled_after=state.settings.worker_stalled_seconds)
        if view is None:
            raise NotFound("No intake with this id.")
        if view.outcome is None:
            raise NotTriagedYet("It can be reviewed once triaged.")
        earlier = (await reviews.for_intakes(conn, [intake_id])).get(intake_id, ())
        # What stands now: the latest review's decision, else the engine's. A confirmation keeps it; an
        # override changes what it names and keeps the rest.
        acuity, disposition = (
            (earlier[-1].acuity, earlier[-1].disposition)
            if earlier
            else (view.outcome.acuity, view.outcome.disposition)
        )
        saved = await reviews.record(
            conn,
            tenant_id=access.tenant_id,
            intake_id=intake_id,
            reviewer=access.principal.actor,
            decision=review.decision,
            acuity=review.acuity or acuity,
            disposition=review.disposition or disposition,
            reason=review.reason,
        )
        await record(conn, access.event(resource_id=str(intake_id), patient_id=view.intake.patient_id))
    access.audit.committed = True
    if not earlier:  # time from the outcome to its first review
        REVIEW_DELAY.observe((datetime.now(UTC) - view.outcome.created_at).total_seconds())
    return saved
