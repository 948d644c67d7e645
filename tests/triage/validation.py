"""Run the published validation cases — and their re-phrased copies — through the engine; print the figures.

    .venv/bin/python tests/triage/validation.py             # figures by set and phrasing, then every miss
    .venv/bin/python tests/triage/validation.py --summary   # the summary lines only (docs quote them)
    .venv/bin/python tests/triage/validation.py --table     # the full per-case table (markdown)

The same command ends with the published triage statements on three levels (guidance.py; its own
`--table` lists every statement) and the published three-level vignettes (vignettes.py; its own
`--development` lists the development vignettes one by one).

Cases and their sources live in validation_cases.json (the first collection) and collected_cases.json
(the ESI handbook's 2020 edition); rephrased_cases.json holds two re-phrased copies of every ESI case
(`lay`: plain words as a patient or consumer agent writes; `shorthand`: a clinician's abbreviated note
with the findings in `notes`). The published answer is the same for every phrasing. Sets: `development`
(rules may be written from these) and `fresh held-out` (`held-out-3`: only ever counted). The former
held-out cases (`moved_from`: `held-out`, `held-out-2`) were read at engine 1.9.0 and rules were chosen from
them, so they are development cases now (COLLECTED_CASES.md).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(ROOT))

from triage import ENGINE_VERSION, Intake, Vitals, assess  # noqa: E402

HERE = Path(__file__).parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

import guidance  # noqa: E402
import vignettes  # noqa: E402

CASES_FILE = HERE / "validation_cases.json"
CASE_FILES = (CASES_FILE, HERE / "collected_cases.json")
REPHRASED_FILE = HERE / "rephrased_cases.json"
VARIANTS = ("original", "lay", "shorthand")
# `fresh held-out` (`held-out-3`) was collected after the former held-out cases were read (engine 1.9.0)
# and has only ever been counted.
SET_GROUPS = {"development": ("development",), "fresh held-out": ("held-out-3",)}


@dataclass(frozen=True)
class Result:
    case_id: str
    source: str
    tier: str
    kind: str  # "ESI" or "NEWS2"
    case_set: str  # "development", "held-out-3"
    variant: str  # "original", "lay", "shorthand"
    expected: str
    actual: str
    agrees: bool
    exact: bool | None  # the one published level matched; None when the source published a range
    direction: str  # "", "over-triage", "under-triage", "score differs"
    known_disagreement: str | None


def load() -> dict[str, Any]:
    """The first collection only (its cases carry `known_disagreement` notes kept true by a test)."""
    loaded: dict[str, Any] = json.loads(CASES_FILE.read_text(encoding="utf-8"))
    return loaded


def load_all() -> dict[str, Any]:
    sources: dict[str, Any] = {}
    cases: list[dict[str, Any]] = []
    for path in CASE_FILES:
        data = json.loads(path.read_text(encoding="utf-8"))
        sources |= data["sources"]
        cases += data["cases"]
    rephrased = json.loads(REPHRASED_FILE.read_text(encoding="utf-8"))["variants"]
    return {"sources": sources, "cases": cases, "variants": rephrased}


def build_intake(raw: dict[str, Any]) -> Intake:
    fields = dict(raw)
    vitals = Vitals(**fields.pop("vitals", {}))
    symptoms = tuple(fields.pop("symptoms", ()))
    return Intake(vitals=vitals, symptoms=symptoms, **fields)


def run_case(case: dict[str, Any], sources: dict[str, Any], variant: str = "original", intake: Any = None) -> Result:
    outcome = assess(build_intake(intake if intake is not None else case["intake"]))
    expected = case["expected"]
    tier = sources[case["source"]]["tier"]
    note = case.get("known_disagreement") if variant == "original" else None
    if "news2_score" in expected:
        score = outcome.news2.score
        agrees = score == expected["news2_score"]
        return Result(case["id"], case["source"], tier, "NEWS2", case["set"], variant, str(expected["news2_score"]),
                      str(score), agrees, agrees, "" if agrees else "score differs", note)  # fmt: skip
    allowed = expected["acuity_in"] if "acuity_in" in expected else [expected["acuity"]]
    agrees = outcome.acuity in allowed
    direction = ""
    if not agrees:
        direction = "over-triage" if outcome.acuity < min(allowed) else "under-triage"
    exact = agrees if len(allowed) == 1 else None
    shown = "/".join(str(level) for level in allowed)
    return Result(case["id"], case["source"], tier, "ESI", case["set"], variant, shown, str(outcome.acuity), agrees,
                  exact, direction, note)  # fmt: skip


def run_all(variants: Iterable[str] = ("original",)) -> list[Result]:
    """The first collection's cases (original phrasing by default): what its explanation test checks."""
    data = load()
    wanted = set(variants)
    return [run_case(case, data["sources"]) for case in data["cases"] if "original" in wanted]


def run_everything() -> list[Result]:
    data = load_all()
    results: list[Result] = []
    for case in data["cases"]:
        results.append(run_case(case, data["sources"]))
        for variant, intake in data["variants"].get(case["id"], {}).items():
            results.append(run_case(case, data["sources"], variant, intake))
    return results


def share(subset: list[Result]) -> str:
    agreed = sum(result.agrees for result in subset)
    percent = round(100 * agreed / len(subset)) if subset else 0
    return f"{agreed}/{len(subset)} ({percent} %)"


def summary(results: list[Result]) -> str:
    """One line for the first collection (kept for its explanation test and the docs)."""
    esi = [result for result in results if result.kind == "ESI"]
    primary = [result for result in esi if result.tier == "primary"]
    under = sum(result.direction == "under-triage" for result in results)
    over = sum(result.direction == "over-triage" for result in results)
    news2 = [result for result in results if result.kind == "NEWS2"]
    return (
        f"engine {ENGINE_VERSION}: all cases {share(results)}; ESI {share(esi)} "
        f"(primary source {share(primary)}); NEWS2 {share(news2)}; under-triage {under}, over-triage {over}"
    )


def _subset(results: list[Result], group: str, variant: str) -> list[Result]:
    return [r for r in results if r.kind == "ESI" and r.case_set in SET_GROUPS[group] and r.variant == variant]


def group_line(results: list[Result], group: str, variant: str) -> str:
    subset = _subset(results, group, variant)
    single = [r for r in subset if r.exact is not None]
    under = sum(r.direction == "under-triage" for r in subset)
    over = sum(r.direction == "over-triage" for r in subset)
    exact = sum(bool(r.exact) for r in single)
    return (
        f"engine {ENGINE_VERSION} · ESI {group} · {variant}: in range {share(subset)}; "
        f"exact {exact}/{len(single)}; under-triage {under}, over-triage {over}"
    )


def summary_lines(results: list[Result]) -> list[str]:
    return [group_line(results, group, variant) for group in SET_GROUPS for variant in VARIANTS]


def figures_table(results: list[Result]) -> str:
    lines = [
        "| Set | Phrasing | Cases | In range | Exact (one published level) | Under-triage | Over-triage |",
        "|---|---|---|---|---|---|---|",
    ]
    for group in SET_GROUPS:
        for variant in VARIANTS:
            subset = _subset(results, group, variant)
            single = [r for r in subset if r.exact is not None]
            exact = sum(bool(r.exact) for r in single)
            lines.append(
                f"| {group} | {variant} | {len(subset)} | {share(subset)} | {exact}/{len(single)} | "
                f"{sum(r.direction == 'under-triage' for r in subset)} | "
                f"{sum(r.direction == 'over-triage' for r in subset)} |"
            )
    return "\n".join(lines)


def table(results: list[Result]) -> str:
    lines = [
        "| Case | Set | Phrasing | Source | Tier | Kind | Expected | Engine | Agrees |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for result in results:
        verdict = "yes" if result.agrees else f"**no** ({result.direction})"
        lines.append(
            f"| {result.case_id} | {result.case_set} | {result.variant} | {result.source} | {result.tier} | "
            f"{result.kind} | {result.expected} | {result.actual} | {verdict} |"
        )
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    results = run_everything()
    if "--table" in argv:
        print(table(results))
        return 0
    if "--summary" not in argv:
        print(figures_table(results))
        print()
        misses = [r for r in results if not r.agrees]
        print(table(misses))
        print()
    for line in summary_lines(results):
        print(line)
    print(summary(run_all()))
    # The three-level measures — published triage statements (guidance.py) and vignettes (vignettes.py):
    # one command prints every figure.
    for measure in (guidance, vignettes):
        outcomes = measure.run()
        if "--summary" not in argv:
            print()
            print(measure.figures_table(outcomes))
            print()
        for line in measure.summary_lines(outcomes):
            print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
