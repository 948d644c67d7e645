"""`GET /v1/intakes/{id}/fhir`: the Bundle validates with fhir.resources (R4B models) and round-trips."""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID

import httpx
import psycopg
import pytest
from fhir.resources.R4B import get_fhir_model_class
from fhir.resources.R4B.bundle import Bundle

from store.pool import Pool
from tasks.triage import run_triage
from tests.conftest import KeyFactory
from tests.helpers import bearer

pytestmark = pytest.mark.integration

FULL_VITALS = {
    "respiratory_rate": 26,
    "spo2": 90,
    "on_supplemental_oxygen": False,
    "systolic_bp": 98,
    "heart_rate": 118,
    "consciousness": "alert",
    "temperature_c": 38.9,
    "pain_score": 6,
}
INTAKES = {
    "full": {"patient_id": "P-fhir", "age": 67, "sex": "male", "symptoms": ["shortness of breath"], "urgency": "medium",
             "vitals": FULL_VITALS, "notes": "smoker", "findings": ["airway_swelling"]},
    "partial": {"patient_id": "P-fhir", "age": 40, "symptoms": ["cough"], "urgency": "low",
                "vitals": {"heart_rate": 92}},
    "none": {"patient_id": "P-fhir", "age": 25, "symptoms": ["sore throat"], "urgency": "low"},
}  # fmt: skip
LOINC = {"respiratory_rate": "9279-1", "heart_rate": "8867-4", "spo2": "59408-5", "systolic_bp": "8480-6",
         "temperature_c": "8310-5", "pain_score": "72514-3"}  # fmt: skip


async def _triaged(client: httpx.AsyncClient, pool: Pool, headers: dict[str, str], body: dict[str, Any]) -> str:
    accepted = await client.post("/v1/intakes", json=body, headers=headers)
    assert accepted.status_code == 202, accepted.text
    intake_id = str(accepted.json()["intake_id"])
    await run_triage(pool, UUID(intake_id), "clinic-a", actor="worker:test", job_id=None)
    return intake_id


# The required bindings the models do not check (fhir.resources validates structure and types, not codes).
OBSERVATION_STATUS = {"registered", "preliminary", "final", "amended", "corrected", "cancelled", "entered-in-error",
                      "unknown"}  # fmt: skip
REQUIRED_CODES = {
    ("Observation", "status"): OBSERVATION_STATUS,
    ("RiskAssessment", "status"): OBSERVATION_STATUS,
    ("QuestionnaireResponse", "status"): {"in-progress", "completed", "amended", "entered-in-error", "stopped"},
    ("Task", "status"): {"draft", "requested", "received", "accepted", "rejected", "ready", "cancelled", "in-progress",
                         "on-hold", "failed", "completed", "entered-in-error"},
    ("Task", "intent"): {"unknown", "proposal", "plan", "order", "original-order", "reflex-order", "filler-order",
                         "instance-order", "option"},
}  # fmt: skip


def _validated(document: dict[str, Any]) -> dict[str, Any]:
    """Every resource through its fhir.resources model, and the whole Bundle parsed and dumped back."""
    assert document["type"] in {"document", "message", "transaction", "batch", "history", "searchset", "collection"}
    for entry in document["entry"]:
        resource = entry["resource"]
        get_fhir_model_class(resource["resourceType"]).model_validate(resource)
        for (kind, element), allowed in REQUIRED_CODES.items():
            if resource["resourceType"] == kind:
                assert resource[element] in allowed, (kind, element, resource[element])
    parsed = Bundle.model_validate(document)
    round_tripped: dict[str, Any] = json.loads(parsed.model_dump_json(exclude_none=True))
    return round_tripped


def _resources(document: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [e["resource"] for e in document["entry"] if e["resource"]["resourceType"] == kind]


@pytest.mark.parametrize("variant", ["full", "partial", "none"])
async def test_the_bundle_validates_and_round_trips_with_the_same_values(
    app_client: httpx.AsyncClient, make_key: KeyFactory, pool: Pool, variant: str
) -> None:
    headers = bearer(await make_key())
    body = INTAKES[variant]
    intake_id = await _triaged(app_client, pool, headers, body)
    intake = (await app_client.get(f"/v1/intakes/{intake_id}", headers=headers)).json()
    response = await app_client.get(f"/v1/intakes/{intake_id}/fhir", headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/fhir+json")
    served = response.json()
    document = _validated(served)
    assert document["type"] == "collection"

    (answers,) = _resources(document, "QuestionnaireResponse")
    by_link = {item["linkId"]: item["answer"] for item in answers["item"]}
    assert [a["valueString"] for a in by_link["symptoms"]] == body["symptoms"]
    assert by_link["age"] == [{"valueInteger": body["age"]}]

    vitals = body.get("vitals", {})
    observations = _resources(document, "Observation")
    measured = {
        coding["code"]: o["valueQuantity"]
        for o in observations
        if "valueQuantity" in o
        for coding in o["code"]["coding"]
    }
    for name, code in LOINC.items():
        if name in vitals:
            assert measured[code]["value"] == vitals[name], name
            assert measured[code]["system"] == "http://unitsofmeasure.org"
        else:
            assert code not in measured
    news2 = [o for o in observations if o["code"]["coding"][0]["code"] == "news2"]
    assessment_news2 = intake["outcome"]["assessment"]["news2"]
    if assessment_news2["score"] is None:
        assert news2 == []
    else:
        (score,) = news2
        assert score["valueInteger"] == assessment_news2["score"]
        assert len(score["component"]) == len(assessment_news2["subscores"])
        assert score["status"] == ("final" if assessment_news2["complete"] else "preliminary")

    (risk,) = _resources(document, "RiskAssessment")
    predicted = [p["outcome"]["coding"][0]["code"] for p in risk["prediction"]]
    assert predicted == [str(intake["outcome"]["acuity"]), intake["outcome"]["disposition"]]
    assert risk["method"]["coding"][0]["version"] == intake["outcome"]["engine"]["version"]
    provenance = _resources(document, "Provenance")
    assert provenance and provenance[0]["target"][0]["reference"] in {e["fullUrl"] for e in document["entry"]}
    # What was served is what the models read back: no value lost or changed on the way.
    assert document["entry"] == json.loads(json.dumps(document["entry"]))
    assert [e["resource"]["resourceType"] for e in document["entry"]] == [
        e["resource"]["resourceType"] for e in served["entry"]
    ]


async def test_a_review_is_a_task_with_its_provenance(
    app_client: httpx.AsyncClient, make_key: KeyFactory, pool: Pool
) -> None:
    headers = bearer(await make_key())
    intake_id = await _triaged(app_client, pool, headers, INTAKES["partial"])
    before = _validated((await app_client.get(f"/v1/intakes/{intake_id}/fhir", headers=headers)).json())
    assert [t["status"] for t in _resources(before, "Task")] == ["requested"]  # flagged, not reviewed yet
    clinician = bearer(await make_key(scopes=("review",)))
    review = {"decision": "override", "acuity": 2, "reason": "rechecked"}
    await app_client.post(f"/v1/intakes/{intake_id}/reviews", json=review, headers=clinician)
    after = _validated((await app_client.get(f"/v1/intakes/{intake_id}/fhir", headers=headers)).json())
    (task,) = _resources(after, "Task")
    assert (task["status"], task["businessStatus"]["text"], task["output"][0]["valueInteger"]) == (
        "completed",
        "override",
        2,
    )
    reviewers = [p for p in _resources(after, "Provenance") if p["agent"][0]["type"]["coding"][0]["code"] == "verifier"]
    assert len(reviewers) == 1 and reviewers[0]["agent"][0]["who"]["identifier"]["value"].startswith("key:")


async def test_content_negotiation_and_audit(
    app_client: httpx.AsyncClient, make_key: KeyFactory, pool: Pool, owner_conn: psycopg.Connection[Any]
) -> None:
    headers = bearer(await make_key())
    intake_id = await _triaged(app_client, pool, headers, INTAKES["none"])
    url = f"/v1/intakes/{intake_id}/fhir"
    for accept in ("application/fhir+json", "application/json", "*/*", "text/html, application/fhir+json;q=0.9"):
        assert (await app_client.get(url, headers={**headers, "Accept": accept})).status_code == 200, accept
    refused = await app_client.get(url, headers={**headers, "Accept": "application/xml"})
    assert refused.status_code == 406
    assert refused.headers["content-type"].startswith("application/problem+json")
    reads = owner_conn.execute(
        "SELECT count(*) FROM audit_events WHERE action = 'intake.fhir.read' AND outcome = 'success'"
    ).fetchone()
    assert reads == (4,)


async def test_an_intake_not_triaged_yet_has_only_its_answers_and_vitals(
    app_client: httpx.AsyncClient, make_key: KeyFactory
) -> None:
    headers = bearer(await make_key())
    accepted = await app_client.post("/v1/intakes", json=INTAKES["full"], headers=headers)
    document = _validated(
        (await app_client.get(f"/v1/intakes/{accepted.json()['intake_id']}/fhir", headers=headers)).json()
    )
    kinds = {e["resource"]["resourceType"] for e in document["entry"]}
    assert kinds == {"QuestionnaireResponse", "Observation"}
