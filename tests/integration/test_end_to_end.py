"""HTTP POST → a real worker process → outcome over HTTP."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import httpx

from tests.conftest import KeyFactory
from tests.helpers import ProcessGroup, bearer, child_env

SAMPLE = {
    "patient_id": "P12345",
    "age": 67,
    "sex": "male",
    "symptoms": ["shortness of breath", "patient's cough"],
    "urgency": "medium",
    "vitals": {
        "respiratory_rate": 26,
        "spo2": 90,
        "on_supplemental_oxygen": False,
        "systolic_bp": 98,
        "heart_rate": 118,
        "consciousness": "alert",
        "temperature_c": 38.9,
    },
}


async def wait_for_status(
    client: httpx.AsyncClient, intake_id: str, headers: dict[str, str], wanted: set[str], timeout: float = 30.0
) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        response = await client.get(f"/v1/intakes/{intake_id}", headers=headers)
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        if body["status"] in wanted or time.monotonic() > deadline:
            return body
        await asyncio.sleep(0.1)


async def test_intake_is_triaged_by_a_worker_process(
    app_client: httpx.AsyncClient, make_key: KeyFactory, database_url: str, processes: ProcessGroup
) -> None:
    headers = bearer(await make_key())
    processes.start(["worker", "--concurrency", "2"], child_env(database_url), "worker")

    accepted = await app_client.post("/v1/intakes", json=SAMPLE, headers=headers)
    assert accepted.status_code == 202, accepted.text
    body = accepted.json()
    assert body["status"] == "queued"
    assert isinstance(body["job_id"], int)
    assert body["links"]["self"] == f"/v1/intakes/{body['intake_id']}"

    triaged = await wait_for_status(app_client, body["intake_id"], headers, {"triaged", "failed"})
    assert triaged["status"] == "triaged", processes.logs()
    outcome = triaged["outcome"]
    # RR 26 → 3, SpO2 90 → 3, air → 0, SBP 98 → 2, HR 118 → 2, alert → 0, 38.9 → 1: NEWS2 11 (high).
    assert outcome["assessment"]["news2"]["score"] == 11
    assert outcome["assessment"]["news2"]["band"] == "high"
    assert outcome["acuity"] <= 2
    assert outcome["disposition"] in {"emergency_ambulance", "emergency"}
    assert outcome["engine"]["version"]
    assert outcome["assessment"]["rationale"]

    history = await app_client.get("/v1/patients/P12345/intakes", headers=headers)
    assert history.status_code == 200
    items = history.json()["items"]
    assert [item["intake_id"] for item in items] == [body["intake_id"]]
    assert items[0]["outcome"]["acuity"] == outcome["acuity"]


async def test_patient_history_pages_newest_first(app_client: httpx.AsyncClient, make_key: KeyFactory) -> None:
    headers = bearer(await make_key())
    submitted = []
    for age in range(5):
        body = {"patient_id": "P-pages", "age": age + 20, "symptoms": ["cough"], "urgency": "low"}
        submitted.append((await app_client.post("/v1/intakes", json=body, headers=headers)).json()["intake_id"])
    seen: list[str] = []
    cursor = None
    while True:
        params: dict[str, str | int] = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = (await app_client.get("/v1/patients/P-pages/intakes", params=params, headers=headers)).json()
        seen += [item["intake_id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == list(reversed(submitted))
    unknown = await app_client.get(
        "/v1/patients/P-pages/intakes", params={"cursor": "00000000-0000-0000-0000-000000000000"}, headers=headers
    )
    assert unknown.json()["items"] == []


async def test_unknown_query_parameters_are_rejected(app_client: httpx.AsyncClient, make_key: KeyFactory) -> None:
    response = await app_client.get("/v1/patients/P1/intakes", params={"limt": 5}, headers=bearer(await make_key()))
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "limt"
