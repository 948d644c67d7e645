"""Connections: every application connection acts as the `triage_app` role.

The role is set at connection start through libpq `options` (`-c role=triage_app`), so it holds for
pooled connections, Procrastinate's LISTEN connection and even after a `RESET ROLE`. `triage_app` is
neither the tables' owner nor BYPASSRLS, so row-level security applies to everything the app does.
"""

from __future__ import annotations

import time
import weakref
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from psycopg import AsyncConnection
from psycopg.conninfo import conninfo_to_dict, make_conninfo
from psycopg_pool import AsyncConnectionPool

APP_ROLE = "triage_app"

Pool = AsyncConnectionPool[AsyncConnection]


# A connection handed back less than this long ago is lent again without a round trip to test it; one
# that sat idle longer is tested first (the pool replaces it if the server went away meanwhile). Under
# load every checkout skips the test; after a quiet spell or a restart, the first ones pay it.
IDLE_CHECK_SECONDS = 1.0

# Bounds a connection attempt to a host that does not answer (libpq waits forever by default).
CONNECT_TIMEOUT_SECONDS = 5

# How long a pool retries a lost connection, backing off 1, 2, 4 … s, before giving it up (reconnect_again then
# starts over). psycopg_pool's 300 s let the API's next attempt come ~75 s after a 3-minute outage ended; the
# API's 10 s keeps every gap under ~4.5 s.
RECONNECT_TIMEOUT_SECONDS = 300.0
API_RECONNECT_TIMEOUT_SECONDS = 10.0


def app_conninfo(database_url: str) -> str:
    """The connection string the API and workers use: the given URL, acting as APP_ROLE."""
    params = conninfo_to_dict(database_url)
    existing = params.get("options") or ""
    extra = {"options": f"{existing} -c role={APP_ROLE}".strip()}
    if "connect_timeout" not in params:
        extra["connect_timeout"] = str(CONNECT_TIMEOUT_SECONDS)
    return make_conninfo(database_url, **extra)


class IdleCheck:
    """The pool's `check` callback: test a connection on checkout only if it sat idle.

    Idle is measured from the connection's previous checkout, not its return: a `reset` callback would
    record returns, but psycopg_pool then hands every return to a background task (a hop per request).
    Since the previous checkout is never later than the return, this errs towards testing more often.
    """

    def __init__(self, idle_seconds: float = IDLE_CHECK_SECONDS) -> None:
        self.idle_seconds = idle_seconds
        self._lent_at: weakref.WeakKeyDictionary[AsyncConnection, float] = weakref.WeakKeyDictionary()

    async def check(self, conn: AsyncConnection) -> None:
        now = time.monotonic()
        lent_at = self._lent_at.get(conn)
        if lent_at is None or now - lent_at >= self.idle_seconds:
            await AsyncConnectionPool.check_connection(conn)
        self._lent_at[conn] = now


async def reconnect_again(pool: Pool) -> None:
    """The pool's `reconnect_failed` callback: start connecting again at once.

    Once it gave its lost connections up, psycopg_pool connects again only for a checkout that has to wait;
    but timed-out checkouts stay queued until a connection arrives, so after `max_waiting` of them every
    checkout is refused (TooManyRequests) before it can: the API's pool stayed empty for good after an outage
    longer than its reconnect_timeout. On an empty pool check() starts one new attempt."""
    if not pool.closed:
        await pool.check()


@asynccontextmanager
async def open_pool(
    database_url: str,
    *,
    min_size: int = 2,
    max_size: int = 10,
    name: str = "app",
    checkout_timeout: float = 30.0,
    max_waiting: int = 0,
    wait: bool = True,
    reconnect_timeout: float = RECONNECT_TIMEOUT_SECONDS,
) -> AsyncIterator[Pool]:
    """A pool whose checkouts wait at most `checkout_timeout` seconds (PoolTimeout after that), with at most
    `max_waiting` of them waiting (TooManyRequests beyond; 0: no bound).

    The pool replaces broken connections by itself (a test on checkout of a connection that sat idle, see
    IdleCheck; reconnection in the background), so it outlives a database restart; `wait=False` opens it
    without waiting for the database. `reconnect_timeout`: see RECONNECT_TIMEOUT_SECONDS.
    """
    idle_check = IdleCheck()
    pool: Pool = AsyncConnectionPool(
        app_conninfo(database_url),
        min_size=min_size,
        max_size=max_size,
        open=False,
        name=name,
        timeout=checkout_timeout,
        max_waiting=max_waiting,
        check=idle_check.check,
        reconnect_timeout=reconnect_timeout,
        reconnect_failed=reconnect_again,
    )
    await pool.open(wait=wait, timeout=checkout_timeout)
    try:
        yield pool
    finally:
        await pool.close()
