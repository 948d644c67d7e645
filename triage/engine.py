"""`assess(intake) -> Assessment`: the one entry point. Pure: no I/O, clock, randomness or logging.

Order of work: NEWS2 and qSOFA from the vitals, red flags from the text, then the ESI decision points,
the disposition, the agent's urgency, and the reasons a clinician must review the outcome.
The rationale is ordered the same way; every entry starts with the rule it comes from, e.g. "[NEWS2.spo2]".
"""

from __future__ import annotations

from triage import news2 as news2_rules
from triage import qsofa as qsofa_rules
from triage.disposition import disposition_for
from triage.esi import decide
from triage.findings import FlagReport, detect_red_flags
from triage.models import (
    Assessment,
    DangerZoneResult,
    EngineInfo,
    EscalationPolicy,
    EsiTrail,
    Intake,
    News2Result,
    QsofaResult,
    SeriousFinding,
)
from triage.text_vitals import describe as describe_text_vitals
from triage.text_vitals import vitals_from_text
from triage.urgency import REVIEW_DISTANCE, urgency_distance
from triage.version import ENGINE_NAME, ENGINE_VERSION

ENGINE = EngineInfo(ENGINE_NAME, ENGINE_VERSION)
LEVEL_WORDS = {1: "immediate life threat → ESI 1", 2: "high risk → ESI 2", 3: "counts towards resources"}


# How a context reads in the rationale ("… is a relative's" rather than "… is family").
CONTEXT_WORDS = {"family": "a relative's"}


def assess(intake: Intake, *, policy: EscalationPolicy = "escalate") -> Assessment:
    """Triage one intake. Deterministic: the same intake and policy always give the same outcome.

    `policy` is the tenant's escalation policy for "consider ESI 2" criteria (escalation.py).
    """
    intake, read_from_text = vitals_from_text(intake)
    news2 = news2_rules.score_news2(intake)
    qsofa = qsofa_rules.score_qsofa(intake)
    report = detect_red_flags(intake)
    decision = decide(intake, news2, qsofa, report.flags, policy)
    disposition, disposition_reason = disposition_for(decision.acuity, intake, news2, decision.trail, report.flags)

    rationale: list[str] = describe_text_vitals(read_from_text)
    rationale += news2_rules.describe(news2)
    rationale += qsofa_rules.describe(qsofa, intake)
    rationale += _describe_flags(report)
    rationale += decision.rationale
    rationale.append(f"[DISPOSITION] {disposition_reason}")
    distance = urgency_distance(intake.urgency, decision.acuity)
    rationale.append(
        f"[URGENCY] the agent reported '{intake.urgency}'; computed ESI {decision.acuity} "
        f"({'agrees' if distance == 0 else f'{distance} level(s) apart'}); the agent's urgency never changes "
        "the computed acuity"
    )
    reasons = _review_reasons(intake, news2, decision.trail, decision.acuity, distance)
    rationale += [f"[REVIEW] {reason}" for reason in reasons]

    return Assessment(
        acuity=decision.acuity,
        disposition=disposition,
        rationale=tuple(rationale),
        engine=ENGINE,
        news2=news2,
        qsofa=qsofa,
        danger_zone=decision.danger_zone,
        red_flags=report.flags,
        serious=_serious(report, news2, qsofa, decision.danger_zone, decision.acuity),
        review_required=bool(reasons),
        review_reasons=tuple(reasons),
        esi=decision.trail,
        escalation_policy=policy,
    )


def _describe_flags(report: FlagReport) -> list[str]:
    lines: list[str] = []
    for flag in report.flags:
        evidence = "; ".join(f"'{e.text}' in {e.source}[{e.start}:{e.end}]" for e in flag.evidence)
        detail = f" ({flag.detail})" if flag.detail else ""
        lines.append(f"[RED_FLAG.{flag.id}] {flag.name}{detail}: {evidence} — {LEVEL_WORDS.get(flag.level, '')}")
    for flag_id, mention in report.discounted:
        e = mention.evidence
        lines.append(
            f"[RED_FLAG.{flag_id}] not counted: '{e.text}' in {e.source}[{e.start}:{e.end}] is "
            f"{CONTEXT_WORDS.get(str(mention.context), str(mention.context))}"
        )
    hidden = report.discounted_total - len(report.discounted)
    if hidden > 0:
        lines.append(
            f"[RED_FLAG] {hidden} more mention(s) not counted "
            "(negated, historical, hypothetical, chronic or a relative's)"
        )
    return lines


def _serious(
    report: FlagReport,
    news2: News2Result,
    qsofa: QsofaResult | None,
    danger_zone: DangerZoneResult,
    acuity: int,
) -> tuple[SeriousFinding, ...]:
    serious = [SeriousFinding(flag.id, flag.name, flag.is_emergency) for flag in report.flags]
    if news2.score is not None and news2.score >= 7:
        serious.append(SeriousFinding("news2_high", f"NEWS2 {news2.score}: high clinical risk", True))
    elif news2.score is not None and news2.score >= 5:
        serious.append(SeriousFinding("news2_medium", f"NEWS2 {news2.score}: medium clinical risk", False))
    if qsofa is not None and qsofa.positive:
        serious.append(SeriousFinding("qsofa_positive", f"qSOFA {qsofa.score}: consider sepsis", True))
    if danger_zone.in_danger_zone:
        named = ", ".join(breach.parameter for breach in danger_zone.breaches)
        serious.append(SeriousFinding("danger_zone_vitals", f"danger-zone vital signs ({named})", acuity <= 2))
    return tuple(serious)


def _review_reasons(intake: Intake, news2: News2Result, trail: EsiTrail, acuity: int, distance: int) -> list[str]:
    reasons: list[str] = []
    if not news2.complete:
        reasons.append(f"incomplete_data: NEWS2 parameters missing: {', '.join(news2.missing)}")
    if distance >= REVIEW_DISTANCE:
        reasons.append(
            f"urgency_mismatch: the agent reported '{intake.urgency}', {distance} ESI levels from the computed "
            f"ESI {acuity}"
        )
    if intake.age < 16:
        reasons.append("paediatric_limits: NEWS2 and qSOFA are not validated under 16; age-specific rules only")
    if intake.pregnant:
        reasons.append("pregnancy_limits: NEWS2 is not validated in pregnancy")
    if trail.consider_esi_2 and trail.escalated_from is None:
        reasons.append(f"consider_esi_2: {'; '.join(trail.consider_esi_2)} (computed ESI {acuity})")
    return reasons
