"""`assess(intake) -> Assessment`: the one entry point. Pure: no I/O, clock, randomness or logging."""

from __future__ import annotations

from triage.models import Assessment, Disposition, EngineInfo, Intake
from triage.news2 import describe, score_news2
from triage.version import ENGINE_NAME, ENGINE_VERSION

DISPOSITION_BY_ACUITY: dict[int, Disposition] = {
    1: "emergency_ambulance",
    2: "emergency",
    3: "consultation_24",
    4: "consultation",
    5: "self_care",
}


def assess(intake: Intake) -> Assessment:
    news2 = score_news2(intake)
    rationale = describe(news2)
    acuity = 3
    if news2.score is not None and news2.score >= 7:
        acuity = 2
    return Assessment(
        acuity=acuity,
        disposition=DISPOSITION_BY_ACUITY[acuity],
        rationale=tuple(rationale),
        engine=EngineInfo(ENGINE_NAME, ENGINE_VERSION),
        news2=news2,
        review_required=not news2.complete,
        review_reasons=() if news2.complete else ("incomplete_vitals",),
    )
