"""Procrastinate's own schema, exactly as the pinned release ships it (procrastinate_schema.sql).

Upgrading Procrastinate: add its migration files for the versions in between as new steps here.
"""

from pathlib import Path

from yoyo import step

_SCHEMA = Path(__file__).resolve().parents[2] / "procrastinate_schema.sql"

steps = [step(_SCHEMA.read_text())]
