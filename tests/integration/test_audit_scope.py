"""The audit event a refused request on a patient-data route owes (api.auth.access_for): written even though
the request never reached its service, naming the path's ids, each cut to the column's 64 characters."""

from __future__ import annotations

from typing import Any

import httpx
import psycopg

from tests.conftest import KeyFactory
from tests.helpers import bearer


def _events(owner_conn: psycopg.Connection[Any]) -> list[tuple[Any, ...]]:
    return owner_conn.execute(
        "SELECT action, resource_type, resource_id, patient_id, outcome FROM audit_events ORDER BY id"
    ).fetchall()


async def test_an_over_long_patient_id_is_audited_cut_to_64_characters(
    app_client: httpx.AsyncClient, make_key: KeyFactory, owner_conn: psycopg.Connection[Any]
) -> None:
    token = await make_key(scopes=("intake:read",))
    response = await app_client.get("/v1/patients/" + "P" * 65 + "/intakes", headers=bearer(token))
    assert response.status_code == 422
    assert _events(owner_conn) == [("patient.intakes.list", "patient", None, "P" * 64, "invalid")]


async def test_an_over_long_intake_id_is_audited_cut_to_64_characters(
    app_client: httpx.AsyncClient, make_key: KeyFactory, owner_conn: psycopg.Connection[Any]
) -> None:
    token = await make_key(scopes=("intake:read",))
    response = await app_client.get("/v1/intakes/" + "x" * 65, headers=bearer(token))
    assert response.status_code == 422
    assert _events(owner_conn) == [("intake.read", "intake", "x" * 64, None, "invalid")]
