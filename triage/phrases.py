"""Find phrases in the intake's free text, with their context and where they came from.

Texts are searched one by one (each symptom, then the notes), so offsets index the original string
and a negation in one symptom never reaches into another. Curly apostrophes are straightened with a
same-length mapping, so offsets stay valid.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from triage.abbreviations import ExpandedText
from triage.gates import gate_words, stays_within_sentences
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


# Compiled phrase pattern → the words one of which its match contains (triage/gates.py).
_GATES: dict[re.Pattern[str], frozenset[str]] = {}
# Compiled phrase pattern → the same pattern in lower case, matched case-sensitively against the
# lower-cased text: the same matches at the same offsets, about three times faster than IGNORECASE.
# Compiled on first use (`_lower_pattern`), so that importing the engine (the API does, for the
# vocabulary) does not compile every pattern twice.
_LOWER_SOURCE: dict[re.Pattern[str], str] = {}
_LOWER: dict[re.Pattern[str], re.Pattern[str]] = {}
# Gated patterns whose matches never contain or look at a full stop (triage/gates.py): they are scanned only
# in the sentences that hold one of their gate words, not in the whole text.
_WITHIN_SENTENCES: set[re.Pattern[str]] = set()


def compile_phrases(*patterns: str) -> re.Pattern[str]:
    alternation = _alternation(patterns)
    compiled = re.compile(alternation, re.IGNORECASE)
    _LOWER_SOURCE[compiled] = _lower_case(alternation)
    words = gate_words(patterns)
    if words is not None:
        _GATES[compiled] = words
        if stays_within_sentences(alternation):
            _WITHIN_SENTENCES.add(compiled)
    return compiled


def _lower_case(pattern: str) -> str:
    """The pattern with its letters in lower case, but not the letter of an escape (\\S is not \\s)."""
    chars: list[str] = []
    escaped = False
    for char in pattern:
        chars.append(char if escaped else char.lower())
        escaped = char == "\\" and not escaped
    return "".join(chars)


def _alternation(patterns: tuple[str, ...]) -> str:
    """The patterns as one alternation, in order; a run of patterns that start with a word boundary shares
    one ("\\bA|\\bB" → "\\b(?:A|B)"): the engine then tests the boundary once per position instead of once
    per pattern, and tries the wordings only where a word starts. The same matches, in the same order."""
    parts: list[str] = []
    run: list[str] = []
    for pattern in patterns:
        if pattern.startswith("\\b"):
            run.append(f"(?:{pattern[2:]})")
            continue
        if run:
            parts.append("\\b(?:" + "|".join(run) + ")")
            run = []
        parts.append(f"(?:{pattern})")
    if run:
        parts.append("\\b(?:" + "|".join(run) + ")")
    return "|".join(parts)


def _lower_pattern(pattern: re.Pattern[str]) -> re.Pattern[str] | None:
    fast = _LOWER.get(pattern)
    if fast is None and pattern in _LOWER_SOURCE:
        fast = _LOWER[pattern] = re.compile(_LOWER_SOURCE[pattern])
    return fast


def could_match(pattern: re.Pattern[str], text: str) -> bool:
    """False only when the pattern cannot match the text: none of its gate words is in it."""
    words = _GATES.get(pattern)
    if words is None:
        return True
    if isinstance(text, ExpandedText):  # many patterns share a gate word: each is looked up once per text
        holds = text.holds
        for word in words:
            held = holds.get(word)
            if held is None:
                held = holds[word] = word in text.lowered
            if held:
                return True
        return False
    lowered = text.lower()
    return any(word in lowered for word in words)


def find(pattern: re.Pattern[str], texts: tuple[tuple[str, str], ...]) -> tuple[Mention, ...]:
    return tuple(_mentions(pattern, texts))


def any_affirmed(pattern: re.Pattern[str], texts: tuple[tuple[str, str], ...]) -> bool:
    """Whether any match is affirmed: `bool(affirmed(find(...)))`, but it stops at the first one (the context
    of each match costs a look around it; a note that repeats a phrase hundreds of times need not pay it)."""
    return any(mention.context is None for mention in _mentions(pattern, texts))


def _mentions(pattern: re.Pattern[str], texts: tuple[tuple[str, str], ...]) -> Iterator[Mention]:
    for source, text in texts:
        if not could_match(pattern, text):
            continue
        fast = _lower_pattern(pattern)
        if fast is not None and isinstance(text, ExpandedText) and len(text.lowered) == len(text):
            if pattern in _WITHIN_SENTENCES:
                matches = _in_sentences(fast, text, _GATES[pattern])
            else:
                matches = list(fast.finditer(text.lowered))
        else:
            matches = list(pattern.finditer(text))
        for match in matches:
            if match.end() == match.start():
                continue
            if isinstance(text, ExpandedText):
                start, end = text.span(match.start(), match.end())
                evidence = Evidence(source, start, end, text.original[start:end])
            else:
                evidence = Evidence(source, match.start(), match.end(), match.group())
            yield Mention(evidence, context_of(text, match.start(), match.end()))


def _in_sentences(fast: re.Pattern[str], text: ExpandedText, words: frozenset[str]) -> list[re.Match[str]]:
    """The pattern's matches in the sentences (pieces between full stops) that hold one of its gate words, in
    text order: the same matches as a scan of the whole text, since none can cross or see a full stop."""
    sentences: set[int] = set()
    for word in words:
        if text.holds.get(word) is not False:
            sentences.update(_sentences_holding(text, word))
    lowered, stops = text.lowered, text.stops
    matches: list[re.Match[str]] = []
    for number in sorted(sentences):
        start = stops[number - 1] + 1 if number else 0
        end = stops[number] if number < len(stops) else len(lowered)
        matches.extend(fast.finditer(lowered, start, end))
    return matches


def _sentences_holding(text: ExpandedText, word: str) -> tuple[int, ...]:
    """The numbers of the sentences (how many full stops come before each) that hold the word; many patterns
    share a gate word, so each word's sentences are found once per text."""
    found = text.sentences.get(word)
    if found is None:
        lowered, stops = text.lowered, text.stops
        numbers: list[int] = []
        at = lowered.find(word)
        while at != -1:
            number = _stops_before(stops, at)
            numbers.append(number)
            if number == len(stops):
                break
            at = lowered.find(word, stops[number] + 1)  # the next sentence that holds the word
        found = text.sentences[word] = tuple(numbers)
    return found


def _stops_before(stops: tuple[int, ...], at: int) -> int:
    """How many of the (ordered) full-stop offsets come before `at`: a binary search."""
    low, high = 0, len(stops)
    while low < high:
        middle = (low + high) // 2
        if stops[middle] < at:
            low = middle + 1
        else:
            high = middle
    return low


def affirmed(mentions: tuple[Mention, ...]) -> tuple[Evidence, ...]:
    return tuple(mention.evidence for mention in mentions if mention.affirmed)


def present(mentions: tuple[Mention, ...]) -> tuple[Evidence, ...]:
    """A lifelong condition the patient has, named now or as history ("history of diabetes", "known sickle
    cell disease"): not negated, not hypothetical, not a relative's."""
    return tuple(mention.evidence for mention in mentions if mention.context in (None, "historical", "chronic"))
