"""Readiness: the database answers and every migration shipped with this code is applied."""

from __future__ import annotations

from psycopg import AsyncConnection

from store.migrate import expected_migration_ids

SELECT_APPLIED = "SELECT migration_id FROM _yoyo_migration"


async def pending_migrations(conn: AsyncConnection) -> list[str]:
    cur = await conn.execute(SELECT_APPLIED)
    applied = {row[0] for row in await cur.fetchall()}
    return [m for m in expected_migration_ids() if m not in applied]
