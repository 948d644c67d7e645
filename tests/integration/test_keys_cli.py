"""`triage keys create|list|revoke|rotate` against a real database, and the keys they mint at the API."""

from __future__ import annotations

import argparse
import asyncio
import re
import subprocess
import sys
import time
from typing import Any

import httpx
import psycopg
import pytest

from runtime.cli import run_keys
from tests.helpers import ROOT, bearer, child_env, client_for, make_settings

TOKEN = re.compile(r"^tq_test_[a-z0-9]{12}_\S+$", re.MULTILINE)


def triage(database_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "runtime", *args],
        env=child_env(database_url),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def created_token(output: str) -> str:
    match = TOKEN.search(output)
    assert match, output
    return match.group(0)


async def test_create_list_rotate_revoke(database_url: str) -> None:
    # The CLI's revocation is checked at once here, so this client does not cache keys; the bound the cache
    # puts on a revocation is tested in test_hot_path.
    async for app_client in client_for(make_settings(database_url, key_cache_seconds=0)):
        await _create_list_rotate_revoke(app_client, database_url)


async def _create_list_rotate_revoke(app_client: httpx.AsyncClient, database_url: str) -> None:
    created = triage(
        database_url, "keys", "create", "--tenant", "clinic-z", "--name", "intake-agent", "--scope", "intake:read"
    )
    assert created.returncode == 0, created.stderr
    token = created_token(created.stdout)
    key_id = token.split("_")[2]
    assert (await app_client.get("/v1/patients/P1/intakes", headers=bearer(token))).status_code == 200

    listing = triage(database_url, "keys", "list", "--tenant", "clinic-z")
    assert key_id in listing.stdout
    assert "intake:read" in listing.stdout
    assert token.split("_", 3)[3] not in listing.stdout  # never the secret

    rotated = triage(database_url, "keys", "rotate", key_id, "--grace-days", "1")
    assert rotated.returncode == 0, rotated.stderr
    new_token = created_token(rotated.stdout)
    # Both work during the grace period.
    for bearer_token in (token, new_token):
        assert (await app_client.get("/v1/patients/P1/intakes", headers=bearer(bearer_token))).status_code == 200

    revoked = triage(database_url, "keys", "revoke", key_id)
    assert revoked.returncode == 0
    assert (await app_client.get("/v1/patients/P1/intakes", headers=bearer(token))).status_code == 401
    assert (await app_client.get("/v1/patients/P1/intakes", headers=bearer(new_token))).status_code == 200
    assert triage(database_url, "keys", "revoke", key_id).returncode == 1


async def _status(app_client: httpx.AsyncClient, token: str) -> int:
    return (await app_client.get("/v1/patients/P1/intakes", headers=bearer(token))).status_code


def _create(database_url: str) -> str:
    created = triage(database_url, "keys", "create", "--tenant", "t1", "--name", "n", "--scope", "intake:read")
    assert created.returncode == 0, created.stderr
    return created_token(created.stdout)


async def test_rotation_with_no_grace_ends_the_old_key_now(database_url: str) -> None:
    async for app_client in client_for(make_settings(database_url, key_cache_seconds=0)):
        token = _create(database_url)
        assert await _status(app_client, token) == 200
        rotated = triage(database_url, "keys", "rotate", token.split("_")[2], "--grace-days", "0")
        assert rotated.returncode == 0, rotated.stderr
        new_token = created_token(rotated.stdout)
        assert await _status(app_client, token) == 401
        assert await _status(app_client, new_token) == 200
        listing = triage(database_url, "keys", "list").stdout
        # Both keys are listed under tenant t1 (the second column; a random key id may contain "t1" itself).
        assert [line.split()[1] for line in listing.splitlines()] == ["t1", "t1"]


async def test_the_old_key_works_until_the_grace_period_ends(database_url: str) -> None:
    grace_seconds = 6.0
    async for app_client in client_for(make_settings(database_url, key_cache_seconds=0)):
        token = _create(database_url)
        rotated = triage(
            database_url, "keys", "rotate", token.split("_")[2], "--grace-days", str(grace_seconds / 86400)
        )
        assert rotated.returncode == 0, rotated.stderr
        ends = time.monotonic() + grace_seconds  # no later than the real end: the rotation happened before
        new_token = created_token(rotated.stdout)
        assert await _status(app_client, token) == 200
        await asyncio.sleep(max(0.0, ends - time.monotonic()) + 0.5)
        assert await _status(app_client, token) == 401
        assert await _status(app_client, new_token) == 200


@pytest.mark.parametrize("scope", ["everything", "intake:delete"])
def test_unknown_scopes_are_refused(database_url: str, scope: str) -> None:
    result = triage(database_url, "keys", "create", "--tenant", "t1", "--name", "n", "--scope", scope)
    assert result.returncode == 2
    assert "invalid choice" in result.stderr


def _key_count(owner_conn: psycopg.Connection[Any]) -> int:
    row = owner_conn.execute("SELECT (SELECT count(*) FROM api_keys) + (SELECT count(*) FROM tenants)").fetchone()
    assert row is not None
    return int(row[0])


@pytest.mark.parametrize("tenant", ["Clinic-A", "-clinic", "clinic a", "clinic/a", "c" * 64, ""])
def test_an_invalid_tenant_is_one_clear_line_and_status_2(
    database_url: str, owner_conn: psycopg.Connection[Any], tenant: str
) -> None:
    result = triage(database_url, "keys", "create", "--tenant", tenant, "--name", "n", "--scope", "admin")
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert "argument --tenant" in result.stderr.strip().splitlines()[-1]
    assert result.stdout == ""
    assert _key_count(owner_conn) == 0


async def test_a_tenant_the_database_refuses_is_a_clean_error(
    database_url: str, owner_conn: psycopg.Connection[Any], capsys: pytest.CaptureFixture[str]
) -> None:
    # Past the command line's own check (as if it were bypassed): the database's CHECK refuses it.
    args = argparse.Namespace(
        keys_command="create", tenant="Not A Tenant", name="n", scopes=["admin"], expires_in_days=None
    )
    with pytest.raises(SystemExit) as exited:
        await run_keys(make_settings(database_url), args)
    assert exited.value.code == 2
    error = capsys.readouterr().err.strip()
    assert len(error.splitlines()) == 1
    assert "tenant" in error
    assert "Not A Tenant" not in error
    assert _key_count(owner_conn) == 0


@pytest.mark.parametrize("days", ["0", "-5", "1.5", "soon"])
def test_expiry_must_be_a_positive_whole_number_of_days(
    database_url: str, owner_conn: psycopg.Connection[Any], days: str
) -> None:
    result = triage(
        database_url, "keys", "create", "--tenant", "t1", "--name", "n", "--scope", "admin", "--expires-in-days", days
    )
    assert result.returncode == 2, result.stdout
    assert "Traceback" not in result.stderr
    assert "argument --expires-in-days" in result.stderr.strip().splitlines()[-1]
    assert _key_count(owner_conn) == 0


def test_a_positive_expiry_is_set(database_url: str) -> None:
    result = triage(
        database_url, "keys", "create", "--tenant", "t1", "--name", "n", "--scope", "admin", "--expires-in-days", "30"
    )
    assert result.returncode == 0, result.stderr
    assert "expires: never" not in result.stdout
    assert re.search(r"^expires: \d{4}-\d{2}-\d{2}", result.stdout, re.MULTILINE), result.stdout
