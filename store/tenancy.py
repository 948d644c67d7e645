"""Transactions scoped to one tenant, the unit every service works in."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from psycopg import AsyncConnection


@asynccontextmanager
async def tenant_transaction(conn: AsyncConnection, tenant_id: str | None) -> AsyncIterator[AsyncConnection]:
    """Open a transaction in which row-level security sees only `tenant_id`'s rows.

    `set_config(..., true)` is transaction-local: when the connection goes back to the pool it carries
    no tenant, so the next borrower sees nothing until it sets its own.
    """
    async with conn.transaction():
        await conn.execute("SELECT set_config('app.tenant_id', %s, true)", (tenant_id or "",))
        yield conn
