"""The intake contract: what an agent may submit, and what it reads back."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import Header
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints, model_validator
from pydantic_core import PydanticCustomError

from store.intakes import IntakeStatus

PATIENT_ID_PATTERN = r"^[A-Za-z0-9._:-]{1,64}$"
PatientId = Annotated[str, StringConstraints(pattern=PATIENT_ID_PATTERN, min_length=1, max_length=64)]
# PostgreSQL cannot store NUL in text or jsonb: refuse it up front, as a validation error.
_NO_NUL = r"^[^\x00]*$"
Symptom = Annotated[str, StringConstraints(min_length=1, max_length=200, pattern=_NO_NUL)]
Notes = Annotated[str, StringConstraints(max_length=4000, pattern=_NO_NUL)]
Urgency = Literal["low", "medium", "high", "emergency"]


def _unquote(value: str | None) -> str | None:
    """The IETF draft defines the key as a Structured Field string ("…"); bare tokens are accepted too."""
    if value is not None and len(value) >= 2 and value[0] == value[-1] == '"':
        return value[1:-1]
    return value


# Visible ASCII, 1–255 characters (plus the quotes of the Structured Field form).
IdempotencyKeyHeader = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        pattern=r'^(?:"[!#-~]{1,255}"|[!#-~]{1,255})$',
        description="A client-chosen key (e.g. a UUID) that makes retrying this request safe; "
        "kept per API key for 24 h by default.",
    ),
    AfterValidator(_unquote),
]


def _whole_number(value: object) -> object:
    """JSON Schema's integer admits 9.0; accept it as 9. Strings, booleans and 9.5 still fail."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


Age = Annotated[int, Field(ge=0, le=130), BeforeValidator(_whole_number)]
AgeMonths = Annotated[int, Field(ge=0, le=11), BeforeValidator(_whole_number)]
PainScore = Annotated[int, Field(ge=0, le=10), BeforeValidator(_whole_number)]

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
    pain_score: PainScore | None = None

    def observed(self) -> bool:
        return any(getattr(self, name) is not None for name in MEASUREMENTS)


# Vital signs that count as an observation (the SpO2 scale and the oxygen flag qualify one; alone they say nothing).
MEASUREMENTS = ("respiratory_rate", "spo2", "systolic_bp", "heart_rate", "consciousness", "temperature_c", "pain_score")


def _require_symptom_or_vital(schema: dict[str, Any]) -> None:
    """State the symptom-or-vital rule in the JSON Schema too, so clients and fuzzers see it."""
    non_null = {"not": {"type": "null"}}
    schema["anyOf"] = [
        {"required": ["symptoms"], "properties": {"symptoms": {"minItems": 1}}},
        {
            "required": ["vitals"],
            "properties": {
                # "type": a null `vitals` would otherwise pass, `required` applying to objects only.
                "vitals": {
                    "type": "object",
                    "anyOf": [{"required": [name], "properties": {name: non_null}} for name in MEASUREMENTS],
                }
            },
        },
    ]
    schema["examples"] = [
        {
            "patient_id": "P12345",
            "age": 42,
            "symptoms": ["fever", "cough"],
            "urgency": "high",
            "vitals": {"respiratory_rate": 22, "spo2": 95, "heart_rate": 104, "temperature_c": 38.4},
        }
    ]


class IntakeIn(BaseModel):
    """A clinical intake as an agent submits it."""

    model_config = ConfigDict(extra="forbid", strict=True, json_schema_extra=_require_symptom_or_vital)

    patient_id: PatientId
    age: Age = Field(description="Whole years.")
    age_months: AgeMonths | None = Field(None, description="Months beyond `age`, for infants.")
    sex: Literal["female", "male", "other", "unknown"] = "unknown"
    symptoms: list[Symptom] = Field(default_factory=list, max_length=50)
    urgency: Urgency = Field(description="The urgency the agent reports; an input, never the answer.")
    vitals: VitalsIn | None = None
    notes: Notes | None = None
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
        description="The engine's full assessment: esi, news2, qsofa, danger_zone, red_flags, serious, rationale, "
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
    next_cursor: UUID | None = Field(description="Pass as `cursor` to read older intakes; null on the last page.")
