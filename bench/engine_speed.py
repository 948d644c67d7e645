"""How long the engine takes per intake, on the published cases and on a long note (`make bench-engine`).

The budget (docs/clinical-rules.md §1): p99 under 20 ms for an intake with a 4,000-character note on the
project's 2-core reference machine. Each run uses a fresh intake (no cache reuse across calls), after a
warm-up; the machine is shared, so read the figures as a measurement, not as a test.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from dataclasses import replace
from pathlib import Path

from triage import ENGINE_VERSION, Intake, Vitals, assess

ROOT = Path(__file__).resolve().parents[1]
CASES = ROOT / "tests" / "triage" / "collected_cases.json"


def _long_note(length: int) -> str:
    cases = json.loads(CASES.read_text(encoding="utf-8"))["cases"]
    text = " ".join(case["intake"].get("notes", "") for case in cases)
    return text[:length]


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("--length", type=int, default=4000)
    args = parser.parse_args()
    note = _long_note(args.length)
    base = Intake(age=50, urgency="medium", notes=note, vitals=Vitals(heart_rate=90))
    for warm in range(10):
        assess(replace(base, notes=f"{note[: args.length - 6]}{warm:06d}"))
    long_ms = []
    for run in range(args.runs):
        intake = replace(base, notes=f"{note[: args.length - 6]}{run:06d}")  # new text: no cache reuse
        started = time.perf_counter()
        assess(intake)
        long_ms.append((time.perf_counter() - started) * 1000)
    cases = json.loads(CASES.read_text(encoding="utf-8"))["cases"]
    case_ms = []
    for case in cases:
        raw = dict(case["intake"])
        vitals = Vitals(**raw.pop("vitals", {}))
        intake = Intake(vitals=vitals, symptoms=tuple(raw.pop("symptoms", ())), **raw)
        started = time.perf_counter()
        assess(intake)
        case_ms.append((time.perf_counter() - started) * 1000)
    long_p50, long_p99 = _percentiles(long_ms)
    case_p50, case_p99 = _percentiles(case_ms)
    print(f"engine {ENGINE_VERSION}")
    print("| Input | Runs | p50 ms | p99 ms |")
    print("|---|---|---|---|")
    print(f"| {args.length}-character note | {args.runs} | {long_p50:.1f} | {long_p99:.1f} |")
    print(f"| published cases (as written) | {len(case_ms)} | {case_p50:.2f} | {case_p99:.2f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
