"""A tenant's escalation policy as `triage tenants policy` changes it (store.tenants): the previous policy is
returned, an unknown tenant changes nothing, and the database refuses a policy the engine does not know."""

from __future__ import annotations

from typing import Any

import psycopg
import pytest

from store import tenants
from store.pool import Pool


async def test_setting_a_policy_returns_the_one_it_replaced(pool: Pool, owner_conn: psycopg.Connection[Any]) -> None:
    owner_conn.execute("INSERT INTO tenants (id) VALUES ('clinic-a'), ('clinic-b')")
    async with pool.connection() as conn:
        assert await tenants.set_escalation_policy(conn, "clinic-a", "flag") == "escalate"
        assert await tenants.set_escalation_policy(conn, "clinic-a", "flag") == "flag"
        assert await tenants.set_escalation_policy(conn, "nowhere", "flag") is None
        assert await tenants.get_escalation_policy(conn, "clinic-a") == "flag"
        assert await tenants.get_escalation_policy(conn, "clinic-b") == "escalate"  # the other tenant's stays
        assert await tenants.get_escalation_policy(conn, "nowhere") is None
        assert await tenants.list_tenant_ids(conn) == ["clinic-a", "clinic-b"]
        with pytest.raises(psycopg.errors.CheckViolation):
            await tenants.set_escalation_policy(conn, "clinic-b", "ignore")
