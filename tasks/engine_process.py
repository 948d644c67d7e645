"""What an engine child process runs (see engine_runner): the engine on a stored payload, nothing else.

This module imports the engine and the standard library only, because a spawned child imports the module of
the function it runs: every import here is paid again in each engine process (the whole service would be
about 50 MB more per process).
"""

from __future__ import annotations

import signal
import time
from dataclasses import dataclass
from typing import Any

import triage as engine
from tasks.engine_input import intake_for_engine
from triage.models import ESCALATION_POLICIES, Disposition, EscalationPolicy


@dataclass(frozen=True, slots=True)
class EngineResult:
    acuity: int
    disposition: Disposition
    assessment: dict[str, Any]
    engine_name: str
    engine_version: str


def policy_for_engine(value: str) -> EscalationPolicy:
    """A tenant's stored escalation policy (tenants.escalation_policy) as the engine's type."""
    for policy in ESCALATION_POLICIES:
        if value == policy:
            return policy
    raise ValueError("unknown escalation policy")  # the column's CHECK allows only the engine's policies


def assess_payload(payload: dict[str, Any], policy: str = "escalate") -> EngineResult:
    """Stored intake payload and its tenant's escalation policy → what the worker writes back. Pure; runs in the
    child process (plain arguments, pickled to it)."""
    assessment = engine.assess(intake_for_engine(payload), policy=policy_for_engine(policy))
    return EngineResult(
        acuity=assessment.acuity,
        disposition=assessment.disposition,
        assessment=assessment.to_dict(),
        engine_name=assessment.engine.name,
        engine_version=assessment.engine.version,
    )


def ignore_interrupts() -> None:
    """Ctrl-C reaches the whole process group; the worker, not its engine children, decides when they stop."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def warm_up() -> None:
    """Busy for a moment, so that each of a pool's processes gets one (and has imported the engine)."""
    time.sleep(0.2)
