"""Vital signs written in the free text ("HR 122 BP 88/68 RR 24 SpO2 94% RA, T 38.6"), read into `Vitals`.

Agents and clinicians often put the observations in the note instead of the form. A value is read only
where the form left the field empty (the form always wins), only with an explicit label or unit, and
only when it is physiologically possible; each value read is reported with where it was found, so the
rationale shows it. Nothing is inferred from "vital signs within normal limits".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from triage.models import Consciousness, Intake
from triage.phrases import texts_of

_NUM = r"(\d{1,3}(?:\.\d)?)"
# A value written as a bound ("RR >60/min", "SpO2 below 90 %", "temp over 39") is read as the nearest value
# inside it: one step above or below the number (a whole beat, breath or per cent; 0.1 of a degree).
_BOUND = r"(?P<bound>>=?|≥|<=?|≤|over|above|more\s+than|greater\s+than|under|below|less\s+than)?"
_LINK = r"\s*(?:of|is|was|at|=|:|-)?\s*"
_SEP = rf"{_LINK}(?:~|about|approx\.?|around)?\s*{_BOUND}\s*"
ABOVE = (">", "over", "above", "more", "greater")  # any other bound is a "below" one

HEART_RATE = re.compile(
    rf"\b(?:HR|heart\s*rate|pulse(?:\s*rate)?){_SEP}{_NUM}\b"
    # Named by its abnormality, only with a value that has it: "tachycardia 130", "bradycardic 45" — not the
    # "24" of "tachycardia 24 hours ago".
    rf"|\btachycardi[ac]{_LINK}(1\d\d|2\d\d)\b(?!\s*(?:hours?|hrs?|h|days?|d|min\w*)\b)"
    rf"|\bbradycardi[ac]{_LINK}([2-5]\d)\b(?!\s*(?:hours?|hrs?|h|days?|d|min\w*)\b)"
    rf"|\b{_NUM}\s*(?:bpm|beats\s*(?:/|per|a)\s*min(?:ute)?)\b",
    re.IGNORECASE,
)
RESPIRATORY_RATE = re.compile(
    rf"\b(?:RR|resp(?:iratory)?\s*rate|resps?|respirations|breathing\s+rate){_SEP}{_NUM}\b"
    rf"|\b{_NUM}\s*(?:breaths\s*(?:/|per|a)\s*min(?:ute)?|bpm\s+resp)\b"
    # A parent's count: "counted his breathing at 68 a minute", "breathing 64 times a minute".
    rf"|\bbreath(?:ing|s)?\s+(?:(?:at|is|was|of|about|around|rate)\s+){{0,2}}{_NUM}\s*(?:times\s+|breaths\s+)?(?:a|per|/|every)\s*min(?:ute)?\b",
    re.IGNORECASE,
)
SPO2 = re.compile(
    rf"\b(?:SpO2|SaO2|O2\s*sats?(?:uration)?|sats?|saturations?|oxygen\s+(?:sat(?:uration)?s?|level)|pulse\s*ox(?:imetry)?)"
    rf"{_SEP}{_NUM}\s*%?"
    rf"|\boxygen{_LINK}{_NUM}\s*%"
    rf"|\b{_NUM}\s*%\s*(?:on\s+)?(?:RA|room\s+air)\b",
    re.IGNORECASE,
)
SYSTOLIC = re.compile(
    rf"\b(?:BP|blood\s+pressure|SBP|systolic){_SEP}(\d{{2,3}})(?:\s*/\s*(?:\d{{2,3}}|palp\w*|P)\b|\s+(?:by\s+)?palp\w*\b)?"
    # Named by its abnormality, only as a pressure: "hypotension 85/50" — not "hypertension 35 years".
    rf"|\bhyp(?:o|er)tensi(?:on|ve){_LINK}(\d{{2,3}})\s*/\s*\d{{2,3}}\b"
    r"|\b(\d{2,3})\s*/\s*\d{2,3}\s*(?:mm\s*Hg)\b",
    re.IGNORECASE,
)
TEMPERATURE = re.compile(
    rf"\b(?:T|temp(?:erature)?|Tmax){_SEP}{_NUM}\s*(?:°|˚|º|deg(?:rees)?)?\s*([CF])?\b"
    rf"|\b{_NUM}\s*(?:°|˚|º|deg(?:rees)?)\s*([CF])\b",
    re.IGNORECASE,
)
# A room, a house or the weather named just before a bare "35C" ("our flat is 35C", "bath water was 37C").
NOT_AFTER_CHARS = 30
ROOM_BEFORE = re.compile(
    r"\b(?:room|bedroom|flat|house|kitchen|office|weather|forecast|water|bath|wash|washed|heat|thermostat)\b"
    r"[^.;\d]{0,15}$",
    re.IGNORECASE,
)
# Read only when no labelled temperature is written: "T 38.7" wins over a story's "fever 103F".
TEMPERATURE_UNLABELLED = re.compile(
    # A fever or a thermometer reading named by its number ("febrile 39.1", "thermometer says 38.0", "the under-arm
    # thermometer and it was 38.3"); not a duration ("fever 40 hours").
    rf"\b(?:fever|febrile|pyrexi(?:a|al)|(?<!room\s)(?<!car\s)(?<!oven\s)(?<!fridge\s)(?<!outdoor\s)thermometer(?:\s+(?:says|said|reads?|read|shows?|showed|showing))?|"
    rf"(?<!room\s)(?<!car\s)(?<!oven\s)(?<!fridge\s)(?<!outdoor\s)thermometer\b[^.;\d]{{0,30}}?\b(?:it\s+)?(?:was|is|said|read|showed)){_LINK}(?:~|about|approx\.?|around)?\s*{_NUM}"
    r"\s*(?:°|˚|º|deg(?:rees)?)?\s*([CF])?\b(?!\s*(?:hours?|hrs?|h|days?|d|weeks?|wks?|min\w*|x)\b)"
    r"(?![^.;]{0,15}\bin\s+the\s+(?:bedroom|room|house|flat|kitchen|lounge|garden)\b)"
    # A parent's "she's 38.2": a number with one decimal in a body's range, said of the child.
    r"|\b(?:she|he)(?:'s|\s+is|\s+was)\s+(3[4-9]\.\d|4[0-2]\.\d)\b(?!\s*(?:kg|kilos?|lbs?|cm|weeks?|years?))",
    re.IGNORECASE,
)
# Then a value with its unit alone.
TEMPERATURE_UNIT_ONLY = re.compile(
    # A value with its unit but no degree sign ("38.4C", "101F"), in the range of a body temperature only.
    # Not a room or the weather ("the flat is 35C in this heatwave").
    r"(?<![\d.])(?<!\bin\s)(?<!\bat\s)(3[4-9](?:\.\d)?|4[0-2](?:\.\d)?)\s*(C)\b(?!\s+(?:heat|sun|weather|outside|today\s+in))(?![^.;]{0,25}\b(?:outside|outdoors|in\s+the\s+(?:garden|sun|shade)|heatwave|"
    r"weather)\b)|(?<![\d.])(?<!\bin\s)(?<!\bat\s)(9[3-9](?:\.\d)?|10[0-7](?:\.\d)?)\s*(F)\b(?!\s+(?:in\s+the|heat|sun|weather|outside|today))(?![^.;]{0,25}\b(?:outside|outdoors|heatwave|"
    r"weather)\b)",
    re.IGNORECASE,
)
PAIN = re.compile(
    r"\b(?:pain(?:\s*score)?(?:\s*(?:scale\s+)?rating)?[:\s]*(?:is\s+|of\s+)?)?(\d{1,2})\s*/\s*10\b", re.IGNORECASE
)
ON_OXYGEN = re.compile(
    r"\bon\s+(?:\d+(?:\.\d)?\s*L(?:PM|/min)?\b|NRB|non-?rebreather|nasal\s+cannula|NC\b|home\s+O2|oxygen|O2\b"
    r"|high[- ]flow)"
    r"|\bvia\s+(?:nasal\s+cannula|NRB|non-?rebreather|face\s*mask)",
    re.IGNORECASE,
)
ON_AIR = re.compile(r"\b(?:on\s+)?(?:RA|room\s+air)\b", re.IGNORECASE)
GCS = re.compile(
    r"\b(?:GCS|Glasgow\s+Coma\s+Scale)\s*(?:score\s*)?(?:of|is|was|=|:)?\s*(?:score\s+)?(?:of\s+)?(\d{1,2})\b",
    re.IGNORECASE,
)
WORST_FIRST = ("unresponsive", "pain", "voice", "new_confusion", "alert")
# A coma score in words: "the crew scored his alertness 14 out of 15".
GCS_IN_WORDS = re.compile(
    r"\b(?:alertness|consciousness|responsiveness|coma\s+score)\b[^.;]{0,20}?\b(\d{1,2})\s*(?:/|out\s+of)\s*15\b",
    re.IGNORECASE,
)
AVPU = (
    (
        "unresponsive",
        re.compile(
            r"\b(?:no\s+response\s+to\s+pain|unresponsive\s+to\s+pain|does\s*n[o']t\s+respond\s+to\s+pain)\b", re.I
        ),
    ),
    ("pain", re.compile(r"\bresponds?\s+only\s+to\s+pain\b|\bresponsive\s+only\s+to\s+pain\b|\bP\s+on\s+AVPU\b", re.I)),
    ("voice", re.compile(r"\bresponds?\s+(?:only\s+)?to\s+(?:voice|verbal(?:\s+stimuli)?)\b|\bV\s+on\s+AVPU\b", re.I)),
    ("alert", re.compile(r"\bA\s*&\s*O\s*x\s*[34]\b|\balert\s+and\s+oriented\b|\bA&Ox[34]\b", re.I)),
)

# GCS bands to the AVPU-style levels NEWS2 and ESI use: 15 alert; 13–14 confused; 9–12 responds to voice;
# 4–8 responds only to pain; 3 unresponsive (the usual AVPU–GCS correspondence: V ≈ 12–13, P ≈ 8).
GCS_TO_AVPU: dict[int, Consciousness] = {15: "alert", 13: "new_confusion", 9: "voice", 4: "pain", 3: "unresponsive"}

LIMITS = {  # what a living patient's value can be; anything outside is a misread, not a vital sign
    "heart_rate": (20.0, 300.0),
    "respiratory_rate": (2.0, 90.0),
    "spo2": (40.0, 100.0),
    "systolic_bp": (30.0, 300.0),
    "temperature_c": (25.0, 45.0),
}


@dataclass(frozen=True, slots=True)
class TextVital:
    field: str
    value: float | bool | str
    source: str
    text: str


def vitals_from_text(intake: Intake) -> tuple[Intake, tuple[TextVital, ...]]:
    """The intake with empty vital fields filled from its text, and what was read where."""
    vitals = intake.vitals
    found: list[TextVital] = []
    texts = texts_of(intake)

    def first(pattern: re.Pattern[str], field: str, not_after: re.Pattern[str] | None = None) -> None:
        if getattr(vitals, field) is not None or any(v.field == field for v in found):
            return
        for source, text in texts:
            for match in pattern.finditer(text):
                if not_after and not_after.search(text, max(0, match.start() - NOT_AFTER_CHARS), match.start()):
                    continue
                value = _value(match, field)
                if value is not None:
                    found.append(TextVital(field, value, source, match.group().strip()))
                    return

    first(HEART_RATE, "heart_rate")
    first(RESPIRATORY_RATE, "respiratory_rate")
    first(SPO2, "spo2")
    first(SYSTOLIC, "systolic_bp")
    first(TEMPERATURE, "temperature_c")
    first(TEMPERATURE_UNLABELLED, "temperature_c")
    first(TEMPERATURE_UNIT_ONLY, "temperature_c", not_after=ROOM_BEFORE)
    first(PAIN, "pain_score")
    if vitals.on_supplemental_oxygen is None:
        for source, text in texts:
            oxygen, air = ON_OXYGEN.search(text), ON_AIR.search(text)
            if oxygen or air:
                hit = oxygen or air
                assert hit is not None
                found.append(TextVital("on_supplemental_oxygen", bool(oxygen), source, hit.group()))
                break
    if vitals.consciousness is None:
        level = _consciousness(texts, found)
        if level is not None:
            found.append(level)
    if not found:
        return intake, ()
    updates: dict[str, Any] = {v.field: v.value for v in found}
    return replace(intake, vitals=replace(vitals, **updates)), tuple(found)


def _value(match: re.Match[str], field: str) -> float | int | None:
    bound_group = match.re.groupindex.get("bound")
    groups = [g for index, g in enumerate(match.groups(), 1) if g is not None and index != bound_group]
    if not groups:
        return None
    try:
        number = float(groups[0])
    except ValueError:
        return None
    bound = (match.groupdict().get("bound") or "").lower()
    if bound and bound not in (">=", "≥", "<=", "≤"):
        step = 0.1 if field == "temperature_c" else 1.0
        number = round(number + step, 1) if bound.startswith(ABOVE) else round(number - step, 1)
    if field == "pain_score":
        return min(int(number), 10) if number >= 0 else None
    if field == "temperature_c":
        unit = groups[1].upper() if len(groups) > 1 else ""
        if unit == "F" or (not unit and number > 50):
            number = round((number - 32) * 5 / 9, 1)
    low, high = LIMITS[field]
    return number if low <= number <= high else None


def _consciousness(texts: tuple[tuple[str, str], ...], found: list[TextVital]) -> TextVital | None:
    """The worst level the text records: "GCS 15 at scene, now GCS 7" and "alertness 15 out of 15 at home;
    now responds only to pain" are read at their worse reading, as a triage nurse would act on it."""
    readings: list[TextVital] = []
    for source, text in texts:
        for pattern in (GCS, GCS_IN_WORDS):
            for gcs in pattern.finditer(text):
                if 3 <= int(gcs.group(1)) <= 15:
                    score = int(gcs.group(1))
                    level = GCS_TO_AVPU[next(low for low in GCS_TO_AVPU if score >= low)]
                    readings.append(TextVital("consciousness", level, source, gcs.group()))
    for level_name, pattern in AVPU:
        for source, text in texts:
            hit = pattern.search(text)
            if hit:
                readings.append(TextVital("consciousness", level_name, source, hit.group()))
    if not readings:
        return None
    return min(readings, key=lambda reading: WORST_FIRST.index(str(reading.value)))


def describe(found: tuple[TextVital, ...]) -> list[str]:
    return [f"[VITALS.text] {v.field} {v.value} read from '{v.text}' in {v.source}" for v in found]
