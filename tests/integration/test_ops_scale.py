"""What keeps the ops and audit reads fast at scale (migration 0006) also keeps them right.

- ops_job_counts, kept by triggers, always equals counting the jobs themselves, whatever changes them,
  from whichever session (each writes its own slot);
- the queue view reads those counts and finds the oldest waiting job, for the platform and per tenant;
- the audit listing pages newest first by time (then number) through every event exactly once, whichever
  filters are given.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import psycopg
import pytest

from store import ops
from store.pool import Pool, app_conninfo
from tests.conftest import KeyFactory
from tests.helpers import bearer

COUNTED = """
SELECT tenant_id, queue_name, status::text, sum(jobs)::bigint FROM ops_job_counts
GROUP BY 1, 2, 3 HAVING sum(jobs) <> 0 ORDER BY 1, 2, 3
"""
ACTUAL = """
SELECT coalesce(args->>'tenant_id', ''), queue_name, status::text, count(*) FROM procrastinate_jobs
GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
"""


def defer(conn: psycopg.Connection[Any], tenant: str | None, queue: str = "triage", n: int = 1) -> list[int]:
    args = "{}" if tenant is None else f'{{"tenant_id": "{tenant}"}}'
    row = conn.execute(
        "SELECT procrastinate_defer_jobs_v1(array_fill(ROW(%s, 'triage_intake', 0, NULL, NULL, %s::jsonb, NULL)"
        "::procrastinate_job_to_defer_v1, ARRAY[%s]))",
        (queue, args, n),
    ).fetchone()
    assert row is not None
    return list(row[0])


def assert_counts_exact(conn: psycopg.Connection[Any]) -> None:
    assert conn.execute(COUNTED).fetchall() == conn.execute(ACTUAL).fetchall()


def test_counts_follow_every_kind_of_job_change(owner_conn: psycopg.Connection[Any], database_url: str) -> None:
    worker = owner_conn.execute("SELECT worker_id FROM procrastinate_register_worker_v1()").fetchone()
    assert worker is not None
    a_jobs = defer(owner_conn, "clinic-a", n=5)
    defer(owner_conn, "clinic-b", n=2)
    defer(owner_conn, None, queue="maintenance")
    assert_counts_exact(owner_conn)

    # Another session (the app role, through the definer triggers) fetches and finishes: its own slot.
    with psycopg.connect(app_conninfo(database_url), autocommit=True) as app:
        fetched = [
            app.execute("SELECT id FROM procrastinate_fetch_job_v2(ARRAY['triage']::varchar[], %s)", worker).fetchone()
            for _ in range(4)
        ]
        ids = [row[0] for row in fetched if row is not None]
        assert len(ids) == 4
        app.execute("SELECT procrastinate_finish_job_v1(%s, 'succeeded', false)", (ids[0],))
        app.execute("SELECT procrastinate_finish_job_v1(%s, 'failed', false)", (ids[1],))
        app.execute("SELECT procrastinate_cancel_job_v1(%s, true, false)", (ids[2],))  # abort requested
        app.execute("SELECT procrastinate_finish_job_v1(%s, 'aborted', false)", (ids[2],))
        # A retry that also moves the job to another queue.
        app.execute("SELECT procrastinate_retry_job_v2(%s, now(), NULL, 'other', NULL)", (ids[1],))
        mine = app.execute("SELECT count(*) FROM ops_job_counts WHERE slot = pg_backend_pid() % 16").fetchone()
        assert mine is not None and mine[0] > 0
    assert_counts_exact(owner_conn)

    owner_conn.execute("SELECT procrastinate_cancel_job_v1(%s, false, false)", (a_jobs[-1],))
    owner_conn.execute("UPDATE procrastinate_jobs SET status = 'succeeded' WHERE status = 'todo'")  # many rows at once
    owner_conn.execute("UPDATE procrastinate_jobs SET attempts = attempts + 1")  # nothing counted changes
    assert_counts_exact(owner_conn)
    owner_conn.execute("DELETE FROM procrastinate_jobs WHERE status = 'succeeded'")
    assert_counts_exact(owner_conn)
    # Recounting from scratch gives the same numbers; TRUNCATE empties them.
    before = owner_conn.execute(COUNTED).fetchall()
    owner_conn.execute("SELECT ops_job_counts_rebuild()")
    assert owner_conn.execute(COUNTED).fetchall() == before
    owner_conn.execute("TRUNCATE procrastinate_jobs CASCADE")
    assert owner_conn.execute("SELECT count(*) FROM ops_job_counts").fetchone() == (0,)


def test_the_app_role_reads_counts_but_cannot_write_them(database_url: str) -> None:
    with psycopg.connect(app_conninfo(database_url), autocommit=True) as app:
        assert app.execute("SELECT count(*) FROM ops_job_counts").fetchone() == (0,)
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            app.execute("INSERT INTO ops_job_counts VALUES ('clinic-a', 'triage', 'todo', 0, 1000)")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            app.execute("SELECT ops_job_counts_rebuild()")


async def test_queue_view_counts_and_oldest_waiting_job(owner_conn: psycopg.Connection[Any], pool: Pool) -> None:
    defer(owner_conn, "clinic-a", n=3)
    defer(owner_conn, "clinic-b", n=2)
    defer(owner_conn, None, queue="maintenance")
    # clinic-b's oldest job waits for a retry back-off: it is not waiting to run yet.
    oldest_b = owner_conn.execute(
        "SELECT min(id) FROM procrastinate_jobs WHERE args->>'tenant_id' = 'clinic-b'"
    ).fetchone()
    assert oldest_b is not None
    owner_conn.execute("UPDATE procrastinate_jobs SET scheduled_at = now() + interval '1 hour' WHERE id = %s", oldest_b)
    owner_conn.execute("UPDATE procrastinate_events SET at = now() - interval '1 hour' WHERE type = 'deferred'")
    owner_conn.execute(
        "UPDATE procrastinate_events SET at = now() - interval '10 minutes' WHERE type = 'deferred' AND job_id = "
        "(SELECT max(id) FROM procrastinate_jobs WHERE args->>'tenant_id' = 'clinic-b')"
    )
    async with pool.connection() as conn:
        for _ in range(8):  # past psycopg's prepare threshold: the prepared (possibly generic) plan answers too
            everyone = await ops.queues(conn)
            clinic_a = await ops.queues(conn, tenant="clinic-a")
            clinic_b = await ops.queues(conn, tenant="clinic-b")
            nobody = await ops.queues(conn, tenant="clinic-z")
    assert [(q.queue_name, q.todo) for q in everyone] == [("maintenance", 1), ("triage", 5)]
    assert [(q.queue_name, q.todo, q.succeeded) for q in clinic_a] == [("triage", 3, 0)]
    assert nobody == []
    assert everyone[1].oldest_waiting_s is not None and 3590 < everyone[1].oldest_waiting_s < 3700
    assert clinic_b[0].oldest_waiting_s is not None and 590 < clinic_b[0].oldest_waiting_s < 700


async def test_audit_listing_pages_newest_first_through_every_event_once(
    app_client: httpx.AsyncClient, make_key: KeyFactory, owner_conn: psycopg.Connection[Any]
) -> None:
    admin = bearer(await make_key(scopes=("admin",), name="auditor"))
    start = datetime(2026, 1, 1, tzinfo=UTC)
    # Event numbers and times disagree on purpose (a long transaction commits late); times also tie.
    rows = [(start + timedelta(minutes=(i * 7) % 20), "clinic-a", f"key:agent{i % 2}", f"P-{i % 3}") for i in range(30)]
    rows += [(start + timedelta(minutes=5), "clinic-b", "key:agent0", "P-0")]
    with owner_conn.cursor() as cur:
        cur.executemany(
            "INSERT INTO audit_events (occurred_at, tenant_id, actor, action, resource_type, patient_id, outcome)"
            " VALUES (%s, %s, %s, 'intake.read', 'intake', %s, 'success')",
            rows,
        )
    until = start + timedelta(days=1)

    def expected(where: str, *params: Any) -> list[int]:
        query = (
            "SELECT id FROM audit_events WHERE tenant_id = 'clinic-a' AND occurred_at < %s AND "
            + where
            + " ORDER BY occurred_at DESC, id DESC"
        )
        return [row[0] for row in owner_conn.execute(query, (until, *params)).fetchall()]

    async def pages(**params: str) -> list[int]:
        seen: list[int] = []
        cursor: str | None = None
        while True:
            query = {**params, "until": until.isoformat(), "limit": "4", **({"cursor": cursor} if cursor else {})}
            page = (await app_client.get("/v1/audit", params=query, headers=admin)).json()
            seen += [item["id"] for item in page["items"]]
            cursor = page["next_cursor"]
            if cursor is None:
                return seen

    assert len(expected("true")) == 30
    assert await pages() == expected("true")
    assert await pages(patient_id="P-1") == expected("patient_id = 'P-1'")
    since = start + timedelta(minutes=10)
    assert await pages(actor="key:agent0", since=since.isoformat()) == expected(
        "actor = 'key:agent0' AND occurred_at >= %s", since
    )
    # Another tenant's event number as a cursor: an empty page, never that tenant's neighbours.
    other = owner_conn.execute("SELECT id FROM audit_events WHERE tenant_id = 'clinic-b'").fetchone()
    assert other is not None
    foreign = (await app_client.get("/v1/audit", params={"cursor": str(other[0])}, headers=admin)).json()
    assert foreign == {"items": [], "next_cursor": None}
