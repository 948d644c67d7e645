"""The operators' dashboard: its sessions, and the failure reasons of failed triage jobs' intakes.

A session row is keyed by an HMAC of the cookie's random token (the token itself is never stored)
and joined to its API key on every lookup, so a revoked or expired key ends its sessions at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from psycopg import AsyncConnection
from psycopg.rows import class_row


@dataclass(frozen=True, slots=True)
class SessionRow:
    key_id: str
    tenant_id: str
    scopes: list[str]
    created_at: datetime
    expires_at: datetime
    touched: bool  # whether this lookup extended the idle expiry (the cookie is then sent again)


@dataclass(frozen=True, slots=True)
class FailureRow:
    intake_id: str
    failure_reason: str | None
    failure_detail: str | None
    failed_at: datetime


INSERT_SESSION = """
INSERT INTO dashboard_sessions (token_hash, key_id, expires_at)
VALUES (%(token_hash)s, %(key_id)s, now() + make_interval(secs => %(idle)s))
RETURNING expires_at
"""

# Dead sessions (expired, or of a revoked or expired key) are forgotten whenever someone signs in: the table
# stays as small as the live sessions.
DELETE_EXPIRED = """
DELETE FROM dashboard_sessions s USING api_keys k
WHERE k.id = s.key_id AND (s.expires_at <= now() OR k.revoked_at IS NOT NULL OR k.expires_at <= now())
"""

DELETE_SESSION = "DELETE FROM dashboard_sessions WHERE token_hash = %(token_hash)s"

# Valid only while the session is within its expiry and its key is neither revoked nor expired. The idle
# expiry slides, but is written at most once a minute (a dashboard polls every few seconds), and never past
# the absolute lifetime counted from sign-in.
TOUCH_SESSION = """
WITH found AS (
    SELECT s.token_hash, s.key_id, k.tenant_id, k.scopes, s.created_at, s.expires_at,
           s.last_seen_at < now() - interval '1 minute' AS stale
    FROM dashboard_sessions s JOIN api_keys k ON k.id = s.key_id
    WHERE s.token_hash = %(token_hash)s AND s.expires_at > now()
      AND k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > now())
), touched AS (
    UPDATE dashboard_sessions s
       SET last_seen_at = now(),
           expires_at = LEAST(now() + make_interval(secs => %(idle)s),
                              s.created_at + make_interval(secs => %(lifetime)s))
      FROM found WHERE s.token_hash = found.token_hash AND found.stale
    RETURNING s.expires_at
)
SELECT f.key_id, f.tenant_id, f.scopes, f.created_at,
       coalesce((SELECT expires_at FROM touched), f.expires_at) AS expires_at,
       EXISTS (SELECT FROM touched) AS touched
FROM found f
"""

SELECT_FAILURES = """
SELECT id::text AS intake_id, failure_reason, failure_detail, updated_at AS failed_at
FROM intakes WHERE id = ANY(%(ids)s) AND status = 'failed'
"""


async def create_session(conn: AsyncConnection, *, token_hash: bytes, key_id: str, idle_seconds: float) -> datetime:
    await conn.execute(DELETE_EXPIRED)
    cur = await conn.execute(INSERT_SESSION, {"token_hash": token_hash, "key_id": key_id, "idle": idle_seconds})
    row = await cur.fetchone()
    assert row is not None
    expires_at: datetime = row[0]
    return expires_at


async def touch_session(
    conn: AsyncConnection, *, token_hash: bytes, idle_seconds: float, lifetime_seconds: float
) -> SessionRow | None:
    async with conn.cursor(row_factory=class_row(SessionRow)) as cur:
        await cur.execute(TOUCH_SESSION, {"token_hash": token_hash, "idle": idle_seconds, "lifetime": lifetime_seconds})
        return await cur.fetchone()


async def delete_session(conn: AsyncConnection, token_hash: bytes) -> None:
    await conn.execute(DELETE_SESSION, {"token_hash": token_hash})


async def failures(conn: AsyncConnection, intake_ids: list[UUID]) -> list[FailureRow]:
    """Why these intakes failed (an exception type and a scrubbed detail, never data). Run in a tenant
    transaction: row-level security limits the answer to that tenant's intakes."""
    async with conn.cursor(row_factory=class_row(FailureRow)) as cur:
        await cur.execute(SELECT_FAILURES, {"ids": intake_ids})
        return await cur.fetchall()
