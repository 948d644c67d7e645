"""qSOFA — Sepsis-3 (Seymour et al., JAMA 2016;315(8):762–774).

One point each: respiratory rate ≥ 22/min, systolic BP ≤ 100 mmHg, altered mentation; positive at ≥ 2.
Altered mentation is GCS < 15 in the source; the intake carries ACVPU, so anything other than "alert"
(new confusion, voice, pain, unresponsive) counts — each of those implies GCS < 15.
Sepsis-3 is an adult score: it is reported from age 18.
"""

from __future__ import annotations

from triage.models import Intake, QsofaResult
from triage.numbers import finite, show

ADULT_AGE = 18


def score_qsofa(intake: Intake) -> QsofaResult | None:
    """qSOFA when the vitals allow: all three criteria known, or two already met."""
    if intake.age < ADULT_AGE:
        return None
    vitals = intake.vitals
    met: list[str] = []
    missing: list[str] = []
    respiratory_rate = finite(vitals.respiratory_rate)
    systolic_bp = finite(vitals.systolic_bp)
    if respiratory_rate is None:
        missing.append("respiratory_rate")
    elif respiratory_rate >= 22:
        met.append(f"respiratory rate {show(respiratory_rate)} ≥ 22/min")
    if systolic_bp is None:
        missing.append("systolic_bp")
    elif systolic_bp <= 100:
        met.append(f"systolic BP {show(systolic_bp)} ≤ 100 mmHg")
    if vitals.consciousness is None:
        missing.append("consciousness")
    elif vitals.consciousness != "alert":
        met.append(f"altered mentation ({vitals.consciousness})")
    if missing and len(met) < 2:
        return None
    return QsofaResult(
        score=len(met),
        positive=len(met) >= 2,
        complete=not missing,
        criteria=tuple(met),
        missing=tuple(missing),
    )


def describe(result: QsofaResult | None, intake: Intake) -> list[str]:
    if result is None:
        if intake.age < ADULT_AGE:
            return ["[qSOFA] not reported: Sepsis-3 qSOFA is an adult score (age ≥ 18)"]
        return ["[qSOFA] not reported: respiratory rate, systolic BP and mentation are needed"]
    met = "; ".join(result.criteria) if result.criteria else "no criterion met"
    verdict = "positive (≥ 2): prompt to consider sepsis" if result.positive else "negative (< 2)"
    return [f"[qSOFA] Sepsis-3 qSOFA {result.score}/3 — {met} — {verdict}"]
