"""The model second opinion: a fake OpenAI-compatible server on loopback, a real worker process.

The fake answers well (raising), lowering, malformed, out of range, with an error, or slowly; in no case
may the outcome be less urgent than the rules', and a slow model may not hold the outcome past its timeout.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest

from tasks.engine_process import assess_payload
from tests.conftest import KeyFactory
from tests.helpers import ProcessGroup, bearer, child_env

pytestmark = pytest.mark.integration

INTAKE = {
    "patient_id": "P-model-7",
    "age": 58,
    "symptoms": ["tight chest after climbing stairs"],
    "notes": "lives alone",
    "urgency": "medium",
    "vitals": {"heart_rate": 96, "respiratory_rate": 18, "spo2": 97, "systolic_bp": 142},
}
TIMEOUT = 1.0
ANSWERS: dict[str, Any] = {
    "raise": {"acuity": 1, "disposition": "emergency_ambulance", "rationale": "possible ACS"},
    "lower": {"acuity": 5, "disposition": "self_care", "rationale": "looks fine"},
    "malformed": "this is not JSON",
    "out_of_range": {"acuity": 9, "disposition": "emergency", "rationale": "x"},
}


class FakeModel:
    def __init__(self) -> None:
        self.behaviour = "raise"
        self.bodies: list[bytes] = []
        model = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                model.bodies.append(self.rfile.read(int(self.headers["Content-Length"])))
                if model.behaviour == "slow":
                    time.sleep(TIMEOUT * 6)
                if model.behaviour == "error":
                    self.send_response(500)
                    self.end_headers()
                    return
                answer = ANSWERS.get(model.behaviour, ANSWERS["raise"])
                content = answer if isinstance(answer, str) else json.dumps(answer)
                body = json.dumps({"choices": [{"message": {"role": "assistant", "content": content}}]}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *_: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def model() -> Iterator[FakeModel]:
    fake = FakeModel()
    yield fake
    fake.server.shutdown()
    fake.server.server_close()


@pytest.fixture
def worker(database_url: str, processes: ProcessGroup, model: FakeModel, tmp_path: Path) -> None:
    ready = tmp_path / "worker-ready"
    env = child_env(
        database_url,
        TRIAGE_MODEL_URL=model.url,
        TRIAGE_MODEL_NAME="fake-model-1",
        TRIAGE_MODEL_TIMEOUT=str(TIMEOUT),
        TRIAGE_WORKER_READY_FILE=str(ready),
    )
    processes.start(["worker", "--concurrency", "2"], env, "worker")
    deadline = time.monotonic() + 30
    while not ready.exists():
        assert time.monotonic() < deadline, processes.logs()
        time.sleep(0.1)


async def _triaged(client: httpx.AsyncClient, headers: dict[str, str]) -> dict[str, Any]:
    answered = await client.post("/v1/intakes", params={"wait": 25}, json=INTAKE, headers=headers)
    assert answered.status_code == 200, answered.text
    body: dict[str, Any] = answered.json()
    assert body["status"] == "triaged"
    return body


RULES = assess_payload(INTAKE, "escalate")


@pytest.mark.parametrize(
    ("behaviour", "status"),
    [
        ("raise", "raised"),
        ("lower", "not_more_urgent"),
        ("malformed", "invalid"),
        ("out_of_range", "invalid"),
        ("error", "error"),
        ("slow", "timeout"),
    ],
)
async def test_the_model_can_only_raise_the_rules_answer(
    app_client: httpx.AsyncClient,
    make_key: KeyFactory,
    owner_conn: psycopg.Connection[Any],
    model: FakeModel,
    worker: None,
    behaviour: str,
    status: str,
) -> None:
    headers = bearer(await make_key())
    owner_conn.execute("UPDATE tenants SET model_opinion = 'on' WHERE id = 'clinic-a'")
    model.behaviour = behaviour
    intake = await _triaged(app_client, headers)
    outcome = intake["outcome"]
    assert outcome["model_opinion"]["status"] == status
    assert outcome["model_opinion"]["model"] == "fake-model-1"
    # Never less urgent than the rules (lower ESI number and disposition rank are more urgent).
    assert outcome["acuity"] <= RULES.acuity
    if status == "raised":
        assert (outcome["acuity"], outcome["disposition"]) == (1, "emergency_ambulance")
        assert outcome["assessment"]["review_required"] is True
        assert any(r.startswith("model_raised") for r in outcome["assessment"]["review_reasons"])
    else:
        assert (outcome["acuity"], outcome["disposition"]) == (RULES.acuity, RULES.disposition)
    if behaviour == "slow":
        took = owner_conn.execute(
            "SELECT extract(epoch FROM o.created_at - i.created_at) FROM triage_outcomes o"
            " JOIN intakes i ON i.id = o.intake_id WHERE o.intake_id = %s",
            (intake["intake_id"],),
        ).fetchone()
        assert took is not None and float(took[0]) < TIMEOUT + 2.0  # the model's 6 s never held the outcome


async def test_the_prompt_carries_no_patient_id_and_free_text_only_when_allowed_and_each_call_is_audited(
    app_client: httpx.AsyncClient,
    make_key: KeyFactory,
    owner_conn: psycopg.Connection[Any],
    model: FakeModel,
    worker: None,
) -> None:
    headers = bearer(await make_key())
    owner_conn.execute("UPDATE tenants SET model_opinion = 'on' WHERE id = 'clinic-a'")
    first = await _triaged(app_client, headers)
    owner_conn.execute("UPDATE tenants SET model_opinion = 'on_with_free_text' WHERE id = 'clinic-a'")
    await _triaged(app_client, headers)
    structured, with_text = model.bodies
    for body in (structured, with_text):
        assert b"P-model-7" not in body
    assert b"tight chest" not in structured and b"lives alone" not in structured
    assert b"tight chest" in with_text and b"lives alone" in with_text
    audited = owner_conn.execute(
        "SELECT detail FROM audit_events WHERE action = 'model.opinion' AND resource_id = %s", (first["intake_id"],)
    ).fetchone()
    assert audited is not None
    assert audited[0] == {
        "model": "fake-model-1",
        "prompt_sha256": hashlib.sha256(structured).hexdigest(),
        "status": "raised",
    }


async def test_off_by_default(
    app_client: httpx.AsyncClient, make_key: KeyFactory, model: FakeModel, worker: None
) -> None:
    intake = await _triaged(app_client, bearer(await make_key()))
    assert intake["outcome"]["model_opinion"] is None
    assert model.bodies == []
