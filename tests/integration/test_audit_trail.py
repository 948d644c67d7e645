"""The audit trail: append-only, and exactly one event per access to patient data, allowed or not."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import httpx
import psycopg
import pytest

from store.audit import AuditEvent, record
from store.pool import Pool, app_conninfo
from store.tenancy import tenant_transaction
from tasks.triage import run_triage
from tests.conftest import KeyFactory
from tests.helpers import bearer

INTAKE = {"patient_id": "P-audit", "age": 45, "symptoms": ["back pain"], "urgency": "low"}


def events(owner_conn: psycopg.Connection[Any]) -> list[tuple[Any, ...]]:
    return owner_conn.execute(
        "SELECT tenant_id, actor, action, resource_type, resource_id, patient_id, outcome, request_id"
        " FROM audit_events ORDER BY id"
    ).fetchall()


async def test_the_app_role_cannot_update_or_delete_audit_events(
    app_client: httpx.AsyncClient, make_key: KeyFactory, database_url: str
) -> None:
    await app_client.post("/v1/intakes", json=INTAKE, headers=bearer(await make_key()))
    async with await psycopg.AsyncConnection.connect(app_conninfo(database_url)) as conn:
        for statement in (
            "UPDATE audit_events SET outcome = 'success'",
            "DELETE FROM audit_events",
            "TRUNCATE audit_events",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                async with conn.transaction():
                    await conn.execute("SELECT set_config('app.tenant_id', 'clinic-a', true)")
                    await conn.execute(statement)


def test_even_the_owner_cannot_rewrite_history(
    owner_conn: psycopg.Connection[Any],
) -> None:
    owner_conn.execute(
        "INSERT INTO audit_events (tenant_id, actor, action, resource_type, outcome)"
        " VALUES ('clinic-a', 'key:x', 'intake.read', 'intake', 'success')"
    )
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        owner_conn.execute("UPDATE audit_events SET outcome = 'denied'")
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        owner_conn.execute("DELETE FROM audit_events")


@dataclass(frozen=True)
class Audited:
    method: str
    path: str
    action: str
    resource_type: str
    scope: str


AUDITED = [
    Audited("POST", "/v1/intakes", "intake.create", "intake", "intake:write"),
    Audited("GET", "/v1/intakes/{intake_id}", "intake.read", "intake", "intake:read"),
    Audited("GET", "/v1/patients/P-audit/intakes", "patient.intakes.list", "patient", "intake:read"),
    Audited("GET", "/v1/audit", "audit.list", "audit_event", "admin"),
    Audited("POST", "/intake", "intake.validate", "intake", "intake:write"),
    Audited("POST", "/intake/store", "intake.create", "intake", "intake:write"),
    Audited("GET", "/intake/P-audit", "patient.intakes.list", "patient", "intake:read"),
    Audited("GET", "/v1/ops/queues", "ops.queues.read", "queue", "ops:read"),
    Audited("GET", "/v1/ops/jobs", "ops.jobs.list", "job", "ops:read"),
    Audited("GET", "/v1/ops/workers", "ops.workers.read", "worker", "ops:read"),
    Audited("GET", "/v1/ops/stalled", "ops.stalled.read", "job", "ops:read"),
    Audited("POST", "/v1/ops/jobs/bulk-retry", "ops.jobs.bulk_retry", "job", "ops:write"),
    Audited("POST", "/v1/ops/jobs/bulk-cancel", "ops.jobs.bulk_cancel", "job", "ops:write"),
]


async def _seed(app_client: httpx.AsyncClient, make_key: KeyFactory, owner_conn: psycopg.Connection[Any]) -> str:
    response = await app_client.post("/v1/intakes", json=INTAKE, headers=bearer(await make_key(name="seed")))
    owner_conn.execute("ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only")
    owner_conn.execute("DELETE FROM audit_events")  # start each check from an empty trail
    owner_conn.execute("ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only")
    return str(response.json()["intake_id"])


async def _call(client: httpx.AsyncClient, route: Audited, intake_id: str, headers: dict[str, str]) -> httpx.Response:
    body = INTAKE if route.method == "POST" else None
    if route.path.startswith("/v1/ops/"):
        body = {}  # a bulk action's dry run
    return await client.request(route.method, route.path.replace("{intake_id}", intake_id), json=body, headers=headers)


@pytest.mark.parametrize("route", AUDITED, ids=lambda r: f"{r.method} {r.path}")
async def test_each_route_writes_exactly_one_event_per_outcome(
    app_client: httpx.AsyncClient, make_key: KeyFactory, owner_conn: psycopg.Connection[Any], route: Audited
) -> None:
    intake_id = await _seed(app_client, make_key, owner_conn)
    right_key = await make_key(scopes=(route.scope,))
    key_id = right_key.split("_")[2]
    wrong_key = await make_key(scopes=("intake:read",) if route.scope.startswith("ops") else ("ops:read",))

    success = await _call(app_client, route, intake_id, bearer(right_key))
    assert success.status_code < 300
    unauthenticated = await _call(app_client, route, intake_id, {})
    assert unauthenticated.status_code == 401
    forbidden = await _call(app_client, route, intake_id, bearer(wrong_key))
    assert forbidden.status_code == 403

    recorded = events(owner_conn)
    assert len(recorded) == 3
    by_request = {row[7]: row for row in recorded}
    ok = by_request[success.headers["x-request-id"]]
    assert ok[:4] == ("clinic-a", f"key:{key_id}", route.action, route.resource_type)
    assert ok[6] == "success"
    if route.action in {"intake.create", "intake.read", "intake.validate", "patient.intakes.list"}:
        assert ok[5] == "P-audit"
    anonymous = by_request[unauthenticated.headers["x-request-id"]]
    assert (anonymous[0], anonymous[1], anonymous[2], anonymous[6]) == (None, "anonymous", route.action, "denied")
    denied = by_request[forbidden.headers["x-request-id"]]
    assert (denied[0], denied[1], denied[2], denied[6]) == (
        "clinic-a",
        f"key:{wrong_key.split('_')[2]}",
        route.action,
        "denied",
    )


async def test_cross_tenant_read_and_invalid_input_are_recorded_once(
    app_client: httpx.AsyncClient, make_key: KeyFactory, owner_conn: psycopg.Connection[Any]
) -> None:
    intake_id = await _seed(app_client, make_key, owner_conn)
    other_token = await make_key(tenant="clinic-b", scopes=("intake:read", "intake:write"))
    other_actor = f"key:{other_token.split('_')[2]}"
    not_found = await app_client.get(f"/v1/intakes/{intake_id}", headers=bearer(other_token))
    invalid = await app_client.post("/v1/intakes", json={**INTAKE, "age": -1}, headers=bearer(other_token))
    assert (not_found.status_code, invalid.status_code) == (404, 422)
    recorded = {row[7]: row for row in events(owner_conn)}
    assert len(recorded) == 2
    # Recorded against the reader's own tenant and key, never the intake's owner.
    read = recorded[not_found.headers["x-request-id"]]
    assert (read[0], read[1], read[2], read[4], read[6]) == (
        "clinic-b",
        other_actor,
        "intake.read",
        intake_id,
        "not_found",
    )
    refused = recorded[invalid.headers["x-request-id"]]
    assert (refused[0], refused[1], refused[2], refused[6]) == ("clinic-b", other_actor, "intake.create", "invalid")


async def test_worker_reads_and_writes_are_audited(
    app_client: httpx.AsyncClient, make_key: KeyFactory, pool: Pool, owner_conn: psycopg.Connection[Any]
) -> None:
    intake_id = await _seed(app_client, make_key, owner_conn)
    await run_triage(pool, UUID(intake_id), "clinic-a", actor="worker:w1", job_id=42)
    rows = owner_conn.execute(
        "SELECT actor, action, resource_id, patient_id, outcome, job_id FROM audit_events ORDER BY id"
    ).fetchall()
    assert rows == [
        ("worker:w1", "intake.read", intake_id, "P-audit", "success", 42),
        ("worker:w1", "outcome.write", intake_id, "P-audit", "success", 42),
    ]


async def test_audit_endpoint_filters_by_patient_actor_and_time(
    app_client: httpx.AsyncClient, make_key: KeyFactory
) -> None:
    admin = await make_key(scopes=("admin",), name="auditor")
    agent = await make_key(scopes=("intake:write", "intake:read"), name="agent")
    for patient in ("P-one", "P-two"):
        await app_client.post("/v1/intakes", json={**INTAKE, "patient_id": patient}, headers=bearer(agent))
    headers = bearer(admin)
    by_patient = (await app_client.get("/v1/audit", params={"patient_id": "P-one"}, headers=headers)).json()["items"]
    assert [e["action"] for e in by_patient] == ["intake.create"]
    by_actor = (
        await app_client.get("/v1/audit", params={"actor": f"key:{agent.split('_')[2]}"}, headers=headers)
    ).json()["items"]
    assert {e["patient_id"] for e in by_actor} == {"P-one", "P-two"}
    future = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
    later = (await app_client.get("/v1/audit", params={"since": future}, headers=headers)).json()["items"]
    assert later == []
    page = (await app_client.get("/v1/audit", params={"limit": 1}, headers=headers)).json()
    assert len(page["items"]) == 1 and page["next_cursor"]
    rest = (await app_client.get("/v1/audit", params={"cursor": page["next_cursor"]}, headers=headers)).json()
    assert rest["items"] and rest["items"][0]["id"] < page["items"][0]["id"]


async def test_unknown_query_parameter_is_refused_after_authentication_and_audited(
    app_client: httpx.AsyncClient, make_key: KeyFactory, owner_conn: psycopg.Connection[Any]
) -> None:
    anonymous = await app_client.get("/v1/patients/P-audit/intakes", params={"bogus": 1})
    assert anonymous.status_code == 401
    refused = await app_client.get(
        "/v1/patients/P-audit/intakes", params={"bogus": 1}, headers=bearer(await make_key())
    )
    assert refused.status_code == 422
    outcomes = [row[6] for row in events(owner_conn)]
    assert outcomes == ["denied", "invalid"]


@pytest.mark.parametrize("cursor", [str(2**63), str(2**64), "9" * 40])
async def test_a_cursor_beyond_the_event_numbers_is_a_422_naming_it(
    app_client: httpx.AsyncClient, make_key: KeyFactory, owner_conn: psycopg.Connection[Any], cursor: str
) -> None:
    admin = bearer(await make_key(scopes=("admin",)))
    response = await app_client.get("/v1/audit", params={"cursor": cursor}, headers=admin)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert [error["field"] for error in response.json()["errors"]] == ["cursor"]
    assert cursor not in response.text
    assert [row[6] for row in events(owner_conn)] == ["invalid"]
    # The largest event number is still a cursor.
    largest = await app_client.get("/v1/audit", params={"cursor": str(2**63 - 1)}, headers=admin)
    assert largest.status_code == 200, largest.text


@pytest.mark.parametrize(
    "value",
    [
        pytest.param("2026-01-01", id="bare-date"),
        pytest.param("2026-01-01T00:00:00", id="no-time-zone"),
        pytest.param("2026-01-01T00:00Z", id="no-seconds"),
        pytest.param("1767225600", id="unix-seconds"),
        pytest.param("2026-01-01 00:00:00Z", id="space-for-T"),
        pytest.param("2026-01-01T00:00:00+0100", id="offset-without-colon"),
        pytest.param("2026-02-30T00:00:00Z", id="no-such-day"),
        pytest.param("yesterday", id="words"),
    ],
)
@pytest.mark.parametrize("name", ["since", "until"])
async def test_time_filters_take_only_rfc3339_date_times_with_a_time_zone(
    app_client: httpx.AsyncClient, make_key: KeyFactory, name: str, value: str
) -> None:
    response = await app_client.get(
        "/v1/audit", params={name: value}, headers=bearer(await make_key(scopes=("admin",)))
    )
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert [error["field"] for error in response.json()["errors"]] == [name]
    assert value not in response.text


@pytest.mark.parametrize(
    "value",
    ["2026-01-01T00:00:00Z", "2026-01-01t00:00:00.123456z", "2026-01-01T00:00:00.5+05:30", "2026-01-01T00:00:00-00:00"],
)
async def test_rfc3339_date_times_are_accepted_as_time_filters(
    app_client: httpx.AsyncClient, make_key: KeyFactory, value: str
) -> None:
    headers = bearer(await make_key(scopes=("admin",)))
    for name in ("since", "until"):
        response = await app_client.get("/v1/audit", params={name: value}, headers=headers)
        assert response.status_code == 200, response.text


async def test_an_event_without_detail_stores_sql_null_and_one_with_detail_stores_its_object(
    pool: Pool, owner_conn: psycopg.Connection[Any]
) -> None:
    owner_conn.execute("INSERT INTO tenants (id) VALUES ('clinic-detail') ON CONFLICT DO NOTHING")
    plain = AuditEvent(actor="key:test", action="intake.read", resource_type="intake", outcome="success")
    explained = replace(plain, action="queue.pause", detail={"queue": "triage"})
    async with pool.connection() as conn, tenant_transaction(conn, "clinic-detail"):
        await record(conn, replace(plain, tenant_id="clinic-detail"))
        await record(conn, replace(explained, tenant_id="clinic-detail"))
    # SQL NULL, not the JSON value null: "no detail" must read as absent to `detail IS NULL` and to operators.
    rows = owner_conn.execute(
        "SELECT action, detail IS NULL, detail FROM audit_events WHERE tenant_id = 'clinic-detail' ORDER BY id"
    ).fetchall()
    assert rows == [("intake.read", True, None), ("queue.pause", False, {"queue": "triage"})]
