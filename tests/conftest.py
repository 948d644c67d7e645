"""Shared fixtures: a real PostgreSQL, a migrated template, a fresh database per test.

Without TEST_DATABASE_URL an embedded PostgreSQL (pgserver) is started in a temporary folder for the
session. Each integration test gets its own database cloned from a migrated template, because the code
under test opens its own connections (API pool, worker processes, LISTEN/NOTIFY).
"""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict

from runtime.cli import create_key
from runtime.logging import configure_logging
from runtime.settings import Settings
from store.migrate import apply_migrations
from store.pool import Pool, app_conninfo, open_pool
from tests.helpers import ProcessGroup, Receiver, client_for, make_settings


def _with_dbname(url: str, dbname: str) -> str:
    params = conninfo_to_dict(url)
    params["dbname"] = dbname
    host = params.get("host") or ""
    if host.startswith("/"):  # keep it a URL: yoyo and Procrastinate are handed URLs
        user = params.get("user") or "postgres"
        return f"postgresql://{user}@/{dbname}?host={host}"
    return f"postgresql://{params.get('user', 'postgres')}@{host}:{params.get('port', 5432)}/{dbname}"


@pytest.fixture(scope="session", autouse=True)
def _logging() -> None:
    # The production logging chain (JSON, redacted exceptions), as the API and workers use it.
    configure_logging(log_format="json", level="WARNING")


@pytest.fixture(scope="session")
def admin_url() -> Iterator[str]:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        yield url
        return
    from runtime.embedded_pg import database_url, start_embedded_postgres

    # Not under pytest's basetemp: a concurrent pytest session prunes old basetemps, data folder included.
    data_dir = Path(tempfile.mkdtemp(prefix="triage-test-pg-"))
    server = start_embedded_postgres(data_dir / "data", delete_on_exit=True)
    yield database_url(server, "postgres")
    server.cleanup()
    shutil.rmtree(data_dir, ignore_errors=True)


@pytest.fixture(scope="session")
def template_db(admin_url: str) -> Iterator[str]:
    name = f"triage_template_{os.getpid()}"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    apply_migrations(_with_dbname(admin_url, name))
    yield name
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


@pytest.fixture
def database_url(admin_url: str, template_db: str) -> Iterator[str]:
    """A fresh, migrated database for this test only (owner URL)."""
    name = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(
            sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(sql.Identifier(name), sql.Identifier(template_db))
        )
    yield _with_dbname(admin_url, name)
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


@pytest.fixture
def empty_database_url(admin_url: str) -> Iterator[str]:
    """A fresh database with no schema at all."""
    name = f"e_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    yield _with_dbname(admin_url, name)
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


@pytest.fixture
def settings(database_url: str) -> Settings:
    return make_settings(database_url)


@pytest.fixture
async def pool(settings: Settings) -> AsyncIterator[Pool]:
    async with open_pool(settings.app_database_url, min_size=1, max_size=4) as app_pool:
        yield app_pool


@pytest.fixture
def owner_conn(database_url: str) -> Iterator[psycopg.Connection[Any]]:
    """A superuser/owner connection for inspecting what the app role cannot see (bypasses RLS)."""
    with psycopg.connect(database_url, autocommit=True) as conn:
        yield conn


@pytest.fixture
async def app_client(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    async for client in client_for(settings):
        yield client


KeyFactory = Callable[..., Awaitable[str]]


@pytest.fixture
def make_key(settings: Settings) -> KeyFactory:
    """Mint a real API key in the test database; returns the bearer token."""

    async def factory(
        tenant: str = "clinic-a",
        scopes: tuple[str, ...] = ("intake:write", "intake:read"),
        expires_at: datetime | None = None,
        name: str = "test-agent",
    ) -> str:
        async with await psycopg.AsyncConnection.connect(app_conninfo(settings.app_database_url)) as conn:
            token, _ = await create_key(conn, settings, tenant, name, list(scopes), expires_at)
            await conn.commit()
            return token

    return factory


@pytest.fixture
def processes(tmp_path: Path) -> Iterator[ProcessGroup]:
    group = ProcessGroup(tmp_path)
    yield group
    group.stop()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    """A webhook receiver on loopback (tests.helpers.Receiver), stopped after the test."""
    found = Receiver()
    yield found
    found.server.shutdown()
    found.server.server_close()
