"""The benchmark's bulk loader (bench/scale_data.py) writes rows the API serves as it serves a worker's.

`make bench` measures reads over a bulk-loaded database; rows the API could not serve would turn its growth
section into a measurement of errors.
"""

from __future__ import annotations

from typing import Any

import httpx
import psycopg
import pytest

from bench import scale_data
from tests.conftest import KeyFactory
from tests.helpers import bearer

pytestmark = pytest.mark.integration


async def test_bulk_loaded_intakes_and_outcomes_read_back_through_the_api(
    app_client: httpx.AsyncClient, make_key: KeyFactory, owner_conn: psycopg.Connection[Any], database_url: str
) -> None:
    scale_data.load(database_url, scale_data.Sizes(jobs=400, intakes=400, audit=400, live=20, doing=2, tenants=3))
    row = owner_conn.execute(
        "SELECT i.id, i.patient_id FROM intakes i JOIN triage_outcomes o ON o.intake_id = i.id"
        " WHERE i.tenant_id = %s LIMIT 1",
        (scale_data.DOMINANT,),
    ).fetchone()
    assert row is not None
    headers = bearer(await make_key(tenant=scale_data.DOMINANT, scopes=("intake:read",)))
    intake = await app_client.get(f"/v1/intakes/{row[0]}", headers=headers)
    assert intake.status_code == 200, intake.text
    assert intake.json()["outcome"]["assessment"]["acuity"] == intake.json()["outcome"]["acuity"]
    history = await app_client.get(f"/v1/patients/{row[1]}/intakes", headers=headers)
    assert history.status_code == 200, history.text
