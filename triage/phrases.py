"""Find phrases in the intake's free text, with their context and where they came from.

Texts are searched one by one (each symptom, then the notes), so offsets index the original string
and a negation in one symptom never reaches into another. Curly apostrophes are straightened with a
same-length mapping, so offsets stay valid.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from triage.abbreviations import ExpandedText
from triage.models import Evidence, Intake
from triage.negation import Context, context_of

_STRAIGHTEN = str.maketrans({"’": "'", "‘": "'", "`": "'", "“": '"', "”": '"'})


@dataclass(frozen=True, slots=True)
class Mention:
    evidence: Evidence
    context: Context | None  # None: affirmed, present, the patient's own

    @property
    def affirmed(self) -> bool:
        return self.context is None


def texts_of(intake: Intake) -> tuple[tuple[str, str], ...]:
    """(source, text) for every free-text field, in a stable order.

    Clinical shorthand is expanded ("c/o CP" → "complains of chest pain"); evidence maps back to the
    original. Cached on the texts: every rule module reads the same expanded texts.
    """
    return _texts(intake.symptoms, intake.notes)


@lru_cache(maxsize=16)
def _texts(symptoms: tuple[str, ...], notes: str | None) -> tuple[tuple[str, str], ...]:
    sources = [(f"symptoms[{index}]", symptom) for index, symptom in enumerate(symptoms)]
    if notes:
        sources.append(("notes", notes))
    return tuple(
        (source, ExpandedText(text.translate(_STRAIGHTEN))) for source, text in sources if isinstance(text, str)
    )


def compile_phrases(*patterns: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{pattern})" for pattern in patterns), re.IGNORECASE)


def find(pattern: re.Pattern[str], texts: tuple[tuple[str, str], ...]) -> tuple[Mention, ...]:
    mentions: list[Mention] = []
    for source, text in texts:
        for match in pattern.finditer(text):
            if match.end() == match.start():
                continue
            if isinstance(text, ExpandedText):
                start, end = text.span(match.start(), match.end())
                evidence = Evidence(source, start, end, text.original[start:end])
            else:
                evidence = Evidence(source, match.start(), match.end(), match.group())
            mentions.append(Mention(evidence, context_of(text, match.start(), match.end())))
    return tuple(mentions)


def affirmed(mentions: tuple[Mention, ...]) -> tuple[Evidence, ...]:
    return tuple(mention.evidence for mention in mentions if mention.affirmed)
