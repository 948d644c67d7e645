"""The context detector (triage/negation.py) on the published NegEx test set; print the figures.

    .venv/bin/python tests/triage/negex_benchmark.py            # the figures (docs/clinical-validation.md quotes them)
    .venv/bin/python tests/triage/negex_benchmark.py --errors   # every condition read differently from its annotation
    <medspacy env>/bin/python tests/triage/negex_benchmark.py --medspacy   # the same figures for medspaCy's ConText

negex_test_set.json holds 2,376 conditions, each in its sentence from a clinical report, with a physician's
negation status, temporality and experiencer (Chapman et al.; source and licence in the file). Each
condition is located in its sentence (it is written there in capitals) and `context_of` reads it, as the
engine reads a matched phrase. The annotation maps onto the detector's contexts: negated → "negated"; another
person's → "family"; historical → "historical" (the detector's "chronic" counts as historical);
"not particular" (a return-if instruction) → "hypothetical"; the rest are the patient's, now.

Reports are not intakes: a "HYPERTENSION." line under a past-history heading is historical to the annotator
and current to any sentence-level reader, so the historical figures are a floor. The negation figures are
the ones published for NegEx on the same set, and the safety question is the number of the patient's
current conditions the detector discards (each would be a finding the engine does not act on).
"""

from __future__ import annotations

import importlib
import importlib.metadata
import json
import re
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(ROOT))

from triage import ENGINE_VERSION  # noqa: E402
from triage.negation import context_of  # noqa: E402

TEST_SET = Path(__file__).with_name("negex_test_set.json")
CURRENT = "current"  # the patient's own condition, now: the detector's None


@dataclass(frozen=True)
class Reading:
    line: int
    condition: str
    sentence: str
    annotated: str  # negated, family, historical, hypothetical or current
    read: str  # the same vocabulary; "not located" when the condition is not found in its sentence


def annotated_context(item: dict[str, str]) -> str:
    if item["negation"] == "Negated":
        return "negated"
    if item["experiencer"] != "Patient":
        return "family"
    if item["temporality"] == "Historical":
        return "historical"
    if item["temporality"] == "Not particular":
        return "hypothetical"
    return CURRENT


def locate(condition: str, sentence: str) -> tuple[int, int] | None:
    """Where the annotated condition is in its sentence: its capitalised occurrence first."""
    words = condition.split()
    if not words:
        return None
    pattern = r"\s+".join(re.escape(word) for word in words)
    match = re.search(pattern.upper(), sentence) or re.search(pattern, sentence, re.IGNORECASE)
    return match.span() if match else None


def _hand_written(sentence: str, start: int, end: int) -> str:
    context = context_of(sentence, start, end)
    return CURRENT if context is None else "historical" if context == "chronic" else context


def _context_reader() -> Callable[[str, int, int], str]:
    """medspaCy's ConText with its default rules, for comparison. medspaCy is not a project dependency (it
    needs numpy < 2 on Python 3.11): install it in a scratch virtualenv (docs/clinical-validation.md).
    Uncertainty ("possible") reads as current, as in the engine."""
    medspacy: Any = importlib.import_module("medspacy")
    nlp = medspacy.load(enable=["medspacy_pyrush", "medspacy_context"])
    sentencizer, context = nlp.get_pipe("medspacy_pyrush"), nlp.get_pipe("medspacy_context")

    def read(sentence: str, start: int, end: int) -> str:
        doc = sentencizer(nlp.make_doc(sentence))
        doc.ents = [doc.char_span(start, end, label="CONDITION", alignment_mode="expand")]
        target = context(doc).ents[0]._
        for attribute, name in (("is_negated", "negated"), ("is_family", "family"), ("is_historical", "historical"),
                                ("is_hypothetical", "hypothetical")):  # fmt: skip
            if getattr(target, attribute):
                return name
        return CURRENT

    return read


def read_all(reader: Callable[[str, int, int], str] = _hand_written) -> list[Reading]:
    items = json.loads(TEST_SET.read_text(encoding="utf-8"))["items"]
    readings: list[Reading] = []
    for item in items:
        span = locate(item["condition"], item["sentence"])
        read = "not located" if span is None else reader(item["sentence"], *span)
        readings.append(Reading(item["line"], item["condition"], item["sentence"], annotated_context(item), read))
    return readings


def summary_lines(readings: list[Reading], reader: str = f"engine {ENGINE_VERSION}") -> list[str]:
    located = [reading for reading in readings if reading.read != "not located"]
    negated_true = sum(r.annotated == "negated" and r.read == "negated" for r in located)
    negated_false = sum(r.annotated != "negated" and r.read == "negated" for r in located)
    negated_missed = sum(r.annotated == "negated" and r.read != "negated" for r in located)
    annotated_negated = negated_true + negated_missed
    precision = negated_true / (negated_true + negated_false) if negated_true + negated_false else 0.0
    recall = negated_true / annotated_negated if annotated_negated else 0.0
    f_measure = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    agree = sum((r.annotated == "negated") == (r.read == "negated") for r in located)
    current = [r for r in located if r.annotated == CURRENT]
    discarded = Counter(r.read for r in current if r.read != CURRENT)
    discarded_text = ", ".join(f"{count} as {context}" for context, count in sorted(discarded.items())) or "none"
    others = []
    for context in ("historical", "hypothetical", "family"):
        annotated = [r for r in located if r.annotated == context]
        others.append(f"{context} {sum(r.read == context for r in annotated)}/{len(annotated)}")
    return [
        f"{reader} · NegEx test set: {len(located)}/{len(readings)} conditions located; negation: "
        f"{negated_true}/{annotated_negated} found, {negated_false} false, precision {precision:.3f}, "
        f"recall {recall:.3f}, F {f_measure:.3f}, agreement {agree}/{len(located)} "
        f"({100 * agree / len(located):.1f} %)",
        f"{reader} · NegEx test set: the patient's current conditions discarded "
        f"{sum(discarded.values())}/{len(current)} ({discarded_text}); other contexts found: {', '.join(others)}",
    ]


def main(argv: list[str]) -> int:
    if "--medspacy" in argv:
        readings = read_all(_context_reader())
        reader = f"medspaCy {importlib.metadata.version('medspacy')} ConText"
    else:
        readings, reader = read_all(), f"engine {ENGINE_VERSION}"
    for line in summary_lines(readings, reader):
        print(line)
    if "--errors" in argv:
        for reading in readings:
            if reading.annotated != reading.read:
                print(f"{reading.line}\t{reading.annotated} → {reading.read}\t{reading.condition}\t{reading.sentence}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
