"""A PostgreSQL server in a data folder, for `triage dev` and the test suite when no URL is given.

It comes from the `pgserver` wheel (PostgreSQL binaries bundled), listens on a Unix socket inside the
data folder only (no TCP port to collide with), and stops when the process that started it exits.
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path
from typing import Any

from psycopg.conninfo import conninfo_to_dict


def start_embedded_postgres(data_dir: Path, *, delete_on_exit: bool = False) -> Any:
    os.environ.setdefault("XDG_RUNTIME_DIR", str(data_dir.parent))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # platformdirs' note about XDG_RUNTIME_DIR on headless machines
        from pgserver.postgres_server import get_server

        data_dir.mkdir(parents=True, exist_ok=True)
        return get_server(data_dir, cleanup_mode="delete" if delete_on_exit else "stop")


def database_url(server: Any, database: str) -> str:
    """A postgresql:// URL for `database` on the embedded server (Unix socket)."""
    params = conninfo_to_dict(server.get_uri())
    host = params["host"]
    return f"postgresql://postgres@/{database}?host={host}"


def ensure_database(admin_url: str, database: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (database,)).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))


__all__ = ["database_url", "ensure_database", "start_embedded_postgres"]
