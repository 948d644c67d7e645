"""The runnable examples of docs/agents.md run, against a real API process and worker."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import KeyFactory
from tests.helpers import ProcessGroup, child_env

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("example", "expected"),
    [
        ("agent_client.py", r"intake \S+: triaged\nESI [1-5], disposition \w+"),
        ("mcp_agent.py", r"intake \S+: triaged, ESI [1-5]"),
    ],
)
async def test_the_agent_examples_run(
    example: str, expected: str, database_url: str, processes: ProcessGroup, make_key: KeyFactory
) -> None:
    processes.start(["worker", "--concurrency", "2"], child_env(database_url), "worker")
    base = processes.start_api(child_env(database_url))
    env = child_env(database_url, TRIAGE_URL=base, TRIAGE_API_KEY=await make_key())
    done = subprocess.run(
        [sys.executable, str(ROOT / "examples" / example)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert re.search(expected, done.stdout), done.stdout
