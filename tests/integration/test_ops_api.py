"""`/v1/ops`: a tenant's ops key sees its own jobs only; the platform operator's sees every tenant's."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import psycopg
import pytest

from tests.conftest import KeyFactory
from tests.helpers import bearer, client_for, make_settings

INTAKE = {"patient_id": "P-opsapi", "age": 40, "symptoms": ["cough"], "urgency": "low"}


@pytest.fixture
async def client(database_url: str) -> AsyncIterator[httpx.AsyncClient]:
    async for ops_client in client_for(make_settings(database_url, platform_tenant="platform")):
        yield ops_client


async def test_tenants_see_their_own_jobs_and_the_platform_sees_all(
    client: httpx.AsyncClient, make_key: KeyFactory, owner_conn: psycopg.Connection[Any]
) -> None:
    jobs = {}
    for tenant in ("clinic-a", "clinic-b"):
        accepted = await client.post("/v1/intakes", json=INTAKE, headers=bearer(await make_key(tenant=tenant)))
        jobs[tenant] = accepted.json()["job_id"]
    clinic_a = bearer(await make_key(tenant="clinic-a", scopes=("ops:read",)))
    platform = bearer(await make_key(tenant="platform", scopes=("ops:read",)))

    mine = (await client.get("/v1/ops/queues", headers=clinic_a)).json()
    everyone = (await client.get("/v1/ops/queues", headers=platform)).json()
    assert mine["scope"] == "tenant" and everyone["scope"] == "platform"
    assert [(q["queue_name"], q["todo"]) for q in mine["queues"]] == [("triage", 1)]
    assert ("triage", 2) in [(q["queue_name"], q["todo"]) for q in everyone["queues"]]
    assert all(q["oldest_waiting_s"] >= 0 for q in everyone["queues"] if q["todo"])

    listed = (await client.get("/v1/ops/jobs", headers=clinic_a)).json()["items"]
    assert [j["id"] for j in listed] == [jobs["clinic-a"]]
    assert {j["id"] for j in (await client.get("/v1/ops/jobs", headers=platform)).json()["items"]} >= set(jobs.values())
    # Another tenant's job is a 404, exactly like a missing one.
    assert (await client.get(f"/v1/ops/jobs/{jobs['clinic-b']}", headers=clinic_a)).status_code == 404
    detail = (await client.get(f"/v1/ops/jobs/{jobs['clinic-b']}", headers=platform)).json()
    assert detail["job"]["tenant_id"] == "clinic-b"
    assert [e["type"] for e in detail["events"]] == ["deferred"]
    # Nothing patient-related in what operators see.
    assert "P-opsapi" not in str(detail) and "cough" not in str(listed)
    audited = owner_conn.execute(
        "SELECT tenant_id, action, outcome FROM audit_events WHERE action LIKE 'ops.%' ORDER BY id"
    ).fetchall()
    assert audited[:2] == [("clinic-a", "ops.queues.read", "success"), ("platform", "ops.queues.read", "success")]
    assert ("clinic-a", "ops.job.read", "not_found") in audited


async def test_cancel_then_retry_through_the_api(client: httpx.AsyncClient, make_key: KeyFactory) -> None:
    writer = bearer(await make_key())
    accepted = (await client.post("/v1/intakes", json=INTAKE, headers=writer)).json()
    job_id = accepted["job_id"]
    ops_key = bearer(await make_key(scopes=("ops:read", "ops:write")))
    other_tenant = bearer(await make_key(tenant="clinic-b", scopes=("ops:write",)))

    assert (await client.post(f"/v1/ops/jobs/{job_id}/cancel", headers=other_tenant)).status_code == 404
    cancelled = await client.post(f"/v1/ops/jobs/{job_id}/cancel", headers=ops_key)
    assert cancelled.json() == {"job_id": job_id, "result": "cancelled"}
    intake = (await client.get(f"/v1/intakes/{accepted['intake_id']}", headers=writer)).json()
    assert (intake["status"], intake["failure_reason"]) == ("failed", "Cancelled by an operator")
    again = await client.post(f"/v1/ops/jobs/{job_id}/cancel", headers=ops_key)
    assert again.status_code == 409
    assert again.json()["type"] == "urn:triage:problem:job-state-conflict"
    # A cancelled job is not a failed one: retrying it is refused too.
    assert (await client.post(f"/v1/ops/jobs/{job_id}/retry", headers=ops_key)).status_code == 409
    assert (await client.get("/v1/ops/workers", headers=ops_key)).json() == {"items": []}
    assert (await client.get("/v1/ops/stalled", headers=ops_key)).json() == {"items": [], "next_cursor": None}
