"""The package's contract with the API and the worker: exports, the stored dict, purity."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import triage
from triage import ENGINE_NAME, ENGINE_VERSION, Intake, Vitals, assess

PACKAGE = Path(triage.__file__).parent
ALLOWED_IMPORTS = {"__future__", "dataclasses", "decimal", "functools", "math", "re", "typing", "triage"}


def test_exports() -> None:
    assert set(triage.__all__) >= {
        "assess",
        "Intake",
        "Vitals",
        "Assessment",
        "EngineInfo",
        "ENGINE_NAME",
        "ENGINE_VERSION",
    }
    assert ENGINE_NAME == "triage-rules"
    assert re.fullmatch(r"\d+\.\d+\.\d+", ENGINE_VERSION)


def test_to_dict_keys_and_json_types() -> None:
    outcome = assess(
        Intake(
            age=58,
            urgency="low",
            symptoms=("crushing chest pain", "no shortness of breath"),
            vitals=Vitals(respiratory_rate=22, spo2=95, systolic_bp=100, heart_rate=104, consciousness="alert"),
        )
    ).to_dict()
    assert set(outcome) == {
        "acuity",
        "disposition",
        "rationale",
        "engine",
        "news2",
        "qsofa",
        "danger_zone",
        "red_flags",
        "serious",
        "review_required",
        "review_reasons",
        "esi",
        "escalation_policy",
    }
    assert outcome["engine"] == {"name": ENGINE_NAME, "version": ENGINE_VERSION}
    assert set(outcome["news2"]) >= {"score", "band", "subscores", "complete", "missing", "response"}
    assert outcome["red_flags"][0]["evidence"][0] == {
        "source": "symptoms[0]",
        "start": 0,
        "end": 19,
        "text": "crushing chest pain",
    }
    assert all(set(finding) == {"id", "name", "is_emergency"} for finding in outcome["serious"])

    def plain(value: object) -> bool:
        if isinstance(value, dict):
            return all(isinstance(key, str) and plain(item) for key, item in value.items())
        if isinstance(value, list):
            return all(plain(item) for item in value)
        return value is None or isinstance(value, str | int | float | bool)

    assert plain(outcome)
    json.dumps(outcome)


def test_engine_imports_only_the_standard_library_it_needs() -> None:
    for path in PACKAGE.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            for name in names:
                assert name.split(".")[0] in ALLOWED_IMPORTS, f"{path.name} imports {name}"


def test_edge_inputs_do_not_raise() -> None:
    for intake in (
        Intake(age=0, urgency="low"),
        Intake(age=130, urgency="emergency", notes=""),
        Intake(age=40, urgency="medium", notes="no", symptoms=("", " ", "...")),
        Intake(age=40, urgency="medium", vitals=Vitals(respiratory_rate=float("inf"), spo2=float("nan"))),
        Intake(age=40, urgency="medium", notes="no no no not denies if if history of"),
    ):
        assert 1 <= assess(intake).acuity <= 5


def test_very_long_notes_stay_bounded() -> None:
    # Negation scopes are bounded windows, so a pathological note is linear work, and what one outcome
    # stores is capped (evidence per flag, discounted mentions listed in the rationale).
    negated = assess(Intake(age=40, urgency="low", notes="no " * 20000 + "chest pain"))
    assert negated.red_flags == ()
    repeated = assess(Intake(age=40, urgency="low", notes="chest pain. " * 2000 + "no seizure. " * 2000))
    assert [len(flag.evidence) for flag in repeated.red_flags] == [10]
    assert len(repeated.rationale) < 40
    assert any("more mention(s) not counted" in line for line in repeated.rationale)
