"""The package's contract with the API and the worker: exports, the stored dict, purity."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import triage
from triage import ENGINE_NAME, ENGINE_VERSION, Intake, Vitals, assess

PACKAGE = Path(triage.__file__).parent
ALLOWED_IMPORTS = {"__future__", "collections", "dataclasses", "decimal", "functools", "math", "re", "typing", "triage"}


def test_exports() -> None:
    assert set(triage.__all__) >= {
        "assess",
        "Intake",
        "Vitals",
        "Assessment",
        "EngineInfo",
        "ENGINE_NAME",
        "ENGINE_VERSION",
    }
    assert ENGINE_NAME == "triage-rules"
    assert re.fullmatch(r"\d+\.\d+\.\d+", ENGINE_VERSION)


def test_to_dict_keys_and_json_types() -> None:
    outcome = assess(
        Intake(
            age=58,
            urgency="low",
            symptoms=("crushing chest pain", "no shortness of breath"),
            vitals=Vitals(respiratory_rate=22, spo2=95, systolic_bp=100, heart_rate=104, consciousness="alert"),
        )
    ).to_dict()
    assert set(outcome) == {
        "acuity",
        "disposition",
        "rationale",
        "engine",
        "news2",
        "qsofa",
        "danger_zone",
        "red_flags",
        "serious",
        "review_required",
        "review_reasons",
        "esi",
        "escalation_policy",
    }
    assert outcome["engine"] == {"name": ENGINE_NAME, "version": ENGINE_VERSION}
    assert set(outcome["news2"]) >= {"score", "band", "subscores", "complete", "missing", "response"}
    assert outcome["red_flags"][0]["evidence"][0] == {
        "source": "symptoms[0]",
        "start": 0,
        "end": 19,
        "text": "crushing chest pain",
    }
    assert all(set(finding) == {"id", "name", "is_emergency"} for finding in outcome["serious"])

    def plain(value: object) -> bool:
        if isinstance(value, dict):
            return all(isinstance(key, str) and plain(item) for key, item in value.items())
        if isinstance(value, list):
            return all(plain(item) for item in value)
        return value is None or isinstance(value, str | int | float | bool)

    assert plain(outcome)
    json.dumps(outcome)


def test_engine_imports_only_the_standard_library_it_needs() -> None:
    for path in PACKAGE.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            for name in names:
                assert name.split(".")[0] in ALLOWED_IMPORTS, f"{path.name} imports {name}"


def test_edge_inputs_do_not_raise() -> None:
    for intake in (
        Intake(age=0, urgency="low"),
        Intake(age=130, urgency="emergency", notes=""),
        Intake(age=40, urgency="medium", notes="no", symptoms=("", " ", "...")),
        Intake(age=40, urgency="medium", vitals=Vitals(respiratory_rate=float("inf"), spo2=float("nan"))),
        Intake(age=40, urgency="medium", notes="no no no not denies if if history of"),
    ):
        assert 1 <= assess(intake).acuity <= 5


def test_very_long_notes_stay_bounded() -> None:
    # Negation scopes are bounded windows, so a pathological note is linear work, and what one outcome
    # stores is capped (evidence per flag, discounted mentions listed in the rationale).
    negated = assess(Intake(age=40, urgency="low", notes="no " * 20000 + "chest pain"))
    assert negated.red_flags == ()
    repeated = assess(Intake(age=40, urgency="low", notes="chest pain. " * 2000 + "no seizure. " * 2000))
    assert [len(flag.evidence) for flag in repeated.red_flags] == [10]
    assert len(repeated.rationale) < 40
    assert any("more mention(s) not counted" in line for line in repeated.rationale)


def _corpus() -> list[str]:
    """Every free text the validation uses: published cases, their re-phrased copies, the statements."""
    here = Path(__file__).parent
    texts: list[str] = []
    for name in ("validation_cases.json", "collected_cases.json"):
        for case in json.loads((here / name).read_text(encoding="utf-8"))["cases"]:
            texts += [case["intake"].get("notes") or "", *case["intake"].get("symptoms", ())]
    for variants in json.loads((here / "rephrased_cases.json").read_text(encoding="utf-8"))["variants"].values():
        for intake in variants.values():
            texts += [intake.get("notes") or "", *intake.get("symptoms", ())]
    statements = json.loads((here / "guidance_statements.json").read_text(encoding="utf-8"))["statements"]
    texts += [statement["intake_text"] for statement in statements]
    for vignette in json.loads((here / "vignette_cases.json").read_text(encoding="utf-8"))["cases"]:
        texts += [vignette["text"], vignette["shorthand"]]
    texts.append(" ".join(texts))  # one long note of many sentences, as the speed benchmark uses
    return [text for text in texts if text]


def test_gates_and_the_lower_case_scan_find_exactly_what_the_patterns_find() -> None:
    # find() skips a text that lacks every gate word of a pattern, scans the lower-cased text with a
    # lower-cased pattern, and scans only the sentences that hold a gate word when no match can cross a full
    # stop (triage/phrases.py, triage/gates.py); all three are speed-ups that must change nothing.
    from triage.abbreviations import ExpandedText
    from triage.phrases import _GATES, _LOWER_SOURCE, _WITHIN_SENTENCES, find

    assert len(_GATES) >= 0.9 * len(_LOWER_SOURCE)  # nearly every pattern has a gate (else the budget is lost)
    assert len(_WITHIN_SENTENCES) >= 0.8 * len(_LOWER_SOURCE)  # and most are read sentence by sentence
    texts = [ExpandedText(text) for text in _corpus()]
    assert len(texts) > 1500
    found = 0
    for pattern in _LOWER_SOURCE:
        for text in texts:
            expected = [text.span(m.start(), m.end()) for m in pattern.finditer(text) if m.end() > m.start()]
            actual = [(m.evidence.start, m.evidence.end) for m in find(pattern, (("notes", text),))]
            assert actual == expected, (pattern.pattern[:80], text[:80])
            found += len(expected)
    assert found > 1000  # the comparison saw matches, not only empty results


def test_reading_each_term_alone_behind_its_gate_finds_what_the_one_alternation_finds() -> None:
    # The engine searches each reading alone, only in a text that holds one of its gate words, and merges the
    # matches as an alternation would (triage/abbreviations.py): on every published text and every term's
    # example, it finds the same matches as the one alternation of all readings.
    from test_triage_lexicon import CLINICAL_EXAMPLES

    from triage.abbreviations import _matches, reference_scan

    texts = _corpus() + [f"c/o {term} since this morning" for term, _ in CLINICAL_EXAMPLES]
    scan = reference_scan()
    readings = 0
    for text in texts:
        full = [(m.start(), m.end(), m.lastgroup) for m in scan.finditer(text)]
        assert [(m.start(), m.end(), group) for m, group in _matches(text, text.lower())] == full, text[:80]
        readings += len(full)
    assert readings > 100


def test_a_pattern_stays_within_sentences_only_when_no_match_can_hold_or_see_a_full_stop() -> None:
    from triage.gates import stays_within_sentences

    inside = [r"\bfever\b", r"[^.;]{0,40}?\bpain", r"(?<![\w/])sob\b", r"[^\w.]", r"(?!\s+up)"]
    crossing = [r"3(?:\.\d+)?", r"[^;]{0,40}", r"\W", r"a.b", r"end$", r"\Z", r"[!-/]", r"[\S]", r"(?=\D)"]
    assert all(stays_within_sentences(pattern) for pattern in inside)
    assert not any(stays_within_sentences(pattern) for pattern in crossing)


def test_the_lower_case_pattern_keeps_the_letter_of_an_escape() -> None:
    from triage.phrases import _lower_case

    assert _lower_case(r"\bTIA\b|\S+[A-Z]\\X") == r"\btia\b|\S+[a-z]\\x"
