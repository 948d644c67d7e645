"""Published clinical vignettes with a published triage answer, through the engine, on three tiers.

Four sources (vignette_cases.json): Levine & Mehrotra (JAMA Netw Open 2021; four published levels), Bean et
al. (arXiv 2025; five), Ramaswamy et al. (Nat Med 2026; four, some answers naming two adjacent levels) and
Fraile Navarro et al. (arXiv 2026; four).
Each vignette is sent whole as the intake's notes, with its stated age; the published levels map onto the
three of the symptom-checker studies (emergent / non-emergent / self care), and the engine's disposition is
read on the same three (guidance.TIER_OF_DISPOSITION).

Split: a source's own set, else a hash of the case id, fixed before any run. The held-out vignettes of the
first two sources were read at engine 1.12.0 and are development now; Ramaswamy et al. were held out and
never read, until their totals decided two rules at engine 1.13.0: development too (`moved_from`). Fraile
Navarro et al. were found after engine 1.15.0 and are held out whole (`fresh held-out`): only counted.
Phrasings: the vignette as published (`original`, lay words) and a clinician's shorthand copy
(`shorthand`, written afterwards; the published answer stays).
"""

from __future__ import annotations

import hashlib
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(ROOT))

from guidance import TIER_OF_DISPOSITION, TIERS, Tiered, share  # noqa: E402

from triage import ENGINE_VERSION, Intake, assess  # noqa: E402

HERE = Path(__file__).parent
CASES_FILE = HERE / "vignette_cases.json"
SETS = ("development", "fresh held-out")  # a source read or used to choose a rule is development (moved_from)
HASH_SETS = ("development", "held-out")  # the first source's split by case id, fixed before any run
PHRASINGS = ("original", "lay", "shorthand")  # lay: only where the source publishes its own lay rewrite


@dataclass(frozen=True)
class Outcome(Tiered):
    case_id: str
    case_set: str
    phrasing: str
    published: str  # the published level, as printed
    expected: str  # its tier, or "either of two tiers" where the published answer names two adjacent levels
    actual: str
    disposition: str
    acuity: int
    acceptable: tuple[str, ...]  # the tiers the published answer accepts, least urgent first

    @property
    def appropriate(self) -> bool:
        return self.actual in self.acceptable

    @property
    def direction(self) -> str:
        if self.appropriate:
            return ""
        return "under-triage" if TIERS.index(self.actual) > TIERS.index(self.acceptable[-1]) else "over-triage"


TWO_TIERS = "either of two tiers"


def tiers_of(case: dict[str, Any]) -> tuple[str, ...]:
    """The tiers a vignette's published answer accepts: one, or two adjacent ones ("C/D"), least urgent first."""
    return tuple(case["tiers"]) if "tiers" in case else (str(case["tier"]),)


def hash_split(case_id: str) -> str:
    return HASH_SETS[hashlib.sha256(case_id.encode("utf-8")).digest()[0] % 2]


def split_of(case_id: str, sources: dict[str, Any] | None = None, source: str = "") -> str:
    """The source's own set where it names one (a set collected after the split is held out whole; a set
    read since is development, with `moved_from`), else a hash of the case id."""
    named = (sources or {}).get(source, {}).get("set")
    return str(named) if named else hash_split(case_id)


def load() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(CASES_FILE.read_text(encoding="utf-8"))
    return loaded


def build_intake(case: dict[str, Any], phrasing: str = "original") -> Intake:
    notes = case["text"] if phrasing == "original" else case[phrasing]
    return Intake(age=case["age"], age_months=case.get("age_months", 0), urgency="medium", notes=notes)


def run() -> list[Outcome]:
    outcomes: list[Outcome] = []
    data = load()
    for case in data["cases"]:
        for phrasing in PHRASINGS:
            if phrasing != "original" and phrasing not in case:
                continue
            assessment = assess(build_intake(case, phrasing))
            case_set = split_of(case["id"], data["sources"], case["source"])
            acceptable = tiers_of(case)
            expected = acceptable[0] if len(acceptable) == 1 else TWO_TIERS
            outcomes.append(
                Outcome(case["id"], case_set, phrasing, case["published_triage"], expected,
                        TIER_OF_DISPOSITION[assessment.disposition], assessment.disposition, assessment.acuity,
                        acceptable)
            )  # fmt: skip
    return outcomes


def _columns(subset: list[Outcome]) -> tuple[str, ...]:
    """The tiers, and the two-tier answers where the subset has any."""
    return TIERS + ((TWO_TIERS,) if any(o.expected == TWO_TIERS for o in subset) else ())


def _counts(subset: list[Outcome]) -> tuple[str, list[str], int, int]:
    by_tier = [
        share(sum(o.appropriate for o in subset if o.expected == tier), sum(o.expected == tier for o in subset))
        for tier in _columns(subset)
    ]
    under = sum(o.direction == "under-triage" for o in subset)
    over = sum(o.direction == "over-triage" for o in subset)
    return share(sum(o.appropriate for o in subset), len(subset)), by_tier, under, over


def set_line(outcomes: list[Outcome], case_set: str, phrasing: str) -> str:
    subset = [o for o in outcomes if o.case_set == case_set and o.phrasing == phrasing]
    appropriate, by_tier, under, over = _counts(subset)
    tiers = "; ".join(f"{tier} {share}" for tier, share in zip(_columns(subset), by_tier, strict=True))
    return (
        f"engine {ENGINE_VERSION} · vignettes {case_set} · {phrasing}: appropriate {appropriate}; {tiers}; "
        f"under-triage {under}, over-triage {over}"
    )


def _phrasings(outcomes: list[Outcome]) -> list[str]:
    return [phrasing for phrasing in PHRASINGS if any(o.phrasing == phrasing for o in outcomes)]


def _pairs(outcomes: list[Outcome]) -> list[tuple[str, str]]:
    """Each set with each phrasing it has."""
    held = {(o.case_set, o.phrasing) for o in outcomes}
    return [
        (case_set, phrasing) for case_set in SETS for phrasing in _phrasings(outcomes) if (case_set, phrasing) in held
    ]


def summary_lines(outcomes: list[Outcome]) -> list[str]:
    return [set_line(outcomes, case_set, phrasing) for case_set, phrasing in _pairs(outcomes)]


def figures_table(outcomes: list[Outcome]) -> str:
    lines = [
        "| Set | Phrasing | Vignettes | Appropriate | Emergent | Non-emergent | Self care | Either of two tiers | "
        "Under-triage | Over-triage |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for case_set, phrasing in _pairs(outcomes):
        subset = [o for o in outcomes if o.case_set == case_set and o.phrasing == phrasing]
        appropriate, by_tier, under, over = _counts(subset)
        columns = by_tier if len(by_tier) > len(TIERS) else [*by_tier, "–"]
        lines.append(
            f"| {case_set} | {phrasing} | {len(subset)} | {appropriate} | {' | '.join(columns)} | {under} | {over} |"
        )
    return "\n".join(lines)


def table(outcomes: list[Outcome], case_set: str) -> str:
    lines = [
        "| Vignette | Phrasing | Published | Tier | Engine | Disposition (ESI) | |",
        "|---|---|---|---|---|---|---|",
    ]
    for o in outcomes:
        if o.case_set != case_set:
            continue
        verdict = "yes" if o.appropriate else f"**no** ({o.direction})"
        lines.append(
            f"| {o.case_id} | {o.phrasing} | {o.published} | {o.expected} | {o.actual} | {o.disposition} "
            f"({o.acuity}) | {verdict} |"
        )
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    outcomes = run()
    print(figures_table(outcomes))
    print()
    for line in summary_lines(outcomes):
        print(line)
    if "--development" in argv:  # the development vignettes one by one; held-out ones are never listed
        print()
        print(table(outcomes, "development"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
