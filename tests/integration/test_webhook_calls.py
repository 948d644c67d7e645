"""Webhooks in the test's own process: the store's allow-list, secrets and delivery log; the `deliver_webhook`
job as a worker runs it; the SSRF-guarded transport.

test_webhooks.py drives the same features through real API and worker processes; here each function is
called directly (on the real database, against a real HTTP receiver on loopback), so that the assertions
reach every branch and mutation testing can tell which tests exercise which function.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import socket
import time
from datetime import UTC
from types import SimpleNamespace
from typing import Any
from uuid import uuid4

import anyio
import httpcore
import httpx
import orjson
import psycopg
import pytest
from psycopg import sql
from triage_client.webhooks import verify

from runtime.settings import Settings
from store import webhooks
from store.pool import Pool, open_pool
from store.tenancy import tenant_transaction
from store.webhooks import AllowedDestination
from tasks import triage, webhook_transport
from tasks import webhooks as webhook_tasks
from tasks.webhook_transport import DestinationRefused, GuardedBackend, post
from tasks.webhooks import DeliveryAbandoned, DeliveryFailed, WebhookRetry, deliver_webhook, new_secret
from tests.conftest import KeyFactory
from tests.helpers import Receiver, bearer, make_settings

pytestmark = pytest.mark.integration

INTAKE = {"patient_id": "P-hook", "age": 44, "symptoms": ["cough"], "urgency": "low"}
PRIVATE_ONLY = "the destination resolves only to private or reserved addresses"


@pytest.fixture
async def tenants(make_key: KeyFactory) -> None:
    # Tenants are created with their first key; the webhook tables refer to them.
    await make_key(tenant="clinic-a")
    await make_key(tenant="clinic-b")


@pytest.fixture(autouse=True)
def _three_attempts(monkeypatch: pytest.MonkeyPatch) -> None:
    # Attempts 0 and 1 are retried, attempt 2 is the last; the wait is not used (nothing is scheduled here).
    settings = make_settings("postgresql://db/triage", webhook_max_attempts=3, webhook_retry_wait_seconds=2.0)
    monkeypatch.setattr(webhook_tasks, "get_settings", lambda: settings)


def _context(pool: Pool, *, attempts: int, job_id: int = 1) -> Any:
    # What Procrastinate passes a `pass_context` task: the job (its attempts so far) and the additional context.
    return SimpleNamespace(
        additional_context={"pool": pool}, job=SimpleNamespace(id=job_id, attempts=attempts), worker_name="w-1"
    )


async def _allow(pool: Pool, prefix: str, *, private: bool, tenant: str = "clinic-a") -> None:
    async with pool.connection() as conn, tenant_transaction(conn, tenant):
        await webhooks.allow(conn, tenant, prefix, allow_private=private)


async def _rotate(pool: Pool, overlap_hours: float = 24.0, tenant: str = "clinic-a") -> str:
    secret = new_secret()
    async with pool.connection() as conn, tenant_transaction(conn, tenant):
        await webhooks.rotate_secret(conn, tenant, secret, overlap_hours=overlap_hours)
    return secret


async def _secrets(pool: Pool, tenant: str = "clinic-a") -> list[str]:
    async with pool.connection() as conn, tenant_transaction(conn, tenant):
        return await webhooks.signing_secrets(conn, tenant)


def _owed(owner_conn: psycopg.Connection[Any], url: str, *, tenant: str = "clinic-a", status: str = "pending") -> int:
    # The delivery row the outcome trigger (migrations 0014/0015) writes; status as earlier attempts left it.
    row = owner_conn.execute(
        "INSERT INTO webhook_deliveries (tenant_id, intake_id, event_id, kind, url, status)"
        " VALUES (%s, %s, 41, 'intake.failed', %s, %s) RETURNING id",
        (tenant, uuid4(), url, status),
    ).fetchone()
    assert row is not None
    return int(row[0])


def _log(owner_conn: psycopg.Connection[Any], delivery_id: int) -> tuple[Any, ...]:
    row = owner_conn.execute(
        "SELECT status, attempts, last_status_code, last_error, delivered_at IS NOT NULL"
        " FROM webhook_deliveries WHERE id = %s",
        (delivery_id,),
    ).fetchone()
    assert row is not None
    return tuple(row)


def _sign(secret: str, headers: dict[str, str], body: bytes) -> str:
    # Standard Webhooks, computed here independently: base64 HMAC-SHA256 of "id.timestamp.body".
    signed = f"{headers['webhook-id']}.{headers['webhook-timestamp']}.".encode() + body
    digest = hmac.new(base64.b64decode(secret.removeprefix("whsec_")), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


# The store: allow-list, secrets, delivery log.


async def test_the_allow_list_is_upserted_per_tenant_and_disallow_says_whether_it_removed(
    pool: Pool, tenants: None
) -> None:
    await _allow(pool, "https://hooks.example.org/b/", private=False)
    await _allow(pool, "http://127.0.0.1:8080/", private=True)
    await _allow(pool, "https://hooks.example.org/b/", private=True)  # again: the flag is updated, not added
    await _allow(pool, "https://clinic-b.example.org/", private=False, tenant="clinic-b")
    async with pool.connection() as conn, tenant_transaction(conn, "clinic-a"):
        assert await webhooks.allowed_destinations(conn, "clinic-a") == [
            AllowedDestination("http://127.0.0.1:8080/", True),  # ordered by prefix
            AllowedDestination("https://hooks.example.org/b/", True),
        ]
        assert await webhooks.disallow(conn, "clinic-a", "https://hooks.example.org/b/") is True
        assert await webhooks.disallow(conn, "clinic-a", "https://hooks.example.org/b/") is False  # already gone
        assert await webhooks.disallow(conn, "clinic-a", "https://clinic-b.example.org/") is False  # not its own
        assert await webhooks.allowed_destinations(conn, "clinic-a") == [
            AllowedDestination("http://127.0.0.1:8080/", True)
        ]
    async with pool.connection() as conn, tenant_transaction(conn, "clinic-b"):
        assert await webhooks.allowed_destinations(conn, "clinic-b") == [
            AllowedDestination("https://clinic-b.example.org/", False)
        ]
    # Plain http only as a private destination (the table's rule, which `triage webhooks allow` relies on).
    with pytest.raises(psycopg.errors.CheckViolation):
        await _allow(pool, "http://hooks.example.org/", private=False)


def _expiries(owner_conn: psycopg.Connection[Any]) -> dict[str, float | None]:
    # Seconds each of clinic-a's secrets has left (None: no expiry), as of this (slightly later) moment.
    rows = owner_conn.execute(
        "SELECT secret, extract(epoch FROM expires_at - now()) FROM webhook_secrets WHERE tenant_id = 'clinic-a'"
    ).fetchall()
    return {secret: None if left is None else float(left) for secret, left in rows}


def _about(seconds: float) -> Any:
    # Set a moment ago to `seconds` from then: a little less now, never more.
    return pytest.approx(seconds - 5, abs=5)


async def test_a_rotation_gives_the_current_secrets_the_overlap_and_never_lengthens_a_shorter_one(
    pool: Pool, tenants: None, owner_conn: psycopg.Connection[Any]
) -> None:
    other = await _rotate(pool, tenant="clinic-b")
    first = await _rotate(pool)
    assert await _secrets(pool) == [first]
    second = await _rotate(pool, overlap_hours=1)
    third = await _rotate(pool, overlap_hours=24)
    assert await _secrets(pool) == [third, second, first]  # newest first: all three sign
    # The newest never expires by itself; the 24 h rotation left the first secret's 1 h as it was.
    assert _expiries(owner_conn) == {first: _about(3600), second: _about(24 * 3600), third: None}
    # A shorter overlap cuts the longer expiries down to it.
    fourth = await _rotate(pool, overlap_hours=1)
    assert _expiries(owner_conn) == {first: _about(3600), second: _about(3600), third: _about(3600), fourth: None}
    # No overlap: the earlier secrets stop signing at once; the other tenant's are untouched.
    fifth = await _rotate(pool, overlap_hours=0)
    assert await _secrets(pool) == [fifth]
    assert await _secrets(pool, tenant="clinic-b") == [other]


async def test_the_delivery_log_counts_attempts_and_stamps_only_the_delivery(
    pool: Pool, tenants: None, owner_conn: psycopg.Connection[Any]
) -> None:
    delivery_id = _owed(owner_conn, "https://hooks.example.org/a/")
    async with pool.connection() as conn, tenant_transaction(conn, "clinic-a"):
        owed = await webhooks.get_delivery(conn, delivery_id)
        assert owed is not None
        assert (owed.id, owed.tenant_id, owed.event_id, owed.kind, owed.url) == (
            delivery_id,
            "clinic-a",
            41,
            "intake.failed",
            "https://hooks.example.org/a/",
        )
        assert (owed.status, owed.attempts, owed.last_status_code, owed.last_error, owed.delivered_at) == (
            "pending",
            0,
            None,
            None,
            None,
        )
        await webhooks.record_attempt(conn, delivery_id, status="pending", status_code=503, error="answered 503")
    assert _log(owner_conn, delivery_id) == ("pending", 1, 503, "answered 503", False)
    async with pool.connection() as conn, tenant_transaction(conn, "clinic-a"):
        await webhooks.record_attempt(conn, delivery_id, status="delivered", status_code=200, error=None)
        delivered = await webhooks.get_delivery(conn, delivery_id)
        assert await webhooks.get_delivery(conn, delivery_id + 1000) is None
    assert _log(owner_conn, delivery_id) == ("delivered", 2, 200, None, True)
    assert delivered is not None and delivered.updated_at >= owed.updated_at
    # Another tenant's delivery is invisible, even by id.
    async with pool.connection() as conn, tenant_transaction(conn, "clinic-b"):
        assert await webhooks.get_delivery(conn, delivery_id) is None


# The job: deliver_webhook as the worker runs it.


async def test_a_finished_intake_is_called_back_signed_without_patient_data_and_logged(
    app_client: httpx.AsyncClient,
    make_key: KeyFactory,
    pool: Pool,
    owner_conn: psycopg.Connection[Any],
    receiver: Receiver,
) -> None:
    headers = bearer(await make_key())
    # Delivery ids apart from event ids, so that the one cannot pass for the other.
    owner_conn.execute("ALTER TABLE webhook_deliveries ALTER COLUMN id RESTART WITH 500")
    await _allow(pool, receiver.url("/hooks/"), private=True)  # loopback: an operator's explicit choice
    secret = await _rotate(pool)
    accepted = await app_client.post(
        "/v1/intakes", json={**INTAKE, "callback_url": receiver.url("/hooks/triage")}, headers=headers
    )
    assert accepted.status_code == 202, accepted.text
    intake_id, triage_job = accepted.json()["intake_id"], accepted.json()["job_id"]
    await triage.triage_intake(_context(pool, attempts=0, job_id=triage_job), intake_id=intake_id, tenant_id="clinic-a")
    # The outcome's transaction queued the callback: one job on the webhooks queue, naming the delivery.
    ((job_id, args),) = owner_conn.execute(
        "SELECT id, args FROM procrastinate_jobs WHERE queue_name = 'webhooks' AND task_name = 'deliver_webhook'"
    ).fetchall()
    owed = owner_conn.execute(
        "SELECT e.id, d.created_at FROM intake_events e JOIN webhook_deliveries d ON d.event_id = e.id"
        " WHERE e.intake_id = %s",
        (intake_id,),
    ).fetchone()
    assert owed is not None
    event_id, created_at = owed
    before = int(time.time())
    await deliver_webhook(_context(pool, attempts=0, job_id=job_id), **args)
    after = int(time.time())

    (call,) = receiver.calls
    assert (call.method, call.path) == ("POST", "/hooks/triage")
    assert args == {"delivery_id": 500, "tenant_id": "clinic-a"}
    assert call.headers["webhook-id"] == "msg_500"
    assert before <= int(call.headers["webhook-timestamp"]) <= after
    assert call.headers["webhook-signature"] == _sign(secret, call.headers, call.body)
    assert (call.headers["content-type"], call.headers["user-agent"]) == ("application/json", "triage-webhooks")
    assert orjson.loads(call.body) == {
        "type": "intake.triaged",
        "timestamp": created_at.astimezone(UTC).isoformat(),
        "data": {
            "intake_id": intake_id,
            "status": "triaged",
            "event_id": event_id,
            "links": {"intake": f"/v1/intakes/{intake_id}"},
        },
    }
    assert b"P-hook" not in call.body and b"cough" not in call.body  # ids and status only
    assert verify(secret, call.headers, call.body)["type"] == "intake.triaged"  # what a receiver's check says
    assert _log(owner_conn, args["delivery_id"]) == ("delivered", 1, 200, None, True)


async def test_the_body_names_the_event_by_its_ids_with_a_utc_timestamp_whatever_the_sessions_time_zone(
    settings: Settings, tenants: None, owner_conn: psycopg.Connection[Any], receiver: Receiver
) -> None:
    # The worker's sessions in another zone than UTC: timestamps must still be sent in UTC.
    owner_conn.execute(
        sql.SQL("ALTER DATABASE {} SET timezone TO 'Asia/Tokyo'").format(sql.Identifier(owner_conn.info.dbname))
    )
    delivery_id = _owed(owner_conn, receiver.url())
    owed = owner_conn.execute(
        "SELECT intake_id, created_at FROM webhook_deliveries WHERE id = %s", (delivery_id,)
    ).fetchone()
    assert owed is not None
    intake_id, created_at = owed
    async with open_pool(settings.app_database_url, min_size=1, max_size=2) as tokyo:
        await _allow(tokyo, receiver.url(), private=True)
        await _rotate(tokyo)
        await deliver_webhook(_context(tokyo, attempts=0), delivery_id=delivery_id, tenant_id="clinic-a")
    (call,) = receiver.calls
    assert call.headers["webhook-id"] == f"msg_{delivery_id}"  # the delivery's id, not the event's (41)
    assert orjson.loads(call.body) == {
        "type": "intake.failed",
        "timestamp": created_at.astimezone(UTC).isoformat(),  # +00:00, not +09:00
        "data": {
            "intake_id": str(intake_id),
            "status": "failed",
            "event_id": 41,
            "links": {"intake": f"/v1/intakes/{intake_id}"},
        },
    }


async def test_every_secret_in_force_signs_each_attempt_newest_first(
    pool: Pool, tenants: None, owner_conn: psycopg.Connection[Any], receiver: Receiver
) -> None:
    await _allow(pool, receiver.url(), private=True)
    old = await _rotate(pool)
    new = await _rotate(pool, overlap_hours=1)
    await deliver_webhook(
        _context(pool, attempts=0), delivery_id=_owed(owner_conn, receiver.url()), tenant_id="clinic-a"
    )
    sent = receiver.calls[0]
    assert (
        sent.headers["webhook-signature"]
        == f"{_sign(new, sent.headers, sent.body)} {_sign(old, sent.headers, sent.body)}"
    )
    # Once the overlap is over, the newest alone.
    newest = await _rotate(pool, overlap_hours=0)
    await deliver_webhook(
        _context(pool, attempts=0), delivery_id=_owed(owner_conn, receiver.url()), tenant_id="clinic-a"
    )
    sent = receiver.calls[1]
    assert sent.headers["webhook-signature"] == _sign(newest, sent.headers, sent.body)


async def test_a_failing_receiver_stays_pending_with_one_id_until_the_last_attempt_fails_it(
    pool: Pool, tenants: None, owner_conn: psycopg.Connection[Any], receiver: Receiver
) -> None:
    await _allow(pool, receiver.url(), private=True)
    await _rotate(pool)
    delivery_id = _owed(owner_conn, receiver.url("/x"))
    receiver.answers = [500, 503, 502]
    expected = [
        ("pending", 1, 500, "answered 500"),
        ("pending", 2, 503, "answered 503"),
        ("failed", 3, 502, "answered 502"),
    ]
    for attempts, logged in enumerate(expected):
        with pytest.raises(DeliveryFailed) as failed:  # raised on, so that Procrastinate retries the job
            await deliver_webhook(_context(pool, attempts=attempts), delivery_id=delivery_id, tenant_id="clinic-a")
        assert str(failed.value) == logged[3]
        assert _log(owner_conn, delivery_id) == (*logged, False)
    assert len({call.headers["webhook-id"] for call in receiver.calls}) == 1  # one message, three attempts


@pytest.mark.parametrize(
    ("answer", "logged"),
    [
        (200, ("delivered", 1, 200, None, True)),
        (204, ("delivered", 1, 204, None, True)),
        (299, ("delivered", 1, 299, None, True)),
        (300, ("pending", 1, 300, "answered 300", False)),  # a redirect is not followed, nor a delivery
        (404, ("pending", 1, 404, "answered 404", False)),
    ],
)
async def test_only_a_2xx_answer_is_a_delivery(
    pool: Pool,
    tenants: None,
    owner_conn: psycopg.Connection[Any],
    receiver: Receiver,
    answer: int,
    logged: tuple[Any, ...],
) -> None:
    await _allow(pool, receiver.url(), private=True)
    await _rotate(pool)
    delivery_id = _owed(owner_conn, receiver.url())
    receiver.answers = [answer]
    if logged[0] == "delivered":
        await deliver_webhook(_context(pool, attempts=0), delivery_id=delivery_id, tenant_id="clinic-a")
    else:
        with pytest.raises(DeliveryFailed):
            await deliver_webhook(_context(pool, attempts=0), delivery_id=delivery_id, tenant_id="clinic-a")
    assert _log(owner_conn, delivery_id) == logged
    assert len(receiver.calls) == 1


async def test_a_delivered_or_unknown_delivery_is_not_sent_again(
    pool: Pool, tenants: None, owner_conn: psycopg.Connection[Any], receiver: Receiver
) -> None:
    await _allow(pool, receiver.url(), private=True)
    await _rotate(pool)
    delivered = _owed(owner_conn, receiver.url(), status="delivered")
    await deliver_webhook(_context(pool, attempts=1), delivery_id=delivered, tenant_id="clinic-a")
    await deliver_webhook(_context(pool, attempts=0), delivery_id=delivered + 1000, tenant_id="clinic-a")
    other_tenants = _owed(owner_conn, receiver.url(), tenant="clinic-b")  # a job cannot reach across tenants
    await deliver_webhook(_context(pool, attempts=0), delivery_id=other_tenants, tenant_id="clinic-a")
    assert receiver.calls == []
    assert _log(owner_conn, delivered) == ("delivered", 0, None, None, False)
    assert _log(owner_conn, other_tenants) == ("pending", 0, None, None, False)


async def test_a_url_no_longer_allow_listed_or_a_tenant_without_a_secret_is_given_up_at_once(
    pool: Pool, tenants: None, owner_conn: psycopg.Connection[Any], receiver: Receiver
) -> None:
    await _allow(pool, receiver.url("/a/"), private=True)
    await _allow(pool, receiver.url("/b/"), private=True)
    unsigned = _owed(owner_conn, receiver.url("/a/"))
    with pytest.raises(DeliveryAbandoned, match=r"^the tenant has no signing secret$"):
        await deliver_webhook(_context(pool, attempts=0), delivery_id=unsigned, tenant_id="clinic-a")
    await _rotate(pool)
    disallowed = _owed(owner_conn, receiver.url("/b/x"))
    async with pool.connection() as conn, tenant_transaction(conn, "clinic-a"):
        await webhooks.disallow(conn, "clinic-a", receiver.url("/b/"))
    with pytest.raises(DeliveryAbandoned, match=r"^the URL is no longer allow-listed$"):
        await deliver_webhook(_context(pool, attempts=0), delivery_id=disallowed, tenant_id="clinic-a")
    # Failed on the first attempt, though attempts were left: retrying cannot help.
    assert _log(owner_conn, unsigned) == ("failed", 1, None, "the tenant has no signing secret", False)
    assert _log(owner_conn, disallowed) == ("failed", 1, None, "the URL is no longer allow-listed", False)
    assert receiver.calls == []


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
async def test_a_private_destination_listed_without_the_private_flag_is_refused_by_the_guard(
    pool: Pool, tenants: None, owner_conn: psycopg.Connection[Any], receiver: Receiver, host: str
) -> None:
    prefix = f"https://{host}:{receiver.port}/"  # allow-listed, but not as a private destination
    await _allow(pool, prefix, private=False)
    await _rotate(pool)
    delivery_id = _owed(owner_conn, prefix + "hook")
    with pytest.raises(DeliveryAbandoned) as abandoned:
        await deliver_webhook(_context(pool, attempts=0), delivery_id=delivery_id, tenant_id="clinic-a")
    assert str(abandoned.value) == PRIVATE_ONLY
    assert WebhookRetry().get_retry_decision(exception=abandoned.value, job=_context(pool, attempts=0).job) is None
    assert _log(owner_conn, delivery_id) == ("failed", 1, None, PRIVATE_ONLY, False)
    assert receiver.calls == []  # no connection was made


async def test_a_timeout_or_a_refused_connection_is_a_failed_attempt_to_retry(
    pool: Pool,
    tenants: None,
    owner_conn: psycopg.Connection[Any],
    receiver: Receiver,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(webhook_transport, "READ_SECONDS", 0.3)
    with socket.socket() as closed:  # a port nobody listens on
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    await _allow(pool, receiver.url(), private=True)
    await _allow(pool, f"http://127.0.0.1:{port}/", private=True)
    await _rotate(pool)
    receiver.delay = 1.0
    slow = _owed(owner_conn, receiver.url())
    with pytest.raises(DeliveryFailed, match=r"^timed out$"):
        await deliver_webhook(_context(pool, attempts=0), delivery_id=slow, tenant_id="clinic-a")
    refused = _owed(owner_conn, f"http://127.0.0.1:{port}/")
    with pytest.raises(DeliveryFailed, match=r"^connection failed \(ConnectError\)$"):
        await deliver_webhook(_context(pool, attempts=1), delivery_id=refused, tenant_id="clinic-a")
    assert _log(owner_conn, slow) == ("pending", 1, None, "timed out", False)
    assert _log(owner_conn, refused) == ("pending", 1, None, "connection failed (ConnectError)", False)


# The transport: one guarded POST.


async def test_post_sends_the_body_and_headers_with_its_own_and_returns_the_status(receiver: Receiver) -> None:
    receiver.answers = [202]
    body = b'{"type": "intake.triaged"}'
    status = await post(receiver.url("/in"), body, {"webhook-id": "msg_9"}, allow_private=True)
    assert status == 202
    (call,) = receiver.calls
    assert (call.method, call.path, call.body) == ("POST", "/in", body)
    sent = {k: v for k, v in call.headers.items() if k not in {"host", "accept", "accept-encoding", "connection"}}
    assert sent == {
        "webhook-id": "msg_9",
        "content-type": "application/json",
        "user-agent": "triage-webhooks",
        "content-length": str(len(body)),
    }


async def test_post_refuses_a_private_destination_unless_allowed(receiver: Receiver) -> None:
    with pytest.raises(DestinationRefused, match=f"^{PRIVATE_ONLY}$"):
        await post(receiver.url(), b"{}", {}, allow_private=False)
    assert receiver.calls == []


async def test_post_gives_up_on_a_slow_answer_a_stalled_upload_and_a_slow_connection(
    receiver: Receiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(webhook_transport, "READ_SECONDS", 0.3)  # the read and the write limit
    receiver.delay = 1.0
    started = time.monotonic()
    with pytest.raises(httpcore.ReadTimeout):
        await post(receiver.url(), b"{}", {}, allow_private=True)
    assert time.monotonic() - started < 0.9  # the read limit, not the receiver's answer, ended it
    # A body larger than the sockets' buffers, to a receiver not reading: the write limit ends it.
    with pytest.raises(httpcore.WriteTimeout):
        await post(receiver.url(), b"0" * 64_000_000, {}, allow_private=True)
    monkeypatch.setattr(webhook_transport, "CONNECT_SECONDS", 0.0)  # no time at all to connect
    with pytest.raises(httpcore.ConnectTimeout):
        await post(receiver.url(), b"{}", {}, allow_private=True)


class Resolver:
    """Stands in for DNS (anyio.getaddrinfo): `name` resolves to `addresses`; notes what it was asked."""

    def __init__(self, addresses: list[str]) -> None:
        self.addresses = addresses
        self.asked: list[tuple[str, int, dict[str, Any]]] = []

    async def __call__(self, host: str, port: int, **kwargs: Any) -> list[tuple[Any, ...]]:
        self.asked.append((host, port, kwargs))
        return [
            (socket.AF_INET6 if ":" in a else socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port))
            for a in self.addresses
        ]


STREAM: Any = object()  # what the inner backend's connection stands for


class Connections:
    """Stands in for the inner network backend: notes where the guard connects, and connects nowhere."""

    def __init__(self) -> None:
        self.made: list[tuple[Any, ...]] = []

    async def connect_tcp(self, *args: Any) -> Any:
        self.made.append(args)
        return STREAM


@pytest.fixture
def connections() -> Connections:
    return Connections()


def _guarded(allow_private: bool, connections: Connections) -> GuardedBackend:
    backend = GuardedBackend(allow_private=allow_private)
    backend._inner = connections  # type: ignore[assignment]  # the seam under test
    return backend


async def test_the_guard_connects_to_the_first_address_it_checked_and_passes_the_options_on(
    monkeypatch: pytest.MonkeyPatch, connections: Connections
) -> None:
    # A name resolving to private and public addresses (DNS rebinding's set-up): the public one is dialled.
    resolver = Resolver(["10.0.0.5", "93.184.216.34", "8.8.8.8"])
    monkeypatch.setattr(anyio, "getaddrinfo", resolver)
    options = [(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)]
    assert await _guarded(False, connections).connect_tcp("hooks.example.org", 8443, 4.5, "10.1.1.1", options) is STREAM
    assert await _guarded(True, connections).connect_tcp("hooks.example.org", 443) is STREAM
    assert connections.made == [("93.184.216.34", 8443, 4.5, "10.1.1.1", options), ("10.0.0.5", 443, None, None, None)]
    asked = {"type": socket.SOCK_STREAM}  # stream addresses only
    assert resolver.asked == [("hooks.example.org", 8443, asked), ("hooks.example.org", 443, asked)]


async def test_the_guard_refuses_a_name_with_only_private_addresses_and_reports_an_unknown_one(
    monkeypatch: pytest.MonkeyPatch, connections: Connections
) -> None:
    monkeypatch.setattr(anyio, "getaddrinfo", Resolver(["10.0.0.5", "fd00::5", "169.254.169.254"]))
    with pytest.raises(DestinationRefused, match=f"^{PRIVATE_ONLY}$"):
        await _guarded(False, connections).connect_tcp("intranet.example.org", 443)

    async def unknown(host: str, port: int, **_: Any) -> list[tuple[Any, ...]]:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(anyio, "getaddrinfo", unknown)
    # A connection error, retried like any other (a name may come back), not a refusal.
    with pytest.raises(httpcore.ConnectError, match=r"^cannot resolve the destination \(Name or service not known\)$"):
        await _guarded(True, connections).connect_tcp("gone.example.org", 443)
    assert connections.made == []


async def test_the_guard_dials_loopback_only_when_private_destinations_are_allowed(receiver: Receiver) -> None:
    for host in ("127.0.0.1", "localhost"):
        with pytest.raises(DestinationRefused, match=f"^{PRIVATE_ONLY}$"):
            await GuardedBackend(allow_private=False).connect_tcp(host, receiver.port)
    stream = await GuardedBackend(allow_private=True).connect_tcp("127.0.0.1", receiver.port, 5.0)
    try:
        assert stream.get_extra_info("server_addr") == ("127.0.0.1", receiver.port)
    finally:
        await stream.aclose()


async def test_the_guard_refuses_unix_sockets_and_sleeps_as_asked() -> None:
    for allow_private in (False, True):
        with pytest.raises(DestinationRefused, match=r"^callbacks go over TCP only$"):
            await GuardedBackend(allow_private=allow_private).connect_unix_socket("/run/hooks.sock")
    started = time.monotonic()
    await GuardedBackend(allow_private=False).sleep(0.05)
    assert time.monotonic() - started >= 0.05
