"""The context detector on the published NegEx test set (tests/triage/negex_benchmark.py)."""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).parent
DOC = HERE.parents[1] / "docs" / "clinical-validation.md"
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

import negex_benchmark  # noqa: E402 - the script next to this file


def test_the_documented_negex_figures_are_the_current_ones() -> None:
    text = DOC.read_text(encoding="utf-8")
    for line in negex_benchmark.summary_lines(negex_benchmark.read_all()):
        assert line in text, f"docs/clinical-validation.md must report: {line}"


def test_every_annotation_maps_onto_a_context() -> None:
    readings = negex_benchmark.read_all()
    assert len(readings) == 2376
    assert {reading.annotated for reading in readings} == {"negated", "family", "historical", "hypothetical", "current"}
    assert sum(reading.read == "not located" for reading in readings) < 20
