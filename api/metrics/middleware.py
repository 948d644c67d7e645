"""HttpMetrics: a pure ASGI middleware counting requests and their latency by route template and status.

Cheap by design: one wrapper around `send`, two clock reads, and the label children cached per
(method, route, status), so a request costs a dict lookup, an increment and an observation. Labels are
bounded and carry no patient data: the route is the matched route's *template*
(`/v1/patients/{patient_id}/intakes`, never the raw path), every path that matches no route is
`(unmatched)`, and a method outside the standard ones is `other`.
"""

from __future__ import annotations

import re
import time
from typing import Any

import structlog
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from runtime.metrics import HTTP_DURATION, HTTP_REQUESTS

log = structlog.stdlib.get_logger(__name__)

UNMATCHED = "(unmatched)"
OTHER_METHOD = "other"
_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
# nginx's convention: the client went away before a response was started.
CLIENT_CLOSED = 499


class HttpMetrics:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self._children: dict[tuple[str, str, int], tuple[Any, Any]] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 0

        async def send_with_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_with_status)
        except Exception:
            # Raised past the middleware: the server error middleware outside it answers 500.
            status = status or 500
            raise
        finally:
            try:
                self._observe(scope, status or CLIENT_CLOSED, time.perf_counter() - started)
            except Exception as exc:  # counting must never fail a request
                log.error("http metrics not recorded", exc_info=exc)

    def _observe(self, scope: Scope, status: int, seconds: float) -> None:
        method = scope["method"] if scope["method"] in _METHODS else OTHER_METHOD
        key = (method, route_template(scope), status)
        children = self._children.get(key)
        if children is None:
            children = (HTTP_REQUESTS.labels(key[0], key[1], str(status)), HTTP_DURATION.labels(key[0], key[1]))
            self._children[key] = children
        children[0].inc()
        children[1].observe(seconds)


def route_template(scope: Scope) -> str:
    """The template of the route that handled the request, or of the route it was meant for when it was
    refused before routing (a body too large, say); `(unmatched)` when no route matches its path."""
    path = getattr(scope.get("route"), "path", None)
    if isinstance(path, str):
        return path
    app = scope.get("app")
    if app is None:
        return UNMATCHED
    templates: _Templates | None = getattr(app.state, "metrics_route_templates", None)
    if templates is None:
        templates = app.state.metrics_route_templates = _Templates(app)
    return templates.find(scope)


_PARAMETER = re.compile(r"\{([^}]+)\}")


class _Templates:
    """The app's path templates (its OpenAPI document's, and its top-level routes'), for requests that a
    middleware answered before the router saw them. Built once, on the first such request."""

    def __init__(self, app: Any) -> None:
        found: dict[str, set[str]] = {}
        try:
            for template, operations in app.openapi().get("paths", {}).items():
                found.setdefault(template, set()).update(method.upper() for method in operations)
        except Exception:  # no document: the top-level routes alone
            found = {}
        for route in app.routes:
            if isinstance(getattr(route, "path", None), str):
                found.setdefault(route.path, set()).update(getattr(route, "methods", None) or ())
        # Fixed paths before parameterised ones (`/intake/store` before `/intake/{patient_id}`).
        ordered = sorted(found.items(), key=lambda item: (len(_PARAMETER.findall(item[0])), item[0]))
        self.templates = [(_pattern(template), template, methods) for template, methods in ordered]

    def find(self, scope: Scope) -> str:
        path: str = scope["path"]
        root: str = scope.get("root_path", "")
        if root and path.startswith(root):
            path = path[len(root) :]
        by_path = None
        for pattern, template, methods in self.templates:
            if pattern.match(path):
                if scope["method"] in methods:
                    return template
                by_path = by_path or template
        return by_path or UNMATCHED


def _pattern(template: str) -> re.Pattern[str]:
    pieces = []
    position = 0
    for parameter in _PARAMETER.finditer(template):
        pieces.append(re.escape(template[position : parameter.start()]))
        pieces.append(".+" if parameter.group(1).endswith(":path") else "[^/]+")
        position = parameter.end()
    pieces.append(re.escape(template[position:]))
    return re.compile("^" + "".join(pieces) + "$")
