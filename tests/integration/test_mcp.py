"""`triage mcp`: the tools over streamable HTTP and stdio, driven by the official SDK's own client."""

from __future__ import annotations

import socket
import sys
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import httpx2
import psycopg
import pytest
from mcp import Client
from mcp.client.stdio import StdioServerParameters
from mcp.client.streamable_http import streamable_http_client

from tests.conftest import KeyFactory
from tests.helpers import ProcessGroup, child_env

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
INTAKE = {
    "patient_id": "P-mcp",
    "age": 58,
    "symptoms": ["chest pain"],
    "urgency": "high",
    "vitals": {"heart_rate": 112, "systolic_bp": 96, "respiratory_rate": 24, "spo2": 93},
}


@pytest.fixture
def api(database_url: str, processes: ProcessGroup) -> str:
    processes.start(["worker", "--concurrency", "2"], child_env(database_url), "worker")
    return processes.start_api(child_env(database_url))


@pytest.fixture
def mcp_url(api: str, database_url: str, processes: ProcessGroup) -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    processes.start(
        ["mcp", "--transport", "streamable-http", "--api-url", api, "--port", str(port)],
        child_env(database_url),
        "mcp",
    )
    url = f"http://127.0.0.1:{port}/mcp"
    deadline = time.monotonic() + 20
    while True:
        try:
            httpx.get(url, timeout=1)
            return url
        except httpx.TransportError:
            assert time.monotonic() < deadline, processes.logs()
            time.sleep(0.2)


@asynccontextmanager
async def over_http(url: str, key: str | None) -> AsyncIterator[Client]:
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    async with (
        httpx2.AsyncClient(headers=headers, timeout=60) as http,
        Client(streamable_http_client(url, http_client=http)) as client,
    ):
        yield client


async def test_the_tools_and_their_schemas_come_from_the_api_models(mcp_url: str, make_key: KeyFactory) -> None:
    async with over_http(mcp_url, await make_key()) as client:
        tools = {tool.name: tool for tool in (await client.list_tools()).tools}
    assert set(tools) == {"submit_intake", "get_outcome", "patient_history"}
    submit = tools["submit_intake"].input_schema
    intake_schema = submit["$defs"]["IntakeIn"]
    assert {"patient_id", "age", "symptoms", "urgency", "vitals", "findings", "complaints"} <= set(
        intake_schema["properties"]
    )
    assert submit["properties"]["wait_seconds"]["maximum"] == 30
    output = tools["get_outcome"].output_schema
    assert output is not None and {"status", "outcome", "intake_id"} <= set(output["properties"])


async def test_an_agent_submits_waits_and_reads_history_with_its_own_key_and_is_audited(
    mcp_url: str, make_key: KeyFactory, owner_conn: psycopg.Connection[Any]
) -> None:
    async with over_http(mcp_url, await make_key()) as client:
        submitted = await client.call_tool("submit_intake", {"intake": INTAKE, "wait_seconds": 25})
        assert not submitted.is_error, submitted.content
        intake = submitted.structured_content
        assert intake is not None and intake["status"] == "triaged"
        assert intake["outcome"]["acuity"] <= 3
        read = await client.call_tool("get_outcome", {"intake_id": intake["intake_id"], "wait_seconds": 5})
        assert read.structured_content is not None
        assert read.structured_content["outcome"] == intake["outcome"]
        history = await client.call_tool("patient_history", {"patient_id": "P-mcp"})
        assert history.structured_content is not None
        assert [item["intake_id"] for item in history.structured_content["items"]] == [intake["intake_id"]]
    # Audited like the HTTP routes, under the agent's key: a creation and each read.
    actions = owner_conn.execute(
        "SELECT action FROM audit_events WHERE actor LIKE 'key:%' AND action <> 'key.used' ORDER BY id"
    ).fetchall()
    assert [a for (a,) in actions] == ["intake.create", "intake.read", "intake.read", "patient.intakes.list"]


async def test_without_a_valid_key_a_tool_call_is_an_error_that_says_so(mcp_url: str) -> None:
    async with over_http(mcp_url, None) as client:
        anonymous = await client.call_tool("get_outcome", {"intake_id": "00000000-0000-4000-8000-000000000000"})
    assert anonymous.is_error
    async with over_http(mcp_url, "tq_test_nosuchkey_000") as client:
        refused = await client.call_tool("submit_intake", {"intake": INTAKE, "wait_seconds": 0})
    assert refused.is_error
    assert "401" in str(refused.content)


async def test_invalid_input_is_refused_naming_the_field(mcp_url: str, make_key: KeyFactory) -> None:
    async with over_http(mcp_url, await make_key()) as client:
        refused = await client.call_tool("submit_intake", {"intake": {**INTAKE, "age": -3}})
    assert refused.is_error
    assert "age" in str(refused.content)


async def test_the_stdio_transport_uses_the_key_from_its_environment(
    api: str, make_key: KeyFactory, database_url: str
) -> None:
    env = child_env(database_url, TRIAGE_API_KEY=await make_key())
    server = StdioServerParameters(
        command=sys.executable, args=["-m", "runtime", "mcp", "--api-url", api], env=env, cwd=str(ROOT)
    )
    async with Client(server) as client:
        result = await client.call_tool("submit_intake", {"intake": INTAKE, "wait_seconds": 25})
    assert not result.is_error, result.content
    assert result.structured_content is not None and result.structured_content["status"] == "triaged"
