"""Typed Python client for the triage backbone: `TriageClient` (sync) and `AsyncTriageClient`."""

from triage_client._protocol import Retries
from triage_client.client import AsyncTriageClient, TriageClient
from triage_client.errors import (
    BadRequest,
    Conflict,
    Forbidden,
    NotFound,
    PayloadTooLarge,
    RateLimited,
    ServerError,
    TransportError,
    TriageError,
    Unauthorized,
    Unavailable,
    ValidationFailed,
)
from triage_client.models import Accepted, Assessment, Event, Intake, IntakePage, Outcome

__all__ = [
    "Accepted",
    "Assessment",
    "AsyncTriageClient",
    "BadRequest",
    "Conflict",
    "Event",
    "Forbidden",
    "Intake",
    "IntakePage",
    "NotFound",
    "Outcome",
    "PayloadTooLarge",
    "RateLimited",
    "Retries",
    "ServerError",
    "TransportError",
    "TriageClient",
    "TriageError",
    "Unauthorized",
    "Unavailable",
    "ValidationFailed",
]
