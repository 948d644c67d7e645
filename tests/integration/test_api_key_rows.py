"""API key rows (store.api_keys) as `triage keys list|revoke|rotate` use them: a tenant's listing holds its own
keys only, a revocation happens once, and a rotation can shorten the old key's life but never extend it.

test_keys_cli drives these through the CLI's process; here they run in the test's own process, on the real
database, acting as the application role.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg
import pytest

from store import api_keys
from store.pool import app_conninfo
from tests.conftest import KeyFactory


@pytest.fixture
async def conn(database_url: str) -> AsyncIterator[psycopg.AsyncConnection[Any]]:
    async with await psycopg.AsyncConnection.connect(app_conninfo(database_url), autocommit=True) as app_conn:
        yield app_conn


def _id(token: str) -> str:
    return token.split("_")[2]


async def test_a_tenants_listing_holds_its_own_keys_only_and_the_platforms_holds_every_key(
    conn: psycopg.AsyncConnection[Any], make_key: KeyFactory
) -> None:
    a1, b1, a2 = [_id(await make_key(tenant=t)) for t in ("clinic-a", "clinic-b", "clinic-a")]
    assert [key.id for key in await api_keys.list_keys(conn, "clinic-a")] == [a1, a2]  # oldest first
    assert [key.id for key in await api_keys.list_keys(conn, "clinic-b")] == [b1]
    assert [key.id for key in await api_keys.list_keys(conn)] == [a1, b1, a2]


async def test_a_key_is_revoked_once(conn: psycopg.AsyncConnection[Any], make_key: KeyFactory) -> None:
    key_id = _id(await make_key())
    assert await api_keys.revoke_key(conn, key_id) is True
    revoked = await api_keys.get_key(conn, key_id)
    assert revoked is not None and revoked.revoked_at is not None
    assert await api_keys.revoke_key(conn, key_id) is False  # already revoked: the first time stays
    assert await api_keys.revoke_key(conn, "nosuchkey000") is False
    again = await api_keys.get_key(conn, key_id)
    assert again is not None and again.revoked_at == revoked.revoked_at


async def test_rotation_shortens_the_old_keys_life_but_never_extends_it(
    conn: psycopg.AsyncConnection[Any], make_key: KeyFactory
) -> None:
    soon = datetime.now(UTC) + timedelta(days=1)
    later = datetime.now(UTC) + timedelta(days=30)
    endless, short_lived, successor = [_id(await make_key(expires_at=e)) for e in (None, soon, None)]
    await api_keys.mark_rotated(conn, endless, successor, later)
    await api_keys.mark_rotated(conn, short_lived, successor, later)
    rotated = await api_keys.get_key(conn, endless)
    assert rotated is not None and (rotated.rotated_to, rotated.expires_at) == (successor, later)
    kept = await api_keys.get_key(conn, short_lived)
    assert kept is not None and (kept.rotated_to, kept.expires_at) == (successor, soon)
    untouched = await api_keys.get_key(conn, successor)
    assert untouched is not None and (untouched.rotated_to, untouched.expires_at) == (None, None)
