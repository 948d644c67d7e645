"""Pure ASGI middleware: request context + access log, and the request-body guard.

The access log names the route *template* (`/v1/patients/{patient_id}/intakes`), never the raw path,
which can carry a patient id.
"""

from __future__ import annotations

import re
import time
import uuid
from typing import Any

import orjson
import structlog
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import MalformedJson, PayloadTooLarge, ProblemError, UnsupportedMediaType

log = structlog.stdlib.get_logger("api.access")
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
_BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})


async def send_problem(send: Send, problem: ProblemError, request_id: str | None) -> None:
    body = orjson.dumps(problem.body(request_id))
    headers = [(b"content-type", b"application/problem+json"), (b"content-length", str(len(body)).encode())]
    headers += [(k.lower().encode(), v.encode()) for k, v in problem.headers.items()]
    await send({"type": "http.response.start", "status": problem.status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class RequestContext:
    """Request id (X-Request-ID, accepted when well-formed), log context and one access-log line."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        supplied = dict(scope["headers"]).get(b"x-request-id", b"").decode("latin-1")
        request_id = supplied if _REQUEST_ID.match(supplied) else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(request_id=request_id)
        status = 500
        started = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", []), (b"x-request-id", request_id.encode())]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            route = scope.get("route")
            log.info(
                "request",
                method=scope["method"],
                route=getattr(route, "path", "(unmatched)"),
                status=status,
                duration_ms=round((time.perf_counter() - started) * 1000, 1),
            )
            structlog.contextvars.clear_contextvars()


class BodyGuard:
    """Refuse bodies that are too large (counted on the stream), not JSON, or too deep/wide as JSON.

    The body is buffered (it is at most `max_bytes`) and replayed to the application unchanged. Under
    `form_prefix` (the dashboard's HTML forms, api/dashboard) an urlencoded form is let through too, still
    bounded by `max_bytes`; its routes parse it.
    """

    def __init__(
        self, app: ASGIApp, *, max_bytes: int, max_depth: int, max_members: int, form_prefix: str | None = None
    ) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.max_depth = max_depth
        self.max_members = max_members
        self.form_prefix = form_prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in _BODY_METHODS:
            await self.app(scope, receive, send)
            return
        request_id = scope.get("state", {}).get("request_id")
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                await send_problem(send, PayloadTooLarge(f"The limit is {self.max_bytes} bytes."), request_id)
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        body = b"".join(chunks)

        if body and not self._is_form(scope):
            content_type = dict(scope["headers"]).get(b"content-type", b"").decode("latin-1")
            media_type = content_type.split(";")[0].strip().lower()
            if not (media_type == "application/json" or media_type.endswith("+json")):
                await send_problem(send, UnsupportedMediaType(), request_id)
                return
            try:
                document = orjson.loads(body)
            except orjson.JSONDecodeError:
                # orjson refuses nesting past its own limit (1024) before our depth check can run.
                too_deep = _nests_deeper_than(body, self.max_depth)
                await send_problem(send, self._too_deep() if too_deep else MalformedJson(), request_id)
                return
            problem = self._shape_problem(document)
            if problem is not None:
                await send_problem(send, problem, request_id)
                return

        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    def _is_form(self, scope: Scope) -> bool:
        path: str = scope["path"]
        if self.form_prefix is None or not path.startswith(self.form_prefix):
            return False
        content_type: bytes = dict(scope["headers"]).get(b"content-type", b"")
        return content_type.split(b";")[0].strip().lower() == b"application/x-www-form-urlencoded"

    def _shape_problem(self, document: Any) -> ProblemError | None:
        members = 0
        stack: list[tuple[Any, int]] = [(document, 1)]
        while stack:
            node, depth = stack.pop()
            if isinstance(node, dict | list):
                if depth > self.max_depth:
                    return self._too_deep()
                members += len(node)
                if members > self.max_members:
                    return PayloadTooLarge(f"JSON with more than {self.max_members} members.")
                children = node.values() if isinstance(node, dict) else node
                stack.extend((child, depth + 1) for child in children)
        return None

    def _too_deep(self) -> ProblemError:
        return PayloadTooLarge(f"JSON nesting deeper than {self.max_depth} levels.")


def _nests_deeper_than(body: bytes, max_depth: int) -> bool:
    """Whether the arrays and objects of a (possibly invalid) JSON text nest deeper than max_depth.

    Brackets inside strings do not count. One pass, no recursion: the body may be anything.
    """
    depth = 0
    in_string = escaped = False
    for byte in body:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:  # closing quote
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in b"[{":
            depth += 1
            if depth > max_depth:
                return True
        elif byte in b"]}":
            depth -= 1
    return False
