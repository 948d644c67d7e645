"""The red-team probes of engine 1.24.0: each intake lands in the tier published guidance gives it.

Three reviewers wrote agent-phrased intakes the engine had never seen (a caller speaking for a relative, chest
pain "in the middle of his chest", a parent's "thermometer says 38.0", a story that names a diagnosis only as a
fear) and found where engine 1.23.3 under- or over-triaged them. Every probe here was in another tier on 1.23.3.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from triage import Intake, assess

PROBES_FILE = Path(__file__).with_name("red_team_probes.json")
TIER = {
    "emergency_ambulance": "emergent",
    "emergency": "emergent",
    "consultation_24": "non-emergent",
    "consultation": "non-emergent",
    "self_care": "self-care",
}
PROBES: list[dict[str, Any]] = json.loads(PROBES_FILE.read_text(encoding="utf-8"))["probes"]


@pytest.mark.parametrize("probe", PROBES, ids=[f"{p['tier']}-{index}" for index, p in enumerate(PROBES)])
def test_a_red_team_probe_lands_in_its_published_tier(probe: dict[str, Any]) -> None:
    intake = Intake(age=probe["age"], age_months=probe["age_months"], urgency="medium", notes=probe["text"])
    assert TIER[assess(intake).disposition] == probe["tier"], probe["text"]
