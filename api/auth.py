"""Authentication (Bearer API keys), scope checks, the per-key rate limit, and the audit scope.

`access_for(scope, action, resource)` is the one dependency a patient-data route declares: it marks the
request as audited *before* authenticating, so a denial is recorded as surely as a success.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated
from uuid import UUID

import structlog
from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from api.errors import Forbidden, RateLimited, Unauthorized
from api.state import AppState, State
from api.validation import reject_unknown_query_parameters
from runtime.credentials import has_scope, parse_token, secret_matches
from store import api_keys
from store.audit import AuditEvent, AuditOutcome


@dataclass(frozen=True, slots=True)
class Principal:
    key_id: str
    tenant_id: str
    scopes: tuple[str, ...]

    @property
    def actor(self) -> str:
        return f"key:{self.key_id}"


@dataclass(slots=True)
class AuditScope:
    """The audit event a request owes: written by the service on success, by the error handler otherwise."""

    action: str
    resource_type: str
    resource_id: str | None = None
    patient_id: str | None = None
    committed: bool = False


@dataclass(slots=True)
class Access:
    """Who is acting on which audited action; services build their audit events from it."""

    principal: Principal
    audit: AuditScope
    request_id: str | None = None

    @property
    def tenant_id(self) -> str:
        return self.principal.tenant_id

    def reading(self, intake_id: UUID) -> Access:
        """The same caller reading an intake, audited as its own action (a submission that waits for its outcome)."""
        return Access(
            principal=self.principal,
            audit=AuditScope(action="intake.read", resource_type="intake", resource_id=str(intake_id)),
            request_id=self.request_id,
        )

    def event(
        self,
        outcome: AuditOutcome = "success",
        *,
        resource_id: str | None = None,
        patient_id: str | None = None,
    ) -> AuditEvent:
        return AuditEvent(
            tenant_id=self.principal.tenant_id,
            actor=self.principal.actor,
            action=self.audit.action,
            resource_type=self.audit.resource_type,
            resource_id=resource_id or self.audit.resource_id,
            patient_id=patient_id or self.audit.patient_id,
            outcome=outcome,
            request_id=self.request_id,
        )


# Declares the Bearer scheme in OpenAPI; the checks themselves are ours (uniform 401 problem+json).
bearer_scheme = HTTPBearer(auto_error=False, description="An API key: `Authorization: Bearer tq_live_<id>_<secret>`.")
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)]


async def authenticate(
    request: Request, state: AppState, credentials: HTTPAuthorizationCredentials | None, required_scope: str
) -> Principal:
    # An address that keeps failing is held back before its key costs a lookup (or its refusal an audit row).
    address = request.client.host if request.client else "unknown"
    retry_after = state.auth_failures.retry_after(address)
    if retry_after is not None:
        _audit_unless_throttled(request, state.auth_failures.refused(address))
        raise RateLimited(retry_after)
    key = await _verified_key(state, credentials)
    if key is None:
        _audit_unless_throttled(request, state.auth_failures.failed(address))
        raise Unauthorized
    principal = Principal(key_id=key.id, tenant_id=key.tenant_id, scopes=tuple(key.scopes))
    request.state.principal = principal
    structlog.contextvars.bind_contextvars(tenant_id=principal.tenant_id, key_id=principal.key_id)
    if not has_scope(principal.scopes, required_scope):
        raise Forbidden(f"This operation needs the '{required_scope}' scope.")
    retry_after = state.rate_limiter.acquire(principal.key_id)
    if retry_after is not None:
        raise RateLimited(retry_after)
    # After authentication, so that an unknown parameter on a patient-data route is audited like any
    # other refusal, and strangers learn nothing about the parameters a route takes.
    reject_unknown_query_parameters(request)
    return principal


async def _verified_key(state: AppState, credentials: HTTPAuthorizationCredentials | None) -> api_keys.ApiKeyRow | None:
    """The presented key when it is known, matches, and is neither revoked nor expired; else None.

    A key verified in the last `key_cache_seconds` is taken from the process's cache (api.key_cache): no
    connection, no query. Only a fresh read touches `last_used_at` (throttled in SQL to once a minute).
    """
    presented = parse_token(credentials.credentials) if credentials else None
    if presented is None:
        return None
    pepper = state.settings.key_pepper.get_secret_value()
    key = state.key_cache.get(presented.key_id)
    if key is None:
        read_at = time.monotonic()
        async with state.pool.connection() as conn:
            key = await api_keys.get_key(conn, presented.key_id)
            if key is None or not _usable(key) or not secret_matches(pepper, presented, key.secret_hash):
                return None
            await api_keys.touch_key(conn, key.id)
        state.key_cache.put(key, read_at=read_at)
        return key
    if not _usable(key) or not secret_matches(pepper, presented, key.secret_hash):
        return None
    return key


def _usable(key: api_keys.ApiKeyRow) -> bool:
    return key.revoked_at is None and (key.expires_at is None or key.expires_at > datetime.now(UTC))


def _audit_unless_throttled(request: Request, audit: bool) -> None:
    scope: AuditScope | None = getattr(request.state, "audit", None)
    if not audit and scope is not None:
        # Not an audit write but a count (api.ratelimit logs it once per window): the error handler
        # (api.app._audit_failure) skips a scope already committed, so a flood costs no row per request.
        scope.committed = True


def require(scope: str) -> Callable[..., Awaitable[Principal]]:
    """Dependency for routes that touch no patient data (keys, ops)."""

    async def dependency(request: Request, state: State, credentials: Credentials) -> Principal:
        return await authenticate(request, state, credentials, scope)

    return dependency


def access_for(scope: str, action: str, resource_type: str) -> Callable[..., Awaitable[Access]]:
    """Dependency for patient-data routes: audited on every outcome, then authenticated."""

    async def dependency(request: Request, state: State, credentials: Credentials) -> Access:
        audit = AuditScope(
            action=action,
            resource_type=resource_type,
            resource_id=_bounded(request.path_params.get("intake_id")),
            patient_id=_bounded(request.path_params.get("patient_id")),
        )
        request.state.audit = audit
        principal = await authenticate(request, state, credentials, scope)
        return Access(principal=principal, audit=audit, request_id=getattr(request.state, "request_id", None))

    return dependency


def _bounded(value: object) -> str | None:
    return str(value)[:64] if value is not None else None
