"""Webhooks' tables (migration 0014): the tenant's allow-list, signing secrets, and the delivery log."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal
from uuid import UUID

from psycopg import AsyncConnection
from psycopg.rows import class_row

DeliveryStatus = Literal["pending", "delivered", "failed"]


@dataclass(frozen=True, slots=True)
class AllowedDestination:
    url_prefix: str
    allow_private: bool


@dataclass(frozen=True, slots=True)
class Delivery:
    id: int
    tenant_id: str
    intake_id: UUID
    event_id: int
    kind: str
    url: str
    status: DeliveryStatus
    attempts: int
    last_status_code: int | None
    last_error: str | None
    created_at: datetime
    updated_at: datetime
    delivered_at: datetime | None


async def allow(conn: AsyncConnection, tenant_id: str, url_prefix: str, *, allow_private: bool) -> None:
    await conn.execute(
        "INSERT INTO webhook_allowlist (tenant_id, url_prefix, allow_private) VALUES (%s, %s, %s)"
        " ON CONFLICT (tenant_id, url_prefix) DO UPDATE SET allow_private = EXCLUDED.allow_private",
        (tenant_id, url_prefix, allow_private),
    )


async def disallow(conn: AsyncConnection, tenant_id: str, url_prefix: str) -> bool:
    cur = await conn.execute(
        "DELETE FROM webhook_allowlist WHERE tenant_id = %s AND url_prefix = %s", (tenant_id, url_prefix)
    )
    return cur.rowcount > 0


async def allowed_destinations(conn: AsyncConnection, tenant_id: str) -> list[AllowedDestination]:
    async with conn.cursor(row_factory=class_row(AllowedDestination)) as cur:
        await cur.execute(
            "SELECT url_prefix, allow_private FROM webhook_allowlist WHERE tenant_id = %s ORDER BY url_prefix",
            (tenant_id,),
        )
        return await cur.fetchall()


def destination_for(url: str, destinations: list[AllowedDestination]) -> AllowedDestination | None:
    """The allow-list entry `url` falls under (the longest matching prefix), or None."""
    matching = [d for d in destinations if url.startswith(d.url_prefix)]
    return max(matching, key=lambda d: len(d.url_prefix)) if matching else None


async def rotate_secret(conn: AsyncConnection, tenant_id: str, secret: str, *, overlap_hours: float) -> None:
    """Add `secret`; the tenant's current secrets stay valid for `overlap_hours` more (signing with both)."""
    await conn.execute(
        "UPDATE webhook_secrets SET expires_at = now() + make_interval(secs => %s)"
        " WHERE tenant_id = %s AND (expires_at IS NULL OR expires_at > now() + make_interval(secs => %s))",
        (overlap_hours * 3600, tenant_id, overlap_hours * 3600),
    )
    await conn.execute("INSERT INTO webhook_secrets (tenant_id, secret) VALUES (%s, %s)", (tenant_id, secret))


async def signing_secrets(conn: AsyncConnection, tenant_id: str) -> list[str]:
    """The tenant's secrets in force, newest first."""
    cur = await conn.execute(
        "SELECT secret FROM webhook_secrets WHERE tenant_id = %s AND (expires_at IS NULL OR expires_at > now())"
        " ORDER BY id DESC",
        (tenant_id,),
    )
    return [str(row[0]) for row in await cur.fetchall()]


async def get_delivery(conn: AsyncConnection, delivery_id: int) -> Delivery | None:
    async with conn.cursor(row_factory=class_row(Delivery)) as cur:
        await cur.execute("SELECT * FROM webhook_deliveries WHERE id = %s", (delivery_id,))
        return await cur.fetchone()


async def deliveries_for_intake(conn: AsyncConnection, intake_id: UUID) -> list[Delivery]:
    async with conn.cursor(row_factory=class_row(Delivery)) as cur:
        await cur.execute("SELECT * FROM webhook_deliveries WHERE intake_id = %s ORDER BY id", (intake_id,))
        return await cur.fetchall()


async def record_attempt(
    conn: AsyncConnection,
    delivery_id: int,
    *,
    status: DeliveryStatus,
    status_code: int | None,
    error: str | None,
) -> None:
    await conn.execute(
        "UPDATE webhook_deliveries SET attempts = attempts + 1, status = %s, last_status_code = %s,"
        " last_error = %s, updated_at = now(), delivered_at = CASE WHEN %s = 'delivered' THEN now() END"
        " WHERE id = %s",
        (status, status_code, error, status, delivery_id),
    )
