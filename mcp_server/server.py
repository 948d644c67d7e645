"""The MCP tool server: `submit_intake`, `get_outcome` (with wait), `patient_history`.

Each tool is one call of the HTTP API with the caller's own API key — from the `Authorization` header of
the MCP request (streamable HTTP) or from TRIAGE_API_KEY (stdio, one agent per process) — so keys, scopes,
tenants, rate limits and the audit trail are exactly the HTTP routes'. Tool schemas come from the API's own
models (`IntakeIn` in, `IntakeOut` and `IntakePage` out). Errors come back as tool errors carrying the
API's problem title and detail, which hold no patient data.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Any
from uuid import UUID

import httpx
from mcp.server.mcpserver import Context, MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from pydantic import Field

from api.intakes.schemas import PATIENT_ID_PATTERN, IntakeIn, IntakeOut, IntakePage

MAX_WAIT_SECONDS = 30.0
INSTRUCTIONS = (
    "Clinical triage of patient intakes. Submit an intake with submit_intake; it is triaged by the published "
    "rules (ESI v4, NEWS2, qSOFA, red flags) and the outcome is returned when ready. Act on outcome.acuity "
    "(ESI 1 most urgent) and outcome.disposition; outcome.assessment.rationale explains the decision."
)
Wait = Annotated[float, Field(ge=0, le=MAX_WAIT_SECONDS, description="Seconds to wait for the outcome (≤ 30).")]


def stdio_api_key() -> str | None:
    """TRIAGE_API_KEY, or the file named by TRIAGE_API_KEY_FILE (a trailing newline dropped)."""
    path = os.environ.get("TRIAGE_API_KEY_FILE")
    if path:
        return Path(path).read_text(encoding="utf-8").strip()
    return os.environ.get("TRIAGE_API_KEY")


def build_server(api_url: str, *, stdio_key: str | None = None, timeout: float = 10.0) -> MCPServer:
    mcp = MCPServer("triage", instructions=INSTRUCTIONS)

    async def call(ctx: Context, method: str, path: str, *, wait: float = 0, **kwargs: Any) -> httpx.Response:
        headers = {"Authorization": _authorization(ctx, stdio_key), "User-Agent": "triage-mcp"}
        async with httpx.AsyncClient(base_url=api_url, timeout=timeout + wait) as http:
            try:
                response = await http.request(method, path, headers=headers, **kwargs)
            except httpx.TransportError as exc:
                raise ToolError(f"The triage API could not be reached ({type(exc).__name__}).") from None
        if response.status_code >= 400:
            raise ToolError(_problem_text(response))
        return response

    @mcp.tool()
    async def submit_intake(intake: IntakeIn, ctx: Context, wait_seconds: Wait = 25.0) -> IntakeOut:
        """Submit a patient intake for triage and wait up to `wait_seconds` for its outcome.

        Returns the intake: `status` is `triaged` (with `outcome`) or `failed`, or still `queued`/`processing`
        if the wait ran out (then call get_outcome). Needs a key with `intake:write` and `intake:read`.
        """
        body = intake.model_dump(mode="json", exclude_unset=True)
        submitted = await call(ctx, "POST", "/v1/intakes", json=body, params={"wait": wait_seconds}, wait=wait_seconds)
        if submitted.status_code == 200:
            return IntakeOut.model_validate(submitted.json())
        read = await call(ctx, "GET", f"/v1/intakes/{submitted.json()['intake_id']}")
        return IntakeOut.model_validate(read.json())

    @mcp.tool()
    async def get_outcome(intake_id: UUID, ctx: Context, wait_seconds: Wait = 0.0) -> IntakeOut:
        """Read an intake and its outcome, waiting up to `wait_seconds` for it to finish. Needs `intake:read`."""
        params = {"wait": wait_seconds} if wait_seconds else {}
        read = await call(ctx, "GET", f"/v1/intakes/{intake_id}", params=params, wait=wait_seconds)
        return IntakeOut.model_validate(read.json())

    @mcp.tool()
    async def patient_history(
        patient_id: Annotated[str, Field(pattern=PATIENT_ID_PATTERN, max_length=64)],
        ctx: Context,
        limit: Annotated[int, Field(ge=1, le=100)] = 20,
        cursor: UUID | None = None,
    ) -> IntakePage:
        """A patient's intakes with their outcomes, newest first; pass `next_cursor` as `cursor` for older ones."""
        params: dict[str, Any] = {"limit": limit, **({"cursor": str(cursor)} if cursor else {})}
        page = await call(ctx, "GET", f"/v1/patients/{patient_id}/intakes", params=params)
        return IntakePage.model_validate(page.json())

    return mcp


def _authorization(ctx: Context, stdio_key: str | None) -> str:
    headers = ctx.headers
    if headers is not None:  # streamable HTTP: the caller's own key, checked by the API
        value = headers.get("authorization")
        if not value:
            raise ToolError("Send your API key as 'Authorization: Bearer <key>' with the MCP request.")
        return value
    if not stdio_key:
        raise ToolError("Set TRIAGE_API_KEY for the stdio server.")
    return f"Bearer {stdio_key}"


def _problem_text(response: httpx.Response) -> str:
    try:
        problem = response.json()
    except ValueError:
        return f"The triage API answered {response.status_code}."
    detail = f": {problem['detail']}" if problem.get("detail") else ""
    fields = ", ".join(e.get("field", "") for e in problem.get("errors", []) if isinstance(e, dict))
    return f"{response.status_code} {problem.get('title', 'error')}{detail}" + (
        f" (fields: {fields})" if fields else ""
    )
