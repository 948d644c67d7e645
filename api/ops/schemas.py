"""Queue state as the ops API returns it: ids, statuses, counts and times only, never patient data."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from api.validation import Rfc3339DateTime
from store.ops import JobStatus

QueueName = Annotated[str, Field(min_length=1, max_length=128, pattern=r"^[A-Za-z0-9_.:-]+$")]


class QueueOut(BaseModel):
    queue_name: str
    todo: int
    doing: int
    succeeded: int
    failed: int
    cancelled: int
    aborted: int
    oldest_waiting_s: float | None = Field(description="Seconds the oldest job that may run now has waited.")
    paused: bool = Field(default=False, description="Workers fetch no new job from a paused queue.")


class PausedQueueOut(BaseModel):
    queue_name: str
    paused_at: datetime
    paused_by: str = Field(description="The actor that paused it (`key:<id>` or `cli:ops`).")


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
    paused: list[PausedQueueOut] = Field(description="Paused queues, with or without jobs.")


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


class JobFailureOut(BaseModel):
    reason: str | None = Field(description="The error class and the attempts, e.g. `KeyError after 4 attempt(s)`.")
    detail: str | None = Field(description="Where it was raised (or a database error's SQLSTATE); never data.")
    failed_at: datetime


class JobDetail(BaseModel):
    job: JobOut
    events: list[JobEventOut]
    failure: JobFailureOut | None = Field(
        default=None, description="For a triage job whose intake failed: why (no patient data)."
    )


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


class QueueActionOut(BaseModel):
    queue_name: str
    result: str = Field(description="`paused`, `resumed`, `already_paused` or `not_paused`.")


class BulkActionIn(BaseModel):
    """Which jobs a bulk action covers: every job in the action's state that matches all given fields."""

    model_config = ConfigDict(extra="forbid")

    queue: QueueName | None = None
    task: QueueName | None = None
    since: Rfc3339DateTime | None = Field(default=None, description="Deferred at or after (RFC 3339).")
    until: Rfc3339DateTime | None = Field(default=None, description="Deferred before (RFC 3339).")
    dry_run: bool = Field(default=True, description="Only count the matching jobs (the default: ask first).")
    limit: int = Field(default=1000, ge=1, le=1000, description="At most this many jobs per call.")


class BulkActionOut(BaseModel):
    dry_run: bool
    matched: int = Field(description="Jobs in the action's state that match the filter, before acting.")
    acted: int = Field(description="Jobs this call retried or cancelled (0 on a dry run).")
    remaining: int = Field(description="Matching jobs left for another call (`matched - acted`).")
    job_ids: list[int]
