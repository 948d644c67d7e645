"""Per-key rate limit: a token bucket per API key, in this process.

Each API replica enforces its own bucket, so the cluster-wide ceiling is (replicas × limit); size
TRIAGE_RATE_LIMIT_PER_MINUTE accordingly. 0 disables the limit.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass


@dataclass(slots=True)
class _Bucket:
    tokens: float
    updated: float


class RateLimiter:
    def __init__(self, per_minute: int) -> None:
        self.per_minute = per_minute
        self._buckets: dict[str, _Bucket] = {}

    def acquire(self, key_id: str) -> int | None:
        """Take one token; None when allowed, else the seconds to wait before retrying."""
        if self.per_minute <= 0:
            return None
        now = time.monotonic()
        rate = self.per_minute / 60.0
        bucket = self._buckets.setdefault(key_id, _Bucket(tokens=float(self.per_minute), updated=now))
        bucket.tokens = min(float(self.per_minute), bucket.tokens + (now - bucket.updated) * rate)
        bucket.updated = now
        if bucket.tokens >= 1.0:
            bucket.tokens -= 1.0
            return None
        return max(1, math.ceil((1.0 - bucket.tokens) / rate))
