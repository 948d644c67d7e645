"""The intake contract: what an agent may submit, and what it reads back."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator
from pydantic_core import PydanticCustomError

PATIENT_ID_PATTERN = r"^[A-Za-z0-9._:-]{1,64}$"
PatientId = Annotated[str, StringConstraints(pattern=PATIENT_ID_PATTERN, min_length=1, max_length=64)]
Symptom = Annotated[str, StringConstraints(min_length=1, max_length=200)]
Urgency = Literal["low", "medium", "high", "emergency"]
IntakeStatus = Literal["queued", "processing", "triaged", "failed"]

# Strict: no silent coercion ("42" is not 42, true is not 1, 36.6 is not an integer age).
_STRICT = ConfigDict(extra="forbid", strict=True)


class VitalsIn(BaseModel):
    """Observed vital signs; each optional, each within physiologically plausible bounds."""

    model_config = _STRICT

    respiratory_rate: float | None = Field(None, ge=0, le=80, description="Breaths per minute.")
    spo2: float | None = Field(None, ge=40, le=100, description="Oxygen saturation, %.")
    on_supplemental_oxygen: bool | None = None
    spo2_scale: Literal[1, 2] | None = Field(
        None, description="NEWS2 SpO2 scale; 2 only for a prescribed 88–92 % target (hypercapnic failure)."
    )
    systolic_bp: float | None = Field(None, ge=30, le=300, description="mmHg.")
    heart_rate: float | None = Field(None, ge=0, le=300, description="Beats per minute.")
    consciousness: Literal["alert", "new_confusion", "voice", "pain", "unresponsive"] | None = Field(
        None, description="ACVPU."
    )
    temperature_c: float | None = Field(None, ge=25, le=45, description="°C.")
    pain_score: int | None = Field(None, ge=0, le=10)

    def observed(self) -> bool:
        return any(value is not None for name, value in self if name not in {"spo2_scale", "on_supplemental_oxygen"})


class IntakeIn(BaseModel):
    """A clinical intake as an agent submits it."""

    model_config = ConfigDict(
        extra="forbid",
        strict=True,
        json_schema_extra={
            "examples": [
                {
                    "patient_id": "P12345",
                    "age": 42,
                    "symptoms": ["fever", "cough"],
                    "urgency": "high",
                    "vitals": {"respiratory_rate": 22, "spo2": 95, "heart_rate": 104, "temperature_c": 38.4},
                }
            ]
        },
    )

    patient_id: PatientId
    age: int = Field(ge=0, le=130, description="Whole years.")
    age_months: int | None = Field(None, ge=0, le=11, description="Months beyond `age`, for infants.")
    sex: Literal["female", "male", "other", "unknown"] = "unknown"
    symptoms: list[Symptom] = Field(default_factory=list, max_length=50)
    urgency: Urgency = Field(description="The urgency the agent reports; an input, never the answer.")
    vitals: VitalsIn | None = None
    notes: str | None = Field(None, max_length=4000)
    pregnant: bool | None = None

    @model_validator(mode="after")
    def _symptom_or_vital(self) -> IntakeIn:
        if not self.symptoms and not (self.vitals and self.vitals.observed()):
            raise PydanticCustomError(
                "symptoms_or_vitals_required", "at least one symptom or one vital sign is required"
            )
        return self


class Links(BaseModel):
    self: str
    patient_intakes: str


class IntakeAccepted(BaseModel):
    intake_id: UUID
    status: IntakeStatus
    job_id: int | None
    links: Links


class EngineOut(BaseModel):
    name: str
    version: str


class OutcomeOut(BaseModel):
    acuity: int = Field(ge=1, le=5, description="ESI level, 1 most urgent.")
    disposition: Literal["emergency_ambulance", "emergency", "consultation_24", "consultation", "self_care"]
    engine: EngineOut
    triaged_at: datetime
    assessment: dict[str, Any] = Field(
        description="The engine's full assessment: news2, qsofa, danger_zone, red_flags, serious, rationale, "
        "review_required and review_reasons."
    )


class IntakeOut(BaseModel):
    intake_id: UUID
    patient_id: str
    status: IntakeStatus
    failure_reason: str | None
    attempts: int
    job_id: int | None
    created_at: datetime
    updated_at: datetime
    intake: dict[str, Any] = Field(description="The intake as submitted (validated).")
    outcome: OutcomeOut | None
    links: Links


class IntakePage(BaseModel):
    patient_id: str
    items: list[IntakeOut]
    next_cursor: str | None = Field(description="Pass as `cursor` to read older intakes; null on the last page.")
