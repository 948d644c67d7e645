"""Tenants: the one table every maintenance pass starts from (it has no row-level security)."""

from __future__ import annotations

from psycopg import AsyncConnection

SELECT_TENANT_IDS = "SELECT id FROM tenants ORDER BY id"

# A tenant's escalation policy ('escalate' or 'flag', migrations/0009_escalation_policy.sql): one primary-key read.
SELECT_ESCALATION_POLICY = "SELECT escalation_policy FROM tenants WHERE id = %(tenant_id)s"

# The row is locked first, so the policy it had before a change is the one replaced (no concurrent change between).
LOCK_ESCALATION_POLICY = SELECT_ESCALATION_POLICY + " FOR UPDATE"
UPDATE_ESCALATION_POLICY = "UPDATE tenants SET escalation_policy = %(policy)s WHERE id = %(tenant_id)s"


async def list_tenant_ids(conn: AsyncConnection) -> list[str]:
    cur = await conn.execute(SELECT_TENANT_IDS)
    return [row[0] for row in await cur.fetchall()]


async def get_escalation_policy(conn: AsyncConnection, tenant_id: str) -> str | None:
    """The tenant's escalation policy, or None when there is no such tenant."""
    cur = await conn.execute(SELECT_ESCALATION_POLICY, {"tenant_id": tenant_id})
    row = await cur.fetchone()
    return None if row is None else str(row[0])


async def set_escalation_policy(conn: AsyncConnection, tenant_id: str, policy: str) -> str | None:
    """Set the tenant's escalation policy (in the caller's transaction); the previous one, or None when there is
    no such tenant (nothing changed). The database refuses a value other than 'escalate' or 'flag'."""
    cur = await conn.execute(LOCK_ESCALATION_POLICY, {"tenant_id": tenant_id})
    row = await cur.fetchone()
    if row is None:
        return None
    await conn.execute(UPDATE_ESCALATION_POLICY, {"tenant_id": tenant_id, "policy": policy})
    return str(row[0])


async def get_model_opinion(conn: AsyncConnection, tenant_id: str) -> str | None:
    """The tenant's model second-opinion mode ('off', 'on', 'on_with_free_text'), or None without the tenant."""
    cur = await conn.execute("SELECT model_opinion FROM tenants WHERE id = %s", (tenant_id,))
    row = await cur.fetchone()
    return None if row is None else str(row[0])


async def set_model_opinion(conn: AsyncConnection, tenant_id: str, mode: str) -> bool:
    cur = await conn.execute("UPDATE tenants SET model_opinion = %s WHERE id = %s", (mode, tenant_id))
    return cur.rowcount > 0
