"""An MCP-capable agent's side: start `triage mcp` over stdio and call its tools (the official MCP SDK).

    TRIAGE_API_KEY=tq_test_... python examples/mcp_agent.py

The same server in an MCP host's configuration (the `mcpServers` form most hosts read):

    {"mcpServers": {"triage": {"command": "triage", "args": ["mcp", "--api-url", "http://127.0.0.1:8000"],
                               "env": {"TRIAGE_API_KEY": "tq_test_..."}}}}
"""

import asyncio
import os
import sys

from mcp import Client
from mcp.client.stdio import StdioServerParameters


async def main() -> None:
    server = StdioServerParameters(
        command=sys.executable,
        args=["-m", "runtime", "mcp", "--api-url", os.environ.get("TRIAGE_URL", "http://127.0.0.1:8000")],
        env={"TRIAGE_API_KEY": os.environ["TRIAGE_API_KEY"]},
    )
    async with Client(server) as client:
        tools = await client.list_tools()
        print("tools:", [tool.name for tool in tools.tools])
        intake = {"patient_id": "P-example-2", "age": 29, "symptoms": ["sore throat"], "urgency": "low"}
        result = await client.call_tool("submit_intake", {"intake": intake, "wait_seconds": 25})
        if result.is_error or result.structured_content is None:
            raise SystemExit(f"the tool failed: {result.content}")
        found = result.structured_content
        outcome = found["outcome"] or {}
        print(
            f"intake {found['intake_id']}: {found['status']}, ESI {outcome.get('acuity')}, {outcome.get('disposition')}"
        )


asyncio.run(main())
