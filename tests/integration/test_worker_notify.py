"""A new job reaches an idle worker through LISTEN/NOTIFY, not through the polling fallback."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import httpx
import psycopg
from psycopg import sql

from tests.conftest import KeyFactory
from tests.helpers import ProcessGroup, bearer, child_env
from tests.integration.test_end_to_end import SAMPLE, wait_for_status

POLL_SECONDS = 3600  # the fallback: a job that is picked up within seconds came through NOTIFY
WAKE_BUDGET_SECONDS = 5.0


def _count(owner_conn: psycopg.Connection[Any], query: str) -> int:
    row = owner_conn.execute(query).fetchone()
    return int(row[0]) if row and row[0] is not None else 0


def _idle_and_listening(owner_conn: psycopg.Connection[Any]) -> bool:
    # The worker's LISTEN connection (the API has one of its own, on another channel). Its query text stays
    # `LISTEN ...` until Procrastinate's first keep-alive, 30 s on.
    listening = _count(
        owner_conn,
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND state = 'idle'"
        " AND query LIKE 'LISTEN %procrastinate_queue%'",
    )
    registered = _count(owner_conn, "SELECT count(*) FROM procrastinate_workers")
    # The worker's polls at start-up (its first one, and one after each start-up job) have happened (the
    # owner's connection is in autocommit: each call reads the statistics afresh)...
    polled = _count(
        owner_conn,
        "SELECT sum(calls) FROM pg_stat_user_functions WHERE funcname = 'procrastinate_fetch_job_v2'",
    )
    # ...and it runs nothing (the start-up's maintenance jobs are done): its next fetch waits for a
    # notification or the hour-long poll. A maintenance job still waiting would only wait for the same.
    busy = _count(owner_conn, "SELECT count(*) FROM procrastinate_jobs WHERE status = 'doing'")
    return listening > 0 and registered > 0 and polled > 0 and busy == 0


async def test_a_new_intake_wakes_an_idle_worker_through_notify(
    app_client: httpx.AsyncClient,
    make_key: KeyFactory,
    database_url: str,
    owner_conn: psycopg.Connection[Any],
    processes: ProcessGroup,
) -> None:
    headers = bearer(await make_key())
    # Counts calls of the fetch function in sessions started from now on (the worker's); a superuser setting,
    # and the test database's owner is one.
    database = owner_conn.execute("SELECT current_database()").fetchone()
    assert database is not None
    owner_conn.execute(sql.SQL("ALTER DATABASE {} SET track_functions = 'pl'").format(sql.Identifier(str(database[0]))))
    env = child_env(database_url, TRIAGE_WORKER_POLL_SECONDS=str(POLL_SECONDS))
    processes.start(["worker", "--concurrency", "1"], env, "worker")

    deadline = time.monotonic() + 30
    while not _idle_and_listening(owner_conn):
        assert time.monotonic() < deadline, "the worker never became idle and listening\n" + processes.logs()
        await asyncio.sleep(0.1)
    await asyncio.sleep(1.0)  # settle: any fetch the start-up triggered has returned empty

    submitted = time.monotonic()
    accepted = await app_client.post("/v1/intakes", json=SAMPLE, headers=headers)
    assert accepted.status_code == 202, accepted.text
    body = await wait_for_status(
        app_client, accepted.json()["intake_id"], headers, {"triaged", "failed"}, timeout=WAKE_BUDGET_SECONDS
    )
    elapsed = time.monotonic() - submitted
    assert body["status"] == "triaged", f"not triaged {elapsed:.1f} s after submission\n" + processes.logs()
    assert elapsed < WAKE_BUDGET_SECONDS
