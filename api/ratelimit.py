"""Rate limits in this process: a token bucket per API key, and one per client address for failed logins.

Each API replica enforces its own buckets, so the cluster-wide ceiling is (replicas × limit); size
TRIAGE_RATE_LIMIT_PER_MINUTE and TRIAGE_AUTH_FAILURES_PER_MINUTE accordingly. 0 disables either limit.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterator
from dataclasses import dataclass

import structlog

log = structlog.stdlib.get_logger(__name__)


@dataclass(slots=True)
class _Bucket:
    tokens: float
    updated: float


class RateLimiter:
    def __init__(self, per_minute: int) -> None:
        self.per_minute = per_minute
        self._buckets: dict[str, _Bucket] = {}

    def acquire(self, key: str) -> int | None:
        """Take one token; None when allowed, else the seconds to wait before retrying."""
        if self.per_minute <= 0:
            return None
        now = time.monotonic()
        bucket = self._buckets.setdefault(key, _Bucket(tokens=float(self.per_minute), updated=now))
        self._refill(bucket, now)
        if bucket.tokens >= 1.0:
            bucket.tokens -= 1.0
            return None
        return self._wait(bucket)

    def retry_after(self, key: str) -> int | None:
        """Like `acquire`, without taking a token (and without remembering a key it has not seen)."""
        bucket = self._buckets.get(key)
        if self.per_minute <= 0 or bucket is None:
            return None
        self._refill(bucket, time.monotonic())
        return None if bucket.tokens >= 1.0 else self._wait(bucket)

    def forget_full(self) -> None:
        """Drop the buckets that have refilled: a full bucket is the same as none, so memory stays bounded."""
        now = time.monotonic()
        for key, bucket in list(self._buckets.items()):
            self._refill(bucket, now)
            if bucket.tokens >= self.per_minute:
                del self._buckets[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._buckets)

    def _refill(self, bucket: _Bucket, now: float) -> None:
        bucket.tokens = min(float(self.per_minute), bucket.tokens + (now - bucket.updated) * self.per_minute / 60.0)
        bucket.updated = now

    def _wait(self, bucket: _Bucket) -> int:
        return max(1, math.ceil((1.0 - bucket.tokens) * 60.0 / self.per_minute))


@dataclass(slots=True)
class _Window:
    started: float
    not_audited: int = 0


class AuthFailureLimiter:
    """Failed authentications per client address: a bucket each failure spends, and an audit window.

    Once an address has spent its bucket, its requests are refused (429) before any key lookup. Of the
    refusals of one address (401s, and those 429s), the first of each window is audited; the others are
    only counted, and summarised in one log line once the window is over. A flood therefore costs one
    audit row per address per minute, not one per request.
    """

    WINDOW_SECONDS = 60.0
    SWEEP_SECONDS = 10.0  # how often closed windows are summarised and refilled buckets dropped

    def __init__(self, per_minute: int) -> None:
        self.per_minute = per_minute
        self._buckets = RateLimiter(per_minute)
        self._windows: dict[str, _Window] = {}
        self._swept = time.monotonic()

    def retry_after(self, address: str) -> int | None:
        """Seconds this address must wait before it may try a key again; None when it may now."""
        if self.per_minute <= 0:
            return None
        self._sweep()
        return self._buckets.retry_after(address)

    def failed(self, address: str) -> bool:
        """Spend a token for a failed authentication; True when this refusal is the one to audit."""
        if self.per_minute <= 0:
            return True
        self._buckets.acquire(address)
        return self.refused(address)

    def refused(self, address: str) -> bool:
        """Count a refusal; True for the first of this address's window (the one to audit)."""
        if self.per_minute <= 0:
            return True
        now = time.monotonic()
        window = self._windows.get(address)
        if window is not None and now - window.started < self.WINDOW_SECONDS:
            window.not_audited += 1
            return False
        if window is not None:
            _summarise(address, window)
        self._windows[address] = _Window(started=now)
        return True

    def __len__(self) -> int:
        """Addresses currently remembered (a bucket not yet refilled, or a window not yet summarised)."""
        return len(self._windows.keys() | set(self._buckets))

    def _sweep(self) -> None:
        now = time.monotonic()
        if now - self._swept < self.SWEEP_SECONDS:
            return
        self._swept = now
        for address, window in list(self._windows.items()):
            if now - window.started >= self.WINDOW_SECONDS:
                _summarise(address, window)
                del self._windows[address]
        self._buckets.forget_full()


def _summarise(address: str, window: _Window) -> None:
    if window.not_audited:
        # The client address and a count only: no key, path or patient data.
        log.warning(
            "authentication failures throttled",
            client=address,
            refusals_not_audited=window.not_audited,
            window_seconds=int(AuthFailureLimiter.WINDOW_SECONDS),
        )
