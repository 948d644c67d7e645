"""Routes and shapes that clients written against the original tutorial expect."""

from __future__ import annotations

import ast
import subprocess
import sys
from typing import Any

import httpx
import psycopg

from tests.conftest import KeyFactory
from tests.helpers import ROOT, ProcessGroup, bearer, child_env

ARTICLE_PAYLOAD = {"patient_id": "P12345", "age": 42, "symptoms": ["fever", "cough"], "urgency": "high"}


async def test_validate_only_stores_nothing(
    app_client: httpx.AsyncClient, make_key: KeyFactory, owner_conn: psycopg.Connection[Any]
) -> None:
    response = await app_client.post("/intake", json=ARTICLE_PAYLOAD, headers=bearer(await make_key()))
    assert response.status_code == 200
    assert response.json() == {"status": "received", "patient_id": "P12345"}
    assert owner_conn.execute(
        "SELECT (SELECT count(*) FROM intakes), (SELECT count(*) FROM procrastinate_jobs)"
    ).fetchone() == (0, 0)


async def test_store_then_read_back_in_the_article_shape(
    app_client: httpx.AsyncClient, make_key: KeyFactory, owner_conn: psycopg.Connection[Any]
) -> None:
    headers = bearer(await make_key())
    stored = await app_client.post("/intake/store", json=ARTICLE_PAYLOAD, headers=headers)
    assert stored.status_code == 200
    assert stored.json()["status"] == "stored"
    record_id = stored.json()["record_id"]
    assert owner_conn.execute("SELECT count(*) FROM procrastinate_jobs").fetchone() == (1,)

    records = (await app_client.get("/intake/P12345", headers=headers)).json()["records"]
    assert len(records) == 1
    record = records[0]
    assert {k: record[k] for k in ("id", "patient_id", "age", "symptoms", "urgency")} == {
        "id": record_id,
        **ARTICLE_PAYLOAD,
    }
    assert record["status"] == "queued"
    assert record["outcome"] is None


async def test_symptom_with_an_apostrophe_round_trips(app_client: httpx.AsyncClient, make_key: KeyFactory) -> None:
    headers = bearer(await make_key())
    payload = {**ARTICLE_PAYLOAD, "patient_id": "P-apos", "symptoms": ["patient's cough", 'a "quoted" ache']}
    stored = await app_client.post("/intake/store", json=payload, headers=headers)
    assert stored.status_code == 200, stored.text
    records = (await app_client.get("/intake/P-apos", headers=headers)).json()["records"]
    assert records[0]["symptoms"] == ["patient's cough", 'a "quoted" ache']


async def test_records_are_listed_oldest_first(app_client: httpx.AsyncClient, make_key: KeyFactory) -> None:
    headers = bearer(await make_key())
    ids = []
    for age in (40, 41, 42):
        response = await app_client.post("/intake/store", json={**ARTICLE_PAYLOAD, "age": age}, headers=headers)
        ids.append(response.json()["record_id"])
    records = (await app_client.get("/intake/P12345", headers=headers)).json()["records"]
    assert [r["id"] for r in records] == ids


async def test_the_tutorial_sample_client_against_a_running_stack(
    make_key: KeyFactory, database_url: str, processes: ProcessGroup
) -> None:
    token = await make_key()
    env = child_env(database_url)
    base = processes.start_api(env)
    processes.start(["worker"], env, "worker")

    client_run = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "article_client.py")],
        env={**env, "TRIAGE_URL": base, "TRIAGE_API_KEY": token},
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    status_line, stored_line, records_line = client_run.stdout.strip().splitlines()
    assert status_line == "200"
    stored = ast.literal_eval(stored_line)
    assert stored["status"] == "stored"
    records = ast.literal_eval(records_line)["records"]
    assert records[0]["id"] == stored["record_id"]
    assert {k: records[0][k] for k in ("patient_id", "age", "symptoms", "urgency")} == ARTICLE_PAYLOAD
