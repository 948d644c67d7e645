"""The intake contract: what an agent may submit, and what it reads back."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any, Literal, TypeVar
from uuid import UUID

from fastapi import Header
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    Strict,
    StringConstraints,
    model_validator,
)
from pydantic_core import PydanticCustomError

from store.intakes import IntakeStatus
from triage.engine import assess
from triage.models import Assessment, Consciousness, Disposition, Intake, Sex, Spo2Scale, Urgency, Vitals
from triage.vocabulary import COMPLAINT_CODES, FINDING_CODES, VOCABULARY_VERSION

CallbackUrl = Annotated[str, StringConstraints(pattern=r"^https?://[^\s/?#@]+/\S*$", max_length=2000)]
PATIENT_ID_PATTERN = r"^[A-Za-z0-9._:-]{1,64}$"
PatientId = Annotated[str, StringConstraints(pattern=PATIENT_ID_PATTERN, min_length=1, max_length=64)]
# PostgreSQL cannot store NUL in text or jsonb: refuse it up front, as a validation error.
_NO_NUL = r"^[^\x00]*$"
Symptom = Annotated[str, StringConstraints(min_length=1, max_length=200, pattern=_NO_NUL)]
Notes = Annotated[str, StringConstraints(max_length=4000, pattern=_NO_NUL)]

# The engine's coded vocabulary (triage.vocabulary), as enums so that OpenAPI (and tool schemas built from
# it) list every code. Built from the engine's own tables: a code the engine adds appears here unedited.
VOCABULARY_DOC = "docs/vocabulary.md"
Finding = StrEnum("Finding", {code: code for code in FINDING_CODES})  # type: ignore[misc]
Finding.__doc__ = (
    f"A coded finding ({VOCABULARY_VERSION}): asserts the red flag of the same code, exactly as its free-text "
    f"phrasing would. Every code, its ESI effect, source and an example phrasing: {VOCABULARY_DOC}."
)
Complaint = StrEnum("Complaint", {code: code for code in COMPLAINT_CODES})  # type: ignore[misc]
Complaint.__doc__ = (
    f"A coded presenting complaint ({VOCABULARY_VERSION}): counts the resources its category is expected to "
    f"need (ESI decision point C). Every code and its resources: {VOCABULARY_DOC}."
)
MAX_FINDINGS = 32
MAX_COMPLAINTS = 8

_Code = TypeVar("_Code", bound=StrEnum)


def _no_duplicates(codes: list[_Code]) -> list[_Code]:
    if len(set(codes)) != len(codes):
        raise PydanticCustomError("duplicate_items", "must not repeat an item")
    return codes


# Strict(False) on the items: strict validation of a Python value wants an enum member, and the body
# arrives as parsed JSON (strings). Only the codes themselves pass, whatever the mode.
Findings = Annotated[list[Annotated[Finding, Strict(False)]], AfterValidator(_no_duplicates)]
Complaints = Annotated[list[Annotated[Complaint, Strict(False)]], AfterValidator(_no_duplicates)]


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


def whole_number(value: object) -> object:
    """JSON Schema's integer admits 9.0; accept it as 9. Strings, booleans and 9.5 still fail."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


Age = Annotated[int, Field(ge=0, le=130), BeforeValidator(whole_number)]
AgeMonths = Annotated[int, Field(ge=0, le=11), BeforeValidator(whole_number)]
PainScore = Annotated[int, Field(ge=0, le=10), BeforeValidator(whole_number)]

# Strict: no silent coercion ("42" is not 42, true is not 1, 36.6 is not an integer age).
_STRICT = ConfigDict(extra="forbid", strict=True)


class VitalsIn(BaseModel):
    """Observed vital signs; each optional, each within physiologically plausible bounds."""

    model_config = _STRICT

    respiratory_rate: float | None = Field(None, ge=0, le=80, description="Breaths per minute.")
    spo2: float | None = Field(None, ge=40, le=100, description="Oxygen saturation, %.")
    on_supplemental_oxygen: bool | None = None
    spo2_scale: Spo2Scale | None = Field(
        None, description="NEWS2 SpO2 scale; 2 only for a prescribed 88–92 % target (hypercapnic failure)."
    )
    systolic_bp: float | None = Field(None, ge=30, le=300, description="mmHg.")
    heart_rate: float | None = Field(None, ge=0, le=300, description="Beats per minute.")
    consciousness: Consciousness | None = Field(None, description="ACVPU.")
    temperature_c: float | None = Field(None, ge=25, le=45, description="°C.")
    pain_score: PainScore | None = None

    def observed(self) -> bool:
        return any(getattr(self, name) is not None for name in MEASUREMENTS)


# Vital signs that count as an observation (the SpO2 scale and the oxygen flag qualify one; alone they say nothing).
MEASUREMENTS = ("respiratory_rate", "spo2", "systolic_bp", "heart_rate", "consciousness", "temperature_c", "pain_score")

# Something clinical is required: one of these lists not empty, or an observed vital sign.
CLINICAL_LISTS = ("symptoms", "findings", "complaints")
CLINICAL_CONTENT_REQUIRED = "at least one symptom, vital sign, coded finding or coded complaint is required"


def _require_symptom_or_vital(schema: dict[str, Any]) -> None:
    """State the something-clinical rule in the JSON Schema too, so clients and fuzzers see it."""
    non_null = {"not": {"type": "null"}}
    schema["anyOf"] = [
        *({"required": [name], "properties": {name: {"minItems": 1}}} for name in CLINICAL_LISTS),
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
        },
        {
            "patient_id": "P67890",
            "age": 58,
            "urgency": "high",
            "complaints": ["chest_pain"],
            "findings": ["cardiac_chest_pain"],
            "notes": "pain started an hour ago",
        },
    ]


class IntakeIn(BaseModel):
    """A clinical intake as an agent submits it.

    At least one symptom, observed vital sign, coded finding or coded complaint is required. Free text
    (`symptoms`, `notes`) and the coded vocabulary (`findings`, `complaints`; see docs/vocabulary.md) may be
    combined: both are read by the same rules.
    """

    model_config = ConfigDict(extra="forbid", strict=True, json_schema_extra=_require_symptom_or_vital)

    patient_id: PatientId
    age: Age = Field(description="Whole years.")
    age_months: AgeMonths | None = Field(None, description="Months beyond `age`, for infants.")
    sex: Sex = "unknown"
    symptoms: list[Symptom] = Field(default_factory=list, max_length=50)
    urgency: Urgency = Field(description="The urgency the agent reports; an input, never the answer.")
    vitals: VitalsIn | None = None
    notes: Notes | None = None
    pregnant: bool | None = None
    findings: Findings = Field(
        default_factory=list,
        max_length=MAX_FINDINGS,
        json_schema_extra={"uniqueItems": True},
        description=f"Coded findings ({VOCABULARY_VERSION}, {VOCABULARY_DOC}), at most {MAX_FINDINGS}, no repeats: "
        "each asserts the red flag of the same code, as its free-text phrasing would.",
    )
    complaints: Complaints = Field(
        default_factory=list,
        max_length=MAX_COMPLAINTS,
        json_schema_extra={"uniqueItems": True},
        description=f"Coded presenting complaints ({VOCABULARY_VERSION}, {VOCABULARY_DOC}), at most "
        f"{MAX_COMPLAINTS}, no repeats: each counts its category's expected resources.",
    )

    callback_url: CallbackUrl | None = Field(
        None,
        description="Where to POST a signed callback when the intake is triaged or failed (Standard Webhooks; "
        "docs/agents.md). It must start with one of the tenant's allow-listed prefixes (422 otherwise).",
    )

    @model_validator(mode="after")
    def _symptom_or_vital(self) -> IntakeIn:
        given = any(getattr(self, name) for name in CLINICAL_LISTS) or (self.vitals and self.vitals.observed())
        if not given:
            raise PydanticCustomError("symptoms_or_vitals_required", CLINICAL_CONTENT_REQUIRED)
        return self

    def stored_payload(self) -> dict[str, Any]:
        """The JSON stored for the worker (and fingerprinted for Idempotency-Key).

        The coded lists appear only when given, so an intake without them is stored, echoed and fingerprinted
        exactly as before they existed (a retry across an upgrade still matches its key).
        """
        empty = {name for name in ("findings", "complaints") if not getattr(self, name)}
        return self.model_dump(mode="json", exclude_none=True, exclude=empty)


class DeliveryOut(BaseModel):
    """One callback owed for the intake, and how its delivery went (every attempt updates it)."""

    delivery_id: int
    kind: str = Field(description="`intake.triaged` or `intake.failed`.")
    url: str
    status: Literal["pending", "delivered", "failed"] = Field(
        description="`pending`: being tried (or waiting for a retry); `delivered`: a 2xx was received; "
        "`failed`: given up (attempts exhausted, or the destination refused)."
    )
    attempts: int
    last_status_code: int | None
    last_error: str | None
    created_at: datetime
    updated_at: datetime
    delivered_at: datetime | None


class DeliveryList(BaseModel):
    intake_id: UUID
    items: list[DeliveryOut]


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


class ModelOpinionOut(BaseModel):
    """The optional model second opinion (docs/clinical-workflow.md): what the model said and what it did."""

    status: Literal["raised", "agreed", "not_more_urgent", "timeout", "error", "invalid"] = Field(
        description="`raised`: the outcome was raised to the model's answer; `agreed` / `not_more_urgent`: the "
        "rules' answer stands; `timeout` / `error` / `invalid`: no usable answer, the rules' answer stands."
    )
    model: str
    prompt_sha256: str
    acuity: int | None
    disposition: str | None


def example_assessment() -> dict[str, Any]:
    """What the engine answers for a febrile, breathless adult: the OpenAPI example, always this engine's shape."""
    sample = Intake(
        age=67,
        urgency="medium",
        sex="male",
        symptoms=("shortness of breath", "cough"),
        vitals=Vitals(
            respiratory_rate=26,
            spo2=90,
            on_supplemental_oxygen=False,
            systolic_bp=98,
            heart_rate=118,
            consciousness="alert",
            temperature_c=38.9,
        ),
    )
    return assess(sample).to_dict()


class OutcomeOut(BaseModel):
    acuity: int = Field(ge=1, le=5, description="ESI level, 1 most urgent.")
    disposition: Disposition
    engine: EngineOut
    triaged_at: datetime
    # The engine's own result types (triage/models.py), so the description is said once: ESI with its decision
    # point and resources, NEWS2 with sub-scores and clinical response, qSOFA, the danger zone, red flags with
    # their evidence, review flags, rationale and engine. Fields added by later engine versions have defaults,
    # so an outcome stored by an earlier version reads the same as before, with the new fields at their default.
    assessment: Assessment = Field(
        description="The engine's full assessment. `escalation_policy` is the tenant's policy that applied "
        "('escalate' or 'flag', also esi.escalation_policy); esi.escalated_from is the level 'escalate' raised to "
        "ESI 2 (or null).",
        # The example (an engine answer, nulls included) is set by api.openapi.with_examples in create_app.
    )
    model_opinion: ModelOpinionOut | None = Field(
        None, description="Present when the tenant asked a model for a second opinion; it can only raise urgency."
    )


class ReviewOut(BaseModel):
    """A clinician's confirmation or override of the outcome; the engine's outcome itself is never changed."""

    review_id: int
    decision: Literal["confirm", "override"]
    acuity: int = Field(ge=1, le=5)
    disposition: Disposition
    reason: str
    reviewer: str = Field(description="The reviewing key (`key:<id>`).")
    reviewed_at: datetime


class DecisionOut(BaseModel):
    """What to act on: the latest review's decision, or the engine's outcome when there is none."""

    acuity: int = Field(ge=1, le=5)
    disposition: Disposition
    source: Literal["engine", "review"]


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
    decision: DecisionOut | None = Field(
        None, description="The effective decision (null until triaged): the latest review's, else the outcome's."
    )
    reviews: list[ReviewOut] = Field(default_factory=list, description="Clinicians' reviews, oldest first.")
    links: Links


class IntakePage(BaseModel):
    patient_id: str
    items: list[IntakeOut]
    next_cursor: UUID | None = Field(description="Pass as `cursor` to read older intakes; null on the last page.")
