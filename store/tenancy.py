"""Transactions scoped to one tenant, the unit every service works in."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from psycopg import AsyncConnection


@asynccontextmanager
async def tenant_transaction(
    conn: AsyncConnection, tenant_id: str | None, *, pipelined: bool = False
) -> AsyncIterator[AsyncConnection]:
    """Open a transaction in which row-level security sees only `tenant_id`'s rows.

    `set_config(..., true)` is transaction-local: when the connection goes back to the pool it carries
    no tenant, so the next borrower sees nothing until it sets its own.

    `pipelined`: the hot request paths run in pipeline mode, where statements whose results nobody waits
    for (BEGIN, the tenant, an audit insert, COMMIT) travel with the next one that is waited for instead
    of a round trip each. Only for transactions that read no `rowcount` (it is not known until the
    pipeline syncs) and that do not branch on an error inside the transaction.
    """
    if not pipelined:
        async with conn.transaction():
            await conn.execute("SELECT set_config('app.tenant_id', %s, true)", (tenant_id or "",))
            yield conn
        return
    async with conn.pipeline(), conn.transaction():
        await conn.execute("SELECT set_config('app.tenant_id', %s, true)", (tenant_id or "",))
        yield conn
