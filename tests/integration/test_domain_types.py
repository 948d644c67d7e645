"""Each domain type is said twice — once in Python, once in the schema's CHECK — and the two must agree.

The values are read from the migrated database (pg_constraint), not from the migration files, so a later
migration that changes a constraint is seen too.
"""

from __future__ import annotations

import re
from typing import Any, get_args

import psycopg
import pytest

from store.audit import AuditOutcome
from store.intakes import IntakeStatus
from triage.models import Disposition, EscalationPolicy

CONSTRAINT_DEFINITIONS = """
SELECT pg_get_constraintdef(c.oid)
FROM pg_constraint c
JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey)
WHERE c.contype = 'c' AND c.conrelid = %s::regclass AND a.attname = %s
"""
# A string constant as pg_get_constraintdef prints it: 'value'::text, with '' for a quote.
_TEXT_CONSTANT = re.compile(r"'((?:[^']|'')*)'::text")


def allowed_values(conn: psycopg.Connection[Any], table: str, column: str) -> set[str]:
    definitions = [row[0] for row in conn.execute(CONSTRAINT_DEFINITIONS, (table, column)).fetchall()]
    assert len(definitions) == 1, f"{table}.{column}: expected one CHECK, found {definitions}"
    return {value.replace("''", "'") for value in _TEXT_CONSTANT.findall(definitions[0])}


@pytest.mark.parametrize(
    ("table", "column", "python_type"),
    [
        ("intakes", "status", IntakeStatus),
        ("triage_outcomes", "disposition", Disposition),
        ("audit_events", "outcome", AuditOutcome),
        ("tenants", "escalation_policy", EscalationPolicy),
    ],
)
def test_the_schema_allows_exactly_the_python_types_values(
    owner_conn: psycopg.Connection[Any], table: str, column: str, python_type: Any
) -> None:
    assert allowed_values(owner_conn, table, column) == set(get_args(python_type))
