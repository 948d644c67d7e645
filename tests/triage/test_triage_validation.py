"""The published validation cases: every disagreement is a known, explained one, and the docs say so."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

HERE = Path(__file__).parent
DOC = HERE.parents[1] / "docs" / "clinical-validation.md"


def _runner() -> ModuleType:
    # Loaded by path: tests/triage is not a package (the test tree's layout belongs to the project).
    spec = importlib.util.spec_from_file_location("triage_validation_runner", HERE / "validation.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is created
    spec.loader.exec_module(module)
    return module


def test_every_disagreement_is_known_and_every_known_disagreement_still_disagrees() -> None:
    runner = _runner()
    for result in runner.run_all():
        if result.agrees:
            assert result.known_disagreement is None, f"{result.case_id} now agrees: remove its note"
        else:
            assert result.known_disagreement, f"{result.case_id} disagrees without an explanation"


def test_no_unexplained_under_triage() -> None:
    runner = _runner()
    for result in runner.run_all():
        if result.direction == "under-triage":
            assert result.known_disagreement


def test_every_case_names_a_known_source() -> None:
    data = _runner().load()
    for case in data["cases"]:
        assert case["source"] in data["sources"]
        assert case["set"] in ("development", "held-out-3")
        assert case.get("moved_from", "held-out") in ("held-out", "held-out-2")
        assert "moved_from" not in case or case["set"] == "development"
        assert data["sources"][case["source"]]["url"].startswith("http")


def test_the_documented_figures_are_the_current_ones() -> None:
    runner = _runner()
    line = runner.summary(runner.run_all())
    assert line in DOC.read_text(encoding="utf-8"), f"docs/clinical-validation.md must report: {line}"


def test_the_documented_figures_by_set_and_phrasing_are_the_current_ones() -> None:
    runner = _runner()
    text = DOC.read_text(encoding="utf-8")
    for line in runner.summary_lines(runner.run_everything()):
        assert line in text, f"docs/clinical-validation.md must report: {line}"


def test_every_collected_case_is_sourced_split_and_rephrased() -> None:
    data = _runner().load_all()
    ids = [case["id"] for case in data["cases"]]
    assert len(ids) == len(set(ids)), "case ids are unique across the case files"
    for case in data["cases"]:
        assert case["source"] in data["sources"]
        assert case["set"] in ("development", "held-out-3")
        assert case.get("moved_from", "held-out") in ("held-out", "held-out-2")
        assert "moved_from" not in case or case["set"] == "development"
        assert data["sources"][case["source"]]["url"].startswith("http")
    esi_ids = {case["id"] for case in data["cases"] if "news2_score" not in case["expected"]}
    assert set(data["variants"]) == esi_ids, "every ESI case has its lay and shorthand copies"
    assert all(set(variants) == {"lay", "shorthand"} for variants in data["variants"].values())
