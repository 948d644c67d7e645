"""What Procrastinate is told after a failed triage run (tasks.triage.TriageRetry): no retry once the budget
is spent, otherwise a moment in UTC as far ahead as retry_delay says; and the tenant id rule that the CLI
checks before the database does (store.api_keys.is_tenant_id)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import psycopg
import pytest
from procrastinate.jobs import Job

from store.api_keys import TENANT_ID, is_tenant_id
from tasks import triage
from tasks.triage import IntakeMissing, TriageRetry
from tests.helpers import ROOT, make_settings


@pytest.fixture(autouse=True)
def _settings(monkeypatch: pytest.MonkeyPatch) -> None:
    # Three runs for a bad intake, six for a database outage; waits 2, 4, 8 s, capped at 10 s.
    settings = make_settings(
        "postgresql://db/triage",
        triage_max_attempts=3,
        triage_max_transient_attempts=6,
        triage_retry_wait_seconds=2.0,
        triage_retry_max_wait_seconds=10.0,
    )
    monkeypatch.setattr(triage, "get_settings", lambda: settings)


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


@pytest.mark.parametrize("tenant_id", ["clinic-a", "a", "0", "north_wing-2", "a" * 63, "9" + "z" * 62, "a-", "a_"])
def test_a_tenant_id_is_lowercase_letters_digits_dash_and_underscore_up_to_63(tenant_id: str) -> None:
    assert is_tenant_id(tenant_id) is True


@pytest.mark.parametrize(
    "tenant_id",
    ["", "a" * 64, "-clinic", "_clinic", "Clinic-a", "clinic a", "clinic.a", "clinic/a", "klinik-ä", "clinic-a\n"],
)
def test_anything_else_is_not_a_tenant_id(tenant_id: str) -> None:
    assert is_tenant_id(tenant_id) is False


def test_the_rule_is_the_databases_check_on_tenants_id() -> None:
    # The CLI refuses what the CHECK would refuse, before asking the database (0002_app_schema.sql).
    schema = (ROOT / "store/migrations/0002_app_schema.sql").read_text()
    check = re.search(r"id\s+text PRIMARY KEY CHECK \(id ~ '\^(.+?)\$'\)", schema)
    assert check is not None
    assert TENANT_ID.pattern == check.group(1)
