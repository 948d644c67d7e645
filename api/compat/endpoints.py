"""Compatibility routes for clients written against the article this project grew from.

Same paths and response shapes (`POST /intake`, `POST /intake/store`, `GET /intake/{patient_id}`), but
with this service's validation, authentication, audit and queueing underneath. `record_id`/`id` are the
intake's UUID rather than a serial integer.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Response

from api.auth import Access, access_for
from api.compat.schemas import Received, Record, Records, Stored
from api.intakes import service
from api.intakes.schemas import PATIENT_ID_PATTERN, IdempotencyKeyHeader, IntakeIn
from api.openapi import problem_responses
from api.state import State

router = APIRouter(prefix="/intake", tags=["compatibility"])

# The article returns every record of the patient; this bounds it to the newest ones.
MAX_RECORDS = 500


@router.post("", response_model=Received, responses=problem_responses(400, 401, 403, 413, 415, 422, 429))
async def validate_intake(
    intake: IntakeIn,
    state: State,
    access: Annotated[Access, Depends(access_for("intake:write", "intake.validate", "intake"))],
) -> Received:
    """Validate only: nothing is stored or queued (the access itself is audited)."""
    await service.validate_intake(state, access, intake)
    return Received(patient_id=intake.patient_id)


@router.post("/store", response_model=Stored, responses=problem_responses(400, 401, 403, 409, 413, 415, 422, 429, 503))
async def store_intake(
    intake: IntakeIn,
    state: State,
    access: Annotated[Access, Depends(access_for("intake:write", "intake.create", "intake"))],
    response: Response,
    idempotency_key: IdempotencyKeyHeader = None,
) -> Stored:
    """Persist and queue for triage, like `POST /v1/intakes`, answering in the article's shape."""
    submitted = await service.submit_intake(
        state, access, intake, route="POST /intake/store", idempotency_key=idempotency_key
    )
    if submitted.replayed:
        response.headers["Idempotent-Replayed"] = "true"
    return Stored(record_id=str(submitted.intake.id))


@router.get("/{patient_id}", response_model=Records, responses=problem_responses(401, 403, 422, 429))
async def patient_records(
    patient_id: Annotated[str, Path(pattern=PATIENT_ID_PATTERN, max_length=64)],
    state: State,
    access: Annotated[Access, Depends(access_for("intake:read", "patient.intakes.list", "patient"))],
) -> Records:
    views, _ = await service.list_patient_intakes(state, access, patient_id, limit=MAX_RECORDS)
    return Records(
        records=[
            Record(
                id=str(v.intake.id),
                patient_id=v.intake.patient_id,
                age=v.intake.payload["age"],
                symptoms=v.intake.payload.get("symptoms", []),
                urgency=v.intake.payload["urgency"],
                status=v.intake.status,
                outcome=None
                if v.outcome is None
                else {
                    "acuity": v.outcome.acuity,
                    "disposition": v.outcome.disposition,
                    "rationale": v.outcome.assessment.get("rationale", []),
                },
            )
            for v in reversed(views)  # oldest first, as the article's clients print them
        ]
    )
