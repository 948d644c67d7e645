"""The database roles of a production deployment, created once from a superuser (`triage migrate --create-roles`).

- the owner (MIGRATION_DATABASE_URL's user, e.g. `triage_owner`): owns the schema, runs migrations, nothing else;
- `triage_app` (the group every grant in the migrations names): the API and workers act as it. It is no
  superuser, has no BYPASSRLS and owns nothing, so row-level security binds it; DATABASE_URL's user is either
  `triage_app` itself (a login) or a login role whose only membership is `triage_app`.

Neither role is a member of a role that bypasses RLS, so no `SET ROLE` or `SET SESSION AUTHORIZATION` can
get a session of theirs past the policies. Running it again updates passwords and attributes and is harmless.
A database migrated earlier by the superuser is handed to the owner (its tables, views, sequences,
functions and types in `public`). No read-only ops role is made: operators read queue state through the ops
API and CLI, which are scoped and audited; a SQL role would see either nothing (RLS) or every tenant's
patients, unaudited.
"""

from __future__ import annotations

from dataclasses import dataclass

import psycopg
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict

from store.pool import APP_ROLE

# What a role the deployment creates may never have.
_NOT_PRIVILEGED = "NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOREPLICATION"


class RoleSetupError(ValueError):
    """The URLs do not describe a least-privilege deployment; the message says which and why (never a password)."""


@dataclass(frozen=True)
class Login:
    user: str
    password: str | None

    @classmethod
    def from_url(cls, url: str, setting: str) -> Login:
        params = conninfo_to_dict(url)
        user = params.get("user")
        if not user:
            raise RoleSetupError(f"{setting} names no user")
        return cls(user=str(user), password=str(params["password"]) if params.get("password") else None)


@dataclass(frozen=True)
class RolesCreated:
    owner: str
    app_login: str
    reassigned: int  # objects handed from the superuser to the owner


def create_roles(superuser_url: str, owner_url: str, app_url: str) -> RolesCreated:
    owner = Login.from_url(owner_url, "MIGRATION_DATABASE_URL")
    app = Login.from_url(app_url, "DATABASE_URL")
    if owner.user == app.user:
        raise RoleSetupError("MIGRATION_DATABASE_URL and DATABASE_URL must log in as different users")
    if owner.user == APP_ROLE:
        raise RoleSetupError(f"the owner cannot be {APP_ROLE}: the application must own nothing")
    with psycopg.connect(superuser_url, autocommit=True) as conn:
        for login, setting in ((owner, "MIGRATION_DATABASE_URL"), (app, "DATABASE_URL")):
            row = conn.execute(
                "SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = %s", (login.user,)
            ).fetchone()
            if row is not None and row[0]:
                raise RoleSetupError(
                    f"{setting}'s user {login.user} is a superuser or bypasses RLS; give it a dedicated role"
                )
        with conn.transaction():
            _ensure_role(conn, owner.user, "LOGIN", owner.password)
            _ensure_role(conn, APP_ROLE, "LOGIN" if app.user == APP_ROLE else "NOLOGIN", app.password)
            if app.user != APP_ROLE:
                _ensure_role(conn, app.user, "LOGIN NOINHERIT", app.password)
                conn.execute(sql.SQL("GRANT {} TO {}").format(sql.Identifier(APP_ROLE), sql.Identifier(app.user)))
            conn.execute(sql.SQL("GRANT USAGE, CREATE ON SCHEMA public TO {}").format(sql.Identifier(owner.user)))
            reassigned = _hand_schema_to(conn, owner.user)
    return RolesCreated(owner=owner.user, app_login=app.user, reassigned=reassigned)


def _ensure_role(conn: psycopg.Connection[tuple[object, ...]], name: str, login: str, password: str | None) -> None:
    exists = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (name,)).fetchone() is not None
    verb = "ALTER" if exists else "CREATE"
    statement = sql.SQL(f"{verb} ROLE {{}} {login} {_NOT_PRIVILEGED}").format(sql.Identifier(name))
    if password is not None:
        # The server gets a SCRAM verifier, never the password itself (which would reach its statement log).
        verifier = conn.pgconn.encrypt_password(password.encode(), name.encode(), b"scram-sha-256")
        statement = sql.SQL("{} PASSWORD {}").format(statement, sql.Literal(verifier.decode()))
    conn.execute(statement)


# The schema's objects the connecting superuser owns (a deployment migrated before these roles existed).
# Indexes follow their tables, and a table's row type and array types follow it too.
_OWNED_BY_ME = """
SELECT 'TABLE', format('%I.%I', n.nspname, c.relname) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'f') AND c.relowner = current_user::regrole
UNION ALL
SELECT 'SEQUENCE', format('%I.%I', n.nspname, c.relname) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = 'public' AND c.relkind = 'S' AND c.relowner = current_user::regrole
   AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('a', 'i'))
UNION ALL
SELECT CASE p.prokind WHEN 'p' THEN 'PROCEDURE' ELSE 'FUNCTION' END, p.oid::regprocedure::text
  FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
 WHERE n.nspname = 'public' AND p.proowner = current_user::regrole
   AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')
UNION ALL
SELECT 'TYPE', t.oid::regtype::text FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
 WHERE n.nspname = 'public' AND t.typowner = current_user::regrole AND t.typtype IN ('e', 'd', 'c', 'r')
   AND (t.typrelid = 0 OR (SELECT relkind FROM pg_class WHERE oid = t.typrelid) = 'c')
   AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = t.oid AND d.deptype = 'e')
"""


def _hand_schema_to(conn: psycopg.Connection[tuple[object, ...]], owner: str) -> int:
    objects = conn.execute(_OWNED_BY_ME).fetchall()
    for kind, name in objects:
        # `name` comes from format('%I')/regclass output: already quoted as an identifier.
        conn.execute(sql.SQL(f"ALTER {kind} {name} OWNER TO {{}}").format(sql.Identifier(owner)))
    return len(objects)
