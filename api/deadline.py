"""A deadline for every request: past it the client gets 503 with Retry-After instead of a hanging socket.

The pool's checkout timeout (TRIAGE_DB_TIMEOUT) already bounds the usual wait during a database outage;
this bounds everything else (a query stuck on a half-open connection, a slow lock), so that no request
hangs past TRIAGE_REQUEST_TIMEOUT.
"""

from __future__ import annotations

import asyncio
import math
from urllib.parse import parse_qs

import structlog
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import RequestTimedOut
from api.intakes.waiting import MAX_WAIT_SECONDS
from api.middleware import send_problem

log = structlog.stdlib.get_logger(__name__)


def requested_wait(scope: Scope) -> float:
    """The seconds a request asked to wait for an outcome (`?wait=N`, api/intakes/waiting.py), which its
    deadline grants on top; a malformed value counts as none (the route refuses it with a 422)."""
    query = scope.get("query_string", b"")
    if b"wait=" not in query:
        return 0.0
    values = parse_qs(query.decode("latin-1")).get("wait", [])
    try:
        seconds = float(values[-1]) if values else 0.0
    except ValueError:
        return 0.0
    return min(max(seconds, 0.0), MAX_WAIT_SECONDS) if math.isfinite(seconds) else 0.0


class Deadline:
    def __init__(
        self, app: ASGIApp, *, seconds: float, retry_after: int, streams: frozenset[str] = frozenset()
    ) -> None:
        self.app = app
        self.seconds = seconds
        self.retry_after = retry_after
        self.streams = streams  # paths whose responses are long-lived streams: no deadline

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in self.streams:
            await self.app(scope, receive, send)
            return
        started = False

        async def send_tracking(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            async with asyncio.timeout(self.seconds + requested_wait(scope)):
                await self.app(scope, receive, send_tracking)
        except TimeoutError:
            route = scope.get("route")
            log.warning("request deadline passed", route=getattr(route, "path", "(unmatched)"), started=started)
            if not started:
                request_id = scope.get("state", {}).get("request_id")
                await send_problem(send, RequestTimedOut(self.retry_after), request_id)
