"""Which failures are retried, how often and how long apart; what operators are told about them."""

from __future__ import annotations

import concurrent.futures
import multiprocessing

import psycopg
import pytest
from procrastinate.exceptions import ConnectorException
from psycopg_pool import PoolTimeout

from store.errors import is_transient, scrubbed_detail
from tasks import triage
from tasks.triage import IntakeMissing, retry_delay
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
