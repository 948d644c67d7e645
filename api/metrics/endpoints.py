"""`GET /metrics`: Prometheus' text format, for a key with the `metrics:read` scope.

Not audited: a scrape every 15 s would write thousands of rows a day, and it reads no patient data (the
audit trail records access to patient data and operators' actions). Failed authentications are still
throttled per address like on every route.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends
from fastapi.responses import PlainTextResponse, Response
from prometheus_client import generate_latest
from prometheus_client.exposition import CONTENT_TYPE_PLAIN_0_0_4
from starlette.concurrency import run_in_threadpool

from api.auth import Principal, require
from api.errors import PlatformOnly
from api.metrics.cluster import ClusterCollector, read_cluster
from api.openapi import problem_responses
from api.state import State
from runtime.metrics import process_registry, sample_pool

METRICS_SCOPE = "metrics:read"

router = APIRouter(tags=["metrics"])

_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "Prometheus text exposition format 0.0.4",
        "content": {"text/plain": {"schema": {"type": "string"}}},
    },
    **problem_responses(401, 403, 422, 429, 503),
}


@router.get("/metrics", response_class=PlainTextResponse, responses=_RESPONSES, summary="Prometheus metrics")
async def metrics(state: State, principal: Annotated[Principal, Depends(require(METRICS_SCOPE))]) -> Response:
    """This process's metrics (or, in multiprocess mode, those of every process on its host that shares
    PROMETHEUS_MULTIPROC_DIR) and the cluster's state read from the database. Labels never carry patient
    data. See docs/operations.md#metrics."""
    platform = state.settings.platform_tenant
    if platform is not None and principal.tenant_id != platform:
        raise PlatformOnly("Metrics cover every tenant: only the platform operator's keys may read them.")
    sample_pool(state.pool, "api")
    stalled_after = state.settings.worker_stalled_seconds
    reading = await read_cluster(
        state.pool, budget_seconds=state.settings.metrics_db_timeout_seconds, stalled_after=stalled_after
    )
    cluster = ClusterCollector(reading, stalled_after=stalled_after)
    # Off the event loop: in multiprocess mode this reads every process's files.
    body = await run_in_threadpool(lambda: generate_latest(process_registry()) + generate_latest(cluster))
    return Response(body, media_type=CONTENT_TYPE_PLAIN_0_0_4)
