"""docs/vocabulary.md is generated from the engine's vocabulary: it must be what the script renders now."""

from __future__ import annotations

import runpy
from collections.abc import Callable
from typing import cast

from tests.helpers import ROOT
from triage.vocabulary import COMPLAINT_CODES, FINDING_CODES, VOCABULARY_VERSION

SCRIPT = ROOT / "scripts" / "vocabulary_doc.py"
DOC = ROOT / "docs" / "vocabulary.md"


def render() -> str:
    return cast(Callable[[], str], runpy.run_path(str(SCRIPT))["render"])()


def test_committed_vocabulary_doc_matches_the_engine() -> None:
    assert DOC.read_text(encoding="utf-8") == render(), (
        "docs/vocabulary.md is out of date: run .venv/bin/python scripts/vocabulary_doc.py"
    )


def test_every_code_and_the_version_are_documented() -> None:
    text = render()
    assert VOCABULARY_VERSION in text
    for code in (*FINDING_CODES, *COMPLAINT_CODES):
        assert f"| `{code}` |" in text, code


def test_the_api_docs_link_the_vocabulary() -> None:
    assert "(vocabulary.md)" in (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
