"""The safety-netting signs that keep a minor illness from self care, read whatever the illness.

Self-care pages name a minor illness and then list when to see a clinician after all; the lists repeat a
few kinds of sign from page to page, whatever the illness (NICE CKS safety-netting advice; NICE NG143's
traffic-light table for children; the "see a GP if" lists of nhs.uk self-care pages). Until engine 1.20.0
the engine read those signs page by page, tied to the illness, so an unread page's "see a GP" bullet went
to self care whenever it named the illness. These signs are read with any illness:

* effortful or fast breathing (NG143 amber and red: tachypnoea, nasal flaring, grunting, chest indrawing);
* a child's changed behaviour (NG143: not responding normally, wakes only with prolonged stimulation,
  decreased activity, a weak, high-pitched or continuous cry; poor feeding, reduced urine output);
* a course beyond the usual one (worse, not settling, lasting longer than a stated time, ongoing,
  recurring: NICE CKS; the engine's rule for this since 1.8.0, read here with the others since 1.23.3);
* a severity the page sets apart ("severe", "very painful", "large", "spreading");
* a very high temperature (40 °C or more; NG143 treats 39 °C from 3 to 6 months, and the engine sends any
  fever under 1 year to a clinician already);
* an age qualifier ("under 2 years old", "a young child or baby"): a page names an age only to send the
  youngest to a clinician.
* and a few signs that no minor illness explains: a child drooling with painful swallowing, a child's limp
  with a fever, a medicine whose warning signs are a sore throat, mouth ulcers or a fever (1.24.5).

They move ESI 5 self care to a consultation and nothing else: the acuity is unchanged, so a wrong reading
costs an appointment, never an emergency-department visit.
"""

from __future__ import annotations

import re

from triage.findings import fever_evidence
from triage.models import Intake
from triage.numbers import finite
from triage.phrases import any_affirmed, compile_phrases

# Behaviour and feeding signs are the NG143 signs of a child; in an adult's cold "not eating much" is usual.
CHILD_AGE_LIMIT = 16
NG143_AGE_LIMIT = 5  # NICE NG143's traffic-light table is for children under 5
AMBER_SPO2_AT_MOST = 95.0
OLDER_ADULT_AGE = 65

BREATHING_EFFORT = compile_phrases(
    r"\b(?:fast|rapid|quick|laboured|labored|noisy|difficult|hard|heavy)\s+breathing\b",
    r"\bbreathing\s+(?:is\s+|looks\s+|seems\s+|sounds\s+)?(?:very\s+|really\s+)?(?:fast|rapid|quick|quickly|"
    r"rapidly|laboured|labored|noisy|difficult|hard|heavy)\b",
    r"\b(?:working|struggling|trying)\s+(?:very\s+)?hard\s+to\s+breathe?\b",
    r"\bstruggling\s+(?:to|for)\s+breath\w*",
    r"\b(?:difficulty|trouble|problems?)\s+(?:with\s+)?breathing\b",
    r"\bshort(?:ness)?\s+of\s+breath\b",
    r"\bbreathless\w*",
    r"\bpanting\b",
    r"\bgrunt\w*",
    r"\bnostrils?\s+(?:are\s+|is\s+)?flar\w+",
    r"\bnasal\s+flaring\b",
    r"\b(?:drawing|sucking|pulling)\s+in\b[^.;]{0,40}?\b(?:ribs?|neck|chest|tummy|stomach)\b",
    r"\b(?:recession|retractions?|indrawing)\b",
    r"\bwheez\w*",
    r"\btachypn\w+",
    r"\bstridor\b",
    r"\b(?:high-?\s?pitched|harsh|rasping|squeaky|whistling|noisy)\s+(?:noise|sound)s?\s+(?:when\s+)?breathing\s+in\b",
)
CHILD_BEHAVIOUR = compile_phrases(
    r"\b(?:drowsy|drowsiness|sleepy|letharg\w+|floppy|listless)\b",
    r"\b(?:very|extremely|unusually|more)\s+irritable\b",
    r"\b(?:won'?t|will\s+not|can'?t|cannot|unable\s+to|not)\s+(?:be\s+)?(?:settle|settled|settling|comforted|consoled)\b",
    r"\binconsolabl\w+",
    r"\bcrying\s+and\s+won'?t\s+stop\b",
    r"\b(?:won'?t|will\s+not|doesn'?t|does\s+not|not)\s+stop\s+crying\b",
    r"\b(?:continuous|constant|high[- ]pitched|weak|unusual)\s+cry\w*",
    r"\bcry\s+(?:does\s+not|doesn'?t)\s+sound\b",
    r"\bnot\s+(?:responding|reacting)\s+(?:normally|to\s+you)\b",
    r"\bless\s+(?:active|responsive)\b",
    r"\bnot\s+(?:feeding|eating|drinking)\b",
    r"\b(?:feeding|eating|drinking)\s+(?:much\s+|a\s+lot\s+)?less\b",
    r"\b(?:fewer|less)\s+wet\s+nappies\b",
    r"\b(?:no|nil)\s+wet\s+(?:nappy|nappies|diapers?)\b",
    r"\bnot\s+(?:been\s+)?fed\s+for\b",
    r"\bdistressed\b",
    # More NG143 amber features in a parent's words: pallor the parent reports, no smile, waking only when shaken,
    # decreased activity, dry mouth or no tears, rigors, a swollen limb or joint, not bearing weight, poor feeding
    # (under half the usual feeds: NICE NG9), no urine.
    r"\b(?:looks?|looking|seems?|gone|is)\s+(?!not\b|never\b)(?:\w+\s+)?(?:paler|pale)\b",
    r"\bnot\s+(?:really\s+)?smiling\b",
    r"\bnot\s+(?:\w+\s+)?(?:her|his|their)\s+usual\s+self\b",
    r"\bonly\s+wakes?\s+(?:up\s+)?(?:if|when)\b",
    r"\b(?:hard|difficult)\s+to\s+wake\b",
    r"\bnot\s+(?:moving\s+(?:around\s+)?much|playing)\b(?!\s+(?:football|rugby|netball|tennis|sport|sports|games|outside|"
    r"the\s+\w+|at\s+(?:school|the|his|her)|in\s+\w+))",
    r"\bvery\s+quiet\b",
    r"\bdry\s+(?:mouth|lips|tongue|mucous\s+membranes)\b",
    r"\bno\s+tears\b",
    r"\blips\s+(?:are\s+)?(?:cracked|dry)\b",
    r"\b(?:shaking\s+episodes|uncontrollable\s+shivering)\b",
    r"\b(?:knee|ankle|hip|elbow|wrist|joint|leg|arm)\s+(?:is\s+)?(?:swollen|swelling)\b",
    r"\b(?:won'?t|will\s+not|can'?t|cannot|not)\s+(?:put|bear|take)\s+(?:any\s+)?weight\b",
    r"\b(?:only\s+)?taking\s+(?:about\s+)?(?:half|a\s+third|less\s+than\s+half)\s+(?:of\s+)?(?:her|his|their)\s+(?:usual\s+|normal\s+)?feeds?\b",
    r"\b(?:hasn'?t|has\s+not|not)\s+(?:passed\s+urine|had\s+a\s+wet\s+nappy|weed|peed)\b",
    r"\bnot\s+(?:weeing|peeing|passing\s+urine)\b",
    r"\b(?:feeding|eating|drinking)\s+poorly\b",
    r"\boff\s+(?:her|his|their)\s+(?:feeds?|milk|food)\b",
    r"\brefus\w+\s+(?:\w+\s+)?(?:bottles?|feeds?|the\s+breast|milk)\b",
    r"\b(?:crackles|crepitations|creps)\b",
    r"\b(?:swollen|hot|warm)\s+(?:(?:and|,)\s*(?:swollen|hot|warm)\s+)?(?:knee|ankle|hip|joint|elbow|wrist)\b",
    r"\b(?:won'?t|will\s+not|can'?t|cannot|refus\w+\s+to)\s+walk\b",
)
# A minor illness that is not following its usual course: worse, not settling, or lasting beyond its
# expected time (NICE CKS safety-netting for sore throat, common cold and cough; nhs.uk: see a GP if a
# cough lasts more than 3 weeks, a sore throat is not improving after a week).
NOT_SETTLING = compile_phrases(
    r"\bnot\s+(?:improving|getting\s+better|settling|going\s+away|clearing\s+up)\b",
    r"\b(?:aren'?t|isn'?t|haven'?t|hasn'?t|are\s+not|is\s+not|has\s+not|have\s+not)\s+(?:improv\w+|got(?:ten)?\s+better|"
    r"gone\s+away|settled|cleared\s+up)\b",
    r"\b(?:getting|got|get|gets|becoming|became)\s+(?:much\s+|a\s+lot\s+|suddenly\s+|quickly\s+|rapidly\s+)?worse\b",
    r"\b(?:persist\w*|last\w*|gone\s+on)\s+(?:for\s+)?(?:more|longer)\s+than\s+(?:\d+|a|one|two|three|four|five|six)\s+"
    r"(?:weeks?|months?)\b",
    r"\b(?:for|over)\s+(?:more\s+than\s+)?(?:[3-9]|three|four|five|six|several)\s+weeks\b",
    r"\bkeeps?\s+coming\s+back\b",
    r"\b(?:still|despite)\b[^.;]{0,40}?\b(?:after|despite)\s+trying\s+(?:home\s+)?(?:treatments?|remedies)\b",
    r"\blasts?\s+(?:for\s+)?more\s+than\s+(?:two|2|three|3)\s+days\b",
    r"\bpersist\w*\s*>\s*(?:a\s+)?few\s+days\b",
    r"\bdespite\s+self-?care\b",
    r"\bfor\s+a\s+few\s+(?:weeks|wks)\b",
    r">\s*2\s*(?:days|d)\b",
    r"\bfor\s+more\s+than\s+a\s+(?:few|couple\s+of)\s+days\b",
    r"\b(?:don'?t|do\s+not|doesn'?t|does\s+not|didn'?t|did\s+not)\s+clear\s+up\b",
    r"\bpersistent\b",
    r"\b(?:can'?t|cannot)\s+get\s+rid\s+of\b",
    r"\b(?:rash|redness|swelling|it)\s+(?:is\s+)?spreading\b",
    # Worse since yesterday's treatment: "treated yesterday … the rash is worse and spreading today".
    r"\b(?:worse|spreading)\s+(?:and\s+(?:worse|spreading)|today|than\s+(?:yesterday|before))\b",
    r"\bdespite\s+(?:\w+\s+){0,2}?(?:treatment|antibiotics|cream|medication|medicine)\b",
    # In a clinician's shorthand: "recurrent", "worsening", "not resolved", "sx >3 wks", "duration >7 days".
    r"\brecurrent\b",
    r"\b(?:worsening|deteriorating)\b",
    r"\bnot\s+(?:resolved|improved|settled|settling)\b",
    r"\b(?:sx|symptoms)\s+persist\w*\b",
    r">\s*(?:[3-9]|\d{2,})\s*(?:wks?|weeks?|months?|mths?)\b",
    # Shorthand durations of three weeks or more: "cough 3/52", "6/12" (nhs.uk Cough: see a GP after 3 weeks).
    # Weeks only: "/12" is also an infant's age and a date ("9/12 daughter", "since 3/12/2024"). Not an age in weeks
    # ("infant 5/52"), a review date or a time ago.
    r"(?<=[a-z,]\s)(?<!infant\s)(?<!baby\s)(?<!aged\s)(?<!age\s)(?<!is\s)(?<!pt\s)(?<!for\s)(?<!in\s)(?<!LMP\s)(?<!boy\s)(?<!girl\s)"
    r"(?<!son\s)(?<!child\s)(?:[3-9]|[1-9]\d)/52\b"
    r"(?!\s*(?:ago|old|infant|baby|boy|girl|male|female|review|appointment|follow|gestation|pregnant|postpartum|post-partum|"
    r"postnatal|post-natal|of\s+this|M\b|F\b))",
    r"\bduration\s*>\s*(?:a\s+few|[3-9]|\d{2,})\s*(?:days?|d)?\b",
    r">\s*a\s+few\s+days\b",
    r"\b(?:lasted|lasting|for)\s+(?:for\s+)?(?:[5-9]|\d{2,}|five|six|seven)\s+days\s+or\s+(?:more|longer)\b",
    r"\b(?:doesn'?t|does\s+not|won'?t|will\s+not)\s+(?:come|go)\s+down\b",
    r"\b(?:does|do|did)\s+not\s+(?:start\s+to\s+)?(?:get\s+better|go\s+away|improve)\b",
    r"\b(?:doesn'?t|don'?t|didn'?t)\s+(?:start\s+to\s+)?(?:get\s+better|go\s+away|improve)\b",
    r"\b(?:has\s+not|hasn'?t|have\s+not|haven'?t|not)\s+(?:started\s+to\s+)?heal(?:ed|ing)?\b",
    r"\b(?:regular|recurrent|recurring|frequent|repeated)\s+(?:nose\s*bleeds|headaches|episodes|attacks|(?:\w+\s+)?infections)\b",
    # Longer than its usual week, or not yet starting to heal ("sx >1 wk", "not subsided within 1 wk",
    # "prolonged"; nhs.uk: see a GP if flu, a cold sore or swollen glands are not better after a week or 10 days).
    r"\b(?:more|longer)\s+than\s+(?:a|one|1)\s+(?:week|wk)\b",
    r">\s*(?:1|2)\s*(?:wks?|weeks?)\b",
    r"\bprolonged\b",
    r"\bnot\s+(?:resolv\w+|subsid\w+|heal\w*|clear\w*)\s+(?:within|after|in)\b",
    r"\bnot\s+(?:starting|started|beginning)\s+to\s+(?:heal|improve|get\s+better|settle|clear)\b",
    # A fever for 5 days or more (NICE NG143: amber; nhs.uk Fever in children: see a GP), also in shorthand.
    r"\b(?:fever|temperature|temp|pyrexia)\b[^.;,]{0,20}?(?:for\s+(?:more\s+than\s+|over\s+)?|>=?\s*|≥\s*|(?<=[a-z])\s+)"
    r"(?:[5-9]|1\d|five|six|seven)\s*(?:d|days)\b(?!\s+ago)",
    # Months: no minor illness lasts that long ("knee pain for 4 months", "tired for 2 months", "x3 mo").
    r"\b(?:for|over|x)\s*(?:(?:the\s+)?(?:last|past)\s+)?(?:\d+|a\s+few|few|several|many|two|three|four|five|six)\s*"
    r"(?:months?|mos?|mths?)\b",
    r"\b(?:more|longer)\s+than\s+(?:\d+|a|an|one|two|three|four|five|six|seven|ten|several|a\s+few)\s+(?:to\s+\d+\s+)?"
    r"(?:days?|weeks?|months?)\b",
    r"\bfor\s+a\s+long\s+time\b",
    r"\blong[- ]lasting\b",
    r"\bongoing\b",
    r"\bkeeps?\s+(?:getting|having|coming\s+back)\b",
    r"\brecurr\w+",
    r"\bagain\s+and\s+again\b",
    r"\bmaking\s+[^.;]{0,30}?\bworse\b",
    # The same in a clinician's note: "fever >3 days", "sticky eyes ≥2 wks".
    r"(?:>|≥|>=)\s*\d+\s*(?:-\s*\d+\s*)?(?:days?|d|weeks?|wks?|w|months?|mo)\b",
)
# Pain or fever that the usual medicines do not control (nhs.uk: see a GP if painkillers do not help).
MEDICINE_DOES_NOT_HELP = compile_phrases(
    r"\b(?:not|isn'?t|aren'?t|wasn'?t|hasn'?t\s+been|not\s+being)\s+(?:relieved|controlled|helped|eased|settled)\s+(?:by|with)\b",
    r"\b(?:despite|even\s+with|even\s+after)\s+(?:taking\s+|regular\s+)?(?:painkillers?|pain\s+relief|analgesi\w+|"
    r"paracetamol|ibuprofen|calpol)\b",
    r"\b(?:painkillers?|pain\s+relief|analgesi\w+|paracetamol|ibuprofen|medicines?)\s+(?:do|does|did)\s*(?:n'?t|\s+not)\s+"
    r"(?:help|work|touch)\b",
    r"\b(?:does|did|do)\s*(?:n'?t|\s+not)\s+come\s+down\s+(?:with|after)\b",
    r"\bnot\s+(?:respond\w*|responsive)\s+to\s+(?:\w+\s+)?(?:painkillers?|pain\s+relief|analgesi\w+|paracetamol|ibuprofen|"
    r"calpol|medicines?|medication|treatment)\b",
)
# Symptoms that stop the patient's daily life (nhs.uk Sciatica, Anxiety: see a GP if it affects daily life).
STOPS_DAILY_LIFE = compile_phrases(
    r"\b(?:stopping|stops|preventing|prevents|affecting|affects|interfering\s+with|impacting|limiting)\s+(?:you\s+|me\s+|them\s+|"
    r"him\s+|her\s+)?(?:from\s+)?(?:doing\s+)?(?:your\s+|their\s+|his\s+|her\s+|my\s+)?(?:normal\s+|usual\s+|daily\s+|"
    r"day-to-day\s+)(?:activities|life|living|functioning|routine|ADLs?)\b",
)
SET_APART_SEVERITY = compile_phrases(
    r"\bsevere(?:ly)?\b",
    r"\b(?:very|extremely|really|excessively|unusually|particularly)\s+(?:painful|swollen|large|big|red|dark|"
    r"uncomfortable|unwell|ill|poorly|sick|weak|distressed|tired)\b",
    r"\b(?:feel|feels|feeling)\s+weak\b",
    r"\blarge\b",
    r"\bspreading\b",
    r"\bmuch\s+(?:less|more)\s+than\s+(?:normal|usual)\b",
    r"\bsystemically\s+unwell\b",
)
VERY_HIGH_TEMPERATURE = compile_phrases(
    r"\b(?:4[0-2])(?:[.,]\d)?\s*(?:°|degrees?)",
    r"\bvery\s+high\s+(?:temperature|fever)\b",
    r"\btemperature\s+(?:is\s+)?very\s+high\b",
)
# A child who drools or dribbles and finds swallowing painful: not teething or a simple sore throat (NICE CKS Sore
# throat - acute: drooling and difficulty swallowing are features of epiglottitis or a peritonsillar abscess).
DROOLING_WITH_PAINFUL_SWALLOWING = compile_phrases(
    r"\b(?:drool\w*|dribbl\w*)\b[^.]{0,60}?\b(?:hurts?|pain\w*|sore|difficult\w*|struggl\w+)\b[^.]{0,20}?\bswallow\w*",
    r"\b(?:hurts?|pain\w*|sore|difficult\w*|struggl\w+)\b[^.]{0,20}?\bswallow\w*\b[^.]{0,60}?\b(?:drool\w*|dribbl\w*)",
)
# Medicines whose warning signs are a sore throat, mouth ulcers, bruising or a fever (MHRA: carbimazole and
# agranulocytosis; BNF: methotrexate, clozapine, azathioprine blood disorders; NICE CKS): a minor-sounding symptom
# on them is seen by a clinician, not treated at home.
MARROW_SUPPRESSING_MEDICINE = compile_phrases(
    r"\b(?:methotrexate|carbimazole|propylthiouracil|clozapine|azathioprine|mercaptopurine|sulfasalazine|leflunomide|"
    r"mycophenolate|chemo\w*|immunosuppress\w+)\b"
)
# A child's limp (NICE CKS Acute childhood limp: with a fever, same-day assessment for septic arthritis).
LIMP = compile_phrases(r"\blimp(?:s|ing|ed)?\b(?!\s+and\s+(?:floppy|unresponsive))")
YOUNG_AGE_QUALIFIER = compile_phrases(
    r"\b(?:under|younger\s+than|less\s+than|aged\s+under)\s+(?:\d+|one|two|three|four|five|six|twelve)\s+"
    r"(?:months?|years?|yrs?)\b",
    r"\byoung\s+(?:child|children|baby|babies|infants?)\b",
    r"(?:<|under)\s*\d+\s*(?:y|yrs?|years?|m|mo|months?)\b(?!\s*(?:ago|since))",
)

_SIGNS: tuple[tuple[re.Pattern[str], str, bool], ...] = (
    (NOT_SETTLING, "worse, not settling, lasting longer than usual or coming back (NICE CKS safety-netting)", False),
    (BREATHING_EFFORT, "fast or effortful breathing (NICE NG143)", False),
    (CHILD_BEHAVIOUR, "a child who is drowsy, unsettled or not feeding (NICE NG143)", True),
    (DROOLING_WITH_PAINFUL_SWALLOWING, "a child drooling with painful swallowing (NICE CKS Sore throat)", True),
    (MEDICINE_DOES_NOT_HELP, "pain or fever that the usual medicines do not control", False),
    (STOPS_DAILY_LIFE, "symptoms that stop daily activities", False),
    (SET_APART_SEVERITY, "a severity the self-care advice sets apart (severe, very painful, large, spreading)", False),
    (VERY_HIGH_TEMPERATURE, "a temperature of 40 °C or more", False),
    (YOUNG_AGE_QUALIFIER, "an age the self-care advice sets apart (a young child or baby)", False),
    (MARROW_SUPPRESSING_MEDICINE, "a medicine whose warning signs include a sore throat, mouth ulcers or fever", False),
)


def safety_net_sign(intake: Intake, texts: tuple[tuple[str, str], ...]) -> str:
    """The first safety-netting sign the texts affirm, as a reason; "" when there is none."""
    child = intake.age < CHILD_AGE_LIMIT
    for pattern, reason, children_only in _SIGNS:
        if children_only and not child:
            continue
        if any_affirmed(pattern, texts):
            return reason
    return _amber_vital_sign(intake) or _older_adult_fever(intake, texts) or _child_limp_with_fever(intake, texts)


def _amber_vital_sign(intake: Intake) -> str:
    """A measured NICE NG143 amber vital sign in a child under 5: SpO2 95 % or less, or a heart rate or breathing
    rate above the amber threshold for the age."""
    if intake.age >= NG143_AGE_LIMIT:
        return ""
    months = intake.age * 12 + intake.age_months
    vitals = intake.vitals
    spo2, heart_rate, breathing = finite(vitals.spo2), finite(vitals.heart_rate), finite(vitals.respiratory_rate)
    if spo2 is not None and spo2 <= AMBER_SPO2_AT_MOST:
        return "oxygen saturation of 95 % or less in a child under 5 (NICE NG143 amber)"
    heart_limit = 160.0 if months < 12 else 150.0 if months < 24 else 140.0
    if heart_rate is not None and heart_rate > heart_limit:
        return f"a heart rate above {heart_limit:g} at this age (NICE NG143 amber)"
    breathing_limit = 50.0 if months < 12 else 40.0
    if breathing is not None and breathing > breathing_limit:
        return f"a breathing rate above {breathing_limit:g} a minute at this age (NICE NG143 amber)"
    return ""


def _older_adult_fever(intake: Intake, texts: tuple[tuple[str, str], ...]) -> str:
    """A fever at 65 or older: self-care pages for chest infections and flu send this age to a GP (nhs.uk)."""
    if intake.age >= OLDER_ADULT_AGE and fever_evidence(intake, texts):
        return "a fever at 65 or older (nhs.uk Chest infection, Flu: see a GP)"
    return ""


def _child_limp_with_fever(intake: Intake, texts: tuple[tuple[str, str], ...]) -> str:
    """A child with a limp and a fever: possible septic arthritis, seen the same day (NICE CKS Acute childhood limp)."""
    if intake.age < CHILD_AGE_LIMIT and any_affirmed(LIMP, texts) and fever_evidence(intake, texts):
        return "a limp with a fever in a child (NICE CKS Acute childhood limp)"
    return ""
