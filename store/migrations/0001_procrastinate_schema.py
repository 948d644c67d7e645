"""Procrastinate's own schema, exactly as the pinned release ships it (store/schema/procrastinate_schema.sql).

The copy is package data, read next to this package, so an installed wheel migrates like a checkout.
Upgrading Procrastinate: add its migration files for the versions in between as new steps here.
"""

from pathlib import Path

from yoyo import step

_SCHEMA = Path(__file__).resolve().parents[1] / "schema" / "procrastinate_schema.sql"

steps = [step(_SCHEMA.read_text())]
