"""The published three-level vignettes: sourced, verbatim, split before any run, figures documented."""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).parent
DOC = HERE.parents[1] / "docs" / "clinical-validation.md"
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

import vignettes  # noqa: E402 - the script next to this file, as validation.py imports it

LEVINE_BEAN = {
    "Emergent": "emergent",
    "Ambulance": "emergent",
    "A&E": "emergent",
    "1 day": "non-emergent",
    "1 week": "non-emergent",
    "Urgent Primary Care": "non-emergent",
    "Routine GP": "non-emergent",
    "Self-care": "self-care",
}
# Each source's levels on the three tiers; the two lettered scales run in opposite directions.
PUBLISHED_TIERS = {
    "levine-mehrotra-2021": LEVINE_BEAN,
    "bean-2025": LEVINE_BEAN,
    # Ramaswamy et al.: A monitor at home; B see my doctor in the next few weeks; C within 24-48 hours; D ER now.
    "ramaswamy-2026": {"A": "self-care", "B": "non-emergent", "C": "non-emergent", "D": "emergent"},
    # Fraile Navarro et al.: A emergency services / ER now; B within 24 hours; C within a few days; D self-care.
    "fraile-navarro-2026": {"A": "emergent", "B": "non-emergent", "C": "non-emergent", "D": "self-care"},
}
TIER_ORDER = ("self-care", "non-emergent", "emergent")


def test_every_vignette_is_sourced_with_its_published_answer_and_a_shorthand_copy() -> None:
    data = vignettes.load()
    ids = [case["id"] for case in data["cases"]]
    assert len(ids) == len(set(ids)) >= 45  # the issue asks for 45 or more three-level vignettes
    for case in data["cases"]:
        source = data["sources"][case["source"]]
        assert source["url"].startswith("https://") and source["citation"]
        assert case["published_triage"] in source["published_levels"]
        # One published level, or two adjacent ones ("C/D"): every tier they map to, least urgent first.
        published = sorted(
            {PUBLISHED_TIERS[case["source"]][level] for level in case["published_triage"].split("/")},
            key=TIER_ORDER.index,
        )
        assert list(vignettes.tiers_of(case)) == published, case["id"]
        assert case["age_text"] in case["text"] and str(case["age"]) in case["age_text"], case["id"]  # its own age
        assert case["shorthand"].strip(), case["id"]
        # A lay copy only where the source published its own lay rewrite of the vignette.
        assert "lay" not in case or ("lay_from" in source and case["lay"].strip()), case["id"]


def test_the_split_is_fixed_by_the_case_id_and_both_parts_have_every_tier() -> None:
    data = vignettes.load()
    source_of = {case["id"]: case["source"] for case in data["cases"]}
    outcomes = vignettes.run()
    assert all(o.case_set == vignettes.split_of(o.case_id, data["sources"], source_of[o.case_id]) for o in outcomes)
    # The first two sources were split (Levine & Mehrotra by the hash, Bean et al. held out whole) and their
    # held-out vignettes read at 1.12.0; the third was held out until its totals decided two rules at 1.13.0.
    # All are development now, each source saying where from.
    for source, moved_from in (
        ("levine-mehrotra-2021", "held-out"),
        ("bean-2025", "held-out"),
        ("ramaswamy-2026", "fresh held-out"),
    ):
        assert {o.case_set for o in outcomes if source_of[o.case_id] == source} == {"development"}
        assert data["sources"][source]["moved_from"].startswith(moved_from)
    # The fourth, found after engine 1.15.0, is held out whole and only counted.
    assert {o.case_set for o in outcomes if source_of[o.case_id] == "fraile-navarro-2026"} == {"fresh held-out"}
    levine = [case["id"] for case in data["cases"] if case["source"] == "levine-mehrotra-2021"]
    assert sum(vignettes.hash_split(case_id) == "held-out" for case_id in levine) == 27
    for case_set in vignettes.SETS:
        assert {o.expected for o in outcomes if o.case_set == case_set} >= {"emergent", "non-emergent", "self-care"}


def test_an_answer_of_two_adjacent_levels_accepts_either_tier() -> None:
    outcome = vignettes.Outcome(
        "c",
        "fresh held-out",
        "original",
        "C/D",
        vignettes.TWO_TIERS,
        "non-emergent",
        "consultation_24",
        3,
        ("non-emergent", "emergent"),
    )
    assert outcome.appropriate
    below = vignettes.Outcome(
        "c",
        "fresh held-out",
        "original",
        "C/D",
        vignettes.TWO_TIERS,
        "self-care",
        "self_care",
        5,
        ("non-emergent", "emergent"),
    )
    assert (below.appropriate, below.direction) == (False, "under-triage")


def test_the_documented_vignette_figures_are_the_current_ones() -> None:
    text = DOC.read_text(encoding="utf-8")
    for line in vignettes.summary_lines(vignettes.run()):
        assert line in text, f"docs/clinical-validation.md must report: {line}"
