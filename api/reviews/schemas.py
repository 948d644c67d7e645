from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints, model_validator

from api.intakes.schemas import whole_number
from triage.models import Disposition


def _decision_rule(schema: dict[str, Any]) -> None:
    """State the confirm/override rule in the JSON Schema too, so clients and fuzzers see it."""
    changed = [
        {"required": [name], "properties": {name: {"not": {"type": "null"}}}} for name in ("acuity", "disposition")
    ]
    schema["oneOf"] = [
        {"properties": {"decision": {"const": "override"}}, "anyOf": changed},
        {"properties": {"decision": {"const": "confirm"}}, "not": {"anyOf": changed}},
    ]


Acuity = Annotated[int, Field(ge=1, le=5), BeforeValidator(whole_number)]
Reason = Annotated[str, StringConstraints(min_length=1, max_length=2000, pattern=r"^[^\x00]*\S[^\x00]*$")]


class ReviewIn(BaseModel):
    """A clinician's decision on an outcome: `confirm` it, or `override` its acuity and/or disposition."""

    model_config = ConfigDict(extra="forbid", strict=True, json_schema_extra=_decision_rule)

    decision: Literal["confirm", "override"]
    acuity: Acuity | None = Field(None, description="Override only: the ESI level to act on.")
    disposition: Disposition | None = Field(None, description="Override only: the disposition to act on.")
    reason: Reason = Field(description="Why (kept in the record; it may be clinical text).")

    @model_validator(mode="after")
    def _fits_the_decision(self) -> ReviewIn:
        changes = self.acuity is not None or self.disposition is not None
        if self.decision == "override" and not changes:
            raise ValueError("an override names an acuity, a disposition or both")
        if self.decision == "confirm" and changes:
            raise ValueError("a confirmation keeps the decision: send no acuity or disposition")
        return self


class ReviewQueueItem(BaseModel):
    intake_id: UUID
    patient_id: str
    acuity: int
    disposition: Disposition
    review_reasons: list[str]
    triaged_at: datetime
    links: dict[str, str]


class ReviewQueuePage(BaseModel):
    items: list[ReviewQueueItem]
    next_cursor: UUID | None = Field(description="Pass as `cursor` for the next page; null on the last.")
