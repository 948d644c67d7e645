"""API keys: stored as an HMAC of the secret, never the secret itself."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from psycopg import AsyncConnection
from psycopg.rows import class_row


@dataclass(frozen=True, slots=True)
class ApiKeyRow:
    id: str
    tenant_id: str
    name: str
    scopes: list[str]
    secret_hash: bytes
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None
    last_used_at: datetime | None
    rotated_to: str | None


_COLUMNS = "id, tenant_id, name, scopes, secret_hash, created_at, expires_at, revoked_at, last_used_at, rotated_to"

# The rule of the CHECK on tenants.id (migrations/0002_app_schema.sql), for callers to check first.
TENANT_ID = re.compile(r"[a-z0-9][a-z0-9_-]{0,62}", re.ASCII)

ENSURE_TENANT = "INSERT INTO tenants (id) VALUES (%(tenant_id)s) ON CONFLICT (id) DO NOTHING"

INSERT_KEY = (
    """
INSERT INTO api_keys (id, tenant_id, name, scopes, secret_hash, expires_at)
VALUES (%(id)s, %(tenant_id)s, %(name)s, %(scopes)s, %(secret_hash)s, %(expires_at)s)
RETURNING """
    + _COLUMNS
)

SELECT_KEY = "SELECT " + _COLUMNS + " FROM api_keys WHERE id = %(id)s"

SELECT_KEYS = (
    "SELECT "
    + _COLUMNS
    + " FROM api_keys WHERE (%(tenant_id)s::text IS NULL OR tenant_id = %(tenant_id)s) ORDER BY created_at, id"
)

REVOKE_KEY = "UPDATE api_keys SET revoked_at = now() WHERE id = %(id)s AND revoked_at IS NULL RETURNING id"

# Rotation: the old key stays valid until the given expiry (never extended by rotation).
MARK_ROTATED = """
UPDATE api_keys SET rotated_to = %(new_id)s,
       expires_at = LEAST(coalesce(expires_at, 'infinity'), %(old_expires_at)s)
WHERE id = %(id)s
"""

# last_used_at is advisory: written at most once a minute per key so reads stay reads.
TOUCH_KEY = """
UPDATE api_keys SET last_used_at = now()
WHERE id = %(id)s AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')
"""


def is_tenant_id(value: str) -> bool:
    return TENANT_ID.fullmatch(value) is not None


async def ensure_tenant(conn: AsyncConnection, tenant_id: str) -> None:
    await conn.execute(ENSURE_TENANT, {"tenant_id": tenant_id})


async def insert_key(
    conn: AsyncConnection,
    *,
    key_id: str,
    tenant_id: str,
    name: str,
    scopes: list[str],
    secret_hash: bytes,
    expires_at: datetime | None,
) -> ApiKeyRow:
    async with conn.cursor(row_factory=class_row(ApiKeyRow)) as cur:
        await cur.execute(
            INSERT_KEY,
            {
                "id": key_id,
                "tenant_id": tenant_id,
                "name": name,
                "scopes": scopes,
                "secret_hash": secret_hash,
                "expires_at": expires_at,
            },
        )
        row = await cur.fetchone()
    assert row is not None
    return row


async def get_key(conn: AsyncConnection, key_id: str) -> ApiKeyRow | None:
    async with conn.cursor(row_factory=class_row(ApiKeyRow)) as cur:
        await cur.execute(SELECT_KEY, {"id": key_id})
        return await cur.fetchone()


async def list_keys(conn: AsyncConnection, tenant_id: str | None = None) -> list[ApiKeyRow]:
    async with conn.cursor(row_factory=class_row(ApiKeyRow)) as cur:
        await cur.execute(SELECT_KEYS, {"tenant_id": tenant_id})
        return await cur.fetchall()


async def revoke_key(conn: AsyncConnection, key_id: str) -> bool:
    cur = await conn.execute(REVOKE_KEY, {"id": key_id})
    return await cur.fetchone() is not None


async def mark_rotated(conn: AsyncConnection, key_id: str, new_id: str, old_expires_at: datetime) -> None:
    await conn.execute(MARK_ROTATED, {"id": key_id, "new_id": new_id, "old_expires_at": old_expires_at})


async def touch_key(conn: AsyncConnection, key_id: str) -> None:
    await conn.execute(TOUCH_KEY, {"id": key_id})
