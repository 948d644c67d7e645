"""Schema migrations: yoyo-migrations over one ordered sequence of plain SQL files.

Two `triage migrate` running at once are serialised by a PostgreSQL advisory lock held for the whole
run (yoyo's own lock table is created lazily and can race on a brand-new database).
"""

from __future__ import annotations

from pathlib import Path

import psycopg
from yoyo import get_backend, read_migrations

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
_ADVISORY_LOCK_KEY = 0x7472_6961_6765  # "triage"


def _yoyo_url(database_url: str) -> str:
    for prefix in ("postgresql://", "postgres://"):
        if database_url.startswith(prefix):
            return "postgresql+psycopg://" + database_url.removeprefix(prefix)
    raise ValueError("DATABASE_URL must be a postgresql:// URL")


def expected_migration_ids() -> list[str]:
    return sorted(p.stem for p in MIGRATIONS_DIR.iterdir() if p.suffix in {".sql", ".py"} and p.stem[0].isdigit())


def apply_migrations(owner_database_url: str) -> list[str]:
    """Apply pending migrations as the schema owner; return the ids applied by this call."""
    with psycopg.connect(owner_database_url, autocommit=True) as lock_conn:
        lock_conn.execute("SELECT pg_advisory_lock(%s)", (_ADVISORY_LOCK_KEY,))
        try:
            backend = get_backend(_yoyo_url(owner_database_url))
            try:
                migrations = read_migrations(str(MIGRATIONS_DIR))
                with backend.lock():
                    pending = backend.to_apply(migrations)
                    backend.apply_migrations(pending)
                return [m.id for m in pending]
            finally:
                backend.connection.close()
        finally:
            lock_conn.execute("SELECT pg_advisory_unlock(%s)", (_ADVISORY_LOCK_KEY,))
