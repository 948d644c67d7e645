"""ESI v4 (AHRQ Implementation Handbook, 2012): decision points A → B → C → D, first "yes" wins.

A — immediate life-saving intervention: a level-1 red flag, or vitals that need one now:
    * AVPU "pain" or "unresponsive" (handbook: unresponsive, or responds only to pain → ESI 1);
    * SpO2 < 90 % on Scale 1 (handbook ESI-1 example "SpO2 < 90"); ≤ 83 % when Scale 2 was asked for,
      because 88–92 % is that patient's target and ≤ 83 % is Scale 2's most abnormal band;
    * respiratory rate ≤ 6/min (handbook example: overdose with a respiratory rate of 6 — any cause of
      such a rate needs airway support);
    * adults (≥ 16; the values are adult physiology): systolic BP ≤ 70 mmHg ("BP 70/palp"); systolic BP
      < 90 with a sign of hypoperfusion (pulse > 100, or not alert); pulse ≤ 30 ("heart rate 30");
      pulse < 40 or > 150 with systolic BP < 90 or not alert (brady/tachycardia with hypoperfusion).
B — high-risk situation: a level-2 red flag (including pain described with distress: "excruciating",
    "worst pain", "in agony"); new confusion or voice-only response (AVPU "V"); adult NEWS2 ≥ 7 (RCP
    emergency-response threshold); a positive qSOFA. A pain *rating* of 7/10 or more is, as the handbook's
    FAQ says, "one factor to consider", not an automatic ESI 2: it is reported as `consider_esi_2`.
C — expected resources (resources.py): none → ESI 5, one → ESI 4, two or more → D.
D — danger-zone vitals (danger_zone.py): the handbook says *consider* ESI 2. The engine up-triages to
    ESI 2 when the danger zone is corroborated — SpO2 < 92 %, adult NEWS2 ≥ 5, or (under 16) two or
    more danger-zone vitals — whatever the policy.
Then the "consider ESI 2" criteria (escalation.py) at ESI 3–5: under the tenant's `escalate` policy (the
default) they raise the level to ESI 2; under `flag` the level stays, with `consider_esi_2` and a review
reason.
"""

from __future__ import annotations

from dataclasses import dataclass

from triage.danger_zone import danger_zone_breaches
from triage.escalation import consider_esi_2
from triage.models import (
    DangerZoneResult,
    EscalationPolicy,
    EsiDecisionPoint,
    EsiTrail,
    Intake,
    News2Result,
    QsofaResult,
    RedFlag,
)
from triage.numbers import finite, show
from triage.resources import estimate_resources

ADULT_AGE = 16
NEWS2_EMERGENCY = 7
NEWS2_URGENT = 5


@dataclass(frozen=True, slots=True)
class EsiDecision:
    acuity: int
    trail: EsiTrail
    danger_zone: DangerZoneResult
    rationale: tuple[str, ...]


def life_threatening_vitals(intake: Intake) -> list[str]:
    """Decision point A criteria met by the vitals, each as a readable reason."""
    vitals = intake.vitals
    reasons: list[str] = []
    if vitals.consciousness in ("pain", "unresponsive"):
        reasons.append(f"AVPU '{vitals.consciousness}' (responds only to pain, or not at all)")
    spo2 = finite(vitals.spo2)
    if spo2 is not None:
        if vitals.spo2_scale == 2 and spo2 <= 83:
            reasons.append(f"SpO2 {show(spo2)} % ≤ 83 % on Scale 2")
        elif vitals.spo2_scale != 2 and spo2 < 90:
            reasons.append(f"SpO2 {show(spo2)} % < 90 %")
    respiratory_rate = finite(vitals.respiratory_rate)
    if respiratory_rate is not None and respiratory_rate <= 6:
        reasons.append(f"respiratory rate {show(respiratory_rate)}/min ≤ 6")
    if intake.age < ADULT_AGE:
        return reasons
    systolic = finite(vitals.systolic_bp)
    pulse = finite(vitals.heart_rate)
    not_alert = vitals.consciousness not in (None, "alert")
    hypotensive = systolic is not None and systolic < 90
    if systolic is not None and systolic <= 70:
        reasons.append(f"systolic BP {show(systolic)} mmHg ≤ 70")
    elif hypotensive and ((pulse is not None and pulse > 100) or not_alert):
        sign = f"pulse {show(pulse)}/min" if pulse is not None and pulse > 100 else "not alert"
        reasons.append(f"systolic BP {show(systolic or 0)} mmHg < 90 with hypoperfusion ({sign})")
    if pulse is not None:
        if pulse <= 30:
            reasons.append(f"pulse {show(pulse)}/min ≤ 30")
        elif (pulse < 40 or pulse > 150) and (hypotensive or not_alert):
            reasons.append(f"pulse {show(pulse)}/min with hypotension or altered consciousness")
    return reasons


def high_risk_signals(
    intake: Intake, news2: News2Result, qsofa: QsofaResult | None, red_flags: tuple[RedFlag, ...]
) -> list[str]:
    """Decision point B criteria met, each as a readable reason."""
    reasons = [f"red flag '{flag.id}' ({flag.name})" for flag in red_flags if flag.level == 2]
    vitals = intake.vitals
    if vitals.consciousness in ("new_confusion", "voice"):
        reasons.append(f"consciousness '{vitals.consciousness}' (new confusion or lethargy)")
    if intake.age >= ADULT_AGE and news2.score is not None and news2.score >= NEWS2_EMERGENCY:
        reasons.append(f"NEWS2 {news2.score} ≥ {NEWS2_EMERGENCY} (RCP emergency-response threshold)")
    if qsofa is not None and qsofa.positive:
        reasons.append(f"qSOFA {qsofa.score} ≥ 2")
    return reasons


def decide(
    intake: Intake,
    news2: News2Result,
    qsofa: QsofaResult | None,
    red_flags: tuple[RedFlag, ...],
    policy: EscalationPolicy = "escalate",
) -> EsiDecision:
    rationale: list[str] = []
    band, breaches, dz_missing = danger_zone_breaches(intake)

    def finish(
        acuity: int,
        point: EsiDecisionPoint,
        resources: tuple[int | None, tuple[str, ...], tuple[str, ...]] = (None, (), ()),
        escalated: bool = False,
    ) -> EsiDecision:
        raising, advisory = consider_esi_2(intake, news2, breaches, red_flags) if acuity >= 3 else ([], [])
        prompts = raising + advisory
        escalated_from = None
        if raising and policy == "escalate":
            rationale.append(
                f"[ESI.escalate] 'consider ESI 2' criteria met ({'; '.join(raising)}); the tenant's policy "
                f"'escalate' raises ESI {acuity} → ESI 2"
            )
            escalated_from, acuity, prompts = acuity, 2, raising
        elif prompts:
            rationale.append(
                f"[ESI.consider] the handbook's 'consider ESI 2' applies ({'; '.join(prompts)}); the engine keeps "
                f"ESI {acuity} (policy '{policy}'{'' if raising else ', advisory only'}) and asks for clinician review"
            )
        danger = DangerZoneResult(
            age_band=band.label,
            breaches=breaches,
            in_danger_zone=bool(breaches),
            consider_esi_2=bool(breaches) and acuity >= 3,
            escalated_to_esi_2=escalated or (escalated_from is not None and bool(breaches)),
            applied=point == "D",
            missing=dz_missing,
        )
        trail = EsiTrail(point, resources[0], resources[1], tuple(prompts), policy, escalated_from, resources[2])
        return EsiDecision(acuity, trail, danger, tuple(rationale))

    life_threats = [f"red flag '{flag.id}' ({flag.name})" for flag in red_flags if flag.level == 1]
    life_threats += life_threatening_vitals(intake)
    if life_threats:
        rationale.append("[ESI.A] needs an immediate life-saving intervention: " + "; ".join(life_threats) + " → ESI 1")
        return finish(1, "A")
    rationale.append("[ESI.A] no sign that an immediate life-saving intervention is needed")

    high_risk = high_risk_signals(intake, news2, qsofa, red_flags)
    if high_risk:
        rationale.append("[ESI.B] high-risk situation: " + "; ".join(high_risk) + " → ESI 2")
        return finish(2, "B")
    rationale.append("[ESI.B] no high-risk situation, new confusion/lethargy or severe pain with distress recognised")

    estimate = estimate_resources(intake, news2)
    mapped = ", ".join(estimate.complaints) if estimate.complaints else "none recognised"
    types = ", ".join(estimate.types) if estimate.types else "none"
    line = f"[ESI.C] expected resources {estimate.count} (complaints: {mapped}; resource types: {types})"
    if estimate.reasons:
        line += "; " + "; ".join(estimate.reasons)
    resources = (estimate.count, estimate.types, estimate.complaints)
    if estimate.count == 0:
        rationale.append(line + " → ESI 5")
        return finish(5, "C", resources)
    if estimate.count == 1:
        rationale.append(line + " → ESI 4")
        return finish(4, "C", resources)
    rationale.append(line + " → two or more: decision point D")

    if not breaches:
        checked = "" if not dz_missing else f" (not measured: {', '.join(dz_missing)})"
        rationale.append(f"[ESI.D] no danger-zone vital sign for age band {band.label}{checked} → ESI 3")
        return finish(3, "D", resources)
    listed = "; ".join(f"{b.parameter} {show(b.value)} {b.threshold}" for b in breaches)
    corroboration = _corroboration(intake, news2, len(breaches))
    if corroboration:
        rationale.append(
            f"[ESI.D] danger-zone vitals for age band {band.label}: {listed}; the handbook says consider ESI 2, "
            f"and the danger zone is corroborated ({corroboration}) → ESI 2"
        )
        return finish(2, "D", resources, escalated=True)
    rationale.append(
        f"[ESI.D] danger-zone vitals for age band {band.label}: {listed}; the handbook says consider ESI 2 — "
        "not corroborated (SpO2 ≥ 92 % or unmeasured, no adult NEWS2 ≥ 5, no second danger-zone vital in a child) "
        "→ ESI 3 before the policy on 'consider ESI 2'"
    )
    return finish(3, "D", resources)


def _corroboration(intake: Intake, news2: News2Result, breach_count: int) -> str | None:
    spo2 = finite(intake.vitals.spo2)
    if spo2 is not None and spo2 < 92:
        return "SpO2 < 92 %"
    if intake.age < ADULT_AGE and breach_count >= 2:
        # Children have no validated early-warning score here; two abnormal vitals corroborate each other.
        return "two or more danger-zone vitals in a child"
    if intake.age >= ADULT_AGE and news2.score is not None and news2.score >= NEWS2_URGENT:
        return f"NEWS2 {news2.score} ≥ {NEWS2_URGENT}"
    return None
