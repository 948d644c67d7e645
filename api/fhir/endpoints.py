from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Header, Path
from fastapi.responses import JSONResponse

from api.auth import Access, access_for
from api.errors import NotAcceptable
from api.fhir.mapping import FHIR_VERSION, bundle
from api.intakes import service
from api.openapi import problem_responses
from api.state import State

router = APIRouter(prefix="/v1/intakes", tags=["fhir"])

FHIR_JSON = "application/fhir+json"
_ACCEPTABLE = {FHIR_JSON, "application/json", "application/*", "*/*"}


class FhirResponse(JSONResponse):
    media_type = f"{FHIR_JSON}; fhirVersion={FHIR_VERSION.rsplit('.', 1)[0]}"


@router.get(
    "/{intake_id}/fhir",
    response_class=FhirResponse,
    responses={
        200: {"content": {FHIR_JSON: {"schema": {"type": "object"}}}, "description": "A FHIR R4 Bundle"},
        **problem_responses(401, 403, 404, 406, 422, 429),
    },
    summary="The intake, its outcome and reviews as a FHIR R4 Bundle",
)
async def intake_as_fhir(
    intake_id: Annotated[UUID, Path()],
    state: State,
    access: Annotated[Access, Depends(access_for("intake:read", "intake.fhir.read", "intake"))],
    accept: Annotated[str | None, Header(include_in_schema=False)] = None,
) -> FhirResponse:
    """A `collection` Bundle: QuestionnaireResponse (the intake), vital-sign Observations (LOINC, UCUM), the
    NEWS2 Observation with its sub-scores, RiskAssessment (ESI level and disposition; method = rule set and
    version), Task per review, Provenance (engine, worker job, reviewer). Served as `application/fhir+json`
    (or `application/json`); any other `Accept` is a 406. Audited as a read of patient data. Mapping table:
    docs/clinical-workflow.md."""
    if accept is not None and not _acceptable(accept):
        raise NotAcceptable(f"This resource is served as {FHIR_JSON} or application/json.")
    return FhirResponse(bundle(await service.read_intake(state, access, intake_id)))


def _acceptable(accept: str) -> bool:
    for part in accept.split(","):
        media, _, parameters = part.strip().partition(";")
        if media.strip().lower() in _ACCEPTABLE and "q=0" not in parameters.replace(" ", "").split(";")[-1:]:
            return True
    return False
