"""Response shapes of the routes that clients written against the original article expect."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel


class Received(BaseModel):
    status: str = "received"
    patient_id: str


class Stored(BaseModel):
    status: str = "stored"
    record_id: str


class Record(BaseModel):
    id: str
    patient_id: str
    age: int
    symptoms: list[str]
    urgency: str
    status: str
    outcome: dict[str, Any] | None


class Records(BaseModel):
    records: list[Record]
