from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel


class AuditEventOut(BaseModel):
    id: int
    occurred_at: datetime
    actor: str
    action: str
    resource_type: str
    resource_id: str | None
    patient_id: str | None
    outcome: str
    request_id: str | None
    job_id: int | None


class AuditPage(BaseModel):
    items: list[AuditEventOut]
    next_cursor: str | None
