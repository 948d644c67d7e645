"""Clinical shorthand expanded before the rules read a text: "62M c/o CP, SOB, N/V; hx MI; s/p fall".

Clinicians and clinician-facing agents write triage notes in standard abbreviations; the phrase rules
are written in words. Each text is expanded once (a `str` the rules search as usual) and remembers
where every character came from, so evidence still points at the original text ("'CP' in notes[9:11]").

The list holds abbreviations with one meaning in an emergency triage note (common hospital abbreviation
lists; ambiguous ones — "HA", "PE", "MS", "ST", "HI" (a glucose meter's "high") — are left out). Case
matters where the lower-case form is an
ordinary word ("CP", "SOB", "SI", "OD", "LOC").
"""

from __future__ import annotations

import re

# (pattern, expansion). Patterns are matched at word boundaries; `(?i)` marks the case-insensitive ones.
ABBREVIATIONS: tuple[tuple[str, str], ...] = (
    (r"CP", "chest pain"),
    (r"SOB", "shortness of breath"),
    (r"(?i:DIB|DOE)", "difficulty breathing"),
    (r"(?i:n/v/d)", "nausea, vomiting and diarrhea"),
    (r"(?i:n/v)", "nausea and vomiting"),
    (r"(?i:abd)", "abdominal"),
    (r"LOC", "loss of consciousness"),
    (r"AMS", "altered mental status, confusion"),
    (r"SI/HI", "suicidal or homicidal ideation"),
    (r"SI", "suicidal ideation"),
    (r"OD", "overdose"),
    (r"(?i:GSW)", "gunshot wound"),
    (r"(?i:ETOH)", "alcohol"),
    (r"(?i:h/a)", "headache"),
    (r"CVA", "stroke"),
    (r"MI", "heart attack"),
    (r"(?i:hx)", "history of"),
    (r"(?i:PMH|PMHx)", "past medical history of"),
    (r"(?i:s/p)", "after"),
    (r"(?i:c/o)", "complains of"),
    (r"(?i:w/o)", "without"),
    (r"(?i:w/)", "with "),
    (r"(?i:y/o|yo)", "year old"),
    (r"(?i:BIBA)", "brought in by ambulance"),
    (r"(?i:fx)", "fracture"),
    (r"(?i:lac)", "laceration"),
    (r"(?i:sz)", "seizure"),
    (r"(?i:b/l)", "bilateral"),
    (r"DM", "diabetes"),
    (r"(?i:IDDM)", "insulin-dependent diabetes"),
    (r"HTN", "hypertension"),
    (r"(?i:ESRD)", "kidney failure on dialysis"),
    (r"(?i:HD)", "dialysis"),
    (r"(?i:DKA)", "diabetic ketoacidosis"),
    (r"(?i:UTI)", "urinary tract infection"),
    (r"(?i:URI)", "upper respiratory infection, cold"),
    (r"(?i:CHF)", "heart failure"),
    (r"(?i:AFib|A-?fib)", "atrial fibrillation"),
    (r"(?i:LMP)", "last menstrual period"),
    (r"(?i:IUP)", "pregnancy"),
    (r"(?i:G\d+P\d+)", "pregnant"),
    (r"(?i:pt)", "patient"),
)

# One scan: a word start, then the alternatives as numbered groups, then a word end. A cheap character
# test skips texts with nothing that could start an abbreviation.
_COMBINED = re.compile(
    r"(?<![\w/])(?:"
    + "|".join(f"(?P<a{index}>{pattern})" for index, (pattern, _) in enumerate(ABBREVIATIONS))
    + r")(?![\w/])"
)


class ExpandedText(str):
    """A text with its abbreviations expanded; `origin[i]` is the original offset of character i."""

    original: str
    origin: tuple[int, ...]

    def __new__(cls, original: str) -> ExpandedText:
        pieces: list[str] = []
        origin: list[int] = []
        last = 0
        for match in _COMBINED.finditer(original):
            index = int(str(match.lastgroup)[1:])
            expansion = ABBREVIATIONS[index][1]
            pieces.append(original[last : match.start()])
            origin.extend(range(last, match.start()))
            pieces.append(expansion)
            origin.extend([match.start()] * (len(expansion) - 1) + [match.end() - 1])
            last = match.end()
        pieces.append(original[last:])
        origin.extend(range(last, len(original)))
        text = super().__new__(cls, "".join(pieces))
        text.original = original
        text.origin = tuple(origin)
        return text

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original offsets of the expanded span [start, end)."""
        if end <= start:
            at = self.origin[start] if start < len(self.origin) else len(self.original)
            return at, at
        return self.origin[start], self.origin[end - 1] + 1
