"""ESI v4 decision point C: the expected number of resources, estimated from the intake.

An intake cannot know which resources the emergency department will use, so the engine maps explicit
content to the resources such a presentation usually needs (the table below), counting resource
*types* as ESI does (blood + urine tests = one "lab"; a complex procedure counts two). The mapping and
its sources are documented in docs/clinical-rules.md; every match is named in the rationale.

Two safety rules on top of the table:
* no recognised complaint → 2 resources (ESI 3 at most), so that missing information never produces
  ESI 4–5 on its own;
* abnormal physiology → at least 2 resources: an adult (≥ 16) with NEWS2 ≥ 5 or a 3 in any one
  parameter, or anyone with SpO2 < 92 %, needs at least labs and imaging/monitoring.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from triage.models import Intake, News2Result
from triage.numbers import finite
from triage.phrases import affirmed, compile_phrases, find, texts_of

LAB = "lab"
ECG = "ecg"
XRAY = "x-ray"
ADVANCED_IMAGING = "ct/mri/ultrasound"
IV_FLUIDS = "iv fluids"
PARENTERAL_MEDICATION = "iv/im/nebulised medication"
CONSULTATION = "specialty consultation"
SIMPLE_PROCEDURE = "simple procedure"
COMPLEX_PROCEDURE = "complex procedure"  # counts as two resources

ADULT_AGE = 16
UNKNOWN_COMPLAINT_RESOURCES = 2
ABNORMAL_PHYSIOLOGY_RESOURCES = 2


@dataclass(frozen=True, slots=True)
class Complaint:
    name: str
    resources: tuple[str, ...]
    pattern: re.Pattern[str]


def complaint(name: str, resources: tuple[str, ...], *patterns: str) -> Complaint:
    return Complaint(name, resources, compile_phrases(*patterns))


# Complaint category → resources usually needed to reach a disposition.
COMPLAINTS: tuple[Complaint, ...] = (
    complaint("chest pain", (LAB, ECG, XRAY), r"\bchest\s+(?:pain|pressure|tightness|discomfort)", r"\bangina\b"),
    complaint(
        "abdominal pain",
        (LAB, ADVANCED_IMAGING, PARENTERAL_MEDICATION),
        r"\b(?:abdominal|abdomen|stomach|belly|tummy|pelvic|groin|epigastric|(?:right|left)\s+(?:upper|lower)\s+"
        r"quadrant|[RL][UL]Q)\s+(?:pain|ache|cramp\w*|tenderness)",
        r"\bpain\s+in\s+(?:the\s+|my\s+|his\s+|her\s+)?(?:abdomen|stomach|belly|tummy)\b",
        r"\bappendic\w+",
        r"\b(?:tummy|stomach|belly|abdomen)\s+(?:hurts|hurting|aches|aching|is\s+sore)\b",
    ),
    complaint(
        "flank pain / renal colic",
        (LAB, ADVANCED_IMAGING, PARENTERAL_MEDICATION),
        r"\b(?:flank|loin|kidney)\s+pain\b",
        r"\bkidney\s+stones?\b",
        r"\brenal\s+colic\b",
    ),
    complaint(
        "breathlessness or wheeze",
        (XRAY, PARENTERAL_MEDICATION),
        r"\bshort(?:ness)?\s+of\s+breath\b",
        r"\bbreathless\w*",
        r"\bwheez\w*",
        r"\bdyspn\w+",
        r"\basthma\b",
        r"\bCOPD\b",
    ),
    complaint("vomiting", (LAB, IV_FLUIDS), r"\bvomit\w*", r"\bthrowing\s+up\b", r"\bdehydrat\w+"),
    complaint("diarrhoea", (LAB,), r"\bdiarrh\w+"),
    complaint("fever", (), r"\bfever\w*", r"\bfebrile\b", r"\bhigh\s+temperature\b"),  # labs: adults only, below
    complaint("cough with fever", (LAB, XRAY), r"\bpneumonia\b", r"\bchest\s+infection\b"),
    complaint(
        "syncope, palpitations or dizziness",
        (LAB, ECG),
        r"\bfaint\w*",
        r"\bpass(?:ed)?\s+out\b",
        r"\bsyncop\w+",
        r"\bpalpitations?\b",
        r"\b(?:heart\s+)?racing\s+heart\b",
        r"\bdizz\w+",
        r"\blight-?headed\w*",
        r"\bcollaps\w+",
    ),
    complaint(
        "generalised weakness",
        (LAB, ECG),
        r"\b(?:generali[sz]ed|general|sudden)\s+weakness\b",
        r"\bfeeling\s+weak\b",
    ),
    complaint(
        "head injury",
        (ADVANCED_IMAGING,),
        r"\bhead\s+(?:injury|trauma|wound)\b",
        r"\b(?:hit|bumped|banged|struck)\s+(?:his\s+|her\s+|my\s+|their\s+|the\s+)?head\b",
        r"\bconcussion\b",
    ),
    complaint(
        "limb injury",
        (XRAY,),
        r"\b(?:ankle|wrist|finger|toe|knee|foot|hand|shoulder|elbow|arm|leg|hip)\s+(?:injur\w*|sprain\w*|pain|"
        r"swelling|swollen|twist\w*)",
        r"\b(?:sprained|twisted|injured|hurt|broke|broken|fractured)\s+(?:his\s+|her\s+|my\s+|their\s+|an?\s+)?"
        r"(?:ankle|wrist|finger|toe|knee|foot|hand|shoulder|elbow|arm|leg|hip)\b",
        r"\bfracture\w*",
        r"\bbroken\s+(?:bone|arm|leg|wrist|ankle)\b",
        r"\b(?:fell|fall(?:en)?|tripped|slipped)\s+(?:over|down|off|from)\b",
        r"\b(?:unable|not\s+able|can'?t|cannot)\s+(?:to\s+)?(?:bear|put)\s+weight\b",
        r"\bhad\s+a\s+fall\b",
    ),
    complaint(
        "suspected hip fracture",
        (XRAY, PARENTERAL_MEDICATION, CONSULTATION),
        r"\bhip\s+fracture\b",
        r"\b(?:fractured|broken)\s+(?:neck\s+of\s+)?(?:femur|hip)\b",
        r"\bneck\s+of\s+femur\b",
        r"\bshortened\s+and\s+(?:externally\s+)?rotated\b",
    ),
    complaint(
        "deformity or dislocation",
        (XRAY, COMPLEX_PROCEDURE),
        r"\bdislocat\w+",
        r"\bdeform\w+",
    ),
    complaint(
        "laceration or wound needing closure",
        (SIMPLE_PROCEDURE,),
        r"\blacerat\w+",
        r"\bgash\w*",
        r"\b(?:deep\s+)?cut\s+(?:on|to|in)\b",
        r"\bcut\s+(?:his|her|my|their)\s+\w+",
        r"\bcut\s+(?:(?:left|right|index|little|middle|ring)\s+)?(?:finger|thumb|hand|foot|toe|arm|leg|lip|chin|"
        r"forehead|head|knee)\b",
        r"\bneeds?\s+(?:stitches|sutures)\b",
        r"\bwound\b",
    ),
    complaint(
        "tube or catheter replacement",
        (SIMPLE_PROCEDURE,),
        r"\b(?:feeding|G-?|PEG|NG|gastrostomy|nasogastric|suprapubic)\s*tube\b",
        r"\b(?:foley|urinary|suprapubic)\s+catheter\b",
        r"\bcatheter\s+(?:came|fell|has\s+come|is)\s+out\b",
    ),
    complaint(
        "abscess, foreign body or nosebleed",
        (SIMPLE_PROCEDURE,),
        r"\babscess\b",
        r"\bparonychia\b",
        r"\bpus\b",
        r"\binfected\s+(?:finger|toe|cuticle|nail)\b",
        r"\bingrown\s+(?:toe)?nail\b",
        r"\bboil\b",
        r"\bforeign\s+body\b",
        r"\bsplinter\b",
        r"\bnose\s*bleed\w*",
        r"\bsomething\s+(?:went\s+)?in(?:to)?\s+(?:his|her|my|their|the|an?)\s+(?:\w+\s+)?eye\b",
        r"\b(?:dust|grit|sand|metal|debris|particle)\s+in(?:to)?\s+(?:his|her|my|their|the)\s+(?:\w+\s+)?eye\b",
        r"\bepistaxis\b",
    ),
    complaint(
        "urinary symptoms",
        (LAB,),
        r"\bdysuria\b",
        r"\b(?:burning|pain|stinging)\s+(?:on|when|while)\s+(?:urinating|peeing|passing\s+urine)\b",
        r"\bUTI\b",
        r"\burinary\s+(?:tract\s+)?infection\b",
        r"\bblood\s+in\s+(?:the\s+|his\s+|her\s+|my\s+)?urine\b",
    ),
    complaint(
        "vaginal bleeding or pregnancy concern",
        (LAB, ADVANCED_IMAGING),
        r"\bvaginal\s+bleed\w*",
        r"\bpregnan\w+",
        r"\bmiscarr\w+",
    ),
    complaint("headache", (PARENTERAL_MEDICATION,), r"\bheadache\b", r"\bmigraine\b"),
    complaint("allergic reaction", (PARENTERAL_MEDICATION,), r"\ballerg\w+", r"\bhives\b", r"\burticaria\b"),
    complaint(
        "mental health crisis",
        (CONSULTATION,),
        r"\bsuicid\w*",
        r"\bself[- ]harm\w*",
        r"\bpsycho\w+",
        r"\bhallucinat\w+",
        r"\bmental\s+health\b",
        r"\bsevere\s+(?:anxiety|depression)\b",
    ),
    # Uncomplicated back pain: history, examination and oral analgesia (none is a resource); imaging is
    # not indicated without red flags, which the catalogue catches separately.
    complaint(
        "minor illness or administrative request (no resources)",
        (),
        r"\bsore\s+throat\b",
        r"\b(?:common\s+)?cold\b",
        r"\bflu\b",
        r"\bcough\b",
        r"\brunny\s+nose\b",
        r"\b(?:blocked|stuffy)\s+nose\b",
        r"\bcongest\w+",
        r"\bear\s*ache\b",
        r"\bear\s+pain\b",
        r"\bpull\w*\s+(?:at\s+)?(?:his\s+|her\s+|their\s+|the\s+)?ears?\b",
        r"\bpoison\s+(?:ivy|oak|sumac)\b",
        r"\b(?:contact\s+)?dermatitis\b",
        r"\beczema\b",
        r"\bmucus\b",
        r"\bsnot\w*\b",
        r"\bnasal\s+(?:discharge|congestion)\b",
        r"\brash\b",
        r"\bitch\w*",
        r"\b(?:insect|bug|mosquito)\s+bites?\b",
        r"\bsunburn\w*",
        r"\btooth\s*ache\b",
        r"\bdental\s+pain\b",
        r"\b(?:red|pink|sore|itchy)\s+eyes?\b",
        r"\bconjunctivitis\b",
        r"\bscratch\w*\s+(?:my\s+|his\s+|her\s+|their\s+|the\s+)?cornea\b",
        r"\bcorneal\s+abrasion\b",
        r"\b(?:prescription|medication|repeat)\s+(?:refill|renewal)\b",
        r"\brefill\b",
        r"\b(?:need|needs|want|wants|write|another|new|repeat|looking\s+for|asking\s+for|requesting|request)\s+"
        r"(?:me\s+)?(?:a\s+|another\s+|new\s+)?(?:[\w-]+\s+){0,2}?prescription\b",
        r"\bran\s+out\s+of\s+(?:my\s+|his\s+|her\s+|their\s+)?(?:\w+\s+){0,3}?(?:medicine|medication|pills|tablets|meds)\b",
        r"\b(?:work|sick|school|fit|doctor'?s)\s+(?:note|certificate)\b",
        r"\bmedical\s+certificate\b",
        r"\b(?:back|neck)\s+pain\b",
        r"\bhurt\s+(?:my|his|her|their)\s+back\b",
        r"\bsciatica\b",
        r"\bsinus\w*",
        r"\bheartburn\b",
        r"\bindigestion\b",
        r"\b(?:acid\s+)?reflux\b",
        r"\bsore\s+back\b",
        r"\bback\s*ache\b",
        r"\b(?:heavy|painful)\s+periods?\b",
        r"\bperiod\s+pain\b",
        r"\bbleeding\s+gums\b",
        r"\b(?:feeling\s+)?anxious\b",
        r"\b(?:mild\s+)?anxiety\b",
        r"\bconstipat\w+",
        r"\bacne\b",
        r"\bwart\w*",
        r"\bmuscle\s+ache\w*",
        r"\bminor\s+(?:burn|cut|scrape|graze)\w*",
        r"\bgraze\w*",
        r"\bscrape\w*",
        r"\bsuture\s+removal\b",
        r"\b(?:stitches|sutures)\s+(?:out|removed|removal)\b",
        r"\bdressing\s+change\b",
        r"\btetanus\b",
    ),
)


@dataclass(frozen=True, slots=True)
class ResourceEstimate:
    count: int
    types: tuple[str, ...]
    complaints: tuple[str, ...]
    reasons: tuple[str, ...]  # rationale for the floors applied, if any


def _count(types: set[str]) -> int:
    return sum(2 if resource == COMPLEX_PROCEDURE else 1 for resource in types)


COUGH = compile_phrases(r"\bcough\w*")


def estimate_resources(intake: Intake, news2: News2Result) -> ResourceEstimate:
    texts = texts_of(intake)
    types: set[str] = set()
    matched: list[str] = []
    for category in COMPLAINTS:
        if affirmed(find(category.pattern, texts)):
            matched.append(category.name)
            types.update(category.resources)
    if "fever" in matched and intake.age >= ADULT_AGE:
        # An adult's fever is worked up with labs; most children's fevers with a focus need none.
        types.add(LAB)
    if "fever" in matched and affirmed(find(COUGH, texts)):
        # Cough with fever: a chest X-ray on top of the labs (possible pneumonia).
        matched.append("cough with fever")
        types.update((LAB, XRAY))
    count = _count(types)
    reasons: list[str] = []
    if not matched:
        count = max(count, UNKNOWN_COMPLAINT_RESOURCES)
        reasons.append(
            f"no complaint in the resource table was recognised → assume {UNKNOWN_COMPLAINT_RESOURCES} resources "
            "(never ESI 4–5 by default)"
        )
    abnormal = _abnormal_physiology(intake, news2)
    if abnormal and count < ABNORMAL_PHYSIOLOGY_RESOURCES:
        count = ABNORMAL_PHYSIOLOGY_RESOURCES
        reasons.append(f"{abnormal} → at least {ABNORMAL_PHYSIOLOGY_RESOURCES} resources (labs, imaging, monitoring)")
    return ResourceEstimate(count, tuple(sorted(types)), tuple(matched), tuple(reasons))


def _abnormal_physiology(intake: Intake, news2: News2Result) -> str | None:
    spo2 = finite(intake.vitals.spo2)
    if spo2 is not None and spo2 < 92:
        return "SpO2 below 92 %"
    if intake.age >= 16 and news2.score is not None:
        if news2.score >= 5:
            return f"NEWS2 {news2.score} (≥ 5, RCP urgent-response threshold)"
        if news2.single_parameter_3:
            return "a NEWS2 parameter scoring 3"
    return None
