"""A deadline for every request: past it the client gets 503 with Retry-After instead of a hanging socket.

The pool's checkout timeout (TRIAGE_DB_TIMEOUT) already bounds the usual wait during a database outage;
this bounds everything else (a query stuck on a half-open connection, a slow lock), so that no request
hangs past TRIAGE_REQUEST_TIMEOUT.
"""

from __future__ import annotations

import asyncio

import structlog
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import RequestTimedOut
from api.middleware import send_problem

log = structlog.stdlib.get_logger(__name__)


class Deadline:
    def __init__(self, app: ASGIApp, *, seconds: float, retry_after: int) -> None:
        self.app = app
        self.seconds = seconds
        self.retry_after = retry_after

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def send_tracking(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            async with asyncio.timeout(self.seconds):
                await self.app(scope, receive, send_tracking)
        except TimeoutError:
            route = scope.get("route")
            log.warning("request deadline passed", route=getattr(route, "path", "(unmatched)"), started=started)
            if not started:
                request_id = scope.get("state", {}).get("request_id")
                await send_problem(send, RequestTimedOut(self.retry_after), request_id)
