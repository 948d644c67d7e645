"""An intake as a FHIR R4 Bundle (collection), built as plain JSON; the table is in docs/clinical-workflow.md.

Resources: QuestionnaireResponse (the intake as submitted), one vital-sign Observation per measured vital
(LOINC, UCUM), a NEWS2 Observation with its sub-scores as components, a RiskAssessment (method = the rule
set and version; predictions = ESI level and disposition), a Task per clinician review (or one requested
review), and Provenance for the outcome (engine, worker job) and each review (reviewer). Codes without a
standard code in the published references use this service's own systems (`urn:triage:…`), named as such.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from store.intakes import IntakeView

FHIR_VERSION = "4.0.1"
LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
PROVENANCE_AGENT = "http://terminology.hl7.org/CodeSystem/provenance-participant-type"
LOCAL = "urn:triage:code"  # this service's own codes (NEWS2 and its parts, consciousness, review)
ESI = "urn:triage:esi"  # ESI v4 levels 1-5
DISPOSITION = "urn:triage:disposition"  # the five dispositions (docs/api.md)
VOCABULARY = "urn:triage:vocabulary"  # triage-vocabulary/1 findings and complaints (docs/vocabulary.md)

# vital → (code system, code, display, UCUM unit); LOINC codes from the reference (clinical-rules.md §7).
VITALS: dict[str, list[tuple[str, str, str, str]]] = {
    "respiratory_rate": [(LOINC, "9279-1", "Respiratory rate", "/min")],
    "heart_rate": [(LOINC, "8867-4", "Heart rate", "/min")],
    # Pulse oximetry, sent under both codes as the reference asks.
    "spo2": [
        (LOINC, "2708-6", "Oxygen saturation in Arterial blood", "%"),
        (LOINC, "59408-5", "Oxygen saturation in Arterial blood by Pulse oximetry", "%"),
    ],
    "systolic_bp": [(LOINC, "8480-6", "Systolic blood pressure", "mm[Hg]")],
    "temperature_c": [(LOINC, "8310-5", "Body temperature", "Cel")],
    "pain_score": [(LOINC, "72514-3", "Pain severity - 0-10 verbal numeric rating [Score] - Reported", "{score}")],
}


def _urn() -> str:
    return f"urn:uuid:{uuid.uuid4()}"


def _instant(value: datetime) -> str:
    return value.isoformat()


def bundle(view: IntakeView) -> dict[str, Any]:
    intake, outcome = view.intake, view.outcome
    subject = {"identifier": {"system": f"urn:triage:tenant:{intake.tenant_id}:patient", "value": intake.patient_id}}
    when = _instant(intake.created_at)
    entries: list[tuple[str, dict[str, Any]]] = []

    questionnaire_url = _urn()
    entries.append((questionnaire_url, _questionnaire_response(intake.payload, subject, when, intake.id)))
    observation_urls: list[str] = []
    for name, value in sorted((intake.payload.get("vitals") or {}).items()):
        resource = _vital(name, value, subject, when)
        if resource is not None:
            observation_urls.append(_urn())
            entries.append((observation_urls[-1], resource))
    if outcome is not None:
        triaged = _instant(outcome.created_at)
        news2 = outcome.assessment.get("news2") or {}
        if news2.get("score") is not None:
            observation_urls.append(_urn())
            entries.append((observation_urls[-1], _news2(news2, subject, triaged)))
        risk_url = _urn()
        entries.append((risk_url, _risk_assessment(view, subject, triaged, questionnaire_url, observation_urls)))
        entries.append((_urn(), _provenance([risk_url], triaged, _engine_agents(view))))
        for review in view.reviews:
            task_url = _urn()
            entries.append((task_url, _review_task(review, subject, risk_url)))
            reviewer = {"type": _agent_type("verifier"), "who": {"identifier": {"value": review.reviewer}}}
            entries.append((_urn(), _provenance([task_url], _instant(review.created_at), [reviewer])))
        if not view.reviews and outcome.assessment.get("review_required"):
            entries.append((_urn(), _requested_review(outcome.assessment, subject, risk_url, triaged)))
    return {
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": _instant(intake.updated_at),
        "identifier": {"system": "urn:triage:intake", "value": str(intake.id)},
        "entry": [{"fullUrl": url, "resource": resource} for url, resource in entries],
    }


def _answer_item(link_id: str, text: str, answers: list[dict[str, Any]]) -> dict[str, Any]:
    return {"linkId": link_id, "text": text, "answer": answers}


def _questionnaire_response(
    payload: dict[str, Any], subject: dict[str, Any], when: str, intake_id: uuid.UUID
) -> dict[str, Any]:
    items = [_answer_item("age", "Age (years)", [{"valueInteger": payload["age"]}])]
    if payload.get("age_months") is not None:
        items.append(_answer_item("age_months", "Months beyond age", [{"valueInteger": payload["age_months"]}]))
    for name, text in (("sex", "Sex"), ("urgency", "Urgency as reported")):
        if payload.get(name) is not None:
            items.append(_answer_item(name, text, [{"valueString": payload[name]}]))
    if payload.get("symptoms"):
        items.append(_answer_item("symptoms", "Symptoms", [{"valueString": s} for s in payload["symptoms"]]))
    if payload.get("notes"):
        items.append(_answer_item("notes", "Notes", [{"valueString": payload["notes"]}]))
    if payload.get("pregnant") is not None:
        items.append(_answer_item("pregnant", "Pregnant", [{"valueBoolean": payload["pregnant"]}]))
    for name, text in (("findings", "Coded findings"), ("complaints", "Coded presenting complaints")):
        if payload.get(name):
            codings = [{"valueCoding": {"system": f"{VOCABULARY}:{name}", "code": c}} for c in payload[name]]
            items.append(_answer_item(name, text, codings))
    vitals = payload.get("vitals") or {}
    if vitals.get("on_supplemental_oxygen") is not None:
        answer = [{"valueBoolean": vitals["on_supplemental_oxygen"]}]
        items.append(_answer_item("on_supplemental_oxygen", "On supplemental oxygen", answer))
    return {
        "resourceType": "QuestionnaireResponse",
        "identifier": {"system": "urn:triage:intake", "value": str(intake_id)},
        "status": "completed",
        "subject": subject,
        "authored": when,
        "item": items,
    }


def _vital_signs_category() -> list[dict[str, Any]]:
    return [{"coding": [{"system": OBSERVATION_CATEGORY, "code": "vital-signs", "display": "Vital Signs"}]}]


def _vital(name: str, value: Any, subject: dict[str, Any], when: str) -> dict[str, Any] | None:
    base: dict[str, Any] = {"resourceType": "Observation", "status": "final", "category": _vital_signs_category()}
    base |= {"subject": subject, "effectiveDateTime": when}
    if name == "consciousness":
        code = {"coding": [{"system": LOCAL, "code": "acvpu", "display": "Level of consciousness (ACVPU)"}]}
        return base | {"code": code, "valueCodeableConcept": {"coding": [{"system": LOCAL, "code": value}]}}
    codes = VITALS.get(name)
    if codes is None:
        return None  # on_supplemental_oxygen is an answer of the QuestionnaireResponse
    unit = codes[0][3]
    return base | {
        "code": {
            "coding": [{"system": system, "code": code, "display": display} for system, code, display, _ in codes]
        },
        "valueQuantity": {"value": value, "unit": unit, "system": UCUM, "code": unit},
    }


def _news2(news2: dict[str, Any], subject: dict[str, Any], when: str) -> dict[str, Any]:
    components = [
        {
            "code": {"coding": [{"system": LOCAL, "code": f"news2-{part['parameter']}"}], "text": part["parameter"]},
            "valueInteger": part["score"],
        }
        for part in news2.get("subscores", [])
    ]
    resource: dict[str, Any] = {
        "resourceType": "Observation",
        "status": "final" if news2.get("complete") else "preliminary",  # partial vitals: a lower bound
        "category": [{"coding": [{"system": OBSERVATION_CATEGORY, "code": "survey", "display": "Survey"}]}],
        "code": {"coding": [{"system": LOCAL, "code": "news2", "display": "NEWS2 total score"}], "text": "NEWS2"},
        "subject": subject,
        "effectiveDateTime": when,
        "valueInteger": news2["score"],
        "component": components,
    }
    if news2.get("band"):
        resource["interpretation"] = [{"coding": [{"system": LOCAL, "code": f"news2-{news2['band']}"}]}]
    return resource


def _risk_assessment(
    view: IntakeView, subject: dict[str, Any], when: str, questionnaire_url: str, observation_urls: list[str]
) -> dict[str, Any]:
    outcome = view.outcome
    assert outcome is not None
    return {
        "resourceType": "RiskAssessment",
        "status": "final",
        "subject": subject,
        "occurrenceDateTime": when,
        "method": {
            "coding": [{"system": "urn:triage:engine", "code": outcome.engine_name, "version": outcome.engine_version}],
            "text": f"{outcome.engine_name} {outcome.engine_version}: ESI v4, NEWS2, qSOFA, red flags",
        },
        "basis": [{"reference": url} for url in (questionnaire_url, *observation_urls)],
        "prediction": [
            {"outcome": {"coding": [{"system": ESI, "code": str(outcome.acuity), "display": f"ESI {outcome.acuity}"}]}},
            {"outcome": {"coding": [{"system": DISPOSITION, "code": outcome.disposition}]}},
        ],
        "note": [{"text": line} for line in outcome.assessment.get("rationale", [])],
    }


def _agent_type(code: str) -> dict[str, Any]:
    return {"coding": [{"system": PROVENANCE_AGENT, "code": code}]}


def _engine_agents(view: IntakeView) -> list[dict[str, Any]]:
    outcome = view.outcome
    assert outcome is not None
    agents = [{"type": _agent_type("performer"), "who": {"display": f"{outcome.engine_name} {outcome.engine_version}"}}]
    if view.intake.job_id is not None:
        job = {"system": "urn:triage:job", "value": str(view.intake.job_id)}
        agents.append({"type": _agent_type("assembler"), "who": {"identifier": job}})
    return agents


def _provenance(targets: list[str], recorded: str, agents: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "resourceType": "Provenance",
        "target": [{"reference": url} for url in targets],
        "recorded": recorded,
        "agent": agents,
    }


def _review_task(review: Any, subject: dict[str, Any], risk_url: str) -> dict[str, Any]:
    return {
        "resourceType": "Task",
        "status": "completed",
        "intent": "order",
        "businessStatus": {"coding": [{"system": LOCAL, "code": f"review-{review.decision}"}], "text": review.decision},
        "code": {"coding": [{"system": LOCAL, "code": "outcome-review"}], "text": "Clinician review of triage outcome"},
        "focus": {"reference": risk_url},
        "for": subject,
        "authoredOn": _instant(review.created_at),
        "owner": {"identifier": {"value": review.reviewer}},
        "note": [{"text": review.reason}],
        "output": [
            {"type": {"coding": [{"system": ESI, "code": "level"}]}, "valueInteger": review.acuity},
            {"type": {"coding": [{"system": DISPOSITION, "code": "disposition"}]}, "valueString": review.disposition},
        ],
    }


def _requested_review(assessment: dict[str, Any], subject: dict[str, Any], risk_url: str, when: str) -> dict[str, Any]:
    return {
        "resourceType": "Task",
        "status": "requested",
        "intent": "order",
        "code": {"coding": [{"system": LOCAL, "code": "outcome-review"}], "text": "Clinician review of triage outcome"},
        "focus": {"reference": risk_url},
        "for": subject,
        "authoredOn": when,
        "reasonCode": {"text": "; ".join(assessment.get("review_reasons", []))[:1000] or "review required"},
    }
