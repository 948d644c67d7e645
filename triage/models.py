"""The engine's contract: plain, immutable data in and out.

Nothing here imports the rest of the project; the API and the worker translate their own
models into `Intake` and store `Assessment.to_dict()`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, is_dataclass
from typing import Any, Literal

Sex = Literal["female", "male", "other", "unknown"]
Urgency = Literal["low", "medium", "high", "emergency"]
Consciousness = Literal["alert", "new_confusion", "voice", "pain", "unresponsive"]
# NEWS2 SpO2 scale: 2 only for a prescribed 88–92 % target (hypercapnic respiratory failure).
Spo2Scale = Literal[1, 2]
Disposition = Literal["emergency_ambulance", "emergency", "consultation_24", "consultation", "self_care"]
News2Band = Literal["low", "low_medium", "medium", "high"]
# What a "consider ESI 2" criterion does (per tenant): `escalate` raises ESI 3–5 to ESI 2 (the default:
# agents often have no nurse in the loop); `flag` keeps the computed level and asks for clinician review.
EscalationPolicy = Literal["escalate", "flag"]
ESCALATION_POLICIES: tuple[EscalationPolicy, ...] = ("escalate", "flag")
ResponseLevel = Literal["routine", "ward_based", "urgent_ward_based", "urgent", "emergency"]
EsiDecisionPoint = Literal["A", "B", "C", "D"]


@dataclass(frozen=True, slots=True)
class Vitals:
    """Observed vital signs; every field may be missing. Numbers may be fractional."""

    respiratory_rate: float | None = None
    spo2: float | None = None
    on_supplemental_oxygen: bool | None = None
    spo2_scale: Spo2Scale | None = None
    systolic_bp: float | None = None
    heart_rate: float | None = None
    consciousness: Consciousness | None = None
    temperature_c: float | None = None
    pain_score: int | None = None


@dataclass(frozen=True, slots=True)
class Intake:
    """What the engine needs to know about one intake (already validated by the caller)."""

    age: int
    urgency: Urgency
    age_months: int = 0
    sex: Sex = "unknown"
    symptoms: tuple[str, ...] = ()
    vitals: Vitals = field(default_factory=Vitals)
    notes: str | None = None
    pregnant: bool | None = None
    # Coded input (triage.vocabulary): findings assert the red flag of the same code; complaints count
    # the resources of their category. Unknown codes are the caller's error (the API validates them).
    findings: tuple[str, ...] = ()
    complaints: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class EngineInfo:
    name: str
    version: str


@dataclass(frozen=True, slots=True)
class News2Subscore:
    """One NEWS2 parameter: the value as given, the value scored (after the between-bands rule)."""

    parameter: str
    value: float | bool | str
    scored_value: float | bool | str
    score: int
    band: str  # the Chart 1 band the scored value fell in, e.g. "21–24"


@dataclass(frozen=True, slots=True)
class ClinicalResponse:
    """Chart 4: how often to observe and who responds."""

    level: ResponseLevel
    monitoring: str
    action: str


@dataclass(frozen=True, slots=True)
class News2Result:
    """NEWS2 (RCP 2017). With partial vitals `score` is the sum of what is present (a lower bound)."""

    score: int | None  # None when no parameter at all was given
    band: News2Band | None
    subscores: tuple[News2Subscore, ...]
    complete: bool
    missing: tuple[str, ...]
    response: ClinicalResponse | None
    scale: Spo2Scale
    single_parameter_3: bool
    not_validated: tuple[str, ...]  # populations where NEWS2 is not validated, when they apply


@dataclass(frozen=True, slots=True)
class QsofaResult:
    """qSOFA (Sepsis-3): one point each for RR ≥ 22, SBP ≤ 100, altered mentation; positive at ≥ 2."""

    score: int
    positive: bool
    complete: bool
    criteria: tuple[str, ...]  # the criteria met
    missing: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class DangerZoneBreach:
    parameter: Literal["heart_rate", "respiratory_rate", "spo2"]
    value: float
    threshold: str  # e.g. "> 100"


@dataclass(frozen=True, slots=True)
class DangerZoneResult:
    """ESI v4 decision point D. `consider_esi_2` is the published "consider", made explicit."""

    age_band: str
    breaches: tuple[DangerZoneBreach, ...]
    in_danger_zone: bool
    consider_esi_2: bool  # danger-zone vitals present: the ESI algorithm says "consider ESI 2"
    escalated_to_esi_2: bool  # the engine's documented rule did up-triage to ESI 2
    applied: bool  # decision point D was reached (two or more expected resources)
    missing: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Evidence:
    """Where a red flag was found: `source` is "notes" or "symptoms[i]"; offsets index that text."""

    source: str
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class RedFlag:
    id: str
    name: str
    level: int  # 1 = immediate life threat (ESI A), 2 = high risk (ESI B), 3 = notable
    is_emergency: bool
    call_ambulance: bool
    evidence: tuple[Evidence, ...]
    detail: str | None = None  # e.g. C-SSRS tier, stroke onset


@dataclass(frozen=True, slots=True)
class SeriousFinding:
    """Infermedica-style `serious` entry."""

    id: str
    name: str
    is_emergency: bool


@dataclass(frozen=True, slots=True)
class EsiTrail:
    """The ESI v4 decision point that decided the acuity, and the resource estimate used."""

    decision_point: EsiDecisionPoint
    expected_resources: int | None
    resource_types: tuple[str, ...]
    # Published "consider ESI 2" criteria met at ESI 3–5 (danger-zone vitals, severe pain with distress or
    # a high-risk context, a NEWS2 single parameter of 3 or a total of 5+): under the `flag` policy shown
    # to the clinician and a reason for review; under `escalate` the reasons the level was raised.
    consider_esi_2: tuple[str, ...] = ()
    escalation_policy: EscalationPolicy = "escalate"
    escalated_from: int | None = None  # the level before `escalate` raised it to ESI 2
    complaints: tuple[str, ...] = ()  # the complaint categories recognised at decision point C


@dataclass(frozen=True, slots=True)
class Assessment:
    """The engine's answer. `to_dict()` is what gets stored and served (JSON-safe)."""

    acuity: int  # ESI 1 (most urgent) .. 5
    disposition: Disposition
    rationale: tuple[str, ...]
    engine: EngineInfo
    news2: News2Result
    qsofa: QsofaResult | None = None
    danger_zone: DangerZoneResult | None = None
    red_flags: tuple[RedFlag, ...] = ()
    serious: tuple[SeriousFinding, ...] = ()
    review_required: bool = False
    review_reasons: tuple[str, ...] = ()
    esi: EsiTrail | None = None
    escalation_policy: EscalationPolicy = "escalate"

    def to_dict(self) -> dict[str, Any]:
        converted = _to_json(self)
        assert isinstance(converted, dict)
        return converted


def _to_json(value: object) -> Any:
    # dataclasses.asdict keeps tuples; stored JSON wants lists, and nested names must stay plain.
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _to_json(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, tuple | list):
        return [_to_json(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _to_json(item) for key, item in value.items()}
    return value
