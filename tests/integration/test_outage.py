"""The API while the database is unreachable: fast 503s with Retry-After, never a hang; a deadline for all.

The full outage scenarios (a real PostgreSQL stopped and restarted under load) are in tests/faults/.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest

from api.intakes import service
from runtime.credentials import mint_key
from tests.conftest import KeyFactory
from tests.helpers import TEST_PEPPER, bearer, client_for, make_settings

INTAKE = {"patient_id": "P-out", "age": 30, "symptoms": ["headache"], "urgency": "low"}


@pytest.fixture
async def unreachable(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    # A socket folder with no server in it: every connection attempt is refused.
    url = f"postgresql://postgres@/triage?host={tmp_path}&port=5999"
    async for client in client_for(make_settings(url, db_timeout_seconds=1.0, retry_after_seconds=7)):
        yield client


async def test_submissions_get_a_fast_503_with_retry_after(unreachable: httpx.AsyncClient) -> None:
    token = mint_key(TEST_PEPPER, "test").token
    started = time.monotonic()
    response = await unreachable.post("/v1/intakes", json=INTAKE, headers=bearer(token))
    elapsed = time.monotonic() - started
    assert response.status_code == 503, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["retry-after"] == "7"
    assert response.json()["type"] == "urn:triage:problem:database-unavailable"
    # One bounded wait for a connection (TRIAGE_DB_TIMEOUT = 1 s); the error path adds no second one.
    assert elapsed < 2.5


async def test_readiness_is_red_while_the_database_is_down(unreachable: httpx.AsyncClient) -> None:
    ready = await unreachable.get("/readyz")
    assert ready.status_code == 503
    assert (await unreachable.get("/healthz")).status_code == 200


async def test_no_request_outlives_its_deadline(
    database_url: str, make_key: KeyFactory, owner_conn: psycopg.Connection[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    async def stuck(*_args: Any, **_kwargs: Any) -> None:
        await asyncio.sleep(30)

    monkeypatch.setattr(service, "submit_intake", stuck)
    token = await make_key()
    async for client in client_for(make_settings(database_url, request_timeout_seconds=0.5, retry_after_seconds=3)):
        started = time.monotonic()
        response = await client.post("/v1/intakes", json=INTAKE, headers=bearer(token))
        assert time.monotonic() - started < 2
        assert response.status_code == 503
        assert response.headers["retry-after"] == "3"
        assert response.json()["type"] == "urn:triage:problem:request-timeout"
    assert owner_conn.execute("SELECT count(*) FROM intakes").fetchone() == (0,)


async def pool_reaches(pool: Any, condition: Any) -> None:
    """Poll the pool's own counters (it offers no event to wait on) until the condition holds."""
    async with asyncio.timeout(5):
        while not condition(pool.get_stats()):  # noqa: ASYNC110
            await asyncio.sleep(0.01)


async def test_overload_is_refused_at_once_rather_than_queued_without_end(
    database_url: str, make_key: KeyFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def hold_the_connection(state: Any, *_args: Any, **_kwargs: Any) -> None:
        async with state.pool.connection():
            await asyncio.sleep(2)

    monkeypatch.setattr(service, "submit_intake", hold_the_connection)
    headers = bearer(await make_key())
    settings = make_settings(database_url, pool_min_size=1, pool_max_size=1, pool_max_waiting=1, db_timeout_seconds=5)
    async for client in client_for(settings):
        pool = client.app.state.triage.pool  # type: ignore[attr-defined]
        # The key's lookup borrows the connection briefly; once cached (api.key_cache), only the held
        # connection counts below.
        assert (await client.get(f"/v1/intakes/{uuid.uuid4()}", headers=headers)).status_code == 404
        holder = asyncio.create_task(client.post("/v1/intakes", json=INTAKE, headers=headers))
        await pool_reaches(pool, lambda stats: stats["pool_available"] == 0 and stats.get("requests_waiting", 0) == 0)
        waiter = asyncio.create_task(client.post("/v1/intakes", json=INTAKE, headers=headers))
        await pool_reaches(pool, lambda stats: stats.get("requests_waiting", 0) == 1)
        started = time.monotonic()
        refused = await client.post("/v1/intakes", json=INTAKE, headers=headers)
        assert time.monotonic() - started < 1
        assert refused.status_code == 503
        assert "retry-after" in refused.headers
        await asyncio.gather(holder, waiter)
