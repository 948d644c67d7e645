"""The audit listing (store.audit.list_events) applies every filter it is given, newest first, within the
tenant row-level security allows."""

from __future__ import annotations

from typing import Any

import psycopg

from store import audit
from store.audit import AuditEvent
from store.pool import Pool
from store.tenancy import tenant_transaction


def _event(actor: str, patient_id: str, tenant_id: str = "clinic-a") -> AuditEvent:
    return AuditEvent(
        tenant_id=tenant_id,
        actor=actor,
        action="intake.read",
        resource_type="intake",
        patient_id=patient_id,
        outcome="success",
    )


async def test_each_filter_narrows_the_listing_and_the_cursor_pages_it(
    pool: Pool, owner_conn: psycopg.Connection[Any]
) -> None:
    owner_conn.execute("INSERT INTO tenants (id) VALUES ('clinic-a'), ('clinic-b') ON CONFLICT DO NOTHING")
    async with pool.connection() as conn:
        for actor, patient in (("key:a", "P1"), ("key:b", "P1"), ("key:a", "P2"), ("key:b", "P2")):
            async with tenant_transaction(conn, "clinic-a"):
                await audit.record(conn, _event(actor, patient))
        async with tenant_transaction(conn, "clinic-b"):
            await audit.record(conn, _event("key:a", "P1", tenant_id="clinic-b"))
    # Each event was written in a transaction of its own, so each has a time of its own.
    rows = owner_conn.execute("SELECT id, occurred_at FROM audit_events ORDER BY id").fetchall()
    (e1, _), (e2, at2), (e3, at3), (e4, at4), _ = rows

    async def listed(**filters: Any) -> list[int]:
        async with pool.connection() as conn, tenant_transaction(conn, "clinic-a"):
            return [row.id for row in await audit.list_events(conn, limit=10, **filters)]

    assert await listed() == [e4, e3, e2, e1]  # newest first, clinic-a's only
    assert await listed(actor="key:a") == [e3, e1]
    assert await listed(patient_id="P2") == [e4, e3]
    assert await listed(since=at2) == [e4, e3, e2]  # from `since` on
    assert await listed(until=at3) == [e2, e1]  # before `until`
    assert await listed(before_id=e3) == [e2, e1]
    assert await listed(actor="key:b", patient_id="P1", until=at4) == [e2]
