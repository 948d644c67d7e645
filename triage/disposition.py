"""ESI acuity → disposition, in the five-level vocabulary clients already speak (Infermedica's triage_level).

ESI 1 → emergency_ambulance. ESI 2 → emergency, or emergency_ambulance when a red flag is one for which
travelling without an ambulance is unsafe (stroke, cardiac chest pain, anaphylaxis, overdose, C-SSRS
intent/plan, …) or an adult's NEWS2 is ≥ 7. ESI 3 → consultation_24, or emergency when a "consider
ESI 2" prompt applies (danger-zone vitals, severe pain rating) or an adult's NEWS2 is ≥ 5 (RCP: urgent
assessment). ESI 4 → consultation. ESI 5 → self_care for a minor illness with no red flag — the
conditions NICE Clinical Knowledge Summaries and NHS 111 manage with self-care advice and safety-netting
(colds, sore throat, earache, conjunctivitis, minor skin complaints, uncomplicated back pain) — but
consultation when the request needs a clinician (a prescription, a certificate, a wound check,
emergency contraception), when the patient is under 3 months old (NICE NG143: any illness in a young
infant is assessed by a clinician), when a "consider ESI 2" prompt applies (a patient in severe pain
is never told that no consultation is needed), when the immune system is weakened, or when the text
holds a safety-netting sign that self-care pages list whatever the illness, such as an illness that is
not following its usual course — worse, not settling, or lasting beyond its expected time (NICE CKS
safety-netting; triage/safety_net.py).
"""

from __future__ import annotations

import re

from triage.findings import FEVER_FROM_C
from triage.models import Disposition, EsiTrail, Intake, News2Result, RedFlag
from triage.phrases import affirmed, any_affirmed, compile_phrases, find, present, texts_of
from triage.red_flags import (
    DENTAL_PAIN,
    FEVER,
    IMMUNOCOMPROMISED,
    PHOTOPHOBIA,
    PREGNANT,
    RED_EYE,
    SORE_THROAT_OR_SWALLOWING,
)
from triage.safety_net import safety_net_sign

BY_ACUITY: dict[int, Disposition] = {
    1: "emergency_ambulance",
    2: "emergency",
    3: "consultation_24",
    4: "consultation",
    5: "self_care",
}
ADULT_AGE = 16
# Alarm features that take any complaint out of self care (NICE NG12, suspected cancer: recognition and
# referral; NICE CKS Dyspepsia, Menorrhagia): unexplained weight loss, difficulty swallowing, a lump,
# anaemia, bleeding between periods or after sex, a changed period pattern, a skin lesion that bleeds or
# changes, recurring symptoms from 55 years.
ALARM_FEATURES = compile_phrases(
    r"\b(?:lost|losing|loss\s+of)\s+(?:a\s+lot\s+of\s+)?weight\b",
    r"(?<!intentional\s)(?<!planned\s)\bweight\s+loss\b(?!\s+(?:injections?|jabs?|drugs?|medication|programme|program|"
    r"surgery|plan|advice|goal))",
    # A weight lost without trying (not on a diet).
    r"\b(?:lost|losing)\s+(?:about\s+|around\s+|nearly\s+|almost\s+|over\s+|~\s*)?\d+(?:\.\d+)?\s*(?:pounds|lbs?|kg|kilos?|"
    r"kilograms?|stones?)\b(?=[^.;]{0,30}\b(?:without\s+(?:trying|dieting|meaning\s+to)|unintentional\w*|not\s+trying)\b)",
    # Night sweats: a systemic symptom that NICE NG12 lists with lymphoma and that NICE CKS lists among the red
    # flags of back pain (infection, cancer).
    r"\bnight\s+sweats\b",
    r"\b(?:difficulty|trouble)\s+swallowing\b",
    r"\bdysphagia\b",
    r"\blump\b",
    r"\ban(?:a)?emi\w+",
    r"\bbleeding\s+(?:between\s+periods|after\s+(?:having\s+)?sex)\b",
    r"\b(?:periods?|pattern\s+of\s+periods)\s+(?:\w+\s+){0,2}?(?:changes?|heavier|irregular)\b",
    r"\b(?:bleeds|bleeding)\s+or\s+changes\b",
    r"\b(?:changes?|changed|changing)\s+(?:in\s+)?(?:the\s+)?(?:how\s+it\s+looks|shape|colou?r|size)\b",
    # nhs.uk and NHS inform "see a GP" signs of minor complaints: sleep or mood affected, hearing lost, skin
    # that changes or hurts, a changed walk, night pain, a band of pain round the body, osteoporosis or steroids
    # with back pain (NICE CKS Low back pain red flags).
    r"\b(?:affect\w*|disturb\w*|disrupt\w*)\s+(?:\w+\s+){0,2}?sleep\b|\bsleep\s+is\s+(?:\w+\s+)?(?:affected|disturbed)\b",
    r"\banxious\s+(?:or|and)\s+depressed\b|\b(?:feel|feeling|making\s+you)\s+(?:anxious|depressed)\b",
    r"\b(?:can'?t|cannot|unable\s+to)\s+hear\b",
    r"\bskin\s+around\s+\w+(?:\s+\w+)?\s+(?:changes|is\s+painful)\b",
    r"\b(?:disturbance|change)\s+to\s+(?:your\s+|his\s+|her\s+|their\s+)?(?:normal\s+)?walk\b|\bunsteadiness\b",
    r"\b(?:worse|worsens|remains)\s+(?:\w+\s+){0,2}?(?:when\s+)?lying\s+down\b",
    r"\bband-?like\b",
    r"\bperianal\s+(?:skin\s+changes|pain)\b",
    r"\bcausing\s+(?:anxiety|low\s+mood|distress)\b",
    r"\bchange\s+in\s+(?:\w+\s+)?shape\b",
    r"\b(?:osteoporosis|long-?term\s+steroids?|steroid\s+use)\b",
    r"\bbleeds\b",
    r"\b(?:bigger|larger)\s+than\s+usual\b",
    r"\bdifferent\s+(?:to|from)\s+(?:other|the\s+usual|usual)\b",
    r"\bangio-?o?edema\b",
    r"\bswelling\s+under\s+(?:your\s+|the\s+)?skin\b",
    # Infection of a minor complaint, and signs in a painful limb (NICE CKS Shoulder pain red flags).
    r"\bsigns?\s+of\s+(?:an\s+)?infection\b",
    r"\b(?:becomes?|getting|got)\s+more\s+painful\b",
    r"\bno\s+feeling\b",
    r"\bpins\s+and\s+needles\b",
    r"\b(?:hot|cold)\s+(?:or\s+(?:hot|cold)\s+)?to\s+(?:the\s+)?touch\b",
    r"\b(?:very\s+)?(?:difficult|hard)\s+to\s+move\b",
    r"\b(?:can'?t|cannot|unable\s+to|not\s+able\s+to|inability\s+to)\s+move\s+(?:your\s+|his\s+|her\s+|my\s+|their\s+|the\s+)?"
    r"(?:hip|leg|arm|knee|shoulder|joint|foot|hand|neck)\b",
    r"\b(?:unable|not\s+able|can'?t|cannot)\s+(?:to\s+)?(?:weight[- ]?bear|bear\s+weight|put\s+weight)\w*",
    # Bleeding from anywhere but the nose or the gums (a nosebleed and gums that bleed on brushing are self care).
    r"(?<!nose\s)(?<!nose\swas\s)(?<!nose\sis\s)(?<!gums\s)\bbleeding\b(?!\s+(?:from\s+(?:the\s+|my\s+|his\s+|her\s+|"
    r"their\s+)?(?:nose|nostrils?|gums)|gums|nose))",
    # Joint pain that is the result of an injury or a fall (healthdirect Hip pain: see a doctor).
    r"\b(?:result\s+of|caused\s+by|after|following)\s+(?:an?\s+)?(?:injury|fall)\b",
    r"\bdifficulty\s+moving\b",
    r"\bstops?\s+(?:you|him|her|them)\s+(?:from\s+)?moving\b",
    r"\b(?:become|becomes|became|feel|feels|feeling)\s+(?:generally|very|really)\s+unwell\b",
    r"\bgenerally\s+unwell\b",
    r"\bunwell\s+in\s+general\b",
    r"\baffect\w*\s+(?:your\s+|his\s+|her\s+|their\s+|my\s+)?daily\s+life\b",
    r"\bcaus\w+\s+(?:you\s+|him\s+|her\s+|them\s+)?distress\b",
    r"\b(?:absent|no|loss\s+of)\s+sensation\b",
    r"\bchang\w+\s+in\s+appearance\b",
    r"\bbleeding\s+or\s+chang\w+",
    # A minor complaint that is severe, affects sight, stops a person walking, or comes with a hard, fixed or
    # growing lump is not minor (NICE CKS safety-netting; NICE NG12 for lymph nodes).
    r"\b(?:severe|severely|intense|unbearable|excruciating|agonising|agonizing)\b",
    r"\bvery\s+(?:painful|sore|swollen|bad|weak)\b",
    r"\baffect\w*\s+(?:\w+\s+){0,2}?(?:vision|sight|eyesight)\b",
    r"\b(?:vision|sight|eyesight)\s+(?:is\s+)?(?:affected|blurred|blurry|changed|worse)\b",
    r"\b(?:difficulty|trouble)\s+walking\b",
    r"\b(?:can'?t|cannot|unable\s+to)\s+walk\b",
    r"\b(?:glands?|nodes?|lumps?|lymphadenopathy)\b[^.;]{0,30}?\b(?:hard|fixed|enlarg\w+|growing|getting\s+bigger)\b",
    r"\b(?:supra|infra)-?\s*(?:or\s+(?:supra|infra)-?\s*)?clavicular\b",
    r"\bbecom\w+\s+more\s+painful\b",
    # Unexplained: no cause and no other sign of illness (nhs.uk Itchy skin, Swollen glands; NICE NG12).
    r"\bunexplained\b",
    # Bleeding from the bottom or blood in the stool or urine (NICE NG12), a sudden large swelling or a pop in a
    # joint, a joint that will not bend (nhs.uk Knee pain: go to A&E), an open sore on the skin (NICE NG19).
    r"\bblood\s+in\s+(?:the\s+|his\s+|her\s+|my\s+|their\s+)?(?:stools?|poo|faeces|urine|pee|wee)\b",
    r"\b(?:rectal|PR)\s+bleed\w*",
    r"\bbleeding\s+from\s+(?:the\s+|his\s+|her\s+|my\s+|their\s+)?(?:bottom|back\s+passage|rectum|anus)\b",
    r"\b(?:huge|massive|big|a\s+lot\s+of)\s+swelling\b",
    r"\b(?:heard|felt)\s+a\s+(?:pop|snap|crack)\b",
    r"\b(?:can'?t|cannot|unable\s+to)\s+(?:bend|straighten)\b",
    r"\bopen\s+(?:sore|wound)\b",
    r"\b(?:skin|foot|leg)\s+ulcers?\b",
    r"\bno\s+(?:obvious|apparent|clear|known)\s+(?:cause|reason)\b",
    r"\bno\s+other\s+(?:signs?|symptoms?)\s+of\s+(?:\w+\s+){0,2}?(?:illness|infection)\b",
    r"\bchang\w*\s+in\s+(?:\w+\s+){0,2}?(?:pattern\s+of\s+periods|periods?|menstrual\s+pattern)\b",
    r"\bmenses\s+(?:\w+\s+){0,2}?(?:heavier|irregular)\b",
    r"\b(?:warmth|warm)\b[^.;]{0,30}?\b(?:skin|around|spot|area)\b",
)
# People the self-care advice for a minor illness excludes: a long-term condition of the heart, lungs,
# kidneys or liver, any long-term condition, or pregnancy (red_flags.PREGNANT; nhs.uk Flu and Chickenpox: see a
# GP). Read in any context but a negated or a relative's one: "history of heart disease" counts.
RISK_GROUP = compile_phrases(
    r"\blong[- ]term\s+(?:\w+\s+)?(?:condition|illness|disease)s?\b",
    r"\bunderlying\s+(?:\w+\s+)?(?:condition|disease|illness)s?\b",
    r"\b(?:heart|lung|cardiac|pulmonary|kidney|renal|liver)\s+(?:or\s+(?:heart|lung|cardiac|pulmonary|kidney|renal|liver)\s+)?"
    r"(?:disease|condition|problem|failure)s?\b",
    r"\b(?:COPD|diabet\w+|heart\s+failure|emphysema)\b",
    r"\b(?:sickle\s+cell|thalassa?emia|neuropathy)\b",
)
# A suspected broken bone (not a toe or a rib, which nhs.uk leaves to self care or a GP) needs an X-ray and a
# splint the same day: an emergency department or urgent treatment centre (nhs.uk Broken arm or wrist, Broken
# leg, Broken ankle). An open fracture with a pulse beyond it stays ESI 3 (ESI handbook 2020, Ch. 9 practice
# cases): this rule still sends it to the emergency department.
SUSPECTED_FRACTURE = compile_phrases(
    r"\b(?:broken|broke|fractured?)\s+(?:(?:his|her|my|their|your|a|the|left|right|L|R)\s+)?(?:bones?|arms?|legs?|"
    r"wrists?|ankles?|hips?|collar\s*bones?|shoulders?|elbows?|knees?|femur|tibia|fibula|humerus|radius|ulna|pelvis|"
    r"foot|feet|hands?|fingers?|thumbs?|nose|jaw|kneecap)\b(?!\s*nails?)",
    # "?fx" reads as "? fracture" (triage/abbreviations.py). Not a toe or a rib.
    r"(?:\b(?:suspected|possible|probable)\s*|\?\s*)(?:fractures?|broken\s+bones?)\b(?![^.;]{0,25}\b(?:toes?|ribs?)\b)",
    r"\b(?:arm|leg|wrist|ankle|hip|femur|tibia|fibula|humerus|radius|ulna|clavicle|collarbone|elbow|knee)\s+fracture\b",
    r"\b(?:bad|nasty|open|compound)\s+(?:break|fracture)\b",
    r"\bbone\s+(?:is\s+)?(?:visible|sticking\s+out|poking\s+out|showing)\b",
    r"\bbone\s+(?:\w+\s+){0,2}?through\s+the\s+skin\b",
    # A leg that is shorter and turned out after a fall: a broken hip (NICE CG124; nhs.uk Hip fracture).
    r"\b(?:leg|foot)\s+(?:\w+\s+){0,3}?(?:shortened|shorter\s+and\s+(?:turned|rotated)|turned\s+out(?:wards)?|externally\s+rotated|"
    r"rotated\s+out\w*)\b",
    r"(?:#\s*NOF\b|\bNOF\s*(?:#|fracture)|\b(?:neck\s+of\s+femur|hip)\s+(?:#|fracture)|\bfractured\s+neck\s+of\s+femur\b)",
    r"\bopen\s+#",
    r"(?:\b(?:fell|fallen|had\s+a\s+fall)|(?<!'ll\s)(?<!will\s)(?<!might\s)(?<!to\s)\bfall(?!\s+asleep))\b[^.;]{0,40}?\bhip\b[^.;]{0,40}?\b(?:can'?t|cannot|"
    r"unable\s+to|not\s+able\s+to)\s+(?:weight[- ]?bear|bear\s+weight|put\s+weight|stand|walk|get\s+up)\b"
    r"(?!\s+(?:far|very\s+far))",
    r"\bleg\s+(?:\w+\s+){0,2}?shorter\b[^.;]{0,40}?\b(?:after|since)\s+(?:the|a|her|his)\s+fall\b",
)
# A dislocated joint is put back in hospital (nhs.uk Dislocated shoulder, Dislocated kneecap: go to A&E); not an old,
# recurrent or feared one, nor one already put back.
DISLOCATION = compile_phrases(
    r"\bdislocat(?:ed|ion\s+of)\s+(?:(?:his|her|my|their|your|a|the|left|right|L|R)\s+)?(?:shoulder|elbow|hip|knee|kneecap|"
    r"patella|finger|thumb|jaw|ankle|wrist)s?\b",
    r"\b(?:shoulder|elbow|hip|knee|kneecap|patella|finger|thumb|jaw|ankle|wrist)\s+dislocation\b",
)
OLD_DISLOCATION = compile_phrases(
    r"\b(?:ago|old|in\s+the\s+past|before|previous\w*|recurrent|risk|fear\w*|worried|popped\s+(?:it\s+)?back|put\s+back|"
    r"relocated|reduced|x\s*\d|\d+\s*x|times|last\s+(?:week|month|year)|physio\w*|check|scan|DDH|clicky|click\w*|"
    r"back\s+in|straight(?:ened)?|referred|yesterday|follow-?\s?up|occasionally|went\s+back|on\s+its\s+own|hypermobile|"
    r"january|february|march|april|may|june|july|august|september|october|november|december|christmas|summer|winter|"
    r"spring|autumn|(?:19|20)\d\d)\b",
)
# A fracture already known and cared for (a cast, a fit note, a follow-up) or from the past is not sent back.
KNOWN_FRACTURE = compile_phrases(
    r"\b(?:cast|plaster|fit\s+note|sick\s+note|fracture\s+clinic|follow-?\s?up|healed|healing|last\s+(?:week|month|year)|"
    r"(?:weeks|months|years)\s+ago)\b",
)
# A clinician's signs of an inflamed peritoneum: guarding, rebound tenderness, peritonism. The ESI handbook keeps
# them at ESI 3 (a young man with right-lower-quadrant pain, guarding: ESI 3), and NICE CKS Appendicitis refers
# them to hospital immediately: an emergency department, not a GP tomorrow.
PERITONISM = compile_phrases(
    r"\b(?:rebound\s+(?:tenderness|pain)|peritonism|peritonitic)\b",
    # Guarding as an examination sign, not the verb ("guarding a site", "guarding her baby").
    r"\b(?:voluntary|involuntary|abdominal|localised|localized|RIF|RLQ|LIF|LLQ|RUQ|LUQ)\s+guarding\b",
    r"\bguarding\s+(?:of\s+)?(?:his|her|their|the|my)?\s*(?:abdomen|abdo|abd|belly|tummy|stomach)\b",
    r"\b(?:abdo\w*|abdominal|abd|tummy|belly|stomach|RIF|LIF|RUQ|LUQ|RLQ|LLQ|iliac\s+fossa|epigastri\w+|suprapubic)\b"
    r"(?:(?!\b(?:no|not|nil|without|non)\b)[^.;]){0,30}?\bguarding\b(?!\s*(?:none|nil|absent|-\s*ve|negative)\b)",
)
# Not being able to pass urine at all: acute urinary retention needs a catheter today (nhs.uk Urinary
# retention: go to A&E). Not "can't pee much" or "without pain" (a urinary infection).
URINARY_RETENTION = compile_phrases(
    r"\b(?:can'?t|cannot|unable\s+to|not\s+able\s+to)\s+(?:pee|wee|urinate|void|pass\s+(?:urine|water))\b"
    r"(?!\s+(?:much|properly|a\s+lot|very|more|without|easily|normally|well|in\s+(?:public|front)|when\s+(?:others|people)))",
    r"\b(?:acute\s+)?urinary\s+retention\b",
)
# Severe hypertension, a clinic blood pressure of 180/120 mm Hg or higher, is investigated for target-organ
# damage as soon as possible (NICE NG136, Hypertension in adults, 1.5): never self care. A diastolic of 120 or
# more is read from "BP 168/124"; a lay "my blood pressure was very high" is read as well, but not "high blood
# pressure" alone (a known condition).
SEVERE_SYSTOLIC_FROM = 180.0
SEVERE_HYPERTENSION = compile_phrases(
    r"\b(?:BP|blood\s+pressure)\b\D{0,12}?\b\d{2,3}\s*/\s*(?:1[2-9]\d|2\d\d)\b",
    r"\bblood\s+pressure\b(?:(?!\bbut\b|\band\s+my\b)[^.;,]){0,60}?\b(?:very|really|extremely|dangerously|super|severely|"
    r"alarmingly)\s+high\b",
    r"\b(?:very|really|extremely|dangerously|severely|alarmingly)\s+high\s+(?:blood\s+pressure|BP)\s+(?:reading|"
    r"readings|today|this\s+morning|at\s+the\s+pharmacy)\b",
    r"\bsevere\s+hypertension\b",
)
# Severe hypertension with a symptom of acute organ damage — a change in vision, chest pain, breathlessness, new
# confusion, weakness — is assessed by a specialist the same day (NICE NG136 1.5.1; a hypertensive emergency).
HYPERTENSIVE_EMERGENCY_SIGNS = compile_phrases(
    r"\b(?:blurred|blurry|double|loss\s+of|lost|changes?\s+in|change\s+of|disturbed)\s+(?:\w+\s+)?(?:vision|sight|eyesight)\b",
    r"\b(?:vision|sight|eyesight)\s+(?:is\s+|went\s+|has\s+gone\s+)?(?:blurred|blurry|double|changed|funny|strange)\b",
    r"\bchest\s+(?:pain|tightness|pressure)\b",
    r"\b(?:short(?:ness)?\s+of\s+breath|breathless\w*|SOB|dyspn\w+)\b",
    r"\bconfus\w+",
    r"\b(?:weakness|numbness)\b",
    r"\b(?:fits?|seizures?)\b",
)
# In pregnancy the threshold is 160/110 mm Hg: admission (NICE NG133, Hypertension in pregnancy, 1.2).
PREGNANCY_SEVERE_SYSTOLIC_FROM = 160.0
PREGNANCY_SEVERE_DIASTOLIC = compile_phrases(
    r"\b(?:BP|blood\s+pressure)\b\D{0,12}?\b\d{2,3}\s*/\s*(?:1[1-9]\d|2\d\d)\b",
)
# A result flagged abnormal in a lab report ("Platelets: 128 (150-400) LOW"), or a person asking about blood
# tests they had: a clinician reads the result; self care cannot be advised on it (NICE CKS leaves abnormal
# results to the clinician who ordered them).
FLAGGED_RESULT = re.compile(  # case-sensitive: "(150-400) LOW", "9.1 (L)", "(ref 150-400, low)"
    r"\([^()\n]{1,30}\)\s*(?:HIGH|LOW|ABNORMAL)\b|\d\s*\((?:H|L)\)|\([^()\n]{1,30},\s*(?i:high|low|abnormal)\)"
)
ABNORMAL_RESULT = compile_phrases(
    r"\babnormal\s+(?:\w+\s+){0,2}?(?:results?|tests?|readings?|values?|levels?)\b",
    r"\b(?:results?|tests?|levels?)\s+(?:came\s+back|was|were|is|are)\s+(?:abnormal|high|low|raised|elevated)\b",
    r"\b(?:had|got|have|did)\s+(?:some\s+|routine\s+|my\s+|a\s+)*(?:blood\s*work|blood\s+tests?|lab\s+tests?)\b",
    r"\broutine\s+(?:blood\s*work|blood\s+tests?|labs)\b",
)
# Renal colic is admitted, not sent home, with signs of infection (an obstructed, infected kidney), pain that
# painkillers do not control, or vomiting (NICE CKS Renal or ureteric colic - acute; NICE NG118: refer
# immediately with fever or sepsis).
RENAL_COLIC = compile_phrases(
    r"\bkidney\s+stones?\b(?!\s+(?:before|in\s+the\s+past|years\s+ago|last\s+year|as\s+a\b))",
    r"\brenal\s+(?:or\s+ureteric\s+)?colic\b",
    r"\bureteric\s+colic\b",
)
RENAL_COLIC_DANGER = compile_phrases(
    r"\b(?:painkillers?|pain\s*killers?|analgesi\w+|pain\s+relief|medication|medicine|tablets|ibuprofen|paracetamol|"
    r"acetaminophen|codeine|co-?codamol|naproxen|diclofenac|tramadol|morphine|oramorph)\s+(?:is\s+|are\s+)?"
    r"(?:not|n[o']t|no\s+longer|don'?t|doesn'?t|do\s+not|does\s+not|aren'?t|isn'?t)\s+(?:\w+\s+)?(?:help\w*|work\w*|control\w*)",
    r"\b(?:not|poorly|un)\s*controlled\s+(?:by|with)\s+(?:analgesi\w+|painkillers?|pain\s+relief)\b",
    r"\b(?:vomit\w*|being\s+sick|throwing\s+up)\b",
    r"\bnot\s+(?:even\s+)?touching\s+(?:it|the\s+pain)\b",
    r"\bsigns?\s+of\s+(?:an?\s+)?infections?\b",
    # A solitary kidney, no urine at all, or pregnancy (NICE CKS Renal or ureteric colic: admit).
    r"\b(?:only\s+(?:have|has|got)\s+one|one|single|solitary)\s+kidney\b",
    r"\b(?:not|n't|haven'?t|hasn'?t)\s+(?:passed|peed|weed)\s+(?:any\s+)?(?:urine|water)?\b",
    r"\bno\s+urine\b",
    r"\bpregnan\w+",
    r"\b(?:shiver\w*|shaking|rigou?rs?|chills)\b",
)
NOSEBLEED = compile_phrases(r"\bnose\s*bleed\w*", r"\bepistaxis\b")
# A sore throat with three or more Centor criteria — fever, tonsillar exudate, tender anterior neck glands, no
# cough — may need an antibiotic, so a prescriber sees it (NICE NG84, Sore throat (acute): antimicrobial
# prescribing; Centor 3–4).
EXUDATE = compile_phrases(
    r"\bexudat\w+",
    r"\b(?:white|yellow)\s+(?:stuff|spots|patches|material|pus|coating)\b[^.;]{0,30}?\b(?:throat|tonsils?|pharynx)\b",
    r"\bpus\s+on\s+(?:the\s+|his\s+|her\s+|my\s+)?tonsils\b",
)
TENDER_NECK_GLANDS = compile_phrases(
    r"\b(?:tender|painful|sore|swollen)\s+(?:\w+\s+){0,2}?(?:neck\s+)?(?:glands|lymph\s+nodes|LNs?|lymphadenopathy)\b",
    r"\b(?:painful|tender|sore)\s+(?:front\s+of\s+(?:the\s+)?neck|anterior\s+neck)\b",
    r"\b(?:anterior\s+)?cervical\s+lymphadenopathy\b",
    r"\banterior\s+neck\s+(?:pain|tenderness)\b",
)
NO_COUGH = compile_phrases(r"\bno\s+cough\b", r"\bwithout\s+(?:a\s+)?cough\b", r"\bdenies\s+cough\b")
CENTOR_NEEDED = 3
# A fever with a rash or with light hurting the eyes is assessed by a clinician (NICE NG143 and NG240;
# healthdirect Fever in children: see a doctor).
RASH = compile_phrases(r"\brash\b", r"\bspots\b")
# A red eye (red_flags.RED_EYE) that hurts, or in a contact-lens wearer, is seen the same day (NICE CKS
# Conjunctivitis, Red eye).
EYE_PAIN_OR_LENS = compile_phrases(
    r"\bpain\w*\s+(?:in\s+)?(?:your\s+|the\s+|my\s+|his\s+|her\s+|their\s+)?eyes?\b",
    r"\beye\s+pain\b",
    r"\bcontact\s+lens\w*",
)
# Toothache (red_flags.DENTAL_PAIN) with a swollen face, cheek or jaw, or lasting more than 2 days, needs a dentist
# (nhs.uk Toothache).
DENTAL_NEEDS = compile_phrases(
    r"\b(?:cheek|jaw|gum)s?\s+(?:or\s+(?:cheek|jaw|gum)s?\s+)?(?:is\s+|are\s+)?(?:swollen|swelling)\b",
    r"\b(?:face|facial)\s+(?:is\s+)?(?:swollen|swelling)\b",
    r"\b(?:swollen|swelling\s+(?:of|in|on))\s+(?:the\s+|my\s+|his\s+|her\s+|your\s+)?face\b",
    r"\b(?:lasts?|lasting|for)\s+(?:more|longer)\s+than\s+(?:2|two)\s+days\b",
    r">\s*2\s*(?:days|d)\b",
)
# Shingles, named or as its story — pain or tingling in one area, then a rash of blisters there (nhs.uk
# Shingles: ask for an urgent GP appointment; antivirals are started within 3 days of the rash).
SHINGLES = compile_phrases(
    r"\bshingles\b",
    r"\b(?:herpes\s+)?zoster\b",
    r"\b(?:pain|tingling|burning)\b[^.;]{0,40}?\b(?:followed\s+by|then|before)\b[^.;]{0,20}?\b(?:a\s+)?rash\b",
    r"\brash\b[^.;]{0,30}?\b(?:in\s+(?:the\s+)?same\s+(?:area|place|spot)|where\s+the\s+pain)\b",
)
# NICE NG143: a fever in a baby under a year is assessed by a clinician, not left to self care.
INFANT_FEVER_AGE_LIMIT = 1
# NICE CKS Epistaxis: a nosebleed in a child under 2 is rare and is assessed (possible injury or illness).
NOSEBLEED_AGE_LIMIT = 2
ADMINISTRATIVE = "administrative request (no resources)"
YOUNG_INFANT_MONTHS = 3


def disposition_for(
    acuity: int,
    intake: Intake,
    news2: News2Result,
    trail: EsiTrail,
    red_flags: tuple[RedFlag, ...],
) -> tuple[Disposition, str]:
    """The disposition and the reason for it (one rationale entry)."""
    adult_news2 = news2.score if intake.age >= ADULT_AGE and news2.score is not None else None
    texts = texts_of(intake)
    if acuity == 2:
        ambulance = [flag.id for flag in red_flags if flag.call_ambulance and flag.level <= 2]
        if ambulance:
            return "emergency_ambulance", f"ESI 2 with {', '.join(ambulance)}: travel by ambulance"
        if adult_news2 is not None and adult_news2 >= 7:
            return "emergency_ambulance", f"ESI 2 with NEWS2 {adult_news2} ≥ 7: travel by ambulance"
    if acuity >= 3:
        if affirmed(find(SUSPECTED_FRACTURE, texts)) and not affirmed(find(KNOWN_FRACTURE, texts)):
            return "emergency", (
                f"ESI {acuity} with a suspected broken bone: an X-ray and a splint today, at an emergency department "
                "or urgent treatment centre (nhs.uk Broken arm or wrist, Broken leg)"
            )
        if affirmed(find(DISLOCATION, texts)) and not affirmed(find(OLD_DISLOCATION, texts)):
            return "emergency", (
                f"ESI {acuity} with a dislocated joint: put back today at an emergency department (nhs.uk Dislocated "
                "shoulder, Dislocated kneecap)"
            )
        if affirmed(find(PERITONISM, texts)):
            return "emergency", (
                f"ESI {acuity} with guarding or peritonism: surgical assessment today at an emergency department "
                "(NICE CKS Appendicitis)"
            )
        if affirmed(find(RENAL_COLIC, texts)) and (
            affirmed(find(RENAL_COLIC_DANGER, texts)) or affirmed(find(FEVER, texts))
        ):
            return "emergency", (
                f"ESI {acuity}, renal colic with infection, vomiting or pain that painkillers do not control: "
                "admission (NICE CKS Renal or ureteric colic; NICE NG118)"
            )
        if affirmed(find(URINARY_RETENTION, texts)):
            return "emergency", (
                f"ESI {acuity}, unable to pass urine: acute urinary retention needs a catheter today (nhs.uk "
                "Urinary retention)"
            )
    severe_pressure = acuity >= 3 and _severe_hypertension(intake, texts)  # read once, used below
    if severe_pressure and any_affirmed(HYPERTENSIVE_EMERGENCY_SIGNS, texts):
        return "emergency", (
            f"ESI {acuity} with a blood pressure of 180/120 mm Hg or higher and a symptom of organ damage (vision, "
            "chest pain, breathlessness, confusion, weakness): same-day specialist assessment (NICE NG136 1.5.1)"
        )
    if acuity >= 3 and _pregnancy_hypertension(intake, texts, severe_pressure) and _pregnant(intake, texts):
        return "emergency", (
            f"ESI {acuity}, pregnant with a blood pressure of 160/110 mm Hg or higher: admission (NICE NG133)"
        )
    if acuity >= 4 and any(flag.id == "worst_headache_gradual_onset" for flag in red_flags):
        return "consultation_24", (
            f"ESI {acuity}, the worst headache of the patient's life, though it came on gradually: assessed the same "
            "day (NICE CKS Headache - assessment)"
        )
    if acuity >= 4 and severe_pressure:
        return "consultation_24", (
            f"ESI {acuity} with a blood pressure of 180/120 mm Hg or higher: checks for organ damage as soon as "
            "possible (NICE NG136)"
        )
    if acuity == 3:
        if trail.consider_esi_2:
            return "emergency", "ESI 3 with a 'consider ESI 2' prompt: go to an emergency department"
        if adult_news2 is not None and adult_news2 >= 5:
            return "emergency", f"ESI 3 with NEWS2 {adult_news2} ≥ 5 (urgent response): go to an emergency department"
    if acuity == 5 and trail.consider_esi_2:
        return "consultation", "ESI 5 with a 'consider ESI 2' prompt (severe pain): book a consultation"
    if acuity == 5 and ADMINISTRATIVE in trail.complaints:
        return "consultation", "ESI 5, a request that needs a clinician (prescription, certificate, wound check)"
    if acuity == 5 and intake.age * 12 + intake.age_months < YOUNG_INFANT_MONTHS:
        return "consultation", "ESI 5 in an infant under 3 months: a clinician assesses any illness (NICE NG143)"
    if acuity == 5:
        if affirmed(find(IMMUNOCOMPROMISED, texts)):
            return "consultation", "ESI 5 with a weakened immune system: a clinician assesses it (NICE CKS)"
        if intake.age < INFANT_FEVER_AGE_LIMIT and affirmed(find(FEVER, texts)):
            return "consultation", "ESI 5, a fever in a baby under 1: a clinician assesses it (NICE NG143)"
        if intake.age < NOSEBLEED_AGE_LIMIT and affirmed(find(NOSEBLEED, texts)):
            return "consultation", "ESI 5, a nosebleed in a child under 2: a clinician assesses it (NICE CKS Epistaxis)"
        if affirmed(find(ALARM_FEATURES, texts)):
            return (
                "consultation",
                "ESI 5 with an alarm feature (weight loss, a lump, bleeding, a change): see a clinician (NICE NG12)",
            )
        if present(find(RISK_GROUP, texts)) or present(find(PREGNANT, texts)):
            return (
                "consultation",
                "ESI 5 in a long-term condition or pregnancy: see a clinician (nhs.uk Flu, Chickenpox)",
            )
        sign = safety_net_sign(intake, texts)
        if sign:
            return "consultation", f"ESI 5, a minor illness with a safety-netting sign, {sign}: see a clinician"
        needs = _needs_a_clinician(intake, texts)
        if needs:
            return "consultation", f"ESI 5, {needs}: see a clinician"
    if acuity == 5:
        return "self_care", "ESI 5, a minor illness with no red flag: self care, with advice on when to seek help"
    disposition = BY_ACUITY.get(acuity, "emergency")
    return disposition, f"ESI {acuity} → {disposition}"


def _needs_a_clinician(intake: Intake, texts: tuple[tuple[str, str], ...]) -> str:
    """Why a minor illness still needs a clinician (a prescriber, a same-day look), or "" when it does not."""
    temperature = intake.vitals.temperature_c
    fever = bool(affirmed(find(FEVER, texts))) or (temperature is not None and temperature >= FEVER_FROM_C)
    if affirmed(find(SORE_THROAT_OR_SWALLOWING, texts)):
        centor = sum(bool(affirmed(find(p, texts))) for p in (EXUDATE, TENDER_NECK_GLANDS, NO_COUGH)) + fever
        if centor >= CENTOR_NEEDED:
            return f"a sore throat with {centor} Centor criteria (NICE NG84)"
    if fever and (affirmed(find(RASH, texts)) or affirmed(find(PHOTOPHOBIA, texts))):
        return "a fever with a rash or light hurting the eyes (NICE NG143)"
    if affirmed(find(RED_EYE, texts)) and affirmed(find(EYE_PAIN_OR_LENS, texts)):
        return "a red eye that hurts or in a contact-lens wearer (NICE CKS Red eye)"
    if affirmed(find(SHINGLES, texts)):
        return "possible shingles: antivirals work best within 3 days (nhs.uk Shingles: see a GP or call 111)"
    if affirmed(find(DENTAL_PAIN, texts)) and affirmed(find(DENTAL_NEEDS, texts)):
        return "toothache with swelling or lasting more than 2 days: a dentist (nhs.uk Toothache)"
    if any(FLAGGED_RESULT.search(text) for _, text in texts) or affirmed(find(ABNORMAL_RESULT, texts)):
        return "a test result flagged abnormal or to be discussed: the clinician who ordered it reads it"
    return ""


def _pregnant(intake: Intake, texts: tuple[tuple[str, str], ...]) -> bool:
    return intake.pregnant is True or bool(present(find(PREGNANT, texts)))


def _pregnancy_hypertension(intake: Intake, texts: tuple[tuple[str, str], ...], severe: bool) -> bool:
    """160/110 mm Hg or higher (NICE NG133); `severe` (180/120 or higher) already includes it."""
    systolic = intake.vitals.systolic_bp
    if severe or (systolic is not None and systolic >= PREGNANCY_SEVERE_SYSTOLIC_FROM):
        return True
    return any_affirmed(PREGNANCY_SEVERE_DIASTOLIC, texts)


def _severe_hypertension(intake: Intake, texts: tuple[tuple[str, str], ...]) -> bool:
    systolic = intake.vitals.systolic_bp
    if systolic is not None and systolic >= SEVERE_SYSTOLIC_FROM:
        return True
    return bool(affirmed(find(SEVERE_HYPERTENSION, texts)))
