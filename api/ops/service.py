"""Ops use cases for `/v1/ops` and the dashboard: queue state read for one key's visibility, and audited.

Each read borrows its own connection and, like before, records the access afterwards in a transaction of its
own (api.audit.service): the queue tables are Procrastinate's and carry no tenant row-level security, so
there is no tenant transaction to share. The job actions own their transactions in tasks.ops.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from api.audit.service import record_access
from api.auth import Access
from api.errors import NotFound
from api.state import AppState
from store import dashboard, ops
from tasks import ops as actions


@dataclass(frozen=True, slots=True)
class QueueState:
    queues: list[ops.QueueRow]
    throughput: list[ops.ThroughputRow]
    paused: list[ops.PausedQueue]


@dataclass(frozen=True, slots=True)
class JobHistory:
    job: ops.JobRow
    events: list[ops.JobEvent]
    failure: dashboard.FailureRow | None  # why its intake failed, when it did


def visible_tenant(state: AppState, access: Access) -> str | None:
    """None (every tenant) for the platform operator's keys; else the key's own tenant."""
    return None if access.tenant_id == state.settings.platform_tenant else access.tenant_id


async def audited(
    state: AppState, access: Access, job_id: int | None = None, *, resource_id: str | None = None
) -> None:
    """Record the operator's access once its work is done."""
    await record_access(state, access, resource_id=resource_id or (None if job_id is None else str(job_id)))


async def queue_state(state: AppState, access: Access) -> QueueState:
    tenant = visible_tenant(state, access)
    async with state.pool.connection() as conn:
        queues, windows = await ops.queues(conn, tenant=tenant), await ops.throughput(conn, tenant=tenant)
        paused = await ops.paused_queues(conn)
    await audited(state, access)
    return QueueState(queues=queues, throughput=windows, paused=paused)


async def list_jobs(
    state: AppState,
    access: Access,
    *,
    queue: str | None = None,
    status: ops.JobStatus | None = None,
    task: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    before_id: int | None = None,
    limit: int,
) -> list[ops.JobRow]:
    async with state.pool.connection() as conn:
        rows = await ops.jobs(
            conn,
            queue=queue,
            status=status,
            task=task,
            tenant=visible_tenant(state, access),
            since=since,
            until=until,
            before_id=before_id,
            limit=limit,
        )
    await audited(state, access)
    return rows


async def waiting_jobs(state: AppState, tenant: str | None, *, queue: str, limit: int) -> list[ops.JobRow]:
    """The next jobs a queue will run. Not audited: the dashboard's refreshes are covered by its sign-in."""
    async with state.pool.connection() as conn:
        return await ops.jobs(conn, status="todo", queue=queue, tenant=tenant, limit=limit)


async def read_job(state: AppState, access: Access, job_id: int) -> JobHistory:
    async with state.pool.connection() as conn:
        job, events = _own(state, access, await ops.job(conn, job_id))
        failure = await actions.job_failure(conn, job)
    await audited(state, access, job_id)
    return JobHistory(job=job, events=events, failure=failure)


async def list_workers(state: AppState, access: Access) -> list[ops.WorkerRow]:
    async with state.pool.connection() as conn:
        workers = await ops.workers(conn)
    await audited(state, access)
    return workers


async def list_stalled(state: AppState, access: Access) -> list[ops.JobRow]:
    async with state.pool.connection() as conn:
        rows = await ops.stalled(conn, state.settings.worker_stalled_seconds, tenant=visible_tenant(state, access))
    await audited(state, access)
    return rows


async def check_own(state: AppState, access: Access, job_id: int) -> None:
    """NotFound unless the job exists and this key may see it."""
    async with state.pool.connection() as conn:
        _own(state, access, await ops.job(conn, job_id))


def _own(
    state: AppState, access: Access, found: tuple[ops.JobRow, list[ops.JobEvent]] | None
) -> tuple[ops.JobRow, list[ops.JobEvent]]:
    tenant = visible_tenant(state, access)
    if found is None or (tenant is not None and found[0].tenant_id != tenant):
        # Another tenant's job is indistinguishable from a missing one.
        raise NotFound("No job with this id.")
    return found
