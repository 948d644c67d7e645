"""The published triage statements: sourced, verbatim-with-context, split by page, figures documented."""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).parent
DOC = HERE.parents[1] / "docs" / "clinical-validation.md"
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

import guidance  # noqa: E402 - the script next to this file, as validation.py imports it


def test_every_statement_is_sourced_and_keeps_its_published_words() -> None:
    data = guidance.load()
    ids = [statement["id"] for statement in data["statements"]]
    assert len(ids) == len(set(ids))
    for statement in data["statements"]:
        source = data["sources"][statement["source"]]
        assert source["url"].startswith("http")
        assert statement["tier"] in guidance.TIERS
        assert statement["population"] in guidance.DEFAULT_AGE
        assert statement["intake_text"].endswith(statement["text"].strip()), statement["id"]
        assert statement["shorthand"].strip(), statement["id"]  # a few ("tonsillitis") have no other form
    assert set(data["sources"]) == {statement["source"] for statement in data["statements"]}


def test_a_page_is_wholly_development_or_wholly_held_out() -> None:
    outcomes = guidance.run()
    sets_by_page: dict[str, set[str]] = {}
    for outcome in outcomes:
        sets_by_page.setdefault(outcome.source, set()).add(outcome.case_set)
    assert all(len(sets) == 1 for sets in sets_by_page.values())
    assert {outcome.case_set for outcome in outcomes} == set(guidance.SETS)


def test_the_documented_statement_figures_are_the_current_ones() -> None:
    text = DOC.read_text(encoding="utf-8")
    for line in guidance.summary_lines(guidance.run()):
        assert line in text, f"docs/clinical-validation.md must report: {line}"
