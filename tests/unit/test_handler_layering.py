"""Handlers are thin: no module that declares routes opens a connection or a transaction itself.

Services own them (STYLE.md, "Services own transactions"): the audit event commits with the access it
records only when one function holds both. Read from the source (no import, no database), so it is cheap.
"""

from __future__ import annotations

import ast
from pathlib import Path

import api

API_PACKAGE = Path(api.__file__).parent
# What opens a connection, a transaction or a statement: pool.connection(), conn.transaction(),
# conn.pipeline(), conn.cursor(), conn.execute(), and the tenant-scoped transaction of store.tenancy.
OPENERS = {"connection", "transaction", "pipeline", "cursor", "execute"}
TENANT_TRANSACTION = "tenant_transaction"


def handler_modules() -> dict[str, ast.Module]:
    """Every module of the api package that builds an APIRouter, by path."""
    found = {}
    for path in sorted(API_PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        if any(_called(node) == "APIRouter" for node in ast.walk(tree)):
            found[str(path.relative_to(API_PACKAGE.parent))] = tree
    return found


def _called(node: ast.AST) -> str | None:
    if not isinstance(node, ast.Call):
        return None
    if isinstance(node.func, ast.Name):
        return node.func.id
    if isinstance(node.func, ast.Attribute):
        return node.func.attr
    return None


def database_access(tree: ast.Module) -> list[str]:
    """Where the module opens a connection or transaction, as `line: what`."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and (called := _called(node)) in OPENERS | {TENANT_TRANSACTION}:
            found.append(f"{node.lineno}: {called}()")
        elif isinstance(node, ast.ImportFrom) and any(alias.name == TENANT_TRANSACTION for alias in node.names):
            found.append(f"{node.lineno}: import {TENANT_TRANSACTION}")
    return found


def test_the_walk_finds_the_route_modules() -> None:
    # A walk that found nothing would pass the test below whatever the handlers do.
    assert {
        "api/intakes/endpoints.py",
        "api/patients/endpoints.py",
        "api/audit/endpoints.py",
        "api/compat/endpoints.py",
        "api/ops/endpoints.py",
        "api/dashboard/router.py",
        "api/health/endpoints.py",
    } <= set(handler_modules())


def test_no_handler_module_opens_a_connection_or_transaction() -> None:
    offenders = {path: where for path, tree in handler_modules().items() if (where := database_access(tree))}
    assert offenders == {}, "move these into the feature's service module (router → service → store)"


def test_the_check_sees_a_transaction_opened_in_a_handler() -> None:
    handler = ast.parse(
        "from store.tenancy import tenant_transaction\n"
        "async def handler(state, access):\n"
        "    async with state.pool.connection() as conn, tenant_transaction(conn, access.tenant_id):\n"
        "        await conn.execute('SELECT 1')\n"
    )
    assert database_access(handler) == [
        "1: import tenant_transaction",
        "3: connection()",
        "3: tenant_transaction()",
        "4: execute()",
    ]
