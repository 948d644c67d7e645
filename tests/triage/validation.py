"""Run the published validation cases through the engine and print the agreement table.

    .venv/bin/python tests/triage/validation.py            # markdown table + summary
    .venv/bin/python tests/triage/validation.py --summary  # the summary line only

The cases and their sources live in validation_cases.json next to this file. A case may carry a
`known_disagreement` explanation; `tests/triage/test_triage_validation.py` checks that exactly the
disagreeing cases carry one, and that docs/clinical-validation.md reports the summary printed here.
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

from triage import ENGINE_VERSION, Intake, Vitals, assess  # noqa: E402

CASES_FILE = Path(__file__).with_name("validation_cases.json")


@dataclass(frozen=True)
class Result:
    case_id: str
    source: str
    tier: str
    kind: str  # "ESI" or "NEWS2"
    case_set: str  # "development", "held-out", "held-out-2": see docs/clinical-validation.md
    expected: str
    actual: str
    agrees: bool
    direction: str  # "", "over-triage", "under-triage", "score differs"
    known_disagreement: str | None


def load() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(CASES_FILE.read_text(encoding="utf-8"))
    return loaded


def build_intake(raw: dict[str, Any]) -> Intake:
    fields = dict(raw)
    vitals = Vitals(**fields.pop("vitals", {}))
    symptoms = tuple(fields.pop("symptoms", ()))
    return Intake(vitals=vitals, symptoms=symptoms, **fields)


def run_case(case: dict[str, Any], sources: dict[str, Any]) -> Result:
    outcome = assess(build_intake(case["intake"]))
    expected = case["expected"]
    tier = sources[case["source"]]["tier"]
    note = case.get("known_disagreement")
    if "news2_score" in expected:
        score = outcome.news2.score
        agrees = score == expected["news2_score"]
        return Result(case["id"], case["source"], tier, "NEWS2", case["set"], str(expected["news2_score"]), str(score),
                      agrees, "" if agrees else "score differs", note)  # fmt: skip
    allowed = expected["acuity_in"] if "acuity_in" in expected else [expected["acuity"]]
    agrees = outcome.acuity in allowed
    direction = ""
    if not agrees:
        direction = "over-triage" if outcome.acuity < min(allowed) else "under-triage"
    shown = "/".join(str(level) for level in allowed)
    return Result(
        case["id"], case["source"], tier, "ESI", case["set"], shown, str(outcome.acuity), agrees, direction, note
    )


def run_all() -> list[Result]:
    data = load()
    return [run_case(case, data["sources"]) for case in data["cases"]]


def summary(results: list[Result]) -> str:
    def share(subset: list[Result]) -> str:
        agreed = sum(result.agrees for result in subset)
        percent = round(100 * agreed / len(subset)) if subset else 0
        return f"{agreed}/{len(subset)} ({percent} %)"

    esi = [result for result in results if result.kind == "ESI"]
    primary = [result for result in esi if result.tier == "primary"]
    under = sum(result.direction == "under-triage" for result in results)
    over = sum(result.direction == "over-triage" for result in results)
    news2 = [result for result in results if result.kind == "NEWS2"]
    return (
        f"engine {ENGINE_VERSION}: all cases {share(results)}; ESI {share(esi)} "
        f"(primary source {share(primary)}); NEWS2 {share(news2)}; under-triage {under}, over-triage {over}"
    )


def table(results: list[Result]) -> str:
    lines = [
        "| Case | Set | Source | Tier | Kind | Expected | Engine | Agrees |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for result in results:
        verdict = "yes" if result.agrees else f"**no** ({result.direction})"
        lines.append(
            f"| {result.case_id} | {result.case_set} | {result.source} | {result.tier} | {result.kind} | "
            f"{result.expected} | {result.actual} | {verdict} |"
        )
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    results = run_all()
    if "--summary" not in argv:
        print(table(results))
        print()
        for case_set in ("development", "held-out", "held-out-2"):
            subset = [result for result in results if result.case_set == case_set]
            print(f"{case_set}: {summary(subset)}")
    print(summary(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
