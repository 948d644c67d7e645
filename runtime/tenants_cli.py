"""`triage tenants …`: per-tenant settings, straight from the database.

`triage tenants policy --tenant ID` prints the tenant's escalation policy; with `--escalation flag|escalate`
it sets it (audited as `tenant.policy.update`, actor `cli:tenants`, in the same transaction). The worker reads
the policy when it claims an intake, so a change applies to intakes triaged after it.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg import AsyncConnection

from runtime.settings import Settings
from store import api_keys, reviews, tenants
from store.audit import AuditEvent, record
from store.pool import app_conninfo
from store.reviews import REVIEW_POLICIES
from store.tenancy import tenant_transaction
from triage.models import ESCALATION_POLICIES

ACTOR = "cli:tenants"


def add_parser(commands: Any) -> None:
    parser = commands.add_parser("tenants", help="per-tenant settings (escalation and review policies)")
    sub = parser.add_subparsers(dest="tenants_command", required=True)
    policy = sub.add_parser(
        "policy",
        help="show a tenant's escalation policy, or set it with --escalation",
        description="What a met 'consider ESI 2' criterion does: 'escalate' (the default) raises ESI 3-5 to ESI 2;"
        " 'flag' keeps the computed level and asks for clinician review. Applies to intakes triaged after a change.",
    )
    policy.add_argument("--tenant", required=True, type=_tenant_id)
    policy.add_argument("--escalation", choices=ESCALATION_POLICIES, default=None, help="set the policy")
    review = sub.add_parser(
        "review-policy",
        help="show which outcomes go to the clinician review queue, or set it with --set",
        description="'flagged' (the default): outcomes the engine marks review_required; 'all': every outcome.",
    )
    review.add_argument("--tenant", required=True, type=_tenant_id)
    review.add_argument("--set", choices=REVIEW_POLICIES, default=None, dest="review_policy")
    model = sub.add_parser(
        "model-opinion",
        help="show whether a model gives a second opinion on the tenant's outcomes, or set it with --set",
        description="'off' (the default); 'on': the structured intake only (no patient id, no free text); "
        "'on_with_free_text': symptoms and notes too. Needs TRIAGE_MODEL_URL on the workers.",
    )
    model.add_argument("--tenant", required=True, type=_tenant_id)
    model.add_argument("--set", choices=("off", "on", "on_with_free_text"), default=None, dest="model_opinion")


def _tenant_id(value: str) -> str:
    if not api_keys.is_tenant_id(value):
        raise argparse.ArgumentTypeError("must be 1-63 of a-z, 0-9, '_' and '-', starting with a letter or digit")
    return value


async def run(settings: Settings, args: argparse.Namespace) -> int:
    """Exit status: 0 done, 1 no such tenant."""
    tenant_id: str = args.tenant
    if args.tenants_command == "review-policy":
        setting = _Setting("review policy", "tenant.review_policy.update", reviews.get_policy, reviews.set_policy)
        return await _show_or_set(settings, tenant_id, args.review_policy, setting)
    if args.tenants_command == "model-opinion":
        setting = _Setting(
            "model second opinion", "tenant.model_opinion.update", tenants.get_model_opinion, tenants.set_model_opinion
        )
        return await _show_or_set(settings, tenant_id, args.model_opinion, setting)
    async with (
        await psycopg.AsyncConnection.connect(app_conninfo(settings.app_database_url)) as conn,
        tenant_transaction(conn, tenant_id),  # the audit row is the tenant's (row-level security on audit_events)
    ):
        if args.escalation is None:
            current = await tenants.get_escalation_policy(conn, tenant_id)
            if current is None:
                print(f"no tenant {tenant_id!r}", file=sys.stderr)
                return 1
            print(current)
            return 0
        previous = await tenants.set_escalation_policy(conn, tenant_id, args.escalation)
        if previous is None:
            print(f"no tenant {tenant_id!r} (a tenant is created with its first key)", file=sys.stderr)
            return 1
        await record(
            conn,
            AuditEvent(
                tenant_id=tenant_id,
                actor=ACTOR,
                action="tenant.policy.update",
                resource_type="tenant",
                resource_id=tenant_id,
                outcome="success",
            ),
        )
    print(f"{tenant_id}: escalation policy {args.escalation} (was {previous}); applies to intakes triaged from now on")
    return 0


@dataclass(frozen=True)
class _Setting:
    """A per-tenant column the CLI shows or sets (the escalation policy keeps its own path: it locks the row)."""

    label: str
    audit_action: str
    read: Callable[[AsyncConnection, str], Awaitable[str | None]]
    write: Callable[[AsyncConnection, str, Any], Awaitable[bool]]


async def _show_or_set(settings: Settings, tenant_id: str, value: str | None, setting: _Setting) -> int:
    async with (
        await psycopg.AsyncConnection.connect(app_conninfo(settings.app_database_url)) as conn,
        tenant_transaction(conn, tenant_id),
    ):
        current = await setting.read(conn, tenant_id)
        if current is None:
            print(f"no tenant {tenant_id!r} (a tenant is created with its first key)", file=sys.stderr)
            return 1
        if value is None:
            print(current)
            return 0
        await setting.write(conn, tenant_id, value)
        await record(
            conn,
            AuditEvent(
                tenant_id=tenant_id,
                actor=ACTOR,
                action=setting.audit_action,
                resource_type="tenant",
                resource_id=tenant_id,
                outcome="success",
            ),
        )
    print(f"{tenant_id}: {setting.label} {value} (was {current})")
    return 0
