"""Errors: every problem+json answer of the API as an exception of its own kind."""

from __future__ import annotations

from typing import Any


class TriageError(Exception):
    """An error answer from the API (RFC 9457 problem details), or none at all (`status` 0)."""

    def __init__(self, status: int, title: str, detail: str | None = None, problem: dict[str, Any] | None = None):
        super().__init__(f"{status} {title}" + (f": {detail}" if detail else ""))
        self.status = status
        self.title = title
        self.detail = detail
        self.problem = problem or {}

    @property
    def request_id(self) -> str | None:
        value = self.problem.get("request_id")
        return str(value) if value is not None else None


class BadRequest(TriageError):
    """400: the body is not JSON."""


class Unauthorized(TriageError):
    """401: missing, unknown, expired or revoked key."""


class Forbidden(TriageError):
    """403: the key lacks the scope."""


class NotFound(TriageError):
    """404: no such intake (or another tenant's)."""


class Conflict(TriageError):
    """409: a request with this Idempotency-Key is still in progress."""


class PayloadTooLarge(TriageError):
    """413: body too large, too deep or with too many members."""


class ValidationFailed(TriageError):
    """422: invalid fields; `errors` names each (`field`, `message`, `type`)."""

    @property
    def errors(self) -> list[dict[str, str]]:
        found = self.problem.get("errors")
        return list(found) if isinstance(found, list) else []


class RateLimited(TriageError):
    """429: too many requests; retried by the client while its retries last."""


class Unavailable(TriageError):
    """503: the service or its database is unavailable; retried while the retries last."""


class ServerError(TriageError):
    """Another 5xx."""


class TransportError(TriageError):
    """No answer at all: the connection failed or timed out."""


_BY_STATUS: dict[int, type[TriageError]] = {
    400: BadRequest,
    401: Unauthorized,
    403: Forbidden,
    404: NotFound,
    409: Conflict,
    413: PayloadTooLarge,
    422: ValidationFailed,
    429: RateLimited,
    503: Unavailable,
}


def error_for(status: int, body: Any) -> TriageError:
    problem = body if isinstance(body, dict) else {}
    kind = _BY_STATUS.get(status, ServerError if status >= 500 else TriageError)
    return kind(status, str(problem.get("title") or "HTTP error"), problem.get("detail"), problem)
