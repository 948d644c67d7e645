"""The engine's coded vocabulary on the intake: enums in OpenAPI, validated, stored, triaged by a worker."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from api.intakes.schemas import Complaint, Finding
from tests.conftest import KeyFactory
from tests.helpers import ProcessGroup, bearer, child_env
from tests.integration.test_end_to_end import wait_for_status
from tests.integration.test_intake_validation import count_rows
from triage.vocabulary import COMPLAINT_CODES, FINDING_CODES, VOCABULARY_VERSION

BASE: dict[str, Any] = {"patient_id": "P-coded", "age": 35, "urgency": "low"}
PATHS = ["/v1/intakes", "/intake/store", "/intake"]


def test_the_api_enums_are_the_engine_vocabulary() -> None:
    assert [member.value for member in Finding] == list(FINDING_CODES)
    assert [member.value for member in Complaint] == list(COMPLAINT_CODES)


async def test_openapi_lists_every_code_with_the_vocabulary_version(app_client: httpx.AsyncClient) -> None:
    schemas = (await app_client.get("/openapi.json")).json()["components"]["schemas"]
    for name, codes in (("Finding", FINDING_CODES), ("Complaint", COMPLAINT_CODES)):
        assert schemas[name]["type"] == "string"
        assert schemas[name]["enum"] == list(codes)
        assert VOCABULARY_VERSION in schemas[name]["description"]
        assert "docs/vocabulary.md" in schemas[name]["description"]
    intake = schemas["IntakeIn"]
    findings, complaints = intake["properties"]["findings"], intake["properties"]["complaints"]
    assert findings["items"] == {"$ref": "#/components/schemas/Finding"}
    assert complaints["items"] == {"$ref": "#/components/schemas/Complaint"}
    assert (findings["maxItems"], complaints["maxItems"]) == (32, 8)
    assert findings["uniqueItems"] is complaints["uniqueItems"] is True
    assert VOCABULARY_VERSION in findings["description"]
    assert "findings" not in intake.get("required", [])
    assert "complaints" not in intake.get("required", [])
    # The something-clinical rule: a coded finding or complaint satisfies it, like a symptom or a vital.
    alternatives = [branch["required"] for branch in intake["anyOf"]]
    assert alternatives == [["symptoms"], ["findings"], ["complaints"], ["vitals"]]
    assert "coded finding or coded complaint" in intake["description"]


INVALID = [
    pytest.param({"findings": ["not_a_code"]}, "findings.0", "enum", id="unknown-finding"),
    pytest.param({"findings": ["seizure", "Seizure"]}, "findings.1", "enum", id="finding-wrong-case"),
    pytest.param({"findings": [7]}, "findings.0", "enum", id="finding-not-a-string"),
    pytest.param({"findings": "seizure"}, "findings", "list_type", id="findings-not-a-list"),
    pytest.param({"complaints": ["limb_injury", "sore_toe"]}, "complaints.1", "enum", id="unknown-complaint"),
    pytest.param({"findings": list(FINDING_CODES[:33])}, "findings", "too_long", id="33-findings"),
    pytest.param({"complaints": list(COMPLAINT_CODES[:9])}, "complaints", "too_long", id="9-complaints"),
    pytest.param({"findings": ["seizure", "sepsis_signs", "seizure"]}, "findings", "duplicate_items", id="dup-finding"),
    pytest.param({"complaints": ["fever", "fever"]}, "complaints", "duplicate_items", id="dup-complaint"),
    pytest.param({"findings": [], "complaints": []}, "symptoms", "symptoms_or_vitals_required", id="both-empty"),
    pytest.param({"notes": "seizure"}, "symptoms", "symptoms_or_vitals_required", id="notes-alone"),
]


@pytest.mark.parametrize(("extra", "field", "error_type"), INVALID)
@pytest.mark.parametrize("path", PATHS)
async def test_bad_codes_are_rejected_naming_the_field(
    app_client: httpx.AsyncClient,
    make_key: KeyFactory,
    database_url: str,
    extra: dict[str, Any],
    field: str,
    error_type: str,
    path: str,
) -> None:
    response = await app_client.post(path, json={**BASE, **extra}, headers=bearer(await make_key()))
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    errors = response.json()["errors"]
    assert {"field": field, "type": error_type} in [{"field": e["field"], "type": e["type"]} for e in errors]
    assert all("not_a_code" not in e["message"] and "sore_toe" not in e["message"] for e in errors)
    assert await count_rows(database_url) == (0, 0, 0)


async def test_the_limits_themselves_are_accepted(app_client: httpx.AsyncClient, make_key: KeyFactory) -> None:
    body = {**BASE, "findings": list(FINDING_CODES[:32]), "complaints": list(COMPLAINT_CODES[:8])}
    response = await app_client.post("/v1/intakes", json=body, headers=bearer(await make_key()))
    assert response.status_code == 202, response.text


@pytest.mark.parametrize(
    "extra",
    [
        pytest.param({"findings": ["severe_respiratory_distress"]}, id="finding-only"),
        pytest.param({"complaints": ["limb_injury"]}, id="complaint-only"),
    ],
)
async def test_a_coded_intake_needs_no_symptom_and_is_stored_as_sent(
    app_client: httpx.AsyncClient, make_key: KeyFactory, extra: dict[str, Any]
) -> None:
    headers = bearer(await make_key())
    for path in ("/v1/intakes", "/intake/store"):
        response = await app_client.post(path, json={**BASE, **extra}, headers=headers)
        assert response.status_code in {200, 202}, response.text
    items = (await app_client.get("/v1/patients/P-coded/intakes", headers=headers)).json()["items"]
    assert len(items) == 2
    for item in items:
        assert item["intake"] == {**BASE, "sex": "unknown", "symptoms": [], **extra}


async def test_an_intake_without_codes_is_stored_without_the_coded_lists(
    app_client: httpx.AsyncClient, make_key: KeyFactory
) -> None:
    headers = bearer(await make_key())
    accepted = await app_client.post("/v1/intakes", json={**BASE, "symptoms": ["cough"]}, headers=headers)
    stored = (await app_client.get(f"/v1/intakes/{accepted.json()['intake_id']}", headers=headers)).json()["intake"]
    assert "findings" not in stored
    assert "complaints" not in stored


async def test_coded_intakes_are_triaged_by_a_worker(
    app_client: httpx.AsyncClient, make_key: KeyFactory, database_url: str, processes: ProcessGroup
) -> None:
    headers = bearer(await make_key())
    processes.start(["worker", "--concurrency", "2"], child_env(database_url), "worker")
    life_threat = await app_client.post(
        "/v1/intakes", json={**BASE, "findings": ["severe_respiratory_distress"]}, headers=headers
    )
    limb = await app_client.post("/v1/intakes", json={**BASE, "complaints": ["limb_injury"]}, headers=headers)
    assert life_threat.status_code == limb.status_code == 202, (life_threat.text, limb.text)

    first = await wait_for_status(app_client, life_threat.json()["intake_id"], headers, {"triaged", "failed"})
    assert first["status"] == "triaged", processes.logs()
    outcome = first["outcome"]
    assert outcome["acuity"] == 1
    flags = {flag["id"]: flag for flag in outcome["assessment"]["red_flags"]}
    assert [e["source"] for e in flags["severe_respiratory_distress"]["evidence"]] == ["findings[0]"]
    assert any(
        "severe_respiratory_distress" in line and "findings[0]" in line for line in outcome["assessment"]["rationale"]
    ), outcome["assessment"]["rationale"]

    second = await wait_for_status(app_client, limb.json()["intake_id"], headers, {"triaged", "failed"})
    assert second["status"] == "triaged", processes.logs()
    assert second["outcome"]["acuity"] == 4
    assert second["outcome"]["assessment"]["esi"]["decision_point"] == "C"
    assert any("limb injury" in line for line in second["outcome"]["assessment"]["rationale"])
