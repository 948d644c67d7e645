"""The typed client (client/, `triage-client`) against a real API process and a real worker."""

from __future__ import annotations

import threading
import time
from typing import Any

import httpx
import psycopg
import pytest
from triage_client import (
    Accepted,
    AsyncTriageClient,
    Forbidden,
    Intake,
    NotFound,
    RateLimited,
    Retries,
    TriageClient,
    Unauthorized,
    ValidationFailed,
)

from tests.conftest import KeyFactory
from tests.helpers import ProcessGroup, child_env

pytestmark = pytest.mark.integration

INTAKE = {
    "patient_id": "P-client",
    "age": 67,
    "symptoms": ["shortness of breath"],
    "urgency": "medium",
    "vitals": {"respiratory_rate": 26, "spo2": 90, "heart_rate": 118, "systolic_bp": 98},
}


@pytest.fixture
def api(database_url: str, processes: ProcessGroup) -> str:
    return processes.start_api(child_env(database_url, TRIAGE_EVENT_STREAMS_PER_TENANT="1", TRIAGE_RETRY_AFTER="1"))


@pytest.fixture
def worker(database_url: str, processes: ProcessGroup) -> None:
    processes.start(["worker", "--concurrency", "2"], child_env(database_url), "worker")


async def test_submit_wait_and_history_with_the_sync_client(api: str, worker: None, make_key: KeyFactory) -> None:
    with TriageClient(api, await make_key()) as client:
        accepted = client.submit(INTAKE)
        assert isinstance(accepted, Accepted)
        intake = client.wait(accepted.intake_id, seconds=30)
        assert intake.status == "triaged" and intake.finished
        assert intake.outcome is not None
        outcome = intake.outcome
        assert outcome.assessment.news2.score is not None and outcome.assessment.news2.score >= 7
        assert outcome.acuity == outcome.assessment.acuity <= 2
        assert outcome.assessment.esi is not None
        assert [item.intake_id for item in client.history("P-client", page_size=1)] == [accepted.intake_id]


async def test_the_async_client_submits_and_gets_the_outcome_in_one_call(
    api: str, worker: None, make_key: KeyFactory
) -> None:
    async with AsyncTriageClient(api, await make_key()) as client:
        finished = await client.submit(INTAKE, wait=25)
        assert isinstance(finished, Intake) and finished.status == "triaged"
        again = await client.get(finished.intake_id)
        assert again.outcome == finished.outcome
        assert [item.intake_id async for item in client.history("P-client")] == [finished.intake_id]


class LosesFirstResponse(httpx.HTTPTransport):
    """A network that delivers the first request but loses its answer (the client sees a read timeout)."""

    def __init__(self) -> None:
        super().__init__()
        self.keys: list[str | None] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.keys.append(request.headers.get("Idempotency-Key"))
        response = super().handle_request(request)
        if len(self.keys) == 1:
            response.read()
            raise httpx.ReadTimeout("answer lost", request=request)
        return response


async def test_a_retried_submission_reuses_its_idempotency_key_and_is_stored_once(
    api: str, make_key: KeyFactory, owner_conn: psycopg.Connection[Any]
) -> None:
    network = LosesFirstResponse()
    http = httpx.Client(base_url=api, transport=network)
    with TriageClient(api, await make_key(), http=http, retries=Retries(backoff_seconds=0.05)) as client:
        accepted = client.submit(INTAKE)
    assert len(network.keys) == 2 and network.keys[0] == network.keys[1] and network.keys[0]
    assert owner_conn.execute("SELECT count(*) FROM intakes").fetchone() == (1,)
    assert owner_conn.execute("SELECT id FROM intakes").fetchone() == (accepted.intake_id,)


async def test_errors_are_typed_problems(api: str, make_key: KeyFactory) -> None:
    with TriageClient(api, await make_key()) as client:
        with pytest.raises(NotFound) as missing:
            client.get("00000000-0000-4000-8000-000000000000")
        assert missing.value.status == 404 and missing.value.request_id
        with pytest.raises(ValidationFailed) as invalid:
            client.submit({**INTAKE, "age": -4})
        assert [error["field"] for error in invalid.value.errors] == ["age"]
    with TriageClient(api, "tq_test_nosuchkey_000") as client, pytest.raises(Unauthorized):
        client.get("00000000-0000-4000-8000-000000000000")
    with TriageClient(api, await make_key(scopes=("intake:write",))) as client, pytest.raises(Forbidden):
        client.submit(INTAKE, wait=5)  # waiting needs intake:read


def _hold_the_only_stream(api: str, key: str) -> threading.Event:
    """Open the tenant's only allowed stream (TRIAGE_EVENT_STREAMS_PER_TENANT=1); closed when the event is set."""
    opened, release = threading.Event(), threading.Event()

    def hold() -> None:
        with httpx.stream("GET", f"{api}/v1/events", headers={"Authorization": f"Bearer {key}"}, timeout=30) as r:
            assert r.status_code == 200
            opened.set()
            release.wait(20)

    threading.Thread(target=hold, daemon=True).start()
    assert opened.wait(10)
    return release


async def test_a_429_is_retried_after_its_retry_after_and_raised_when_retries_run_out(
    api: str, make_key: KeyFactory, owner_conn: psycopg.Connection[Any]
) -> None:
    key = await make_key()
    release = _hold_the_only_stream(api, key)
    with TriageClient(api, key, retries=Retries(attempts=1)) as client:
        started = time.monotonic()
        with pytest.raises(RateLimited):
            next(client.events())
        assert time.monotonic() - started >= 1.0  # waited the server's Retry-After (1 s) once
    # Retried until the held stream closes (after 1.5 s); then an intake finishing reaches this client.
    with TriageClient(api, key, retries=Retries(attempts=10)) as client:
        intake = client.submit(INTAKE)
        threading.Timer(1.5, release.set).start()
        stream = client.events(last_event_id=0)
        owner_conn.execute(
            "UPDATE intakes SET status = 'failed', failure_reason = 'engine' WHERE id = %s", (intake.intake_id,)
        )
        event = next(stream)
    assert event.intake_id == intake.intake_id and event.type == "intake.failed"


async def test_events_arrive_and_resume_after_the_last_one_seen(api: str, worker: None, make_key: KeyFactory) -> None:
    async with AsyncTriageClient(api, await make_key()) as client:
        stream = client.events()
        first = await client.submit(INTAKE)
        event = await anext(stream)
        assert event.intake_id == first.intake_id and event.type == "intake.triaged"
        await stream.aclose()
        missed = await client.submit({**INTAKE, "patient_id": "P-client-2"})
        await client.wait(missed.intake_id, seconds=30)
        resumed = client.events(last_event_id=event.event_id)
        nxt = await anext(resumed)
        await resumed.aclose()
        assert nxt.intake_id == missed.intake_id and nxt.event_id > event.event_id
