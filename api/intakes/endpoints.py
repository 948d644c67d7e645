from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Path, Query, Response, status

from api.auth import Access, access_for
from api.intakes import service, waiting
from api.intakes.schemas import IdempotencyKeyHeader, IntakeAccepted, IntakeIn, IntakeOut
from api.intakes.views import intake_out, links
from api.intakes.waiting import MAX_WAIT_SECONDS, WAIT_TIMED_OUT
from api.openapi import problem_responses
from api.state import State

router = APIRouter(prefix="/v1/intakes", tags=["intakes"])


@router.post(
    "",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=IntakeAccepted,
    responses=problem_responses(400, 401, 403, 409, 413, 415, 422, 429, 503),
    summary="Submit an intake for triage",
)
async def submit_intake(
    intake: IntakeIn,
    state: State,
    access: Annotated[Access, Depends(access_for("intake:write", "intake.create", "intake"))],
    response: Response,
    idempotency_key: IdempotencyKeyHeader = None,
) -> IntakeAccepted:
    """Stores the intake and queues its triage in one transaction; answers once both are committed.

    Send an `Idempotency-Key` to make retries safe: a repeat of the same request within the key's window
    (24 h by default) is answered with the first response (`Idempotent-Replayed: true`), and nothing new is
    stored or queued.
    """
    submitted = await service.submit_intake(
        state, access, intake, route="POST /v1/intakes", idempotency_key=idempotency_key
    )
    if submitted.replayed:
        response.headers["Idempotent-Replayed"] = "true"
    row = submitted.intake
    # A 202 always says "queued": it is what the first response said, and a replay repeats it.
    return IntakeAccepted(intake_id=row.id, status="queued", job_id=row.job_id, links=links(row))


@router.get(
    "/{intake_id}",
    response_model=IntakeOut,
    responses=problem_responses(401, 403, 404, 422, 429),
    summary="Read an intake, its status and its outcome",
)
async def read_intake(
    intake_id: Annotated[UUID, Path()],
    state: State,
    access: Annotated[Access, Depends(access_for("intake:read", "intake.read", "intake"))],
    response: Response,
    wait: Annotated[
        float | None,
        Query(
            ge=0,
            le=MAX_WAIT_SECONDS,
            description=(
                "Seconds to wait for the intake to finish (triaged or failed) before answering, at most 30. "
                "The answer comes as soon as the outcome is written; if the time runs out first it is the "
                "current state, with `Wait-Timed-Out: true`."
            ),
        ),
    ] = None,
) -> IntakeOut:
    if not wait:
        return intake_out(await service.read_intake(state, access, intake_id))
    waited = await waiting.read_when_done(state, access, intake_id, wait)
    if waited.timed_out:
        response.headers[WAIT_TIMED_OUT] = "true"
    return intake_out(waited.view)
