"""Transactions scoped to one tenant, the unit every service works in."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from psycopg import AsyncConnection
from psycopg.pq import TransactionStatus

SET_TENANT = "SELECT set_config('app.tenant_id', %s, true)"
# The same round trip also turns the flush off for this transaction alone (set_config's `true`: local).
SET_TENANT_NO_FLUSH = "SELECT set_config('app.tenant_id', %s, true), set_config('synchronous_commit', 'off', true)"


@asynccontextmanager
async def tenant_transaction(
    conn: AsyncConnection, tenant_id: str | None, *, pipelined: bool = False, flush_on_commit: bool = True
) -> AsyncIterator[AsyncConnection]:
    """Open a transaction in which row-level security sees only `tenant_id`'s rows.

    `set_config(..., true)` is transaction-local: when the connection goes back to the pool it carries
    no tenant, so the next borrower sees nothing until it sets its own.

    `pipelined`: the hot request paths run in pipeline mode, where statements whose results nobody waits
    for (BEGIN, the tenant, an audit insert, COMMIT) travel with the next one that is waited for instead
    of a round trip each. Only for transactions that read no `rowcount` (it is not known until the
    pipeline syncs) and that do not branch on an error inside the transaction.

    `flush_on_commit=False`: COMMIT returns before the WAL reaches the disk (`synchronous_commit = off` for
    this transaction only). A server crash can then lose the transaction, though never half of it. Only for
    work that is redone when it is lost: the triage job's own transactions, whose job is still `doing` until
    Procrastinate's finish — a later commit that does wait for the flush, and so flushes them too.
    """
    statement = SET_TENANT if flush_on_commit else SET_TENANT_NO_FLUSH
    if not pipelined:
        async with conn.transaction():
            await conn.execute(statement, (tenant_id or "",))
            yield conn
        return
    async with conn.pipeline(), conn.transaction():
        await conn.execute(statement, (tenant_id or "",))
        yield conn


@asynccontextmanager
async def statement_transaction(conn: AsyncConnection) -> AsyncIterator[AsyncConnection]:
    """A transaction of exactly one statement that sets its tenant itself (`intake_submit`): sent in autocommit
    mode, so that PostgreSQL runs it as its own transaction, all or nothing, in one round trip instead of
    BEGIN, the tenant, the statement and COMMIT. The tenant setting it makes is local to that transaction,
    so the connection goes back to the pool without one. The connection leaves autocommit mode afterwards:
    every other use of the pool expects explicit transactions.
    """
    await conn.set_autocommit(True)
    try:
        yield conn
    finally:
        # Not idle: cancelled mid-statement or broken; the pool discards such a connection.
        if conn.info.transaction_status == TransactionStatus.IDLE:
            await conn.set_autocommit(False)
