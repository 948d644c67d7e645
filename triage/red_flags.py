"""The red-flag catalogue: phrases (with lay synonyms) for findings that raise acuity.

Levels: 1 = an immediate life threat (ESI decision point A → ESI 1); 2 = a high-risk situation (decision
point B → ESI 2); 3 = notable, used only for the expected-resources estimate. `call_ambulance` marks
findings for which the safe way to hospital is an ambulance (time-critical or unsafe to travel alone).
Sources: AHRQ ESI v4 Handbook (level-1 and level-2 examples, Table 6-3), BE-FAST, the Columbia
C-SSRS screener, and red-flag lists common to emergency telephone triage (see docs/clinical-rules.md).
Flags that depend on age, pregnancy or vitals (infant fever, bleeding in pregnancy, …) are in
`context_flags.py`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from triage.phrases import compile_phrases

P = r"(?:(?:my|his|her|their|the|a|an|its|your|one|both)\s+)?"  # an optional determiner
# Before "looks blue": a bruise, a vein or a rash that looks blue is not the patient turning blue.
NOT_A_BRUISE = r"(?<!bruise\s)(?<!bruises\s)(?<!bruising\s)(?<!vein\s)(?<!veins\s)(?<!rash\s)"
# After "not responding": a treatment the symptom does not respond to, not the patient's consciousness.
NOT_TO_A_TREATMENT = (
    r"(?!\s+to\s+(?:\w+\s+)?(?:painkillers?|pain\s+relief|analgesi\w+|treatment|medic\w+|GTN|antibiotics?|inhalers?|"
    r"nebuli[sz]\w+|paracetamol|ibuprofen|tablets|therapy|steroids?))"
)
CANT = r"(?:can'?t|cannot|can\s+not|could\s*n'?o?t|unable\s+to|not\s+able\s+to)"
WONT = r"(?:won'?t|will\s+not|doesn'?t|does\s+not|didn'?t|did\s+not|can'?t|cannot)"


@dataclass(frozen=True, slots=True)
class FlagDefinition:
    id: str
    name: str
    level: int
    call_ambulance: bool
    pattern: re.Pattern[str]


def flag(flag_id: str, name: str, level: int, call_ambulance: bool, *patterns: str) -> FlagDefinition:
    return FlagDefinition(flag_id, name, level, call_ambulance, compile_phrases(*patterns))


CATALOGUE: tuple[FlagDefinition, ...] = (
    # Level 1 — needs an immediate life-saving intervention (ESI A).
    flag(
        "cardiac_arrest",
        "cardiac or respiratory arrest",
        1,
        True,
        r"\b(?:cardiac|cardio-?respiratory|respiratory)\s+arrest\b",
        r"\b(?:not|isn'?t|is\s+not|stops|stopped|has\s+stopped|no\s+longer)\s+breathing\b"
        r"(?!\s+(?:properly|well|right|normally|easily|through|very|as|so|like))",
        r"\bno\s+pulse\b",
        r"\bno\s+(?:obvious|detectable|palpable)\s+(?:pulse|heart\s*beat)\b",
        r"\bundetectable\s+(?:pulse|heart\s*beat)\b",
        r"\bno\s+(?:obvious\s+|detectable\s+|palpable\s+)?pulse\s+(?:or|and|/)\s+heart\s*beat\b",
        r"\bpulseless\b",
        r"\bventricular\s+fibrillation\s+arrest\b|\breturn\s+of\s+spontaneous\s+circulation\b",
        r"\bheart\s+(?:has\s+)?stopped\b",
        r"\b(?:doing|giving|started|performing|needs?)\s+CPR\b",
        r"\bCPR\s+(?:in\s+progress|ongoing|started)\b",
    ),
    flag(
        "unresponsive",
        "unresponsive",
        1,
        True,
        r"\bunresponsive\b",
        r"\bnon-?responsive\b",
        r"(?<!brief\s)(?<!short\s)(?<!momentary\s)(?<!transient\s)\bunconsciousness\b",
        # "unconscious for a couple of minutes" is a loss of consciousness that has passed (ESI 2); "has been
        # unconscious for 20 minutes" and "found unconscious for an unknown time" are not.
        r"\b(?:has|have|had)\s+been\s+unconscious\b",
        r"\bunconscious\b(?!\s+for\s+(?:a\s+(?:few|couple\s+of)\s+|about\s+|around\s+|\d+\s+|one\s+|two\s+|a\s+)?"
        r"(?:seconds?|minutes?|mins?|moments?)\b)",
        r"\bunrous(?:e)?able\b",
        # Not a symptom that does not respond to a treatment ("not responding to painkillers", "not responsive to GTN").
        r"\bnot\s+respond\w*\b" + NOT_TO_A_TREATMENT,
        r"\b(?:not|no\s+longer)\s+responsive\b" + NOT_TO_A_TREATMENT,
        r"\b(?:will\s+not|won'?t|does\s+not|doesn'?t|can(?:'?t|not)|unable\s+to)\s+(?:\w+\s+){0,3}?or\s+(?:wake\s+up|"
        r"be\s+(?:roused|woken|wakened|aroused))\b",
        r"\b(?:doesn'?t|does\s+not|won'?t|will\s+not)\s+respond\b",
        # No answer to a voice: AVPU below V (ESI v4 handbook, Ch. 3: unresponsive to verbal stimuli).
        r"\b(?:doesn'?t|does\s+not|won'?t|will\s+not|isn'?t|is\s+not|not)\s+(?:answer|respond)\w*\s+(?:when|if)\s+"
        r"(?:\w+\s+){0,2}?(?:talk|speak|spoke|spoken)\w*\b(?![^.;]{0,20}\b(?:about|on\s+the\s+phone|phone)\b)",
        rf"\b(?:{WONT}|{CANT}|not)\s+(?:be\s+)?(?:wake|woken|waken|waking|wakened|rouse|roused|arouse)\w*\b",
        r"\bcomatose\b",
        r"\bin\s+a\s+coma\b",
    ),
    flag(
        "severe_respiratory_distress",
        "severe respiratory distress",
        1,
        True,
        rf"\b{CANT}\s+breathe?\b(?!\s+(?:properly|well|normally|through\s+(?:his|her|my|the)\s+nose))",
        r"\bstruggling\s+(?:to\s+breathe|for\s+(?:air|breath))\b",
        r"\bgasping\b",
        r"\bblue\s+lips\b",
        r"\blips\s+(?:are\s+|turning\s+|turned\s+|look\s+|going\s+)?blue\b",
        r"\bturning\s+blue\b",
        r"\b(?:gone|turned|turns|going|went)\s+blue\b",
        r"\b(?:blue|grey|gray)\s+(?:(?:or|and)\s+(?:blue|grey|gray)\s+)?skin\b",
        r"\bblue\s+(?:on|around|in)\s+(?:the\s+|their\s+|his\s+|her\s+|my\s+|your\s+)?(?:lips|tongue|mouth)\b",
        r"\b(?:lips?|tongue)\b[^.;]{0,30}?\b(?:turn\w*|go(?:es|ne|ing)?|went|look\w*|are|is)\s+(?:very\s+)?"
        r"(?:(?:pale|blue|grey|gray)\s*,?\s*(?:or\s+|and\s+)?)*(?:blue|grey|gray)\b",
        r"\b(?:blue|grey|gray)\s*,?\s+(?:(?:blue|grey|gray|pale|blotchy)\s*,?\s+)*(?:or\s+|and\s+)?(?:\w+\s+)?"
        r"(?:skin\s*,?\s+)?(?:lips|tongue)\b",
        r"\bcyano(?:sis|sed|tic)\b",
        # Blue skin in any wording (nhs.uk and NHS trusts' 999 lists: "appears pale or even slightly blue in colour",
        # "looks blue", "a blue tinge"); "feeling blue" is a mood and is not read.
        NOT_A_BRUISE + r"\b(?:looks?|looking|appears?|appearing|seems?|became|becomes|turns?)\b"
        r"(?:(?!bruis|vein|rash|mark|spot|patch)[^.;]){0,30}?\b(?:blue|bluish)\s+(?:in\s+)?colou?r\b",
        NOT_A_BRUISE + r"\b(?:looks?|looking|appears?|appearing|seems?)\s+(?:very\s+|slightly\s+|a\s+bit\s+|quite\s+|"
        r"a\s+little\s+)?(?:blue|bluish)\b(?!\s+(?:eyes|shirt|top|jumper|dress|coat|jacket|car|bag)\b)",
        r"\bbluish\s+(?:skin|tinge|colou?r|discolou?ration|face)\b",
        r"\bblue\s+tinge\b",
        r"\b(?:skin|face)\s+(?:is\s+|looks\s+|has\s+)?(?:turned\s+|gone\s+|going\s+)?(?:blue|bluish)\b",
        r"\bchoking\b",
        rf"\b(?:{CANT}|not)\s+(?:speak|talk|say)\w*\s+(?:in\s+)?(?:full\s+|whole\s+|complete\s+)?sentences\b",
        r"\bsevere\s+respiratory\s+distress\b",
        r"\bstop(?:s|ped)?\s+breathing\s+for\b",
    ),
    # ESI v4 handbook, Chapter 3: "intubated", "apneic", "pulseless" patients and symptomatic bradycardia
    # needing pacing are ESI 1 (they are receiving or need an immediate life-saving intervention).
    flag(
        "airway_support",
        "intubated, apnoeic or needing assisted breathing",
        1,
        True,
        r"\bintubated\b",
        r"\bapn(?:o)?e(?:as?|ic)\b",
        # Pauses in a child's breathing (HSE bronchiolitis: gaps of more than 10 seconds).
        r"\b(?:long\s+)?(?:gaps|pauses)\s+in\s+(?:their\s+|his\s+|her\s+|the\s+)?breathing\b",
        # Not in sleep: snoring with pauses at night is sleep apnoea, for a GP (nhs.uk Sleep apnoea).
        r"\bbreathing\s+(?:that\s+|which\s+)?(?:stops|pauses)\b(?![^.;]{0,40}\b(?:night|sleep\w*|asleep|snor\w*))",
        r"\b(?:gaps|pauses)\s+when\s+(?:\w+\s+){0,2}?breathes\b(?![^.;]{0,40}\b(?:night|sleep\w*|asleep|snor\w*))",
        r"\bagonal\s+(?:breathing|respirations?|gasps?)\b",
        r"\b(?:bagging|bag[- ]valve[- ]mask|BVM)\b",
        r"\bassisted\s+ventilation\b",
    ),
    flag(
        "needs_pacing",
        "heart block or bradycardia needing pacing",
        1,
        True,
        r"\b(?:external(?:ly)?|transcutaneous(?:ly)?)\s+pac(?:ed|ing)\b",
        r"\bpacing\s+pads\b",
        r"\b(?:third|3rd)[- ]degree\s+(?:heart\s+|AV\s+)?block\b",
        r"\bcomplete\s+heart\s+block\b",
        r"\bCHB\b",
        r"\bpacing\s+(?:his|her|their|the)\s+heart\b",
    ),
    flag(
        "active_seizure",
        "active or prolonged seizure",
        1,
        True,
        r"\b(?:still|currently|actively|is)\s+(?:seizing|fitting|convulsing|having\s+(?:a\s+)?(?:seizure|fit|convulsion))",
        r"\b(?:seizing|fitting|convulsing)\s+(?:now|right\s+now|still)\b",
        r"\bstatus\s+epilepticus\b",
        r"\b(?:seizure|fit|convulsion)s?\s+(?:that\s+)?(?:won'?t|will\s+not|doesn'?t|does\s+not)\s+stop\b",
        r"\b(?:seizure|fit|convulsion)s?\s+(?:lasting|for|of)\s+(?:more\s+than|over|longer\s+than|>)\s*(?:5|five)\s*min",
        r"\b(?:seizure|fit|convulsion)s?\s+(?:lasting|for|of)\s+(?:[6-9]|\d\d+)\s*min",
        r"\bwon'?t\s+stop\s+(?:seizing|fitting|convulsing|shaking)\b",
    ),
    # Level 2 — high-risk situations (ESI B).
    flag(
        "cardiac_chest_pain",
        "chest pain suspicious of acute coronary syndrome",
        2,
        True,
        r"\bchest\s+(?:pain|pains|pressure|tightness|heaviness|discomfort|ache|aching|hurts?|hurting|squeezing)\b",
        r"\b(?:pains?|pressure|tightness|heaviness|discomfort|squeezing|crushing|ache|aching)\s+(?:in|on|across|around|"
        rf"behind)\s+{P}(?:(?:centre|center|middle|front|upper|top)\s+(?:of\s+{P})?)?(?:chest|sternum|breastbone)\b",
        # A clinician's word for pain behind the breastbone (NICE CG95: central chest pain).
        r"\bretrosternal\s+(?:chest\s+)?(?:pain|pressure|tightness|heaviness|discomfort|ache)\b",
        r"\b(?:central|centre|center|middle|upper)\s+chest\s+(?:pain|pressure|tightness|heaviness|discomfort|ache)\b",
        r"\b(?:tight|heavy|crushing|squeezing|painful)\s+chest(?:\s+(?:pain|pressure|tightness|discomfort))?\b",
        r"\bchest\s+(?:feels|is)\s+(?:tight|heavy)\b",
        r"\bheart\s+attack\b",
        r"\bangina\b",
        r"\bacute\s+coronary\b",
        r"\bACS\b",
        rf"\bpain\s+(?:radiating|spreading|going|moving|shooting)\s+(?:out\s+)?from\s+{P}chest\b(?!\s+wall)",
        r"\bmyocardial\s+infarction\b",
        r"\bN?STEMI\b",
        rf"\bpain\s+(?:radiating|spreading|going|moving|shooting)\s+(?:down|to|into|up)\s+{P}(?:left\s+)?(?:arm|jaw|neck)\b",
        r"\bpain\s+(?:radiating|spreading|going)\s+(?:down\s+|up\s+)?(?:to|into)\s+(?:the\s+)?(?:l|r|left|right)(?:\s+or\s+(?:l|r|left|right))?\s+"
        r"(?:arm|jaw|neck)\b",
        # "pain that spreads to your left or right arm, or your neck, jaw …" (nhs.uk Heart attack, Angina).
        rf"\bpain\s+(?:that\s+)?(?:radiates|spreads|goes|moves|travels)\s+(?:down\s+|up\s+)?(?:to|into)\s+{P}(?:(?:left|right)\s+"
        r"(?:or\s+(?:left|right)\s+)?)?(?:arm|jaw|neck)\b",
        r"\belephant\s+(?:sitting\s+)?on\s+(?:my|his|her|their)\s+chest\b",
        rf"\bpain\s+(?:that\s+)?(?:radiates|spreads|travels|radiating|spreading|shooting)\s+down\s+{P}(?:(?:left|right)\s+)?arms?\b",
        r"\bpain\s+(?:radiating|spreading)\s+to\s+(?:the\s+)?(?:l|r|left|right|both)\b(?:\s+or\s+(?:l|r|left|right|both))?\s+arms?\b",
        # Lay words for the same thing: "an uncomfortable feeling in the middle of my chest".
        r"\b(?:uncomfortable|strange|odd|funny|weird|heavy|tight|squeezing|pressing|burning)\s+(?:feeling|sensation)\s+"
        rf"(?:in|on|across)\s+(?:the\s+)?(?:middle\s+of\s+|centre\s+of\s+|center\s+of\s+)?{P}chest\b",
        rf"\b(?:discomfort|pressure|heaviness|tightness)\s+in\s+(?:the\s+)?(?:middle|centre|center)\s+of\s+{P}chest\b",
    ),
    flag(
        "stroke_signs",
        "stroke signs (BE-FAST)",
        2,
        True,
        r"\b(?:face|facial|mouth|smile)\s+(?:is\s+|has\s+|looks\s+)?(?:droop\w*|lopsided|uneven|fallen|dropped|sagging)",
        # "the face may have dropped on one side", "their mouth or eye may have drooped" (healthdirect Stroke).
        r"\b(?:face|mouth)\s+(?:or\s+eye\s+)?(?:may|might|could)\s+have\s+(?:dropped|drooped|fallen)\b",
        r"\bdroop\w*\s+(?:of\s+)?(?:the\s+|her\s+|his\s+|my\s+)?(?:face|mouth|smile|eyelid|on\s+one\s+side)",
        rf"\bone\s+side\s+of\s+{P}(?:face|mouth)\b",
        r"\bfacial\s+(?:weakness|palsy|numbness|droop)",
        # "Sudden numbness or weakness" alone (nhs.uk Stroke; American Stroke Association BE-FAST).
        r"\bsudden(?:ly)?\s+(?:onset\s+(?:of\s+)?)?(?:weakness\s+(?:or|and)\s+numbness|numbness\s+(?:or|and)\s+weakness)\b",
        r"\b(?:arm|leg|hand)\s+(?:weakness|numbness|is\s+weak|is\s+numb|went\s+(?:weak|numb|limp|dead)|feels\s+"
        r"(?:weak|numb|dead))",
        r"\b(?:sudden\w*\s+)?(?:weak(?:ness)?|numb(?:ness)?|paralys\w+|paralyz\w+)\s+(?:in\s+|of\s+|down\s+)?"
        rf"{P}(?:left\s+|right\s+)(?:arm|leg|hand|side)\b",
        rf"\b{CANT}\s+(?:move|lift|raise|feel)\s+{P}(?:left\s+|right\s+)?(?:arm|leg|hand)\b",
        r"\b(?:one[- ]sided|unilateral)\s+(?:weakness|numbness|paralysis)\b",
        # "Weakness or numbness on one side of the body" (nhs.uk Stroke; BE-FAST), "left-sided weakness".
        r"\b(?:sudden\w*\s+)?(?:weak(?:ness)?|numb(?:ness)?|paralys\w+|paralyz\w+)\s+(?:\w+\s+){0,2}?"
        r"(?:on|down|in|of)\s+one\s+side\b",
        rf"\bone\s+side\s+of\s+{P}body\s+(?:is\s+|was\s+|went\s+|feels\s+|felt\s+)?(?:weak|numb|paralys\w+|limp|dead)\b",
        r"\b(?:left|right)[- ]sided\s+(?:weakness|numbness|paralysis|hemiparesis)\b",
        r"\bhemi(?:paresis|plegia|paretic|plegic)\b",
        r"\bfocal\s+(?:neurolog\w*|neuro)\s+(?:signs?|deficits?|symptoms?)\b",
        r"\bslurr\w*\b",
        r"\bspeech\s+(?:is\s+)?(?:slurred|garbled|jumbled|muddled|strange|difficult)",
        r"\b(?:trouble|difficulty|problems?|struggling)\s+(?:speaking|talking|finding\s+(?:the\s+)?words|"
        r"getting\s+(?:the\s+)?words\s+out|understanding\s+speech)",
        r"\baphasi\w*\b",
        r"\bdysarthri\w*\b",
        r"\bwords\s+(?:are\s+|came\s+out\s+)?(?:jumbled|mixed\s+up|wrong)\b",
        rf"\b{CANT}\s+(?:speak|talk)\s+(?:properly|clearly|normally|right)\b",
        # Speech lost suddenly, or words that will not come out (nhs.uk Stroke: "they may not be able to talk at all").
        rf"\bsudden(?:ly)?\s+(?:\w+\s+){{0,2}}?{CANT}\s+(?:speak|talk|get\s+(?:his|her|their|my|the)\s+words\s+out)\b"
        r"(?!\s+(?:above|to|with|about|because|due|from|english)\b)",
        r"\bsudden(?:ly)?\s+(?:\w+\s+){0,3}?(?:loss\s+of\s+balance|lost\s+(?:\w+\s+)?balance|off\s+balance|"
        rf"unsteady|{CANT}\s+(?:walk|stand))",
        r"\bsudden(?:ly)?\s+(?:\w+\s+){0,3}?(?:vision\s+loss|loss\s+of\s+(?:vision|sight)|lost\s+(?:\w+\s+)?"
        rf"(?:vision|sight)|blind\w*|double\s+vision|blurred\s+vision|{CANT}\s+see)",
        r"\b(?:lost|loss\s+of)\s+(?:vision|sight)\s+in\s+(?:one|the\s+left|the\s+right|left|right|his|her|my)\s+eye",
        r"\bdouble\s+vision\b",
        r"\bcurtain\s+(?:coming\s+)?(?:down\s+)?(?:over|across)\b",
        r"\b(?:homonymous\s+)?hemianop\w+(?![^.;]{0,40}\b(?:stable|since|surgery|routine|review|known|long-?standing)\b)",
        # Not a swimming stroke ("my front stroke", "did back stroke") or stroking an animal.
        r"(?<!heat\s)(?<!sun\s)(?<!front\s)(?<!breast\s)(?<!swimming\s)(?<!did\sback\s)(?<!doing\sback\s)\bstroke\b"
        r"(?!\s+(?:of\s+(?:luck|genius|midnight|the\s+pen)|(?:the\s+|a\s+|our\s+|my\s+)?(?:cat|dog|kitten|puppy|horse|pony)\b))",
        r"\bTIA\b",
        r"\btransient\s+isch(?:a)?emic\b",
        r"\bmini[- ]stroke\b",
        # The weak limb written before its side's adjective, double vision in other words, a face that is uneven,
        # weakness or numbness on one side of the body, a dragged leg (nhs.uk Stroke; BE-FAST).
        r"\b(?:left|right|one)\s+(?:arm|leg|hand|side)\s+(?:is\s+|has\s+gone\s+|went\s+|feels\s+|now\s+)?(?:suddenly\s+)?(?:weak|numb|"
        r"floppy|limp|dead|paralys\w+)\b",
        r"\bseeing\s+(?:double|two\s+of\s+everything)\b",
        r"\bfacial\s+asymmetry\b",
        r"\b(?:weak\w*|numb\w*|paralys\w+)\b[^.;]{0,50}?\b(?:on\s+)?one\s+side\s+of\s+(?:the\s+|his\s+|her\s+|their\s+|my\s+)?"
        r"(?:body|face)\b",
        r"\b(?:dragging|drags)\s+(?:his|her|their|my|one)\s+(?:left\s+|right\s+)?(?:leg|foot)\b",
        r"\bsudden(?:ly)?\s+(?:\w+\s+){0,3}?(?:loss\s+of\s+coordination|lost\s+(?:\w+\s+)?coordination|(?:trouble|difficulty)\s+walking)",
    ),
    flag(
        "anaphylaxis",
        "anaphylaxis / severe allergic reaction",
        2,
        True,
        r"\banaphyla\w+",
        r"\b(?:severe|serious)\s+allergic\s+reactions?\b",
        r"\b(?:lips?|face|facial|eyes?|eyelids?|mouth)\s+(?:is\s+|are\s+|has\s+|have\s+)?(?:now\s+|very\s+|all\s+)?"
        r"(?:swell\w*|swollen|puff\w*)",
        r"\b(?:swell\w*|swollen|puffy)\s*[-–:]?\s+(?:of\s+|in\s+|on\s+)?(?:the\s+|my\s+|his\s+|her\s+|their\s+)?(?:lips?|face)\b",
        # Adrenaline counts when it was needed, not when a prescription for it is asked for.
        r"\b(?:used|gave|given|injected|administered|needed|had\s+to\s+use|jabbed)\s+(?:\w+\s+){0,2}?(?:epi-?pen|"
        r"epinephrine|adrenaline)",
        r"\b(?:epi-?pen|epinephrine|adrenaline)\s+(?:was\s+|were\s+)?(?:used|given|injected|administered)\b",
    ),
    flag(
        "airway_swelling",
        "swelling of the tongue or throat, stridor",
        2,
        True,
        r"\b(?:throat|tongue|airway)\s+(?:is\s+|are\s+|feels\s+)?(?:swelling|swollen|closing|closing\s+up|"
        r"tightening)\b",
        r"\b(?:swollen|swelling\s+(?:of\s+)?(?:the\s+|my\s+|his\s+|her\s+)?)\s*tongue\b",
        # Angioedema of the lips, mouth, tongue or throat (Resuscitation Council UK 2021: an airway problem).
        r"\bangio-?o?edema\s+(?:of|in)\s+(?:the\s+)?(?:lips?|mouth|throat|tongue)\b",
        r"\bstridor\b",
        r"\bswelling\s*:?\s+of\s+(?:(?:the|her|his|my|your)\s+)?(?:[\w]+,?\s+){0,4}?(?:throat|tongue)\b",
        r"\b(?:throat\s+tightness|tight\s+throat)\b",
        # Unable to swallow one's own saliva: a threatened airway (NICE CKS Sore throat; nhs.uk Glandular fever).
        rf"\b{CANT}\s+swallow\b[^.;]{{0,30}}?\b(?:saliva|(?:own|your|his|her|their)\s+spit)\b",
        # Swelling in the mouth or neck that makes breathing or swallowing hard (nhs.uk Toothache: call 999).
        r"\bswelling\s+(?:in|of)\s+(?:your\s+|the\s+|his\s+|her\s+|my\s+)?(?:mouth|neck|throat)\b[^.;]{0,30}?"
        r"\b(?:difficult|hard)\w*\s+(?:for\s+\w+\s+)?(?:to\s+)?(?:breathe|swallow|speak)",
        r"\b(?:throat|tongue)\b[^.;]{0,25}?\b(?:suddenly\s+)?(?:become|becomes|became|becoming|gets?|got|getting|goes|"
        r"went|going|turns?|turned|feels?|feeling)\s+(?:very\s+)?(?:swollen|tight|tighter)\b",
    ),
    flag(
        "severe_breathlessness",
        "severe breathlessness",
        2,
        True,
        r"\b(?:severe(?:ly)?|very|extremely|really|badly)\s+(?:short\s+of\s+breath|shortness\s+of\s+breath|"
        r"breathless|winded|dyspn\w+)",
        r"\b(?:difficulty|trouble|hard\s+time|problems?|struggling|labou?red|difficult)\s+(?:with\s+|in\s+)?breathing\b",
        r"\b(?:hard|difficult)\s+(?:for\s+(?:you|him|her|them|me)\s+)?to\s+breathe\b",
        # A child sucking the stomach in under the ribs: recession (HSE Child seriously unwell; NICE NG143).
        r"\bsucking\s+(?:\w+\s+){0,3}?in\s+(?:under|between|below)\s+(?:the\s+|their\s+|his\s+|her\s+)?ribs\b",
        r"\bsucking\s+in\s+(?:their|his|her|the)\s+(?:ribs|tummy|stomach|chest)\b",
        # Unable to finish a sentence for breath (BTS/SIGN 158; Bradford 999 list for children).
        r"\b(?:struggling|unable|can'?t|cannot|not\s+able)\s+(?:to\s+)?(?:complete|finish)\s+(?:a\s+)?(?:full\s+)?sentences?\b",
        r"\bsudden(?:ly)?\s+(?:unexplained\s+)?(?:short(?:ness)?\s+of\s+breath|breathless\w*)\b",
        r"\bsevere\s+breathles+ness\b",
        r"\bsevere\s+breathing\b",
        # A collapsed lung (nhs.uk Collapsed lung (pneumothorax): go to A&E; tension pneumothorax: ATLS).
        # The literal first and the exclusions after it: a branch that opens with a lookbehind is tried at every
        # character of every note (bench/engine_speed.py).
        r"\bpneumothora(?:x|ces)\b(?<!about\spneumothorax)(?<!of\spneumothorax)"
        r"(?![^.;]{0,60}\b(?:follow-?\s?up|clinic|conservativ\w+|flight|flying|fly|diving|scuba|advice|recovered|discharged|"
        r"fit\s+note|aged|last\s+year|years?\s+ago|in\s+(?:my\s+|his\s+|her\s+)?teens|as\s+a\s+child|now\s+(?:mild|sore|asking|"
        r"wants|routine))\b)|\btension\s+pneumo\b",
        r"\b(?:ribs|chest|stomach|tummy)\s+(?:is\s+|are\s+)?(?:sucking|sucked|pulling|pulled)\s+in\b",
        r"\b(?:difficulty|difficulties|trouble|problems?)\s+\w+ing\s+(?:or|and)\s+breathing\b",
        r"\bbreathing\s+(?:difficult(?:y|ies)|problems)\b",
        rf"\b{CANT}\s+breathe\s+(?:properly|well|normally)\b",
        rf"\b{CANT}\s+(?:get|catch)\s+{P}breath\b",
        r"\b(?:short\s+of\s+breath|breathless|shortness\s+of\s+breath)\s+(?:at|while\s+at|even\s+at)\s+rest\b",
        # The same in shorthand and in a story: "dyspnoea at rest", "wheeze and cough at rest", "out of breath …
        # even though you have been lying still in bed", "too out of breath to hold a conversation".
        r"\b(?:dyspn\w+|SOB|wheez\w*|out\s+of\s+breath)\s+(?:\w+\s+){0,2}?(?:at|while\s+at|even\s+at)\s+rest\b",
        r"\bout\s+of\s+breath\b[^.;]{0,60}?\b(?:lying\s+still|sitting\s+still|resting|at\s+rest)\b",
        r"\b(?:struggl\w+|unable|(?:can'?t|cannot|could\s*n'?t))\s+(?:to\s+)?(?:hold|have|keep\s+up)\s+a\s+conversation\b"
        r"[^.;]{0,70}?\bbreath",
        r"\brespiratory\s+distress\b",
        r"\b(?:fighting|gasping)\s+for\s+(?:air|breath)\b",
        r"\bnot\s+breathing\s+(?:properly|well|right|normally)\b",
        r"\bgrunt\w*",
        # HSE Child seriously unwell (999): "suddenly making loud noises when breathing in or out".
        r"\bloud\s+(?:noises?|sounds?)\s+(?:when|while)\s+(?:breathing|(?:he|she|they)\s+breathes?)\b",
        r"\bnasal\s+flaring\b",
        r"\b(?:chest\s+(?:wall\s+)?|intercostal\s+|subcostal\s+)?(?:recession|retractions?)\b",
        r"\btracheal\s+tug\w*",
        r"\b(?:moderate|severe|marked)?\s*chest\s+(?:wall\s+)?indrawing\b",
        # Acute pulmonary oedema (ESC 2021 heart failure guideline).
        r"\bpink\s*,?\s+frothy\s+(?:sputum|spit|phlegm|secretions)\b",
        r"\b(?:using|use\s+of)\s+(?:his\s+|her\s+|their\s+)?accessory\s+muscles?\b",
        # Speech cut to a few words, too breathless to talk, a peak flow under half of best (BTS/SIGN 158: acute
        # severe asthma), or a reliever that does not help in an attack (nhs.uk Asthma attacks: call 999).
        rf"\b{CANT}\s+(?:speak|say|talk)\s+(?:more\s+than\s+)?(?:a\s+few|one\s+or\s+two|two\s+or\s+three|[1-3]\s*-\s*[2-4]|few)\s+words\b",
        r"\btoo\s+(?:breathless|out\s+of\s+breath|short\s+of\s+breath|wheezy)\s+to\s+(?:speak|talk|finish|complete|eat|walk)\b",
        # "A severe asthma attack" as such (BTS/SIGN 158: acute severe asthma is treated in hospital; nhs.uk
        # Asthma attacks).
        r"\b(?:having|is\s+having|in\s+the\s+middle\s+of|in)\s+a\s+(?:severe|bad|serious|major)\s+asthma\s+attack\b"
        r"(?!\s+(?:on|when|if|while\s+away|abroad))",
        r"\b(?:can|could)\s+(?:barely|hardly)\s+(?:talk|speak|breathe|get\s+(?:her|his|my|their)\s+breath)\b",
        r"\b(?:peak\s+flow|PEFR?)\b[^.;]{0,25}?(?<![\d.])(?:[1-9]|[1-4]\d)\s*%",
        r"\b(?:asthma|wheez\w*|attack)\b[^.;]{0,60}?\b(?:blue\s+|reliever\s+)?(?:inhaler|reliever|ventolin|salbutamol|puffer|pump)"
        r"\s+(?:is\s+|has\s+)?(?:not|isn'?t|doesn'?t|does\s+not|didn'?t|did\s+not|hasn'?t|no\s+longer|not\s+really)\s+(?:\w+\s+)?"
        r"(?:help\w*|work\w*)",
        r"\battack\s+(?:is\s+)?not\s+respond\w*\s+to\s+(?:\w+\s+)?(?:medication|medicines?|treatment|inhalers?|relievers?)\b",
    ),
    flag(
        "suicide_intent_plan_or_behaviour",
        "suicidal intent, plan or recent behaviour (C-SSRS Q4–Q6)",
        2,
        True,
        r"\b(?:tried|trying|attempted|attempting)\s+to\s+(?:end|take|kill)\s+(?:(?:your|his|her|their|my)\s+(?:own\s+)?life|"
        r"(?:your|him|her|them|my)sel(?:f|ves))\b",
        r"\b(?:plans?|planned|planning|intends?|intending|intention|going)\s+to\s+(?:kill|end|take|hang|shoot|"
        r"overdose|harm)\s+(?:(?:my|him|her|them)sel(?:f|ves)|(?:my|his|her|their)\s+(?:own\s+)?life)",
        r"\b(?:has|have|with|made|making)\s+a\s+(?:suicide\s+)?plan\b",
        r"\b(?:attempted|tried\s+to\s+(?:kill|hang|harm)|trying\s+to\s+kill)\s+(?:suicide|(?:him|her|my|them)sel(?:f|ves))",
        r"\bsuicide\s+attempt\b",
        r"\battempted\s+suicide\b",
        r"\bself[- ]inflicted\b",
        r"\b(?:cut|slit|slashed|slashing)\s+(?:his|her|their|my)\s+(?:own\s+)?(?:wrists?|throat)\b",
        # "cut his own arm" — not grooming: "unable to cut his own toenails", "cuts her own hair".
        r"\b(?:cut|slit|slashed|stabbed|burn(?:ed|t))\s+(?:his|her|their|my)\s+own\s+"
        r"(?!(?:toe|finger)?nails?\b|hair\b|food\b|meat\b|bread\b)\w+",
        r"\b(?:bought|got|has|have|collected|stockpil\w+|saving\s+up)\s+(?:a\s+|the\s+)?(?:rope|gun|pills|tablets)\s+"
        r"to\s+(?:kill|end)",
        r"\bwrote\s+(?:a\s+)?(?:suicide|goodbye)\s+(?:note|letter)\b",
        r"\bsuicide\s+note\b",
        # Preparations and a plan in other words (C-SSRS Q6 preparatory behaviour: notes, giving things away, collecting
        # the means; nhs.uk Help for suicidal thoughts: call 999 if someone has a plan).
        r"\b(?:wrote|written|writing|left)\s+(?:\w+\s+){0,2}?(?:goodbye|farewell|suicide)\s+(?:notes?|letters?|messages?)\b",
        r"\bgiv(?:en|ing|e|es)\s+away\s+(?:all\s+)?(?:his|her|their|my)\s+(?:belongings|possessions|things|stuff)\b"
        r"(?!\s+to\s+(?:a\s+|the\s+)?(?:charity|charity\s+shop|friends))",
        r"\b(?:stockpil\w+|sav(?:ed|ing)\s+up|hoard\w*)\s+(?:(?:his|her|my|their)\s+)?(?:pills|tablets|medications?|meds)\b",
        r"\b(?:going|gonna|plans?|planning|intends?|intending)\s+to\s+(?:jump\s+(?:off|from|in\s+front)|throw\s+(?:him|her|my|them)"
        r"sel(?:f|ves)|step\s+in\s+front|drive\s+(?:\w+\s+)?into)",
        r"\b(?:he'?ll|she'?ll|i'?ll|they'?ll|going\s+to|gonna|plans?\s+to|planning\s+to)\s+do\s+it\s+(?:tonight|today)\b",
        r"\b(?:has|have|got)\s+(?:the\s+|his\s+|her\s+|my\s+)?(?:pills|tablets|rope)\s+(?:ready|lined\s+up)\b",
        r"\btalk\w*\s+about\s+(?:hurting|harming|killing)\s+(?:him|her|my|them)sel(?:f|ves)\b",
        r"\b(?:hang(?:ing)?|kill(?:ing)?|shoot(?:ing)?)\s+(?:him|her|my|them)sel(?:f|ves)\b[^.;]{0,40}?\b(?:bought|got|has|have)\s+"
        r"(?:a\s+)?(?:rope|gun|pills|tablets)\b",
        r"\b(?:won'?t|will\s+not)\s+be\s+(?:around|here)\s+(?:much\s+longer|for\s+(?:much\s+)?longer|any\s*more)\b",
    ),
    flag(
        "suicidal_ideation",
        "suicidal ideation (C-SSRS Q1–Q3)",
        2,
        False,
        r"\bsuicid\w*",
        r"\b(?:kill|hang|harm|hurt)\s+(?:him|her|my|them)sel(?:f|ves)\b",
        r"\b(?:end|take)\s+(?:his|her|my|their)\s+(?:own\s+)?life\b",
        r"\b(?:wants?|wanting|wanted|wish(?:es)?|wishing)\s+(?:to\s+die(?!\s+of\s+(?:embarrassment|shame|boredom|laughter))|"
        r"(?:he|she|i|they)\s+(?:was|were)\s+dead|"
        r"to\s+be\s+dead|(?:he|she|i|they)\s+(?:could|would)\s+(?:die|not\s+wake\s+up))",
        r"\bbetter\s+off\s+dead\b",
        r"\bthink\w*\s+(?:about|of)\s+(?:hurting|harming|killing|cutting)\s+(?:him|her|my|them)sel(?:f|ves)\b",
        r"\b(?:doesn'?t|don'?t|does\s+not|do\s+not)\s+want\s+to\s+(?:live|be\s+alive|go\s+on)\b",
        r"\bno\s+(?:reason|point)\s+(?:to\s+live|(?:to|in)\s+living)\b",
        r"\bself[- ]harm\w*\b",
        r"\b(?:doesn'?t|don'?t|does\s+not|do\s+not)\s+want\s+to\s+be\s+(?:here|around)\s+any\s*more\b",
        r"\b(?:would\s+be\s+|are\s+|be\s+)?better\s+off\s+without\s+(?:me|him|her|them)\b",
        r"\b(?:ending|taking)\s+(?:his|her|my|their)\s+(?:own\s+)?life\b",
        r"\b(?:harming|killing)\s+(?:him|her|my|them)sel(?:f|ves)\b",
    ),
    flag(
        "homicidal_ideation",
        "homicidal ideation",
        2,
        True,
        r"\bhomicid\w+",
        r"\bthreat\w*\s+to\s+(?:kill|murder|stab|shoot|hurt|harm)\b",
        r"\b(?:wants?|wanting|going|plans?|planning|thinking\s+about|thoughts?\s+of)\s+(?:to\s+)?(?:kill|killing|hurt|"
        r"hurting|harm|harming)\s+(?:someone|somebody|people|others|(?:him|her|them)\b|(?:my|his|her|their)\s+\w+)",
    ),
    flag(
        "overdose_or_poisoning",
        "overdose or poisoning",
        2,
        True,
        r"\boverdos\w+",
        r"\b(?:took|taken|swallowed|ingested)\s+(?:too\s+many|a\s+(?:whole|full)\s+(?:bottle|packet|"
        r"box|pack)|(?:all|lots)\s+of\s+(?:his|her|my|their|the)\s+(?:pills|tablets|meds|medication))",
        r"\btoo\s+many\s+(?:pills|tablets|paracetamol|painkillers)\b",
        r"\b(?:took|taken|swallowed|ingested)\s+(?:more\s+than\s+|over\s+|about\s+|around\s+|at\s+least\s+|>\s*|~\s*)?"
        r"(?:9|\d{2,})\s+(?:[\w-]+\s+){0,3}?(?:tablets|pills|capsules|tabs|caps)\b",
        # Five to eight: not the label dose spread over a day ("8 paracetamol tablets over the day, two every six
        # hours").
        r"\b(?:took|taken|swallowed|ingested)\s+(?:more\s+than\s+|over\s+|about\s+|around\s+|at\s+least\s+|>\s*|~\s*)?"
        r"[5-8]\s+(?:[\w-]+\s+){0,3}?(?:tablets|pills|capsules|tabs|caps)\b(?![^.;]{0,40}\bover\s+the\s+day\b[^.;]{0,20}?"
        r"\b(?:two|2)\s+(?:tablets\s+)?every\b(?![^.;]{0,30}\b(?:on\s+purpose|deliberately|intentionally|plus)\b))",
        # "took 32 paracetamol": ten or more of a drug people overdose on, named without "tablets".
        r"\b(?:took|taken|swallowed|ingested)\s+(?:more\s+than\s+|over\s+|about\s+|around\s+|at\s+least\s+)?"
        r"(?:[1-9]\d+)\s+(?:of\s+(?:his|her|my|their)\s+)?(?:paracetamol|acetaminophen|tylenol|ibuprofen|aspirin|"
        r"co-?codamol|codeine|sleeping\s+pills)\b",
        r"\b(?:swallowed|drank|drunk|ingested|ate)\s+(?:some\s+|a\s+|the\s+)?(?:bleach|poison\w*|detergent|antifreeze|"
        r"button\s+batter(?:y|ies)|batter(?:y|ies)|chemicals?|weed\s*killer|cleaning\s+\w+|pesticide|"
        r"laundry\s+(?:pod|capsule)s?|(?:his|her|their|grandma's|grandpa's|mum's|mom's|dad's)\s+(?:pills|tablets))",
        r"(?<!food\s)\bpoison(?:ed|ing)\b",
        r"\btoxic\s+ingestion\b",
        r"\b(?:drank|drunk|swallowed|ingested|ingestion\s+of|taken|took)\s+(?:\w+\s+){0,3}?(?:ethylene\s+glycol|methanol)\b",
        r"\b(?:ethylene\s+glycol|methanol)\s+(?:ingestion|poisoning|overdose|toxicity)\b",
        # "swallowed something poisonous", "breathed in fumes" (nhs.uk Poisoning: call 999 or go to A&E).
        r"\b(?:swallowed|drank|drunk|ingested|ate|eaten|breathed\s+in|inhaled)\s+(?:[\w']+\s+){0,3}?(?:poisonous|toxic)\b",
        r"\bingestion\s+of\s+(?:a\s+)?(?:poisonous|toxic|harmful)\b",
        # A snake bite is an envenomation until shown otherwise (nhs.uk Snake bites; healthdirect Snakebite).
        r"\b(?:bitten|bit)\s+by\s+(?:a\s+)?(?:\w+\s+)?snake\b",
        r"\bsnake\s*bites?\b",
        # Numbers in words, empty packets found beside the person, insulin taken on purpose (nhs.uk Poisoning).
        r"\b(?:took|taken|swallowed|ingested)\s+(?:about\s+|around\s+|over\s+|at\s+least\s+)?(?:ten|twelve|fifteen|twenty|"
        r"thirty|forty|fifty|sixty|a\s+hundred)(?:[- ]\w+)?\s+(?:[\w-]+\s+){0,3}?(?:tablets|pills|capsules|paracetamol|"
        r"ibuprofen|aspirin)\b",
        r"\bempty\s+(?:\w+\s+){0,2}?(?:(?:boxes|packets|blister\s+packs?|packs|pill\s+bottles)\s*(?:of\b|next\s+to|beside|by|"
        r"all\s+over|on\s+the\s+floor|around)|"
        r"bottles\s+of\s+(?!(?:wine|beer|vodka|cider|gin|whisk(?:e)?y|lager|champagne|prosecco|water|milk|pop|juice|cola|coke|"
        r"rum|spirits|booze|alcohol|squash)\b)\w+)",
        r"\b(?:injected|took|gave\s+(?:him|her|them|my)sel(?:f|ves))\b[^.;]{0,40}?\binsulin\b[^.;]{0,30}?\b(?:on\s+purpose|"
        r"deliberately|intentionally)\b",
        r"\b(?:on\s+purpose|deliberately|intentionally)\s+(?:took|swallowed|injected|overdosed)\b",
    ),
    flag(
        "uncontrolled_bleeding",
        "uncontrolled or major bleeding",
        2,
        True,
        r"\b(?:uncontroll(?:ed|able)|severe|profuse|massive|major|torrential|heavy|serious)\s+(?:bleeding|"
        r"blood\s+loss|haemorrhage|hemorrhage)\b",
        r"\bbleeding\s+(?:heavily|profusely|a\s+lot|badly|everywhere|non-?stop)\b",
        rf"\b{WONT}\s+stop\s+bleeding\b",
        rf"\bbleeding\s+{WONT}\s+stop\b",
        r"\bbleeding(?<!period\sbleeding)(?<!menstrual\sbleeding)\s+(?:that|which)\s+(?:won'?t|will\s+not|doesn'?t|does\s+not|can'?t\s+be|"
        r"cannot\s+be)\s+(?:stop|stopped)\b",
        r"\bbleed\w*\s*,?\s+(?:\w+\s+and\s+)?uncontroll(?:ed|able)\b(?!\s+(?:blood\s+pressure|BP|diabetes|hypertension))",
        r"\b(?:spurting|pumping|pouring)\s+(?:out\s+)?blood\b",
        r"\bblood\s+(?:is\s+)?(?:spurting|pumping|pouring)\b",
        r"\bha?emorrhag\w+",
        r"\b(?:excessive|uncontrollable)\s+bleeding\b",
        r"\b(?:massive|torrential|profuse|catastrophic)\s+(?:PR|PV|GI|rectal|vaginal|upper\s+GI|lower\s+GI)\s+bleed\w*",
        # A lot of blood from the bottom: "the toilet water turns red", "large blood clots" (nhs.uk).
        r"\btoilet\s+(?:water\s+|bowl\s+)?(?:turns?|turned|is|was|goes|went)\s+(?:bright\s+)?red\b",
        r"\b(?:large|big)\s+(?:blood\s+)?clots\b[^.;]{0,40}?\b(?:poo|stools?|bottom|rectum|rectal|back\s+passage)\b",
        r"\b(?:poo|stools?|bottom|rectum|rectal|back\s+passage|PR)\b[^.;]{0,60}?\b(?:large|big)\s+(?:blood\s+)?clots\b",
        r"\bbleeding\s+(?:seems|is|looks|appears)\s+(?:very\s+)?(?:excessive|heavy)\b",
        r"\bbleeding\s+(?:that\s+|which\s+)?(?:is\s+|was\s+|'?s\s+)?(?:difficult|hard)\s+to\s+(?:stop|control)\b",
        r"\bnose\s*bleed\w*\s+(?:\w+\s+){0,2}?(?:ongoing|going\s+on)\s+(?:for\s+)?(?:longer|more)\s+than\s+(?:1\d|[2-9]\d)\s*"
        r"(?:min|minutes)\b",
        r"\b(?:nose\s*bleed\w*|epistaxis)\b[^.]{0,15}(?:duration|lasting)?\s*>\s*(?:1\d|[2-9]\d)\s*(?:-\s*\d+\s*)?min",
        r"\bnose\s*bleed\w*\s+(?:\w+\s+){0,2}?(?:lasts?|lasting|lasted|has\s+lasted|gone\s+on)\s+(?:for\s+)?(?:longer|more)\s+"
        r"than\s+(?:1\d|[2-9]\d)\s*(?:to\s+\d+\s+)?min",
    ),
    flag(
        "vomiting_or_coughing_blood",
        "vomiting or coughing blood, melaena",
        2,
        False,
        r"\b(?:vomit\w*|throwing\s+up|threw\s+up|coughing|coughed|cough\w*)\s+(?:up\s+)?(?:(?:large\s+|huge\s+)?(?:amounts|lots|"
        r"a\s+lot|mouthfuls)\s+of\s+)?(?:bright\s+red\s+|fresh\s+|dark\s+red\s+|red\s+)?blood\b",
        # nhs.uk Coughing up blood (A&E): "more than just a few spots or streaks of blood".
        r"\bcough\w*\s+up\s+more\s+than\s+(?:just\s+)?a\s+few\s+(?:spots|streaks|specks|drops)\b",
        r"\bblood\s+in\s+(?:the\s+|his\s+|her\s+|my\s+)?(?:vomit|sick|sputum|phlegm)\b",
        r"\bha?ematemesis\b",
        r"\bblood[- ]?stained\s+(?:vomit|sick|sputum|phlegm)\b",
        r"\b(?:vomit|sick)\s+(?:with|containing|that\s+has)\s+blood\b",
        r"\bha?emoptysis\b",
        # "black, tarry-looking stool": a comma between the two words, and "-looking" after them.
        r"\b(?:black|tarry)(?:,?\s+(?:and\s+)?(?:tarry|black))?(?:[- ]looking)?\s+"
        r"(?:stools?|poo|poop|bowel\s+movements?)",
        r"\bmela?ena\b",
        # Not when a cause is named: iron tablets and bismuth turn stools black (nhs.uk Bleeding from the bottom).
        r"\b(?:poo|stools?|poop)\s+(?:is|are|was|looks?)\s+(?:\w+\s+or\s+)?black(?:\s+and\s+(?:sticky|tarry))?\b"
        r"(?![^.;]{0,30}\b(?:iron|bismuth|pepto|liquorice|licorice)\b)",
        r"\bcoffee[- ]ground\w*\b",
    ),
    flag(
        "seizure",
        "seizure",
        2,
        True,
        r"\bseizures?\b",
        r"\bseizing\b",
        r"\bconvuls\w+",
        r"\b(?:is|was|started|keeps?|kept|been|still)\s+fitting\b",
        r"\bfitting\s+(?:now|again|for\s+\d+|(?:>|over|more\s+than)\s*\d+|(?:[5-9]|[1-9]\d)\s*(?:min|mins|minutes)\b)"
        r"(?!\s*(?:min\w*\s+)?last\s+(?:year|month)\b)",
        r"\b(?:have|had|has|having)\s+(?:a\s+)?fit\s+for\s+the\s+first\s+time\b",
        r"\bhad\s+(?:a\s+)?fits?\b",
        r"\bepileptic\s+fit\b",
        # British English for a seizure (nhs.uk Febrile seizures: "a fit"), not "a fit 30-year-old" or "a fit
        # of coughing": a fit that happened, lasted or came with something.
        r"\b(?:febrile|epileptic)\s+fits?\b",
        r"\b(?:having|has|having\s+had)\s+(?:a\s+|another\s+)?fits?\b",
        r"\b(?:a|another|first|second)\s+fit\s+(?:with|lasting|that|which|today|yesterday|earlier|this|last|"
        r"at\s+(?:home|school|work|\d))\b",
        r"\bfits?\s+(?:started|lasted|lasting|stopped)\b",
        # A seizure in a parent's words (Healthier Together): jerking that does not stop when the limb is held.
        rf"\bjerk\w*\s+(?:movements?\s+)?(?:that\s+|which\s+)?{WONT}\s+stop\s+when\s+(?:you\s+)?(?:hold|held|holding)\b",
        r"\b(?:stiff|rigid)\s+body\s+(?:and|or|with)\s+(?:keeps\s+)?(?:making\s+)?jerk\w+",
        r"\bfirst\s+(?:ever\s+)?fit\b",
    ),
    flag(
        "sepsis_signs",
        "sepsis or meningitis signs",
        2,
        True,
        r"\bmottl\w+",
        r"\bmarbled\b",
        r"\bpale\s+and\s+patchy\b|\bpatchy\s+and\s+pale\b",
        r"\b(?:blotchy\s+)?purple\s+(?:blotchy\s+)?(?:rash|spots|blotches)\b",
        r"\bnon-?\s?blanch\w*",
        r"\b(?:don'?t|doesn'?t|do\s+not|does\s+not|won'?t|will\s+not)\s+blanch\b",
        rf"\brash\s+(?:that\s+)?{WONT}\s+(?:fade|go\s+away\s+under)",
        # nhs.uk Meningitis, Healthier Together: "a rash that does not fade / go away when you press on it", the
        # glass (tumbler) test.
        r"\btumbler\s+test\b",
        rf"\b(?:rash|spots|marks)\s+(?:that\s+|which\s+)?{WONT}\s+(?:fade|disappear|go\s+away)\s+(?:with|under)\s+pressure\b",
        rf"\b(?:rash|spots|marks)\s+(?:that\s+|which\s+)?{WONT}\s+(?:fade|go\s+away|disappear)\s+(?:when|if)\s+"
        r"(?:you\s+)?(?:press|pressed|pressing|roll|rolled|rolling)\b",
        r"\bglass\s+test\b",
        rf"\b(?:rash|spots|marks)\s+(?:that\s+|which\s+)?(?:{WONT}|do\s+not|don'?t)\s+blanch",
        r"\bpurpur\w+",
        r"\bpetechia\w*",
        # Petechiae or purpura in lay words: tiny red-purple or purple spots (nhs.uk Meningitis; nhs.uk
        # Immune thrombocytopenia: "tiny red, purple or brown spots").
        r"\b(?:tiny|small|pinpoint|pin-?prick|little)\s+(?:new\s+)?(?:red[/ -]purple|purple[/ -]red|red\s+or\s+purple|"
        r"purple|purplish|red,\s+purple)\b[^.;]{0,20}?\b(?:spots|dots|marks|specks)\b",
        r"\bsepsis\b",
        r"\bseptic\b(?!\s+tank)",
        r"\bmeningitis\b",
        r"\bmeningococcal\b",
        r"\b(?:spots|rash|marks|blotches)\b[^.;]{0,60}?\b(?:don'?t|do\s+not|doesn'?t|does\s+not|won'?t|didn'?t|did\s+not)\s+"
        r"(?:fade|go\s+away|disappear|blanch)\s+(?:when|if|under|with\s+(?:pressure|pressing|a\s+glass|the\s+glass|a\s+tumbler))\b",
    ),
    flag(
        "thunderclap_headache",
        "sudden severe (thunderclap) headache",
        2,
        True,
        r"\bthunderclap\b",
        r"\bworst\s+headache\b",
        # "HA" in a clinician's note: read here only after a word of sudden severity (alone it stays ambiguous).
        r"\b(?:worst|thunderclap|explosive|sudden(?:[- ]onset)?\s+(?:severe|explosive))\s+(?-i:HA)\b",
        r"\bsudden(?:ly)?[- ](?:onset\s+)?(?:\w+\s+){0,2}?(?:severe|excruciating|explosive|intense|terrible|"
        r"blinding)\s+headache",
        r"\b(?:severe|excruciating|explosive|blinding)\s+headache\s+(?:that\s+)?(?:came\s+on\s+|started\s+|began\s+)?"
        r"(?:suddenly|all\s+of\s+a\s+sudden|out\s+of\s+nowhere|instantly|in\s+seconds)",
        r"\bheadache\s+like\s+(?:being\s+)?(?:hit|struck|kicked|a\s+(?:blow|bang|bomb|explosion|thunderclap))",
        r"\bexplosive\s+headache\b",
        r"\bsudden(?:ly)?\s*,\s*(?:severe|excruciating|explosive|intense|terrible)\s+headache",
        # "Sudden-onset headache" is the thunderclap criterion (NICE CKS Headache).
        r"\bsudden[- ]onset\s+(?:of\s+)?(?:\w+\s+)?headache\b",
        r"\bheadache\b[^.]{0,15}\bsudden[- ]onset\b",
        r"\bheadache\s+(?:that\s+)?(?:came\s+on|comes\s+on|started|began)\s+(?:very\s+)?(?:suddenly|all\s+of\s+a\s+sudden)"
        r"\b[^.;]{0,30}\b(?:extremely|very|really|unbearably)\s+(?:painful|severe|bad)\b",
        # "The worst or first headache of this kind" (NICE CKS Headache, red flags; Ottawa SAH rule).
        r"\bnever\s+(?:had|felt|experienced)\s+(?:a\s+)?(?:headache|head\s+pain)\s+(?:like|as\s+bad\s+as)\s+"
        r"(?:this|it|that)\b",
        r"\b(?:first|worst)\s+(?:\w+\s+)?headache\s+(?:of|in)\s+(?:my|his|her|their|your)\s+life\b",
        r"\bheadache\s+(?:unlike|worse\s+than)\s+any\s+(?:other|before|(?:he|she|they|i)\s+(?:has|have)\s+(?:ever\s+)?had)\b",
        # Its worst within seconds or minutes (NICE CKS Headache - assessment: maximum intensity within 5 minutes).
        r"\b(?:reached|reaching|peaked|peaking|hit|was\s+at)\s+(?:its\s+)?(?:maximum|max|peak|full|worst)\s+(?:intensity\s+|severity\s+|"
        r"strength\s+|pain\s+)?(?:with)?in\s+(?:seconds|a\s+few\s+seconds|moments|(?:a|one|1|two|2|five|5|a\s+few)\s+min\w*)\b",
        r"\bheadache\b[^.;]{0,30}?\bworst\s+(?:ever|of\s+(?:my|his|her|their)\s+life)\b",
        # The same in shorthand: "sudden severe occipital HA, max at onset".
        r"\b(?:HA|headache)\b(?:(?!\b(?:not|no|never|gradual\w*)\b)[^.;]){0,30}?\bmax(?:imal|imum)?\s+(?:intensity\s+|severity\s+)?"
        r"(?:at|from)\s+onset\b",
    ),
    flag(
        "new_confusion_or_lethargy",
        "new confusion, disorientation or lethargy",
        2,
        False,
        r"\bconfus\w+",
        r"\bdisorient\w+",
        # The lay word for new confusion (NICE NG51: a new altered mental state), not muddled tablets or dates.
        r"\bmuddled\b(?!\s+(?:up\s+)?(?:with|about)\s+(?:her|his|their|the|my)\s+(?:tablets|pills|medication|meds))",
        r"\bnot\s+making\s+(?:any\s+)?sense\b",
        r"\btalking\s+nonsense\b",
        r"\bdelirious\b",
        r"\bsomnolent\b",
        r"\bobtunded\b",
        r"\blistless\b",
        r"\b(?:really|very|so|extremely|unusually)\s+sluggish\b",
        r"\bslumped\s+(?:over\s+)?in\s+(?:the\s+|a\s+|his\s+|her\s+)?(?:chair|seat|wheelchair|car)\b",
        r"\bslumped\s+over\b(?!\s+(?:the\s+|a\s+|his\s+|her\s+)?(?:desk|table|keyboard|book|laptop|computer))",
        r"\bdelirium\b",
        r"\bletharg\w+",
        r"\b(?:very|extremely|unusually|abnormally)\s+(?:drowsy|sleepy)\b",
        r"\b(?:hard|difficult)\s+to\s+(?:wake|rouse)\b",
        r"\bnot\s+(?:himself|herself|themselves)\b",
        r"\baltered\s+(?:mental|mentation|consciousness|level\s+of\s+consciousness)\b",
        r"\b(?:doesn'?t|does\s+not|didn'?t)\s+(?:know|recogni[sz]e)\s+(?:where\s+(?:he|she|they)\s+(?:is|are)|"
        r"(?:his|her|their)\s+(?:own\s+)?(?:family|wife|husband|name))",
    ),
    flag(
        "loss_of_consciousness",
        "loss of consciousness or collapse",
        2,
        True,
        r"\bpass(?:ed|es)?\s+out\b",
        r"\b(?<!feel\s)(?<!feeling\s)faint(?:ed|ing)\b",
        r"\bblack(?:ed)?\s+out\b",
        r"\bblacking\s+out\b(?!\s+(?:the|his|her|my|their|your|windows?|curtains?|details|memories|after\s+(?:drinking|a\s+night|"
        r"alcohol)|when\s+(?:drinking|drunk))\b)",
        r"\bsyncop\w+",
        r"\b(?:lost|loss\s+of)\s+consciousness\b",
        r"\bunconscious\s+for\b",
        r"\bknocked\s+(?:out|unconscious)\b",
        r"\bcollaps\w+",
    ),
    # ESI v4 handbook practice cases: an implanted defibrillator that fired, a missed dialysis (risk of
    # hyperkalaemia), a sexual assault, an acutely psychotic or violent patient — each "high risk, should
    # not wait" (ESI 2).
    flag(
        "defibrillator_shock",
        "implanted defibrillator fired",
        2,
        False,
        r"\b(?:defibrillator|ICD|AICD)\b[^.!?]{0,60}?\b(?:shock\w*|fired|went\s+off|discharg\w+|zapped)",
        r"\b(?:shock(?:ed)?|zapped)\s+(?:\w+\s+){0,2}?by\s+(?:my|his|her|their|the)\s+(?:internal\s+)?"
        r"(?:defibrillator|ICD|AICD)\b",
    ),
    flag(
        "missed_dialysis",
        "missed dialysis (risk of hyperkalaemia)",
        2,
        False,
        r"\b(?:missed|skipped|skip|miss)\s+(?:\w+\s+){0,2}?dialysis\b",
        r"\b(?:did\s*n'?t|did\s+not|could\s*n'?t|could\s+not|has\s*n'?t|has\s+not)\s+(?:go\s+to|get|have|had|make\s+it\s+to)"
        r"\s+(?:(?:his|her|their|my)\s+)?dialysis\b",
        r"\bdialysis\s+(?:\w+\s+){0,3}?missed\b",
        r"\bdialysis\b[^.;]{0,40}?(?<!not\s)(?<!n't\s)(?<!never\s)\bmissed\s+(?!any\b)(?:\w+\s+){0,2}?(?:sessions?|treatments?|"
        r"runs?)\b",
    ),
    flag(
        "sexual_assault",
        "sexual assault",
        2,
        False,
        r"\bsexual(?:ly)?\s+assault\w*",
        r"\b(?:was|been|got)\s+raped\b",
        r"\brape\b",
    ),
    flag(
        "acute_psychosis_or_violence",
        "acute psychosis, or a danger to others",
        2,
        False,
        r"\bdelusion\w*",
        r"\bhallucinat\w+",
        r"\bhearing\s+voices\b",
        # Hallucinations in lay words: seeing or hearing things that are not there (nhs.uk Psychosis).
        r"\b(?:seeing|hearing|sees|hears|saw|heard)\s+(?:or\s+(?:seeing|hearing)\s+)?things\s+(?:that\s+|which\s+)?"
        r"(?:are\s+not|aren'?t|were\s+not|weren'?t|is\s+not|isn'?t|nobody\s+else|no\s+one\s+else|others\s+(?:can'?t|cannot))\b",
        r"\b(?:seeing|hearing)\s+or\s+(?:seeing|hearing)\s+things\b",
        r"\bbizarre\s+behaviou?r\b",
        r"\bparanoi\w+",
        r"\b(?:violent|combative)\b",
        r"\bdanger\s+to\s+(?:him|her|them)sel(?:f|ves)\s+or\s+others\b",
        r"\bdanger\s+to\s+others\b",
        # Behaviour that endangers the patient: standing or wandering in traffic (ESI handbook 2020, Ch. 9 practice
        # case: a man standing in highway traffic, screaming about the end of the world — ESI 2).
        r"\b(?:standing|stood|walking|walked|wandering|wandered|running|ran|lying|lay|dancing)\s+(?:out\s+)?(?:in\s+the\s+"
        r"middle\s+of\s+(?:the\s+)?(?:road|traffic|highway|motorway)|(?:in|into)\s+(?:the\s+)?(?:oncoming\s+|highway\s+|"
        r"motorway\s+|moving\s+)?traffic|into\s+(?:the\s+)?(?:road|highway|motorway)|(?:along|on)\s+(?:the\s+)?motorway)\b",
        r"\b(?:hears?|hearing)\s+(?:voices|things)\b(?![^.;]{0,60}\b(?:known|stable|usual|long-?standing|chronic)\b)",
    ),
    # ESI handbook (2020 ENA edition), Chapter 3 "ESI Level 2", high-risk situations by system — taken
    # from the chapter's own text, not from any practice case.
    flag(
        "aortic_or_vascular_emergency",
        "possible aortic aneurysm/dissection or acute arterial occlusion",
        2,
        True,
        r"\b(?:ripping|tearing)\s+(?:\w+\s+){0,3}?pain\b",
        r"\bpain\s+(?:\w+\s+){0,3}?(?:ripping|tearing)\b",
        r"\b(?:AAA|aortic\s+(?:aneurysm|dissection))\b",
        # Abdominal pain going through to the back (NICE CKS Abdominal aortic aneurysm; nhs.uk Acute
        # pancreatitis: call 999).
        r"\b(?:tummy|abdomen|abdominal|stomach|belly|epigastric)\b[^.;]{0,40}\b(?:spreads?|spreading|goes|going|radiat\w+|"
        r"moves?|shoots?|shooting)\s+(?:straight\s+)?(?:to|through\s+to|into|through)\s+(?:your\s+|his\s+|her\s+|my\s+|the\s+)?back\b",
        r"\bfrom\s+(?:your\s+|his\s+|her\s+|my\s+|the\s+)?(?:tummy|abdomen|stomach|belly)\s+(?:through\s+)?to\s+(?:your\s+|his\s+|"
        r"her\s+|my\s+|the\s+)?back\b",
        r"\b(?:cold|white|pale|blue)\s+(?:and\s+(?:cold|white|pale|numb|painful)\s+)?(?:leg|foot|arm|hand)\b"
        r"(?=[^.]{0,60}\b(?:no\s+pulse|pulseless|can'?t\s+feel\s+(?:a\s+)?pulse)\b)",
        r"\bcompartment\s+syndrome\b",
        # Acute limb ischaemia in lay words: a limb that suddenly went cold and white, or cold and white with pain or
        # numbness (NICE CKS Peripheral arterial disease: acute limb ischaemia is an emergency; the six Ps).
        r"\bsudden\w*\b[^.;]{0,30}?\b(?:cold|white|pale)\b[^.;]{0,30}?\b(?:leg|foot|arm)\b",
        r"\b(?:leg|foot|arm)\s+(?:\w+\s+){0,3}?(?:cold|white|pale)\s*,?\s+(?:and\s+)?(?:white|pale|cold)\b[^.;]{0,40}?"
        r"\b(?:pain\w*|numb\w*|can'?t\s+(?:feel|move))",
        r"\b(?:acute\s+)?(?:limb|leg|arm)\s+isch(?:a)?emi\w*",
        # Pain that moves from the chest to the abdomen or back, or sudden pain between the shoulder blades (ESC 2014
        # aortic diseases: migrating, abrupt, tearing pain).
        r"\bpain\b[^.;]{0,40}?\b(?:moved|moving|moves|travell?ed|travell?ing|migrat\w+|went)\s+from\s+(?:his|her|my|their|the)\s+"
        r"chest\s+(?:down\s+)?(?:into|to)\s+(?:his|her|my|their|the)\s+(?:abdomen|belly|tummy|stomach|back)\b",
        r"\b(?:sudden\w*|in\s+an\s+instant|all\s+at\s+once|out\s+of\s+nowhere|knife-?like|stabbing)\b[^.;]{0,40}?\bbetween\s+"
        r"(?:the\s+|his\s+|her\s+|my\s+|their\s+)?shoulder[- ]?blades\b",
        r"\bbetween\s+(?:the\s+|his\s+|her\s+|my\s+|their\s+)?shoulder[- ]?blades\b[^.;]{0,40}?\b(?:came\s+on\s+)?"
        r"(?:suddenly|in\s+an\s+instant|all\s+at\s+once|out\s+of\s+nowhere)\b",
    ),
    # A pulmonary embolism named as such (NICE NG158, 2020: suspected PE needs immediate assessment);
    # "PE" alone is left out (it is also "physical examination"). Leg signs with breathlessness, chest
    # pain or coughing blood are read in findings.py.
    # Heatstroke (nhs.uk and HSE Heat exhaustion and heatstroke: call 999 — no sweating while too hot, a
    # temperature of 40 °C or more, confusion; ESI handbook 2020, Ch. 3 environmental emergencies).
    flag(
        "heatstroke",
        "heatstroke",
        2,
        True,
        r"\bheat\s*stroke\b",
        r"\b(?:not|no|stopped)\s+sweating\b[^.]{0,40}\b(?:hot|heat|overheat\w*)\b",
    ),
    # A weak, high-pitched or continuous cry (NICE NG143, fever in under 5s: a red feature).
    flag(
        "high_pitched_cry",
        "a weak, high-pitched or continuous cry",
        2,
        False,
        r"\b(?:weak\s*,?\s+)?high[- ]pitched\s+(?:cry|crying|scream\w*)\b",
        r"\b(?:weak|continuous)\s+(?:cry|crying)\b",
    ),
    # Mastoiditis: pain, swelling or redness behind the ear (NICE CKS Otitis media: emergency admission).
    flag(
        "mastoiditis",
        "possible mastoiditis (pain, swelling or redness behind the ear)",
        2,
        False,
        r"\bmastoid\w*",
        r"\b(?:pain|swelling|swollen|redness|red|tender\w*)\b[^.]{0,40}\bbehind\s+(?:the|his|her|my|your|their)\s+ears?\b",
    ),
    # Passing little or no urine (NICE NG51 sepsis: no urine in 18 hours is high risk; nhs.uk: call 999).
    flag(
        "reduced_urine_output",
        "passing little or no urine",
        2,
        False,
        r"\b(?:stopped|not\s+been|hasn'?t\s+been|haven'?t\s+been)\s+(?:peeing|weeing|urinating|passing\s+urine)\b",
        r"\bnot\s+(?:peed|weed|urinated|passed\s+(?:any\s+)?urine)\s+(?:all\s+day|for\s+\d+|in\s+(?:the\s+last\s+)?\d+)",
        r"\b(?:peeing|weeing|urinating)\s+(?:much|a\s+lot|far)\s+less\b",
        r"\b(?:anuria|oliguria)\b",
    ),
    # Peritonitis (a burst appendix): pain that suddenly worsens and spreads across the abdomen, a rigid
    # abdomen (NHS inform Appendicitis: phone 999; NICE CKS Appendicitis).
    flag(
        "possible_peritonitis",
        "possible peritonitis (pain spreading across the abdomen, rigid abdomen)",
        2,
        True,
        r"\bpain\b[^.;]{0,40}\bspread\w*\s+(?:across|over|through(?:out)?)\s+(?:the\s+|your\s+|his\s+|her\s+|my\s+)?"
        r"(?:whole\s+)?(?:abdomen|tummy|belly|stomach)\b",
        r"\b(?:rigid|board-?like)\s+(?:abdomen|belly|tummy|stomach)\b",
        r"\b(?:abdomen|belly|tummy|stomach)\s+(?:is\s+)?(?:rigid|board-?like|hard\s+as\s+a\s+board)\b",
        r"\bperitonitis\b",
    ),
    # Signs of poor perfusion on their own: pale or grey and sweaty or clammy, cold and clammy, mottled or
    # ashen skin (NICE NG51 sepsis: high-risk criteria; ESI handbook, Ch. 4: signs of shock are high risk).
    flag(
        "poor_perfusion",
        "pale, cold or clammy skin (possible shock)",
        2,
        True,
        r"\b(?:pale|grey|gray|ashen|white)\s*,?\s+(?:and\s+)?(?:sweaty|clammy|cold\s+and\s+sweaty)\b",
        r"\b(?:sweaty|clammy)\s+and\s+(?:pale|grey|gray|ashen)\b",
        r"\b(?:cold|cool)\s*,?\s+(?:and\s+)?clammy\b",
        r"\bcold\s+or\s+clammy\s+skin\b",
        r"\b(?:pallor|pale)\s+(?:and|with)\s+(?:diaphoresis|diaphoretic|sweating)\b",
        r"\bdiaphore\w+\s+(?:and|with)\s+(?:pallor|pale)\b",
        r"\bclammy\s+(?:and\s+)?cold\b",
        r"\b(?:pale|pallor)\b[^.;]{0,20}?\b(?:diaphore\w+|clammy)\b",
        r"\bdiaphore\w+\b[^.;]{0,20}?\b(?:pale|pallor|clammy)\b",
        r"\b(?:mottled|marbled|ashen|blotchy)\s+(?:skin|legs|arms|appearance)\b",
        # Hypotension named without a number beside another sign of shock or its cause ("hypotensive, tachycardic,
        # febrile", "PE, hypotensive"); alone it is often postural or a medicine's effect (nhs.uk Low blood pressure).
        r"\bhypotensi(?:ve|on)\b(?<!postural\shypotension)(?<!orthostatic\shypotension)(?!\s*(?:of\s+|at\s+|:\s*|=\s*|\()?\d)"
        r"(?:(?!\b(?:no|not|nil|without)\b)[^.;]){0,40}?\b(?:tachycardi\w*|febrile|pyrexi\w*|fever|confus\w*|drowsy|clammy|mottled|"
        r"bleed\w*(?!\s+gums)|"
        r"septic|sepsis|PE|pulmonary\s+embolism|anaphyla\w+)\b",
        r"\b(?:tachycardi\w*|febrile|pyrexi\w*|fever|confus\w*|drowsy|clammy|mottled|bleed\w*|septic|sepsis|PE|"
        r"pulmonary\s+embolism|anaphyla\w+)\b[^.;]{0,40}?\bhypotensi(?:ve|on)\b(?!\s*(?:of\s+|at\s+|:\s*|=\s*|\()?\d)",
        # Mottling in lay words (Healthier Together: "pale with patchy coloured skin that feels cold"); not
        # "patchy dry skin, worse in the cold".
        r"\bpale\b[^.;,]{0,12}?\b(?:patchy|blotchy)\s+(?:colou?red\s+)?skin\b[^.;,]{0,20}?\b(?:feels?\s+cold|cold\s+(?:to|when))\b",
        r"\bunusually\s+\(?cold\s+hands\s+and\s+feet\b",
        r"\bskin\s+(?:is\s+|looks\s+)?(?:mottled|marbled|ashen|blotchy)\b",
        # A capillary refill of 3 seconds or more (NICE NG143 amber, NG51 sepsis), as a clinician notes it.
        r"\b(?:cap(?:illary)?\s+refill(?:\s+time)?|CRT)\s*(?:of|is|was|:|=)?\s*(?:>|≥|>=|more\s+than|over)?\s*"
        r"(?:[3-9]|1\d)\s*(?:s|secs?|seconds)\b",
        r"\b(?:prolonged|delayed|sluggish)\s+(?:cap(?:illary)?\s+refill|CRT)\b",
    ),
    flag(
        "possible_pulmonary_embolism",
        "possible pulmonary embolism",
        2,
        True,
        r"\bpulmonary\s+embol\w+",
        rf"\b(?:blood\s+)?clots?\s+(?:in|on)\s+{P}lungs?\b",
    ),
    flag(
        "cardiac_risk_presentation",
        "presentation at high risk of an acute coronary syndrome",
        2,
        True,
        r"\bchest\s+pain\b[^.]{0,80}\bcocaine\b",
        r"\bcocaine\b[^.]{0,80}\bchest\s+(?:pain|tightness|pressure)\b",
        r"\b(?:STEMI|stroke|sepsis|trauma)\s+(?:alert|activation|call)\b",
        r"\b(?:hypertensive\s+(?:crisis|emergency|urgency))\b",
    ),
    flag(
        "high_risk_bleeding",
        "high-risk bleeding (anticoagulated, postpartum, amputation, arterial)",
        2,
        True,
        # Not a fingertip: the handbook's own cases keep a fingertip amputation at ESI 3.
        r"\bamputat\w+(?![^.]{0,30}\btips?\b)",
        r"\b(?:cut|sliced|chopped)\s+off\s+(?:\w+\s+){0,2}?(?:fingers?|thumbs?|toes?|hands?|foot|feet)\b",
        r"\barterial\s+bleed\w*",
        r"\bposterior\s+(?:nose\s*bleed|epistaxis)\b",
        r"\b(?:postpartum|post-partum|after\s+(?:giving\s+)?birth|after\s+delivery)\b[^.]{0,60}\b(?:heavy\s+)?bleed\w*",
        r"\b(?:heavy\s+)?bleed\w*\b[^.]{0,60}\b(?:postpartum|post-partum|since\s+(?:giving\s+)?birth)\b",
        r"\b(?:postpartum|post-partum|postnatal|gave\s+birth|had\s+(?:my|her|the)\s+baby|delivered)\b(?![^.]{0,25}\byears?\s+ago)[^.]{0,60}\b(?:large|big)\s+"
        r"(?:blood\s+)?clots\b",
        # Soaking a pad an hour (ACOG; nhs.uk Heavy periods: A&E when soaking a pad every hour), bleeding after a
        # tonsillectomy (nhs.uk Tonsillitis: go to A&E).
        r"\bsoak\w*\s+(?:through\s+)?(?:a\s+|one\s+|more\s+than\s+one\s+)?(?:maternity\s+|sanitary\s+)?(?:pads?|towels?)\s+(?:\w+\s+)?"
        r"(?:every|an|per|each|in\s+(?:an|one|1))\s+(?:hour|\d+\s+min\w*)\b",
        r"\b(?:bleed\w*|blood)\b[^.;]{0,60}?\b(?:tonsillectomy|tonsils?\s+(?:were\s+|was\s+)?(?:taken\s+out|removed|out))\b",
        r"\b(?:tonsillectomy|tonsils?\s+(?:were\s+|was\s+)?(?:taken\s+out|removed|out))\b[^.;]{0,60}?\b(?:bleed\w*|blood)\b",
    ),
    flag(
        "metabolic_emergency",
        "hyperkalaemia, or a very high or low blood sugar",
        2,
        False,
        r"\bhyperkal\w+",
        r"\b(?:high|raised|elevated)\s+potassium\b",
        r"\bhyperosmolar\b",
        r"\b(?:blood\s+)?(?:sugar|glucose|BG|BGL)\s+(?:is\s+|was\s+|of\s+|reading\s+)?(?:[4-9]\d\d|HI|high\s+on\s+(?:the\s+)?meter)\b",
        # Potassium 6.5 mmol/L or more (NICE CKS Hyperkalaemia: immediate admission), adrenal crisis (nhs.uk Addison's
        # disease: call 999).
        r"(?<!on\s)\b(?:potassium|K\+)\s*(?:level\s+)?(?:of|is|was|at|:|=)?\s*(?:6\.[5-9]\d?|[7-9](?:\.\d+)?)(?![\d.])"
        r"(?!\s*(?:mmol\s*)?(?:tablets?|supplements?|sachets?|SR|effervescent))",
        # The same with the test named between: "K+ on today's bloods 6.9", "potassium came back at 7.1".
        r"\b(?:potassium|K\+)\s+(?:(?:on|in|from|of|today'?s|todays|this\s+morning'?s|the|my|his|her|bloods?|blood\s+tests?|"
        r"results?|levels?|was|is|came\s+back|back|at|now)\s+){1,6}(?:6\.[5-9]\d?|[7-9]\.\d+)(?![\d.])"
        r"(?!\s*(?:mmol\s*)?(?:tablets?|supplements?|sachets?|SR|effervescent))",
        r"\badrenal\s+crisis\b",
        r"\b(?:addison'?s|adrenal\s+insufficiency|hypoadrenal\w*|hypopituitar\w*)\b[^.;]{0,60}?\b(?:vomit\w*|can'?t\s+keep\s+(?:\w+\s+){0,3}?down|"
        r"collaps\w+|faint\w*)",
    ),
    flag(
        "near_syncope",
        "near-fainting (near syncope)",
        2,
        False,
        r"\bnear[- ]syncop\w+",
        r"\bpre-?syncop\w+",
        r"\b(?:almost|nearly)\s+(?:passed\s+out|fainted|blacked\s+out|collapsed)\b",
    ),
    flag(
        "abuse_or_violence_victim",
        "suspected abuse, domestic violence",
        2,
        False,
        r"\b(?:suspected\s+)?(?:child|elder)\s+abuse\b",
        r"\bnon-?accidental\s+injur\w+",
        r"\bdomestic\s+(?:violence|abuse|assault)\b",
        r"\b(?:beaten|beat\s+up|assaulted|hit|strangled|choked)\s+by\s+(?:her|his|their|my)\s+(?:husband|wife|partner|"
        r"boyfriend|girlfriend|ex)\b",
    ),
    flag(
        "eye_emergency",
        "serious eye injury or acute glaucoma",
        2,
        False,
        r"\b(?:globe\s+rupture|ruptured\s+globe|penetrating\s+eye|hyphema|hyphaema)\b",
        r"\b(?:retinal\s+(?:detachment|artery\s+occlusion)|detached\s+retina)\b",
        r"\b(?:acute\s+)?(?:narrow|closed)[- ]angle\s+glaucoma\b",
        r"\b(?:acute\s+)?angle[- ]closure\s+glaucoma\b"
        r"(?![^.;]{0,60}\b(?:iridotomy|laser|review|years\s+ago|drops|prescription)\b)",
        # Orbital or periorbital cellulitis (NICE CKS Cellulitis: admit; a child's eyelid swelling with fever).
        r"\b(?:peri-?)?orbital\s+cellulitis\b(?!\s+last\s+(?:year|month))"
        r"(?![^.;]{0,40}\b(?:discharged|oral\s+antibiotics|return\s+to)\b)",
        r"\b(?:something|metal|glass|wood)\s+(?:is\s+|got\s+|has\s+got\s+)?(?:stuck|embedded|lodged)\s+in\s+(?:\w+\s+){0,2}?eye\b",
        # nhs.uk Red eye (A&E) and NICE CKS Red eye red flags: unequal pupils, a pierced or injured eye.
        r"\b(?:1|one)\s+pupil\s+is\s+(?:bigger|larger|smaller)\s+than\s+the\s+other\b",
        r"\b(?:unequal|different[- ]sized?)\s+pupils\b",
        r"\banisocoria\b",
        r"\bpupils\s+(?:are\s+)?(?:different|unequal)\s+sizes?\b",
        r"\b(?:pierced|punctured|penetrat\w+)\s+(?:\w+\s+){0,2}?eye\b",
        # Eye casualty lists (UHS, KGH): a chemical injury, severe trauma to the eye, a sudden painful red eye.
        r"\bchemicals?\s+(?:\w+\s+){0,3}?(?:in|into)\s+(?:the\s+|his\s+|her\s+|my\s+|your\s+|their\s+)?eyes?\b",
        r"\bchemical\s+eye\s+(?:injury|burn|splash)\b",
        r"\bchemical\s+(?:injury|burn|splash)\s+(?:to|in)\s+(?:the\s+|his\s+|her\s+|my\s+|your\s+|their\s+)?eyes?\b",
        r"\beye\b[^.;]{0,30}?\bchemical\s+(?:injury|burn|splash)\b",
        r"\b(?:severe|serious|major)\s+(?:ocular\s+)?(?:trauma|injury)\s+to\s+(?:the\s+|his\s+|her\s+|my\s+|your\s+)?eyes?\b",
        r"\bsevere\s+ocular\s+(?:trauma|injury)\b",
        r"\b(?:sudden(?:[- ]onset)?\s+(?:of\s+)?(?:a\s+)?|acute\s+)painful\s+red\s+eyes?\b",
        # An eye hit by something at speed while hammering, drilling or grinding (nhs.uk Eye injuries: go to A&E).
        # Flashes and floaters with a shadow stay with a same-day optician or eye service (NHS 111 Wales).
        r"\b(?:hammering|grinding|drilling|chisell?ing|strimming|welding|metalwork)\b[^.;]{0,60}?\b(?:(?:flew|went|shot|got|flicked)"
        r"\s+(?:\w+\s+){0,2}?(?:in|into)|hit|(?:something|metal|a\s+bit|fragment|particle|splinter|chip|swarf|debris)\s+"
        r"(?:\w+\s+){0,3}?(?:in|into|hit))\s+(?:(?:him|her|me|them)\s+in\s+)?(?:(?:his|her|my|the|their|your)\s+)?eyes?\b",
        r"\b(?:metal|splinter|fragment|particle|chip|swarf|debris|shard)\s+(?:\w+\s+){0,2}?in\s+(?:(?:his|her|my|the|their|your)\s+)?"
        r"eyes?\b[^.;]{0,40}?\b(?:after|while|when|from)\s+(?:\w+\s+)?(?:grinding|hammering|drilling|welding|chisell?ing)\b",
        r"\b(?:flew|went|shot|hit|got|flicked)\s+(?:\w+\s+){0,2}?(?:in|into)\s+(?:(?:his|her|my|the|their|your)\s+)?eyes?\b[^.;]{0,60}?"
        r"\b(?:while|when)\s+(?:\w+\s+)?(?:hammering|grinding|drilling|chisell?ing|strimming|welding)\b",
    ),
    flag(
        "severe_distress",
        "severe pain with distress",
        2,
        False,
        r"\bworst\s+pain\b",
        # "The worst tummy pain ever", "rolling around on the floor in pain": pain the person calls their worst, or
        # shows by writhing (ESI v4 handbook, Ch. 3: severe pain or distress judged by observation or report).
        r"\bworst\s+(?:tummy|stomach|abdominal|belly|chest)\s+pain\s+(?:ever|of\s+(?:my|his|her|their|your)\s+life|"
        r"(?:i|he|she|they)(?:'?ve|\s+has|\s+have)\s+ever)\b",
        r"\brolling\s+(?:around|about)\s+(?:on\s+the\s+(?:floor|bed)\s+)?(?:in|with)\s+(?:pain|agony)\b",
        r"\b(?:tummy|stomach|abdominal|belly)\s+pain\b[^.;]{0,30}?\brolling\s+(?:around|about)\s+(?:on\s+the\s+floor\b|"
        r"in\s+(?:pain|agony)\b|[,.;]|$)",
        r"\bexcruciating\b",
        r"\bunbearable\b",
        r"\bagoni[sz]\w+",
        r"\bin\s+agony\b",
        r"\b(?:screaming|crying|writhing|doubled\s+over)\s+(?:in|with)\s+pain\b",
        r"\b(?:severe|extreme)\s+distress\b",
        r"\bpsychotic\b",
        r"\bpsychosis\b",
    ),
    flag(
        "major_trauma",
        "major trauma",
        2,
        True,
        r"\b(?:hit|struck|knocked\s+(?:down|over))\s+by\s+(?:a\s+)?(?:car|vehicle|truck|lorry|bus|train|van|motorbike)\b"
        r"(?!\s+(?:wing\s+)?(?:mirrors?|doors?)\b)",
        # A serious accident, severe injuries, a traumatic back or neck injury, drowning (999 lists of NHS
        # ambulance services and trusts).
        r"\b(?:serious|major|bad|severe)\s+(?:car\s+|road\s+|traffic\s+)?(?:accident|crash|collision)s?\b",
        # A penetrating injury to the trunk or neck, a person under water, a fall from over a metre or three feet
        # (NHS ambulance services' 999 lists; ACS field triage: falls, penetrating injuries; NICE NG232).
        r"\bpenetrating(?<!non-penetrating)(?<!non\spenetrating)\s+(?:\w+\s+)?(?:injur(?:y|ies)|wounds?|trauma)\b",
        r"\bsubmersion\s+(?:injury|incident|>|over|more\s+than|for)",
        r"\bsubmerged\s+(?:in\s+(?:the\s+)?(?:water|pool|bath|river|sea)\s+)?for\s+(?:more\s+than\s+|over\s+|about\s+)?(?:a|one|\d+|"
        r"two|three|several)\s+(?:minutes?|mins?)\b",
        r"\b(?:fallen|fell|falls?|falling)\s+(?:from\s+(?:more\s+than|over|greater\s+than|>)|more\s+than|greater\s+than|>)\s*"
        r"(?:[1-9]\d+\s*(?:feet|foot|ft)|(?:[3-9]|[1-9]\d+|three|four|five)\s*(?:metres?|meters?|m))\b",
        r"\bsevere\s+injuries\b",
        r"\bnecroti[sz]ing\s+fasciitis\b",
        # A serious or severe injury by any name, or someone seriously injured (the same 999 lists: "serious head
        # injuries", "they are seriously injured during the fit", "the injury seems severe").
        r"\b(?:serious|severe|major)\s+(?:head\s+|neck\s+|back\s+|spinal\s+|chest\s+|abdominal\s+|eye\s+)?injur(?:y|ies)\b",
        r"\b(?:seriously|severely)\s+(?:injured|hurt)\b",
        r"\binjury\s+(?:is|seems|looks|appears)\s+(?:very\s+)?(?:severe|serious)\b",
        r"\btraumatic\s+(?:back|spinal|spine|neck)\b",
        r"\b(?:near[- ])?drown\w*",
        # "bike" stays: it may be a motorbike, and a cyclist hit by a vehicle is high risk (CDC field triage).
        r"\b(?:car|motorbike|motorcycle|motor[\s-]*bike|road\s+traffic|high[- ]speed|bike|e-?bike|quad|dirt\s*bike)\s+"
        r"(?:crash|accident|collision)\b",
        # A high-energy collision in any wording: "a high-speed, multicar collision", "a head-on crash"
        # (ESI v4 handbook, Ch. 3: mechanism of injury is a high-risk situation).
        r"\bhigh[- ]speed\b(?:(?!\bno\b)[^.;]){0,40}?\b(?:crash|accident|collision|MVC|MVA|RTC)\b",
        r"\b(?:multi-?(?:car|vehicle)|head[\s-]?on)\s+(?:crash|accident|collision|pile-?up)\b",
        # Words between the fall and where from: "fell approximately 10 feet off of a ladder".
        r"\b(?:fell|fall(?:en)?)\s+(?!asleep\b)(?:[\w~.-]+\s+){0,4}?(?:from|off)\s+(?:of\s+)?(?:a\s+|the\s+|an?\s+)?"
        r"(?:height|ladder|roof|balcony|window|scaffold\w*|horse)\b",
        r"\b(?:MVC|MVA|RTC|RTA)\b",
        r"\bmotor\s+vehicle\s+(?:crash|accident|collision)\b",
        r"\bejected\s+from\s+(?:the\s+|a\s+)?(?:vehicle|car)\b",
        r"\brolle?d?\s*over\s+(?:crash|accident)\b",
        r"\bpedestrian\s+(?:struck|hit|versus|vs\.?)\b",
        r"\b(?:div(?:ed|ing)|dove)\s+(?:in|into|off)\s+(?:a\s+|the\s+)?(?:shallow\s+)?(?:pool|water|lake|river|sea|quarry)\b",
        r"\b(?:c-?collar|cervical\s+collar|back\s*board|spin(?:al|e)\s+(?:board|immobili[sz]\w+))\b",
        # A possible spinal injury: do not move them, call 999 (NI Direct, nhs.uk Spinal injury).
        r"\b(?:possible|suspected|\?)\s*(?:back\s*(?:/|or|,)\s*neck|neck\s*(?:/|or|,)\s*back|spinal|spine|c-?spine)\s+"
        r"(?:\(spinal\)\s+)?injur\w*",
        r"\b(?:acute|new)\s+spinal\s+(?:cord\s+)?injur\w*",
        r"\bmay\s+have\s+(?:hurt|injured|damaged)\s+(?:their|his|her|your|my)\s+(?:back\s+or\s+neck|neck\s+or\s+back|spine)\b",
        r"\bstabbed\b",
        r"\bstab\s+wound\b",
        r"\bgunshot\b",
        # Any gunshot wound is ESI 2 at least: a bullet's path cannot be judged at triage (ESI v4 handbook).
        r"\b(?:been|was|were|got|gets|getting|get|being)\s+shot\b(?!\s+(?:up|down|of|at\s+(?:but|and\s+missed)))",
        # A limb needs the verb: "a flu shot in the arm" is an injection, "shot in the left leg" is not.
        # Only where a text or clause starts ("shot in the left leg"): after a word it is an injection ("a
        # penicillin shot in the arm") or a pain ("a pain shot in the side").
        r"(?:^|(?<=[.;:,(]\s)|(?<=[.;:,(]))\s*shot\s+in\s+the\s+(?:left\s+|right\s+|upper\s+|lower\s+)?"
        r"(?:leg|thigh|arm|shoulder|foot|hand|buttock|groin)\b",
        r"\bshot\s+(?:in\s+the\s+(?:head|face|chest|abdomen|stomach|belly|back|neck)|with\s+a\s+(?:gun|rifle|pistol|"
        r"shotgun|crossbow)|by\s+(?:a\s+)?(?:gun|someone|police|a\s+stranger))\b",
        r"\bmajor\s+trauma\b",
        r"\bcrush(?:ed)?\s+injur\w+\b",
        r"\bimpaled\b",
        # A broken femoral shaft can lose more than a litre of blood (ATLS, 10th ed.: haemorrhagic shock); a
        # hip fracture ("neck of femur") is its own resource complaint.
        r"\b(?:broken|fractured)\s+(?:left\s+|right\s+|L\s+|R\s+)?(?:femur|thigh\s*bone)\b(?!\s+neck)",
        r"\b(?:femur(?<!of\sfemur)(?<!proximal\sfemur)|femoral\s+shaft|thigh\s*bone)\s+(?:(?:appears|looks|is|seems)\s+(?:to\s+be\s+)?)?"
        r"(?:fx|fracture[ds]?|broken)\b",
        r"\bamputat\w+",
    ),
    flag(
        "severe_burns",
        "severe burns",
        2,
        True,
        r"\b(?:severe|extensive|major|deep|large|full[- ]thickness|bad)\s+burns?\b",
        r"\bburns?\s+(?:to|on)\s+(?:the\s+|his\s+|her\s+|my\s+)?(?:face|airway|mouth|chest|genitals?)\b",
        r"\b(?:electrical|chemical)\s+burns?\b",
        r"\b(?:third|3rd)[- ]degree\s+burns?\b",
        # 10 % of body surface or more (any wording between the percentage and "burn").
        r"\b(?:[1-9]\d|100)\s*(?:%|percent\b|per\s+cent\b)\s*(?:[\w-]+\s+){0,4}?burns?\b",
        r"\bburn(?:s|ed)?\s+(?:to|on|over|covering)\s+(?:about\s+|around\s+|nearly\s+)?(?:[1-9]\d|100)\s*"
        r"(?:%|percent\b|per\s+cent\b)",
        r"\bburns?\s+(?:[1-9]\d|100)\s*(?:%|percent\b|per\s+cent\b)(?!\s*(?:TBSA\s+)?(?:last\s+(?:year|month)|as\s+a?\s*child|scars?))",
        r"\bsmoke\s+inhalation\b",
        # White or charred skin: a full-thickness burn, of any size (ABA burn centre referral; nhs.uk Burns).
        r"\bburns?\b[^.;]{0,40}?\b(?:white|charred|leathery|blackened)\b(?:\s+(?:or|and)\s+\w+)?\s+skin\b",
        r"\b(?:burn|scald)s?\b[^.;]{0,40}?\bskin\s+(?:which\s+|that\s+)?(?:appears|looks|is)\s+(?:white|charred|leathery)\b",
        # A burn from a chemical or electricity, one larger than the patient's hand, smoke breathed in (nhs.uk
        # Burns and scalds: go to A&E; the hand, palm included, is about 1 % of the body surface).
        r"\bburns?\s+(?:\w+\s+){0,2}?(?:caused\s+by|from)\s+(?:a\s+|an\s+)?(?:chemicals?|electricity|electrical|electrocut\w*|"
        r"electric\s+shocks?)\b",
        r"\b(?:burn|scald)s?\b[^.;]{0,40}?\b(?:larger|bigger)\s+than\s+(?:the\s+size\s+of\s+)?(?:your\s+|the\s+|their\s+|"
        r"his\s+|her\s+)?(?:child'?s\s+|person'?s\s+|patient'?s\s+)?(?:hand|palm)\b",
        r"\b(?:inhaled|breathed\s+in)\s+(?:any\s+|some\s+|a\s+lot\s+of\s+)?smoke\b",
        # healthdirect Burns and scalds (000): a deep burn, one on the airway, face, hands or genitals, patches of
        # brown, black or white.
        r"\b(?:the\s+)?burn\s+is\s+deep\b",
        r"\bburns?\b[^.;]{0,30}?\bfull[- ]thickness\b",
        r"\bburns?\b[^.;]{0,30}?\b(?:brown|black|white)\b[^.;]{0,20}?\bpatches\b",
        r"\bburns?\s+(?:w/|with)\s+(?:dyspn\w+|SOB|breathing\s+difficult\w*|difficulty\s+breathing)\b",
        r"\b(?:smoke|fumes?)\s*(?:/\s*(?:smoke|fumes?)\s*)?inhalation\b",
        r"\bburns?\s+(?:involves?|involving|affects?|affecting)\s+(?:the\s+)?(?:airway|face|hands?|feet|genitals?)\b",
        r"\bburns?\b[^.;]{0,40}?\bpatches\s+of\s+(?:brown|black|white)\b",
        r"\b(?:burn|scald)\w*\b[^.;]{0,60}?\bskin\s+(?:is\s+|looks\s+|appears\s+)?(?:white|charred|leathery|blackened)\b",
        r"\b(?:burn|scald)\w*\b[^.;]{0,80}?(?<![\d.])(?:[1-9]\d|100)\s*(?:%|percent\b|per\s+cent\b)\s+of\s+(?:the|his|her|their|my)\s+"
        r"(?:body|skin)\b",
        # An electric shock from the mains or higher (ESI handbook 2020, Ch. 3; nhs.uk Burns: electrical burns go to
        # A&E).
        r"\belectric(?:al)?\s+shock\s+from\s+(?:the\s+)?(?:mains|power|high[- ]voltage|a\s+socket|a\s+cable|"
        r"power\s+lines?)\b",
        r"\belectrocut\w+",
    ),
    flag(
        "testicular_torsion",
        "testicular pain (possible torsion) or priapism",
        2,
        False,
        r"\btesticul\w+\s+(?:pain|swelling|torsion)\b",
        r"\b(?:testicles?|testis|testes|scrotum|balls?)\s+(?:is\s+|are\s+)?(?:pain|hurts?|hurting|swollen|swelling|aching|"
        r"sore)\b",
        r"\b(?:painful|swollen|sore|aching)\s+(?:left\s+|right\s+)?(?:testicles?|testis|testes|scrotum)\b",
        r"\bpain\w*\s+in\s+(?:his\s+|my\s+|the\s+|one\s+|a\s+)?(?:(?:left|right)\s+)?(?:testicles?|testis|testes|balls?|scrotum)\b",
        r"\bpain\w*\s+in\s+(?:the\s+|his\s+|my\s+)?(?:groin|tummy|abdomen)\s+and\s+(?:the\s+|his\s+|my\s+)?(?:testicles?|testis|"
        r"scrotum|balls?)\b",
        r"\b(?:left|right|one)\s+(?:testicle|testis)\b[^.;]{0,30}?\b(?:pain\w*|hurts?|hurting|swollen|swelling|sore|aching)\b",
        r"\bscrotal\s+(?:pain|swelling)\b",
        r"\btorsion\b",
        # A painful erection lasting four hours or more (nhs.uk Priapism: go to A&E; EAU guideline).
        r"\bpriapism\b",
        r"\berection\b[^.;]{0,40}?\b(?:lasted|lasting|for|over)\s+(?:more\s+than\s+|over\s+|about\s+)?(?:[4-9]|1\d|four|five|six|"
        r"several)\s+(?:hours|hrs?)\b",
    ),
    flag(
        "ectopic_or_obstetric",
        "possible ectopic pregnancy or obstetric emergency",
        2,
        False,
        r"\bectopic\b(?!\s+(?:beats?|heart\s*beats?|rhythms?|atrial|ventricular|complexes))",
        r"\b(?:pre-?)?eclamp(?:sia|tic)\b(?!\s+(?:in\s+)?(?:last|previous|prior|her\s+last|my\s+last)\s+pregnanc)",
        r"\bplacental\s+abruption\b",
        # A cord felt or seen after the waters break (RCOG Green-top Guideline 50: call 999). Reduced movements, waters
        # breaking and labour stay with the maternity unit's triage line (a consultation the same day), as the maternity
        # triage pages sort them.
        r"\b(?:cord\s+prolapse|prolapsed\s+(?:umbilical\s+)?cord)\b",
        r"\b(?:feel|see|felt|saw|seen|can\s+feel|can\s+see)\s+(?:the\s+)?(?:umbilical\s+)?cord\b",
        r"\b(?:waters|vagina)\b[^.;]{0,60}?\bcord\s+(?:is\s+)?(?:noticeable|visible|hanging|coming|showing|seen)\b",
        r"\bcord\s+(?:is\s+)?(?:noticeable|visible|hanging|coming|showing|seen)\s+(?:\w+\s+)?(?:outside|out\s+of|from)\s+(?:the\s+|her\s+|"
        r"my\s+)?vagina\b",
        # A birth about to happen outside a hospital: an urge to push in labour, the baby's head showing (East of
        # England Ambulance Service and the NHS Pregnancy pages: call 999 when the baby is coming).
        r"\b(?:pregnan\w+|labou?r\w*|contractions?|waters|\d+\s*weeks)\b[^.]{0,60}?\burge\s+to\s+push\b",
        r"\burge\s+to\s+push\b[^.]{0,40}?\b(?:contractions?|labou?r|waters|baby)\b",
        r"\bbaby'?s\s+head\s+(?:is\s+)?(?:crowning|showing|visible|coming\s+out)\b",
        r"\bbirth\b[^.;]{0,30}?\bhappening\s+(?:\w+\s+)?(?:faster|quicker|sooner)\s+than\s+expected\b",
    ),
    flag(
        "diabetic_emergency",
        "diabetic emergency",
        2,
        False,
        r"\b(?:diabetic\s+)?ketoacidosis\b",
        r"\bDKA\b",
        r"\bketones?\s+(?:levels?\s+)?(?:is\s+|are\s+|was\s+|of\s+|reading\s+)?(?:above|over|higher\s+than|more\s+than|"
        r"greater\s+than|>)\s*3(?:\.\d+)?(?![\d.])(?!\s*(?:days?|h\b|hrs?|hours?|min))",
        # nhs.uk Diabetic ketoacidosis (A&E): "a high level of ketones – over 3 mmol/L in your blood, or over 2+ in
        # your pee".
        r"\b(?:high|raised)\s+(?:levels?\s+of\s+)?(?:blood\s+)?ketones?\b(?![^.;]{0,15}\b(?:normal|low|negative)\b)",
        r"\bketones?\b[^.;]{0,25}?(?:>|over|above|more\s+than)\s*[2-4]\s*\+",
        r"(?:\b(?:diabet\w*|T[12]\s*DM|DM|IDDM|insulin|CBG|BMs?|BGL?|glucose|sugars?)\b[^.]{0,60}?(?<!urine\s)(?<!urinary\s)\b"
        r"(?:blood\s+)?ketones?|\bblood\s+ketones?|\bketone\s+levels?|\bketones?(?=\s*:))\s*(?:levels?\s+)?"
        r"(?:is\s+|are\s+|was\s+|of\s+|reading\s+|:\s*|=\s*)?"
        r"(?:[3-9](?:\.\d+)?|1\d(?:\.\d+)?)(?![\d.+])(?!\s*(?:days?|h\b|hrs?|hours?|min|times|weeks?))"
        r"(?![^.;]{0,25}\b(?:breath|dipstick|urine|wee|pee)\b)",
        # "too high for the meter to read", "meter says HI" (nhs.uk Diabetic ketoacidosis, Hyperglycaemia).
        r"\b(?:sugars?|glucose|BMs?|readings?)\b[^.;]{0,20}?\btoo\s+high\s+(?:for|to)\s+(?:the\s+|my\s+|his\s+|her\s+)?(?:meter|machine|read)\b",
        r"\b(?:(?:glucose|sugar|BM)\s+)?meter\s+(?:just\s+)?(?:says|said|reads|read|shows|showed)\s+(?:HI|high)\b",
    ),
    # A bowel that passes nothing: intestinal obstruction until shown otherwise (nhs.uk and NHS inform Stomach
    # ache: go to A&E if you cannot poo or fart). Green vomit in a child: findings.py.
    flag(
        "bowel_obstruction",
        "possible bowel obstruction (no stool or wind, or green vomit)",
        2,
        False,
        rf"\b{CANT}\s+(?:poo|poop|pass\s+(?:stools?|faeces|feces|a\s+stool))\s+(?:or|and|nor)\s+(?:fart|pass\s+wind|"
        r"pass\s+gas|wind|gas|flatus)\b(?!\s*pains?)",
        rf"\b{CANT}\s+(?:fart|pass\s+(?:wind|gas|flatus))\s+(?:or|and|nor)\s+(?:poo|poop|(?:pass\s+)?(?:stools?|faeces))\b",
        r"\b(?:unable\s+to\s+pass|not\s+passing|no)\s+(?:urine\s*,\s*)?(?:stools?|faeces|feces|bowel\s+movements?)\s+"
        r"(?:or|and|nor)\s+(?:flatus|wind|gas)\b(?!\s*pains?)",
        # Bowels not opened and no wind passed, vomit that smells of faeces, a hernia that will not go back in (nhs.uk
        # Stomach ache and Inguinal hernia: go to A&E; NICE CKS Bowel obstruction).
        r"\b(?:haven'?t|hasn'?t|have\s+not|has\s+not|not)\s+(?:opened\s+(?:my|his|her|their)\s+bowels|been\s+able\s+to\s+(?:poo|"
        r"open\s+(?:my|his|her|their)\s+bowels))\s+(?:or|and|nor)\s+(?:passed|pass)\s+(?:any\s+)?(?:wind|gas)\b",
        r"\b(?:haven'?t|hasn'?t|have\s+not|has\s+not|not|n'?t)\s+(?:passed|passing)\s+(?:any\s+)?(?:wind|gas|flatus)\b"
        r"(?=[^.;]{0,60}?\b(?:vomit\w*|swollen|swelling|distended|bloated|days?|since)\b)",
        r"\b(?:vomit\w*|swollen|distended|bloated)\b[^.;]{0,60}?\b(?:haven'?t|hasn'?t|have\s+not|has\s+not|not|n'?t)\s+"
        r"(?:passed|passing)\s+(?:any\s+)?(?:wind|gas|flatus)\b",
        r"\b(?:vomit\w*|sick)\b[^.;]{0,40}?\b(?:smells?|smelled|smelling|smelt)\s+(?:like|of)\s+(?:faeces|feces|poo|poop)\b",
        r"\bfa?eculent\s+vomit\w*",
        r"\bstrangulated\s+hernia\b",
        r"\bhernia\b[^.;]{0,60}?\b(?:won'?t|will\s+not|can'?t|cannot|doesn'?t|does\s+not)\s+(?:go|be\s+pushed|push\s+it|pop)\s+back\b",
        r"\b(?:\?\s*|possible\s+|suspected\s+|query\s+)(?:small\s+|large\s+)?(?:bowel\s+obstruction|SBO|LBO)\b",
    ),
    # A button (coin) battery swallowed or put in the nose or ear burns through tissue within hours: any
    # suspicion goes to an emergency department at once (RCEM and NPIS, button battery ingestion, 2020;
    # nhs.uk Swallowed objects). Swallowing one is also read as poisoning (above).
    flag(
        "button_battery",
        "a button battery swallowed or in the nose or ear",
        2,
        False,
        r"\b(?:button|coin|disc|lithium)\s+(?:cell\s+)?batter(?:y|ies)\b",
    ),
    # Trismus, "lockjaw": after a wound, tetanus (nhs.uk Tetanus: A&E); with a sore throat or toothache, a
    # quinsy or a spreading infection (NICE CKS Sore throat: same-day referral).
    flag(
        "trismus",
        "trismus: cannot open the mouth (tetanus, quinsy, deep neck infection)",
        2,
        False,
        r"\block-?jaw\b",
        r"\btrismus\b",
        r"\b(?:hard\s+time|difficult\w*|trouble|unable\s+to|(?:can'?t|cannot|could\s*n'?t))\s+(?:\w+\s+)?open(?:ing)?\s+"
        r"(?:his|her|their|my|your|the)\s+mouth\b",
    ),
    # Hypothermia at any age: call 999 (nhs.uk Hypothermia; HSE Hypothermia). Infants: findings.py.
    flag(
        "hypothermia",
        "hypothermia",
        2,
        True,
        r"\bhypotherm(?:ia|ic)\b",
    ),
    flag(
        "sickle_cell_crisis",
        "sickle cell crisis",
        2,
        False,
        r"\bsickle\s+cell\s+(?:crisis|pain)\b",
        r"\bsickle\s+crisis\b",
    ),
    flag(
        "chemical_eye_injury",
        "chemical in the eye",
        2,
        False,
        r"\b(?:chemical|bleach|acid|alkali)\w*\s+(?:splash\w*\s+)?(?:in|into)\s+(?:the\s+|his\s+|her\s+|my\s+)?eyes?\b",
        r"\b(?:chemical|bleach|acid|alkali)\w*\s+(?:splash|burn|exposure|injury)\s+(?:to|of)\s+(?:the\s+|his\s+|her\s+|my\s+|"
        r"both\s+)?eyes?\b",
        # Cement, concrete, lime and other alkalis keep burning the cornea (RCOphth / NICE CKS: an alkali
        # injury to the eye is an emergency; ESI v4 handbook: concrete in the eye is ESI 2).
        # An exposure ("drilling concrete", "cement dust", "splashed with oven cleaner"), then the eye as the
        # complaint ("something in my eye", "eye is watering"): not "fell onto concrete, black eye".
        r"\b(?:(?:drill|mix|pour|grind|sand|cut|saw|chisel|spray|splash|clean)\w*\s+(?:\w+\s+){0,2}?(?:cement|concrete|mortar|quicklime|lime|lye|oven\s+cleaner|drain\s+cleaner|caustic\s+soda|ammonia)|"
        r"(?:cement|concrete|mortar|quicklime|lime|lye|oven\s+cleaner|drain\s+cleaner|caustic\s+soda|ammonia)\s+(?:dust|powder|particles?|splash\w*|spray\w*|got|went|flew|blew))\b[^;]{0,160}?"
        r"(?:\b(?:in|into)\s+(?:\w+\s+){0,2}?eyes?\b|\beyes?\s+(?:is\s+|are\s+|feels?\s+|keeps?\s+)?(?:\w+\s+){0,2}?"
        r"(?:irritat\w*|burn\w*|sting\w*|water\w*|tearing|red|pain\w*|sore|hurt\w*)\b)",
        r"\b(?:splash\w*|got|gets|went|blew|blown|spray\w*|flew)\b[^;.]{0,20}?\b(?:in|into)\s+(?:\w+\s+){0,2}?eyes?\b"
        r"[^;.]{0,40}?\b(?:cement|concrete|mortar|quicklime|lime|lye|oven\s+cleaner|drain\s+cleaner|caustic\s+soda|ammonia)\b",
    ),
    flag(
        "acute_vision_loss",
        "acute loss of vision (threat to sight)",
        2,
        False,
        rf"\b{CANT}\s+see\s+(?:out\s+of|with|from|through)\s+(?:his\s+|her\s+|my\s+|their\s+|that\s+|the\s+|one\s+)?"
        r"(?:left\s+|right\s+)?eye\b",
        r"\b(?:lost|loss\s+of)\s+(?:the\s+)?(?:vision|sight)\b",
        r"\bvision\s+(?:loss|gone|went\s+black)\b",
        r"\b(?:went|gone|going)\s+blind\b",
    ),
    # Level 3 — notable; they count towards the expected resources, not towards ESI 1–2.
    flag(
        "severe_pain_reported",
        "severe pain reported (consider ESI 2)",
        3,
        False,
        r"\b(?:severe|intense|extreme|terrible|bad)\s+(?:\w+\s+){0,2}?pain\b",
        r"\b(?:severe|intense|extreme|terrible)\s+(?:\w+\s+){0,2}?(?:stomach|tummy|belly|head|ear|tooth|back)\s*ache\b",
        r"\b(?:extremely|unbearably|very\s+very)\s+painful\b",
        # "a stomach ache came on very suddenly or is severe" (NHS inform Stomach ache).
        r"\b(?:pain|ache|stomach\s*ache|tummy\s*ache|belly\s*ache)\b[^.;]{0,40}?\b(?:is|became|becomes|gets)\s+"
        r"(?:very\s+|really\s+|extremely\s+)?severe\b",
        r"\bpain\s+(?:is\s+|of\s+|score\s+(?:of\s+|is\s+)?|scored?\s+|rated\s+(?:as\s+)?)?(?:[7-9]|10)\+?\s*(?:/|out\s+of)\s*10\b",
        r"\b(?:[7-9]|10)\+?\s*(?:/|out\s+of)\s*10\b",
    ),
    flag(
        "breathlessness",
        "breathlessness",
        3,
        False,
        r"\bshort(?:ness)?\s+of\s+breath\b",
        r"\bbreathless\w*\b",
        r"\bdyspn\w+",
        r"\bwheez\w*",
        r"\bout\s+of\s+breath\b",
    ),
    flag(
        "allergic_reaction",
        "allergic reaction",
        3,
        False,
        r"\ballerg\w+\s+reaction\b",
        r"\bhives\b",
        r"\burticaria\b",
    ),
)

# Phrases that are not flags on their own but combine with age, pregnancy or other findings.
FEVER_WORD = r"(?<!hay\s)\bfever\w*\b"  # hay fever is not a fever (shared with the resource table)
FEVER = compile_phrases(
    FEVER_WORD,
    r"\bfebrile\b",
    r"\bpyrexi\w*\b",
    r"\bhigh\s+temp(?:erature)?\b",
    # "has a temperature", "running a temperature", "a raised temperature": a fever in British usage (nhs.uk).
    r"\b(?:has|have|had|got|running|run|with)\s+a\s+(?:raised\s+|slight\s+)?temp(?:erature)?\b(?!\s+(?:reading|check|of\s+(?:3[0-7]|"
    r"9\d|normal)))",
    r"\braised\s+temp(?:erature)?\b",
    r"\b(?:is\s+)?burning\s+up\b",
    r"\bhot\s+to\s+(?:the\s+)?touch\b",
    r"\brigou?rs\b",
)
HYPOTHERMIA = compile_phrases(r"\bhypotherm\w+", r"\b(?:cold|freezing)\s+to\s+(?:the\s+)?touch\b")
POOR_FEEDING_OR_FLOPPY = compile_phrases(
    r"\b(?:poor(?:ly)?|not|won'?t|isn'?t|refus\w+)\s+(?:feed\w*|drinking|taking\s+(?:feeds|bottles?|milk))\b",
    r"\bfeeding\s+poorly\b",
    r"\bletharg\w+",
    r"\bfloppy\b",
    r"\blimp\b",
    r"\bflaccid\b",
    r"\b(?:very|unusually)\s+(?:sleepy|drowsy)\b",
    r"\bweak\s+cry\b",
)
FLOPPY = compile_phrases(r"\bfloppy\b", r"\blimp\b", r"\bflaccid\b", r"\bfloppy\s+baby\b")
# Past infancy "limp" is mostly a gait ("walking with a limp"): floppy or flaccid only.
FLOPPY_CHILD = compile_phrases(r"\bfloppy\b(?!\s+(?:ears?|hat|disk|disc))", r"\bflaccid\b")
PREGNANT = compile_phrases(
    r"\bpregnan\w+",
    r"\b\d{1,2}\s+weeks?\s+(?:pregnant|gestation)\b",
    r"\bexpecting\s+a\s+baby\b",
    r"(?:\+\s*ve|\bpositive|\bpos)\s+(?:UPT|pregnancy\s+test|preg(?:nancy)?\s+test|hCG|b-?hCG)\b",
    r"\b(?:UPT|pregnancy\s+test|hCG)\s+(?:was\s+|is\s+|came\s+back\s+)?(?:\+\s*ve|positive|pos)\b",
    # Gestation in a clinician's note: "7/40", "32+4/40" (not a blood pressure: "BP 60/40").
    r"(?<!BP\s)(?<!BP)(?<!/)\b(?:[4-9]|[1-3]\d|4[0-2])(?:\+[0-6])?/40\b",
)
# The six weeks after a birth (NICE NG158: pregnancy and the puerperium raise the risk of a thrombosis).
POSTPARTUM = compile_phrases(
    r"\bpost-?partum\b",
    r"\b(?:had|delivered|gave\s+birth\s+to)\s+(?:a|my|her|the|their)\s+(?:baby|son|daughter)\s+(?:\d{1,2}|one|two|three|"
    r"four|five|six|a\s+few|few)\s+(?:days?|weeks?)\s+ago\b",
    r"\b(?:gave\s+birth|delivered)\s+(?:\d{1,2}|one|two|three|four|five|six|a\s+few|few)\s+(?:days?|weeks?)\s+ago\b",
    r"\b(?:\d{1,2}|one|two|three|four|five|six)\s+(?:days?|weeks?)\s+(?:after\s+(?:giving\s+)?birth|after\s+(?:her\s+)?"
    r"delivery)\b",
)
# A birth that has happened: with it, "the pregnancy was smooth" is a past pregnancy, not a current one.
AFTER_BIRTH = compile_phrases(
    r"\b(?:gave|giving|given)\s+birth\b",
    r"\bnew\s+(?:mother|mum|mom)\b",
    r"\bpost-?(?:partum|natal)\b",
    r"\b(?:after|since)\s+(?:the\s+|her\s+|my\s+|your\s+)?(?:birth|delivery)\b",
)
# Early pregnancy not yet named as such (NICE NG126, 2019, 1.2: a missed period or a positive test).
EARLY_PREGNANCY = compile_phrases(
    rf"\b(?:missed|skipped)\s+{P}(?:last\s+)?period\b",
    rf"\b{P}period\s+(?:is\s+|was\s+)?(?:late|overdue)\b",
    # "my period is about two and a half weeks late", "LMP 7 weeks ago" (NICE NG126: a missed period).
    r"\bperiod\s+(?:is\s+|was\s+)?(?:about\s+|nearly\s+|over\s+)?(?:\w+\s+){1,4}?(?:days?|weeks?)\s+(?:late|overdue)\b",
    r"\bLMP\s+(?:was\s+)?(?:[5-9]|1[0-2])\s*(?:weeks?|wks?|/52)\s+ago\b",
    r"\b(?:late|overdue|no)\s+period\b",
    r"\bpositive\s+(?:home\s+)?pregnancy\s+test\b",
    r"\bpregnancy\s+test\s+(?:was\s+|is\s+|came\s+back\s+)?positive\b",
)
# Symptoms of an ectopic pregnancy beyond bleeding and abdominal pain (NICE NG126, 1.2.1).
ECTOPIC_SIGNS = compile_phrases(
    r"\bshoulder[- ]tip\s+pain\b",
    r"\b(?<!feel\s)(?<!feeling\s)faint(?:ed|ing)\b",
    r"\bpass(?:ed|es)?\s+out\b",
    r"\b(?:sharp|stabbing|severe)\s+pain\s+(?:\w+\s+){0,3}?(?:low(?:er)?|one\s+side|right\s+side|left\s+side)\b",
    r"\b(?:pelvic|lower\s+abdominal|one[- ]sided)\s+pain\b",
)
# Signs of a deep-vein thrombosis, and the symptoms that with them suggest a pulmonary embolism (NICE NG158).
DVT_SIGNS = compile_phrases(
    r"\bDVT\b",
    r"\bdeep\s+vein\s+thrombosis\b",
    rf"\b(?:blood\s+)?clots?\s+in\s+{P}(?:\w+\s+)?(?:legs?|calf|calves)\b",
    r"\b(?:calf|lower\s+leg)\s+(?:is\s+)?(?:swollen|swelling|painful|tender)\b",
    r"\b(?:swollen|painful|tender|hot)\s+(?:and\s+(?:swollen|painful|tender|red|hot)\s+)?(?:right\s+|left\s+)?(?:calf|lower\s+leg)\b",
    r"\b(?:right|left|one)\s+leg\s+(?:is\s+)?(?:swollen|swelling)\b",
)
PE_SYMPTOMS = compile_phrases(
    r"\bshort(?:ness)?\s+of\s+breath\b",
    r"\bout\s+of\s+breath\b",
    r"\bbreathless\w*",
    r"\bdyspn\w+",
    r"\b(?:difficulty|trouble)\s+breathing\b",
    r"\bchest\s+pain\b",
    r"\bpleuritic\b",
    r"\bpain\s+(?:when|on)\s+(?:breathing|taking\s+a\s+(?:deep\s+)?breath)\b",
    r"\bcough\w*\s+(?:up\s+)?blood\b",
    r"\bhaemoptysis\b|\bhemoptysis\b",
)
BLEEDING_OR_ABDOMINAL_PAIN = compile_phrases(
    r"\bbleed\w*\b",
    r"\bspotting\b",
    r"\bblood\s+(?:loss|clots?)\b",
    r"\b(?:abdominal|abdomen|stomach|belly|tummy|pelvic|lower\s+back)\s+(?:pain|cramp\w*|ache)\b",
    rf"\bpain\s+in\s+{P}(?:abdomen|stomach|belly|tummy|pelvis)\b",
    r"\bcramp\w*\b",
)
IMMUNOCOMPROMISED = compile_phrases(
    r"\bchemo\w*\b",
    r"\bimmuno-?(?:compromis\w+|suppress\w+|deficien\w+)\b",
    r"\bneutropeni\w+",
    r"\b(?:organ|kidney|liver|heart|lung|bone\s+marrow|stem\s+cell)\s+transplant\b",
    r"\btransplant\s+recipient\b",
    r"\bon\s+(?:long[- ]term\s+)?(?:high[- ]dose\s+)?steroids\b",
    r"\bHIV\b",
    r"\bsplenectomy\b",
    r"\bno\s+spleen\b",
)
HYPOGLYCAEMIA = compile_phrases(
    r"\bhypoglyc\w+",
    r"\blow\s+(?:blood\s+)?(?:sugar|glucose)\b",
    r"\b(?:blood\s+)?(?:sugar|glucose)\s+(?:is\s+|was\s+)?(?:very\s+)?low\b",
    r"\bhypo\b",
)
DROOLING = compile_phrases(
    r"\bdrool\w*",
    r"\bdribbl\w+",
    rf"\b(?:{WONT}|won'?t)\s+(?:even\s+)?swallow\s+(?:his|her|their|my)\s+(?:own\s+)?(?:spit|saliva)\b",
    rf"\b{CANT}\s+swallow\s+(?:\w+\s+)?(?:saliva|spit|own\s+secretions)\b",
)
TEETHING = compile_phrases(r"\bteething\b", r"\b(?:new\s+)?teeth\s+(?:are\s+|is\s+)?coming\s+(?:through|in)\b")
SORE_THROAT_OR_SWALLOWING = compile_phrases(
    r"\bsore\s+throat\b",
    r"\bhurts?\s+(?:him\s+|her\s+|them\s+|me\s+)?to\s+swallow\b",
    r"\bpain(?:ful)?\s+(?:on|when)\s+swallow\w*",
    rf"\b{CANT}\s+swallow\b",
    r"\bcroup\b",  # drooling in a child with croup: possible epiglottitis (healthdirect Croup: call 000)
    r"\bthroat\s+pain\b",
    r"\b(?:difficulty|trouble|pain(?:ful)?)\s+(?:with\s+)?swallow\w*",
    r"\bdysphagia\b",
    r"\bdyspn\w+",
    r"\bshort(?:ness)?\s+of\s+breath\b",
    r"\bbreathless\w*",
)
HYPOPERFUSION = compile_phrases(
    r"\bmottl\w+",
    r"\bmarbled\b",  # the lay word for mottling (NICE NG143: mottled skin, an amber-to-red sign)
    r"\b(?:grey|gray|ashen)\s+(?:skin|colou?r|and\s+\w+)\b",
    r"\b(?:skin|colou?r)\s+(?:is\s+|looks\s+)?(?:grey|gray|ashen)\b",
    r"\b(?:cold|cool)\s*,?\s+(?:and\s+)?clammy\b",
    r"\bclammy\s+(?:and\s+)?(?:cold|cool)\b",
)
# Sickle cell disease is lifelong: "a history of sickle cell disease" still counts when pain is current
# (findings.py reads it with `present`).
SICKLE_CELL = compile_phrases(r"\bsickle\s+cell\s+(?:disease|anaemia|anemia)\b", r"\bHb\s*SS\b")
SICKLE_PAIN = compile_phrases(r"\bcrisis\b", r"\bpain\b", r"\b(?:hurts?|aching|aches)\b")
POST_OPERATIVE = compile_phrases(
    r"\b(?:\d+|a\s+few|few|two|three|four|five)\s+(?:days?|weeks?)\s+(?:post[- ]?(?:op\w*|surgery)|"
    r"post\s+(?:[\w-]+\s+){1,2}(?:surgery|operation)|after\s+(?:(?:his|her|my|their|the)\s+)?(?:[\w-]+\s+)?"
    r"(?:surgery|operation))\b",
    r"\bpost[- ]?op(?:erative(?:ly)?)?\b",
    r"\b(?:recent|recently\s+had)\s+(?:\w+\s+)?(?:surgery|operation)\b",
    # "had … bypass surgery 3 days ago", "POD 3" (post-operative day): days after an operation (weeks after
    # it the handbook's vomiting gastric-bypass patients are ESI 3, days after it ESI 2).
    r"\b(?:surgery|operation|bypass|\w+ectomy|\w+plasty)\s+(?:\d{1,2}|one|two|three|four|five|six|a\s+few|few)\s+"
    r"days?\s+ago\b",
    r"\bPOD\s*#?\s*\d{1,2}\b",
    r"\bpost-?op(?:erative)?\s+day\s+\d{1,2}\b",
)
POST_OPERATIVE_PROBLEM = compile_phrases(
    r"\bpain\b",
    r"\bvomit\w*",
    r"\bfever\w*",
    r"\bbleed\w*",
    r"\bswell\w*",
    r"\bwound\b",
    r"\bredness\b",
    r"\bshort(?:ness)?\s+of\s+breath\b",
)
DIABETIC = compile_phrases(
    r"\bdiabet\w+",
    r"\btype\s+(?:1|one|i)\b",
    r"\binsulin\b",
    r"\bT1DM?\b",
)
DKA_WARNING = compile_phrases(
    r"\bvomit\w*",
    r"\bretching\b",
    r"\bthrowing\s+up\b",
    r"\b(?:hasn'?t|has\s+not|hadn'?t|not|didn'?t|did\s+not|missed|skipped|ran\s+out\s+of)\s+(?:taken?\s+|taking\s+|had\s+)?"
    r"(?:(?:his|her|my|their)\s+)?insulin\b",
    r"\bketones?\b",
    r"\b(?:blood\s+)?sugars?\s+(?:is\s+|are\s+|very\s+)?(?:high|over\s+\d+)\b",
)
# Dislike of light with a stiff neck (nhs.uk Meningitis; NICE NG240, 2024).
PHOTOPHOBIA = compile_phrases(
    r"\bphotophob\w+",
    r"\b(?:pain|hurts?|discomfort|sensitiv\w+)\s+(?:when\s+(?:looking|you\s+look|they\s+look)\s+at|to|from)\s+(?:bright\s+)?lights?\b",
    r"\b(?:bright\s+)?lights?\s+(?:hurts?|bothers?)\s+(?:his\s+|her\s+|my\s+|your\s+|their\s+)?eyes\b",
    r"\b(?:hurts?|painful|pain)\s+to\s+look\s+at\s+(?:bright\s+|the\s+)?lights?\b",
    r"\bbothered\s+by\s+(?:bright\s+|the\s+)?lights?\b",
    r"\bdislike\s+of\s+(?:bright\s+)?lights?\b",
    r"\b(?:bright\s+)?lights?\s+(?:really\s+)?(?:bothers?|hurts?)\s+(?:him|her|them|me|you)\b",
    r"\b(?:bright\s+)?lights?\s+(?:is\s+|are\s+)?(?:hurting|bothering)\s+(?:his\s+|her\s+|my\s+|your\s+|their\s+)?eyes\b",
)
# Palpitations with chest pain, breathlessness or fainting (NICE CKS Palpitations; nhs.uk: call 999).
PALPITATIONS = compile_phrases(
    r"\bpalpitations?\b",
    r"\bheart\s+(?:is\s+|was\s+)?(?:racing|pounding|fluttering|skipping\s+beats)\b",
)
PALPITATION_DANGER = compile_phrases(
    r"\bchest\s+(?:pain|tightness|pressure)\b",
    r"\bshort(?:ness)?\s+of\s+breath\b",
    r"\bbreathless\w*",
    r"\b(?<!feel\s)(?<!feeling\s)faint(?:ed|ing|s)?\b",
    r"\bpass(?:ed|es)?\s+out\b",
    r"\bblack(?:ed)?\s+out\b",
)
# Heat illness with a sign of heatstroke (nhs.uk and HSE Heat exhaustion and heatstroke: call 999), read
# across clauses ("heat exhaustion; temp >=40°C"); findings.py joins the two.
HEAT_ILLNESS = compile_phrases(r"\bheat\s+exhaustion\b", r"\boverheat\w*", r"\bheat\s*wave\b", r"\bsunstroke\b")
HEATSTROKE_SIGNS = compile_phrases(
    r"\b4[0-3](?:[.,]\d)?\s*(?:°|degrees?)\s*(?:c\b|celsius)?",
    r"\b(?:not|no|stopped)\s+sweating\b",
    r"\banhidrosis\b",
    r"\b(?:fast|rapid)\s+breathing\b",
    r"\btachypn\w+",
    r"\bshort(?:ness)?\s+of\s+breath\b",
    r"\bconfus\w+",
    r"\bseizure\b",
    r"\bfit\b",
    r"\bunwell\s+after\s+(?:30\s+min\w*|half\s+an\s+hour)",
)
# NICE NG143 (fever in under 5s), Table 1: red features not read elsewhere — a bulging fontanelle, reduced
# skin turgor, looking seriously ill (findings.py applies them under 5 years).
# A child of any age who looks seriously ill or ashen (NICE NG143 red features under 5; NICE NG51 high-risk criteria
# for 5 to 17: appears ill to a health professional, mottled or ashen).
ILL_APPEARANCE = compile_phrases(
    r"\b(?:looks?|looking|seems?|appears?)\s+(?:very|seriously|really|extremely)\s+(?:ill|unwell|sick|poorly)\b(?!\s+of\b)",
    r"\bappears\s+ill\s+to\s+(?:a\s+)?(?:health\s*care\s+professional|clinician|doctor|nurse)\b",
    r"\b(?:he|she|they|child|skin|face|lips|colou?r)\s+(?:looks?|is|seems?|has\s+gone|went|turned)\s+(?:\w+\s+)?(?:grey|gray|ashen|"
    r"dusky)\b",
    r"\blooking\s+(?:very\s+)?(?:grey|gray|ashen)\b",
    r"\bcolou?r(?:'s|\s+has|\s+is)?\s+(?:gone|turned|going)\s+(?:\w+\s+)?(?:grey|gray|ashen)\b",
    r"\bashen\b",
    r"\bdusky\s+(?:lips|skin|colou?r|blue)\b|\b(?:lips|skin)\s+(?:look|looks|are|is)\s+dusky\b",
    # A child who "becomes very unwell very quickly" (HSE Child unwell, Healthier Together red lists: call 999).
    r"\brapid\s+deterioration\b(?!\s+(?:in|of)\b)",
    r"\b(?:becomes?|became|becoming|has\s+become|is\s+becoming)\s+(?:very\s+|more\s+|much\s+|really\s+)?(?:unwell|ill|poorly)\s+"
    r"(?:very\s+|really\s+)?(?:quickly|rapidly|fast)\b",
)
# Very fast breathing in a child (NICE NG143: raised respiratory rate; NICE NG51, 5 to 11: a raised rate is high
# risk; Healthier Together: call 999).
VERY_FAST_BREATHING = compile_phrases(
    r"\b(?:very\s+fast|very\s+rapid)\s+breathing\b|\bbreathing\s+very\s+(?:fast|quickly|rapidly)\b"
)
CHILD_RED_FEATURES = compile_phrases(
    r"\b(?:gone|going|turned|turning|goes|went)\s+(?:\w+\s+){0,2}?(?:grey|gray|ashen|dusky)\b",
    r"\blooks?\s+dusky\b",
    r"\blooks?\s+(?:very\s+|a\s+bit\s+|quite\s+)?(?:grey|gray|ashen)\b",
    r"\b(?:he|she|they|baby|child|skin|face|lips)\s+(?:is|seems|was|has\s+gone|went)\s+(?:\w+\s+)?(?:grey|gray|ashen|dusky)\b",
    r"\bbulging\s+fontanelle\b",
    r"\b(?:soft\s+spot|fontanelle)\b[^.;]{0,30}?\b(?:is\s+|looks\s+|feels\s+)?(?:bulg\w+|tense|raised|tight|swollen|full)\b",
    r"\b(?:reduced|poor|decreased)\s+skin\s+turgor\b",
    # No response to social cues, an ashen or grey look, skin that stays up when pinched, pauses in breathing
    # (NICE NG143 red features; NICE NG9 bronchiolitis: apnoea), in the words parents use.
    r"\bno\s+response\s+to\s+social\s+cues\b",
    r"\b(?:isn'?t|is\s+not|not|doesn'?t|does\s+not|won'?t|didn'?t)\s+(?:respond\w*|react\w*)\s+(?:to\s+(?:me|us|you|anything|anyone|"
    r"voices?|(?:his|her|their)\s+(?:name|mum|mom|dad|parents?|sister|brother))|at\s+all|when\s+(?:spoken|talked|I|we))\b",
    r"\b(?:won'?t|doesn'?t|does\s+not|isn'?t)\s+(?:look\s+at|smile\s+at|focus\s+on)\s+(?:me|us|anything|anyone)\b[^.;]{0,30}?\b"
    r"(?:staring|floppy|limp|switched\s+off|not\s+responding)\b",
    r"\bcompletely\s+switched\s+off\b",
    r"\bbluish\s+(?:lips|tongue|face|skin)\b",
    r"\bblue\s+(?:colou?r|tinge)\s+(?:around|round)\s+(?:the\s+|his\s+|her\s+|their\s+)?(?:mouth|lips)\b",
    r"\bstays?\s+up\s+when\s+(?:you\s+|I\s+)?pinch\w*",
    r"\bskin\s+tent\w*",
    r"\bpinch\w*\b[^.;]{0,40}?\b(?:stays?\s+up|goes\s+back\s+slowly|slow\s+to\s+go\s+back|stays\s+(?:pinched|raised))\b",
    r"\b(?:paus\w+|stops?|stopping|stopped)\s+(?:in\s+)?(?:(?:her|his|their)\s+)?breathing\b",
    r"\bapno(?:e)?a\w*",
)
RED_OR_PAINFUL_EYE_WORDINGS = (
    r"\bred\s+eyes?\b",
    r"\beyes?\s+(?:is\s+|are\s+)?(?:very\s+)?(?:red|painful|sore)\b",
    r"\b(?:painful|sore)\s+eyes?\b",
)
RED_OR_PAINFUL_EYE = compile_phrases(*RED_OR_PAINFUL_EYE_WORDINGS)
# Skin signs of an allergic reaction with a swallowing, gut or circulation sign are anaphylaxis (World
# Allergy Organization 2020 criteria; nhs.uk Hives: call 999 with difficulty swallowing, being sick, a
# fast heartbeat).
ALLERGIC_SKIN = compile_phrases(
    r"\bhives\b", r"\burticaria\b", r"\bwelts\b", r"\ballergic\s+(?:reaction|rash)\b", r"\bnettle\s+rash\b"
)
ANAPHYLAXIS_GUT_WORDING = r"\b(?:nausea|vomiting|being\s+sick|feel(?:ing)?\s+sick|N/V)\b"
ANAPHYLAXIS_SIGN_WORDINGS = (
    r"\b(?:difficulty|trouble|problems?)\s+swallowing\b",
    rf"\b{CANT}\s+swallow\b",
    ANAPHYLAXIS_GUT_WORDING,
    r"\b(?:increased|fast|racing|rapid|pounding)\s+(?:heart\s*(?:rate|beat)|pulse|hr)\b",
    r"\btachycardi\w*",
    r"\bdysphagia\b",
    r"\b(?:feel(?:ing|s)?\s+)?(?:faint|light-?headed)\b",
    # Airway and breathing problems of anaphylaxis (Resuscitation Council UK 2021): a hoarse voice, a
    # persistent cough.
    r"\bhoarse\w*",
    r"\b(?:persistent|continuous|constant|non-?stop)\s+cough\w*",
)
ANAPHYLAXIS_SIGNS = compile_phrases(*ANAPHYLAXIS_SIGN_WORDINGS)
# The airway and circulation among them, which make an allergic reaction with a wheeze a compromise (ESI 1):
# faintness, a fast heartbeat, a hoarse voice, drooling, speech cut short (Resuscitation Council UK 2021).
ANAPHYLAXIS_COMPROMISE_SIGNS = compile_phrases(
    # Every sign of anaphylaxis but the gut's (swallowing, a fast heartbeat, faintness, a hoarse voice, a cough) …
    *(wording for wording in ANAPHYLAXIS_SIGN_WORDINGS if wording != ANAPHYLAXIS_GUT_WORDING),
    # … and the others of the airway, breathing and circulation.
    r"\b(?:feel(?:ing|s)?\s+)?dizzy\b",
    r"\bdizziness\b",
    r"\bheart\s+(?:is\s+)?(?:racing|pounding)\b",
    r"\bdrool\w*",
    r"\b(?:barely|hardly|can'?t|cannot|unable\s+to)\s+(?:speak|talk)\b",
    r"\bstruggl\w*\s+to\s+(?:speak|talk|swallow)\b",
    r"\b(?:can'?t|cannot)\s+get\s+(?:the\s+|her\s+|his\s+|my\s+)?words\s+out\b",
    r"\b(?:short\s+phrases|single\s+words)\b",
    r"\b(?:croaky|raspy)\b",
    r"\bvoice\s+(?:has\s+|is\s+)?(?:changed|changing|sounds?\s+(?:strange|different|odd|funny|weird))\b",
    r"\bthroat\s+(?:feels\s+)?(?:funny|tight|closing)\b",
    r"\bbreathing\s+(?:very\s+|really\s+)?(?:fast|quickly|rapidly|noisily)\b",
    r"\b(?:fast|rapid|noisy)\s+breathing\b",
    r"\b(?:very\s+|really\s+|extremely\s+)(?:tired|sleepy|drowsy|weak)\b",
    r"\b(?:drowsy|sleepy|floppy)\b",
    r"\b(?:looks?|looking|gone|going|turned)\s+(?:grey|gray|ashen)\b",
    r"\bweak\s+pulse\b",
    r"\bpass(?:ing)?\s+out\b",
    r"\bpalpitations?\b",
    r"\b(?:impending\s+doom|going\s+to\s+die)\b",
    r"\b(?:epi-?pen|adrenaline|epinephrine|auto-?injector)s?\b[^.;]{0,30}?\b(?:no\s+better|not\s+(?:helping|working|better)|"
    r"didn'?t\s+(?:help|work))\b",
    r"\b(?:2|two|second|another)\s+(?:epi-?pens?|adrenaline|auto-?injectors?|doses?\s+of\s+adrenaline)\b",
)
# Vertigo with a neurological sign or sudden hearing loss (NICE CKS Vertigo red flags: possible
# posterior-circulation stroke; nhs.uk and NHS inform Vertigo: call 999).
VERTIGO = compile_phrases(r"\bvertigo\b", r"\b(?:room|everything)\s+(?:is\s+)?spinning\b")
VERTIGO_DANGER = compile_phrases(
    r"\bhearing\s+loss\b",
    r"\b(?:lost|losing)\s+(?:\w+\s+)?hearing\b",
    r"\b(?:weakness|numbness|tingling)\b[^.;]{0,40}\b(?:arms?|legs?|face)\b",
    r"\b(?:double|blurred)\s+vision\b",
    r"\bdiplopia\b",
    r"\bparaesth\w+",
    r"\bslurr\w+\s+speech\b",
    r"\b(?:can'?t|cannot|unable\s+to)\s+(?:stand|walk)\b",
)
# Cauda equina syndrome: back pain or sciatica with numbness between the legs or new bladder, bowel or
# sexual dysfunction (NICE CKS Sciatica and Low back pain red flags; nhs.uk: go to A&E or call 999).
SADDLE_NUMBNESS = compile_phrases(
    r"\b(?:numb\w*|loss\s+(?:of\s+)?(?:feeling|sensation)|sensory\s+loss|paraesth\w+|pins\s+and\s+needles|"
    r"altered\s+(?:feeling|sensation))\b[^.;]{0,40}"
    r"\b(?:inner\s+thighs|genitals|back\s+passage|buttocks|bottom|anus|saddle|toilet\s+paper|between\s+(?:the|my|his|"
    r"her|your|their)\s+legs)\b",
    r"\bsaddle\s+(?:an(?:a)?esthesia|numbness)\b",
    r"\b(?:altered|reduced|loss\s+of)\s+genital\s+sensation\b",
    r"\bnumb\w*\s+when\s+(?:I\s+|he\s+|she\s+|they\s+|you\s+)?wip\w+",
    r"\b(?:can'?t|cannot|unable\s+to|not\s+able\s+to)\s+feel\s+(?:the\s+)?(?:toilet\s+paper|tissue|wiping)\b",
    r"\bloss\s+of\s+(?:genital|perineal|perianal|saddle)\s+sensation\b",
)
BACK_PAIN = compile_phrases(r"\b(?:back|spine|spinal)\s+(?:pain|problems?|ache)\b", r"\bsciatica\b", r"\bbackache\b")
SPHINCTER_DISTURBANCE = compile_phrases(
    r"\b(?:difficulty|trouble)\s+(?:\w+\s+){0,8}?(?:urinat\w+|peeing|passing\s+urine|flow\s+of\s+urine)\b",
    r"\b(?:leaking|leak)\s+(?:urine|wee|pee)\b",
    r"\bwet\s+(?:him|her|my|them)sel(?:f|ves)\b",
    r"\b(?:difficulty|trouble)\s+(?:starting|getting)\s+(?:to\s+)?(?:a\s+)?(?:pee|wee|urinate|the\s+flow)\b",
    r"\b(?:difficulty|trouble)\s+starting\b[^.;]{0,40}?\b(?:pee|wee|urine|stream)\b",
    r"\b(?:altered|changed?|new)\s+(?:bladder|bowel)\s+function\b",
    r"\b(?:loss\s+of|lost|can'?t\s+control|cannot\s+control)\s+(?:\w+\s+)?(?:bladder|bowel)s?(?:\s+control)?\b",
    r"\b(?:bladder|bowel)\s+(?:control|incontinence)\b",
    r"\b(?:urinary|faecal|fecal)\s+(?:hesitancy|retention|incontinence)\b",
    # NHS Northern Trust Low back pain (999): "do not notice when you need to poo or cannot control when you poo".
    r"\b(?:cannot|can'?t|unable\s+to)\s+control\s+when\s+(?:you|i|he|she|they)\s+(?:poo|pee|wee)\b",
    r"\b(?:do\s+not|don'?t|does\s+not|doesn'?t)\s+notice\s+when\s+(?:you|i|he|she|they)\s+needs?\s+to\s+(?:poo|pee|wee)\b",
    r"\bnot\s+knowing\s+when\s+(?:your\s+|his\s+|her\s+|my\s+)?bladder\b",
    r"\binability\s+to\s+stop\s+a\s+bowel\s+movement\b",
    r"\bloss\s+of\s+sensation\s+when\s+you\s+pass\b",
    r"\b(?:achieve\s+(?:an\s+)?erection|erectile)\b",
    r"\b(?:urinary|bladder)\s+(?:flow|leakage|incontinence|retention)\b",
    r"\b(?:can'?t|cannot|unable\s+to|not\s+able\s+to)\s+(?:pee|wee|urinate|pass\s+urine|void)\b",
    r"\bfa?ecal\s+(?:leakage|incontinence)\b",
    r"\bsensation\s+on\s+(?:micturition|passing\s+(?:stool|urine))\b",
)
STIFF_NECK = compile_phrases(
    r"\bstiff\s+neck\b",
    r"\bneck\s+stiffness\b",
    rf"\b{CANT}\s+(?:bend|touch)\s+{P}(?:neck|chin)",
    rf"\b{CANT}\s+(?:put|get|bring)\s+{P}chin\s+(?:on|to|down\s+to)\s+{P}chest\b",
    r"\bneck\s+(?:is\s+|was\s+|feels\s+|felt\s+)?(?:very\s+)?stiff\b",  # "neck stiff", "neck is stiff"
)
STROKE_ONSET = re.compile(
    r"\b(?:last\s+(?:known|seen)\s+(?:well|normal)|onset|started|began|since|symptoms\s+(?:started|began))\s*"
    r"(?:at|about|around|approx\w*|:|since)?\s*(\d{1,2}[:.]\d{2}\s*(?:am|pm|h)?|\d{1,2}\s*(?:am|pm)|"
    r"\d+\s*(?:minutes?|mins?|hours?|hrs?|h)\s+ago)",
    re.IGNORECASE,
)

# A peak flow written as a reading and the person's best or predicted value ("peak flow 170, best 480", "PEFR
# 170/480"): the engine works out the share (findings.py), as a percentage is not written.
PEAK_FLOW_PAIR = compile_phrases(
    r"\b(?:peak\s+flow|PEFR?)\s+(?:is\s+|was\s+|of\s+|now\s+|today\s+|only\s+|down\s+to\s+|:\s*)*\d{2,3}\s*"
    r"(?:(?:l/min|L/min)\s*)?(?:/\s*\d{2,3}|[,(]?\s*(?:\w+\s+){0,2}?(?:best|usual|normal|predicted)\s*(?:is\s+|of\s+|was\s+|:\s*)?"
    r"\d{2,3})\b",
    # The best first: "peak flow best 500, today only 200".
    r"\b(?:peak\s+flow|PEFR?)\s+(?:best|usual|normal|predicted)\s*(?:is\s+|of\s+|:\s*)?\d{2,3}\b[^.;]{0,25}?\b(?:today|now|"
    r"currently|only|is|was)\s+(?:only\s+|just\s+|down\s+to\s+)?\d{2,3}\b",
)

# Impending respiratory failure: breathing difficulty *and* exhaustion or inability to talk (ESI v4
# Chapter 3: severe respiratory distress needing immediate intervention).
BREATHING_DIFFICULTY = compile_phrases(
    r"\bwheez\w*",
    r"\bshort(?:ness)?\s+of\s+breath\b",
    r"\bSOB\b",
    r"\bbreathless\w*",
    r"\bdyspn\w+",
    r"\brespiratory\s+distress\b",
    r"\b(?:working\s+hard|struggling|labou?red)\s+(?:at|to|with)?\s*breath\w*",
    r"\blabou?red\s+breathing\b",
    r"\b(?:increased\s+)?work\s+of\s+breathing\b",
    r"\bWOB\b",
    r"\basthma\w*\s+attack\b",
)
# Breathlessness only on exertion ("so short of breath when I get to the top of the stairs") is not
# respiratory failure: with it, tiredness is fatigue, not a tiring respiratory effort.
EXERTIONAL = compile_phrases(
    r"\b(?:climb\w*|exertion\w*|on\s+effort)\b",
    r"\b(?:physical\s+)?(?:activity|activities|exercis\w+)\b",
    r"\b(?:on|up|walking\s+up|going\s+up)\s+(?:the\s+|a\s+flight\s+of\s+)?stairs\b",
    r"\b(?:when|while|after)\s+(?:i\s+|he\s+|she\s+|they\s+)?(?:walk|run|jog)\w*\b",
)
# Tiredness words: with breathlessness only on exertion they mean fatigue. An inability to talk, or
# "tiring" (a tiring respiratory effort), is never put down to exertion.
TIREDNESS = compile_phrases(r"\btired\s+out\b", r"\bexhausted\b")
# Said of the breathlessness now: the exertion is then not its cause.
AT_REST = compile_phrases(
    r"\bat\s+rest\b",
    r"\b(?:sitting|lying)\s+(?:still|down|quietly)\b",
    r"\bin\s+bed\b",
    r"\beven\s+(?:when\s+)?sitting\b",
    r"\b(?:when|while)\s+(?:sitting|lying|resting)\b",
)
# An asthma attack whose reliever still helps, if only for a few hours, is seen urgently by a GP or 111 the
# same day; one whose reliever does not help goes to A&E (nhs.uk Asthma attacks; Asthma + Lung UK action plan:
# a reliever needed more often than every 4 hours is an urgent appointment today).
RELIEVER_HELPS = compile_phrases(
    r"\b(?:inhalers?|relievers?|puffers?|nebuli[sz]ers?|salbutamol|ventolin|albuterol)\s+(?:only\s+|still\s+|do\s+|does\s+)?"
    r"(?:helps?|helped|helping|works?|worked|eases?|eased|relieves?|relieved)\b",
    r"\b(?:relieved|eased|helped)\s+by\s+(?:\w+\s+){0,2}?(?:inhalers?|relievers?|puffers?|salbutamol|ventolin|albuterol)\b",
)
RELIEVER_FAILS = compile_phrases(
    # Signs of a severe or life-threatening attack whatever the reliever does (BTS/SIGN 158; nhs.uk Asthma
    # attacks): a low peak flow, unable to finish sentences, a quiet chest, fast breathing, getting worse,
    # a reliever needed every few minutes or no longer working, pregnancy.
    r"\bpeak\s+flow\b",
    r"\bsentences?\b",
    r"\b(?:silent|quiet)\s+chest\b",
    r"\bchest\s+(?:is\s+)?(?:silent|quiet)\b",
    r"\bbarely\s+(?:hear|any)\b",
    r"\bbreathing\s+(?:very\s+|really\s+)?(?:fast|quickly|rapidly)\b",
    r"\b(?:getting|got|becoming)\s+(?:\w+\s+)?worse\b",
    r"\bevery\s+(?:\d+|few|ten|twenty|fifteen|thirty)\s*(?:-\s*\d+\s*)?(?:min|mins|minutes)\b",
    r"\b(?:not|no\s+longer|n't)\s+(?:\w+\s+)?(?:working|helping)\b",
    r"\bnothing\s+(?:is\s+)?(?:helping|working|helps|works)\b",
    r"\bat\s+first\b",
    r"\bpregnan\w+",
    # Relief for minutes only is no relief (nhs.uk Asthma attacks: A&E when the reliever does not help).
    r"\b(?:helps?|helped|works?|worked|lasts?|lasted)\s+(?:only\s+)?(?:for\s+)?(?:\d+|a\s+few|ten|fifteen|twenty|thirty)\s*"
    r"(?:min|mins|minutes)\b",
    r"\b(?:comes?|came)\s+(?:straight\s+|right\s+)?back\b",
    r"\b(?:inhalers?|relievers?|puffers?|nebuli[sz]ers?|salbutamol|ventolin|albuterol)\s+(?:is\s+|are\s+)?"
    r"(?:not|n[o']t|no\s+longer|don'?t|doesn'?t|do\s+not|does\s+not|didn'?t|did\s+not|never|isn'?t|aren'?t|hasn'?t|have\s+not)\s+"
    r"(?:\w+\s+)?(?:help|helping|helped|work|working|worked|ease|easing|relieve|relieving)\w*\b",
    r"\b(?:no|little|minimal)\s+(?:relief|help|response|improvement)\s+(?:from|with|after)\s+(?:\w+\s+){0,2}?"
    r"(?:inhalers?|relievers?|puffers?|nebuli[sz]ers?|salbutamol|ventolin|albuterol)\b",
)
# Chest pain that comes on with exertion and goes within minutes of rest, never at rest: the pattern of stable
# angina, assessed urgently by a GP or a rapid-access chest pain clinic, not an emergency (NICE CG95, Recent-
# onset chest pain of suspected cardiac origin, 1.3: precipitated by physical exertion, relieved by rest within
# about 5 minutes; nhs.uk Angina: 999 only when the pain does not stop after resting for a few minutes).
CHEST_PAIN_ON_EXERTION = compile_phrases(
    r"\b(?:on|with|during|after)\s+(?:exertion|effort|exercise|exercising|activity)\b",
    r"\bexertional\b",
    r"\b(?:when|while|if)\s+(?:i\s+|he\s+|she\s+|they\s+|you\s+)?(?:walk|walking|climb|climbing|exercise|exercising|"
    r"run|running|jog|jogging|go\s+up|going\s+up|hurry|hurrying|garden|gardening)\b",
    r"\b(?:walking|climbing|going)\s+(?:up\s+)?(?:a\s+|the\s+)?(?:hill|hills|uphill|stairs|incline)\b",
    r"\bwalk\s+up\s+(?:a\s+|the\s+)?(?:hill|stairs)\b",
)
RELIEVED_BY_REST = compile_phrases(
    r"\b(?:goes|went|go)\s+away\s+(?:after|with|when)\s+(?:i\s+|he\s+|she\s+|they\s+|you\s+)?rest\w*",
    r"\b(?:goes\s+away|went\s+away|resolves?|resolved|resolving|settles?|settled|eases?|eased|stops?|stopped|subsides?|"
    r"subsided|disappears?|"
    r"improves?|improved|better|gone)\s+(?:\w+\s+){0,3}?(?:with|after|on|when)\s+(?:\w+\s+){0,4}?rest\w*",
    r"\brelieved\s+by\s+rest\w*",
    r"\brest\s+(?:relieves|eases|settles)\s+it\b",
)
# A change in the pattern or ACS features keep the emergency: crescendo, at rest, lasting, or with sweating,
# nausea, breathlessness or fainting (NICE CG95 1.1: unstable angina and ACS are emergencies).
ANGINA_DANGER = compile_phrases(
    r"\b(?:more\s+(?:often|frequent|easily)|increasingly\s+frequent|crescendo|getting\s+worse|worse\s+(?:and|or)\s+more|"
    r"less\s+(?:exertion|effort|activity))\b",
    r"\b(?:sweat\w*|clammy|diaphore\w+|nause\w+|vomit\w*|(?:feel|feeling|felt)\s+sick)\b",
    r"\b(?:short(?:ness)?\s+of\s+breath|breathless\w*|SOB|dyspn\w+)\b",
    r"\b(?:faint\w*|pass(?:ed)?\s+out|syncop\w+|light-?headed\w*|dizz\w+)\b",
    r"\b(?:lasting|lasts?|lasted|for|took|takes)\s+(?:about\s+|around\s+|more\s+than\s+|over\s+)?(?:1[5-9]|[2-9]\d|fifteen|"
    r"twenty|thirty|forty|fifty|sixty)\s*(?:min|mins|minutes)\b",
    r"\b(?:lasting|lasts?|lasted|for|took|takes)\s+(?:about\s+|around\s+|more\s+than\s+|over\s+)?(?:an?|one|two|\d+|half\s+an|"
    r"several|a\s+few)\s+(?:hours?|hrs?)\b",
    r"\b(?:does\s*n[o']t|did\s*n[o']t|will\s*n[o']t|won'?t|not)\s+(?:go\s+away|stop|settle|ease)\b",
    # A change of pattern (the review of 1.18.0; NICE CG95 1.1, ESC 2020 NSTE-ACS: new, at rest, crescendo).
    r"\b(?:first\s+time|new\s+(?:chest\s+)?(?:pain|pressure|tightness)|never\s+had\s+(?:it|this)\s+before)\b",
    r"\b(?:started|began|came\s+on|happened|first)\s+(?:\w+\s+){0,3}?(?:today|tonight|this\s+(?:morning|afternoon|evening)|"
    r"last\s+night|an?\s+hours?\s+ago|\d+\s+hours?\s+ago)\b",
    r"\b(?:woke|wakes|waking|woken)\b",
    r"\b(?:at\s+night|in\s+(?:my|his|her|their)\s+sleep|doing\s+nothing|watching\s+(?:tv|television)|sitting\s+(?:down|still))\b",
    r"\b(?:constant|continuous|still\s+(?:got|have|has)\s+(?:it|the\s+pain)|there\s+now|right\s+now)\b",
    r"\b(?:several|many|\d+)\s+times\s+a\s+day\b",
    r"\b(?:much|a\s+lot)\s+worse\b|\bworse\s+than\s+(?:usual|normal|before)\b",
    r"\b(?:to\s+the\s+(?:bathroom|toilet|loo)|getting\s+dressed|dressing|minimal\s+(?:exertion|effort|activity))\b",
    r"\b(?:crushing|grey|gray|pale|ashen)\b",
    r"\b(?:GTN|nitro\w*|glyceryl\s+trinitrate)\b",
    # Known coronary disease: a heart attack, a stent or a bypass before (ESI handbook: high risk).
    r"\b(?:heart\s+attacks?|MI|myocardial\s+infarction|stents?|bypass|CABG|angioplasty)\b",
)
# Gallstones with a fever, shivering or jaundice: possible acute cholangitis or cholecystitis (nhs.uk
# Gallstones: A&E; Tokyo Guidelines 2018).
GALLSTONES = compile_phrases(r"\bgall\s*stones?\b", r"\bbiliary\s+colic\b", r"\bgall\s*bladder\s+(?:pain|attack)\b")
GALLSTONE_DANGER = compile_phrases(
    FEVER_WORD,
    r"\bhigh\s+temp(?:erature)?\b",
    r"\b(?:hot\s+and\s+)?shiver\w*",
    r"\brigou?rs\b",
    r"\bjaundic\w+",
    r"\b(?:skin|eyes|whites?\s+of\s+(?:the\s+|your\s+|his\s+|her\s+|my\s+)?eyes|white\s+part\s+of\s+(?:the\s+|your\s+|"
    r"his\s+|her\s+|my\s+)?eyes)\b[^.;]{0,20}\b(?:looks?\s+|turned\s+|turning\s+|going\s+|is\s+|are\s+)?yellow\b",
)
# A limp with a fever: septic arthritis or osteomyelitis until shown otherwise (NICE CKS Limp in children:
# immediate admission).
LIMPING = compile_phrases(
    r"\blimping\b",
    r"\b(?:walking|walks)\s+with\s+a\s+limp\b",
    r"\b(?:has|had|developed|got|with|and)\s+a\s+limp\b",
    r"\bchild\s+limp\w*",
)
# A swallowed object that is large or sharp, or with drooling, gagging, vomiting, food refused, blood in the
# stool, pain or breathing trouble: possible oesophageal impaction or perforation (NHS Healthier Together
# Swallowed objects: call 999 or go to A&E; ESI handbook: a swallowed foreign body with drooling is high risk).
SWALLOWED_OBJECT = compile_phrases(
    r"\bswallowed\s+(?:an?\s+|the\s+)?(?:object|FB|foreign\s+body|something|coin|toy|pin|bone|marble|piece)\b",
    r"\b(?:ingested|swallowed)\s+(?:\w+\s+){0,3}?(?:FB|foreign\s+body|object)\b",
)
SWALLOWED_OBJECT_DANGER = compile_phrases(
    r"\b(?:large|big|sharp|pointed|pointy)\b",
    r"\bdrool\w*",
    r"\b(?:gagg\w+|retch\w*|vomit\w*)\b",
    r"\b(?:refus\w+\s+(?:food|to\s+eat|feeds?)|food\s+refusal|eating\s+less|reduced\s+intake)\b",
    r"\bblood\s+in\s+(?:their\s+|his\s+|her\s+|the\s+)?(?:poo|stools?)\b",
    r"\bchest\s+pain\b",
    r"\b(?:difficulty|trouble)\s+(?:breathing|swallowing)\b",
    r"\bstuck\b",
)
# A limb in a plaster cast or splint with pain that painkillers and raising it do not relieve, a pale or blue
# and cold limb, numbness or pins and needles, pressure or rubbing, a cast too tight or loose, a swollen, warm or
# red limb, or calf pain: possible compartment syndrome, a pressure sore or a clot (BOAST 10, acute compartment
# syndrome; NHS trusts' plaster-cast advice: go to A&E).
CAST = compile_phrases(r"\b(?:plaster\s+)?casts?\b", r"\bsplint\w*", r"\bplaster\b", r"\bPOP\b")
CAST_DANGER = compile_phrases(
    r"\bpain\b[^.;]{0,40}?\bnot\s+(?:relieved|helped|controlled|eased)\b",
    r"\b(?:bluish|blue|whitish|white|pale|grey)\b[^.;]{0,30}?\b(?:discolou?ration|skin|fingers|toes)\b",
    r"\bcold(?:ness)?\s+(?:of\s+)?(?:the\s+)?(?:limb|fingers|toes|hand|foot)\b",
    r"\b(?:numbness|numb|pins\s+and\s+needles|tingling|paraesth\w+|paresth\w+)\b",
    r"\b(?:blue|white)\s*/\s*(?:blue|white)\b",
    r"\bcalf\s+pain\b",
    r"\bswollen,?\s+(?:and\s+)?(?:warm|red|hot)\b",
    r"\b(?:painful\s+)?(?:pressure|rubbing)\s+(?:underneath|under|beneath)\b",
    r"\btoo\s+(?:loose|tight)\b",
    r"\bpain\s+in\s+(?:their\s+|his\s+|her\s+|my\s+|the\s+)?calf\b",
    r"\bswollen\s+and\s+(?:warm|red|hot)\b|\b(?:warm|red|hot|inflamed)\s+(?:and\s+\w+\s+)?(?:under|underneath)\s+the\s+(?:cast|splint)\b",
    r"\b(?:can'?t|cannot|unable\s+to)\s+move\s+(?:the\s+|their\s+|his\s+|her\s+|my\s+)?(?:fingers|toes)\b",
)
# Wordings of severe breathlessness that describe only a difficulty, not how severe it is.
PLAIN_DIFFICULTY_WORDS = ("difficult", "trouble", "problem", "hard")
# Kinds of breathing difficulty that are never an exertion's ordinary breathlessness.
ATTACK = compile_phrases(r"\bwheez\w*", r"\basthma\w*", r"\b(?:respiratory|breathing)\s+distress\b", r"\bstruggl\w+")
EXHAUSTION = compile_phrases(
    r"\btiring(?:\s+out)?\b",
    r"\btired\s+out\b",
    r"\bexhausted\b",
    r"\b(?:unable|can'?t|cannot|could\s*n'?t)\s+(?:to\s+)?(?:answer|respond\s+to)\s+(?:your\s+|any\s+|my\s+|the\s+)?questions\b",
    r"\b(?:can|could)\s+only\s+(?:say|speak|get\s+out|manage)\s+(?:a\s+)?(?:few|one|two|couple(?:\s+of)?|single)\s+words?\b",
    r"\b(?:one|two|single)[- ]word\s+(?:answers|sentences|responses)\b",
    r"\btoo\s+(?:breathless|short(?:ness)?\s+of\s+breath|out\s+of\s+breath)\s+to\s+(?:speak|talk)\b",
    # "Can't speak" in the same breath as the breathing ("asthma attack and can't speak", "wheezy, she can't talk"):
    # speech lost for breath, not a language, a listener, an age or a lost voice.
    r"\b(?:breath\w*|wheez\w*|asthma|gasp\w*)\b[^.;]{0,30}?\b(?:can'?t|cannot|could\s*n'?t|unable\s+to)\s+(?:speak|talk)\b"
    r"(?!\s+(?:much|english|\w+(?:ish|ch|ese|an)\b|yet|now|to|with|about|above|properly|clearly)\b)",
    r"\b(?:can'?t|cannot|could\s*n'?t|unable\s+to)\s+(?:speak|talk)\s*[,;]?\s*(?:for|with|because\s+of)\s+(?:\w+\s+)?"
    r"(?:breath\w*|wheez\w*)\b",
)
BLEEDING = compile_phrases(
    r"\bbleed\w*",
    r"\bbled\b",
    r"\bhaemorrhag\w+|\bhemorrhag\w+",
    r"\bblood\s+loss\b",
    r"\b(?:vomit\w*|cough\w*)\s+(?:up\s+)?blood\b",
)
HEAVY_DRINKING = compile_phrases(
    r"\b(?:drinks?|drinking)\s+(?:a\s+)?(?:case|fifth|bottle|pint|\d+\s+(?:beers|drinks|cans))\b",
    r"\b(?:heavy|daily|chronic)\s+(?:drinker|drinking|alcohol\s+use)\b",
    r"\balcoholi(?:c|sm)\b",
    r"\b(?:alcohol|ETOH)\s+(?:abuse|dependence|use\s+disorder)\b",
    r"\b(?:hasn'?t|has\s+not|had\s*n'?t|not)\s+had\s+a\s+drink\b",
    r"\blast\s+drink\b",
)
WITHDRAWAL_SIGNS = compile_phrases(
    r"\btremor\w*",
    r"\btremulous\b",
    r"\bshak(?:es|y|ing)\b",
    r"\brestless\w*",
    r"\bagitat\w+",
    r"\bsweat(?:s|y|ing)\b",
    r"\bwithdraw\w*",
)
ALCOHOL_WITHDRAWAL = compile_phrases(
    r"\b(?:alcohol|ETOH|EtOH|benzo\w*)\s+withdrawal\b",
    r"\bwithdraw\w*\s+from\s+(?:alcohol|drinking|benzo\w*)\b",
    r"\bdelirium\s+tremens\b",
    r"\bDTs\b",
)
SHUNT = compile_phrases(r"\b(?:VP|V-P|ventriculo-?peritoneal|ventricular|CSF)\s+shunt\b", r"\bshunt\b")
SHUNT_PROBLEM = compile_phrases(
    r"\bvomit\w*",
    r"\bthrow\s+up\b",
    r"\bheadache\b",
    r"\bhead\s+hurts\b",
    r"\b(?:sleepy|drowsy|letharg\w+|irritable)\b",
    r"\bnot\s+acting\s+(?:right|herself|himself|normal)\b",
    r"\b(?:blocked|malfunction\w*|not\s+working)\b",
)
SWALLOWING_DIFFICULTY = compile_phrases(
    r"\b(?:can|could)\s*(?:'?t|not|\s+barely|\s+hardly)\s+swallow\w*",
    r"\b(?:difficulty|trouble|pain(?:ful)?)\s+(?:with\s+)?swallowing\b",
    r"\bdysphagia\b",
    r"\bodynophagia\b",
    r"\bunable\s+to\s+swallow\b",
)
VOICE_CHANGE = compile_phrases(
    r"\bvoice\s+(?:is\s+|sounds\s+)?(?:different|changed|muffled|strange|weird)\b",
    r"\b(?:muffled|hot[- ]potato|changed)\s+voice\b",
    r"\btrismus\b",
    r"\b(?:can'?t|cannot|unable\s+to)\s+open\s+(?:his|her|my|their)\s+mouth\b",
)
POLYURIA = compile_phrases(
    r"\bpolyuria\b",
    r"\b(?:up|going)\s+to\s+the\s+(?:bathroom|toilet|loo)\s+(?:every|all\s+(?:night|the\s+time)|constantly)\b",
    r"\b(?:peeing|urinating|weeing)\s+(?:a\s+lot|constantly|all\s+the\s+time|frequently|so\s+much)\b",
    r"\bfrequent\s+urination\b",
    r"\bpassing\s+(?:urine|water)\s+(?:a\s+lot|constantly|all\s+the\s+time|frequently|so\s+often)\b",
    r"\b(?:peeing|weeing|wetting)\s+(?:loads|lots|through\s+(?:\w+\s+)?nappies)\b",
    r"\b(?:lots\s+of|more)\s+wet\s+nappies\b",
)
POLYDIPSIA = compile_phrases(
    r"\bpolydipsia\b",
    r"\b(?:can'?t|cannot)\s+(?:seem\s+to\s+)?get\s+enough\s+to\s+drink\b",
    r"\b(?:always|very|excessively|constantly)\s+thirsty\b",
    r"\bexcessive\s+thirst\b",
    r"\bdrinking\s+(?:constantly|all\s+the\s+time|so\s+much|a\s+lot|loads)\b",
    r"\bthirsty\s+all\s+the\s+time\b",
)
WEIGHT_LOSS = compile_phrases(r"\blos(?:ing|t|s)\s+weight\b", r"\bweight\s+loss\b")

# Chapter 3 composites (see findings.py): anticoagulation with a head injury or a nosebleed; a severe
# headache with fever, rash, confusion or a very high blood pressure; a transplant patient who is ill;
# a child who swallowed medicines, chemicals or a battery.
ANTICOAGULANT = compile_phrases(
    r"\b(?:warfarin|coumadin|apixaban|eliquis|rivaroxaban|xarelto|dabigatran|pradaxa|edoxaban|heparin|enoxaparin|"
    r"lovenox|clexane)\b",
    r"\bblood[- ]thinn\w+",
    r"\banti-?coagula\w+",
    # A bleeding disorder carries the same risk (nhs.uk Nosebleed: a condition that stops the blood clotting).
    r"\bha?emophilia\b",
    r"\bvon\s+willebrand\b",
    r"\b(?:bleeding|clotting)\s+disorder\b",
    r"\bblood\s+(?:can'?t|cannot|doesn'?t|does\s+not|won'?t)\s+clot\b",
)
NOSEBLEED = compile_phrases(r"\bnose\s*bleed\w*", r"\bepistaxis\b", r"\bbleeding\s+from\s+(?:the|his|her|my)\s+nose\b")
# A blow to the head in any of its wordings: "hit the back of her head", "hitting her forehead", "landed on his head".
HEAD_BLOW_WORDING = (
    # Not a toddler who "keeps banging his head" in a tantrum.
    r"(?<!keeps\s)(?<!keep\s)\b(?:hit|hitting|bumped|bumping|banged|banging|struck|striking|knocked|knocking)\s+"
    r"(?:(?:his|her|my|their|the|your|back|"
    r"side|front|top|of)\s+){0,4}(?:head|forehead|skull)\b"
    r"|\b(?:landed|landing|fell|falling)\s+(?:\w+\s+){0,2}?on\s+(?:(?:his|her|my|their|the|your|back|side|front|top|of)\s+){0,4}"
    r"(?:head|forehead)\b"
)
HEAD_INJURY = compile_phrases(
    r"\bhead\s+(?:injury|trauma|wound|strike)\b",
    HEAD_BLOW_WORDING,
    r"\b(?:swelling|lump|bump|bruise|bruising|cut|gash|egg)\s+(?:on|to)\s+(?:the\s+)?(?:(?:side|back|front|top)\s+of\s+)?"
    r"(?:(?:his|her|my|their|the|your)\s+)?(?:head|forehead|scalp)\b",
    r"\b(?:no|without\s+(?:a\s+)?)helmet\b",
    r"\bconcussion\b",
    r"\b(?:blow|knock|bang)\s+(?:to|on)\s+(?:the\s+|his\s+|her\s+|my\s+|their\s+|your\s+)?head\b",
    r"\bfell\b(?!\s+asleep)[^.]{0,40}\b(?:fore)?head\b",
)
SEVERE_HEADACHE = compile_phrases(
    r"\b(?:severe|bad|terrible|worst|intense|splitting)\s+headache\b",
    r"\bheadache\b[^.]{0,30}\b(?:[7-9]|10)\s*(?:/|out\s+of)\s*10\b",
)
HEADACHE_DANGER = compile_phrases(
    r"\bfever\w*",
    r"\brash\b",
    r"\bconfus\w+",
    r"\bletharg\w+",
    r"\bstiff\s+neck\b",
    r"\bneck\s+stiff\w*",
)
TRANSPLANT = compile_phrases(r"\btransplant\w*\b", r"\bon\s+(?:the\s+)?transplant\s+list\b")
TRANSPLANT_ILLNESS = compile_phrases(
    r"\bfever\w*", r"\bvomit\w*", r"\brejection\b", r"\binfect\w+", r"\b(?:unwell|ill|sick)\b", r"\bdiarrh\w+"
)
CHILD_INGESTION = compile_phrases(
    r"\b(?:swallowed|ate|eaten|ingested|drank|got\s+into|took|taken)\s+(?:[\w']+\s+){0,5}?(?:pills?|tablets?|medicines?|medications?|"
    r"vitamins?|iron|button\s+batter\w+|batter\w+|magnets?|magnetic\s+(?:balls?|beads?)|bleach|detergent|pods?|cleaner|"
    r"chemicals?|antifreeze)\b",
    r"\bingestion\b",
)

# A fall from a height, with its distance: CDC Guidelines for Field Triage of Injured Patients (2011),
# step 3 — falls of more than 20 feet (6 m) in adults, more than 10 feet (3 m) or two to three times the
# child's height in children, are high-risk mechanisms.
FALL_DISTANCE = compile_phrases(
    r"\b(?:fell|fall(?:en)?|jumped|dropped)\s+(?:\w+\s+){0,2}?(?:about\s+|approximately\s+|around\s+|nearly\s+|"
    r"almost\s+|over\s+|more\s+than\s+|at\s+least\s+|~\s*)?(\d{1,3}(?:\.\d)?)\s*(?:-\s*)?(feet|foot|ft|'|metres?|meters?|m)\b",
    r"\bfall\s+(?:of|from)\s+(?:about\s+|approximately\s+|around\s+|over\s+|more\s+than\s+)?"
    r"(\d{1,3}(?:\.\d)?)\s*(?:-\s*)?(feet|foot|ft|'|metres?|meters?|m)\b",
)

# An inhalation injury with airway signs (ESI handbook 2020, Ch. 3 "Environmental": closed-space smoke
# inhalation is high risk for airway compromise; with significant airway distress it is ESI 1).
INHALATION = compile_phrases(
    r"\bsmoke\s+(?:inhalation|exposure)\b",
    r"\b(?:burning|house|apartment|building)\s+(?:\w+\s+){0,2}?fire\b",
    r"\bburning\s+(?:apartment|house|building|bldg|room)\b",
    r"\binhal\w+\s+(?:injury|smoke|fumes|chemicals?)\b",
)
AIRWAY_SIGNS = compile_phrases(
    r"\bhoarse\w*",
    r"\bstridor\b",
    r"\bsinged\b",
    r"\bsoot\b",
    r"\b(?:increased\s+)?work\s+of\s+breathing\b",
    r"\brespiratory\s+distress\b",
    r"\b(?:struggling|labou?red)\s+(?:to\s+)?breath\w*",
)

# ESI handbook (2020), Chapter 6 (paediatrics): a petechial or purpuric rash with an altered mental state is
# ESI 1 (possible meningococcaemia in shock); a vesicular rash in a neonate is ESI 2 (possible neonatal
# herpes simplex).
PETECHIAL_RASH = compile_phrases(
    r"\bpurpur\w+",
    r"\bpetechia\w*",
    r"\bnon-?\s?blanch\w*",
    r"\b(?:rash|spots|marks)\s+(?:that\s+|which\s+)?(?:won'?t|will\s+not|does\s*n'?t|does\s+not|do\s+not|don'?t)\s+"
    r"(?:blanch|fade)",
)
VESICULAR_RASH = compile_phrases(r"\bvesic\w+", r"\bblister\w*", r"\bfluid[- ]filled\s+(?:spots|bumps|lesions)\b")

# Signs of toxicity after recreational drugs (HSE, How to identify an overdose: call 999 — pinpoint pupils,
# bluish lips, sweating and hyperactivity, a raised temperature with hot, flushed skin, rapid breathing).
RECREATIONAL_DRUGS = compile_phrases(
    r"\b(?:took|taken|used|using|after|s/p)\s+(?:\w+\s+){0,2}?(?:recreational\s+|street\s+|party\s+)?"
    r"drugs?\b(?!\s+(?:for|from|prescribed)\b)",
    r"\b(?:recreational|street|party)\s+drugs?\b",
    r"\bdrug\s+use\b",
    r"\b(?:cocaine|ecstasy|MDMA|heroin|amphetamines?|crystal\s+meth|methamphetamine|ketamine|GHB|mephedrone|"
    r"synthetic\s+cannabinoids?)\b",
)
TOXIDROME_SIGNS = compile_phrases(
    r"\bpin-?\s?point\s+pupils\b",
    r"\bmiosis\b",
    r"\b(?:sweating|diaphoresis|sweaty)\s+(?:and|&|with)\s+(?:hyperactiv\w+|agitat\w+)",
    r"\b(?:raised|high|very\s+high)\s+(?:body\s+)?temp(?:erature)?\b",
    r"\bhot\s*(?:,|and)\s*(?:and\s+)?flushed\b",
    r"\b(?:bluish|blue)\s+(?:tinge\s+to\s+(?:the\s+|his\s+|her\s+)?)?(?:lips|nails|fingernails)\b",
    r"\b(?:breathing\s+(?:can\s+be\s+|is\s+)?(?:rapid|fast)|rapid\s+breathing|tachypnoea|tachypnea)\b",
    r"\b(?:lips|fingernails|nails)\b[^.;]{0,20}?\b(?:bluish|blue)\b",
)
# An insect sting or bite followed by a reaction beyond the skin: anaphylaxis until shown otherwise (nhs.uk
# Insect bites and stings: call 999 — nausea, vomiting or diarrhoea, a fast heart rate, dizziness or feeling
# faint, difficulty swallowing; WAO 2020 criteria).
INSECT_STING = compile_phrases(
    r"\bstung\s+by\s+(?:a|an)\s+(?:\w+\s+)?(?:bee|wasp|hornet|insect|jellyfish)\b",
    r"\b(?:insect|bee|wasp|hornet)\s+(?:bites?|stings?)\b",
    r"\b(?:bite|sting)\s+(?:from|by)\s+(?:a|an)\s+(?:insect|bee|wasp|hornet)\b",
)
# The anaphylaxis signs above, and after a sting also breathing difficulty and dizziness (nhs.uk).
STING_REACTION = compile_phrases(
    *ANAPHYLAXIS_SIGN_WORDINGS, r"\b(?:difficulty|trouble|problems?)\s+breathing\b", r"\bdizz\w+"
)
# Warning signs after a head injury (NICE NG232, 2023: vomiting since the injury, a headache that does not
# go away, memory loss; nhs.uk and NHS 111 Wales Head injury and concussion: go to A&E).
HEAD_INJURY_WARNING = compile_phrases(
    r"\b(?:vomit\w*|been\s+sick|being\s+sick)\s+(?:\w+\s+){0,2}?since\s+(?:the\s+)?(?:injury|accident|fall|bang|knock|"
    r"blow|it\s+happened)\b",
    r"\bheadache\s+(?:that\s+)?(?:does\s+not|doesn'?t|won'?t|will\s+not)\s+go\s+away\b",
    r"\b(?:h/a|headache)\s+not\s+relieved\b",
    r"\b(?:memory\s+loss|amnesia|can'?t\s+remember\s+what\s+happened)\b",
    r"\b(?:problems?|trouble|difficulty)\s+with\s+(?:(?:their|his|her|your|my)\s+)?memory\b",
    r"\bmemory\s+(?:problems?|difficult\w*|impairment)\b",
    r"\b(?:behaviou?ral\s+change|change\s+in\s+(?:\w+\s+)?behaviou?r)\b",
    r"\b(?:injury|accident|fall|collision|crash|mechanism)\s+(?:was\s+)?high[- ](?:impact|energy)\b",
    r"\bhigh[- ](?:impact|energy)\s+(?:injury|head\s+injury|mechanism|collision|crash|fall|trauma)\b",
    # NICE NG232 (2023), 1.2 and 1.4: signs of a skull fracture — clear fluid or blood from the ears or nose,
    # bruising around both eyes or behind the ears — a focal neurological deficit, a visual problem, more than
    # one vomit, a penetrating injury, or a dangerous mechanism (a fall from more than 1 metre, high speed).
    r"\brepeated\s+vomit\w*",
    r"\bvomiting\b",
    r"\b(?:vomited|threw\s+up|been\s+sick|was\s+sick)\b",
    r"\b(?:more\s+|very\s+|increasingly\s+)(?:sleepy|drowsy)\b",
    r"\b(?:big|large|huge)\s+(?:swelling|lump|bump|egg)\b",
    r"\b(?:sick|vomit\w*)\s*(?:x\s*[2-9]|twice|(?:two|three|four|[2-9])\s+times)\b",
    r"\bbruis\w+\s+behind\s+(?:the\s+|his\s+|her\s+|their\s+|my\s+|one\s+|both\s+)?ears?\b",
    r"\b(?:panda|raccoon)\s+eyes\b",
    r"\b(?:more|very|unusually)\s+irritable\b|\birritable\s+than\s+usual\b",
    r"\b(?:clear\s+)?(?:fluid|liquid)\s+(?:leaking|coming|draining|running|dripping)\s+(?:in|from|out\s+of)\s+"
    r"(?:(?:his|her|my|their|the|one|both)\s+)?(?:nose|ears?)\b",
    r"\b(?:speech|comprehension|language)\s+(?:or\s+\w+\s+)?(?:difficult\w*|problems?|disturbance)\b",
    r"\bboggy\s+swelling\b",
    r"\b(?:periorbital|retroauricular|mastoid)\b[^.;]{0,25}?\b(?:bruis\w+|ha?ematoma|ecchymos\w+)\b",
    r"\bkeeping\s+(?:\w+\s+)?eyes\s+open\b",
    r"\b(?:visual|hearing)\s+(?:or\s+(?:visual|hearing)\s+)?disturbance\b",
    r"\botorrh\w+",
    r"\bfocal\s+(?:numbness|weakness|neuro\w*|deficit)\b",
    r"\bgait\b",
    r"\b(?:retained\s+(?:FB|foreign\s+body)|skull\s+depression|depressed\s+skull)\b",
    r"\btinnitus\b",  # nhs.uk Tinnitus: after a head injury, go to A&E
    r"\b(?:clear\s+)?(?:fluid|blood)\s+(?:or\s+(?:clear\s+)?(?:fluid|blood)\s+)?(?:\w+\s+){0,2}?(?:from|out\s+of)\s+"
    r"(?:the\s+|their\s+|his\s+|her\s+|your\s+|my\s+|one\s+|both\s+)?(?:nose|ears?)\b",
    r"\bbruis\w+\s+(?:around|behind)\s+(?:both\s+|their\s+|his\s+|her\s+|your\s+|my\s+|the\s+)?(?:eyes|ears)\b",
    r"\b(?:unequal(?:ly\s+sized)?|different[- ]sized?)\s+pupils\b",
    r"\bpupils\s+(?:are\s+|of\s+)?(?:unequal|different\s+sizes?)\b",
    r"\b(?:blurred|blurry|double)\s+vision\b",
    r"\b(?:problems?|trouble|difficulty)\s+with\s+(?:\w+\s+)?(?:eyesight|vision|seeing)\b",
    r"\bweakness\s+in\s+(?:an?\s+|their\s+|his\s+|her\s+|your\s+|my\s+|one\s+)?(?:arms?|legs?)\b",
    r"\b(?:losing|lost|loses|loss\s+of)\s+(?:their\s+|his\s+|her\s+|your\s+|my\s+)?balance\b",
    r"\b(?:something|an?\s+object)\s+(?:is\s+)?(?:stuck|embedded|lodged)\s+in\b",
    r"\b(?:vomit\w*|been\s+sick|was\s+sick)\s+(?:more\s+than\s+once|(?:[2-9]|two|three|four)\s+times|twice|repeatedly|"
    r"[2-9]\s*x)\b",
    r"\bbleeding\s+from\s+(?:his\s+|her\s+|their\s+|the\s+|my\s+|your\s+|one\s+|both\s+)?ears?\b",
    r"\bone\s+pupil\s+(?:is\s+)?(?:bigger|larger|smaller)\s+than\s+the\s+other\b",
    r"\bfall\s+(?:of|from)\s+(?:more\s+than\s+|over\s+|>\s*)(?:one|1|a)\s+met(?:re|er)\b",
    r"\bhigh[- ]speeds?\b",
    # The same in a clinician's shorthand: "limb weakness", "vomiting >1 episode", ">=3 vomits", "new visual
    # disturbance", "periorbital bruising", "Battle's sign", "raccoon eyes", "fall >1 m", "?CSF leak".
    r"\blimb\s+weakness\b",
    r"\b(?:nose\s*bleed\w*|epistaxis)\b",  # nhs.uk Nosebleed: after a blow to the head, go to A&E
    r"\bvomit\w*\s*(?:x\s*[2-9]|>\s*1|>=?\s*[2-9])",
    r"(?:>\s*1|>=?\s*[2-9])\s+vomits\b",
    r"\bvisual\s+disturbance\b",
    r"\b(?:bilateral\s+)?periorbital\s+(?:bruising|ecchymos\w+)\b",
    r"\bbattle'?s\s+sign\b",
    r"\braccoon\s+eyes\b",
    r"\bfall\s+(?:from\s+)?>\s*1\s*m\b",
    r"\bCSF\s+(?:leak|rhinorrh\w+|otorrh\w+)\b",
    r"\b(?:blood|fluid)\s*/\s*(?:blood|fluid)\b[^.;]{0,20}?\b(?:nose|ears?)\b",
    # The same signs in the words of NHS head-injury pages (NICE NG232): drowsiness, a problem speaking,
    # understanding, reading, writing, walking or balancing, numbness or weakness anywhere, being sick, a
    # black eye without an eye injury, a dent or an object in the head, a high-speed mechanism, brain surgery
    # or a bleed before, a large swelling on a child's head.
    r"\b(?:difficulty|trouble|problems?)\s+(?:staying\s+awake|keeping\s+(?:their|his|her|your|my)\s+eyes\s+open)\b",
    r"\b(?:problems?|difficulty|trouble)\s+(?:with\s+)?(?:walking|balance|understanding|speaking|writing|reading)\b",
    r"\b(?:difficult|hard)\s+to\s+(?:understand|speak|read|write)\b",
    r"\b(?:numbness|weakness)\s+(?:or\s+(?:numbness|weakness)\s+)?in\s+(?:parts?\s+of\s+)?(?:the|their|his|her|your|my)\s+"
    r"(?:body|arms?|legs?|face)\b",
    r"\b(?:weak|numb)\s+arms?\s+or\s+legs?\b",
    r"\b(?:cannot|can'?t)\s+(?:see\s+(?:well|properly)|feel\s+(?:them|their\s+(?:arms|legs)))\b",
    r"\bvision\s+problems?\b",
    r"\b(?:is|are|been|being|keeps?\s+being)\s+sick\b",
    r"\bblack\s+eye\s+without\b",
    r"\bdent\s+(?:in|to)\s+(?:the\s+|their\s+|his\s+|her\s+)?(?:head|skull)\b",
    r"\bwound\s+with\s+something\s+(?:inside|in\s+it)\b",
    r"\b(?:hit|injured)\s+at\s+speed\b",
    r"\b(?:brain\s+surgery|bleed(?:ing)?\s+(?:in|on)\s+the\s+brain|(?:brain|head)\s+bleed)\b",
    r"\b(?:large|big)\s+(?:soft\s+)?swelling\s+(?:bigger|larger|more)\s+than\s+5\s*cm\b",
)
# A head injury in someone who has had brain surgery or was drinking or taking drugs (nhs.uk Head injury and
# concussion, nidirect Severe head injury: go to A&E): counted when written as history ("has had previous brain
# surgery").
HEAD_INJURY_RISK = compile_phrases(
    r"\bbrain\s+(?:surgery|operation)\b",
    r"\bneurosurg\w+|\bcraniotom\w+",
    r"(?<!water\s)\bintoxicat\w+",
    r"\b(?:under\s+the\s+influence|(?:drinking|drank)\s+alcohol|(?:is|was|were|i'?m|he'?s|she'?s|they'?re|got)\s+(?:very\s+)?drunk|"
    r"(?:taking|taken|took)\s+(?:recreational\s+|illegal\s+|street\s+)drugs|alcohol\s+or\s+(?:recreational\s+)?drugs|"
    r"(?:alcohol|drug)\s+(?:or\s+drug\s+)?intoxication)\b",
    r"\bhad\s+been\s+drinking\b(?!\s+(?:\w+\s+)?(?:water|milk|fluids?|juice|normally|fine|well|ok|okay|plenty|lots|bottle|feeds?))",
)
# Toothache with swelling around the eye or in the neck: a spreading dental infection (nhs.uk Toothache:
# go to A&E; NICE CKS Dental abscess: severe or spreading infection is referred to hospital).
DENTAL_PAIN = compile_phrases(
    r"\btooth\s*ache\b", r"\bdental\s+(?:pain|abscess|infection)\b", r"\babscess\w*\s+tooth\b"
)
DENTAL_SPREAD = compile_phrases(
    r"\b(?:area\s+around\s+(?:your\s+|the\s+|his\s+|her\s+)?eye|neck)\s+(?:is\s+|are\s+)?(?:swollen|swelling)\b",
    r"\b(?:periorbital|neck)\s+swelling\b",
    r"\bswelling\s+(?:around|in|of)\s+(?:the\s+|your\s+|his\s+|her\s+|my\s+)?(?:eye|neck)\b",
    r"\bswollen\s+(?:neck|eyelid)\b",
    # nhs.uk Dental abscess (A&E): a swollen or painful eye, problems with eyesight, a lot of swelling in the mouth.
    r"\b(?:swollen|puffy)\s+(?:(?:or|and)\s+(?:painful|sore)\s+)?eyes?\b",
    r"\b(?:painful|sore)\s+(?:or|and)\s+(?:swollen|puffy)\s+eyes?\b",
    r"\bproblems?\s+with\s+(?:your\s+|his\s+|her\s+|my\s+|their\s+)?(?:eyesight|vision)\b",
    r"\b(?:a\s+lot\s+of|lots\s+of|severe|marked|significant|major)\s+(?:\w+\s+)?swelling\s+(?:in|inside)\s+"
    r"(?:your\s+|the\s+|his\s+|her\s+|my\s+|their\s+)?mouth\b",
    r"\b(?:marked|severe|significant|major)\s+intra-?oral\s+swelling\b",
)
# Dehydration with a sign of poor circulation: very dizzy, a fast heartbeat, no urine all day (HSE
# Dehydration: go to an emergency department; NICE CG84 clinical shock signs).
DEHYDRATION = compile_phrases(r"\bdehydrat\w+")
DEHYDRATION_SHOCK = compile_phrases(
    r"\b(?:very|extremely|really)\s+dizzy\b",
    r"\bmarked\s+dizziness\b",
    r"\bheart\s+(?:is\s+)?(?:beating|racing|pounding)\s+(?:very\s+)?(?:fast|quickly)\b",
    r"\b(?:fast|racing|rapid)\s+(?:heart\s*(?:beat|rate)|pulse)\b",
    r"\bno\s+urine\s+(?:passed\s+)?(?:all\s+day|for\s+(?:[89]|1\d|2\d)\s*(?:h|hrs?|hours)\b)",
    r"\b(?:not|haven'?t|hasn'?t)\s+(?:peed|passed\s+urine|had\s+a\s+pee|weed)\s+(?:\w+\s+){0,2}?all\s+day\b",
)
# A red or inflamed eye with a change in vision or intense redness (NICE CKS Red eye and Conjunctivitis:
# reduced vision, photophobia or intense redness need same-day assessment; HSE Conjunctivitis: go to an
# emergency department).
RED_EYE = compile_phrases(r"\bconjunctivitis\b", r"\bpink\s*eye\b", *RED_OR_PAINFUL_EYE_WORDINGS)
# A change in sight, said of a red eye or an injured one (EYE_ALARM, EYE_INJURY_WARNING).
VISION_CHANGE = (
    r"\b(?:changes?|change)\s+(?:in|to)\s+(?:your\s+|my\s+|his\s+|her\s+|their\s+)?(?:vision|sight|eyesight)\b"
)
EYE_ALARM = compile_phrases(
    VISION_CHANGE,
    r"\bvisual\s+(?:change|disturbance)s?\b",
    r"\bwavy\s+lines\b",
    r"\bintense(?:ly)?\s+red\w*\b",
)
# Pain when the abdomen is touched, with abdominal pain (NHS inform Stomach ache: go to A&E).
ABDOMINAL_TOUCH_PAIN = compile_phrases(
    r"\bhurts?\s+(?:when\s+(?:you|i|he|she|they|someone)\s+|to\s+)touch\w*\s+(?:the\s+|your\s+|my\s+|his\s+|her\s+|"
    r"their\s+)?(?:stomach|tummy|belly|abdomen)\b",
)
# Abdominal pain in lay words and in shorthand (the touch-pain pairing above; an older adult's abdominal pain with
# vomiting or an ill appearance, findings.py).
ABDOMINAL_PAIN = compile_phrases(
    r"\b(?:stomach|tummy|belly|abdominal|abdomen|epigastric|abd|abdo)\s+(?:aches?|pains?|cramps?)\b",
    r"\b(?:RUQ|LUQ|RIF|LIF|RLQ|LLQ)\s+pain\b",
    r"\b(?:tummy|stomach|belly|abdomen)\s+(?:hurts?|hurting|is\s+sore|sore)\b",
    r"\bsore\s+(?:tummy|stomach|belly)\b",
    r"\bpain\s+in\s+(?:the\s+|my\s+|his\s+|her\s+|their\s+)?(?:upper\s+|lower\s+)?(?:stomach|tummy|belly|abdomen)\b",
    r"\bepigastric\b",
)
ABDOMINAL_PAIN_DANGER = compile_phrases(
    r"\bvomit\w*",
    r"\bthrowing\s+up\b",
    r"\bbeing\s+sick\b",
    r"\b(?:looks?|looking|appears?|appearing)\s+(?:very\s+|really\s+|quite\s+)?(?:sick|ill|unwell|poorly|toxic)\b",
    r"\b(?:ill|toxic|unwell)[- ]appearing\b",
    r"\b(?:threw|throw(?:ing|s)?)\s+up\b",
    r"\bN\s*(?:&|and|/)\s*V\b",
    r"\b(?:been|was|is)\s+sick\b",
    r"\bemesis\b",
    r"\bretch\w*",
    r"\b(?:can'?t|cannot|unable\s+to)\s+keep\s+(?:anything|food|fluids?|water)\s+down\b",
    r"\b(?:looks?|looking)\s+(?:pale|grey|gray)\b",
)
# A nosebleed with faintness or a lot of blood swallowed (nhs.uk Nosebleed: go to A&E).
NOSEBLEED_DANGER = compile_phrases(
    r"\b(?:feel\w*|felt|is|are|am|getting|got|became|becoming|seems?)\s+(?:very\s+|a\s+bit\s+|quite\s+|really\s+)?"
    r"(?:weak|dizzy|light-?headed|faint)\b",
    r"\b(?:dizziness|light-?headedness|fainted|fainting|presyncop\w*)\b",
    r"\bweakness\s+(?:or|and|/)\s+dizziness\b",
    r"\bswallow\w*\s+(?:a\s+)?(?:large\s+(?:amount|vol(?:ume)?)|lot|lots)\s+of\s+blood\b",
)
# An injured eye (nhs.uk Black eye) and the signs that send it to A&E: blood in the eye (hyphaema), an eye
# that cannot move, an irregular pupil, a change in sight.
EYE_INJURY = compile_phrases(
    r"\bblack\s+eyes?\b",
    r"\beye\s+(?:injury|trauma)\b",
    r"\b(?:hit|poked|struck|punched|kicked|elbowed)\s+(?:\w+\s+){0,2}?in\s+(?:the\s+|his\s+|her\s+|my\s+|their\s+|your\s+)?eye\b",
    r"\b(?:blow|injury|trauma)\s+to\s+(?:the\s+|his\s+|her\s+|my\s+|their\s+|your\s+)?eye\b",
)
EYE_INJURY_WARNING = compile_phrases(
    r"\bblood\s+(?:\w+\s+){0,2}?in\s+(?:the\s+|his\s+|her\s+|my\s+|their\s+|your\s+)?eye\b",
    r"\bhyphaema\b|\bhyphema\b",
    rf"\b(?:{CANT}|unable\s+to|inability\s+to)\s+move\s+(?:the\s+|his\s+|her\s+|my\s+|their\s+|your\s+)?eye\b",
    r"\bophthalmoplegia\b",
    r"\birregular(?:ly)?(?:\s+shaped)?\s+pupil\b",
    VISION_CHANGE,
    # Not blurred vision alone: nhs.uk Black eye sends that to a GP the same day.
    r"\b(?:double|loss\s+of|reduced|lost)\s+(?:vision|sight)\b",
)
# A child who will not stop crying or whose cry is not their normal cry (NICE NG143 red feature: a
# continuous cry; HSE Child seriously unwell).
INCONSOLABLE_CRY = compile_phrases(
    r"\b(?:does\s+not|doesn'?t|won'?t|will\s+not)\s+stop\s+crying\b",
    # A continuous cry (NICE NG143, red): "crying and won't stop".
    r"\bcrying\s+and\s+(?:won'?t|will\s+not|doesn'?t|does\s+not|can'?t|cannot)\s+(?:stop|be\s+settled|settle)\b",
    r"\b(?:continuous|constant|non-?stop)\s+cry\w*",
    r"\binconsolabl[ey]\b",
    r"\bcry\s+(?:does\s+not|doesn'?t)\s+sound\s+like\s+(?:their|his|her)\s+normal\b",
    r"\bcry\s+is\s+not\s+(?:their|his|her)\s+normal\b",
    r"\bnot\s+like\s+(?:her|his|their)\s+(?:normal|usual)\s+cry\b",
    r"\bhigh[- ]pitched\s+(?:cry\w*|scream\w*|squeal\w*|wail\w*|shriek\w*)",
)
# A known ovarian cyst with sudden or severe pain or vomiting: possible torsion (nhs.uk Ovarian cyst: go to A&E with
# sudden, severe pelvic pain).
OVARIAN_CYST = compile_phrases(
    r"\bovarian\s+cysts?\b(?!\s+(?:was\s+|were\s+)?(?:removed|taken\s+out))",
    r"\bcysts?\s+on\s+(?:my|her|the|an?)\s+(?:left\s+|right\s+)?ovary\b",
)
OVARIAN_TORSION_SIGNS = compile_phrases(
    r"\bsudden\w*\b[^.;]{0,30}?\bpain\b",
    r"\b(?:severe|excruciating|agonising|agonizing|intense)\s+(?:\w+\s+){0,3}?(?:pain|ache)\b",
    r"\bvomit\w*",
    r"\bbeing\s+sick\b",
)
# Cancer with new back pain and weak or numb legs: metastatic spinal cord compression (NICE NG234, 2023: immediate
# assessment).
CANCER = compile_phrases(
    r"\b(?:cancer|carcinoma|myeloma|lymphoma|leuka?emia|malignan\w+|metasta\w+|mets|tumou?r|oncology)\b"
)
LEG_NEUROLOGY = compile_phrases(
    r"\b(?:legs?|feet)\b[^.;]{0,40}?\b(?:weak\w*|numb\w*|giving\s+way|tingl\w*)\b",
    r"\b(?:weak\w*|numb\w*)\s+(?:in\s+)?(?:(?:his|her|my|their|both)\s+)?legs?\b",
    r"\b(?:can'?t|cannot|unable\s+to|not\s+able\s+to)\s+(?:walk|stand)\b",
)
# A known aortic aneurysm with pain, faintness or a collapse (nhs.uk Abdominal aortic aneurysm: call 999).
AORTIC_ANEURYSM = compile_phrases(
    r"\bAAA\b", r"\b(?:abdominal\s+)?aortic\s+aneurysm\b", r"\baneurysm\s+in\s+(?:my|his|her)\s+(?:tummy|abdomen)\b"
)
ANEURYSM_DANGER = compile_phrases(
    r"\b(?:back|tummy|abdominal|belly|stomach|loin|flank)\s+(?:pain|ache)\b",
    r"\b(?:faint\w*|light-?headed\w*|dizz\w+|collaps\w+|passed\s+out)\b",
)
# A known food or drug allergy with the allergen taken and airway or breathing signs (Resuscitation Council UK 2021:
# anaphylaxis; nhs.uk Anaphylaxis: call 999).
ALLERGEN_TAKEN = compile_phrases(
    r"(?<!hay\sfever\s)\b(?:allerg\w+)\b[^.;]{0,60}?\b(?:ate|eaten|eating|had\s+some|accidentally|exposed|given)\b",
    r"\b(?:ate|eaten|eating|had\s+some|accidentally|given)\b[^.;]{0,60}?\b(?:allerg\w+)\b",
    r"\bsince\s+(?:eating|taking)\b",
)
ALLERGEN_AIRWAY_SIGNS = compile_phrases(
    r"\bthroat\b[^.;]{0,30}?\b(?:closing|tight\w*|swell\w*|swollen|closing\s+up)\b",
    r"\bwheez\w*",
    r"\bhoarse\w*",
    r"\b(?:struggling|difficulty|trouble|hard)\s+(?:to\s+)?(?:swallow\w*|breath\w*)\b",
    r"\b(?:can'?t|cannot)\s+(?:swallow|breathe)\b",
    r"\b(?:tongue|lips?)\b[^.;]{0,20}?\b(?:swell\w*|swollen)\b",
)
# Having anticancer treatment with a temperature of 37.5 °C or more, below 36 °C, shivering or feeling unwell
# (NICE NG151, neutropenic sepsis; UKONS triage tool; nhs.uk Chemotherapy: call the hospital's 24-hour line).
ANTICANCER_TREATMENT = compile_phrases(
    r"\bchemo\w*\b",
    r"(?<!pollen\s)(?<!grass\s)(?<!allergy\s)\bimmunotherapy\b",
    r"\bneutropeni\w+",
    r"\bneutrophils?\s+(?:are\s+|were\s+|is\s+|was\s+)?(?:very\s+)?low\b",
    r"\blow\s+neutrophils?\b",
)
NEUTROPENIC_SEPSIS_SIGNS = compile_phrases(
    r"\bshiver\w*", r"\bshivery\b", r"\brig(?:o|ou)rs?\b", r"\bfeverish\b", r"\bchills\b"
)

# Drowsiness with a fever: a new altered mental state (NICE NG51 sepsis, high-risk criterion).
DROWSINESS = compile_phrases(
    # Not a medicine's drowsiness ("Night Nurse makes her drowsy", "drowsy from my hayfever tablets").
    r"(?<!makes\sme\s)(?<!makes\sher\s)(?<!makes\shim\s)(?<!made\sme\s)(?<!made\sher\s)(?<!made\shim\s)\b(?:drowsy|drowsiness)\b"
    r"(?!\s+(?:from|because\s+of|due\s+to)\s+(?:\w+\s+){0,2}?(?:tablets?|medicine|medication|antihistamines?|pills?|night\s+nurse|"
    r"cough\s+mixture|hay\s*fever))",
    r"\b(?:hard|difficult)\s+to\s+(?:wake|rouse)\b",
    r"\b(?:very|unusually|more)\s+sleepy\b",
)

# Sciatica or leg symptoms on both sides: possible cauda equina syndrome (NICE CKS Sciatica red flags:
# bilateral sciatica, severe or progressive bilateral neurological deficit of the legs).
BILATERAL_LEG_SIGNS = compile_phrases(
    r"\b(?:sciatica|leg\s+pain)\s+(?:\w+\s+){0,2}?(?:on\s+)?both\s+sides\b",
    r"\b(?:sciatica|leg\s+pain|shooting\s+pain)\s+(?:\w+\s+){0,2}?(?:in|down|into)\s+both\s+legs\b",
    r"\bbilateral\s+(?:radicular\s+)?(?:sciatica|radiculopathy|leg\s+(?:pain|weakness|numbness))\b",
    r"\bsciatica\s*[;,]?\s*bilateral\b",
    r"\b(?:weakness|numbness)\s+(?:or\s+(?:weakness|numbness)\s+)?in\s+both\s+legs\b",
    r"\bboth\s+legs\s+(?:are\s+|feel\s+|go\s+|went\s+)?(?:weak|numb)\b",
    # Norfolk Community Health and Care, back pain (cauda equina signs: call 999): pain going into both legs,
    # "jelly legs", a rapid loss of leg strength, legs that will not go where you want.
    r"\bpain\s+(?:going|radiating|spreading|shooting|travelling|traveling)\s+(?:in)?(?:to|down)\s+both\s+legs\b",
    r"\b(?:rapid|sudden)\s+loss\s+of\s+(?:leg\s+)?strength\b",
    r"\b(?:difficulty|trouble)\s+coordinating\s+(?:your\s+|his\s+|her\s+|my\s+|their\s+|the\s+)?legs\b",
    r"\blegs\s+(?:won'?t|will\s+not|don'?t|do\s+not)\s+go\s+where\b",
)
# Conjunctivitis or a discharging eye in a baby under 4 weeks (NICE CKS Conjunctivitis: possible ophthalmia
# neonatorum, same-day specialist assessment; HSE Conjunctivitis).
EYE_DISCHARGE = compile_phrases(
    r"\bconjunctivitis\b", r"\bsticky\s+eyes?\b", r"\beye\s+discharge\b", r"\bpus\b[^.;]{0,20}\beyes?\b"
)
# Breathlessness the patient says is absent at rest: breathless only on exertion, which a GP assesses (nhs.uk
# Shortness of breath: see a GP if you get breathless when you're active; MRC dyspnoea scale).
# A headache said to have come on gradually is not a thunderclap headache, which reaches its worst within
# minutes (NICE CKS Headache - assessment: sudden onset, maximum intensity within 5 minutes; nhs.uk Headaches:
# call 999 for a headache that came on suddenly). "The worst headache I've ever had" with a gradual onset is
# a severe headache (a GP or 111 the same day), not a subarachnoid haemorrhage sign.
GRADUAL_ONSET = compile_phrases(
    # Said of the onset, not of anything else that changed gradually ("the vomiting has gradually eased").
    r"\b(?:came|comes|coming|come)\s+on\s+(?:very\s+)?(?:gradually|slowly)\b",
    r"\b(?:started|began|developed|crept\s+up)\s+(?:very\s+)?(?:gradually|slowly)\b",
    r"\b(?:gradually|slowly)\s+(?:came\s+on|started|began|developed|built\s+up)\b",
    r"\bgradual(?:ly)?[- ](?:onset|start|build-?up)\b",
    r"\b(?:built|building|builds)\s+up\s+(?:slowly|gradually|over\s+(?:several\s+|a\s+few\s+|the\s+|an?\s+)?(?:hours?|morning|"
    r"afternoon|evening|day))\b",
    r"\bslow(?:ly)?[- ]onset\b",
    r"\binsidious\b",
)
SUDDEN_ONSET = compile_phrases(
    r"\bsudden(?:ly)?\b",
    # Reaching its worst within minutes (NICE CKS: thunderclap, maximum intensity within 5 minutes).
    r"\bwithin\s+(?:a|one|\d+|a\s+few|seconds|minutes)\b",
    r"\b(?:seconds|a\s+minute|(?:1|2|3|4|5|one|two|three|four|five)\s+min(?:ute)?s?)\b",
    r"\bpeak\w*",
    r"\b(?:bang|exploded|explosion|like\s+being\s+hit)\b",
    r"\babrupt(?:ly)?\b",
    r"\ball\s+(?:at\s+once|of\s+a\s+sudden)\b",
    r"\bout\s+of\s+nowhere\b",
    r"\binstant\w*",
    r"\bin\s+(?:seconds|a\s+second|minutes)\b",
)
# A severe headache that a gradual onset does not make benign: brought on by exertion or sex, on an
# anticoagulant, after a head injury, or in pregnancy (NICE CKS Headache - assessment, red flags).
HEADACHE_RISK = compile_phrases(
    r"\b(?:during|after|while\s+having)\s+sex\b",
    r"\borgasm\w*",
    r"\bcoital\b",
    r"\b(?:lifting|straining|exercis\w+|the\s+gym|workout|weights|running|exertion\w*)\b",
    r"\bhead\s+(?:injury|trauma)\b",
    HEAD_BLOW_WORDING,
    r"\bpregnan\w+",
    r"\b(?:\d+|thirty|twenty)\s*(?:weeks?|/40)\b",
    r"\b(?:warfarin|apixaban|rivaroxaban|edoxaban|dabigatran|heparin|blood[- ]thinn\w+|anti-?coagula\w+)\b",
)
# The wordings of the thunderclap flag that say how bad a headache is, not how fast it came.
WORST_NOT_SUDDEN = ("worst", "never", "first", "unlike", "worse than")
COMFORTABLE_AT_REST = compile_phrases(
    # Not "can't get comfortable", not "only comfortable sitting forward" (tripod), not "comfortable sitting
    # up" (orthopnoea, a sign of heart failure).
    r"(?<!get\s)(?<!only\s)(?<!not\s)\bcomfortable\s+(?:when|while)\s+(?:sitting|resting|at\s+rest|lying)\b"
    r"(?!\s+(?:up|upright|forward|propped|bolt|leaning|on|in\s+one))",
    r"\b(?:breathing|breath)\s+(?:is\s+)?(?:fine|ok|okay|normal)\s+(?:at|when\s+at|while\s+at)\s+rest\b",
    r"\bnot\s+(?:short\s+of\s+breath|breathless|dyspn\w+)\s+at\s+rest\b",
    r"\b(?:breathless|short\s+of\s+breath|SOB|dyspn\w+|(?:trouble|difficulty)\s+breathing)\s+only\s+(?:when|on|with|during)\s+"
    r"(?:exertion|effort|walking|climbing|exercise|the\s+stairs)\b",
)
# Green (bile-stained) vomit in a child: intestinal obstruction or malrotation until shown otherwise (NICE CKS
# Gastroenteritis; NHS inform Vomiting in children). In an adult after repeated vomiting it is usually bile
# from an empty stomach (HSE Vomiting in adults: see a GP).
BILIOUS_VOMIT = compile_phrases(
    r"\b(?:green|bilious|bile[- ]stained|yellow-green|dark\s+green)\s+(?:\((?:bilious|green)\)\s+)?(?:vomit\w*|sick)\b",
    r"\bvomit\s+(?:is\s+|was\s+|looks\s+)?(?:green|yellow-green|bile)\b",
    r"\bvomits\s+green\b",
    r"\b(?:vomiting|throwing\s+up|bringing\s+up)\s+(?:green\s+)?bile\b",
    r"\bgreen\s+or\s+(?:\w+[- ])?\w+\s+vomit\b",
    r"\b(?:vomit|sick)\s+(?:with|containing)\s+(?:(?!no\b|not\b|without\b)\w+\s+){0,6}?bile\b",
    r"\b(?:vomit\w*|being\s+sick|sick|throwing\s+up)\s+(?:\w+\s+){0,2}?(?:green|bile|bilious)\b",
    r"\b(?:dark\s+)?green\s+(?:bile|vomit|sick)\b",
    r"\b(?:sick|vomit\w*)\b[^.;]{0,20}?\b(?:it'?s|is|was|it\s+was)\s+(?:dark\s+|bright\s+)?(?:yellow-?\s?)?green\b"
    r"(?!\s+(?:from|because)\b)",
    r"\b(?:vomit\w*|sick)\s+(?:\w+\s+)?yellow-?\s?green\b",
    r"\b(?:redcurrant|red\s+currant|currant)[- ]jelly\b",
    r"\b(?:dark\s+red\s+|red\s+)?jelly[- ]like\s+(?:poo|stools?|poop|mucus)\b",
)
