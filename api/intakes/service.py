"""Intake use cases. Each owns its transaction; the audit event commits with the access it records."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass, replace
from uuid import UUID

import orjson
from psycopg import AsyncConnection

from api.audit.service import record_access
from api.auth import Access
from api.errors import Conflict, IdempotencyKeyReused, NotFound, ValidationFailed
from api.intakes.schemas import IntakeIn
from api.state import AppState
from runtime.metrics import INTAKES_ACCEPTED
from store import intakes, reviews, webhooks
from store.audit import record
from store.tenancy import statement_transaction, tenant_transaction
from tasks.triage import TASK_NAME, TRIAGE_QUEUE


@dataclass(frozen=True, slots=True)
class Submitted:
    intake: intakes.IntakeRow
    replayed: bool = False  # True when an Idempotency-Key named an intake created by an earlier request


def request_hash(route: str, payload: dict[str, object]) -> bytes:
    """Fingerprint of a submission: the route and the validated body, key order ignored."""
    return hashlib.sha256(route.encode() + b"\n" + orjson.dumps(payload, option=orjson.OPT_SORT_KEYS)).digest()


async def validate_intake(state: AppState, access: Access, intake: IntakeIn) -> None:
    """Validation only (the schema has done it): nothing is stored or queued, the access is recorded."""
    await record_access(state, access, patient_id=intake.patient_id)


async def submit_intake(
    state: AppState, access: Access, intake: IntakeIn, *, route: str, idempotency_key: str | None = None
) -> Submitted:
    """Persist the intake and queue its triage in one transaction: both happen, or neither.

    With an Idempotency-Key, a repeat of the same request gets the intake the first one created (nothing
    new is stored or queued); the same key with another body is refused; a repeat that arrives while the
    first is still in its transaction gets 409.
    """
    if intake.callback_url is not None:
        await _check_callback(state, access, intake.callback_url)
    payload = intake.stored_payload()
    key = None
    if idempotency_key is not None:
        key = intakes.IdempotencyKey(
            key=idempotency_key,
            request_hash=request_hash(route, payload),
            hours=state.settings.idempotency_key_hours,
        )
    # The job carries ids only; the worker reads the intake (and its PHI) from the table. Job, intake and audit
    # event are written by one statement (store.intakes.submit_intake), which sets the tenant itself.
    submission = intakes.Submission(
        intake_id=uuid.uuid4(),
        tenant_id=access.tenant_id,
        patient_id=intake.patient_id,
        payload=payload,
        created_by=access.principal.actor,
        queue=TRIAGE_QUEUE,
        task=TASK_NAME,
        audit_action=access.audit.action,
        audit_resource_type=access.audit.resource_type,
        request_id=access.request_id,
        idempotency=key,
    )
    earlier = None
    if key is None:
        # Nothing to look up first: the statement is the whole transaction (one round trip).
        async with state.pool.connection() as conn, statement_transaction(conn):
            row = await intakes.submit_intake(conn, submission)
    else:
        async with state.pool.connection() as conn, tenant_transaction(conn, access.tenant_id, pipelined=True):
            earlier = await _claim_idempotency_key(conn, access, key)
            if earlier is not None:
                await record(conn, replace(access.event(resource_id=str(earlier.id)), action="intake.replay"))
            else:
                row = await intakes.submit_intake(conn, submission)
    # Only now: in pipeline mode an error in the audit insert surfaces at COMMIT, and the error handler must
    # then still record the failure (api.app._audit_failure skips a committed scope).
    access.audit.committed = True
    if earlier is not None:
        return Submitted(earlier, replayed=True)
    INTAKES_ACCEPTED.inc()  # after the commit: only what was really accepted
    return Submitted(row)


async def _claim_idempotency_key(
    conn: AsyncConnection, access: Access, key: intakes.IdempotencyKey
) -> intakes.IntakeRow | None:
    """The intake an earlier request with this key created, or None when this request may go ahead.

    A transaction-scoped advisory lock on (tenant, key owner, key) makes a concurrent duplicate fail fast
    with 409 instead of both inserting; the unique index is the backstop.
    """
    owner = access.principal.actor
    lock_name = f"{access.tenant_id}/{owner}/{key.key}"
    cur = await conn.execute("SELECT pg_try_advisory_xact_lock(hashtextextended(%s, 0))", (lock_name,))
    locked = await cur.fetchone()
    if not (locked and locked[0]):
        raise Conflict
    earlier = await intakes.find_by_idempotency_key(
        conn, tenant_id=access.tenant_id, created_by=owner, idempotency_key=key.key
    )
    if earlier is None:
        return None
    if not earlier.live:
        await intakes.release_idempotency_key(conn, earlier.intake.id)
        return None
    if earlier.request_hash != key.request_hash:
        raise IdempotencyKeyReused
    return earlier.intake


async def read_intake(state: AppState, access: Access, intake_id: UUID) -> intakes.IntakeView:
    async with state.pool.connection() as conn, tenant_transaction(conn, access.tenant_id, pipelined=True):
        view = await intakes.get_view(conn, intake_id, stalled_after=state.settings.worker_stalled_seconds)
        if view is None:
            # Another tenant's intake is indistinguishable from a missing one.
            raise NotFound("No intake with this id.")
        if view.outcome is not None:
            view = replace(view, reviews=(await reviews.for_intakes(conn, [intake_id])).get(intake_id, ()))
        await record(conn, access.event(patient_id=view.intake.patient_id))
    access.audit.committed = True
    return view


async def list_patient_intakes(
    state: AppState, access: Access, patient_id: str, *, limit: int, cursor: UUID | None = None
) -> tuple[list[intakes.IntakeView], UUID | None]:
    async with state.pool.connection() as conn, tenant_transaction(conn, access.tenant_id, pipelined=True):
        views = await intakes.list_patient_views(
            conn, patient_id, limit=limit + 1, after_id=cursor, stalled_after=state.settings.worker_stalled_seconds
        )
        found = await reviews.for_intakes(conn, [v.intake.id for v in views if v.outcome is not None])
        views = [replace(v, reviews=found.get(v.intake.id, ())) for v in views]
        await record(conn, access.event(patient_id=patient_id))
    access.audit.committed = True
    next_cursor = views[limit - 1].intake.id if len(views) > limit else None
    return views[:limit], next_cursor


async def _check_callback(state: AppState, access: Access, url: str) -> None:
    """Refuse (422, nothing stored) a callback URL outside the tenant's allow-list."""
    async with state.pool.connection() as conn, tenant_transaction(conn, access.tenant_id):
        destinations = await webhooks.allowed_destinations(conn, access.tenant_id)
    if webhooks.destination_for(url, destinations) is None:
        raise ValidationFailed(
            "The callback URL is not allow-listed for this tenant.",
            errors=[
                {
                    "field": "callback_url",
                    "message": "must start with one of the tenant's allow-listed prefixes (triage webhooks allow)",
                    "type": "not_allow_listed",
                }
            ],
        )


async def list_deliveries(state: AppState, access: Access, intake_id: UUID) -> list[webhooks.Delivery]:
    """The intake's callback deliveries (404 if the tenant has no such intake); the read is audited."""
    async with state.pool.connection() as conn, tenant_transaction(conn, access.tenant_id):
        status = await intakes.get_status(conn, intake_id)
        if status is None:
            raise NotFound("No intake with this id.")
        found = await webhooks.deliveries_for_intake(conn, intake_id)
        await record(conn, access.event(resource_id=str(intake_id)))
    access.audit.committed = True
    return found
