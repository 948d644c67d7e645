from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Path, Query

from api.auth import Access, access_for
from api.intakes import service
from api.intakes.schemas import PATIENT_ID_PATTERN, IntakePage
from api.intakes.views import intake_out
from api.openapi import problem_responses
from api.state import State

router = APIRouter(prefix="/v1/patients", tags=["patients"])


@router.get(
    "/{patient_id}/intakes",
    response_model=IntakePage,
    responses=problem_responses(401, 403, 422, 429),
    summary="A patient's intakes with their outcomes, newest first",
)
async def list_patient_intakes(
    patient_id: Annotated[str, Path(pattern=PATIENT_ID_PATTERN, max_length=64)],
    state: State,
    access: Annotated[Access, Depends(access_for("intake:read", "patient.intakes.list", "patient"))],
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    cursor: Annotated[UUID | None, Query(description="`next_cursor` of the previous page")] = None,
) -> IntakePage:
    views, next_cursor = await service.list_patient_intakes(state, access, patient_id, limit=limit, cursor=cursor)
    return IntakePage(patient_id=patient_id, items=[intake_out(v) for v in views], next_cursor=next_cursor)
