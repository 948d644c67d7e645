"""What the sync and async clients share: requests, retry decisions, answers, and Server-Sent Events."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import httpx

from triage_client.errors import TriageError, error_for
from triage_client.models import Event

# The longest the server waits in one call (`?wait=N`, N <= 30).
MAX_SERVER_WAIT = 30.0
# Retried statuses: rate limited, unavailable, and an idempotent submission still in flight elsewhere.
RETRIED = frozenset({409, 429, 503})


@dataclass(frozen=True)
class Retries:
    """How often and how long to retry 409/429/503 answers and failed connections."""

    attempts: int = 4
    backoff_seconds: float = 0.5
    max_delay_seconds: float = 30.0

    def delay(self, attempt: int, response: httpx.Response | None) -> float:
        """Retry-After when the server sent one (seconds or an HTTP date), else exponential back-off."""
        if response is not None and (header := response.headers.get("Retry-After")):
            return min(self.max_delay_seconds, max(0.0, _retry_after_seconds(header)))
        return min(self.max_delay_seconds, self.backoff_seconds * 2.0**attempt)


def _retry_after_seconds(header: str) -> float:
    try:
        return float(header)
    except ValueError:
        try:
            return (parsedate_to_datetime(header) - datetime.now(UTC)).total_seconds()
        except (TypeError, ValueError):
            return 1.0


def new_idempotency_key() -> str:
    return f"tc-{uuid.uuid4()}"


def headers(api_key: str, extra: dict[str, str] | None = None) -> dict[str, str]:
    return {"Authorization": f"Bearer {api_key}", "Accept": "application/json", **(extra or {})}


def wait_params(wait: float | None) -> dict[str, str]:
    if wait is None:
        return {}
    if not 0 <= wait <= MAX_SERVER_WAIT:
        raise ValueError(f"wait must be between 0 and {MAX_SERVER_WAIT:g} seconds")
    return {"wait": f"{wait:g}"}


def should_retry(response: httpx.Response) -> bool:
    return response.status_code in RETRIED


def body_or_raise(response: httpx.Response) -> Any:
    """The JSON body of a 2xx answer; a typed TriageError for anything else."""
    try:
        body = response.json()
    except ValueError:
        body = None
    if response.is_success:
        return body
    raise error_for(response.status_code, body)


def transport_error(exc: httpx.TransportError) -> TriageError:
    from triage_client.errors import TransportError

    return TransportError(0, type(exc).__name__, str(exc) or None)


def parse_events(lines: Iterable[str]) -> Iterator[Event]:
    """Server-Sent Events (the fields this API sends: id, event, data; comments skipped)."""
    data: list[str] = []
    for line in lines:
        if line == "":
            if data:
                yield Event.model_validate_json("\n".join(data))
            data = []
        elif line.startswith("data:"):
            data.append(line[5:].removeprefix(" "))
