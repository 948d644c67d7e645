"""`/v1/ops`: queue state and job actions for operators (`ops:read`, `ops:write`), audited like every route.

A tenant's ops key sees its own tenant's jobs only; a key of the platform tenant (TRIAGE_PLATFORM_TENANT)
sees every tenant's, and the maintenance jobs. Queues are shared by every tenant: only the platform
operator pauses and resumes them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import asdict
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query

from api.auth import Access, access_for
from api.errors import JobStateConflict, NotFound, PlatformOnly
from api.openapi import problem_responses
from api.ops import service
from api.ops.schemas import (
    BulkActionIn,
    BulkActionOut,
    JobActionOut,
    JobDetail,
    JobEventOut,
    JobFailureOut,
    JobOut,
    JobPage,
    PausedQueueOut,
    QueueActionOut,
    QueueOut,
    QueuesOut,
    ThroughputOut,
    WorkerList,
    WorkerOut,
)
from api.ops.service import audited, check_own, visible_tenant
from api.state import AppState, State
from api.validation import Rfc3339DateTime
from store import ops
from tasks import ops as actions

router = APIRouter(prefix="/v1/ops", tags=["ops"])
JobId = Annotated[int, Path(ge=1, le=2**63 - 1)]
QueuePath = Annotated[str, Path(min_length=1, max_length=128, pattern=r"^[A-Za-z0-9_.:-]+$")]


@router.get("/queues", response_model=QueuesOut, responses=problem_responses(401, 403, 422, 429, 503))
async def list_queues(
    state: State, access: Annotated[Access, Depends(access_for("ops:read", "ops.queues.read", "queue"))]
) -> QueuesOut:
    """Jobs by status per queue, the oldest waiting job's age, throughput and p50/p95 wait and run times,
    and the paused queues."""
    current = await service.queue_state(state, access)
    paused_names = {p.queue_name for p in current.paused}
    return QueuesOut(
        scope="tenant" if visible_tenant(state, access) else "platform",
        queues=[QueueOut(**asdict(q), paused=q.queue_name in paused_names) for q in current.queues],
        throughput=[ThroughputOut(**asdict(w)) for w in current.throughput],
        paused=[PausedQueueOut(**asdict(p)) for p in current.paused],
    )


@router.get("/jobs", response_model=JobPage, responses=problem_responses(401, 403, 422, 429, 503))
async def list_jobs(
    state: State,
    access: Annotated[Access, Depends(access_for("ops:read", "ops.jobs.list", "job"))],
    queue: Annotated[str | None, Query(max_length=128, pattern=r"^[A-Za-z0-9_.:-]+$")] = None,
    status: ops.JobStatus | None = None,
    task: Annotated[str | None, Query(max_length=128, pattern=r"^[A-Za-z0-9_.:-]+$")] = None,
    since: Annotated[Rfc3339DateTime | None, Query(description="Deferred at or after (RFC 3339)")] = None,
    until: Annotated[Rfc3339DateTime | None, Query(description="Deferred before (RFC 3339), exclusive")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    cursor: Annotated[int | None, Query(ge=1, le=2**63 - 1, description="`next_cursor` of the previous page")] = None,
) -> JobPage:
    """Jobs, newest first, filtered by queue, status, task and deferral time; keyset-paginated."""
    rows = await service.list_jobs(
        state, access, queue=queue, status=status, task=task, since=since, until=until, before_id=cursor, limit=limit
    )
    return JobPage(
        items=[JobOut(**asdict(row)) for row in rows], next_cursor=rows[-1].id if len(rows) == limit else None
    )


@router.get("/jobs/{job_id}", response_model=JobDetail, responses=problem_responses(401, 403, 404, 422, 429, 503))
async def read_job(
    job_id: JobId,
    state: State,
    access: Annotated[Access, Depends(access_for("ops:read", "ops.job.read", "job"))],
) -> JobDetail:
    """One job and its events (attempts, retries, the end) — for another tenant's job, 404."""
    history = await service.read_job(state, access, job_id)
    failed = history.failure
    failure = (
        JobFailureOut(reason=failed.failure_reason, detail=failed.failure_detail, failed_at=failed.failed_at)
        if failed
        else None
    )
    return JobDetail(
        job=JobOut(**asdict(history.job)), events=[JobEventOut(**asdict(e)) for e in history.events], failure=failure
    )


@router.get("/workers", response_model=WorkerList, responses=problem_responses(401, 403, 422, 429, 503))
async def list_workers(
    state: State, access: Annotated[Access, Depends(access_for("ops:read", "ops.workers.read", "worker"))]
) -> WorkerList:
    """Live workers (they serve every tenant): last heartbeat, seconds silent, jobs running."""
    rows = await service.list_workers(state, access)
    return WorkerList(items=[WorkerOut(**asdict(row)) for row in rows])


@router.get("/stalled", response_model=JobPage, responses=problem_responses(401, 403, 422, 429, 503))
async def list_stalled(
    state: State, access: Annotated[Access, Depends(access_for("ops:read", "ops.stalled.read", "job"))]
) -> JobPage:
    """Running jobs whose worker is gone or silent: stalled-job recovery re-queues them within 10 s."""
    rows = await service.list_stalled(state, access)
    return JobPage(items=[JobOut(**asdict(row)) for row in rows], next_cursor=None)


@router.post(
    "/jobs/{job_id}/retry", response_model=JobActionOut, responses=problem_responses(401, 403, 404, 409, 422, 429, 503)
)
async def retry_job(
    job_id: JobId,
    state: State,
    access: Annotated[Access, Depends(access_for("ops:write", "ops.job.retry", "job"))],
) -> JobActionOut:
    """A failed job (or a running one whose worker is gone) runs again; its intake reads `queued`."""
    await check_own(state, access, job_id)
    try:
        await actions.retry_job(state.pool, job_id, actor=access.principal.actor)
    except actions.JobNotFound:
        raise NotFound("No job with this id.") from None
    except actions.NotRetryable:
        raise JobStateConflict("Only a failed job, or a running one whose worker is gone, can be retried.") from None
    await audited(state, access, job_id)
    return JobActionOut(job_id=job_id, result="retried")


@router.post(
    "/jobs/{job_id}/cancel", response_model=JobActionOut, responses=problem_responses(401, 403, 404, 409, 422, 429, 503)
)
async def cancel_job(
    job_id: JobId,
    state: State,
    access: Annotated[Access, Depends(access_for("ops:write", "ops.job.cancel", "job"))],
) -> JobActionOut:
    """A waiting job is cancelled, a running one asked to abort; its intake fails with a reason."""
    await check_own(state, access, job_id)
    try:
        done = await actions.cancel_job(state.pool, job_id, actor=access.principal.actor)
    except actions.JobNotFound:
        raise NotFound("No job with this id.") from None
    if not done:
        raise JobStateConflict("Only a waiting or running job can be cancelled.")
    await audited(state, access, job_id)
    return JobActionOut(job_id=job_id, result="cancelled")


@router.post(
    "/jobs/bulk-retry",
    response_model=BulkActionOut,
    responses=problem_responses(400, 401, 403, 413, 415, 422, 429, 503),
)
async def bulk_retry(
    body: BulkActionIn,
    state: State,
    access: Annotated[Access, Depends(access_for("ops:write", "ops.jobs.bulk_retry", "job"))],
) -> BulkActionOut:
    """Retry every failed job matching the filter (a dry run, the default, only counts them)."""
    return await _bulk(state, access, body, actions.bulk_retry)


@router.post(
    "/jobs/bulk-cancel",
    response_model=BulkActionOut,
    responses=problem_responses(400, 401, 403, 413, 415, 422, 429, 503),
)
async def bulk_cancel(
    body: BulkActionIn,
    state: State,
    access: Annotated[Access, Depends(access_for("ops:write", "ops.jobs.bulk_cancel", "job"))],
) -> BulkActionOut:
    """Cancel every waiting job matching the filter (a dry run, the default, only counts them)."""
    return await _bulk(state, access, body, actions.bulk_cancel)


@router.post(
    "/queues/{queue}/pause", response_model=QueueActionOut, responses=problem_responses(401, 403, 422, 429, 503)
)
async def pause_queue(
    queue: QueuePath,
    state: State,
    access: Annotated[Access, Depends(access_for("ops:write", "ops.queue.pause", "queue"))],
) -> QueueActionOut:
    """Workers fetch no new job from the queue (running jobs finish); it stays paused across restarts."""
    _platform_only(state, access)
    changed = await actions.pause_queue(state.pool, queue, actor=access.principal.actor, tenant_id=access.tenant_id)
    await audited(state, access, resource_id=queue)
    return QueueActionOut(queue_name=queue, result="paused" if changed else "already_paused")


@router.post(
    "/queues/{queue}/resume", response_model=QueueActionOut, responses=problem_responses(401, 403, 422, 429, 503)
)
async def resume_queue(
    queue: QueuePath,
    state: State,
    access: Annotated[Access, Depends(access_for("ops:write", "ops.queue.resume", "queue"))],
) -> QueueActionOut:
    """Workers fetch from the queue again, at once."""
    _platform_only(state, access)
    changed = await actions.resume_queue(state.pool, queue, actor=access.principal.actor, tenant_id=access.tenant_id)
    await audited(state, access, resource_id=queue)
    return QueueActionOut(queue_name=queue, result="resumed" if changed else "not_paused")


def _platform_only(state: AppState, access: Access) -> None:
    if visible_tenant(state, access) is not None:
        raise PlatformOnly("Queues are shared by every tenant: only a platform operator's key pauses or resumes them.")


async def _bulk(
    state: AppState, access: Access, body: BulkActionIn, act: Callable[..., Awaitable[actions.BulkResult]]
) -> BulkActionOut:
    where = ops.JobFilter(
        queue=body.queue, task=body.task, tenant=visible_tenant(state, access), since=body.since, until=body.until
    )
    result = await act(state.pool, where, actor=access.principal.actor, dry_run=body.dry_run, limit=body.limit)
    await audited(state, access)
    return BulkActionOut(
        dry_run=body.dry_run,
        matched=result.matched,
        acted=result.acted,
        remaining=max(result.matched - result.acted, 0),
        job_ids=result.job_ids,
    )
