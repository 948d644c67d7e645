"""A canary placed in every text field of an intake never reaches a log line, an error body or a job.

Real processes: the API (uvicorn) and a worker (Procrastinate) run as subprocesses at DEBUG level and
everything they print is searched — across success, validation error, worker failure and retry paths.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from typing import Any

import httpx
import psycopg

from tests.conftest import KeyFactory
from tests.helpers import ProcessGroup, bearer, child_env

CANARY = f"CNRY-{uuid.uuid4().hex[:10]}"


def leaks(places: dict[str, str]) -> list[str]:
    """The places (named) whose text carries the canary; every text field of the intake carries it."""
    return [f"{name}: {text}" for name, text in places.items() if CANARY in text]


def canary_intake() -> dict[str, Any]:
    return {
        "patient_id": CANARY,
        "age": 71,
        "sex": "female",
        "symptoms": [f"{CANARY} chest pain", f"{CANARY}'s cough"],
        "urgency": "high",
        "vitals": {"respiratory_rate": 24, "spo2": 93, "heart_rate": 112, "consciousness": "alert"},
        "notes": f"lives alone; {CANARY}; no allergies",
        "pregnant": False,
    }


async def _wait_status(client: httpx.AsyncClient, intake_id: str, wanted: str) -> dict[str, Any]:
    deadline = time.monotonic() + 30
    while True:
        body: dict[str, Any] = (await client.get(f"/v1/intakes/{intake_id}")).json()
        if body["status"] == wanted or time.monotonic() > deadline:
            return body
        await asyncio.sleep(0.2)


async def test_canary_never_leaks(
    make_key: KeyFactory, database_url: str, owner_conn: psycopg.Connection[Any], processes: ProcessGroup
) -> None:
    token = await make_key(scopes=("intake:write", "intake:read", "admin"))
    env = child_env(database_url, TRIAGE_LOG_LEVEL="DEBUG", TRIAGE_JOB_MAX_ATTEMPTS="2")
    base = processes.start_api(env)
    error_bodies: list[str] = []
    request_ids: list[str] = []

    async def note_request_id(response: httpx.Response) -> None:
        request_ids.append(response.headers["x-request-id"])

    async with httpx.AsyncClient(
        base_url=base, headers=bearer(token), event_hooks={"response": [note_request_id]}
    ) as client:
        # Worker failure and retry path, set up before any worker runs: the stored payload is damaged
        # so that building the engine input raises an exception whose message quotes the canary.
        failing = (await client.post("/v1/intakes", json=canary_intake())).json()
        owner_conn.execute(
            "UPDATE intakes SET payload = jsonb_set(payload, '{vitals}', jsonb_build_object(%s::text, 1))"
            " WHERE id = %s",
            (CANARY, failing["intake_id"]),
        )
        processes.start(["worker", "--concurrency", "2"], env, "worker")

        # Success path: submit, triage, read back every way.
        accepted = (await client.post("/v1/intakes", json=canary_intake())).json()
        triaged = await _wait_status(client, accepted["intake_id"], "triaged")
        assert triaged["status"] == "triaged", processes.logs()
        # The data is served to its rightful reader (and the check below does find it there)...
        assert leaks({"the intake as served": str(triaged)})
        for path in (f"/v1/patients/{CANARY}/intakes", f"/intake/{CANARY}", f"/v1/audit?patient_id={CANARY}"):
            assert (await client.get(path)).status_code == 200
        assert (await client.post("/intake/store", json=canary_intake())).status_code == 200

        # Validation errors with the canary in the offending values and in unknown fields.
        for bad in (
            {**canary_intake(), "age": -1, "urgency": CANARY},
            {**canary_intake(), "sex": CANARY, "vitals": {"consciousness": CANARY}},
            {**canary_intake(), "unknown_field": CANARY},
            {**canary_intake(), "patient_id": f"{CANARY} with spaces"},
            {**canary_intake(), "symptoms": [CANARY * 30]},
        ):
            response = await client.post("/v1/intakes", json=bad)
            assert response.status_code == 422
            error_bodies.append(response.text)
        malformed = await client.post(
            "/v1/intakes",
            content=f'{{"patient_id": "{CANARY}", '.encode(),
            headers={"Content-Type": "application/json"},
        )
        assert malformed.status_code == 400
        error_bodies.append(malformed.text)
        for path in (f"/v1/patients/{CANARY}%20x/intakes", f"/intake/{CANARY}%2Fx"):
            response = await client.get(path)
            assert response.status_code in {404, 422}
            error_bodies.append(response.text)
        unauthenticated = await client.get(f"/v1/patients/{CANARY}/intakes", headers={"Authorization": "Bearer x"})
        error_bodies.append(unauthenticated.text)

        failed = await _wait_status(client, failing["intake_id"], "failed")
        assert failed["status"] == "failed", processes.logs()

        metrics_key = await make_key(scopes=("metrics:read",), name="scraper")
        metrics = await client.get("/metrics", headers=bearer(metrics_key))
        assert metrics.status_code == 200, metrics.text
        assert "triage_" in metrics.text

    processes.stop()
    logs = processes.logs()
    # What is searched below really covers this test's traffic: a log line for every request, the worker's
    # failure path logged, a job for each accepted intake.
    assert request_ids
    for request_id in request_ids:
        assert request_id in logs, f"no log line for request {request_id}"
    assert "triage failed for good" in logs
    job_args = [args for (args,) in owner_conn.execute("SELECT args::text FROM procrastinate_jobs")]
    assert len(job_args) >= 3

    assert not leaks(
        {
            **{f"log line {n}": line for n, line in enumerate(logs.splitlines())},
            **{f"error body {n}": body for n, body in enumerate(error_bodies)},
            **{f"job args {n}": args for n, args in enumerate(job_args)},
            "failure reason": str(failed["failure_reason"]),
            **{f"metrics line {n}": line for n, line in enumerate(metrics.text.splitlines())},
        }
    )


# A tracer provider that records the spans started with it, set up as a deployment's OpenTelemetry set-up
# would (`opentelemetry-instrument`, or the SDK in a site customisation): FastAPI's own tracing would then
# put each request's raw path, and so the patient id in it, into `url.path` on every span.
TRACED_REQUEST = """
import asyncio, json, sys
import httpx
from opentelemetry import trace

spans = []

class RecordingTracer(trace.NoOpTracer):
    def start_span(self, name, context=None, kind=trace.SpanKind.INTERNAL, attributes=None, *args, **kwargs):
        spans.append([name, {k: str(v) for k, v in (attributes or {}).items()}])
        return super().start_span(name, context, kind, attributes, *args, **kwargs)

class RecordingProvider(trace.TracerProvider):
    def get_tracer(self, *args, **kwargs):
        return RecordingTracer()

trace.set_tracer_provider(RecordingProvider())

from api.app import create_app

async def main():
    transport = httpx.ASGITransport(app=create_app())
    async with httpx.AsyncClient(transport=transport, base_url="http://api") as client:
        response = await client.get(f"/v1/patient-files/{sys.argv[1]}")
    print(json.dumps({"status": response.status_code, "spans": spans}))

asyncio.run(main())
"""


def test_a_configured_tracer_gets_no_span_and_so_no_patient_id(database_url: str) -> None:
    import json
    import subprocess
    import sys

    from tests.helpers import ROOT

    done = subprocess.run(
        [sys.executable, "-c", TRACED_REQUEST, CANARY],
        env=child_env(database_url),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["status"] == 404  # through every middleware to the router, which knows no such path
    assert result["spans"] == []
    assert CANARY not in done.stdout + done.stderr
