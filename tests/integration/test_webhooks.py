"""Signed callbacks: allow-list, Standard Webhooks signatures, retries, the delivery log, SSRF refusals.

The receiver is a real HTTP server on loopback; the deliveries are made by a real worker process.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest
from triage_client.webhooks import WebhookVerificationError, verify

from tasks.webhooks import signature
from tests.conftest import KeyFactory
from tests.helpers import ProcessGroup, Receiver, bearer, child_env

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
INTAKE = {"patient_id": "P-hook", "age": 44, "symptoms": ["cough"], "urgency": "low"}


def webhooks_cli(database_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "runtime", "webhooks", *args],
        env=child_env(database_url),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def rotate(database_url: str, tenant: str, overlap_hours: str = "24") -> str:
    done = webhooks_cli(database_url, "rotate-secret", "--tenant", tenant, "--overlap-hours", overlap_hours)
    assert done.returncode == 0, done.stderr
    return done.stdout.split()[0]


@pytest.fixture
def api(database_url: str, processes: ProcessGroup) -> str:
    processes.start(
        ["worker", "--concurrency", "2"],
        child_env(database_url, TRIAGE_WEBHOOK_RETRY_WAIT="0.2", TRIAGE_WEBHOOK_MAX_ATTEMPTS="4"),
        "worker",
    )
    return processes.start_api(child_env(database_url))


async def _deliveries(api: str, headers: dict[str, str], intake_id: str, until: str) -> list[dict[str, Any]]:
    deadline = time.monotonic() + 30
    async with httpx.AsyncClient(base_url=api) as client:
        while True:
            found = await client.get(f"/v1/intakes/{intake_id}/deliveries", headers=headers)
            assert found.status_code == 200, found.text
            items: list[dict[str, Any]] = found.json()["items"]
            if items and items[0]["status"] == until:
                return items
            assert time.monotonic() < deadline, items
            await asyncio.sleep(0.2)


def test_the_signature_is_the_standard_webhooks_one() -> None:
    # The worked example published with the Standard Webhooks specification.
    assert (
        signature(
            ["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"],
            "msg_p5jXN8AQM9LWM0D4loKWxJek",
            1614265330,
            b'{"test": 2432232314}',
        )
        == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
    )


async def test_a_finished_intake_is_called_back_signed_without_patient_data_and_logged(
    api: str, database_url: str, make_key: KeyFactory, receiver: Receiver
) -> None:
    headers = bearer(await make_key())
    prefix = f"http://127.0.0.1:{receiver.port}/hooks/"
    assert (
        webhooks_cli(
            database_url, "allow", "--tenant", "clinic-a", "--url-prefix", prefix, "--allow-private"
        ).returncode
        == 0
    )
    secret = rotate(database_url, "clinic-a")
    async with httpx.AsyncClient(base_url=api) as client:
        accepted = await client.post("/v1/intakes", json={**INTAKE, "callback_url": prefix + "triage"}, headers=headers)
    assert accepted.status_code == 202, accepted.text
    intake_id = accepted.json()["intake_id"]
    (call,) = receiver.wait_for(1)
    sent, body = call.headers, call.body
    event = verify(secret, sent, body)  # raises if the signature or the timestamp is wrong
    assert event["type"] == "intake.triaged"
    assert event["data"]["intake_id"] == intake_id and event["data"]["status"] == "triaged"
    assert b"P-hook" not in body  # ids and status only
    with pytest.raises(WebhookVerificationError):
        verify(secret, sent, body.replace(b"triaged", b"failed!"))  # tampered
    with pytest.raises(WebhookVerificationError):
        verify(secret, sent, body, now=int(sent["webhook-timestamp"]) + 301)  # replayed later
    (delivery,) = await _deliveries(api, headers, intake_id, until="delivered")
    assert (delivery["attempts"], delivery["last_status_code"], delivery["url"]) == (1, 200, prefix + "triage")


async def test_a_failing_receiver_is_retried_with_the_same_id_until_it_answers(
    api: str, database_url: str, make_key: KeyFactory, receiver: Receiver
) -> None:
    headers = bearer(await make_key())
    prefix = f"http://127.0.0.1:{receiver.port}/"
    webhooks_cli(database_url, "allow", "--tenant", "clinic-a", "--url-prefix", prefix, "--allow-private")
    secret = rotate(database_url, "clinic-a")
    receiver.answers = [500, 503]
    async with httpx.AsyncClient(base_url=api) as client:
        accepted = await client.post("/v1/intakes", json={**INTAKE, "callback_url": prefix}, headers=headers)
    calls = receiver.wait_for(3)
    assert len({call.headers["webhook-id"] for call in calls}) == 1  # one message, three attempts
    for call in calls:
        verify(secret, call.headers, call.body)  # each attempt signed afresh
    (delivery,) = await _deliveries(api, headers, accepted.json()["intake_id"], until="delivered")
    assert delivery["attempts"] == 3


async def test_a_receiver_that_never_answers_is_given_up_after_the_attempts(
    api: str, database_url: str, make_key: KeyFactory, receiver: Receiver
) -> None:
    headers = bearer(await make_key())
    prefix = f"http://127.0.0.1:{receiver.port}/"
    webhooks_cli(database_url, "allow", "--tenant", "clinic-a", "--url-prefix", prefix, "--allow-private")
    rotate(database_url, "clinic-a")
    receiver.answers = [500] * 10
    async with httpx.AsyncClient(base_url=api) as client:
        accepted = await client.post("/v1/intakes", json={**INTAKE, "callback_url": prefix}, headers=headers)
    (delivery,) = await _deliveries(api, headers, accepted.json()["intake_id"], until="failed")
    assert (delivery["attempts"], delivery["last_status_code"]) == (4, 500)  # TRIAGE_WEBHOOK_MAX_ATTEMPTS=4
    assert delivery["last_error"] == "answered 500"


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
async def test_a_private_destination_is_refused_unless_allow_listed_as_private(
    api: str, database_url: str, make_key: KeyFactory, receiver: Receiver, host: str
) -> None:
    headers = bearer(await make_key())
    prefix = f"https://{host}:{receiver.port}/"  # allow-listed, but not as a private destination
    assert webhooks_cli(database_url, "allow", "--tenant", "clinic-a", "--url-prefix", prefix).returncode == 0
    rotate(database_url, "clinic-a")
    async with httpx.AsyncClient(base_url=api) as client:
        accepted = await client.post("/v1/intakes", json={**INTAKE, "callback_url": prefix}, headers=headers)
    (delivery,) = await _deliveries(api, headers, accepted.json()["intake_id"], until="failed")
    assert delivery["attempts"] == 1  # refused at once, not retried
    assert "private" in delivery["last_error"]
    assert receiver.calls == []  # no connection was made


async def test_a_callback_url_outside_the_allow_list_is_a_422_and_nothing_is_stored(
    api: str, database_url: str, make_key: KeyFactory, owner_conn: psycopg.Connection[Any]
) -> None:
    headers = bearer(await make_key())
    webhooks_cli(database_url, "allow", "--tenant", "clinic-a", "--url-prefix", "https://hooks.example.org/a/")
    async with httpx.AsyncClient(base_url=api) as client:
        for url in (
            "https://hooks.example.org/b/",
            "https://hooks.example.org.evil.test/a/",
            "http://169.254.169.254/",
        ):
            refused = await client.post("/v1/intakes", json={**INTAKE, "callback_url": url}, headers=headers)
            assert refused.status_code == 422, url
            assert [e["field"] for e in refused.json()["errors"]] == ["callback_url"]
    assert owner_conn.execute("SELECT count(*) FROM intakes").fetchone() == (0,)
    queued = "SELECT count(*) FROM procrastinate_jobs WHERE queue_name IN ('triage', 'webhooks')"
    assert owner_conn.execute(queued).fetchone() == (0,)


async def test_plain_http_needs_the_private_flag(database_url: str, make_key: KeyFactory) -> None:
    await make_key()  # the tenant
    refused = webhooks_cli(database_url, "allow", "--tenant", "clinic-a", "--url-prefix", "http://hooks.example.org/")
    assert refused.returncode == 2


async def test_during_a_rotation_both_secrets_sign(
    api: str, database_url: str, make_key: KeyFactory, receiver: Receiver
) -> None:
    headers = bearer(await make_key())
    prefix = f"http://127.0.0.1:{receiver.port}/"
    webhooks_cli(database_url, "allow", "--tenant", "clinic-a", "--url-prefix", prefix, "--allow-private")
    old = rotate(database_url, "clinic-a")
    new = rotate(database_url, "clinic-a", overlap_hours="1")
    async with httpx.AsyncClient(base_url=api) as client:
        await client.post("/v1/intakes", json={**INTAKE, "callback_url": prefix}, headers=headers)
    (call,) = receiver.wait_for(1)
    sent, body = call.headers, call.body
    assert len(sent["webhook-signature"].split()) == 2
    assert verify(old, sent, body) == verify(new, sent, body)  # receivers on either secret accept it
    # Once the overlap is over (0 h), only the newest signs.
    newest = rotate(database_url, "clinic-a", overlap_hours="0")
    async with httpx.AsyncClient(base_url=api) as client:
        await client.post("/v1/intakes", json={**INTAKE, "callback_url": prefix}, headers=headers)
    latest = receiver.wait_for(2)[1]
    sent, body = latest.headers, latest.body
    assert len(sent["webhook-signature"].split()) == 1
    verify(newest, sent, body)
    with pytest.raises(WebhookVerificationError):
        verify(new, sent, body)
    assert json.loads(body)["type"] == "intake.triaged"
