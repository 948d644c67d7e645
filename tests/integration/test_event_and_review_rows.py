"""The intake event log (store.events), the review policy and outcome time (store.reviews) and the model
opinion mode (store.tenants) as the API, the stream and `triage tenants` use them, called in the test's own
process on the real database, acting as the application role.

test_events and test_reviews drive these through API and worker processes; the events here are appended by the
database's own triggers (0013, 0015) as intakes finish and reviews are recorded.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

import psycopg
import pytest

from store import events, reviews, tenants
from store.events import IntakeEvent
from store.pool import Pool
from store.tenancy import tenant_transaction

pytestmark = pytest.mark.integration


@pytest.fixture(autouse=True)
def _two_tenants(owner_conn: psycopg.Connection[Any]) -> None:
    owner_conn.execute("INSERT INTO tenants (id) VALUES ('clinic-a'), ('clinic-b')")


def _finished(owner_conn: psycopg.Connection[Any], tenant: str, status: str) -> UUID:
    """An intake of `tenant` that reached `status`; the status change appends its event (0013's trigger)."""
    row = owner_conn.execute(
        "INSERT INTO intakes (tenant_id, patient_id, payload, created_by)"
        " VALUES (%s, 'P-events', '{\"age\": 40}', 'key:test') RETURNING id",
        (tenant,),
    ).fetchone()
    assert row is not None
    if status != "queued":
        owner_conn.execute("UPDATE intakes SET status = %s WHERE id = %s", (status, row[0]))
    return UUID(str(row[0]))


def _kinds(found: list[IntakeEvent]) -> list[tuple[UUID, str]]:
    return [(event.intake_id, event.kind) for event in found]


async def test_a_tenants_events_come_in_id_order_after_the_cursor_and_up_to_the_limit(
    pool: Pool, owner_conn: psycopg.Connection[Any]
) -> None:
    first = _finished(owner_conn, "clinic-a", "triaged")
    _finished(owner_conn, "clinic-b", "triaged")  # between them: its id is skipped, not counted
    second = _finished(owner_conn, "clinic-a", "failed")
    third = _finished(owner_conn, "clinic-a", "triaged")
    _finished(owner_conn, "clinic-a", "queued")  # not finished: no event
    async with pool.connection() as conn, tenant_transaction(conn, "clinic-a"):
        log = await events.list_after(conn, "clinic-a", 0, 100)
        assert _kinds(log) == [(first, "intake.triaged"), (second, "intake.failed"), (third, "intake.triaged")]
        ids = [event.id for event in log]
        assert ids == sorted(set(ids))  # strictly increasing: a safe Last-Event-ID cursor
        assert all(isinstance(event.created_at, datetime) and event.created_at.tzinfo for event in log)
        assert await events.list_after(conn, "clinic-a", ids[0], 100) == log[1:]
        assert await events.list_after(conn, "clinic-a", ids[0], 1) == log[1:2]
        assert await events.list_after(conn, "clinic-a", 0, 2) == log[:2]
        assert await events.list_after(conn, "clinic-a", ids[-1], 100) == []
        # Where a new stream starts: the newest event, so that it carries only what happens next.
        assert await events.last_id(conn, "clinic-a") == ids[-1]


async def test_another_tenants_events_are_invisible_and_an_empty_log_starts_at_zero(
    pool: Pool, owner_conn: psycopg.Connection[Any]
) -> None:
    mine = _finished(owner_conn, "clinic-a", "triaged")
    theirs = [_finished(owner_conn, "clinic-b", status) for status in ("triaged", "failed")]  # the newest ids
    async with pool.connection() as conn, tenant_transaction(conn, "clinic-a"):
        (event,) = await events.list_after(conn, "clinic-a", 0, 100)
        assert event.intake_id == mine
        assert await events.last_id(conn, "clinic-a") == event.id
        # Asked for the other tenant's log, row-level security shows none of it.
        assert await events.list_after(conn, "clinic-b", 0, 100) == []
        assert await events.last_id(conn, "clinic-b") == 0
    async with pool.connection() as conn, tenant_transaction(conn, "clinic-b"):
        log = await events.list_after(conn, "clinic-b", 0, 100)
        assert [e.intake_id for e in log] == theirs
        assert await events.last_id(conn, "clinic-b") == log[-1].id > event.id
    async with pool.connection() as conn, tenant_transaction(conn, None):  # no tenant: nothing at all
        assert await events.list_after(conn, "clinic-a", 0, 100) == []
        assert await events.last_id(conn, "clinic-a") == 0
    owner_conn.execute("DELETE FROM intake_events")
    async with pool.connection() as conn, tenant_transaction(conn, "clinic-a"):
        assert await events.last_id(conn, "clinic-a") == 0


async def test_an_events_status_is_the_intakes_status_after_it_and_a_review_leaves_it_triaged(
    pool: Pool, owner_conn: psycopg.Connection[Any]
) -> None:
    assert events.status_after("intake.triaged") == "triaged"
    assert events.status_after("intake.failed") == "failed"
    assert events.status_after("intake.reviewed") == "triaged"
    triaged = _finished(owner_conn, "clinic-a", "triaged")
    failed = _finished(owner_conn, "clinic-a", "failed")
    async with pool.connection() as conn, tenant_transaction(conn, "clinic-a"):
        await reviews.record(
            conn,
            tenant_id="clinic-a",
            intake_id=triaged,
            reviewer="key:dr-review",
            decision="confirm",
            acuity=4,
            disposition="consultation",
            reason="rechecked by phone",
        )  # 0015's trigger appends `intake.reviewed`
    async with pool.connection() as conn, tenant_transaction(conn, "clinic-a"):
        log = await events.list_after(conn, "clinic-a", 0, 100)
    assert _kinds(log) == [(triaged, "intake.triaged"), (failed, "intake.failed"), (triaged, "intake.reviewed")]
    stored = dict(owner_conn.execute("SELECT id, status FROM intakes").fetchall())
    assert [events.status_after(event.kind) for event in log] == [stored[event.intake_id] for event in log]


async def test_a_review_policy_is_kept_per_tenant_and_only_flagged_or_all(
    pool: Pool, owner_conn: psycopg.Connection[Any]
) -> None:
    async with pool.connection() as conn:
        assert await reviews.get_policy(conn, "clinic-a") == "flagged"  # the default: the engine's flags
        assert await reviews.set_policy(conn, "clinic-a", "all") is True
        assert await reviews.get_policy(conn, "clinic-a") == "all"
        assert await reviews.get_policy(conn, "clinic-b") == "flagged"  # the other tenant's stays
        assert await reviews.set_policy(conn, "clinic-b", "all") is True
        assert await reviews.set_policy(conn, "clinic-b", "flagged") is True
        assert await reviews.set_policy(conn, "nowhere", "all") is False  # no such tenant: nothing changed
        assert await reviews.get_policy(conn, "nowhere") is None
    stored = owner_conn.execute("SELECT id, review_policy FROM tenants ORDER BY id").fetchall()
    assert stored == [("clinic-a", "all"), ("clinic-b", "flagged")]
    async with pool.connection() as conn:
        with pytest.raises(psycopg.errors.CheckViolation):
            await reviews.set_policy(conn, "clinic-b", "everything")  # type: ignore[arg-type]


async def test_a_model_opinion_mode_is_kept_per_tenant_and_only_a_known_mode(
    pool: Pool, owner_conn: psycopg.Connection[Any]
) -> None:
    async with pool.connection() as conn:
        assert await tenants.get_model_opinion(conn, "clinic-a") == "off"  # off unless a tenant turns it on
        assert await tenants.set_model_opinion(conn, "clinic-a", "on_with_free_text") is True
        assert await tenants.get_model_opinion(conn, "clinic-a") == "on_with_free_text"
        assert await tenants.set_model_opinion(conn, "clinic-b", "on") is True
        assert await tenants.set_model_opinion(conn, "nowhere", "on") is False
        assert await tenants.get_model_opinion(conn, "nowhere") is None
    stored = owner_conn.execute("SELECT id, model_opinion FROM tenants ORDER BY id").fetchall()
    assert stored == [("clinic-a", "on_with_free_text"), ("clinic-b", "on")]
    async with pool.connection() as conn:
        assert await tenants.set_model_opinion(conn, "clinic-b", "off") is True
        assert await tenants.get_model_opinion(conn, "clinic-b") == "off"
    async with pool.connection() as conn:
        with pytest.raises(psycopg.errors.CheckViolation):
            await tenants.set_model_opinion(conn, "clinic-a", "always")
