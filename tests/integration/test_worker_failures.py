"""A job that keeps failing leaves its intake `failed` with a readable, PHI-free reason; never stuck."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import httpx
import psycopg

from tests.conftest import KeyFactory
from tests.helpers import ProcessGroup, bearer, child_env


async def test_intake_fails_after_its_retries_with_a_reason(
    app_client: httpx.AsyncClient,
    make_key: KeyFactory,
    database_url: str,
    owner_conn: psycopg.Connection[Any],
    processes: ProcessGroup,
) -> None:
    headers = bearer(await make_key())
    body = {"patient_id": "P-fail", "age": 50, "symptoms": ["dizzy"], "urgency": "medium"}
    response = await app_client.post("/v1/intakes", json=body, headers=headers)
    intake_id = response.json()["intake_id"]
    # Damage the stored payload (as a bad migration or a manual edit might) so the engine input
    # cannot be built: every attempt fails the same way.
    owner_conn.execute("UPDATE intakes SET payload = payload - 'urgency' WHERE id = %s", (intake_id,))

    processes.start(
        ["worker", "--concurrency", "1"],
        child_env(database_url, TRIAGE_JOB_MAX_ATTEMPTS="3", TRIAGE_JOB_RETRY_WAIT="0"),
        "worker",
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        read = (await app_client.get(f"/v1/intakes/{intake_id}", headers=headers)).json()
        if read["status"] == "failed":
            break
        await asyncio.sleep(0.2)
    assert read["status"] == "failed", processes.logs()
    assert read["failure_reason"] == "KeyError after 3 attempt(s)"
    assert read["attempts"] == 3
    assert read["outcome"] is None
    job = owner_conn.execute("SELECT status, attempts FROM procrastinate_jobs WHERE queue_name = 'triage'").fetchone()
    assert job == ("failed", 3)
    # Operators see where it failed, without the exception's message (which could quote patient data).
    detail = owner_conn.execute("SELECT failure_detail FROM intakes WHERE id = %s", (intake_id,)).fetchone()
    assert detail == ("KeyError at engine_input.py:16 in intake_for_engine",)
