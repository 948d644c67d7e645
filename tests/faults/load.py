"""The load generator: N logical submissions at a fixed concurrency, each retried until acknowledged.

Each submission has its own patient_id (so a duplicate shows as two intakes of one patient) and its own
Idempotency-Key. A transport error, a timeout, a 5xx, 429 or 409 is retried with the SAME body and the
SAME key after a short back-off (Retry-After honoured, capped), until a 202 (acknowledged) or the
submission's deadline (not acknowledged).
"""

from __future__ import annotations

import asyncio
import random
import time
import uuid
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx

from tests.helpers import bearer

MAX_BACKOFF_SECONDS = 2.0
FIRST_BACKOFF_SECONDS = 0.05
REQUEST_TIMEOUT_SECONDS = 15.0


def intake_body(patient_id: str) -> dict[str, Any]:
    return {"patient_id": patient_id, "age": 40, "symptoms": ["cough"], "urgency": "low", "vitals": {"heart_rate": 80}}


def is_retryable(status: int) -> bool:
    return status in (409, 429) or status >= 500


def retry_after_seconds(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None  # an HTTP date: fall back to our own back-off


@dataclass(frozen=True)
class Attempt:
    """One HTTP request of a submission; `outcome` is the status code or the transport error's name."""

    started: float  # time.monotonic()
    ended: float
    outcome: int | str
    retry_after: str | None = None

    @property
    def latency(self) -> float:
        return self.ended - self.started


@dataclass
class Submission:
    patient_id: str
    body: dict[str, Any]
    idempotency_key: str = field(default_factory=lambda: str(uuid.uuid4()))
    attempts: list[Attempt] = field(default_factory=list)
    intake_id: str | None = None  # set by the 202 that acknowledged it
    gave_up: str | None = None  # why it was not acknowledged


def submissions(count: int, *, start: int = 0, prefix: str = "LOAD") -> list[Submission]:
    return [Submission(f"{prefix}-{i:06d}", intake_body(f"{prefix}-{i:06d}")) for i in range(start, start + count)]


async def submit_until_acknowledged(client: httpx.AsyncClient, submission: Submission, *, deadline: float) -> None:
    """Send one logical submission until a 202 or until time.monotonic() passes `deadline`."""
    backoff = FIRST_BACKOFF_SECONDS
    headers = {"Idempotency-Key": submission.idempotency_key}
    while True:
        started = time.monotonic()
        wait = backoff
        try:
            response = await client.post("/v1/intakes", json=submission.body, headers=headers)
        except httpx.TransportError as exc:  # connect/read errors and timeouts
            submission.attempts.append(Attempt(started, time.monotonic(), type(exc).__name__))
        else:
            retry_after = response.headers.get("Retry-After")
            submission.attempts.append(Attempt(started, time.monotonic(), response.status_code, retry_after))
            if response.status_code == 202:
                submission.intake_id = str(response.json()["intake_id"])
                return
            if not is_retryable(response.status_code):
                submission.gave_up = f"HTTP {response.status_code}: {response.text[:200]}"
                return
            wait = retry_after_seconds(retry_after) or backoff
        wait = min(wait, MAX_BACKOFF_SECONDS) * random.uniform(0.8, 1.2)
        if time.monotonic() + wait > deadline:
            submission.gave_up = "deadline"
            return
        await asyncio.sleep(wait)  # back-off between retries of one request
        backoff = min(backoff * 2, MAX_BACKOFF_SECONDS)


class LoadGenerator:
    """Submits `submissions` over `concurrency` lanes; counts acknowledgements as they arrive."""

    def __init__(
        self,
        base_url: str,
        token: str,
        batch: list[Submission],
        *,
        concurrency: int = 16,
        submission_timeout: float = 60.0,
        rate: float | None = None,
    ) -> None:
        self.base_url = base_url
        self.token = token
        self.batch = batch
        self.concurrency = concurrency
        self.submission_timeout = submission_timeout
        self.rate = rate  # new submissions per second over all lanes (None: as fast as acknowledged)
        self._next_start = 0.0
        self.started: float | None = None
        self.finished: float | None = None

    @property
    def acknowledged(self) -> int:
        return sum(1 for s in self.batch if s.intake_id is not None)

    @property
    def done(self) -> bool:
        return self.finished is not None

    async def run(self) -> None:
        self.started = time.monotonic()
        pending: Iterator[Submission] = iter(self.batch)  # shared by the lanes (one event loop: no race)
        limits = httpx.Limits(max_connections=self.concurrency, max_keepalive_connections=self.concurrency)
        async with httpx.AsyncClient(
            base_url=self.base_url,
            headers=bearer(self.token),
            timeout=REQUEST_TIMEOUT_SECONDS,
            limits=limits,
        ) as client:

            async def lane() -> None:
                for submission in pending:
                    await self._pace()
                    deadline = time.monotonic() + self.submission_timeout
                    await submit_until_acknowledged(client, submission, deadline=deadline)

            try:
                await asyncio.gather(*(lane() for _ in range(self.concurrency)))
            finally:
                self.finished = time.monotonic()

    async def _pace(self) -> None:
        if self.rate is None:
            return
        now = time.monotonic()
        start_at = max(now, self._next_start)
        self._next_start = start_at + 1 / self.rate
        await asyncio.sleep(start_at - now)  # pacing the arrivals, not waiting for a condition

    async def wait_acknowledged(self, count: int, timeout: float) -> None:
        """Poll until `count` submissions are acknowledged (fails if the load ends or time runs out)."""
        deadline = time.monotonic() + timeout
        while self.acknowledged < count:
            assert not self.done, f"the load ended with {self.acknowledged} acknowledged, fewer than {count}"
            assert time.monotonic() < deadline, f"only {self.acknowledged}/{count} acknowledged after {timeout}s"
            await asyncio.sleep(0.02)


def outcome_counts(batch: Iterable[Submission]) -> Counter[str]:
    """Responses by status (and transport errors by name) over every attempt."""
    return Counter(str(attempt.outcome) for s in batch for attempt in s.attempts)
