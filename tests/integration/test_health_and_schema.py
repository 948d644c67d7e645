"""Liveness, readiness, migrations (idempotent, concurrent) and the pinned Procrastinate schema."""

from __future__ import annotations

import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path
from typing import Any

import httpx
import procrastinate
import psycopg
import pytest

from api.app import create_app
from store.migrate import _ADVISORY_LOCK_KEY, apply_migrations, expected_migration_ids
from tests.helpers import ROOT, child_env, make_settings


async def test_healthz_and_readyz(app_client: httpx.AsyncClient) -> None:
    assert (await app_client.get("/healthz")).json() == {"status": "ok"}
    ready = await app_client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json() == {"status": "ready"}


async def test_readyz_is_503_while_migrations_are_pending(empty_database_url: str) -> None:
    app = create_app(make_settings(empty_database_url))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            response = await client.get("/readyz")
            assert response.status_code == 503
            assert response.headers["content-type"] == "application/problem+json"
            assert (await client.get("/healthz")).status_code == 200


def test_migrations_apply_once_and_are_idempotent(empty_database_url: str) -> None:
    assert apply_migrations(empty_database_url) == expected_migration_ids()
    assert apply_migrations(empty_database_url) == []


def test_two_concurrent_migrate_commands_both_succeed(empty_database_url: str) -> None:
    env = child_env(empty_database_url)
    commands = [
        subprocess.Popen([sys.executable, "-m", "runtime", "migrate"], env=env, cwd=ROOT, stderr=subprocess.PIPE)
        for _ in range(2)
    ]
    for command in commands:
        _, stderr = command.communicate(timeout=120)
        assert command.returncode == 0, stderr.decode()
    with psycopg.connect(empty_database_url) as conn:
        applied = conn.execute("SELECT migration_id FROM _yoyo_migration ORDER BY 1").fetchall()
    assert [row[0] for row in applied] == expected_migration_ids()


def test_migrate_waits_for_the_advisory_lock_on_its_own_database(empty_database_url: str) -> None:
    # Held by someone else on the database being migrated, the lock keeps `apply_migrations` waiting; taken on
    # any other database (a wrong URL), it would not serialise two migrators of this one.
    with psycopg.connect(empty_database_url, autocommit=True) as holder:
        holder.execute("SELECT pg_advisory_lock(%s)", (_ADVISORY_LOCK_KEY,))
        with ThreadPoolExecutor(1) as pool:
            migrating = pool.submit(apply_migrations, empty_database_url)
            with pytest.raises(FutureTimeout):
                migrating.result(timeout=2)
            holder.execute("SELECT pg_advisory_unlock(%s)", (_ADVISORY_LOCK_KEY,))
            assert migrating.result(timeout=120) == expected_migration_ids()


def test_procrastinate_schema_file_is_the_pinned_release_schema() -> None:
    shipped = Path(procrastinate.__file__).parent / "sql" / "schema.sql"
    assert (ROOT / "store" / "schema" / "procrastinate_schema.sql").read_text() == shipped.read_text()


def test_app_role_is_neither_owner_nor_bypassrls(owner_conn: psycopg.Connection[Any]) -> None:
    # It may log in: `triage migrate --create-roles` makes it the production login (test_database_roles.py).
    role = owner_conn.execute(
        "SELECT rolsuper, rolbypassrls, rolcreaterole, rolcreatedb FROM pg_roles WHERE rolname = 'triage_app'"
    ).fetchone()
    assert role == (False, False, False, False)
    owners = owner_conn.execute("SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'public'").fetchall()
    assert ("triage_app",) not in owners
