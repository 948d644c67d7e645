"""Tenants: the one table every maintenance pass starts from (it has no row-level security)."""

from __future__ import annotations

from psycopg import AsyncConnection

SELECT_TENANT_IDS = "SELECT id FROM tenants ORDER BY id"


async def list_tenant_ids(conn: AsyncConnection) -> list[str]:
    cur = await conn.execute(SELECT_TENANT_IDS)
    return [row[0] for row in await cur.fetchall()]
