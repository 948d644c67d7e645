"""`/ops`: the operators' dashboard — server-rendered HTML, a panel refreshed every few seconds, forms.

Signed in with an API key carrying `ops:read` (actions need `ops:write`), the same visibility as
`/v1/ops`: a platform operator's key sees every tenant, a tenant's key its own jobs. Kept out of the
OpenAPI document: it is a page for people, not part of the API.

Audit: sign-in (success or refusal), sign-out and every action are audited like the `/v1/ops` routes
(the same action names). The reads a session makes — a refresh every few seconds — are covered by its
sign-in event instead of one row per refresh.
"""

from __future__ import annotations

import re
from importlib import resources
from typing import Annotated, Any
from urllib.parse import parse_qsl, urlencode

import psycopg
import structlog
from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.security import HTTPAuthorizationCredentials
from jinja2 import Environment, PackageLoader, StrictUndefined

from api.audit.service import record_event
from api.auth import Access, AuditScope, Principal, _verified_key
from api.dashboard import sessions, views
from api.dashboard.sessions import Session
from api.errors import NotFound
from api.ops.service import audited, check_own, visible_tenant, waiting_jobs
from api.state import AppState, State
from runtime.credentials import has_scope
from store import ops
from store.audit import AuditEvent, AuditOutcome
from store.errors import is_transient
from tasks import ops as actions
from tasks.triage import TRIAGE_QUEUE

log = structlog.stdlib.get_logger(__name__)

router = APIRouter(prefix="/ops", include_in_schema=False)
JobId = Annotated[int, Path(ge=1, le=2**63 - 1)]
QueueName = Annotated[str, Path(min_length=1, max_length=128, pattern=r"^[A-Za-z0-9_.:-]+$")]
_QUEUE_NAME = re.compile(r"[A-Za-z0-9_.:-]{1,128}")
WAITING_SHOWN = 8

templates = Environment(
    loader=PackageLoader("api.dashboard", "templates"),
    autoescape=True,
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
templates.globals["seconds"] = views.seconds
templates.filters["clock"] = views.clock

# No inline script or style anywhere: the page's own files only, no frames, forms post to us only.
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}

_STATIC_TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}
STATIC: dict[str, tuple[bytes, str]] = {
    item.name: (item.read_bytes(), _STATIC_TYPES[suffix])
    for item in resources.files("api.dashboard").joinpath("static").iterdir()
    if (suffix := "." + item.name.rsplit(".", 1)[-1]) in _STATIC_TYPES
}

# What a redirect after an action may say: fixed sentences, filled with validated ids only.
MESSAGES: dict[str, tuple[str, str]] = {
    "retried": ("ok", "Job {job} retried: it waits for a worker again and its intake reads queued."),
    "cancelled": ("ok", "Job {job} cancelled: its intake failed with “Cancelled by an operator”."),
    "bulk-retried": ("ok", "{n} failed job(s) retried."),
    "paused": ("ok", "Queue {queue} paused: workers fetch nothing new from it; running jobs finish."),
    "resumed": ("ok", "Queue {queue} resumed: workers fetch from it again."),
    "already-paused": ("warn", "Queue {queue} was paused already."),
    "not-paused": ("warn", "Queue {queue} was not paused."),
    "not-found": ("bad", "No job {job} (or not one your key may see)."),
    "not-retryable": ("warn", "Job {job} is neither failed nor stalled any more: nothing to retry."),
    "not-cancellable": ("warn", "Job {job} is no longer waiting or running: nothing to cancel."),
    "signed-out": ("ok", "Signed out."),
}


# -- Pages -----------------------------------------------------------------------------------------------


@router.get("")
async def page(request: Request, state: State) -> Response:
    """The dashboard, or the sign-in form when there is no live session."""
    try:
        session = await sessions.load(state.pool, state.settings, request)
        if session is None:
            return _login_page(request, state, message=_message(request))
        if not has_scope(session.principal.scopes, "ops:read"):
            return _login_page(request, state, status=403, error="This key lacks the 'ops:read' scope.")
        context = await _panel_context(request, state, session)
    except psycopg.OperationalError as exc:
        return _unavailable(state, exc)
    if isinstance(context, Response):
        return context
    response = _html("dashboard.html", context | {"message": _message(request)})
    return _keep_cookie(response, request, state, session)


@router.get("/panel")
async def panel_fragment(request: Request, state: State) -> Response:
    """The live part of the page, fetched every TRIAGE_DASHBOARD_REFRESH_SECONDS; 401 once signed out."""
    try:
        session = await sessions.load(state.pool, state.settings, request)
        if session is None or not has_scope(session.principal.scopes, "ops:read"):
            return _plain(401, "Signed out.")
        context = await _panel_context(request, state, session)
    except psycopg.OperationalError as exc:
        return _unavailable(state, exc)
    if isinstance(context, Response):
        return context
    return _keep_cookie(_html("panel.html", context), request, state, session)


async def _panel_context(request: Request, state: AppState, session: Session) -> dict[str, Any] | Response:
    """What panel.html shows this session (its key's visibility, as on /v1/ops), or a 429."""
    limited = _rate_limited(state, session)
    if limited is not None:
        return limited
    tenant = visible_tenant(state, _access(request, session, "ops.dashboard.read", "dashboard"))
    panel = await views.load_panel(state.pool, state.settings, tenant)
    waiting = await waiting_jobs(state, tenant, queue=TRIAGE_QUEUE, limit=WAITING_SHOWN)
    return {
        "panel": panel,
        "triage": next((q for q in panel.queues if q.row.queue_name == TRIAGE_QUEUE), None),
        "waiting": waiting,
        "session": session,
        "csrf": sessions.csrf_token(state.settings, session.token),
        "can_write": has_scope(session.principal.scopes, "ops:write"),
        "refresh_seconds": state.settings.dashboard_refresh_seconds,
    }


@router.get("/static/{name}")
async def static_file(name: str) -> Response:
    found = STATIC.get(name)
    if found is None:
        raise NotFound
    body, media_type = found
    return Response(body, media_type=media_type, headers=SECURITY_HEADERS | {"Cache-Control": "public, max-age=300"})


# -- Signing in and out ----------------------------------------------------------------------------------


@router.post("/login")
async def login(request: Request, state: State) -> Response:
    """Trade an API key (ops:read) for a session cookie. Failures count against the address's
    authentication-failure budget, exactly like a bad Bearer key on the API."""
    if _cross_site(request):
        # Posted from another site: refused before any key lookup (login CSRF). Nothing to audit: no actor.
        return _refusal_page(403, "Refused: sign in from the dashboard page itself.")
    address = request.client.host if request.client else "unknown"
    limiter = state.auth_failures
    retry_after = limiter.retry_after(address)
    if retry_after is not None:
        if limiter.refused(address):
            await record_event(state, _anonymous(request, "ops.dashboard.signin", "denied"))
        response = _login_page(request, state, status=429, error=f"Too many failed attempts: wait {retry_after} s.")
        response.headers["Retry-After"] = str(retry_after)
        return response
    presented = (await _form(request)).get("key", "").strip()
    key = None
    if presented:
        key = await _verified_key(state, HTTPAuthorizationCredentials(scheme="Bearer", credentials=presented))
    if key is None:
        if limiter.failed(address):
            await record_event(state, _anonymous(request, "ops.dashboard.signin", "denied"))
        return _login_page(request, state, status=401, error="That key is not valid (unknown, revoked or expired).")
    principal = Principal(key_id=key.id, tenant_id=key.tenant_id, scopes=tuple(key.scopes))
    structlog.contextvars.bind_contextvars(tenant_id=principal.tenant_id, key_id=principal.key_id)
    if not has_scope(principal.scopes, "ops:read"):
        await record_event(state, _event(request, principal, "ops.dashboard.signin", "denied"))
        return _login_page(request, state, status=403, error="This key lacks the 'ops:read' scope.")
    if state.rate_limiter.acquire(principal.key_id) is not None:
        return _login_page(request, state, status=429, error="This key is over its rate limit: try again shortly.")
    session = await sessions.start(state.pool, state.settings, principal)
    # One audit event for the session's reads (its refreshes are not audited one by one).
    await record_event(state, _event(request, principal, "ops.dashboard.signin", "success", session.public_id))
    redirect = RedirectResponse("/ops", status_code=303, headers=SECURITY_HEADERS)
    sessions.set_cookie(redirect, request, state.settings, session)
    return redirect


@router.post("/logout")
async def logout(request: Request, state: State) -> Response:
    session = await _session_for_action(request, state, "ops.dashboard.signout", "dashboard_session")
    if not isinstance(session, Session):
        return session
    await sessions.end(state.pool, session)
    await record_event(state, _event(request, session.principal, "ops.dashboard.signout", "success", session.public_id))
    response = _redirect({"done": "signed-out"})
    sessions.clear_cookie(response, request, state.settings)
    return response


# -- Actions ---------------------------------------------------------------------------------------------


@router.post("/jobs/{job_id}/retry")
async def retry_job(job_id: JobId, request: Request, state: State) -> Response:
    access = await _writer(request, state, "ops.job.retry", "job", str(job_id))
    if not isinstance(access, Access):
        return access
    try:
        await check_own(state, access, job_id)
        await actions.retry_job(state.pool, job_id, actor=access.principal.actor)
    except (NotFound, actions.JobNotFound):
        await record_event(state, access.event("not_found"))
        return _redirect({"error": "not-found", "job": job_id})
    except actions.NotRetryable:
        await record_event(state, access.event("invalid"))
        return _redirect({"error": "not-retryable", "job": job_id})
    await audited(state, access, job_id)
    return _redirect({"done": "retried", "job": job_id})


@router.post("/jobs/{job_id}/cancel")
async def cancel_job(job_id: JobId, request: Request, state: State) -> Response:
    access = await _writer(request, state, "ops.job.cancel", "job", str(job_id))
    if not isinstance(access, Access):
        return access
    try:
        await check_own(state, access, job_id)
        done = await actions.cancel_job(state.pool, job_id, actor=access.principal.actor)
    except (NotFound, actions.JobNotFound):
        await record_event(state, access.event("not_found"))
        return _redirect({"error": "not-found", "job": job_id})
    if not done:
        await record_event(state, access.event("invalid"))
        return _redirect({"error": "not-cancellable", "job": job_id})
    await audited(state, access, job_id)
    return _redirect({"done": "cancelled", "job": job_id})


@router.post("/jobs/retry-failed")
async def retry_failed(request: Request, state: State) -> Response:
    """Retry every failed job this key may see (a bounded batch per click, like /v1/ops bulk-retry)."""
    access = await _writer(request, state, "ops.jobs.bulk_retry", "job", None)
    if not isinstance(access, Access):
        return access
    where = ops.JobFilter(tenant=visible_tenant(state, access))
    result = await actions.bulk_retry(state.pool, where, actor=access.principal.actor, dry_run=False)
    await audited(state, access)
    return _redirect({"done": "bulk-retried", "n": result.acted})


@router.post("/queues/{queue}/pause")
async def pause_queue(queue: QueueName, request: Request, state: State) -> Response:
    return await _queue_action(queue, request, state, pause=True)


@router.post("/queues/{queue}/resume")
async def resume_queue(queue: QueueName, request: Request, state: State) -> Response:
    return await _queue_action(queue, request, state, pause=False)


async def _queue_action(queue: str, request: Request, state: State, *, pause: bool) -> Response:
    action = "ops.queue.pause" if pause else "ops.queue.resume"
    access = await _writer(request, state, action, "queue", queue)
    if not isinstance(access, Access):
        return access
    if visible_tenant(state, access) is not None:
        # Queues are shared by every tenant: only the platform operator pauses them (as on /v1/ops).
        await record_event(state, access.event("denied"))
        return _refusal_page(403, "Only a platform operator's key pauses or resumes queues.")
    run = actions.pause_queue if pause else actions.resume_queue
    changed = await run(state.pool, queue, actor=access.principal.actor, tenant_id=access.tenant_id)
    await audited(state, access, resource_id=queue)
    outcome = ("paused" if changed else "already-paused") if pause else ("resumed" if changed else "not-paused")
    return _redirect({"done" if changed else "error": outcome, "queue": queue})


# -- Guards ----------------------------------------------------------------------------------------------


async def _session_for_action(
    request: Request, state: AppState, action: str, resource_type: str, resource_id: str | None = None
) -> Session | Response:
    """The session of a state-changing form, or the refusal to send: cross-site, signed out, bad CSRF."""
    if _cross_site(request):
        return await _refuse(request, state, None, action, resource_type, resource_id)
    session = await sessions.load(state.pool, state.settings, request)
    if session is None:
        # Like a request with a bad key: it spends the address's authentication-failure budget.
        address = request.client.host if request.client else "unknown"
        if state.auth_failures.retry_after(address) is not None:
            audit_it = state.auth_failures.refused(address)
        else:
            audit_it = state.auth_failures.failed(address)
        if audit_it:
            await record_event(state, _anonymous(request, action, "denied", resource_id, resource_type))
        return _login_page(request, state, status=401, error="Your session has ended: sign in again.")
    form = await _form(request)
    if not sessions.csrf_matches(state.settings, session.token, form.get("csrf")):
        return await _refuse(request, state, session, action, resource_type, resource_id)
    limited = _rate_limited(state, session)
    return limited if limited is not None else session


async def _writer(
    request: Request, state: AppState, action: str, resource_type: str, resource_id: str | None
) -> Access | Response:
    session = await _session_for_action(request, state, action, resource_type, resource_id)
    if not isinstance(session, Session):
        return session
    access = _access(request, session, action, resource_type, resource_id)
    if not has_scope(session.principal.scopes, "ops:write"):
        await record_event(state, access.event("denied"))
        return _refusal_page(403, "This key lacks the 'ops:write' scope: it can only watch.")
    return access


async def _refuse(
    request: Request,
    state: AppState,
    session: Session | None,
    action: str,
    resource_type: str,
    resource_id: str | None,
) -> Response:
    """A form that did not come from our page (no or a wrong CSRF token, or posted cross-site): 403."""
    event = (
        _event(request, session.principal, action, "denied", resource_id, resource_type)
        if session
        else _anonymous(request, action, "denied", resource_id, resource_type)
    )
    await record_event(state, event)
    return _refusal_page(403, "Refused: this form did not come from your dashboard page (missing or stale CSRF token).")


def _cross_site(request: Request) -> bool:
    """Browsers say where a request comes from (Fetch Metadata); a form from another site is refused
    before anything else. Clients that send no such header (scripts) still need the CSRF token."""
    return request.headers.get("sec-fetch-site", "same-origin") not in {"same-origin", "none"}


def _rate_limited(state: AppState, session: Session) -> Response | None:
    retry_after = state.rate_limiter.acquire(session.principal.key_id)
    if retry_after is None:
        return None
    return _plain(
        429, f"This key is over its rate limit: retry after {retry_after} s.", {"Retry-After": str(retry_after)}
    )


# -- Helpers ---------------------------------------------------------------------------------------------


def _access(
    request: Request, session: Session, action: str, resource_type: str, resource_id: str | None = None
) -> Access:
    scope = AuditScope(action=action, resource_type=resource_type, resource_id=resource_id)
    return Access(principal=session.principal, audit=scope, request_id=getattr(request.state, "request_id", None))


def _event(
    request: Request,
    principal: Principal,
    action: str,
    outcome: AuditOutcome,
    resource_id: str | None = None,
    resource_type: str = "dashboard_session",
) -> AuditEvent:
    return AuditEvent(
        tenant_id=principal.tenant_id,
        actor=principal.actor,
        action=action,
        resource_type=resource_type,
        resource_id=resource_id,
        outcome=outcome,
        request_id=getattr(request.state, "request_id", None),
    )


def _anonymous(
    request: Request,
    action: str,
    outcome: AuditOutcome,
    resource_id: str | None = None,
    resource_type: str = "dashboard_session",
) -> AuditEvent:
    return AuditEvent(
        actor="anonymous",
        action=action,
        resource_type=resource_type,
        resource_id=resource_id,
        outcome=outcome,
        request_id=getattr(request.state, "request_id", None),
    )


async def _form(request: Request) -> dict[str, str]:
    """An urlencoded form body (api.middleware.BodyGuard bounds its size); anything else reads as empty."""
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type != "application/x-www-form-urlencoded":
        return {}
    try:
        pairs = parse_qsl((await request.body()).decode("utf-8"), keep_blank_values=True, max_num_fields=10)
    except (UnicodeDecodeError, ValueError):
        return {}
    return dict(pairs)


def _message(request: Request) -> tuple[str, str] | None:
    """The fixed sentence a redirect asked for, filled with validated values only (never echoed text)."""
    code = request.query_params.get("done") or request.query_params.get("error")
    if code not in MESSAGES:
        return None
    level, text = MESSAGES[code]
    job = request.query_params.get("job", "")
    queue = request.query_params.get("queue", "")
    count = request.query_params.get("n", "")
    values = {
        "job": job if job.isdigit() and len(job) <= 19 else "?",
        "queue": queue if _QUEUE_NAME.fullmatch(queue) else "?",
        "n": count if count.isdigit() and len(count) <= 9 else "?",
    }
    return level, text.format(**values)


def _html(template: str, context: dict[str, Any], status: int = 200) -> HTMLResponse:
    body = templates.get_template(template).render(**context)
    return HTMLResponse(body, status_code=status, headers=SECURITY_HEADERS)


def _plain(status: int, text: str, headers: dict[str, str] | None = None) -> Response:
    return Response(text, status_code=status, media_type="text/plain", headers=SECURITY_HEADERS | (headers or {}))


def _login_page(
    request: Request,
    state: AppState,
    *,
    status: int = 200,
    error: str | None = None,
    message: tuple[str, str] | None = None,
) -> HTMLResponse:
    context = {"error": error, "message": message, "session_minutes": state.settings.dashboard_session_minutes}
    response = _html("login.html", context, status)
    if sessions.presented_token(request) is not None:
        sessions.clear_cookie(response, request, state.settings)  # a dead session's cookie
    return response


def _refusal_page(status: int, text: str) -> HTMLResponse:
    return _html("refused.html", {"text": text}, status)


def _redirect(query: dict[str, str | int]) -> RedirectResponse:
    return RedirectResponse("/ops?" + urlencode(query), status_code=303, headers=SECURITY_HEADERS)


def _keep_cookie(response: Response, request: Request, state: AppState, session: Session) -> Response:
    if session.touched:
        sessions.set_cookie(response, request, state.settings, session)  # the idle expiry moved on
    return response


def _unavailable(state: AppState, exc: psycopg.OperationalError) -> Response:
    if not is_transient(exc):
        raise exc
    log.warning("database unavailable", error=type(exc).__name__)
    response = _html("refused.html", {"text": "The database is unavailable: this page retries by itself."}, 503)
    response.headers["Retry-After"] = str(state.settings.retry_after_seconds)
    return response
