"""Properties over generated intakes: monotone in worse vitals, deterministic, explained, JSON-safe."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from triage import Intake, Vitals, assess
from triage.findings import detect_red_flags
from triage.models import Consciousness
from triage.news2 import score_news2
from triage.vocabulary import FINDINGS

PROFILE = settings(
    max_examples=60, deadline=None, database=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)

CONSCIOUSNESS: tuple[Consciousness, ...] = ("alert", "new_confusion", "voice", "pain", "unresponsive")
PHRASES = (
    "chest pain",
    "no chest pain",
    "sore throat",
    "twisted ankle",
    "abdominal pain",
    "vomiting",
    "denies shortness of breath",
    "face drooping",
    "wants to kill himself",
    "fever",
    "cut on hand",
    "headache",
    "confused",
    "",
)


def _maybe(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.none() | strategy


vitals_strategy = st.builds(
    Vitals,
    respiratory_rate=_maybe(st.floats(min_value=0, max_value=80, allow_nan=False)),
    spo2=_maybe(st.floats(min_value=50, max_value=100, allow_nan=False)),
    on_supplemental_oxygen=_maybe(st.booleans()),
    spo2_scale=_maybe(st.sampled_from((1, 2))),
    systolic_bp=_maybe(st.floats(min_value=40, max_value=280, allow_nan=False)),
    heart_rate=_maybe(st.floats(min_value=20, max_value=250, allow_nan=False)),
    consciousness=_maybe(st.sampled_from(CONSCIOUSNESS)),
    temperature_c=_maybe(st.floats(min_value=30, max_value=43, allow_nan=False)),
    pain_score=_maybe(st.integers(min_value=0, max_value=10)),
)
intake_strategy = st.builds(
    Intake,
    age=st.integers(min_value=0, max_value=130),
    urgency=st.sampled_from(("low", "medium", "high", "emergency")),
    age_months=st.integers(min_value=0, max_value=11),
    sex=st.sampled_from(("female", "male", "other", "unknown")),
    symptoms=st.lists(st.sampled_from(PHRASES), max_size=3).map(tuple),
    vitals=vitals_strategy,
    notes=_maybe(st.text(max_size=80) | st.sampled_from(PHRASES)),
    pregnant=_maybe(st.booleans()),
)

# A worse value for each numeric parameter: further from the normal range, in the direction given.
WORSENING: dict[str, tuple[str, float]] = {
    "respiratory_rate": ("either", 16.0),
    "spo2": ("down", 100.0),
    "systolic_bp": ("either", 160.0),
    "heart_rate": ("either", 70.0),
    "temperature_c": ("either", 37.0),
}


def _worse(intake: Intake, parameter: str, value: float, step: float) -> float:
    direction, centre = WORSENING[parameter]
    if parameter == "spo2" and intake.vitals.spo2_scale == 2 and intake.vitals.on_supplemental_oxygen is not False:
        # Scale 2 on oxygen is U-shaped around its 88–92 % target: above it, higher is worse.
        return value + step if value > 92 else value - step
    if direction == "down" or value < centre:
        return value - step
    return value + step


@PROFILE
@given(intake=intake_strategy)
def test_assess_is_deterministic_and_json_safe(intake: Intake) -> None:
    first = assess(intake)
    assert first == assess(intake)
    encoded = json.dumps(first.to_dict())
    assert json.loads(encoded) == first.to_dict()
    assert 1 <= first.acuity <= 5


@PROFILE
@given(
    intake=intake_strategy,
    parameter=st.sampled_from(sorted(WORSENING)),
    step=st.floats(min_value=0.1, max_value=30, allow_nan=False),
)
def test_a_worse_vital_never_lowers_news2_or_acuity(intake: Intake, parameter: str, step: float) -> None:
    value = getattr(intake.vitals, parameter)
    if value is None:
        return
    changes: dict[str, Any] = {parameter: _worse(intake, parameter, value, step)}
    worse = replace(intake, vitals=replace(intake.vitals, **changes))
    before, after = assess(intake), assess(worse)
    assert (after.news2.score or 0) >= (before.news2.score or 0)
    assert after.acuity <= before.acuity  # ESI 1 is the most urgent


@PROFILE
@given(intake=intake_strategy, consciousness=st.sampled_from(CONSCIOUSNESS[1:]))
def test_worse_consciousness_never_lowers_news2_or_acuity(intake: Intake, consciousness: Consciousness) -> None:
    if intake.vitals.consciousness not in (None, "alert"):
        return
    worse = replace(intake, vitals=replace(intake.vitals, consciousness=consciousness))
    assert (score_news2(worse).score or 0) >= (score_news2(intake).score or 0)
    assert assess(worse).acuity <= assess(intake).acuity


@PROFILE
@given(intake=intake_strategy)
def test_supplemental_oxygen_never_lowers_news2_or_acuity(intake: Intake) -> None:
    on_air = replace(intake, vitals=replace(intake.vitals, on_supplemental_oxygen=False))
    on_oxygen = replace(intake, vitals=replace(intake.vitals, on_supplemental_oxygen=True))
    assert (score_news2(on_oxygen).score or 0) >= (score_news2(on_air).score or 0)
    assert assess(on_oxygen).acuity <= assess(on_air).acuity


@PROFILE
@given(intake=intake_strategy)
def test_the_agents_urgency_never_changes_the_outcome(intake: Intake) -> None:
    outcomes = {assess(replace(intake, urgency=urgency)).acuity for urgency in ("low", "medium", "high", "emergency")}
    assert len(outcomes) == 1


@PROFILE
@given(intake=intake_strategy)
def test_every_contributing_rule_has_a_rationale_entry(intake: Intake) -> None:
    outcome = assess(intake)
    text = "\n".join(outcome.rationale)
    for subscore in outcome.news2.subscores:
        if subscore.score > 0:
            assert f"[NEWS2.{subscore.parameter}]" in text
    for flag in outcome.red_flags:
        assert f"[RED_FLAG.{flag.id}]" in text
    if outcome.qsofa is not None:
        assert "[qSOFA]" in text
    assert outcome.esi is not None
    assert f"[ESI.{outcome.esi.decision_point}]" in text
    if outcome.esi.decision_point == "D" and outcome.danger_zone and outcome.danger_zone.in_danger_zone:
        for breach in outcome.danger_zone.breaches:
            assert breach.parameter in text
    if outcome.esi.consider_esi_2:
        assert ("[ESI.escalate]" if outcome.esi.escalated_from else "[ESI.consider]") in text
    assert "[DISPOSITION]" in text
    assert "[URGENCY]" in text
    for reason in outcome.review_reasons:
        assert f"[REVIEW] {reason}" in text
    assert outcome.review_required is bool(outcome.review_reasons)


# -- Safety properties of the escalation policy, ESI-1 signs and the coded vocabulary ----------------------

LEVEL_1 = tuple(finding for finding in FINDINGS if finding.level == 1)


@given(intake=intake_strategy)
def test_escalate_never_yields_a_less_urgent_level_than_flag(intake: Intake) -> None:
    escalated, flagged = assess(intake, policy="escalate"), assess(intake, policy="flag")
    assert escalated.acuity <= flagged.acuity
    assert escalated.escalation_policy == "escalate" and flagged.escalation_policy == "flag"
    if escalated.acuity != flagged.acuity:
        assert escalated.acuity == 2 and escalated.esi is not None
        assert escalated.esi.escalated_from == flagged.acuity
        assert any(line.startswith("[ESI.escalate]") for line in escalated.rationale)
        assert flagged.review_required


@given(intake=intake_strategy, sign=st.sampled_from(LEVEL_1), coded=st.booleans())
def test_adding_any_esi_1_sign_yields_esi_1(intake: Intake, sign: Any, coded: bool) -> None:
    if coded:
        worse = replace(intake, findings=(*intake.findings, sign.code))
    else:
        worse = replace(intake, notes=f"{intake.notes or ''}. {sign.example}.")
    assert assess(worse).acuity == 1, sign.code


@settings(max_examples=len(FINDINGS) * 3, deadline=None, database=None, derandomize=True)
@given(
    finding=st.sampled_from(FINDINGS),
    age=st.integers(min_value=16, max_value=90),
    policy=st.sampled_from(("escalate", "flag")),
)
def test_a_coded_finding_and_its_phrasing_give_the_same_acuity(finding: Any, age: int, policy: Any) -> None:
    phrased = Intake(age=age, urgency="medium", notes=finding.example)
    coded = Intake(age=age, urgency="medium", findings=(finding.code,))
    assert finding.code in {flag.id for flag in detect_red_flags(phrased).flags}, finding.example
    assert assess(phrased, policy=policy).acuity == assess(coded, policy=policy).acuity, finding.code
