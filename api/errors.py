"""One error hierarchy carrying its HTTP status, rendered as RFC 9457 problem+json by one handler.

No error body ever quotes what the client sent: validation errors name the field and the rule only.
"""

from __future__ import annotations

from typing import Any, ClassVar

PROBLEM_JSON = "application/problem+json"
# A URN rather than a URL: problem types are identifiers, and no documentation host is implied.
PROBLEM_BASE = "urn:triage:problem:"


class ProblemError(Exception):
    status: ClassVar[int] = 500
    slug: ClassVar[str] = "internal-error"
    title: ClassVar[str] = "Internal server error"

    def __init__(
        self,
        detail: str | None = None,
        *,
        errors: list[dict[str, str]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail or self.title)
        self.detail = detail
        self.errors = errors
        self.headers = headers or {}

    def body(self, request_id: str | None) -> dict[str, Any]:
        problem: dict[str, Any] = {
            "type": PROBLEM_BASE + self.slug,
            "title": self.title,
            "status": self.status,
        }
        if self.detail:
            problem["detail"] = self.detail
        if self.errors is not None:
            problem["errors"] = self.errors
        if request_id:
            problem["request_id"] = request_id
        return problem


class MalformedJson(ProblemError):
    status, slug, title = 400, "malformed-json", "Request body is not valid JSON"


class Unauthorized(ProblemError):
    status, slug, title = 401, "unauthorized", "Missing or invalid credentials"

    def __init__(self) -> None:
        # Deliberately the same answer whatever check failed (unknown, bad secret, expired, revoked).
        super().__init__(
            "Send a valid API key as 'Authorization: Bearer <key>'.",
            headers={"WWW-Authenticate": 'Bearer realm="triage"'},
        )


class Forbidden(ProblemError):
    status, slug, title = 403, "forbidden", "This key lacks the required scope"


class PlatformOnly(ProblemError):
    status, slug, title = 403, "platform-operator-only", "Only the platform operator's keys may do this"


class NotFound(ProblemError):
    status, slug, title = 404, "not-found", "Not found"


class MethodNotAllowed(ProblemError):
    status, slug, title = 405, "method-not-allowed", "Method not allowed"


class PayloadTooLarge(ProblemError):
    status, slug, title = 413, "payload-too-large", "Request body too large"


class UnsupportedMediaType(ProblemError):
    status, slug, title = 415, "unsupported-media-type", "Request body must be application/json"


class Conflict(ProblemError):
    status, slug, title = 409, "idempotency-key-in-flight", "A request with this Idempotency-Key is in progress"

    def __init__(self) -> None:
        super().__init__("Retry the same request after a moment to get its response.", headers={"Retry-After": "1"})


class NotAcceptable(ProblemError):
    status, slug, title = 406, "not-acceptable", "No representation matches the Accept header"


class NotTriagedYet(ProblemError):
    status, slug, title = 409, "not-triaged-yet", "The intake has no outcome yet"


class JobStateConflict(ProblemError):
    status, slug, title = 409, "job-state-conflict", "The job is not in a state that allows this"


class IdempotencyKeyReused(ProblemError):
    status, slug, title = 422, "idempotency-key-reused", "This Idempotency-Key was used for a different request"

    def __init__(self) -> None:
        super().__init__(
            "Send a new Idempotency-Key for a new request.",
            errors=[{"field": "Idempotency-Key", "message": "was used with another body", "type": "reused"}],
        )


class ValidationFailed(ProblemError):
    status, slug, title = 422, "validation-failed", "The request is invalid"


class RateLimited(ProblemError):
    status, slug, title = 429, "rate-limited", "Too many requests"

    def __init__(self, retry_after_seconds: int) -> None:
        super().__init__(
            f"Retry after {retry_after_seconds} second(s).",
            headers={"Retry-After": str(retry_after_seconds)},
        )


class ServiceUnavailable(ProblemError):
    status, slug, title = 503, "unavailable", "Service unavailable"


class DatabaseUnavailable(ServiceUnavailable):
    """The database cannot be reached (an outage, a restart, an exhausted pool): the client should retry."""

    slug, title = "database-unavailable", "The database is unavailable"

    def __init__(self, retry_after_seconds: int) -> None:
        super().__init__(
            f"Nothing was stored. Retry after {retry_after_seconds} second(s), with the same Idempotency-Key.",
            headers={"Retry-After": str(retry_after_seconds)},
        )


class RequestTimedOut(ServiceUnavailable):
    slug, title = "request-timeout", "The request did not finish in time"

    def __init__(self, retry_after_seconds: int) -> None:
        super().__init__(
            f"Retry after {retry_after_seconds} second(s), with the same Idempotency-Key: a request that did commit "
            "is answered from its first response.",
            headers={"Retry-After": str(retry_after_seconds)},
        )


def problem_for_status(status: int) -> ProblemError:
    """Starlette's own HTTP errors (unknown route, wrong method, …) rendered in our format."""
    known: dict[int, type[ProblemError]] = {
        400: MalformedJson,
        404: NotFound,
        405: MethodNotAllowed,
        413: PayloadTooLarge,
        415: UnsupportedMediaType,
    }
    return known.get(status, ProblemError)()
