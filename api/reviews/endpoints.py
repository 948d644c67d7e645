from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Path, Query, status

from api.auth import Access, access_for
from api.intakes.schemas import ReviewOut
from api.openapi import problem_responses
from api.reviews import service
from api.reviews.schemas import ReviewIn, ReviewQueueItem, ReviewQueuePage
from api.state import State

router = APIRouter(tags=["reviews"])


@router.get(
    "/v1/reviews",
    response_model=ReviewQueuePage,
    responses=problem_responses(401, 403, 422, 429),
    summary="Outcomes waiting for a clinician's review, oldest first",
)
async def review_queue(
    state: State,
    access: Annotated[Access, Depends(access_for("review", "review.queue.read", "review_queue"))],
    reason: Annotated[
        str | None,
        Query(
            pattern=r"^[a-z0-9_]{1,64}$",
            description="Only outcomes with this review reason, e.g. `incomplete_data` or `consider_esi_2`.",
        ),
    ] = None,
    acuity: Annotated[int | None, Query(ge=1, le=5, description="Only outcomes of this ESI level.")] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    cursor: Annotated[UUID | None, Query(description="`next_cursor` of the previous page")] = None,
) -> ReviewQueuePage:
    """Outcomes the engine marked `review_required` (or all, under the tenant's `all` review policy) that no
    clinician has reviewed yet. Scope `review`."""
    items, next_cursor = await service.queue(state, access, limit=limit, reason=reason, acuity=acuity, cursor=cursor)
    return ReviewQueuePage(
        items=[
            ReviewQueueItem(
                intake_id=item.intake_id,
                patient_id=item.patient_id,
                acuity=item.acuity,
                disposition=item.disposition,
                review_reasons=item.review_reasons,
                triaged_at=item.triaged_at,
                links={"intake": f"/v1/intakes/{item.intake_id}", "review": f"/v1/intakes/{item.intake_id}/reviews"},
            )
            for item in items
        ],
        next_cursor=next_cursor,
    )


@router.post(
    "/v1/intakes/{intake_id}/reviews",
    status_code=status.HTTP_201_CREATED,
    response_model=ReviewOut,
    responses=problem_responses(400, 401, 403, 404, 409, 413, 415, 422, 429),
    summary="Confirm or override an outcome",
)
async def review_intake(
    intake_id: Annotated[UUID, Path()],
    review: ReviewIn,
    state: State,
    access: Annotated[Access, Depends(access_for("review", "intake.review", "intake"))],
) -> ReviewOut:
    """Records a clinician's confirmation or override as a new, audited record; the engine's outcome is kept
    unchanged. The intake's read then shows the effective `decision` and its `reviews`, and agents are told by
    an `intake.reviewed` event (stream and callback). 409 while the intake has no outcome. Scope `review`."""
    saved = await service.submit(state, access, intake_id, review)
    return ReviewOut(
        review_id=saved.id,
        decision=saved.decision,
        acuity=saved.acuity,
        disposition=saved.disposition,
        reason=saved.reason,
        reviewer=saved.reviewer,
        reviewed_at=saved.created_at,
    )
