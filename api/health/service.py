"""Readiness: what /readyz asks the database."""

from __future__ import annotations

from api.state import AppState
from store import health

# Short: a load balancer's probe waits on this, and an unreachable database must answer 503 quickly.
READINESS_TIMEOUT_SECONDS = 2.0


async def pending_migrations(state: AppState) -> list[str]:
    """Migrations this code ships that the database has not applied; raises when it cannot be reached."""
    async with state.pool.connection(timeout=READINESS_TIMEOUT_SECONDS) as conn:
        return await health.pending_migrations(conn)
