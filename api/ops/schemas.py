"""Queue state as the ops API returns it: ids, statuses, counts and times only, never patient data."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from store.ops import JobStatus


class QueueOut(BaseModel):
    queue_name: str
    todo: int
    doing: int
    succeeded: int
    failed: int
    cancelled: int
    aborted: int
    oldest_waiting_s: float | None = Field(description="Seconds the oldest job that may run now has waited.")


class ThroughputOut(BaseModel):
    queue_name: str
    minutes: int = Field(description="The window: the last 1, 5 or 15 minutes.")
    finished: int
    failed: int
    wait_p50_s: float | None
    wait_p95_s: float | None
    run_p50_s: float | None
    run_p95_s: float | None


class QueuesOut(BaseModel):
    scope: str = Field(description="`platform` (every tenant) or `tenant` (this key's tenant only).")
    queues: list[QueueOut]
    throughput: list[ThroughputOut]


class JobOut(BaseModel):
    id: int
    queue_name: str
    task_name: str
    status: JobStatus
    attempts: int
    scheduled_at: datetime | None
    worker_id: int | None
    intake_id: str | None
    tenant_id: str | None


class JobPage(BaseModel):
    items: list[JobOut]
    next_cursor: int | None


class JobEventOut(BaseModel):
    type: str
    at: datetime


class JobDetail(BaseModel):
    job: JobOut
    events: list[JobEventOut]


class WorkerOut(BaseModel):
    id: int
    last_heartbeat: datetime
    silent_for_s: float
    running: int


class WorkerList(BaseModel):
    items: list[WorkerOut]


class JobActionOut(BaseModel):
    job_id: int
    result: str
