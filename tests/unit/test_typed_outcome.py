"""The outcome's assessment is typed in the OpenAPI description by the engine's own result types, and the
response built from stored JSON is the stored JSON (additive: fields of later engine versions default)."""

from __future__ import annotations

from typing import Any

import orjson
import pytest

from api.app import create_app
from api.intakes.schemas import OutcomeOut
from tests.helpers import make_settings
from tests.triage.validation import build_intake, load_all
from triage import assess

CASES = load_all()["cases"]


def _served(stored: dict[str, Any]) -> dict[str, Any]:
    outcome = OutcomeOut.model_validate(
        {
            "acuity": stored["acuity"],
            "disposition": stored["disposition"],
            "engine": stored["engine"],
            "triaged_at": "2026-11-27T10:00:00Z",
            "assessment": stored,
        }
    )
    served: dict[str, Any] = orjson.loads(orjson.dumps(outcome.model_dump(mode="json")))["assessment"]
    return served


@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_every_published_case_is_served_exactly_as_stored(case: dict[str, Any]) -> None:
    stored = orjson.loads(orjson.dumps(assess(build_intake(case["intake"])).to_dict()))  # what the worker stores
    assert _served(stored) == stored


def test_an_outcome_stored_by_an_earlier_engine_reads_with_the_new_fields_at_their_defaults() -> None:
    stored = assess(build_intake(CASES[0]["intake"])).to_dict()
    for added_later in ("escalation_policy",):
        del stored[added_later]
    for added_later in ("escalation_policy", "escalated_from", "complaints"):
        del stored["esi"][added_later]
    served = _served(stored)
    assert served["escalation_policy"] == "escalate"
    assert served["esi"]["escalated_from"] is None
    assert served["esi"]["complaints"] == []


def test_a_malformed_stored_assessment_is_refused_not_served() -> None:
    stored = assess(build_intake(CASES[0]["intake"])).to_dict()
    stored["news2"]["subscores"] = "not a list"
    with pytest.raises(ValueError, match="subscores"):
        _served(stored)


def test_the_openapi_description_names_every_part_of_the_assessment() -> None:
    schema = create_app(make_settings("postgresql://unused/triage")).openapi()
    components = schema["components"]["schemas"]
    for name in (
        "Assessment",
        "EsiTrail",
        "News2Result",
        "News2Subscore",
        "ClinicalResponse",
        "QsofaResult",
        "DangerZoneResult",
        "RedFlag",
        "Evidence",
        "SeriousFinding",
        "EngineInfo",
    ):
        assert name in components, name
    assessment = components["OutcomeOut"]["properties"]["assessment"]
    assert assessment["$ref"] == "#/components/schemas/Assessment" or assessment["allOf"][0]["$ref"].endswith(
        "/Assessment"
    )
    (example,) = assessment["examples"]
    assert _served(example) == example  # the example is a real, current answer of the engine
    assert set(components["Assessment"]["required"]) >= {"acuity", "disposition", "rationale", "engine", "news2"}
    assert components["EsiTrail"]["properties"]["decision_point"]["enum"] == ["A", "B", "C", "D"]
