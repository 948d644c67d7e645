from __future__ import annotations

import io
import json
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from api.ratelimit import AuthFailureLimiter, RateLimiter
from runtime.logging import configure_logging


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


def _clock(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    now = [1000.0]
    monkeypatch.setattr("api.ratelimit.time.monotonic", lambda: now[0])
    return now


def test_failed_authentications_empty_the_address_bucket(monkeypatch: pytest.MonkeyPatch) -> None:
    now = _clock(monkeypatch)
    limiter = AuthFailureLimiter(per_minute=2)
    assert limiter.retry_after("10.0.0.1") is None
    limiter.failed("10.0.0.1")
    assert limiter.retry_after("10.0.0.1") is None
    limiter.failed("10.0.0.1")
    assert limiter.retry_after("10.0.0.1") == 30  # one failure forgiven every 30 s
    assert limiter.retry_after("10.0.0.2") is None  # buckets are per address
    now[0] += 30
    assert limiter.retry_after("10.0.0.1") is None


def test_only_the_first_refusal_of_a_window_is_audited(monkeypatch: pytest.MonkeyPatch) -> None:
    now = _clock(monkeypatch)
    limiter = AuthFailureLimiter(per_minute=2)
    assert limiter.failed("10.0.0.1") is True
    assert limiter.failed("10.0.0.1") is False
    assert limiter.refused("10.0.0.1") is False  # a held-back request is a refusal too
    assert limiter.failed("10.0.0.2") is True  # windows are per address
    now[0] += 60
    assert limiter.refused("10.0.0.1") is True  # a new window


def test_suppressed_refusals_are_summarised_in_one_line_per_window(monkeypatch: pytest.MonkeyPatch) -> None:
    now = _clock(monkeypatch)
    limiter = AuthFailureLimiter(per_minute=5)
    with _captured_log() as logged:
        for _ in range(7):
            limiter.failed("10.0.0.1")
        assert logged() == []  # nothing while the window is open
        now[0] += 61
        limiter.retry_after("10.0.0.9")  # any later request closes expired windows
        limiter.retry_after("10.0.0.9")
        lines = logged()
    assert [(line["event"], line["client"], line["refusals_not_audited"]) for line in lines] == [
        ("authentication failures throttled", "10.0.0.1", 6)
    ]
    assert len(limiter) == 0  # refilled and summarised addresses are forgotten


def test_zero_disables_the_auth_failure_limit() -> None:
    limiter = AuthFailureLimiter(per_minute=0)
    assert all(limiter.failed("10.0.0.1") for _ in range(1000))
    assert limiter.retry_after("10.0.0.1") is None
    assert len(limiter) == 0


@contextmanager
def _captured_log() -> Iterator[Callable[[], list[dict[str, Any]]]]:
    """The JSON lines logged inside the block, as the production logging chain renders them."""
    configure_logging(log_format="json", level="INFO")
    stream = io.StringIO()
    handler = logging.getLogger().handlers[0]
    assert isinstance(handler, logging.StreamHandler)
    previous = handler.setStream(stream)
    try:
        yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    finally:
        handler.setStream(previous)  # type: ignore[arg-type]
        configure_logging(log_format="json", level="WARNING")
