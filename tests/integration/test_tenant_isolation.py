"""One clinic never sees another's patients: at the API (404, empty lists) and in SQL (row-level security)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import httpx
import psycopg
import pytest

from runtime.settings import Settings
from store.pool import Pool, app_conninfo, open_pool
from store.tenancy import tenant_transaction
from tasks.triage import IntakeMissing, run_triage
from tests.conftest import KeyFactory
from tests.helpers import bearer

INTAKE = {"patient_id": "P-shared-id", "age": 70, "symptoms": ["chest pain"], "urgency": "high"}
ALL = ("intake:write", "intake:read", "admin")


async def _setup(app_client: httpx.AsyncClient, make_key: KeyFactory) -> tuple[dict[str, str], dict[str, str], str]:
    clinic_a = bearer(await make_key(tenant="clinic-a", scopes=ALL))
    clinic_b = bearer(await make_key(tenant="clinic-b", scopes=ALL))
    response = await app_client.post("/v1/intakes", json=INTAKE, headers=clinic_a)
    return clinic_a, clinic_b, str(response.json()["intake_id"])


async def test_another_tenants_intake_is_not_found(app_client: httpx.AsyncClient, make_key: KeyFactory) -> None:
    clinic_a, clinic_b, intake_id = await _setup(app_client, make_key)
    assert (await app_client.get(f"/v1/intakes/{intake_id}", headers=clinic_a)).status_code == 200
    other = await app_client.get(f"/v1/intakes/{intake_id}", headers=clinic_b)
    assert other.status_code == 404
    missing = await app_client.get("/v1/intakes/00000000-0000-0000-0000-000000000000", headers=clinic_b)
    # Indistinguishable from an id that exists nowhere.
    assert {k: v for k, v in other.json().items() if k != "request_id"} == {
        k: v for k, v in missing.json().items() if k != "request_id"
    }


async def test_patient_lists_and_audit_are_per_tenant(app_client: httpx.AsyncClient, make_key: KeyFactory) -> None:
    clinic_a, clinic_b, _ = await _setup(app_client, make_key)
    # The same patient reference in two clinics names two different people.
    await app_client.post("/v1/intakes", json={**INTAKE, "age": 12}, headers=clinic_b)
    a_items = (await app_client.get("/v1/patients/P-shared-id/intakes", headers=clinic_a)).json()["items"]
    b_items = (await app_client.get("/v1/patients/P-shared-id/intakes", headers=clinic_b)).json()["items"]
    assert [item["intake"]["age"] for item in a_items] == [70]
    assert [item["intake"]["age"] for item in b_items] == [12]
    b_records = (await app_client.get("/intake/P-shared-id", headers=clinic_b)).json()["records"]
    assert [record["age"] for record in b_records] == [12]

    b_audit = (await app_client.get("/v1/audit", headers=clinic_b)).json()["items"]
    a_audit = (await app_client.get("/v1/audit", headers=clinic_a)).json()["items"]
    a_request_ids = {event["request_id"] for event in a_audit}
    assert b_audit and a_audit
    assert not a_request_ids & {event["request_id"] for event in b_audit}


async def test_the_tenant_is_taken_from_the_key_never_the_request(
    app_client: httpx.AsyncClient, make_key: KeyFactory
) -> None:
    clinic_b = bearer(await make_key(tenant="clinic-b"))
    response = await app_client.post("/v1/intakes", json={**INTAKE, "tenant_id": "clinic-a"}, headers=clinic_b)
    assert response.status_code == 422  # unknown field: nobody picks a tenant in the body


async def _app_conn(database_url: str) -> psycopg.AsyncConnection[Any]:
    return await psycopg.AsyncConnection.connect(app_conninfo(database_url))


async def test_rls_hides_other_tenants_rows_even_without_a_where_clause(
    app_client: httpx.AsyncClient, make_key: KeyFactory, database_url: str, owner_conn: psycopg.Connection[Any]
) -> None:
    await _setup(app_client, make_key)
    assert owner_conn.execute("SELECT count(*) FROM intakes").fetchone() == (1,)
    async with await _app_conn(database_url) as conn:
        for tenant, expected in (("clinic-b", 0), ("", 0), ("clinic-a", 1)):
            async with conn.transaction():
                await conn.execute("SELECT set_config('app.tenant_id', %s, true)", (tenant,))
                for table in ("intakes", "audit_events"):
                    cur = await conn.execute(f"SELECT count(*) FROM {table}")  # no WHERE on purpose
                    row = await cur.fetchone()
                    assert row is not None
                    assert (row[0] > 0) == (expected > 0), (tenant, table)
        # Without any tenant set at all (a fresh transaction), nothing is visible.
        cur = await conn.execute("SELECT count(*) FROM intakes")
        assert await cur.fetchone() == (0,)
        await conn.rollback()


async def test_rls_refuses_writes_into_or_over_another_tenant(
    app_client: httpx.AsyncClient, make_key: KeyFactory, database_url: str
) -> None:
    _, _, intake_id = await _setup(app_client, make_key)
    async with await _app_conn(database_url) as conn:
        async with conn.transaction():
            await conn.execute("SELECT set_config('app.tenant_id', 'clinic-b', true)")
            cur = await conn.execute("UPDATE intakes SET status = 'failed' WHERE id = %s", (intake_id,))
            assert cur.rowcount == 0
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            async with conn.transaction():
                await conn.execute("SELECT set_config('app.tenant_id', 'clinic-b', true)")
                await conn.execute(
                    "INSERT INTO intakes (tenant_id, patient_id, payload, created_by)"
                    " VALUES ('clinic-a', 'P', '{}', 'test')"
                )


async def _one(conn: psycopg.AsyncConnection[Any], query: str) -> Any:
    cur = await conn.execute(query)
    row = await cur.fetchone()
    assert row is not None
    return row[0]


@pytest.mark.parametrize("pipelined", [False, True])
async def test_tenant_setting_does_not_leak_across_pooled_transactions(
    app_client: httpx.AsyncClient, make_key: KeyFactory, settings: Settings, pipelined: bool
) -> None:
    await _setup(app_client, make_key)
    # One connection only: the second borrower provably gets the very connection the first handed back.
    async with open_pool(settings.app_database_url, min_size=1, max_size=1) as single:
        async with single.connection() as conn, tenant_transaction(conn, "clinic-a", pipelined=pipelined):
            first_pid = await _one(conn, "SELECT pg_backend_pid()")
            assert await _one(conn, "SELECT count(*) FROM intakes") == 1
        async with single.connection() as conn:
            assert await _one(conn, "SELECT pg_backend_pid()") == first_pid
            assert await _one(conn, "SELECT current_setting('app.tenant_id', true)") in {None, ""}
            assert await _one(conn, "SELECT count(*) FROM intakes") == 0


async def test_the_app_role_cannot_bypass_rls(database_url: str) -> None:
    async with await _app_conn(database_url) as conn:
        cur = await conn.execute("SELECT current_user")
        assert await cur.fetchone() == ("triage_app",)
        await conn.rollback()
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            await conn.execute("ALTER TABLE intakes DISABLE ROW LEVEL SECURITY")
        await conn.rollback()
        await conn.execute("RESET ROLE")  # the role is the session default: a reset keeps it
        cur = await conn.execute("SELECT current_user")
        assert await cur.fetchone() == ("triage_app",)


async def test_workers_act_as_the_intakes_tenant(
    app_client: httpx.AsyncClient, make_key: KeyFactory, pool: Pool, owner_conn: psycopg.Connection[Any]
) -> None:
    _, _, intake_id = await _setup(app_client, make_key)
    with pytest.raises(IntakeMissing):
        await run_triage(pool, UUID(intake_id), "clinic-b", actor="worker:test", job_id=None)
    assert owner_conn.execute("SELECT count(*) FROM triage_outcomes").fetchone() == (0,)
    assert await run_triage(pool, UUID(intake_id), "clinic-a", actor="worker:test", job_id=None)
    tenants = owner_conn.execute("SELECT DISTINCT tenant_id FROM triage_outcomes").fetchall()
    assert tenants == [("clinic-a",)]
