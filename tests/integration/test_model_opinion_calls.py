"""The model second opinion (tasks.model_opinion) called in the test's own process, against a fake
OpenAI-compatible `/v1/chat/completions` on loopback.

test_model_opinion drives the same code through a worker process; here each call is made directly, so that
what is sent (the exact body, the key, no patient id, free text only when allowed), how the answer is read,
and what comes back (never less urgent than the rules, and raised by exactly what the model said) are pinned.
"""

from __future__ import annotations

import copy
import hashlib
import json
import socket
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from uuid import UUID

import httpx
import psycopg
import pytest

from runtime.settings import Settings
from store.pool import Pool
from tasks import triage
from tasks.engine_process import EngineResult, assess_payload
from tasks.model_opinion import DISPOSITIONS, INSTRUCTIONS, ModelMode, Opinion, request_body, second_opinion
from tests.conftest import KeyFactory
from tests.helpers import bearer, make_settings

pytestmark = pytest.mark.integration

MODEL = "fake-model-1"
API_KEY = "sk-test-model-key"
TIMEOUT = 0.5
# A stored payload as the API writes it: the patient id, free text, structured fields and a callback URL.
PAYLOAD: dict[str, Any] = {
    "patient_id": "P-model-1",
    "age": 34,
    "sex": "female",
    "pregnant": False,
    "symptoms": ["sore throat for two days"],
    "notes": "lives alone — worried",
    "urgency": "low",
    "complaints": ["fever"],
    "findings": [],
    "vitals": {"temperature_c": 38.1, "heart_rate": 88},
    "callback_url": "https://agent.example/hook",
}
STRUCTURED = {
    "age": 34,
    "sex": "female",
    "pregnant": False,
    "urgency": "low",
    "complaints": ["fever"],
    "findings": [],
    "vitals": {"temperature_c": 38.1, "heart_rate": 88},
}
RULES = assess_payload(PAYLOAD)  # ESI 4, consultation
# The middle of both scales with a bare assessment: every model answer is either side of it, and a raise must
# build the rationale and review reasons from nothing.
MIDDLE = EngineResult(3, "consultation_24", {}, "triage-rules", "1.0")


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


def chat(content: Any) -> bytes:
    """A chat completion whose message content is `content` (JSON-encoded unless already a string)."""
    text = content if isinstance(content, str) else json.dumps(content)
    return json.dumps({"choices": [{"message": {"role": "assistant", "content": text}}]}).encode()


@dataclass
class FakeModel:
    url: str = ""
    status: int = 200
    reply: bytes = field(default_factory=lambda: chat({"acuity": 1, "disposition": "emergency_ambulance"}))
    delay: float = 0.0
    received: list[Received] = field(default_factory=list)
    release: threading.Event = field(default_factory=threading.Event)

    def answer(self, content: Any) -> None:
        self.reply = chat(content)


class _Server(ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        # A timed-out call has hung up by the time its late answer is written: that broken pipe is expected.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@pytest.fixture
def model() -> Iterator[FakeModel]:
    fake = FakeModel()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            fake.received.append(Received(self.path, {k.lower(): v for k, v in self.headers.items()}, body))
            if fake.delay:
                fake.release.wait(fake.delay)  # set at teardown: a slow answer never outlives the test
            self.send_response(fake.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(fake.reply)))
            self.end_headers()
            self.wfile.write(fake.reply)

        def log_message(self, *_: Any) -> None:
            pass

    server = _Server(("127.0.0.1", 0), Handler)
    fake.url = f"http://127.0.0.1:{server.server_address[1]}/v1"
    # A short poll: shutdown() waits for the loop to notice, 0.5 s by default, on every test.
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()
    yield fake
    fake.release.set()
    server.shutdown()
    server.server_close()


def model_settings(url: str | None, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "model_url": url,
        "model_name": MODEL,
        "model_api_key": API_KEY,
        "model_timeout_seconds": TIMEOUT,
    }
    return make_settings("postgresql://unused/triage", **{**values, **overrides})


async def _opinion(
    model: FakeModel, result: EngineResult = RULES, mode: ModelMode = "on", **overrides: Any
) -> tuple[EngineResult, Opinion]:
    returned, opinion = await second_opinion(model_settings(model.url, **overrides), PAYLOAD, mode, result)
    assert opinion is not None
    return returned, opinion


def _user_message(body: bytes) -> dict[str, Any]:
    message: dict[str, Any] = json.loads(json.loads(body)["messages"][1]["content"])
    return message


async def test_the_request_is_the_structured_intake_and_the_rules_answer_with_the_key_and_no_patient_id(
    model: FakeModel,
) -> None:
    await _opinion(model, model_url=model.url + "/")  # a trailing slash on the base URL is not doubled
    (request,) = model.received
    assert request.path == "/v1/chat/completions"
    assert request.headers["authorization"] == f"Bearer {API_KEY}"
    assert request.headers["content-type"] == "application/json"
    # Keys sorted at every level and no spaces: the prompt's bytes, and so its audited hash, are stable.
    expected_message = json.dumps(
        {"intake": STRUCTURED, "rules": {"acuity": 4, "disposition": "consultation"}},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    assert json.loads(request.body) == {
        "model": MODEL,
        "temperature": 0,
        "response_format": {"type": "json_object"},
        "messages": [{"role": "system", "content": INSTRUCTIONS}, {"role": "user", "content": expected_message}],
    }
    # Neither the patient id nor the free text nor the callback URL leaves the service under `on`.
    for private in (b"P-model-1", b"sore throat", b"lives alone", b"agent.example"):
        assert private not in request.body
    # The system prompt asks for the schema the answer is checked against, with every disposition.
    assert '{"acuity": <ESI 1-5, 1 most urgent>' in INSTRUCTIONS
    assert all(disposition in INSTRUCTIONS for disposition in DISPOSITIONS)


async def test_free_text_goes_to_the_model_only_under_on_with_free_text(model: FakeModel) -> None:
    await _opinion(model, mode="on_with_free_text")
    (request,) = model.received
    assert _user_message(request.body)["intake"] == {
        **STRUCTURED,
        "symptoms": ["sore throat for two days"],
        "notes": "lives alone — worried",
    }
    assert b"P-model-1" not in request.body and b"agent.example" not in request.body


async def test_without_a_key_no_authorization_header_is_sent(model: FakeModel) -> None:
    _, opinion = await _opinion(model, model_api_key=None)
    assert opinion.status == "raised"
    assert "authorization" not in model.received[0].headers


async def test_off_or_without_a_model_url_nothing_is_asked_and_the_result_is_returned_as_it_was(
    model: FakeModel,
) -> None:
    assert await second_opinion(model_settings(model.url), PAYLOAD, "off", RULES) == (RULES, None)
    assert await second_opinion(model_settings(None), PAYLOAD, "on", RULES) == (RULES, None)
    assert await second_opinion(model_settings(""), PAYLOAD, "on_with_free_text", RULES) == (RULES, None)
    assert model.received == []


@pytest.mark.parametrize("disposition", DISPOSITIONS)
@pytest.mark.parametrize("acuity", [1, 2, 3, 4, 5])
async def test_the_result_is_only_ever_raised_and_by_exactly_what_the_model_said(
    model: FakeModel, acuity: int, disposition: str
) -> None:
    model.answer({"acuity": acuity, "disposition": disposition, "rationale": "second reading"})
    returned, opinion = await _opinion(model, MIDDLE)
    rank = min(DISPOSITIONS.index(disposition), DISPOSITIONS.index("consultation_24"))
    final = (min(acuity, 3), DISPOSITIONS[rank])
    assert (returned.acuity, returned.disposition) == final
    (request,) = model.received
    # The opinion is the model's own answer, whatever became of it, with the hash of the exact prompt sent.
    assert (opinion.model, opinion.prompt_sha256) == (MODEL, hashlib.sha256(request.body).hexdigest())
    assert (opinion.acuity, opinion.disposition) == (acuity, disposition)
    if final == (3, "consultation_24"):
        assert returned is MIDDLE  # nothing raised: the rules' result, untouched
        agreed = (acuity, disposition) == (3, "consultation_24")
        assert opinion.status == ("agreed" if agreed else "not_more_urgent")
        return
    assert opinion.status == "raised"
    assert (returned.engine_name, returned.engine_version) == ("triage-rules", "1.0")
    assert returned.assessment == {
        "acuity": final[0],
        "disposition": final[1],
        "rationale": [
            f"[MODEL] {MODEL} raised ESI 3/consultation_24 to ESI {final[0]}/{final[1]}; "
            "the rules' answer was the floor"
        ],
        "review_required": True,
        "review_reasons": ["model_raised: a model raised the rules' answer"],
    }
    assert MIDDLE.assessment == {}


async def test_a_raise_keeps_the_rules_rationale_and_review_reasons_and_adds_its_own(model: FakeModel) -> None:
    before = copy.deepcopy(RULES.assessment)
    model.answer({"acuity": 2, "disposition": "emergency", "rationale": "fever with tachycardia"})
    returned, opinion = await _opinion(model)
    assert (opinion.status, returned.acuity, returned.disposition) == ("raised", 2, "emergency")
    assert returned.assessment == {
        **before,
        "acuity": 2,
        "disposition": "emergency",
        "rationale": [
            *before["rationale"],
            f"[MODEL] {MODEL} raised ESI 4/consultation to ESI 2/emergency; the rules' answer was the floor",
        ],
        "review_required": True,
        "review_reasons": [*before["review_reasons"], "model_raised: a model raised the rules' answer"],
    }
    assert RULES.assessment == before  # the rules' own result is not changed in place


@pytest.mark.parametrize(
    "reply",
    [
        pytest.param(chat("this is not JSON"), id="content-not-json"),
        pytest.param(chat({"acuity": 0, "disposition": "emergency"}), id="acuity-0"),
        pytest.param(chat({"acuity": 6, "disposition": "emergency"}), id="acuity-6"),
        pytest.param(chat({"acuity": "2", "disposition": "emergency"}), id="acuity-string"),
        pytest.param(chat({"acuity": 2.0, "disposition": "emergency"}), id="acuity-float"),
        pytest.param(chat({"acuity": True, "disposition": "emergency"}), id="acuity-bool"),
        pytest.param(chat({"acuity": None, "disposition": "emergency"}), id="acuity-null"),
        pytest.param(chat({"acuity": 2, "disposition": "urgent_care"}), id="unknown-disposition"),
        pytest.param(chat({"acuity": 2, "disposition": None}), id="disposition-null"),
        pytest.param(chat({"disposition": "emergency"}), id="no-acuity"),
        pytest.param(chat({"acuity": 2}), id="no-disposition"),
        pytest.param(chat({"acuity": 2, "disposition": "emergency", "rationale": 7}), id="rationale-number"),
        pytest.param(chat({"acuity": 2, "disposition": "emergency", "rationale": ["x"]}), id="rationale-list"),
        pytest.param(chat([2, "emergency"]), id="content-a-list"),
        pytest.param(chat('"emergency"'), id="content-a-string"),
        pytest.param(b"{}", id="no-choices"),
        pytest.param(b'{"choices": []}', id="empty-choices"),
        pytest.param(b'{"choices": [{"message": {}}]}', id="no-content"),
        pytest.param(b'{"choices": [{"message": {"content": {"acuity": 2}}}]}', id="content-not-a-string"),
        pytest.param(b"[]", id="answer-a-list"),
    ],
)
async def test_an_answer_off_the_schema_is_invalid_and_leaves_the_result_as_it_was(
    model: FakeModel, reply: bytes
) -> None:
    model.reply = reply
    returned, opinion = await _opinion(model)
    assert returned is RULES
    digest = hashlib.sha256(model.received[0].body).hexdigest()
    assert opinion == Opinion("invalid", MODEL, digest)


@pytest.mark.parametrize(
    ("content", "taken"),
    [
        pytest.param(
            {"acuity": 1, "disposition": "emergency_ambulance"}, (1, "emergency_ambulance"), id="no-rationale"
        ),
        pytest.param({"acuity": 5, "disposition": "self_care", "rationale": ""}, (5, "self_care"), id="least-urgent"),
        pytest.param(
            {"acuity": 4, "disposition": "consultation", "rationale": "ok", "extra": [1]},
            (4, "consultation"),
            id="extra-keys",
        ),
    ],
)
async def test_an_answer_at_the_edges_of_the_schema_is_taken(
    model: FakeModel, content: dict[str, Any], taken: tuple[int, str]
) -> None:
    model.answer(content)
    _, opinion = await _opinion(model)
    assert opinion.status != "invalid"
    assert (opinion.acuity, opinion.disposition) == taken


def _closed_port_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}/v1"


@pytest.mark.parametrize("failure", ["server-error", "not-json", "refused"])
async def test_a_failed_call_is_an_error_and_leaves_the_result_as_it_was(model: FakeModel, failure: str) -> None:
    url = model.url
    if failure == "server-error":
        model.status = 500  # with an answer that would raise, were the status not checked
    elif failure == "not-json":
        model.reply = b"<html>gateway</html>"
    else:
        url = _closed_port_url()
    settings = model_settings(url)
    returned, opinion = await second_opinion(settings, PAYLOAD, "on", RULES)
    assert returned is RULES
    digest = hashlib.sha256(request_body(settings, PAYLOAD, "on", RULES)).hexdigest()
    assert opinion == Opinion("error", MODEL, digest)


async def test_a_slow_model_is_given_up_at_its_timeout(model: FakeModel) -> None:
    model.delay = 10.0
    started = time.monotonic()
    returned, opinion = await _opinion(model)
    took = time.monotonic() - started
    assert returned is RULES
    assert opinion == Opinion("timeout", MODEL, hashlib.sha256(model.received[0].body).hexdigest())
    assert TIMEOUT * 0.9 <= took < TIMEOUT + 1.0  # waited for the model, but not past its limit


def test_the_record_is_the_status_the_model_the_prompt_hash_and_the_models_answer() -> None:
    assert Opinion("raised", MODEL, "ab" * 32, 2, "emergency").record() == {
        "status": "raised",
        "model": MODEL,
        "prompt_sha256": "ab" * 32,
        "acuity": 2,
        "disposition": "emergency",
    }
    assert Opinion("timeout", MODEL, "cd" * 32).record() == {
        "status": "timeout",
        "model": MODEL,
        "prompt_sha256": "cd" * 32,
        "acuity": None,
        "disposition": None,
    }


async def test_a_run_for_a_tenant_with_the_opinion_on_stores_its_record_and_audits_the_call(
    app_client: httpx.AsyncClient,
    make_key: KeyFactory,
    pool: Pool,
    owner_conn: psycopg.Connection[Any],
    settings: Settings,
    model: FakeModel,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with_model = settings.model_copy(update={"model_url": model.url, "model_name": MODEL})
    monkeypatch.setattr(triage, "get_settings", lambda: with_model)
    intake = {key: value for key, value in PAYLOAD.items() if key != "callback_url"}
    accepted = await app_client.post("/v1/intakes", json=intake, headers=bearer(await make_key()))
    assert accepted.status_code == 202, accepted.text
    intake_id = accepted.json()["intake_id"]
    owner_conn.execute("UPDATE tenants SET model_opinion = 'on' WHERE id = 'clinic-a'")
    job_id = int(accepted.json()["job_id"])
    assert await triage.run_triage(pool, UUID(intake_id), "clinic-a", actor="worker:test", job_id=job_id)
    digest = hashlib.sha256(model.received[0].body).hexdigest()
    stored = owner_conn.execute(
        "SELECT acuity, disposition, assessment -> 'model_opinion' FROM triage_outcomes WHERE intake_id = %s",
        (intake_id,),
    ).fetchone()
    assert stored == (
        1,
        "emergency_ambulance",
        {
            "status": "raised",
            "model": MODEL,
            "prompt_sha256": digest,
            "acuity": 1,
            "disposition": "emergency_ambulance",
        },
    )
    audited = owner_conn.execute(
        "SELECT detail, job_id, actor FROM audit_events WHERE action = 'model.opinion' AND resource_id = %s",
        (intake_id,),
    ).fetchall()
    assert audited == [({"model": MODEL, "prompt_sha256": digest, "status": "raised"}, job_id, "worker:test")]
