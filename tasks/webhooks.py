"""Signed callbacks: the `deliver_webhook` job (queued by migration 0014's trigger when an intake finishes).

The request follows Standard Webhooks: headers `webhook-id` (the same on every attempt, for the receiver's
de-duplication), `webhook-timestamp` (this attempt's, in seconds; receivers refuse old ones — the replay
window) and `webhook-signature`: `v1,<base64 HMAC-SHA256 of "id.timestamp.body">` for each of the tenant's
secrets in force (two during a rotation's overlap). The body carries ids and status only; the receiver
fetches the outcome with its key. Failures are retried with back-off; every attempt is in the delivery log.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import random
import time
from datetime import UTC, datetime, timedelta
from uuid import UUID

import httpcore
import orjson
import procrastinate
import structlog
from procrastinate.jobs import Job
from procrastinate.retry import BaseRetryStrategy, RetryDecision

from runtime.settings import get_settings
from store import events, webhooks
from store.pool import Pool
from store.tenancy import tenant_transaction
from tasks.webhook_transport import DestinationRefused, post

log = structlog.stdlib.get_logger(__name__)

WEBHOOK_QUEUE = "webhooks"
TASK_NAME = "deliver_webhook"
SECRET_PREFIX = "whsec_"  # noqa: S105 (the Standard Webhooks prefix, not a secret)


class DeliveryFailed(Exception):
    """This attempt did not get a 2xx; retried while attempts last."""


class DeliveryAbandoned(Exception):
    """Retrying cannot help (the destination is refused, or no longer allow-listed, or no secret)."""


def new_secret() -> str:
    import secrets

    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def signature(secrets: list[str], message_id: str, timestamp: int, body: bytes) -> str:
    signed = f"{message_id}.{timestamp}.".encode() + body
    return " ".join(
        "v1," + base64.b64encode(hmac.new(_key(s), signed, hashlib.sha256).digest()).decode() for s in secrets
    )


def _key(secret: str) -> bytes:
    return base64.b64decode(secret.removeprefix(SECRET_PREFIX))


def retry_delay(attempts_so_far: int) -> float | None:
    settings = get_settings()
    if attempts_so_far + 1 >= settings.webhook_max_attempts:
        return None
    ceiling = min(3600.0, settings.webhook_retry_wait_seconds * 2.0**attempts_so_far)
    return ceiling / 2 + random.uniform(0, ceiling / 2)  # noqa: S311 (jitter, not security)


class WebhookRetry(BaseRetryStrategy):
    def get_retry_decision(self, *, exception: BaseException, job: Job) -> RetryDecision | None:
        delay = None if isinstance(exception, DeliveryAbandoned) else retry_delay(job.attempts)
        return None if delay is None else RetryDecision(retry_at=datetime.now(UTC) + timedelta(seconds=delay))


async def deliver_webhook(context: procrastinate.JobContext, *, delivery_id: int, tenant_id: str) -> None:
    pool: Pool = context.additional_context["pool"]
    async with pool.connection() as conn, tenant_transaction(conn, tenant_id):
        delivery = await webhooks.get_delivery(conn, delivery_id)
        destinations = await webhooks.allowed_destinations(conn, tenant_id)
        secrets = await webhooks.signing_secrets(conn, tenant_id)
    if delivery is None or delivery.status == "delivered":
        return
    destination = webhooks.destination_for(delivery.url, destinations)
    last = retry_delay(context.job.attempts) is None
    status_code: int | None = None
    try:
        if destination is None:
            raise DeliveryAbandoned("the URL is no longer allow-listed")
        if not secrets:
            raise DeliveryAbandoned("the tenant has no signing secret")
        body = _body(delivery)
        timestamp = int(time.time())
        message_id = f"msg_{delivery.id}"
        headers = {
            "webhook-id": message_id,
            "webhook-timestamp": str(timestamp),
            "webhook-signature": signature(secrets, message_id, timestamp, body),
        }
        try:
            status_code = await post(delivery.url, body, headers, allow_private=destination.allow_private)
        except DestinationRefused as exc:
            raise DeliveryAbandoned(str(exc)) from None
        except httpcore.TimeoutException:
            raise DeliveryFailed("timed out") from None
        except httpcore.NetworkError as exc:
            raise DeliveryFailed(f"connection failed ({type(exc).__name__})") from None
        if not 200 <= status_code < 300:
            raise DeliveryFailed(f"answered {status_code}")
    except (DeliveryFailed, DeliveryAbandoned) as exc:
        final = last or isinstance(exc, DeliveryAbandoned)
        await _record(pool, tenant_id, delivery_id, "failed" if final else "pending", status_code, str(exc))
        log.warning("webhook attempt failed", delivery_id=delivery_id, error=str(exc), final=final)
        raise
    await _record(pool, tenant_id, delivery_id, "delivered", status_code, None)


def _body(delivery: webhooks.Delivery) -> bytes:
    return orjson.dumps(
        {
            "type": delivery.kind,
            "timestamp": delivery.created_at.astimezone(UTC).isoformat(),
            "data": {
                "intake_id": str(UUID(str(delivery.intake_id))),
                "status": events.status_after(delivery.kind),
                "event_id": delivery.event_id,
                "links": {"intake": f"/v1/intakes/{delivery.intake_id}"},
            },
        }
    )


async def _record(
    pool: Pool, tenant_id: str, delivery_id: int, status: webhooks.DeliveryStatus, code: int | None, error: str | None
) -> None:
    async with pool.connection() as conn, tenant_transaction(conn, tenant_id):
        await webhooks.record_attempt(conn, delivery_id, status=status, status_code=code, error=error)


def register(queue_app: procrastinate.App) -> None:
    queue_app.task(name=TASK_NAME, queue=WEBHOOK_QUEUE, pass_context=True, retry=WebhookRetry())(deliver_webhook)
