"""create_app(): the FastAPI application, its lifespan, routers, middleware and error handlers."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import procrastinate.exceptions
import psycopg
import structlog
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.audit.endpoints import router as audit_router
from api.audit.service import record_event
from api.auth import AuditScope, Principal
from api.compat.endpoints import router as compat_router
from api.dashboard.router import router as dashboard_router
from api.deadline import Deadline
from api.docs_ui.router import ASSETS_PATH
from api.docs_ui.router import assets as docs_assets
from api.docs_ui.router import router as docs_router
from api.errors import PROBLEM_JSON, DatabaseUnavailable, ProblemError, problem_for_status
from api.events.endpoints import router as events_router
from api.fhir.endpoints import router as fhir_router
from api.health.endpoints import router as health_router
from api.intakes.endpoints import router as intakes_router
from api.intakes.listener import DoneListener
from api.intakes.schemas import example_assessment
from api.key_cache import KeyCache
from api.metrics.endpoints import router as metrics_router
from api.metrics.middleware import HttpMetrics
from api.middleware import BodyGuard, RequestContext
from api.openapi import with_examples
from api.ops.endpoints import router as ops_router
from api.patients.endpoints import router as patients_router
from api.ratelimit import AuthFailureLimiter, RateLimiter
from api.reviews.endpoints import router as reviews_router
from api.state import AppState
from api.validation import problem_from_errors
from runtime.settings import Settings, get_settings
from store.audit import AuditEvent, AuditOutcome
from store.errors import is_transient
from store.pool import API_RECONNECT_TIMEOUT_SECONDS, open_pool
from tasks.queue import create_queue_app

log = structlog.stdlib.get_logger(__name__)

API_VERSION = "1.0.0"


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # wait=False: the API starts (and answers 503, /readyz red) while the database is still unreachable.
        # A short reconnect_timeout: it serves again within seconds of the database's return (store.pool).
        async with open_pool(
            settings.app_database_url,
            min_size=settings.pool_min_size,
            max_size=settings.pool_max_size,
            name="api",
            checkout_timeout=settings.db_timeout_seconds,
            max_waiting=settings.pool_max_waiting,
            wait=False,
            reconnect_timeout=API_RECONNECT_TIMEOUT_SECONDS,
        ) as pool:
            queue = create_queue_app()
            async with queue.open_async(pool):
                listener = DoneListener(settings.app_database_url, max_waiters=settings.max_waiters)
                await listener.start()
                app.state.triage = AppState(
                    settings=settings,
                    pool=pool,
                    queue=queue,
                    rate_limiter=RateLimiter(settings.rate_limit_per_minute),
                    auth_failures=AuthFailureLimiter(settings.auth_failures_per_minute),
                    key_cache=KeyCache(settings.key_cache_seconds),
                    listener=listener,
                )
                try:
                    yield
                finally:
                    await listener.stop()

    app = FastAPI(
        title="Triage backbone",
        version=API_VERSION,
        summary="Persist-first clinical intake and asynchronous triage for AI agents.",
        lifespan=lifespan,
        # /docs and /redoc come from api/docs_ui, with their assets served from the package instead of a CDN.
        docs_url=None,
        redoc_url=None,
        # FastAPI's own OpenTelemetry, which switches itself on when a deployment configures a tracer provider,
        # would put each request's raw path (with the patient id in it) on every span, and log records beside
        # it. Monitoring is Prometheus (/metrics, route templates only); off, it also costs no provider
        # lookups per request.
        telemetry={"tracing": False, "metrics": False, "logs": False},
    )
    for router in (
        intakes_router,
        patients_router,
        events_router,
        reviews_router,
        fhir_router,
        audit_router,
        ops_router,
        compat_router,
        health_router,
    ):
        app.include_router(router)
    app.include_router(dashboard_router)  # /ops: HTML for people, not in the OpenAPI document
    app.include_router(metrics_router)  # /metrics: Prometheus text, `metrics:read`
    with_examples(app, {("OutcomeOut", "assessment"): [example_assessment()]})
    app.include_router(docs_router)  # /docs, /redoc: no key, as FastAPI's own
    app.mount(ASSETS_PATH, docs_assets, name="docs-assets")

    app.add_middleware(
        BodyGuard,
        max_bytes=settings.max_body_bytes,
        max_depth=settings.max_json_depth,
        max_members=settings.max_json_members,
        form_prefix="/ops/",  # the dashboard's HTML forms
    )
    app.add_middleware(
        Deadline,
        seconds=settings.request_timeout_seconds,
        retry_after=settings.retry_after_seconds,
        streams=frozenset({"/v1/events"}),  # a stream ends by itself (api/events/service.py)
    )
    app.add_middleware(RequestContext)
    # Outermost: counts every request, those refused by the middleware above included.
    app.add_middleware(HttpMetrics)

    app.add_exception_handler(ProblemError, _problem_handler)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, _validation_handler)  # type: ignore[arg-type]
    app.add_exception_handler(StarletteHTTPException, _http_handler)  # type: ignore[arg-type]
    app.add_exception_handler(psycopg.OperationalError, _database_handler)
    app.add_exception_handler(procrastinate.exceptions.ConnectorException, _database_handler)
    app.add_exception_handler(Exception, _unhandled_handler)
    return app


async def _problem_handler(request: Request, exc: ProblemError) -> Response:
    await _audit_failure(request, exc.status)
    return _render(request, exc)


async def _validation_handler(request: Request, exc: RequestValidationError) -> Response:
    problem = problem_from_errors(exc.errors())
    await _audit_failure(request, problem.status)
    return _render(request, problem)


async def _http_handler(request: Request, exc: StarletteHTTPException) -> Response:
    return _render(request, problem_for_status(exc.status_code))


async def _unhandled_handler(request: Request, exc: Exception) -> Response:
    log.error("unhandled error", exc_info=exc)
    await _audit_failure(request, 500)
    return _render(request, ProblemError("The error was logged with this request id."))


async def _database_handler(request: Request, exc: Exception) -> Response:
    """A lost or refused connection, a pool timeout: 503 with Retry-After, so that the client retries."""
    if not is_transient(exc):
        return await _unhandled_handler(request, exc)
    # No audit write here: it would wait for the same unavailable database a second time. The event the
    # request owed is logged instead (action and actor only, no patient data).
    scope: AuditScope | None = getattr(request.state, "audit", None)
    principal: Principal | None = getattr(request.state, "principal", None)
    log.warning(
        "database unavailable",
        error=type(exc).__name__,
        unaudited_action=scope.action if scope and not scope.committed else None,
        actor=principal.actor if principal else None,
    )
    state: AppState = request.app.state.triage
    return _render(request, DatabaseUnavailable(state.settings.retry_after_seconds))


def _render(request: Request, problem: ProblemError) -> Response:
    return JSONResponse(
        problem.body(getattr(request.state, "request_id", None)),
        status_code=problem.status,
        headers=problem.headers,
        media_type=PROBLEM_JSON,
    )


_OUTCOME_BY_STATUS: dict[int, AuditOutcome] = {401: "denied", 403: "denied", 429: "denied", 404: "not_found"}


async def _audit_failure(request: Request, status: int) -> None:
    """Record the audit event a patient-data request owes when it did not succeed."""
    scope: AuditScope | None = getattr(request.state, "audit", None)
    if scope is None or scope.committed:
        return
    principal: Principal | None = getattr(request.state, "principal", None)
    outcome: AuditOutcome = _OUTCOME_BY_STATUS.get(status, "invalid" if status < 500 else "error")
    event = AuditEvent(
        tenant_id=principal.tenant_id if principal else None,
        actor=principal.actor if principal else "anonymous",
        action=scope.action,
        resource_type=scope.resource_type,
        resource_id=scope.resource_id,
        patient_id=scope.patient_id,
        outcome=outcome,
        request_id=getattr(request.state, "request_id", None),
    )
    state: AppState = request.app.state.triage
    try:
        await record_event(state, event)
        scope.committed = True
    except Exception as exc:  # the response must still go out; the failure is logged (type only)
        log.error("audit write failed", exc_info=exc)
