from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Path, Query, Response, status
from fastapi.responses import JSONResponse

from api.auth import Access, access_for
from api.errors import Forbidden
from api.intakes import service, waiting
from api.intakes.schemas import (
    DeliveryList,
    DeliveryOut,
    IdempotencyKeyHeader,
    IntakeAccepted,
    IntakeIn,
    IntakeOut,
)
from api.intakes.views import intake_out, links
from api.intakes.waiting import MAX_WAIT_SECONDS, WAIT_TIMED_OUT
from api.openapi import problem_responses
from api.state import State
from runtime.credentials import has_scope

router = APIRouter(prefix="/v1/intakes", tags=["intakes"])


def _wait_query(what: str) -> object:
    return Query(
        ge=0,
        le=MAX_WAIT_SECONDS,
        description=(
            f"Seconds to wait for the intake to finish (triaged or failed) before answering, at most 30. {what} "
            "If the time runs out first, the answer says so with `Wait-Timed-Out: true`."
        ),
    )


@router.post(
    "",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=IntakeAccepted,
    responses={
        200: {"model": IntakeOut, "description": "With `wait`: the intake finished in time; here it is."},
        **problem_responses(400, 401, 403, 409, 413, 415, 422, 429, 503),
    },
    summary="Submit an intake for triage",
)
async def submit_intake(
    intake: IntakeIn,
    state: State,
    access: Annotated[Access, Depends(access_for("intake:write", "intake.create", "intake"))],
    response: Response,
    idempotency_key: IdempotencyKeyHeader = None,
    wait: Annotated[
        float | None,
        _wait_query("Answered 200 with the intake and its outcome as soon as it is written (needs `intake:read`)."),
    ] = None,
) -> IntakeAccepted | JSONResponse:
    """Stores the intake and queues its triage in one transaction; answers once both are committed.

    Send an `Idempotency-Key` to make retries safe: a repeat of the same request within the key's window
    (24 h by default) is answered with the first response (`Idempotent-Replayed: true`), and nothing new is
    stored or queued.

    With `wait=N` the call also waits for the outcome: 200 and the intake as `GET /v1/intakes/{id}` shows it
    if it finishes within N seconds, else the usual 202 with `Wait-Timed-Out: true`.
    """
    if wait and not has_scope(access.principal.scopes, "intake:read"):
        # Refused before anything is stored: the caller asked for an outcome it may not read.
        raise Forbidden("Waiting for the outcome (`wait`) needs the 'intake:read' scope.")
    submitted = await service.submit_intake(
        state, access, intake, route="POST /v1/intakes", idempotency_key=idempotency_key
    )
    if submitted.replayed:
        response.headers["Idempotent-Replayed"] = "true"
    row = submitted.intake
    if wait:
        if not await waiting.wait_until_done(state, access.tenant_id, row.id, wait):
            view = await service.read_intake(state, access.reading(row.id), row.id)
            return JSONResponse(intake_out(view).model_dump(mode="json"), headers=dict(response.headers))
        response.headers[WAIT_TIMED_OUT] = "true"
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
        float | None, _wait_query("The answer comes as soon as the outcome is written, else the current state.")
    ] = None,
) -> IntakeOut:
    if not wait:
        return intake_out(await service.read_intake(state, access, intake_id))
    waited = await waiting.read_when_done(state, access, intake_id, wait)
    if waited.timed_out:
        response.headers[WAIT_TIMED_OUT] = "true"
    return intake_out(waited.view)


@router.get(
    "/{intake_id}/deliveries",
    response_model=DeliveryList,
    responses=problem_responses(401, 403, 404, 422, 429),
    summary="The intake's signed callbacks and how their delivery went",
)
async def list_deliveries(
    intake_id: Annotated[UUID, Path()],
    state: State,
    access: Annotated[Access, Depends(access_for("intake:read", "intake.deliveries.read", "intake"))],
) -> DeliveryList:
    found = await service.list_deliveries(state, access, intake_id)
    return DeliveryList(
        intake_id=intake_id,
        items=[
            DeliveryOut(
                delivery_id=d.id,
                kind=d.kind,
                url=d.url,
                status=d.status,
                attempts=d.attempts,
                last_status_code=d.last_status_code,
                last_error=d.last_error,
                created_at=d.created_at,
                updated_at=d.updated_at,
                delivered_at=d.delivered_at,
            )
            for d in found
        ],
    )
