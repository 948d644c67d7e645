"""Which failures are retried, how often and how long apart; what operators are told about them."""

from __future__ import annotations

import concurrent.futures
import multiprocessing
from datetime import UTC, datetime, timedelta

import psycopg
import pytest
from procrastinate.exceptions import ConnectorException
from procrastinate.jobs import Job
from psycopg_pool import PoolTimeout

from store.errors import is_transient, scrubbed_detail
from tasks import triage
from tasks.triage import IntakeMissing, TriageRetry, retry_delay
from tests.helpers import make_settings


@pytest.fixture(autouse=True)
def _settings(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = make_settings(
        "postgresql://db/triage",
        triage_max_attempts=3,
        triage_max_transient_attempts=6,
        triage_retry_wait_seconds=2.0,
        triage_retry_max_wait_seconds=10.0,
    )
    monkeypatch.setattr(triage, "get_settings", lambda: settings)


def wrapped(exc: Exception) -> ConnectorException:
    try:
        raise ConnectorException from exc
    except ConnectorException as connector_error:
        return connector_error


@pytest.mark.parametrize(
    "exc",
    [
        psycopg.OperationalError("server closed the connection unexpectedly"),
        PoolTimeout("couldn't get a connection after 3.00 sec"),
        psycopg.errors.SerializationFailure(),
        wrapped(psycopg.OperationalError("connection refused")),
    ],
)
def test_database_failures_are_transient(exc: Exception) -> None:
    assert is_transient(exc)


@pytest.mark.parametrize("exc", [KeyError("urgency"), ValueError("bad"), psycopg.errors.CheckViolation()])
def test_other_failures_are_not(exc: Exception) -> None:
    assert not is_transient(exc)


def test_transient_failures_get_the_larger_budget() -> None:
    transient = psycopg.OperationalError()
    assert [retry_delay(transient, n) is not None for n in range(6)] == [True] * 5 + [False]
    assert [retry_delay(KeyError("x"), n) is not None for n in range(3)] == [True, True, False]
    assert retry_delay(IntakeMissing(), 0) is None


def test_waits_double_up_to_the_cap_with_jitter() -> None:
    for attempts, ceiling in [(0, 2.0), (1, 4.0), (2, 8.0), (3, 10.0), (4, 10.0)]:
        waits = {retry_delay(psycopg.OperationalError(), attempts) for _ in range(50)}
        assert all(w is not None and ceiling / 2 <= w <= ceiling for w in waits)
        assert len(waits) > 1  # jittered: the retries of an outage do not all come back together


def test_the_detail_keeps_the_place_and_drops_the_message() -> None:
    def build(payload: dict[str, str]) -> str:
        return payload["urgency"]

    try:
        build({"patient": "Jane Doe"})
    except KeyError as exc:
        detail = scrubbed_detail(exc)
    assert detail.startswith("KeyError at test_retries.py:")
    assert detail.endswith("in build")
    assert "urgency" not in detail and "Jane" not in detail


def test_postgres_errors_keep_their_sqlstate_and_mask_values() -> None:
    error = psycopg.errors.CheckViolation()
    detail = scrubbed_detail(wrapped(error))
    assert "SQLSTATE" in detail and detail.startswith("ConnectorException: CheckViolation")


def _raise_in_child(payload: dict[str, str]) -> str:
    return payload["missing"]


def test_an_error_from_the_engine_process_names_the_childs_frame() -> None:
    ctx = multiprocessing.get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(1, mp_context=ctx) as pool:
        future = pool.submit(_raise_in_child, {"secret": "Jane Doe"})
        with pytest.raises(KeyError) as raised:
            future.result()
    detail = scrubbed_detail(raised.value)
    assert detail == f"KeyError at test_retries.py:{_raise_in_child.__code__.co_firstlineno + 1} in _raise_in_child"


def test_a_torn_down_engine_pool_is_transient() -> None:
    from concurrent.futures.process import BrokenProcessPool

    assert triage.transient(BrokenProcessPool())
    assert retry_delay(BrokenProcessPool(), 4) is not None  # past the poison budget of 3


# What Procrastinate is told after a failed run: no retry once the budget is spent, otherwise a moment in UTC
# as far ahead as retry_delay says.
def _job(attempts: int) -> Job:
    return Job(id=7, queue="triage", lock=None, queueing_lock=None, task_name="triage_intake", attempts=attempts)


@pytest.mark.parametrize(
    ("exception", "attempts"),
    [
        pytest.param(KeyError("urgency"), 2, id="third-run-of-a-bad-intake"),
        pytest.param(psycopg.OperationalError(), 5, id="sixth-run-in-an-outage"),
        pytest.param(IntakeMissing(), 0, id="missing-intake"),
    ],
)
def test_no_retry_once_the_budget_is_spent(exception: Exception, attempts: int) -> None:
    assert TriageRetry().get_retry_decision(exception=exception, job=_job(attempts)) is None


@pytest.mark.parametrize(
    ("exception", "attempts", "low", "high"),
    [
        pytest.param(KeyError("urgency"), 0, 1.0, 2.0, id="first-retry"),
        pytest.param(KeyError("urgency"), 1, 2.0, 4.0, id="second-retry-doubles"),
        # Past the bad-intake budget of 3: only a transient failure gets here, and the wait is capped.
        pytest.param(psycopg.OperationalError(), 4, 5.0, 10.0, id="outage-capped"),
    ],
)
def test_a_retry_is_due_in_utc_as_far_ahead_as_the_jittered_wait(
    exception: Exception, attempts: int, low: float, high: float
) -> None:
    before = datetime.now(UTC)
    decision = TriageRetry().get_retry_decision(exception=exception, job=_job(attempts))
    after = datetime.now(UTC)
    assert decision is not None and decision.retry_at is not None
    assert decision.retry_at.utcoffset() == timedelta(0)  # aware, in UTC: compared with the database's now()
    assert before + timedelta(seconds=low) <= decision.retry_at <= after + timedelta(seconds=high)
    # Only the time changes: the job keeps its priority, queue and lock.
    assert (decision.priority, decision.queue, decision.lock) == (None, None, None)
