"""The jitter of a retry spans the whole upper half of its wait (tasks.triage.retry_delay), so that the jobs of
an outage come back spread over that half rather than bunched in part of it."""

from __future__ import annotations

import random

import psycopg
import pytest

from tasks import triage
from tasks.triage import retry_delay
from tests.helpers import make_settings


@pytest.fixture(autouse=True)
def _settings(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = make_settings(
        "postgresql://db/triage", triage_retry_wait_seconds=2.0, triage_retry_max_wait_seconds=10.0
    )
    monkeypatch.setattr(triage, "get_settings", lambda: settings)
    monkeypatch.setattr(triage, "random", random.Random(20260101))  # the same draws on every run


def test_the_waits_cover_the_upper_half_of_the_ceiling() -> None:
    waits = [retry_delay(psycopg.OperationalError(), 2) for _ in range(400)]  # ceiling 8 s
    assert all(w is not None for w in waits)
    spread = sorted(w for w in waits if w is not None)
    assert 4.0 <= spread[0] < 4.2
    assert 7.8 < spread[-1] <= 8.0
