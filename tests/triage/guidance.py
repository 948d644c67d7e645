"""Published triage statements from official health-service pages, through the engine, on three tiers.

Symptom pages of public health services (nhs.uk, NHS inform, HSE, healthdirect) sort what a person
describes into "call 999 / go to A&E" (emergent), "urgent GP / 111 / see a GP" (non-emergent) and "you
can treat it yourself" (self care). Each statement there is a short lay description with a published
answer on the same three levels as the symptom-checker vignette studies. They are kept verbatim, with
their page, in guidance_statements.json.

The engine's disposition is read on the same three levels: emergency_ambulance and emergency are
emergent, consultation_24 and consultation are non-emergent, self_care is self care. A statement is
"appropriate" when the tiers are equal; under-triage is a less urgent tier than the published one.

Split: a page's statements are all development or all held-out (the page's `set`). The first three
collections were split by a hash of the page id; their held-out pages were read at engine 1.10.3 and are
development pages now (`moved_from`). The fourth collection, gathered afterwards by a collector who never ran
the engine, was held out ("fresh held-out") and never read, until its totals decided a rule: it is development
too (`moved_from`), and docs/clinical-validation.md keeps its last blind figures. The fifth collection
(2026-11-28, 40 pages) was counted first on engine 1.17.0, then split by a hash of the page id: one half was
read and is development (`moved_from`); the other was held out, counted only, until its totals decided a
change at engine 1.19.0, and is development too. The sixth collection was gathered as development data.

Phrasings: the statement as published (`original`, already lay words) and a clinician's shorthand copy of
it (`shorthand`; the published tier stays).
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(ROOT))

from triage import ENGINE_VERSION, Intake, assess  # noqa: E402

HERE = Path(__file__).parent
STATEMENTS_FILE = HERE / "guidance_statements.json"
TIERS = ("emergent", "non-emergent", "self-care")
TIER_OF_DISPOSITION = {
    "emergency_ambulance": "emergent",
    "emergency": "emergent",
    "consultation_24": "non-emergent",
    "consultation": "non-emergent",
    "self_care": "self-care",
}
SETS = ("development", "fresh held-out")  # the seventh collection is held out (counted, never read)
PHRASINGS = ("original", "shorthand")
# Ages for a population the statement does not put a number on: an adult, a school-age child, a baby
# past the young-infant rules (a stated age range overrides these).
DEFAULT_AGE = {"adult": (35, 0), "child": (6, 0), "baby": (0, 6)}


class Tiered:
    """An outcome read on the three tiers: its published tier (`expected`) against the engine's (`actual`);
    shared with the vignettes (vignettes.py)."""

    expected: str
    actual: str

    @property
    def appropriate(self) -> bool:
        return self.expected == self.actual

    @property
    def direction(self) -> str:
        if self.appropriate:
            return ""
        return "under-triage" if TIERS.index(self.actual) > TIERS.index(self.expected) else "over-triage"


@dataclass(frozen=True)
class Outcome(Tiered):
    statement_id: str
    source: str
    case_set: str
    phrasing: str
    expected: str
    actual: str
    disposition: str
    acuity: int


def load() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(STATEMENTS_FILE.read_text(encoding="utf-8"))
    return loaded


def build_intake(statement: dict[str, Any], phrasing: str = "original") -> Intake:
    if "age" in statement:  # the page states an age
        age, months = statement["age"], statement.get("age_months", 0)
    else:
        age, months = DEFAULT_AGE[statement["population"]]
    notes = statement["intake_text"] if phrasing == "original" else statement[phrasing]
    return Intake(age=age, age_months=months, urgency="medium", notes=notes)


def run() -> list[Outcome]:
    data = load()
    outcomes: list[Outcome] = []
    for statement in data["statements"]:
        for phrasing in PHRASINGS:
            if phrasing != "original" and phrasing not in statement:
                continue
            assessment = assess(build_intake(statement, phrasing))
            outcomes.append(
                Outcome(
                    statement["id"],
                    statement["source"],
                    data["sources"][statement["source"]]["set"],
                    phrasing,
                    statement["tier"],
                    TIER_OF_DISPOSITION[assessment.disposition],
                    assessment.disposition,
                    assessment.acuity,
                )
            )
    return outcomes


def share(part: int, whole: int) -> str:
    return f"{part}/{whole} ({round(100 * part / whole) if whole else 0} %)"


def set_line(outcomes: list[Outcome], case_set: str, phrasing: str) -> str:
    subset = [o for o in outcomes if o.case_set == case_set and o.phrasing == phrasing]
    by_tier = []
    for tier in TIERS:
        in_tier = [o for o in subset if o.expected == tier]
        by_tier.append(f"{tier} {share(sum(o.appropriate for o in in_tier), len(in_tier))}")
    under = sum(o.direction == "under-triage" for o in subset)
    over = sum(o.direction == "over-triage" for o in subset)
    return (
        f"engine {ENGINE_VERSION} · statements {case_set} · {phrasing}: appropriate "
        f"{share(sum(o.appropriate for o in subset), len(subset))}; {'; '.join(by_tier)}; "
        f"under-triage {under}, over-triage {over}"
    )


def summary_lines(outcomes: list[Outcome]) -> list[str]:
    phrasings = [phrasing for phrasing in PHRASINGS if any(o.phrasing == phrasing for o in outcomes)]
    return [set_line(outcomes, case_set, phrasing) for case_set in SETS for phrasing in phrasings]


def figures_table(outcomes: list[Outcome]) -> str:
    lines = [
        "| Set | Phrasing | Pages | Statements | Appropriate | Emergent | Non-emergent | Self care | Under-triage | "
        "Over-triage |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    phrasings = [phrasing for phrasing in PHRASINGS if any(o.phrasing == phrasing for o in outcomes)]
    for case_set, phrasing in [(case_set, phrasing) for case_set in SETS for phrasing in phrasings]:
        subset = [o for o in outcomes if o.case_set == case_set and o.phrasing == phrasing]
        cells = []
        for tier in TIERS:
            in_tier = [o for o in subset if o.expected == tier]
            cells.append(share(sum(o.appropriate for o in in_tier), len(in_tier)))
        lines.append(
            f"| {case_set} | {phrasing} | {len({o.source for o in subset})} | {len(subset)} | "
            f"{share(sum(o.appropriate for o in subset), len(subset))} | {' | '.join(cells)} | "
            f"{sum(o.direction == 'under-triage' for o in subset)} | "
            f"{sum(o.direction == 'over-triage' for o in subset)} |"
        )
    return "\n".join(lines)


def table(outcomes: list[Outcome], case_set: str | None = None) -> str:
    lines = [
        "| Statement | Set | Phrasing | Published | Engine | Disposition (ESI) | |",
        "|---|---|---|---|---|---|---|",
    ]
    for o in outcomes:
        if case_set is not None and o.case_set != case_set:
            continue
        verdict = "yes" if o.appropriate else f"**no** ({o.direction})"
        lines.append(
            f"| {o.statement_id} | {o.case_set} | {o.phrasing} | {o.expected} | {o.actual} | "
            f"{o.disposition} ({o.acuity}) | {verdict} |"
        )
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    outcomes = run()
    if "--table" in argv:
        print(table(outcomes))
        return 0
    print(figures_table(outcomes))
    print()
    for line in summary_lines(outcomes):
        print(line)
    if "--development-misses" in argv:
        print()
        print(table([o for o in outcomes if not o.appropriate], "development"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
