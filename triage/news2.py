"""NEWS2 — Royal College of Physicians, 2017: Chart 1 (scoring), Chart 3 (risk), Chart 4 (response).

Between-bands rule: Chart 1 prints whole numbers (temperature in tenths). A value between two printed
bands (RR 8.5, 38.05 °C) is rounded to the chart's precision first; an exact half is rounded towards the
more abnormal band, so rounding can never make a patient look better than the chart would.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from triage.models import ClinicalResponse, Intake, News2Band, News2Result, News2Subscore, Vitals
from triage.numbers import finite, round_to_chart, show

WHOLE = Decimal("1")
TENTH = Decimal("0.1")


@dataclass(frozen=True, slots=True)
class Band:
    """One cell of Chart 1: inclusive limits on the chart's grid (None = open-ended)."""

    low: Decimal | None
    high: Decimal | None
    score: int
    label: str

    def contains(self, value: Decimal) -> bool:
        return (self.low is None or value >= self.low) and (self.high is None or value <= self.high)


@dataclass(frozen=True, slots=True)
class Parameter:
    """A numeric row of Chart 1; `normal` is the 0-scoring band, used to know which way is abnormal."""

    name: str
    label: str
    unit: str
    step: Decimal
    normal_low: Decimal | None
    normal_high: Decimal | None
    bands: tuple[Band, ...]


def _band(low: str | None, high: str | None, score: int, label: str) -> Band:
    return Band(None if low is None else Decimal(low), None if high is None else Decimal(high), score, label)


RESPIRATORY_RATE = Parameter(
    "respiratory_rate", "respiration rate", "/min", WHOLE, Decimal(12), Decimal(20),
    (
        _band(None, "8", 3, "≤8"),
        _band("9", "11", 1, "9–11"),
        _band("12", "20", 0, "12–20"),
        _band("21", "24", 2, "21–24"),
        _band("25", None, 3, "≥25"),
    ),
)  # fmt: skip
SPO2_SCALE_1 = Parameter(
    "spo2", "SpO2 (Scale 1)", "%", WHOLE, Decimal(96), None,
    (
        _band(None, "91", 3, "≤91"),
        _band("92", "93", 2, "92–93"),
        _band("94", "95", 1, "94–95"),
        _band("96", None, 0, "≥96"),
    ),
)  # fmt: skip
# Scale 2 on air: 88 % and above all score 0 (the upper rows apply only on oxygen).
SPO2_SCALE_2_AIR = Parameter(
    "spo2", "SpO2 (Scale 2, on air)", "%", WHOLE, Decimal(88), None,
    (
        _band(None, "83", 3, "≤83"),
        _band("84", "85", 2, "84–85"),
        _band("86", "87", 1, "86–87"),
        _band("88", None, 0, "88–92 or ≥93 on air"),
    ),
)  # fmt: skip
SPO2_SCALE_2_OXYGEN = Parameter(
    "spo2", "SpO2 (Scale 2, on oxygen)", "%", WHOLE, Decimal(88), Decimal(92),
    (
        _band(None, "83", 3, "≤83"),
        _band("84", "85", 2, "84–85"),
        _band("86", "87", 1, "86–87"),
        _band("88", "92", 0, "88–92"),
        _band("93", "94", 1, "93–94 on oxygen"),
        _band("95", "96", 2, "95–96 on oxygen"),
        _band("97", None, 3, "≥97 on oxygen"),
    ),
)  # fmt: skip
SYSTOLIC_BP = Parameter(
    "systolic_bp", "systolic BP", " mmHg", WHOLE, Decimal(111), Decimal(219),
    (
        _band(None, "90", 3, "≤90"),
        _band("91", "100", 2, "91–100"),
        _band("101", "110", 1, "101–110"),
        _band("111", "219", 0, "111–219"),
        _band("220", None, 3, "≥220"),
    ),
)  # fmt: skip
PULSE = Parameter(
    "heart_rate", "pulse", "/min", WHOLE, Decimal(51), Decimal(90),
    (
        _band(None, "40", 3, "≤40"),
        _band("41", "50", 1, "41–50"),
        _band("51", "90", 0, "51–90"),
        _band("91", "110", 1, "91–110"),
        _band("111", "130", 2, "111–130"),
        _band("131", None, 3, "≥131"),
    ),
)  # fmt: skip
TEMPERATURE = Parameter(
    "temperature_c", "temperature", " °C", TENTH, Decimal("36.1"), Decimal("38.0"),
    (
        _band(None, "35.0", 3, "≤35.0"),
        _band("35.1", "36.0", 1, "35.1–36.0"),
        _band("36.1", "38.0", 0, "36.1–38.0"),
        _band("38.1", "39.0", 1, "38.1–39.0"),
        _band("39.1", None, 2, "≥39.1"),  # the high side tops out at 2
    ),
)  # fmt: skip

# The seven Chart 1 parameters, named as the Vitals fields that carry them.
PARAMETERS: tuple[str, ...] = (
    "respiratory_rate",
    "spo2",
    "on_supplemental_oxygen",
    "systolic_bp",
    "heart_rate",
    "consciousness",
    "temperature_c",
)

RESPONSES: dict[str, ClinicalResponse] = {
    "routine": ClinicalResponse(
        "routine", "at least 12-hourly", "continue routine NEWS monitoring"
    ),
    "ward_based": ClinicalResponse(
        "ward_based",
        "at least 4–6-hourly",
        "inform a registered nurse, who must assess the patient and decide whether increased "
        "monitoring or escalation of care is required",
    ),
    "urgent_ward_based": ClinicalResponse(
        "urgent_ward_based",
        "at least hourly",
        "registered nurse to inform the medical team caring for the patient, who will review and "
        "decide whether escalation of care is necessary",
    ),
    "urgent": ClinicalResponse(
        "urgent",
        "at least hourly",
        "registered nurse to inform the medical team immediately; urgent assessment by a clinician "
        "or team with core competencies in the care of acutely ill patients",
    ),
    "emergency": ClinicalResponse(
        "emergency",
        "continuous monitoring of vital signs",
        "registered nurse to inform the medical team immediately (at least specialist registrar "
        "level); emergency assessment by a team with critical-care competencies; consider transfer "
        "to HDU/ICU",
    ),
}  # fmt: skip


def score_parameter(parameter: Parameter, value: float) -> News2Subscore:
    """Score one numeric Chart 1 row, applying the between-bands rule."""
    below_normal = parameter.normal_low is not None and Decimal(repr(value)) < parameter.normal_low
    scored = round_to_chart(value, parameter.step, towards_lower=below_normal)
    band = next(b for b in parameter.bands if b.contains(scored))
    return News2Subscore(parameter.name, value, float(scored), band.score, band.label)


def _spo2_parameter(vitals: Vitals, scale: int) -> Parameter:
    if scale == 1:
        return SPO2_SCALE_1
    # Scale 2's upper rows depend on oxygen; when oxygen is not stated, score as if on oxygen
    # (the higher score) rather than risk under-scoring.
    return SPO2_SCALE_2_AIR if vitals.on_supplemental_oxygen is False else SPO2_SCALE_2_OXYGEN


def band_for(score: int, single_parameter_3: bool) -> News2Band:
    """Chart 3: aggregate score → clinical risk."""
    if score >= 7:
        return "high"
    if score >= 5:
        return "medium"
    if single_parameter_3:
        return "low_medium"
    return "low"


def response_for(score: int, single_parameter_3: bool) -> ClinicalResponse:
    """Chart 4: aggregate score → monitoring frequency and clinical response."""
    if score >= 7:
        return RESPONSES["emergency"]
    if score >= 5:
        return RESPONSES["urgent"]
    if single_parameter_3:
        return RESPONSES["urgent_ward_based"]
    if score >= 1:
        return RESPONSES["ward_based"]
    return RESPONSES["routine"]


def not_validated_populations(intake: Intake) -> tuple[str, ...]:
    reasons: list[str] = []
    if intake.age < 16:
        reasons.append("under_16")
    if intake.pregnant:
        reasons.append("pregnancy")
    return tuple(reasons)


def score_news2(intake: Intake) -> News2Result:
    """NEWS2 of whatever is present; `complete` only when all seven parameters were given."""
    vitals = intake.vitals
    scale: int = 2 if vitals.spo2_scale == 2 else 1
    subscores: list[News2Subscore] = []
    missing: list[str] = []

    numeric: tuple[tuple[str, float | None, Parameter], ...] = (
        ("respiratory_rate", vitals.respiratory_rate, RESPIRATORY_RATE),
        ("spo2", vitals.spo2, _spo2_parameter(vitals, scale)),
        ("systolic_bp", vitals.systolic_bp, SYSTOLIC_BP),
        ("heart_rate", vitals.heart_rate, PULSE),
        ("temperature_c", vitals.temperature_c, TEMPERATURE),
    )
    for name, raw, parameter in numeric:
        value = finite(raw)
        if value is None:
            missing.append(name)
        else:
            subscores.append(score_parameter(parameter, value))

    if vitals.on_supplemental_oxygen is None:
        missing.append("on_supplemental_oxygen")
    else:
        oxygen = vitals.on_supplemental_oxygen
        subscores.append(
            News2Subscore("on_supplemental_oxygen", oxygen, oxygen, 2 if oxygen else 0, "oxygen" if oxygen else "air")
        )

    if vitals.consciousness is None:
        missing.append("consciousness")
    else:
        alert = vitals.consciousness == "alert"
        subscores.append(
            News2Subscore(
                "consciousness", vitals.consciousness, vitals.consciousness, 0 if alert else 3,
                "alert" if alert else "new confusion, voice, pain or unresponsive (CVPU)",
            )
        )  # fmt: skip

    order = {name: index for index, name in enumerate(PARAMETERS)}
    subscores.sort(key=lambda subscore: order[subscore.parameter])
    missing.sort(key=lambda name: order[name])
    single_3 = any(subscore.score == 3 for subscore in subscores)
    if not subscores:
        score = band = response = None
    else:
        score = sum(subscore.score for subscore in subscores)
        band = band_for(score, single_3)
        response = response_for(score, single_3)
    return News2Result(
        score=score,
        band=band,
        subscores=tuple(subscores),
        complete=not missing,
        missing=tuple(missing),
        response=response,
        scale=2 if scale == 2 else 1,
        single_parameter_3=single_3,
        not_validated=not_validated_populations(intake),
    )


def describe(result: News2Result) -> list[str]:
    """Rationale entries: one per scoring parameter, then the total, band and response."""
    lines: list[str] = []
    for subscore in result.subscores:
        if subscore.score == 0:
            continue
        given = subscore.value if isinstance(subscore.value, str | bool) else show(subscore.value)
        scored = subscore.scored_value
        note = ""
        if isinstance(scored, float) and isinstance(subscore.value, float) and scored != subscore.value:
            note = f" (scored as {show(scored)} by the between-bands rule)"
        lines.append(
            f"[NEWS2.{subscore.parameter}] RCP NEWS2 Chart 1: {subscore.parameter} {given}{note} "
            f"is in band {subscore.band} → {subscore.score}"
        )
    if result.score is None:
        lines.append("[NEWS2] no NEWS2 parameter was given; NEWS2 not scored")
        return lines
    total = f"[NEWS2] total {result.score}"
    if not result.complete:
        total += f" from the parameters present (a lower bound; missing: {', '.join(result.missing)})"
    if result.scale == 2:
        total += "; SpO2 scored on Scale 2 as the intake requested"
    lines.append(f"{total}; Chart 3 risk {result.band}")
    if result.response is not None:
        lines.append(
            f"[NEWS2.response] Chart 4: {result.response.level} — monitoring {result.response.monitoring}; "
            f"{result.response.action}"
        )
    if result.not_validated:
        lines.append(
            "[NEWS2.limits] NEWS2 is not validated for " + " or ".join(
                "under-16s" if reason == "under_16" else "pregnancy" for reason in result.not_validated
            )
        )  # fmt: skip
    return lines
