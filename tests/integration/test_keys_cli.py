"""`triage keys create|list|revoke|rotate` against a real database, and the keys they mint at the API."""

from __future__ import annotations

import re
import subprocess
import sys

import httpx
import pytest

from tests.helpers import ROOT, bearer, child_env

TOKEN = re.compile(r"^tq_test_[a-z0-9]{12}_\S+$", re.MULTILINE)


def triage(database_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "runtime.cli", *args],
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


async def test_create_list_rotate_revoke(app_client: httpx.AsyncClient, database_url: str) -> None:
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


def test_rotation_with_no_grace_ends_the_old_key_now(database_url: str) -> None:
    token = created_token(
        triage(database_url, "keys", "create", "--tenant", "t1", "--name", "n", "--scope", "admin").stdout
    )
    rotated = triage(database_url, "keys", "rotate", token.split("_")[2], "--grace-days", "0")
    assert rotated.returncode == 0
    listing = triage(database_url, "keys", "list").stdout
    assert listing.count("t1") == 2


@pytest.mark.parametrize("scope", ["everything", "intake:delete"])
def test_unknown_scopes_are_refused(database_url: str, scope: str) -> None:
    result = triage(database_url, "keys", "create", "--tenant", "t1", "--name", "n", "--scope", scope)
    assert result.returncode == 2
    assert "invalid choice" in result.stderr
