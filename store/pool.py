"""Connections: every application connection acts as the `triage_app` role.

The role is set at connection start through libpq `options` (`-c role=triage_app`), so it holds for
pooled connections, Procrastinate's LISTEN connection and even after a `RESET ROLE`. `triage_app` is
neither the tables' owner nor BYPASSRLS, so row-level security applies to everything the app does.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from psycopg import AsyncConnection
from psycopg.conninfo import conninfo_to_dict, make_conninfo
from psycopg_pool import AsyncConnectionPool

APP_ROLE = "triage_app"

Pool = AsyncConnectionPool[AsyncConnection]


def app_conninfo(database_url: str) -> str:
    """The connection string the API and workers use: the given URL, acting as APP_ROLE."""
    existing = conninfo_to_dict(database_url).get("options") or ""
    return make_conninfo(database_url, options=f"{existing} -c role={APP_ROLE}".strip())


@asynccontextmanager
async def open_pool(
    database_url: str, *, min_size: int = 2, max_size: int = 10, name: str = "app"
) -> AsyncIterator[Pool]:
    pool: Pool = AsyncConnectionPool(
        app_conninfo(database_url),
        min_size=min_size,
        max_size=max_size,
        open=False,
        name=name,
        check=AsyncConnectionPool.check_connection,
    )
    await pool.open(wait=True, timeout=30)
    try:
        yield pool
    finally:
        await pool.close()
