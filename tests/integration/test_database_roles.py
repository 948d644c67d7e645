"""Least privilege: `triage migrate --create-roles` makes an owner and an app login that cannot bypass RLS."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict

from store.migrate import apply_migrations
from store.pool import APP_ROLE, app_conninfo
from store.roles import RoleSetupError, create_roles

pytestmark = pytest.mark.integration

OWNER = "triage_owner"
ROOT = Path(__file__).resolve().parents[2]
ROLES_LOCK = 7_140_211  # any constant: the key of the lock below, in the server's `postgres` database


@pytest.fixture(autouse=True)
def _one_session_at_a_time(admin_url: str) -> Iterator[None]:
    """Roles are the server's, not a database's: pytest sessions sharing a server (mutation testing runs
    two at once) would alter `triage_app` and create the owner under each other. They take turns."""
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute("SELECT pg_advisory_lock(%s)", (ROLES_LOCK,))
        yield


def _as(url: str, user: str, password: str = "pw-not-checked-on-the-socket") -> str:  # noqa: S107
    """`url` (postgresql://user@host:port/db) logging in as `user` with `password`."""
    parts = urlsplit(url)
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit(parts._replace(netloc=f"{user}:{password}@{host}"))


def _login_url(url: str, user: str, password: str) -> str:
    """`url` logging in as `user` (no user at all when empty) with `password`."""
    if user:
        return _as(url, user, password)
    parts = urlsplit(url)  # urlunsplit would drop the `//` of an empty host (a Unix-socket URL)
    query = f"?{parts.query}" if parts.query else ""
    return f"{parts.scheme}://{parts.netloc.rpartition('@')[2]}{parts.path}{query}"


def _scram_matches(verifier: str, password: str) -> bool:
    """Whether a PostgreSQL SCRAM-SHA-256 verifier was made from `password` (RFC 5802/7677)."""
    method, _, rest = verifier.partition("$")
    iterations_salt, _, keys = rest.partition("$")
    iterations, _, salt = iterations_salt.partition(":")
    stored_key, _, server_key = keys.partition(":")
    salted = hashlib.pbkdf2_hmac("sha256", password.encode(), base64.b64decode(salt), int(iterations))
    client_key = hmac.new(salted, b"Client Key", "sha256").digest()
    return (
        method == "SCRAM-SHA-256"
        and base64.b64decode(stored_key) == hashlib.sha256(client_key).digest()
        and base64.b64decode(server_key) == hmac.new(salted, b"Server Key", "sha256").digest()
    )


def _superuser_name(url: str) -> str:
    return str(conninfo_to_dict(url).get("user") or "postgres")


def _escalation_targets(conn: psycopg.Connection[Any]) -> list[str]:
    """Every role a session could use to get past row-level security: superusers, BYPASSRLS roles, and the
    owners of the tables that have policies (an owner is exempt unless FORCE ROW LEVEL SECURITY)."""
    rows = conn.execute(
        """
        SELECT rolname FROM pg_roles WHERE rolsuper OR rolbypassrls
        UNION
        SELECT DISTINCT pg_get_userbyid(relowner) FROM pg_class WHERE relrowsecurity
        """
    ).fetchall()
    return sorted(row[0] for row in rows)


def _assert_cannot_bypass_rls(session_url: str, targets: list[str]) -> None:
    assert targets, "nothing to try: the check would pass vacuously"
    with psycopg.connect(session_url, autocommit=True) as conn:
        user, session_user = conn.execute("SELECT current_user, session_user").fetchone() or ("", "")
        assert user == APP_ROLE
        for target in targets:
            assert target not in {user, session_user}
            for statement in ("SET ROLE {}", "SET SESSION AUTHORIZATION {}"):
                with pytest.raises(psycopg.errors.InsufficientPrivilege):
                    conn.execute(sql.SQL(statement).format(sql.Identifier(target)))
            member = conn.execute("SELECT pg_has_role(session_user, %s, 'MEMBER')", (target,)).fetchone()
            assert member == (False,), f"{session_user} is a member of {target}"
        # RESET ROLE falls back to the login's own role, which must be as powerless.
        conn.execute("RESET ROLE")
        row = conn.execute(
            "SELECT rolsuper, rolbypassrls, rolcreaterole, rolcreatedb FROM pg_roles WHERE rolname = current_user"
        ).fetchone()
        assert row == (False, False, False, False)
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("ALTER TABLE intakes DISABLE ROW LEVEL SECURITY")


def test_a_fresh_database_is_owned_by_the_owner_and_the_app_login_cannot_bypass_rls(
    admin_url: str, empty_database_url: str
) -> None:
    owner_url = _as(empty_database_url, OWNER)
    app_url = _as(empty_database_url, APP_ROLE)
    created = create_roles(empty_database_url, owner_url, app_url)
    assert (created.owner, created.app_login, created.reassigned) == (OWNER, APP_ROLE, 0)

    apply_migrations(owner_url)  # the owner needs no superuser to migrate

    with psycopg.connect(empty_database_url, autocommit=True) as conn:
        owners = conn.execute(
            "SELECT DISTINCT pg_get_userbyid(relowner) FROM pg_class c JOIN pg_namespace n ON n.oid = relnamespace"
            " WHERE nspname = 'public' AND relkind IN ('r', 'p', 'v', 'S')"
        ).fetchall()
        assert owners == [(OWNER,)]
        app_owns = conn.execute("SELECT count(*) FROM pg_class WHERE relowner = %s::regrole", (APP_ROLE,)).fetchone()
        assert app_owns == (0,)
        targets = _escalation_targets(conn)
    assert OWNER in targets and _superuser_name(admin_url) in targets
    _assert_cannot_bypass_rls(app_conninfo(app_url), targets)


def test_a_separate_app_login_can_only_become_the_app_role(empty_database_url: str) -> None:
    owner_url = _as(empty_database_url, OWNER)
    login_url = _as(empty_database_url, "triage_api")
    created = create_roles(empty_database_url, owner_url, login_url)
    assert created.app_login == "triage_api"
    apply_migrations(owner_url)
    with psycopg.connect(empty_database_url, autocommit=True) as conn:
        memberships = conn.execute(
            "SELECT r.rolname FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.roleid"
            " WHERE m.member = 'triage_api'::regrole"
        ).fetchall()
        assert memberships == [(APP_ROLE,)]
        targets = _escalation_targets(conn)
    _assert_cannot_bypass_rls(app_conninfo(login_url), targets)


def test_a_database_migrated_by_the_superuser_is_handed_to_the_owner(database_url: str) -> None:
    superuser = _superuser_name(database_url)
    owner_url = _as(database_url, OWNER)
    created = create_roles(database_url, owner_url, _as(database_url, APP_ROLE))
    assert created.reassigned > 20  # the app's and Procrastinate's tables, views, functions, types
    with psycopg.connect(database_url, autocommit=True) as conn:
        left = conn.execute(
            """
            SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = relnamespace
             WHERE nspname = 'public' AND relowner = %(me)s::regrole
            UNION ALL
            SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = pronamespace
             WHERE nspname = 'public' AND proowner = %(me)s::regrole
            """,
            {"me": superuser},
        ).fetchall()
        assert left == [(0,), (0,)]
    assert apply_migrations(owner_url) == []  # the owner takes over: yoyo's own tables are its too
    with psycopg.connect(owner_url, autocommit=True) as conn:
        conn.execute("ALTER TABLE intakes ADD COLUMN owner_may_alter integer")  # what a later migration does
    assert create_roles(database_url, owner_url, _as(database_url, APP_ROLE)).reassigned == 0  # idempotent


@pytest.mark.parametrize(
    ("owner_user", "app_user", "complaint"),
    [
        # Each message names the setting at fault (one is a suffix of the other, hence the anchors).
        (None, APP_ROLE, "^MIGRATION_DATABASE_URL's user .* is a superuser"),
        (OWNER, None, "^DATABASE_URL's user .* is a superuser"),
        (OWNER, OWNER, "^MIGRATION_DATABASE_URL and DATABASE_URL must log in as different users$"),
        (APP_ROLE, "triage_api", f"cannot be {APP_ROLE}"),
        ("", APP_ROLE, "^MIGRATION_DATABASE_URL names no user$"),
        (OWNER, "", "^DATABASE_URL names no user$"),
    ],
)
def test_roles_that_would_break_least_privilege_are_refused(
    empty_database_url: str, owner_user: str | None, app_user: str | None, complaint: str
) -> None:
    superuser = _superuser_name(empty_database_url)
    owner_url = _login_url(empty_database_url, superuser if owner_user is None else owner_user, "owner-password-1")
    app_url = _login_url(empty_database_url, superuser if app_user is None else app_user, "app-password-1")
    with pytest.raises(RoleSetupError, match=complaint) as refused:
        create_roles(empty_database_url, owner_url, app_url)
    assert "password-1" not in str(refused.value)
    with psycopg.connect(empty_database_url) as conn:
        row = conn.execute("SELECT rolsuper FROM pg_roles WHERE rolname = %s", (superuser,)).fetchone()
        assert row == (True,)  # nothing was altered


def _passwords(conn: psycopg.Connection[Any], *roles: str) -> list[str | None]:
    rows = dict(conn.execute("SELECT rolname, rolpassword FROM pg_authid WHERE rolname = ANY(%s)", (list(roles),)))
    return [rows.get(role) for role in roles]


def test_the_password_reaches_the_server_as_a_scram_verifier(empty_database_url: str) -> None:
    create_roles(
        empty_database_url,
        _as(empty_database_url, OWNER, "owner-secret"),
        _as(empty_database_url, APP_ROLE, "app-secret"),
    )
    with psycopg.connect(empty_database_url) as conn:
        owner_verifier, app_verifier = _passwords(conn, OWNER, APP_ROLE)
    assert owner_verifier is not None and _scram_matches(owner_verifier, "owner-secret")
    assert app_verifier is not None and _scram_matches(app_verifier, "app-secret")
    assert not _scram_matches(owner_verifier, "app-secret")  # the check itself can fail


def test_new_roles_are_created_with_exactly_the_attributes_of_their_part(empty_database_url: str) -> None:
    # Names no earlier test created: the CREATE path, not the ALTER one.
    suffix = uuid.uuid4().hex[:8]
    owner, login = f"owner_{suffix}", f"api_{suffix}"
    create_roles(
        empty_database_url,
        _as(empty_database_url, owner, "owner-pw"),
        _as(empty_database_url, login, "login-pw"),
    )
    with psycopg.connect(empty_database_url, autocommit=True) as conn:
        attributes = conn.execute(
            "SELECT rolname, rolcanlogin, rolinherit, rolsuper, rolbypassrls, rolcreatedb, rolcreaterole,"
            " rolreplication FROM pg_roles WHERE rolname = ANY(%s) ORDER BY rolname",
            ([owner, login, APP_ROLE],),
        ).fetchall()
        owner_verifier, login_verifier = _passwords(conn, owner, login)
        # The owner may create in the schema it is to own.
        may_create = conn.execute("SELECT has_schema_privilege(%s, 'public', 'CREATE')", (owner,)).fetchone()
    assert attributes == [
        (login, True, False, False, False, False, False, False),  # a login that must SET ROLE to act
        (owner, True, True, False, False, False, False, False),
        (APP_ROLE, False, True, False, False, False, False, False),  # only reachable through the login
    ]
    assert owner_verifier is not None and _scram_matches(owner_verifier, "owner-pw")
    assert login_verifier is not None and _scram_matches(login_verifier, "login-pw")
    assert may_create == (True,)


@pytest.mark.parametrize("create_roles", [False, True])
def test_a_failed_migration_never_echoes_a_password(empty_database_url: str, create_roles: bool) -> None:
    secret = "never-echo-7c1d9e"
    closed_port = f"postgresql://triage_owner:{secret}@127.0.0.1:9/triage"  # nothing listens on port 9
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TRIAGE_", "DATABASE_URL"))}
    env |= {
        "TRIAGE_ENV": "test",
        "DATABASE_URL": _as(empty_database_url, "triage_owner", secret),  # same user as the owner: refused
        "MIGRATION_DATABASE_URL": closed_port,
        "SUPERUSER_DATABASE_URL": empty_database_url,
        "PYTHONPATH": str(ROOT),
    }
    args = ["migrate", "--create-roles"] if create_roles else ["migrate"]
    done = subprocess.run(
        [sys.executable, "-m", "runtime", *args], env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode != 0
    assert ("different users" in done.stderr) == create_roles
    assert secret not in done.stdout + done.stderr
