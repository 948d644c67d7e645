"""Verifying the service's signed callbacks (Standard Webhooks), on the receiving side.

    event = verify(secret, request.headers, request.body)   # raises WebhookVerificationError

Checks the HMAC-SHA256 signature over `webhook-id.webhook-timestamp.body` against every `v1` signature
sent (two during the sender's secret rotation), and refuses a timestamp outside the replay window
(5 minutes either way by default). De-duplicate on `webhook-id`: a retried delivery keeps it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from collections.abc import Mapping
from typing import Any

SECRET_PREFIX = "whsec_"  # noqa: S105 (the Standard Webhooks prefix, not a secret)
DEFAULT_TOLERANCE_SECONDS = 300


class WebhookVerificationError(Exception):
    """The callback is not authentic, or too old or too new (a replay)."""


def verify(
    secrets: str | list[str],
    headers: Mapping[str, str],
    body: bytes,
    *,
    tolerance_seconds: int = DEFAULT_TOLERANCE_SECONDS,
    now: float | None = None,
) -> dict[str, Any]:
    """The callback's JSON body once its signature and timestamp check out."""
    lowered = {key.lower(): value for key, value in headers.items()}
    try:
        message_id = lowered["webhook-id"]
        timestamp = int(lowered["webhook-timestamp"])
        sent = lowered["webhook-signature"].split()
    except (KeyError, ValueError):
        raise WebhookVerificationError("missing or malformed webhook headers") from None
    if abs((time.time() if now is None else now) - timestamp) > tolerance_seconds:
        raise WebhookVerificationError("timestamp outside the replay window")
    signed = f"{message_id}.{timestamp}.".encode() + body
    candidates = [s.removeprefix("v1,") for s in sent if s.startswith("v1,")]
    for secret in [secrets] if isinstance(secrets, str) else secrets:
        key = base64.b64decode(secret.removeprefix(SECRET_PREFIX))
        expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
        if any(hmac.compare_digest(expected, candidate) for candidate in candidates):
            loaded: dict[str, Any] = json.loads(body)
            return loaded
    raise WebhookVerificationError("no valid signature")
