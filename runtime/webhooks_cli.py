"""`triage webhooks …`: a tenant's callback allow-list and signing secrets, straight from the database.

  allow --tenant T --url-prefix https://hooks.example.org/triage/ [--allow-private]
  disallow --tenant T --url-prefix …
  list --tenant T
  rotate-secret --tenant T [--overlap-hours 24]   (prints the new secret once; the old one signs too until then)

Each change is audited (actor `cli:webhooks`) in its own transaction.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

import psycopg

from runtime.settings import Settings
from runtime.tenants_cli import _tenant_id
from store import tenants, webhooks
from store.audit import AuditEvent, record
from store.pool import app_conninfo
from store.tenancy import tenant_transaction
from tasks.webhooks import new_secret

ACTOR = "cli:webhooks"


def add_parser(commands: Any) -> None:
    parser = commands.add_parser("webhooks", help="a tenant's callback allow-list and signing secrets")
    sub = parser.add_subparsers(dest="webhooks_command", required=True)
    allow = sub.add_parser("allow", help="let the tenant's intakes name callback URLs under this prefix")
    allow.add_argument("--tenant", required=True, type=_tenant_id)
    allow.add_argument("--url-prefix", required=True, type=_url_prefix)
    allow.add_argument(
        "--allow-private",
        action="store_true",
        help="also private, loopback and link-local destinations (and plain http): only for your own network",
    )
    disallow = sub.add_parser("disallow", help="remove a prefix (pending deliveries under it are given up)")
    disallow.add_argument("--tenant", required=True, type=_tenant_id)
    disallow.add_argument("--url-prefix", required=True)
    listing = sub.add_parser("list", help="the tenant's allow-list and how many signing secrets are in force")
    listing.add_argument("--tenant", required=True, type=_tenant_id)
    rotate = sub.add_parser("rotate-secret", help="a new signing secret, printed once")
    rotate.add_argument("--tenant", required=True, type=_tenant_id)
    rotate.add_argument(
        "--overlap-hours", type=float, default=24.0, help="how long the current secret keeps signing too"
    )


def _url_prefix(value: str) -> str:
    scheme, _, rest = value.partition("://")
    host, slash, _ = rest.partition("/")
    if scheme not in {"https", "http"} or not host or not slash or any(c in host for c in "@?# "):
        raise argparse.ArgumentTypeError("must look like https://host[:port]/path/ (the path may be just /)")
    return value


async def run(settings: Settings, args: argparse.Namespace) -> int:
    """Exit status: 0 done, 1 no such tenant or entry, 2 refused."""
    tenant_id: str = args.tenant
    command: str = args.webhooks_command
    if command == "allow" and args.url_prefix.startswith("http://") and not args.allow_private:
        print("plain http is allowed only with --allow-private (your own network)", file=sys.stderr)
        return 2
    async with (
        await psycopg.AsyncConnection.connect(app_conninfo(settings.app_database_url)) as conn,
        tenant_transaction(conn, tenant_id),
    ):
        if await tenants.get_escalation_policy(conn, tenant_id) is None:
            print(f"no tenant {tenant_id!r} (a tenant is created with its first key)", file=sys.stderr)
            return 1
        if command == "list":
            for entry in await webhooks.allowed_destinations(conn, tenant_id):
                print(entry.url_prefix + ("  (private destinations allowed)" if entry.allow_private else ""))
            print(f"signing secrets in force: {len(await webhooks.signing_secrets(conn, tenant_id))}")
            return 0
        if command == "allow":
            await webhooks.allow(conn, tenant_id, args.url_prefix, allow_private=args.allow_private)
        elif command == "disallow" and not await webhooks.disallow(conn, tenant_id, args.url_prefix):
            print(f"{args.url_prefix!r} is not on {tenant_id}'s allow-list", file=sys.stderr)
            return 1
        secret = None
        if command == "rotate-secret":
            secret = new_secret()
            await webhooks.rotate_secret(conn, tenant_id, secret, overlap_hours=args.overlap_hours)
        await record(
            conn,
            AuditEvent(
                tenant_id=tenant_id,
                actor=ACTOR,
                action=f"webhooks.{command}",
                resource_type="tenant",
                resource_id=tenant_id,
                outcome="success",
            ),
        )
    if secret is not None:
        print(f"{secret}\n\nStore it now: it is not shown again.")
        print(f"The previous secret, if any, signs too for {args.overlap_hours:g} h.")
    else:
        print("done")
    return 0
