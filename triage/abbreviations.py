"""Clinical shorthand and lay words, made readable to the rules before they read a text.

Shorthand is expanded in place: "62M c/o CP, SOB, N/V; hx MI; s/p fall". Lay words are kept and the
clinical term is put before them: "can't catch his breath" reads "(short of breath) can't catch his
breath", so rules written for either wording match.

Clinicians and clinician-facing agents write triage notes in standard abbreviations; the phrase rules
are written in words. Each text is expanded once (a `str` the rules search as usual) and remembers
where every character came from, so evidence still points at the original text ("'CP' in notes[9:11]").

The list holds abbreviations with one meaning in an emergency triage note (common hospital abbreviation
lists; ambiguous ones — "HA", "PE", "MS", "ST", "HI" (a glucose meter's "high") — are left out). Case
matters where the lower-case form is an ordinary word ("CP", "SOB", "SI", "OD", "LOC").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from triage.gates import gate_words

# Emergency abbreviations that notes also write as past history ("PMH SAH", "had a PPH with her first baby", "DSH hx",
# "AUR 2 yrs ago", "survived VF arrest"): read only where nothing around them says past, a relative or a risk. Not
# "had": "she had a PPH an hour ago" is now (a relative's "had" is read by the family rule, triage/negation.py).
_NOT_PAST_BEFORE = (
    r"(?<!PMH\s)(?<!PMH:\s)(?<![Hh]x\s)(?<![Hh]x:\s)(?<![Pp]rev\s)(?<![Pp]revious\s)(?<![Pp]ost\s)"
    r"(?<!FHx\s)(?<![Ss]urvived\s)(?<!risk\sof\s)(?<!h/o\s)"
)
_NOT_PAST_AFTER = (
    r"(?![^.;]{0,30}\bpreviously\b)(?!\s*(?:hx|history|(?:19|20)\d\d|as\s+(?:a\s+)?(?:child|teenager|kid)|scars?|(?:with|in|after)\s+(?:her\s+|my\s+|the\s+)?"
    r"(?:first|last|previous|prior|other)\b|admission\s+last|last\s+(?:year|pregnancy)|(?:\d+|a\s+few|few|many|several)\s+"
    r"(?:yrs?|years?|months?)\s+ago|in\s+the\s+past|aged\s+\d)\b)"
)

# (pattern, expansion). Patterns are matched at word boundaries; `(?i)` marks the case-insensitive ones.
ABBREVIATIONS: tuple[tuple[str, str], ...] = (
    (r"CP", "chest pain"),
    (r"SOB", "shortness of breath"),
    (r"(?i:DIB|DOE)", "difficulty breathing"),
    (r"(?i:n/v/d)", "nausea, vomiting and diarrhea"),
    (r"(?i:n/v)", "nausea and vomiting"),
    (r"(?i:abdo?)", "abdominal"),
    (r"(?i:resp)(?=\s+(?:distress|failure|rate|effort|illness|infection|arrest))", "respiratory"),
    (r"LOC", "loss of consciousness"),
    (r"AMS", "altered mental status, confusion"),
    (r"SI/HI", "suicidal or homicidal ideation"),
    (r"SI", "suicidal ideation"),
    # Also a dose's "once daily" ("omeprazole 20mg OD"), an over-triage kept: notes that write a dose and "OD" are
    # often overdoses the rest of the words do not show ("Propranolol 40mg OD. Took the lot.").
    (r"OD", "overdose"),
    # Emergency shorthand with one meaning in a triage note (common UK ED and ambulance abbreviations). Not those
    # written as often in a past history as now ("PPH with first baby", "PMH SAH", "DSH hx", "AUR 2 yrs ago").
    (r"(?i:palps)", "palpitations"),
    # "FHx: MI" and "FHx MI," (a single term that ends its item); "FHx IHD crushing chest pain" stays the patient's.
    (r"FHx(?=\s*:)|FHx(?=\s+[\w-]+(?:\s+\([^)]*\))?\s*(?:[,.;]|$))", "family history of"),
    # "HI" is a head injury where a note lists it ("fall, HI, on warfarin"): not a glucose meter's "high" ("BM HI",
    # "meter says HI"), a greeting, hearing impaired ("Deaf, HI", "Pt HI (hearing impaired)") or "HI-VIS".
    (
        r"(?<=[\w,;:+/)]\s)(?<![Dd]eaf\sand\s)(?<![Dd]eaf,\s)(?<!aids,\s)(?<![Pp]t\s)(?<!from\s)(?<!BM\s)(?<!BG\s)"
        r"(?<!BGL\s)(?<!CBG\s)(?<!says\s)(?<!said\s)(?<!reads\s)(?<!read\s)(?<!reading\s)(?<!shows\s)(?<!showed\s)"
        r"(?<!shown\s)(?<!sugar\s)(?<!sugars\s)(?<!glucose\s)(?<!meter\s)(?<!glucometer\s)(?<!is\s)(?<!was\s)(?<!of\s)"
        r"(?<!to\s)(?<!at\s)HI(?=\s*(?:[,;.)+]|$|on\s|with\s|after\s|from\s|within\s|in\s|and\s|\((?!\s*hearing)|-(?!\s*(?i:vis))))",
        "head injury",
    ),
    *(
        (rf"{_NOT_PAST_BEFORE}{abbreviation}{_NOT_PAST_AFTER}", reading)
        for abbreviation, reading in (
            ("SAH", "subarachnoid haemorrhage"),
            (r"HHS(?!\s+(?:guidance|website|guidelines|advice))", "hyperosmolar hyperglycaemic state"),
            ("AUR", "acute urinary retention"),
            (r"PPH(?!\s*\(?\s*primary)(?!\s+on\s+\w+(?:afil|entan|guat|stinil))", "postpartum haemorrhage"),
            ("APH", "antepartum haemorrhage"),
            ("NAI", "non-accidental injury"),
            (r"DSH(?!\s+(?:cat|kitten))", "deliberate self harm"),
            ("AACG", "acute angle closure glaucoma"),
            ("ROSC", "return of spontaneous circulation after cardiac arrest"),
            (
                r"(?<!after\s)VF(?=\s+arrest(?!\s+(?:(?:19|20)\d\d|(?:\d+\s+)?(?:yrs?|years?)\s+ago)))",
                "ventricular fibrillation",
            ),
        )
    ),
    (r"PEA(?=\s+(?:arrest|rhythm))|(?<=in\s)PEA\b(?![- ])", "pulseless electrical activity"),
    (r"(?<=\?)PE", "pulmonary embolism"),
    (r"SROM", "waters broke"),
    (r"(?i:nec\s+fasc)", "necrotising fasciitis"),
    (r"(?i:GSW)", "gunshot wound"),
    (r"(?i:ETOH)", "alcohol"),
    (r"(?i:h/a)", "headache"),
    # "CVA tenderness" is the costovertebral angle: the flank (a kidney infection or stone), not a stroke.
    (r"CVA(?=\s+(?i:pain|tenderness|tender|ttp))", "flank"),
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
    (r"APAP", "acetaminophen"),
    (r"FB", "foreign body"),
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
    (r"(?i:URTI)", "upper respiratory tract infection, cold"),
    (r"(?i:LRTI)", "lower respiratory tract infection, chest infection"),
    (r"LBP", "low back pain"),
    (r"UO", "urine output"),
    (r"(?i:NWB)", "unable to bear weight"),
    (r"WB", "bear weight"),
    (r"(?i:wt)", "weight"),
    (r"(?i:CHF)", "heart failure"),
    (r"(?i:AFib|A-?fib)", "atrial fibrillation"),
    (r"(?i:LMP)", "last menstrual period"),
    (r"(?i:IUP)", "pregnancy"),
    (r"(?i:G\d+P\d+)", "pregnant"),
    (r"(?i:pt)", "patient"),
    (r"(?i:abx)", "antibiotics"),
    (r"(?i:rxn)", "reaction"),
    (r"(?i:TTP)", "tender to palpation"),
    (r"(?i:BIB)", "brought in by"),
    (r"\+", "and"),  # "pain + swelling"; "+2 pulses" is not matched (a digit follows)
    # R/L only before a body part: elsewhere "L" is a litre.
    (
        r"R(?=\s+(?:upper|lower|leg|arm|hand|foot|knee|ankle|hip|shoulder|wrist|elbow|eye|ear|side|calf|thigh|"
        r"breast|chest|flank|great\s+toe|finger|thumb|face))",
        "right",
    ),
    (
        r"L(?=\s+(?:upper|lower|leg|arm|hand|foot|knee|ankle|hip|shoulder|wrist|elbow|eye|ear|side|calf|thigh|"
        r"breast|chest|flank|great\s+toe|finger|thumb|face))",
        "left",
    ),
)

# Lay phrasings (kept) → the clinical term put before them. Only phrasings with one clinical reading, and
# none that other rules read together with the next word ("threw up blood", "peeing all the time").
LAY_TERMS: tuple[tuple[str, str], ...] = (
    (r"(?i:(?:can'?t|cannot|could\s*n'?t)\s+(?:catch|get)\s+(?:my|his|her|their)\s+breath)", "short of breath"),
    (r"(?i:out\s+of\s+breath|winded|puffed\s+out)", "short of breath"),
    (
        r"(?i:(?:took|swallowed|downed|popped|ate)\s+(?:a\s+)?(?:bunch|handful|fistful|lot|lots|load|whole\s+bottle|whole\s+pack)"
        r"\s+of\s+(?:his\s+|her\s+|my\s+|their\s+)?(?:pills|tablets|meds|medicines?|medication))",
        "overdose",
    ),
    # "Being sick" is British English for vomiting (nhs.uk's own wording).
    (r"(?i:puk(?:ed|ing)|barf(?:ed|ing)?|(?:keeps?|kept|keep)\s+being\s+sick)", "vomiting"),
    (r"(?i:heart\s+(?:is\s+|was\s+|keeps\s+)?(?:racing|pounding|fluttering|skipping\s+beats))", "palpitations"),
    (r"(?i:burning\s+up|hot\s+to\s+(?:the\s+)?touch|hot\s+and\s+shivery|feverish)", "fever"),
    (r"(?i:mixed\s+up|out\s+of\s+it|not\s+with\s+it|acting\s+(?:strange|weird|funny|odd))", "confused"),
    (
        r"(?i:(?:won'?t|will\s+not|can'?t|cannot|doesn'?t|does\s+not)\s+stay\s+awake|keeps?\s+(?:dozing|nodding)\s+off|"
        r"(?:pale|floppy)\s+and\s+drowsy|becomes?\s+(?:very\s+)?drowsy)",
        "lethargic",
    ),
    (r"(?i:(?:black|tarry|bloody)\s+(?:poop|poo|stools?|bowel\s+movements?))", "melaena"),
    (r"(?i:(?:head|headache)\s+(?:is\s+)?(?:killing|splitting|pounding|exploding))", "severe headache"),
    (
        r"(?i:(?:won'?t|will\s+not|doesn'?t|does\s+not)\s+stop\s+bleeding|blood\s+(?:is\s+)?gushing)",
        "uncontrolled bleeding",
    ),
    (r"(?i:shaking\s+all\s+over|(?:had|having)\s+a\s+fit)", "seizure"),
    (r"(?i:canker\s+sores?|mouth\s+sores?)", "mouth ulcers"),
    (r"(?i:fever\s+blisters?)", "cold sore"),
    (
        r"(?i:(?:blood\s+)?sugars?\s+(?:is\s+|was\s+|went\s+)?(?:really\s+|very\s+)?(?:low|crashed|dropped))",
        "hypoglycaemia",
    ),
)

# Clinical terms (kept) → the plain name put before them, so that "c/o otalgia" reads as earache does:
# standard medical terms with one plain meaning (their plain names as nhs.uk and MedlinePlus give them).
# Each term and its plain name give the same outcome (tests/triage/test_triage_lexicon.py).
CLINICAL_TERMS: tuple[tuple[str, str], ...] = (
    (r"(?i:coryza\w*|rhinorrh(?:o)?ea)", "runny nose"),
    (r"(?i:influenza)", "flu"),
    (r"(?i:pharyngitis)", "sore throat"),
    (r"(?i:dyspepsia)", "indigestion"),
    (r"(?i:ceph(?:al)?algia)", "headache"),
    (r"(?i:otalgia)", "earache"),
    (r"(?i:hordeol(?:um|a))", "stye"),
    (r"(?i:herpes\s+labialis)", "cold sore"),
    (r"(?i:(?:aphthous|oral)\s+ulcer(?:s|ation)?)", "mouth ulcers"),
    (r"(?i:prurit(?:us|ic))", "itching"),
    (r"(?i:varicella)(?!\s+zoster)", "chickenpox"),
    (r"(?i:(?:cervical\s+)?lymphadenopathy)", "swollen glands"),
    (r"(?i:pyrexi(?:a|al))", "fever"),
    (r"(?i:rigou?rs)", "fever with uncontrollable shivering"),  # NICE NG143 amber: rigors
    (r"(?i:lateral\s+epicondylitis)", "tennis elbow"),
    (r"(?i:myalgias?)", "muscle aches"),
    (r"(?i:arthralgias?)", "joint pain"),
    (r"(?i:dysmenorrh(?:o)?ea)", "period pain"),
    (r"(?i:menorrhagia)", "heavy periods"),
    (r"(?i:ha?ematuria)", "blood in urine"),
    (r"(?i:diplopia)", "double vision"),
    (r"(?i:dysphasi\w*)", "difficulty speaking"),
    (r"(?i:amaurosis\s+fugax)", "sudden loss of vision in one eye"),
    (r"(?i:visual\s+loss)", "loss of vision"),
    (r"(?i:meningism(?:us)?|nuchal\s+rigidity)", "stiff neck"),
    (r"(?i:cold\s+peripher(?:ies|y|al))", "cold hands and feet"),
    (r"(?i:intermenstrual\s+bleed\w*)", "bleeding between periods"),
    (r"(?i:post-?coital\s+bleed\w*)", "bleeding after sex"),
    (r"(?i:infectious\s+mononucleosis)", "glandular fever"),
    (r"(?i:malaena)", "melaena"),
    (r"(?i:post-?ictal)", "after a seizure"),
    (r"(?i:polyuria)", "peeing a lot"),
    (r"(?i:oliguri[ac])", "peeing much less"),
    (r"(?i:polydipsia)", "very thirsty"),
    (r"(?i:diaphore(?:sis|tic))", "sweaty"),
    (r"(?i:erythema(?:tous)?)", "red"),
)

READINGS = LAY_TERMS + CLINICAL_TERMS  # both keep the words written and put a reading before them


# One scan: a word start, then the alternatives as numbered groups, then a word end. It is the reference
# for what is read (tests compare against it); the engine searches each reading on its own instead.
def _scan(readings: tuple[tuple[str, str], ...]) -> re.Pattern[str]:
    return re.compile(
        r"(?<![\w/])(?:"
        + "|".join(f"(?P<a{index}>{pattern})" for index, (pattern, _) in enumerate(ABBREVIATIONS))
        + "|"
        + "|".join(f"(?P<l{index}>{pattern})" for index, (pattern, _) in enumerate(readings))
        + r")(?![\w/])"
    )


def reference_scan() -> re.Pattern[str]:
    """The one alternation of every reading, which `_matches` must agree with (a test compares them). Built on
    demand: compiling it costs start-up time and the engine itself never uses it."""
    return _scan(READINGS)


@dataclass(frozen=True)
class _Reading:
    group: str  # the alternative's group name in reference_scan(): "a<index>" (a shorthand) or "l<index>" (lay words)
    pattern: re.Pattern[str]  # without the reference's word-start lookbehind, which `_search` checks instead
    gate: frozenset[str] | None  # words one of which every match contains (triage/gates.py); None: no gate


# One alternation of a hundred readings costs more than the sum of its parts, and most readings cannot match a
# given text: each is searched alone, and only when the text holds one of its gate words.
_READINGS = tuple(
    _Reading(f"{kind}{index}", re.compile(rf"(?:{pattern})(?![\w/])"), gate_words((pattern,)))
    for kind, table in (("a", ABBREVIATIONS), ("l", READINGS))
    for index, (pattern, _) in enumerate(table)
)
_WORD_OR_SLASH = re.compile(r"[\w/]")


def _search(reading: _Reading, text: str, start: int) -> re.Match[str] | None:
    """The reading's first match from `start` that begins a word (the reference's lookbehind, checked here: a pattern
    that opens with a lookbehind loses the regular-expression engine's search for its first characters)."""
    match = reading.pattern.search(text, start)
    while match is not None and match.start() > 0 and _WORD_OR_SLASH.match(text, match.start() - 1):
        match = reading.pattern.search(text, match.start() + 1)
    return match


def _matches(original: str, lowered: str) -> list[tuple[re.Match[str], str]]:
    """What reference_scan().finditer(original) finds, with each match's group: the leftmost match of any reading, the
    earlier reading on a tie (as an alternation chooses), then the same from the end of that match on."""
    pending: dict[int, re.Match[str]] = {}
    for order, reading in enumerate(_READINGS):
        if reading.gate is None or any(word in lowered for word in reading.gate):
            match = _search(reading, original, 0)
            if match is not None:
                pending[order] = match
    found: list[tuple[re.Match[str], str]] = []
    while pending:
        order = min(pending, key=lambda key: (pending[key].start(), key))
        match = pending[order]
        found.append((match, _READINGS[order].group))
        for key in [key for key, later in pending.items() if later.start() < match.end()]:
            again = _search(_READINGS[key], original, match.end())
            if again is None:
                del pending[key]
            else:
                pending[key] = again
    return found


_FULL_STOPS = re.compile(r"\.")


class ExpandedText(str):
    """A text with its abbreviations expanded; `origin[i]` is the original offset of character i."""

    original: str
    origin: tuple[int, ...]
    lowered: str  # the expanded text in lower case, for phrase gates (triage/gates.py)
    holds: dict[str, bool]  # gate word → whether `lowered` holds it, filled as the rules ask (triage/phrases.py)
    stops: tuple[int, ...]  # the offsets of the full stops in `lowered`, in order
    sentences: dict[str, tuple[int, ...]]  # gate word → the sentences that hold it (triage/phrases.py)

    def __new__(cls, original: str) -> ExpandedText:
        pieces: list[str] = []
        origin: list[int] = []
        last = 0
        lowered = original.lower()
        for match, group in _matches(original, lowered):
            pieces.append(original[last : match.start()])
            origin.extend(range(last, match.start()))
            if group.startswith("a"):  # shorthand: replaced
                expansion = ABBREVIATIONS[int(group[1:])][1]
                pieces.append(expansion)
                origin.extend([match.start()] * (len(expansion) - 1) + [match.end() - 1])
            else:
                # Lay words: kept, the clinical term put before them. Before, not after: the term then
                # reads the context of the whole phrase ("will not stay awake" must not negate its own
                # "lethargic"), and the phrase stays whole for rules that read on past it. A match on the
                # term points at the whole phrase (first character → its start, the rest → its end).
                term = READINGS[int(group[1:])][1]
                pieces.append(f"({term}) ")
                origin.extend([match.start(), match.start()] + [match.end() - 1] * (len(term) + 1))
                pieces.append(match.group())
                origin.extend(range(match.start(), match.end()))
            last = match.end()
        pieces.append(original[last:])
        origin.extend(range(last, len(original)))
        text = super().__new__(cls, "".join(pieces))
        text.original = original
        text.origin = tuple(origin)
        text.lowered = text.lower()
        text.holds = {}
        text.sentences = {}
        text.stops = tuple(match.start() for match in _FULL_STOPS.finditer(text.lowered))
        return text

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original offsets of the expanded span [start, end)."""
        if end <= start:
            at = self.origin[start] if start < len(self.origin) else len(self.original)
            return at, at
        return self.origin[start], self.origin[end - 1] + 1
