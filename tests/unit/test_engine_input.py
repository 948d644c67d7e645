"""A stored intake payload reaches the engine whole: every field the API stores, and the engine's defaults
for the optional ones the payload leaves out."""

from __future__ import annotations

import triage as engine
from tasks.engine_input import intake_for_engine


def test_every_stored_field_reaches_the_engine() -> None:
    payload = {
        "patient_id": "P-1",  # not the engine's business
        "age": 0,
        "age_months": 7,
        "sex": "female",
        "urgency": "high",
        "symptoms": ["fever", "rash"],
        "vitals": {"heart_rate": 170, "temperature_c": 39.4},
        "notes": "rash does not blanch",
        "pregnant": False,
        "findings": ["non_blanching_rash"],
        "complaints": ["fever"],
    }
    assert intake_for_engine(payload) == engine.Intake(
        age=0,
        age_months=7,
        sex="female",
        urgency="high",
        symptoms=("fever", "rash"),
        vitals=engine.Vitals(heart_rate=170, temperature_c=39.4),
        notes="rash does not blanch",
        pregnant=False,
        findings=("non_blanching_rash",),
        complaints=("fever",),
    )


def test_optional_fields_left_out_take_the_engines_defaults() -> None:
    assert intake_for_engine({"age": 40, "urgency": "low"}) == engine.Intake(age=40, urgency="low")
    nulls = {"age": 40, "urgency": "low", "age_months": None, "symptoms": None, "vitals": None, "findings": None}
    assert intake_for_engine(nulls) == engine.Intake(age=40, urgency="low")
