"""Row → response model. Shared by the v1 and compatibility routes."""

from __future__ import annotations

from urllib.parse import quote

from api.intakes.schemas import DecisionOut, EngineOut, IntakeOut, Links, OutcomeOut, ReviewOut
from store.intakes import IntakeRow, IntakeView


def links(intake: IntakeRow) -> Links:
    return Links(
        self=f"/v1/intakes/{intake.id}",
        patient_intakes=f"/v1/patients/{quote(intake.patient_id, safe='')}/intakes",
    )


def intake_out(view: IntakeView) -> IntakeOut:
    intake, outcome = view.intake, view.outcome
    return IntakeOut(
        intake_id=intake.id,
        patient_id=intake.patient_id,
        status=intake.status,
        failure_reason=intake.failure_reason,
        attempts=intake.attempts,
        job_id=intake.job_id,
        created_at=intake.created_at,
        updated_at=intake.updated_at,
        intake=intake.payload,
        outcome=None
        if outcome is None
        else OutcomeOut.model_validate(
            {
                "acuity": outcome.acuity,
                "disposition": outcome.disposition,
                "engine": EngineOut(name=outcome.engine_name, version=outcome.engine_version),
                "triaged_at": outcome.created_at,
                "assessment": outcome.assessment,  # the stored JSON, read into the engine's result types
                "model_opinion": outcome.assessment.get("model_opinion"),
            }
        ),
        decision=None if outcome is None else _decision(view),
        reviews=[
            ReviewOut(
                review_id=r.id,
                decision=r.decision,
                acuity=r.acuity,
                disposition=r.disposition,
                reason=r.reason,
                reviewer=r.reviewer,
                reviewed_at=r.created_at,
            )
            for r in view.reviews
        ],
        links=links(intake),
    )


def _decision(view: IntakeView) -> DecisionOut:
    if view.reviews:
        latest = view.reviews[-1]
        return DecisionOut(acuity=latest.acuity, disposition=latest.disposition, source="review")
    assert view.outcome is not None
    return DecisionOut(acuity=view.outcome.acuity, disposition=view.outcome.disposition, source="engine")
