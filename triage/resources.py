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

from triage.danger_zone import danger_zone_breaches
from triage.models import Intake, News2Result
from triage.numbers import finite
from triage.phrases import affirmed, compile_phrases, find, texts_of
from triage.red_flags import FEVER_WORD, HEAD_BLOW_WORDING

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
SCHOOL_AGE = 5
MINOR_ILLNESS = "minor illness (no resources)"
ADMINISTRATIVE = "administrative request (no resources)"
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
    complaint(
        "chest pain",
        (LAB, ECG, XRAY),
        r"\bchest\s+(?:pain|pressure|tightness|discomfort)",
        r"\bangina\b",
        r"\b(?:uncomfortable|strange|odd|funny|weird|heavy|tight)\s+(?:feeling|sensation)\s+in\s+(?:the\s+)?(?:middle\s+of\s+)?"
        r"(?:my\s+|his\s+|her\s+|their\s+|the\s+)?chest\b",
    ),
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
        r"\bflank\s+(?:tenderness|tender|ttp)\b",
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
    complaint(
        "vomiting",
        (LAB, IV_FLUIDS),
        r"\bvomit\w*",
        r"\b(?:throwing|threw)\s+up\b",
        r"\bdehydrat\w+",
        r"\b(?:can'?t|cannot|unable\s+to|not\s+able\s+to)\s+keep\s+(?:any\s+)?(?:fluids?|water|drinks?|anything)\s+down\b",
    ),
    # Diarrhoea alone is managed with fluids at home (NICE CKS Gastroenteritis; nhs.uk Diarrhoea and
    # vomiting); with blood, or lasting more than a week, a stool sample and bloods.
    complaint(
        "diarrhoea with blood or lasting",
        (LAB,),
        r"\b(?:bloody|blood\s+in\s+(?:the\s+|his\s+|her\s+|my\s+)?)\s*diarrh\w+",
        r"\bdiarrh\w+\s+(?:with|and)\s+blood\b",
        r"\bdiarrh\w+\s+(?:is|was)\s+(?:bloody|black)\b",
        r"\bdiarrh\w+\s+(?:\w+\s+){0,3}?(?:for\s+)?(?:more\s+than\s+)?(?:[7-9]|1\d|seven|eight|nine|ten)\s+days\b",
    ),
    complaint("fever", (), FEVER_WORD, r"\bfebrile\b", r"\bhigh\s+temp(?:erature)?\b"),  # labs: adults only, below
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
        HEAD_BLOW_WORDING,
        r"\bconcussion\b",
        r"\b(?:blow|knock|bang)\s+(?:to|on)\s+(?:the\s+|his\s+|her\s+|my\s+|their\s+|your\s+)?head\b",
    ),
    complaint(
        "limb injury",
        (XRAY,),
        r"\b(?:ankle|wrist|finger|toe|knee|foot|hand|shoulder|elbow|arm|leg|hip)\s+(?:injur\w*|sprain\w*|"
        r"swelling|swollen|twist\w*)",
        r"\b(?:ankle|wrist|finger|toe|foot|hand|arm|leg)\s+pain\b",
        # Pain over a bone after an injury is imaged (the collarbone has no Ottawa rule; it is X-rayed).
        r"\bpain\s+(?:over|in|to)\s+(?:the\s+|his\s+|her\s+|my\s+)?(?:left\s+|right\s+|L\s+|R\s+)?(?:clavicle|collar\s*bone)\b",
        r"\b(?:clavicle|collar\s*bone)\s+(?:pain|injur\w*|deform\w*|swelling)\b",
        # Ottawa ankle rule: tenderness over a malleolus after an inversion or eversion injury is X-rayed.
        r"\b(?:everted|inverted|rolled|turned|went\s+over\s+on)\s+(?:his|her|my|their|an?)\s+ankle\b",
        r"\bmalleol\w+",
        r"\b(?:sprained|twisted|injured|hurt|broke|broken|fractured)\s+(?:his\s+|her\s+|my\s+|their\s+|an?\s+)?"
        r"(?:ankle|wrist|finger|toe|knee|foot|hand|shoulder|elbow|arm|leg|hip)\b",
        r"\bfracture\w*",
        r"\bbroken\s+(?:bone|arm|leg|wrist|ankle)\b",
        # Joint pain after a fall is an injury, not a minor ache ("fell, hip pain"): Ottawa rules, imaging.
        r"\b(?:fell|fall|fallen|tripped|slipped)\b[^.;]{0,30}?\b(?:ankle|wrist|knee|hip|shoulder|elbow)\s+(?:pain|hurts?|sore)\b",
        r"\b(?:ankle|wrist|knee|hip|shoulder|elbow)\s+(?:pain|hurts?|sore)\b[^.;]{0,20}?\b(?:after|since|from)\s+(?:a\s+|the\s+)?"
        r"(?:fall|fell|trip)\b",
        r"\b(?:fell|fall(?:en)?|tripped|slipped)\s+(?:over|down|off|from)\b",
        r"\b(?:unable|not\s+able|can'?t|cannot)\s+(?:to\s+)?(?:bear|put)\s+weight\b",
        r"\bhad\s+a\s+fall\b",
        r"\b(?:shoulder|knee|hip|elbow|wrist|ankle|arm|leg|back|neck)\b[^.]{0,30}\b(?:after|since|from)\s+(?:an?\s+|the\s+)?"
        r"(?:injury|accident|fall)\b",
        # After an injury, not walking is not bearing weight (Ottawa ankle and knee rules: an X-ray).
        r"\b(?:fell|fall(?:en)?|injur\w*|twisted|tackled|trauma|accident|crash\w*)\b[^.]{0,80}?\b(?:unable|not\s+able|"
        r"can'?t|cannot|could\s*n'?t)\s+(?:to\s+)?(?:walk|ambulate|stand)\b",
        r"\b(?:unable|not\s+able|can'?t|cannot|could\s*n'?t)\s+(?:to\s+)?(?:walk|ambulate|stand)\b[^.]{0,80}?\b(?:since|after|"
        r"from|because\s+of|due\s+to)\s+(?:a\s+|the\s+|an\s+|his\s+|her\s+)?(?:fall|injury|accident|crash|tackle)\b",
        # Back or neck pain after a fall or a collision is not "uncomplicated back pain": imaging by the
        # mechanism (NICE NG41, spinal injury, 2016: a fall from over 1 m or 5 stairs, a road collision).
        r"\b(?:fell|fall(?:en)?|tackled|crash\w*|collision|accident)\b[^.]{0,80}?\b(?:back|neck|spine)\s+(?:pain|injur\w*)\b",
        r"\b(?:back|neck)\s+pain\b[^.]{0,40}?\b(?:since|after|from)\s+(?:a\s+|the\s+|his\s+|her\s+)?(?:fall|crash|"
        r"collision|accident|tackle)\b",
    ),
    complaint(
        "suspected hip fracture",
        (XRAY, PARENTERAL_MEDICATION, CONSULTATION),
        r"\bhip\s+fracture\b",
        r"\b(?:fractured|broken)\s+(?:neck\s+of\s+)?(?:femur|hip)\b",
        r"\bneck\s+of\s+femur\b",
        r"\b(?:leg|foot)\s+(?:looks\s+|is\s+)?(?:shorter|shortened)\b",
        r"\b(?:leg|foot)\s+(?:\w+\s+){0,4}?turned\s+out(?:ward)?s?\b",
        r"\bshortened\s+and\s+(?:externally\s+)?rotated\b",
    ),
    complaint(
        "deformity or dislocation",
        (XRAY, COMPLEX_PROCEDURE),
        r"\bdislocat\w+",
        r"\bdeform\w+",
        r"\bbent\s+out\s+of\s+shape\b",
        r"\b(?:looks?|is|are)\s+(?:\w+\s+)?(?:crooked|misshapen|at\s+a\s+funny\s+angle|at\s+an\s+odd\s+angle)\b",
        r"\b(?:popped|came|come|slipped)\s+out\s+of\s+(?:the\s+|its\s+)?(?:socket|joint|place)\b",
        r"\bout\s+of\s+(?:the\s+|its\s+)?socket\b",
    ),
    # An open fracture goes to theatre: imaging, labs, IV antibiotics and analgesia (ESI v4 handbook,
    # Ch. 9 practice cases).
    complaint(
        "open fracture",
        (XRAY, LAB, PARENTERAL_MEDICATION, CONSULTATION),
        r"\bopen\s+(?:fx|fracture)\b",
        r"\bcompound\s+fracture\b",
        r"\bbone\s+(?:is\s+)?(?:sticking|poking)\s+(?:out|through)\b",
    ),
    # Unilateral leg swelling: a deep-vein thrombosis until proven otherwise — labs (D-dimer) and an
    # ultrasound (ESI v4 handbook, Ch. 9 and 10 cases).
    complaint(
        "leg swelling (possible DVT)",
        (LAB, ADVANCED_IMAGING),
        r"\bDVT\b",
        r"\bdeep\s+vein\s+thrombosis\b",
        r"\bblood\s+clots?\s+in\s+(?:my|his|her|their|the)\s+(?:\w+\s+)?leg\b",
        r"\b(?:calf|lower\s+leg)\s+(?:is\s+)?(?:swollen|swelling)\b",
        r"\b(?:right|left|one)\s+leg\s+(?:is\s+)?(?:swollen|swelling)\b",
        r"\b(?:swollen|swelling\s+(?:of|in))\s+(?:the\s+|my\s+|his\s+|her\s+|their\s+)?(?:right\s+|left\s+)?"
        r"(?:calf|lower\s+leg)\b",
        r"\b(?:pain|swelling)\s+and\s+(?:pain|swelling)\s+in\s+(?:my|his|her|their|the)\s+(?:lower\s+)?(?:leg|calf)\b",
    ),
    # Rabies post-exposure prophylaxis: vaccine and immunoglobulin by injection (ESI v4 handbook, Ch. 10).
    complaint(
        "possible rabies exposure",
        (PARENTERAL_MEDICATION,),
        r"\brabies\b",
        r"\bbat\s+(?:bite|scratch|exposure)\b",
        r"\bbitten\s+by\s+(?:a\s+)?(?:bat|raccoon|fox|skunk|stray)\b",
    ),
    complaint(
        "laceration or wound needing closure",
        (SIMPLE_PROCEDURE,),
        r"\blacerat\w+",
        r"\bgash\w*",
        r"\b(?:deep\s+)?cut\s+(?:on|to|in)\b",
        r"\bcut\s+(?:his|her|my|their)\s+(?!(?:own\s+)?(?:(?:toe|finger)?nails?|hair)\b)\w+",
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
        # An insect or object in the ear canal is removed at the bedside (ESI v4 handbook, Ch. 10).
        r"\b(?:bug|insect|fly|moth|bead|object|cotton\s+(?:wool|bud|swab)|pea|stone|toy|crayon)\s+(?:\w+\s+){0,2}?"
        r"(?:in|into|inside)\s+(?:his|her|my|their|the|your)\s+(?:left\s+|right\s+)?ear\b",
        # Not a battery or a magnet: those are high risk (ESI v4 handbook, Ch. 3).
        r"\bsomething\s+(?:is\s+)?stuck\s+(?:in|up)\s+(?:(?:his|her|my|their|the|your)\s+(?:or\s+(?:his|her|my|their|the|your)\s+"
        r"(?:child'?s\s+)?)?)?(?:left\s+|right\s+)?(?:ear|nose)\b(?![^.;]{0,60}\b(?:batter(?:y|ies)|magnets?)\b)",
        r"\bsplinter\b",
        # A nosebleed that goes on needs packing or cautery; one that has stopped is first aid at home
        # (nhs.uk Nosebleed; NICE CKS Epistaxis).
        r"\bnose\s*bleed\w*\s+(?:\w+\s+){0,3}?(?:still|keeps|won'?t\s+stop|not\s+stopp\w+|persist\w*|ongoing)\b",
        r"\b(?:still|keeps)\s+bleeding\s+from\s+(?:the\s+|his\s+|her\s+|my\s+)?nose\b",
        r"\bsomething\s+(?:went\s+|got\s+|flew\s+|is\s+)?in(?:to)?\s+(?:his|her|my|their|the|an?)\s+(?:\w+\s+)?eye\b",
        r"\b(?:saw)?dust\s+in(?:to)?\s+(?:his|her|my|their|the)\s+(?:\w+\s+)?eye\b",
        r"\b(?:dust|grit|sand|metal|debris|particle)\s+in(?:to)?\s+(?:his|her|my|their|the)\s+(?:\w+\s+)?eye\b",
        r"\bepistaxis\b\s+(?:\w+\s+){0,3}?(?:still|ongoing|persist\w*)\b",
    ),
    complaint(
        "urinary symptoms",
        (LAB,),
        r"\bdysuria\b",
        r"\bpainful\s+(?:urination|peeing|micturition|weeing)\b",
        # Pain, burning or stinging on passing urine, urgency or frequency: a urine test, whatever else is
        # there (NICE NG109 lower UTI; NG111 pyelonephritis with back pain or fever).
        r"\b(?:pain\w*|burning|stinging)\s+(?:\w+\s+){0,2}?(?:urinat\w+|when\s+(?:you\s+|i\s+|he\s+|she\s+)?"
        r"(?:pee|wee|urinate))\b",
        r"\b(?:urgent|urgency|frequent)\s+(?:need\s+to\s+)?(?:pee|wee|urinat\w+)\b",
        r"\b(?:burning|pain|stinging)\s+(?:on|when|while)\s+(?:urinating|peeing|passing\s+urine)\b",
        r"\bUTI\b",
        r"\bhurts?\b[^.;]{0,20}?\b(?:when|to|while)\s+(?:i\s+|he\s+|she\s+|they\s+|you\s+)?(?:urinate|pee|wee|pass\s+urine)\b",
        r"\bburns?\s+(?:when|to|as)\s+(?:i|he|she|they|you)?\s*(?:pee|wee|urinate|pass\s+urine)\w*\b",
        r"\bbladder\s+infection\b",
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
    # A headache is treated with oral analgesia and advice (NICE CKS Headache; nhs.uk: most headaches are
    # self-care); a severe one or a migraine attack brought to the department gets parenteral treatment.
    complaint(
        "severe headache or migraine",
        (PARENTERAL_MEDICATION,),
        r"\bmigraine\b",
        r"\b(?:severe|bad|terrible|intense|splitting|worst|excruciating)\s+headache\b",
        r"\bheadache\b[^.;]{0,30}\b(?:[7-9]|10)\s*(?:/|out\s+of)\s*10\b",
    ),
    # Hives alone are treated with an oral antihistamine (NICE CKS Urticaria; nhs.uk Hives: self care).
    # A known allergy ("an allergy to washing powder", "allergic to penicillin") is history, not a reaction.
    complaint("allergic reaction", (PARENTERAL_MEDICATION,), r"\ballerg\w+(?!\s+to\b)"),
    # A red eye that hurts, or in a contact-lens wearer, is seen the same day by an eye specialist (NICE CKS
    # Red eye); yellow skin or eyes is jaundice (bloods and an ultrasound).
    complaint(
        "painful red eye",
        (CONSULTATION,),
        r"\b(?:painful|sore)\s+(?:and\s+red\s+|red\s+)?eyes?\b",
        r"\beyes?\s+(?:is\s+|are\s+)?(?:painful|sore)\s+and\s+red\b",
        r"\bred\s+eyes?\b[^.]{0,30}\bcontact\s+lens\w*",
        r"\bcontact\s+lens\w*[^.]{0,30}\bred\s+eyes?\b",
        r"\bred\s+eyes?\s*[;:,]\s*(?:\w+\s+){0,2}?(?:painful|pain|sore)\b",
    ),
    complaint(
        "jaundice",
        (LAB, ADVANCED_IMAGING),
        r"\bjaundic\w+",
        r"\byellow\s+discolou?ration\b",
        r"\b(?:yellow|icteric)\s+sclera\w*",
        r"\b(?:skin|whites?\s+of\s+(?:the\s+|your\s+|his\s+|her\s+|my\s+)?eyes|white\s+part\s+of\s+(?:your\s+|his\s+|"
        r"her\s+|my\s+|the\s+)?eyes)\b[^.;]{0,20}\b(?:looks?\s+|turned\s+|turning\s+|going\s+|is\s+|are\s+)?yellow\b",
    ),
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
    # Requests a clinician handles without tests or treatment in the department (ESI 5, no resources), but
    # that still need a prescriber or a certificate: never "self care".
    complaint(
        ADMINISTRATIVE,
        (),
        r"\b(?:prescription|medication|repeat)\s+(?:refill|renewal)\b",
        r"\brefill\b",
        r"\b(?:need|needs|want|wants|write|another|new|repeat|looking\s+for|asking\s+for|requesting|request)\s+"
        r"(?:me\s+)?(?:a\s+|another\s+|new\s+)?(?:[\w-]+\s+){0,2}?prescription\b",
        r"\bran\s+out\s+of\s+(?:my\s+|his\s+|her\s+|their\s+)?(?:\w+\s+){0,3}?(?:medicine|medication|pills|tablets|meds)\b",
        r"\b(?:work|sick|school|fit|doctor'?s)\s+(?:note|certificate)\b",
        r"\bmedical\s+certificate\b",
        r"\bsuture\s+removal\b",
        r"\b(?:stitches|sutures)\s+(?:out|removed|removal)\b",
        r"\bdressing\s+change\b",
        r"\btetanus\b",
        r"\bemergency\s+contracepti\w+",
        r"\bmorning[- ]after\s+pill\b",
        r"\bplan\s*B\b",
        r"\bpill\b[^.]{0,40}\bprevent\s+(?:a\s+)?pregnan\w+",
        r"\bcondom\s+(?:broke|split|came\s+off|failed)\b",
    ),
    # Uncomplicated back pain: history, examination and oral analgesia (none is a resource); imaging is
    # not indicated without red flags, which the catalogue catches separately.
    complaint(
        MINOR_ILLNESS,
        (),
        r"\bsore\s+throats?\b",
        r"\btonsillitis\b",
        # Conditions NHS England's over-the-counter guidance and local self-care lists (BCAP formulary, NHS Central
        # Lancashire "choosing the right service") leave to self care and a pharmacist.
        r"\bhangovers?\b",
        r"\bupset\s+stomachs?\b",
        r"\baches\s+and\s+pains\b",
        r"\b(?:infant\s+)?colic\b",
        r"\bdandruff\b",
        r"\bhay\s*fever\b",
        r"\b(?:seasonal|allergic)\s+rhinitis\b",
        r"\bdry\s+eyes\b",
        r"\bdry\s+skin\b(?!\s*(?:,|/|or|and)\s*(?:lips|mouth|tongue))",  # dry lips and tongue: dehydration
        r"\bsore\s+tired\s+eyes\b",
        r"\bear\s*wax\b",
        r"\b(?:excessive\s+sweating|hyperhidrosis)\b",
        r"\boral\s+thrush\b",
        r"\b(?:travel|motion|car|sea)\s+sickness\b",
        # nhs.uk and NICE CKS self-care conditions (each with its own "see a GP if" list, read by the rules).
        r"\bmouth\s+ulcers?\b",
        r"\b(?:piles|ha?emorrhoids)\b",
        r"\bchicken\s*pox\b",
        r"\bcroup\b",
        r"\bhives\b",
        r"\burticaria\b",
        r"\b(?:shoulder|knee|hip|elbow|joint)\s+pain\b",
        r"\bwarts?\b",
        r"\bverrucas?\b",
        r"\bswollen\s+glands\b",
        r"\bbronchitis\b",
        r"\bstyes?\b",
        r"\btennis\s+elbow\b",
        r"\bsticky\s+eyes?\b",
        r"\bdiarrh\w+",
        r"\bnose\s*bleeds?\b",
        r"\bepistaxis\b",
        r"\bheadaches?\b",
        # The common cold, not a cold body ("cold hands", "feels cold", "gone cold and pale").
        r"(?<!feels\s)(?<!feel\s)(?<!felt\s)(?<!feeling\s)(?<!is\s)(?<!are\s)(?<!gone\s)(?<!very\s)(?<!too\s)(?<!went\s)"
        r"(?<!turned\s)(?<!looks\s)(?<!icy\s)(?<!freezing\s)\b(?:common\s+)?cold\b(?!\s*,?\s*(?:and\s+|or\s+)?(?:hands?|feet|foot|"
        r"legs?|arms?|fingers?|toes?|skin|sweats?|clammy|pale|white|blue|mottled|peripher\w*|extremities|to\s+(?:the\s+)?touch|water|"
        r"weather|compress|air)\b)",
        r"\bflu\b",
        r"\bcoughs?\b",
        r"\bmolluscum(?:\s+contagiosum)?\b",
        r"\brunny\s+nose\b",
        r"\b(?:blocked|stuffy)\s+nose\b",
        r"\bcongest\w+",
        r"\bear\s*ache\b",
        r"\bear\s+(?:that'?s\s+|is\s+)?(?:hurt\w*|sore|aching)\b",
        r"\bear\s+infection\b",
        r"\botitis\b",
        r"\bpull\w*\s+(?:at|on)\s+(?:his|her|their|the)\s+(?:(?:left|right)\s+)?ears?\b",
        r"\bpink\s*eye\b",
        r"\beyes?\s+(?:\w+\s+){0,3}?(?:red\s+and\s+)?(?:crusty|gunky|goopy|sticky)\b",
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
        r"\b(?:bee|wasp|insect|hornet)\s+stings?\b",
        r"\bsneez\w+",
        r"\bsunburn\w*",
        r"\btooth\s*ache\b",
        r"\bdental\s+pain\b",
        r"\b(?:red|pink|sore|itchy)\s+eyes?\b",
        r"\bconjunctivitis\b",
        r"\bscratch\w*\s+(?:my\s+|his\s+|her\s+|their\s+|the\s+)?cornea\b",
        r"\bcorneal\s+abrasion\b",
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
        # Conditions nhs.uk and NHS inform name for self care or a pharmacist (each page's "see a GP if" list is
        # read by the disposition's safety net: worse, not settling, an alarm feature, a risk group). Not
        # ringworm, hiccups or blisters: their "see a GP" signs (the scalp, 48 hours, an unusual place) are not
        # all read, and a self-care name must not cost an under-triage.
        r"\bimpetigo\b",
        r"\bathlete'?s\s+foot\b",
        r"\bhead\s+lice\b",
        r"\bnits\b",
        r"\bcorns?\b(?=\s+(?:and|or|on)\b)",
        r"\bcallus(?:es)?\b",
        r"\bplantar\s+fasciitis\b",
        r"\bslapped\s+cheek\b",
        r"\bingrown\s+toe\s*nails?\b",
        r"\bcold\s+sores?\b",
        r"\bthread\s*worms?\b",
        r"\bsprains?\s+(?:and|or)\s+strains?\b",
        # NHS England's over-the-counter list (2018: conditions for self care or a pharmacist) and nhs.uk
        # self-care pages, by the names parents and patients use: cradle cap, nappy rash, teething, blackheads,
        # chilblains, trapped wind, an ingrowing toenail, a pulled muscle.
        r"\bcradle\s+cap\b",
        r"\bnappy\s+rash\b",
        r"\bteething\b",
        r"\b(?:zits|blackheads|whiteheads)\b",
        r"\bchilblains?\b",
        r"\btrapped\s+wind\b",
        r"\bingrowing\s+toe\s*nails?\b",
        r"\b(?:pulled|strained)\s+(?:a\s+|my\s+|his\s+|her\s+|their\s+)?(?:\w+\s+)?muscle\b",
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
CONTRACEPTION_REQUEST = compile_phrases(
    r"\bemergency\s+contracepti\w+",
    r"\bmorning[- ]after\s+pill\b",
    r"\bplan\s*B\b",
    r"\bpill\b[^.]{0,40}\bprevent\s+(?:a\s+)?pregnan\w+",
    r"\bcondom\s+(?:broke|split|came\s+off|failed)\b",
    r"\b(?:do\s*n'?t|does\s*n'?t|not)\s+want\s+to\s+(?:get|be)\s+pregnant\b",
)
BLEEDING_OR_PAIN = compile_phrases(r"\bbleed\w*", r"\bpain\w*", r"\bcramp\w*", r"\bspotting\b")
RED_AND_SWOLLEN = compile_phrases(
    r"\bred(?:ness|dened)?\s*,?\s+(?:\w+\s*,?\s+){0,3}?(?:and\s+|with\s+)?(?:swollen|swelling)\b",
    r"\b(?:swollen|swelling)\s*,?\s+(?:\w+\s*,?\s+){0,3}?(?:and\s+|with\s+)?red(?:ness|dened)?\b",
    r"\bcellulitis\b",
)
INFECTION_CONTEXT = compile_phrases(
    r"\b(?:bite|bitten|scratch\w*)\b",
    r"\bpus\b",
    r"\b(?:oozing|draining|discharge)\b",
    r"\binfect\w+",
    r"\bfever\w*",
    r"\bstreak\w*",
    r"\bwarm\b",  # red, warm and swollen: the signs of cellulitis or a septic joint
    r"\bcellulitis\b",
)
# A radiograph the note itself anticipates ("will need a lumbar spine radiograph", "L-spine XR") is one
# resource (ESI v4 handbook, Ch. 4: a plain radiograph counts; oral medication and prescriptions do not).
NAMED_XRAY = compile_phrases(r"\bx-?rays?\b", r"\bradiograph\w*", r"\bXR\b")
# A sore throat with a sandpaper rash or a contact with strep: a strep test (a lab resource; ESI handbook,
# Ch. 6 post-quiz) and antibiotics for scarlet fever (NICE CKS Scarlet fever) — not self care.
STREP_SIGNS = compile_phrases(
    r"\bscarlet\s+fever\b", r"\bsand\s*paper\w*", r"\bstrep\b", r"\bstreptococc\w+", r"\bscarlatina\b"
)
# Drinking too little with a fast pulse: dehydration treated with IV fluids (ESI v4 handbook, Ch. 5 case
# examples: "decreased ability to take fluids", HR 124 → IV fluids and medication).
POOR_FLUID_INTAKE = compile_phrases(
    r"\b(?:decreased|reduced|poor|little|no)\s+(?:ability\s+to\s+take\s+)?(?:fluids?|oral|PO|drinking)\s*(?:intake)?\b",
    r"\b(?:can'?t|cannot|unable\s+to|not\s+able\s+to)\s+(?:keep\s+(?:any(?:thing)?\s+)?)?(?:drink|fluids?\s+down|"
    r"keep\s+(?:fluids?|water|liquids?|anything)\s+down)\w*",
    r"\b(?:isn'?t|is\s+not|not|hasn'?t\s+been|has\s+not\s+been)\s+(?:eating\s+(?:or|and)\s+)?drinking\b",
    r"\b(?:can'?t|cannot)\s+drink\s+(?:as\s+much|much|anything)\b",
)
# A sore, red or swollen breast: mastitis or a breast abscess.
BREAST_INFECTION = compile_phrases(
    r"\bmastitis\b",
    r"\bbreast\s+(?:abscess|pain|redness|swelling|tenderness)\b",
    r"\bbreast\s+(?:is\s+|feels\s+|looks\s+)?(?:so\s+|very\s+|really\s+)?(?:sore|painful|red|swollen|tender)\b",
    r"\b(?:sore|painful|red|swollen|tender)\s+(?:right\s+|left\s+)?breast\b",
)
# A young child who will not use an arm or leg: a pulled elbow or a fracture (ESI v4 handbook, Ch. 10) —
# in an adult the same words may be a stroke, so this is for children only.
CHILD_NOT_USING_LIMB = compile_phrases(
    r"\b(?:refus\w+|won'?t|will\s+not|not|doesn'?t\s+want)\s+(?:to\s+)?(?:move|use|lift)\s+(?:his|her|their|the)\s+"
    r"(?:left\s+|right\s+)?(?:arm|leg|hand|wrist|elbow)\b"
)
CHILD_LIMB_AGE_LIMIT = 8
RECTAL_OR_SWALLOWED_BODY = compile_phrases(
    r"\b(?:rectal|rectum|anal|vaginal|swallowed|ingested|oesophageal|esophageal)\b[^.;]{0,30}?\bforeign\s+bod(?:y|ies)\b",
    r"\bforeign\s+bod(?:y|ies)\b[^.;]{0,30}?\b(?:rectum|rectal|vagina|oesophagus|esophagus|stomach)\b",
)
IMPLANT = compile_phrases(r"\b(?:replacement|replaced|prosthe\w+|implant\w*)\b")
ON_ANTIBIOTICS = compile_phrases(r"\b(?:on|taking|been\s+on|course\s+of)\s+(?:oral\s+)?antibiotics\b")


# Coded findings that are also complaint categories (their free-text phrasings match both).
CODED_FINDING_COMPLAINTS = {
    "breathlessness": "breathlessness or wheeze",
    "allergic_reaction": "allergic reaction",
    "exertional_chest_pain": "chest pain",
    "worst_headache_gradual_onset": "severe headache or migraine",
}


def complaint_code(name: str) -> str:
    """A complaint category's code (triage.vocabulary): its name in snake case."""
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")


def estimate_resources(intake: Intake, news2: News2Result) -> ResourceEstimate:
    texts = texts_of(intake)
    types: set[str] = set()
    matched: list[str] = []
    coded = set(intake.complaints) | {
        complaint_code(CODED_FINDING_COMPLAINTS[f]) for f in intake.findings if f in CODED_FINDING_COMPLAINTS
    }
    for category in COMPLAINTS:
        if complaint_code(category.name) in coded or affirmed(find(category.pattern, texts)):
            matched.append(category.name)
            types.update(category.resources)
    if (
        "vaginal bleeding or pregnancy concern" in matched
        and affirmed(find(CONTRACEPTION_REQUEST, texts))
        and not affirmed(find(BLEEDING_OR_PAIN, texts))
    ):
        # Asking for emergency contraception is not a pregnancy complaint: a bedside pregnancy test is not a
        # resource (ESI handbook, Table 4-1) — unless there is bleeding or pain as well.
        matched.remove("vaginal bleeding or pregnancy concern")
        types = {t for name in matched for c in COMPLAINTS if c.name == name for t in c.resources}
    if "fever" in matched and intake.age >= ADULT_AGE:
        # An adult's fever is worked up with labs; most children's fevers with a focus need none.
        types.add(LAB)
    if affirmed(find(RED_AND_SWOLLEN, texts)) and (
        affirmed(find(INFECTION_CONTEXT, texts))
        or any(m.context != "negated" for m in find(IMPLANT, texts))  # a past operation still counts
    ):
        # A red, swollen area with a bite, scratch, pus, fever or implant: cellulitis or a joint infection,
        # worked up with labs and treated with IV antibiotics (ESI v4 handbook, Ch. 5, 9 and 10 cases).
        matched.append("skin or joint infection")
        types.update((LAB, PARENTERAL_MEDICATION))
    if "laceration or wound needing closure" in matched and intake.age < SCHOOL_AGE:
        # Below school age a laceration repair often needs procedural sedation: IV access, IV medication and
        # monitoring (ESI handbook 2020, Ch. 6 and Table 6-4) — two or more resources.
        types.update((PARENTERAL_MEDICATION, SIMPLE_PROCEDURE))
        types.add(IV_FLUIDS)
    if "fever" in matched and affirmed(find(ON_ANTIBIOTICS, texts)):
        # A fever despite oral antibiotics: outpatient treatment failed — labs and IV antibiotics.
        matched.append("fever despite antibiotics")
        types.update((LAB, PARENTERAL_MEDICATION))
    if "fever" in matched and affirmed(find(BREAST_INFECTION, texts)):
        # Mastitis with a fever: labs and IV antibiotics (ESI v4 handbook, Ch. 9 practice cases).
        matched.append("breast infection with fever")
        types.update((LAB, PARENTERAL_MEDICATION))
    if "fever" in matched and affirmed(find(COUGH, texts)):
        # Cough with fever: a chest X-ray on top of the labs (possible pneumonia).
        matched.append("cough with fever")
        types.update((LAB, XRAY))
    if intake.age < CHILD_LIMB_AGE_LIMIT and affirmed(find(CHILD_NOT_USING_LIMB, texts)):
        matched.append("a child not using a limb")
        types.add(XRAY)
    # The rules below add resources to what the table found; they are not complaints, so a presentation the
    # table does not recognise keeps its floor of two resources.
    recognised = bool(matched)
    if "abscess, foreign body or nosebleed" in matched and affirmed(find(RECTAL_OR_SWALLOWED_BODY, texts)):
        # A foreign body in the rectum or gut: a radiograph to locate it, then sedation to remove it or
        # surgery (ESI v4 handbook, Ch. 10 competency cases) — two or more resources.
        matched.append("foreign body in the rectum or gut")
        types.update((XRAY, PARENTERAL_MEDICATION))
    if affirmed(find(NAMED_XRAY, texts)):
        matched.append("radiograph named in the note")
        types.add(XRAY)
    if affirmed(find(STREP_SIGNS, texts)):
        matched.append("possible streptococcal infection (strep test)")
        types.add(LAB)
    if _fast_pulse(intake) and affirmed(find(POOR_FLUID_INTAKE, texts)):
        # IV fluids and the bloods that go with them (the handbook's case: "IV fluids and medication").
        matched.append("drinking too little with a fast pulse")
        types.update((IV_FLUIDS, LAB))
    count = _count(types)
    reasons: list[str] = []
    if not recognised:
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


def _fast_pulse(intake: Intake) -> bool:
    """A pulse above the ESI danger-zone limit for the age band (ESI v4 handbook, Ch. 5)."""
    return any(breach.parameter == "heart_rate" for breach in danger_zone_breaches(intake)[1])


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
