"""What the API answers, typed. Unknown fields are kept (`extra="allow"`): a newer server adds, never breaks."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict

IntakeStatus = Literal["queued", "processing", "triaged", "failed"]
Disposition = Literal["emergency_ambulance", "emergency", "consultation_24", "consultation", "self_care"]
FINAL_STATUSES: frozenset[str] = frozenset({"triaged", "failed"})


class _Model(BaseModel):
    model_config = ConfigDict(extra="allow", frozen=True)


class Links(_Model):
    self: str
    patient_intakes: str | None = None


class Accepted(_Model):
    """202: stored and queued."""

    intake_id: UUID
    status: Literal["queued"]
    job_id: int | None
    links: Links


class Engine(_Model):
    name: str
    version: str


class News2(_Model):
    score: int | None
    band: Literal["low", "low_medium", "medium", "high"] | None
    complete: bool
    missing: list[str] = []


class Esi(_Model):
    decision_point: Literal["A", "B", "C", "D"]
    expected_resources: int | None = None
    escalated_from: int | None = None


class RedFlag(_Model):
    id: str
    name: str
    level: int
    is_emergency: bool
    call_ambulance: bool


class Assessment(_Model):
    """The engine's assessment; the fields an agent acts on are typed, the rest kept as sent."""

    acuity: int
    disposition: Disposition
    rationale: list[str]
    engine: Engine
    news2: News2
    esi: Esi | None = None
    red_flags: list[RedFlag] = []
    review_required: bool = False
    review_reasons: list[str] = []
    escalation_policy: Literal["escalate", "flag"] = "escalate"


class Outcome(_Model):
    acuity: int
    disposition: Disposition
    engine: Engine
    triaged_at: datetime
    assessment: Assessment


class Decision(_Model):
    """What to act on: the latest clinician review's decision, or the engine's outcome (`source`)."""

    acuity: int
    disposition: Disposition
    source: Literal["engine", "review"]


class Intake(_Model):
    intake_id: UUID
    patient_id: str
    status: IntakeStatus
    failure_reason: str | None
    attempts: int
    job_id: int | None
    created_at: datetime
    updated_at: datetime
    intake: dict[str, Any]
    outcome: Outcome | None
    decision: Decision | None = None
    links: Links

    @property
    def finished(self) -> bool:
        return self.status in FINAL_STATUSES


class IntakePage(_Model):
    patient_id: str
    items: list[Intake]
    next_cursor: UUID | None


class Event(_Model):
    """One Server-Sent Event of `GET /v1/events`: an intake finished, or a clinician reviewed its outcome
    (ids and status only)."""

    event_id: int
    type: Literal["intake.triaged", "intake.failed", "intake.reviewed"]
    intake_id: UUID
    status: Literal["triaged", "failed"]
    occurred_at: datetime
