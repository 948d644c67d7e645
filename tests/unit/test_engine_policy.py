"""The tenant's escalation policy reaches the engine in its child process, as a plain string."""

from __future__ import annotations

import pytest

from tasks.engine_process import assess_payload, policy_for_engine
from tasks.engine_runner import EngineRunner
from triage.models import ESCALATION_POLICIES

# A child's danger-zone heart rate: a "consider ESI 2" criterion (triage/escalation.py).
INTAKE = {"age": 5, "urgency": "low", "symptoms": ["sore throat"], "vitals": {"heart_rate": 150}}


async def test_the_child_runs_the_engine_under_the_policy_it_is_given() -> None:
    runner = EngineRunner(processes=1, timeout_seconds=30)
    try:
        results = {policy: await runner.assess(INTAKE, policy) for policy in ESCALATION_POLICIES}
    finally:
        runner.close()
    for policy, result in results.items():
        assert result == assess_payload(INTAKE, policy)
        assert result.assessment["escalation_policy"] == result.assessment["esi"]["escalation_policy"] == policy
    assert assess_payload(INTAKE) == results["escalate"]  # the engine's default
    assert results["flag"].assessment["esi"]["escalated_from"] is None
    assert results["escalate"].acuity <= results["flag"].acuity


def test_only_the_engines_policies_are_accepted() -> None:
    assert [policy_for_engine(p) for p in ESCALATION_POLICIES] == ["escalate", "flag"]
    with pytest.raises(ValueError, match="unknown escalation policy"):
        policy_for_engine("Flag")
