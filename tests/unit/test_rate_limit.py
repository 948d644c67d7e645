from __future__ import annotations

import pytest

from api.ratelimit import RateLimiter


def test_bucket_allows_the_limit_then_asks_to_wait(monkeypatch: pytest.MonkeyPatch) -> None:
    now = [1000.0]
    monkeypatch.setattr("api.ratelimit.time.monotonic", lambda: now[0])
    limiter = RateLimiter(per_minute=2)
    assert limiter.acquire("k1") is None
    assert limiter.acquire("k1") is None
    assert limiter.acquire("k1") == 30  # one token every 30 s
    assert limiter.acquire("k2") is None  # buckets are per key
    now[0] += 30
    assert limiter.acquire("k1") is None


def test_zero_disables_the_limit() -> None:
    limiter = RateLimiter(per_minute=0)
    assert all(limiter.acquire("k") is None for _ in range(1000))
