"""NegEx-style context for a matched phrase: negated, historical, hypothetical or chronic?

After Chapman et al., "A simple algorithm for identifying negated findings and diseases in discharge
summaries" (J Biomed Inform 2001;34:301–310): trigger phrases before (or just after) a finding, with a
limited scope. Safety shapes every choice here, because a wrongly negated red flag is an under-triage:

* Scope never crosses a sentence end (. ! ? ; newline) or a contrast word (but, however, although,
  though, yet, except, apart from, aside from), nor an affirming verb (has, have, reports, complains,
  presents, states, now, says, c/o), nor a word that turns a list of negatives to present findings
  (endorses, positive, +ve, only, feels, patient, …), nor a pseudo-trigger (below), which says something is
  there.
* Weak triggers ("no", "not", "without", …) reach at most 4 words forward and stop at a comma or "and"
  ("no fever, chest pain since 2 h" keeps the chest pain); "or" distributes the negation ("no plan or
  intent to harm himself").
* A weak trigger also reaches every item of a list of pertinent negatives closed by "or" that runs to the
  clause end, when it is a list of things the patient does not have ("no", "don't have"):
  "no fever, vomiting, or chest pain", "I don't have chest pain, shortness of breath, or
  trouble speaking". Each item is at most 4 words, none starts with "and", none is a clause (a
  subject or a verb: "no warning, he collapsed or fell"), and none names a thing rather than a finding,
  a time or a severity ("no known allergies, face drooping or slurred speech", "don't have my inhaler,
  can't breathe", "no fever, cough or chest pain before this episode"); without the closing "or" the
  comma still breaks the scope.
* List triggers ("denies", "negative for", "no signs of", …) reach 6 words and pass commas, "and",
  "or", "nor": "denies fever, cough or chest pain" negates all three. Beyond that they reach the items of a
  list of short findings that runs to the clause end, under the weak triggers' list checks, with or
  without a closing "or" ("denies fever, chills, nausea, vomiting, diarrhoea, headache, chest pain").
* Post triggers ("… denied", "… ruled out", "…: no") reach 3 words back.
* Resolved symptoms are NOT negated ("chest pain, now resolved", "no longer"): transient chest pain
  or a TIA is still a high-risk presentation. Uncertainty ("possible", "?", "maybe") is never negation.
* Pseudo-triggers that look like negation but are not: "no improvement", "not improving", "no better",
  "no relief", "not only", "not sure", "no change", "cannot rule out", "not ruled out", "no longer".
* "Never" negates like "no" ("never intubated"), except in a comparison that grades the finding
  ("never had a headache like this", "like never before"), which is masked as a pseudo-trigger.
* A relative's ("family history of", "mother has", "runs in the family") is its own context: like a
  history it is not the patient's finding now, and unlike one it is not the patient's condition either.
* Historical ("history of", "previous", "prior", or "… 4 years ago" after the
  finding; days and weeks ago stay current; "on her last admission …, she was intubated", whose scope
  passes a comma) and hypothetical ("if",
  "in case", "watch for", "return if") contexts, and chronic ones ("chronic", "baseline", "usual(ly)",
  "known", "always", "on antibiotics for", "… as usual", "… at baseline"), use the weak-trigger scope.
  "Not sure if" and "asking whether" are uncertainty, not hypothesis: the finding is kept.
* A duration before "history of" is the present illness's ("a 2-day history of chest pain", "3/7 hx of
  fever"); in years it stays historical. "Cannot be excluded" and "no (specific) diagnosis for …" keep the
  finding (the published NegEx test set showed all three; tests/triage/negex_benchmark.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Context = Literal["negated", "historical", "hypothetical", "chronic", "family"]

LOOKBEHIND_CHARS = 200
LOOKAHEAD_CHARS = 120
WEAK_SCOPE_WORDS = 4
LIST_SCOPE_WORDS = 6
POST_SCOPE_WORDS = 3

_PSEUDO = re.compile(
    # Uncertainty first, so that "not sure if" is masked whole (the "if" is not a hypothesis).
    r"\b(?:not\s+sure|unsure|uncertain|don'?t\s+know|wonder\w*|unclear|asks?|asking)\s+(?:if|whether)\b"
    r"|\b(?:no|not|without)\s+(?:improvement|improving|improved|better|relief|response|change|changes|only|sure|"
    r"certain|longer|stopping|stopped)\b|\b(?:cannot|can'?t|could\s+not|couldn'?t|not)\s+(?:be\s+)?rule[ds]?\s+out"
    r"|\bnot\s+ruled\s+out\b|\bno\s+(?:one|idea)\b"
    # "never had a headache like this (before)", "pain like never before": a comparison that says how bad
    # the finding is, the classic wording of a thunderclap headache, not its absence.
    r"|\bnever\s+(?:had|felt|experienced|known|seen)\s+(?:[\w']+\s+){0,3}?(?:like|as\s+bad\s+as)\s+(?:this|it|that)\b"
    r"|\blike\s+never\s+before\b"
    # "a 2-day history of chest pain", "3/7 hx of fever": the duration of the illness now, not a past one (found by
    # the published NegEx test set, tests/triage/negex_benchmark.py). Years stay historical ("a 10-year history of
    # seizures").
    r"|\b(?:\d+(?:\.\d+)?|a|an|one|two|three|four|five|six|seven|eight|nine|ten|twelve|few|several|couple\s+of|"
    r"couple|short|brief|recent)[\s-]*(?:hours?|hrs?|h|days?|d|weeks?|wks?|w|months?|mo)'?\s+(?:history|hx|h/o)\s+of\b"
    r"|\b\d+/(?:7|52|12)\s+(?:history|hx|h/o)\s+of\b"
    # "no specific diagnosis for his abdominal pain", "no obvious cause of the bleeding": the finding is there.
    r"|\bno\s+(?:specific\s+|clear\s+|obvious\s+|known\s+|definite\s+|firm\s+)?(?:diagnosis|cause|explanation|"
    r"reason|trigger)\s+(?:for|of)\b"
    # "pneumonia (cannot be excluded)": uncertainty, never a negation.
    r"|\b(?:cannot|can'?t|could\s+not|couldn'?t)\s+be\s+excluded\b|\bnot\s+(?:been\s+)?excluded\b",
    re.IGNORECASE,
)
_LIST_TRIGGERS = re.compile(
    r"(?<![\w-])-ve\s+for\b|\b(?:denies|denied|deny|denying|negative\s+for|no\s+(?:other\s+|further\s+|obvious\s+|overt\s+|clinical\s+)?"
    r"(?:signs?|symptoms?|evidence|complaints?|history|episodes?|reports?)\s+(?:or\s+(?:signs?|symptoms?)\s+)?of|free\s+of|"
    r"absence\s+of|neither|nor)\b",
    re.IGNORECASE,
)
_WEAK_TRIGGERS = re.compile(
    r"\b(?:no|not|without|never(?:\s+(?:had|have|felt|experienced|been))?|(?:does|did|do|has|have|had|is|was|are|were)\s*n[o']t(?:\s+(?:have|had|got|"
    r"experienc\w+|report\w*|complain\w*\s+of|been))?|isn'?t|wasn'?t|hasn'?t|haven'?t|doesn'?t|didn'?t|"
    r"ruled\s+out|rules\s+out|resolved\s+without)\b",
    re.IGNORECASE,
)
# A relative is family history when the note says so ("family history of", "FHx", "runs in the family"), when a
# relative "died of" it, when a relative "had" it at an age or in the past ("mother had an MI at 55", "dad had a
# stroke years ago") or "had"/"has" a long-term disease ("mother has sickle cell disease"). Anything else a
# relative "had" or "has" is the patient's, told by a caller: "my dad has chest pain", "Mum has been vomiting
# blood", "my uncle had chest pains all evening" (1.24.0; until then every "mum has …" was a relative's).
_FAMILY = re.compile(
    r"\b(?:family\s+(?:history|hx)\s+of|FHx?\s*(?:of|:)|(?:mother|father|mum|mom|dad|sister|brother|sibling|"
    r"grand(?:mother|father|ma|pa)|uncle|aunt|auntie|cousin|grandad|granddad|nan|nana)\s+had|(?:mother|father|mum|mom|dad|"
    r"sister|brother|sibling|grand(?:mother|father|ma|pa)|uncle|aunt|auntie|cousin|grandad|granddad|nan|nana|friend|"
    r"neighbou?r|housemate|flatmate|colleague)\s+died\s+(?:of|from)|(?:mother|father|mum|mom|dad|sister|brother|sibling|"
    r"grand(?:mother|father|ma|pa)|grandad|granddad|nan|nana)\s+(?:has|with)|runs\s+in\s+(?:the|his|her|my|their)"
    r"\s+family)\b",
    re.IGNORECASE,
)
# What a relative "has" or "had" that is family history: a long-term disease, not a symptom.
_LONG_TERM_DISEASE = re.compile(
    r"\s+(?:[\w-]+\s+){0,3}?(?:disease|diabetes|cancer|sickle|epilepsy|hypertension|high\s+blood\s+pressure|"
    r"high\s+cholesterol|asthma|COPD|emphysema|angina|heart\s+failure|arthritis|dementia|alzheimer'?s|parkinson'?s|"
    r"schizophrenia|bipolar|condition|disorder|syndrome|thalassa?emia|ha?emophilia|cystic\s+fibrosis|heart\s+problems|"
    r"migraines?|chemo\w*|radiotherapy|dialysis)\b(?!\s+(?:\w+\s+)?(?:crisis|attack|flare|pain|exacerbation|episode))",
    re.IGNORECASE,
)
# An age or a past time that makes what a relative "had" a family history: "an MI at 55", "a stroke years ago" —
# not a clock time ("at 22:15", "at 11"), a setting ("when she was in the shower") or "almost died".
_FAMILY_HISTORY_DETAIL = re.compile(
    r"\b(?:at\s+(?:the\s+)?age\s+(?:of\s+)?\d{2}|at\s+[2-9]\d\b(?!\s*(?:[:.]\d|am\b|pm\b|h\b|hrs?\b|o'?clock|past\b|to\b|min))|"
    r"in\s+(?:his|her|their)\s+(?:\d0s|thirties|forties|fifties|sixties|seventies|eighties)|when\s+(?:he|she|they)\s+(?:was|were)\s+"
    r"(?:young|a\s+child|\d{2}|in\s+(?:his|her|their)\s+\d0s)|(?:years?|months?)\s+ago|last\s+year|in\s+(?:19|20)\d\d|"
    r"(?<!almost\s)(?<!nearly\s)(?<!'d\s)(?<!he\s)(?<!she\s)(?<!they\s)died|passed\s+away)\b",
    re.IGNORECASE,
)
# An event a relative "had" that family histories name: "Mother had an MI, father had a CVA".
_PAST_EVENT = re.compile(
    r"\s+(?:a\s+|an\s+)?(?:heart\s+attack|MI|stroke|CVA|TIA|brain\s+(?:ha?emorrhage|bleed)|subarachnoid\s+ha?emorrhage|SAH|sepsis|"
    r"meningitis|(?:blood\s+)?clot|"
    r"PE|DVT|pulmonary\s+embolism|aneurysm|cardiac\s+arrest|bypass|stents?)\b",
    re.IGNORECASE,
)
# The relatives whose bare "had a heart attack" reads as family history (as it did before 1.24.0).
_CLOSE_RELATIVE = re.compile(
    r"(?:mother|father|mum|mom|dad|sister|brother|sibling|grand(?:mother|father|ma|pa))\b", re.IGNORECASE
)
# The writer's own complaint, told alongside a relative's history.
_OWN_COMPLAINT = re.compile(
    r"\b(?:I\s+have|I'?ve\s+(?:got|had)|I\s+get|I'?m\s+(?:here|having|feeling)|(?:the\s+)?patient\s+has|here\s+for|"
    r"family\s+history)\b",
    re.IGNORECASE,
)
# Words that describe a relative now: "he's still drowsy", "she is struggling", "lasted 6 minutes".
_PRESENT_STATE = re.compile(
    r"\b(?:he'?s|she'?s|he\s+is|she\s+is|they'?re|they\s+are|is\s+\w+ing|still|lasted|lasting|now|just|found|think|please|"
    r"ambulance|send|help|need|earlier)\b",
    re.IGNORECASE,
)
# A time that puts what a relative "has" or "had" in the present illness: "Mum had an asthma attack just now".
_HAPPENING_NOW = re.compile(
    r"\b(?:today|tonight|this\s+(?:morning|afternoon|evening)|last\s+night|just\s+now|right\s+now|now|currently|still|"
    r"for\s+the\s+(?:last|past)|since|(?:\d+|an?|few|couple\s+of)\s+(?:min\w*|hours?|hrs?)\s+ago|"
    r"for\s+(?:\d+|an?|half\s+an?)\s+(?:min\w*|hours?|hrs?)|lasted|lasting|not\s+settling|earlier|this\s+(?:am|pm)|"
    r"at\s+\d{1,2}(?:[:.]\d\d)?\s*(?:am|pm)|\d{1,2}:\d\d|at\s+\d{3,4}\s*(?:hrs?|h)|past\s+\d|to\s+\d)\b",
    re.IGNORECASE,
)
_HISTORICAL = re.compile(
    r"\b(?:(?:past\s+|medical\s+)?history\s+of|hx\s+of|h/o|previous(?:ly)?|prior|in\s+the\s+past|"
    r"years\s+ago|as\s+a\s+child)\b",
    re.IGNORECASE,
)
# An earlier stay or episode, with what happened in it: "on her last admission for asthma, she was
# intubated". Its scope passes a comma, like a list trigger's, because the event usually follows one.
_EARLIER_EPISODE = re.compile(
    r"\b(?:on|during|at|in)\s+(?:his|her|their|my|your|the|a)\s+(?:last|previous|prior|earlier|former)\s+"
    r"(?:admissions?|hospitali[sz]ations?|hospital\s+stays?|stays?|visits?|exacerbations?|attacks?|episodes?)\b",
    re.IGNORECASE,
)
_HYPOTHETICAL = re.compile(
    r"\b(?:if|in\s+case\s+(?:of)?|should\s+(?:he|she|they|you|i)\s+(?:develop|get|have)|watch\s+(?:out\s+)?for|"
    r"return\s+if|call\s+back\s+if|safety[- ]net\w*|advised\s+to\s+(?:call|return)\s+if|"
    r"worried\s+(?:about|of)\s+getting)\b",
    re.IGNORECASE,
)
_CHRONIC = re.compile(
    # "more drowsy than usual" is a change from the baseline, not the baseline itself.
    r"\b(?:chronic(?:ally)?|long[- ]?standing|(?<!than\s)(?:baseline|usual(?:ly)?|normally)|known|always|"
    r"(?:on|taking|treated\s+with)\s+(?:\w+\s+){0,2}?(?:antibiotics|treatment|medication|medicine|tablets|meds)\s+for)\b",
    re.IGNORECASE,
)
_POST_NEGATION = re.compile(
    r"^\s*(?:[:?=-]\s*(?:no|none|nil|denie[sd]|deny|negative|absent|not\s+present)\b|(?:was\s+|were\s+|is\s+|are\s+)?"
    r"(?:denied|ruled\s+out|excluded|absent|not\s+present|negative)\b)",
    re.IGNORECASE,
)
# "nil" as clinicians write "no", read only straight before a finding that ends its list item: "nil CP, nil SOB"
# and "10/40, nil PV bleed". Not across another word ("Nil alcohol vomiting fresh blood", "nil effect GTN crushing
# chest pain") and not "nil by mouth".
_NIL_BEFORE = re.compile(r"\bnil\s+$", re.IGNORECASE)
NIL_WINDOW = 12  # "nil" and the spaces after it
_ENDS_ITEM = re.compile(r"\s*(?:[,.;)]|$|(?:or|and|nor)\b)", re.IGNORECASE)
# Shorthand negatives written straight after the finding, nothing between: "CP -ve", "SOB nil," and
# "seizure-free". Not across a word or a comma ("CP, trop -ve" is chest pain; "CP nil else" is not a denial).
_POST_SHORTHAND_NEGATION = re.compile(
    r"(?:\s*-\s*ve|\s+nil|-free)\s*(?=[,.;)]|$)|-free(?=\s+(?:for\s+)?\d+\s*(?:years?|yrs?)\b)",
    re.IGNORECASE,
)
_POST_CHRONIC = re.compile(
    # "Baseline" and "usual" only where they end the phrase ("confused, which is his baseline."): "usual inhaler
    # not working" and "baseline was normal" describe the next words. "Ongoing" alone means still happening
    # ("seizure ongoing"); only "an ongoing thing/problem" or "ongoing for years" is chronic (a safety review).
    r"^\s*[,(]?\s*(?:which\s+)?(?:is\s+|are\s+)?(?:at\s+|as\s+)?(?:(?:his|her|their|my)\s+)?(?:(?:baseline|usual)"
    r"(?=\s*(?:[.,;:)!?]|$|for\s+(?:him|her|them|me)\b|self\b))|normal\s+for\s+(?:him|her|them|me)|as\s+always|"
    r"for\s+years|for\s+(?:a\s+)?(?:very\s+)?long\s+time|(?:it'?s\s+|an\s+|on)?(?:long[- ]?standing|long[- ]term)"
    r"(?:\s+thing)?|(?:it'?s\s+)?an\s+ongoing\s+(?:thing|problem|issue)|ongoing\s+for\s+(?:years|months|a\s+long\s+time))\b",
    re.IGNORECASE,
)
_POST_HISTORICAL = re.compile(
    r"^\W*(?:\w+\s+){0,3}?(?:about\s+|around\s+|over\s+)?(?:\d+|a|an|one|two|three|four|five|six|"
    r"seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|few|several|many)\s+(?:years?|months?)\s+ago\b"
    # A year named ("a heart attack in 2016") or childhood ("asthma as a child"), with words but no comma between
    # ("Chest pain, MI in 2019" is chest pain now); a distance is not a year ("2000 metre row"). Not a shorthand
    # time ago ("chest pain 2/12 ago, back today"), a bare four-digit number ("last drink 1900" is a clock time), nor
    # "last year" ("a heart attack last year" with exertional chest pain is high risk): each hid a current finding.
    r"|^\s+(?:(?!as\b|like\b|same\b|when\b|started\b|began\b)\w+\s+){0,3}?(?:back\s+)?in\s+(?:19|20)\d\d\b"
    r"(?!\s*(?:m|metres?|meters?|km|mg|ml|kcal|steps|hrs?|h|hours)\b)"
    r"|^\s+(?:(?!as\b|like\b|same\b|when\b)\w+\s+){0,3}?as\s+a\s+(?:child|kid|baby|teenager)\b"
    r"(?!\s+(?:would|does|do|might|can|could))",
    re.IGNORECASE,
)
_POST_EARLIER_EPISODE = re.compile(r"^\W*(?:[\w']+\s+){0,3}?" + _EARLIER_EPISODE.pattern, re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?;\n]|\s-\s")
_TERMINATORS = re.compile(
    r"\b(?:but|however|although|though|yet|except|apart\s+from|aside\s+from|has|have|having|had|reports?|"
    r"reporting|complains?|complaining|c/o|presents?|presenting|states?|says|now|currently|today|with|"
    # Words that turn a list of negatives into present findings (a safety review of 1.20.1): "denies fever, …,
    # endorses chest pain", "negative for …, positive: headache", "…, only chest pain", "…, feels confused".
    r"endorses|endorsing|admits|admitting|notes|noted|feels|positive|pos|yes\s+to|only|just|mainly|mostly|main|"
    r"patient|pt)\b|\+\s*ve\b",
    re.IGNORECASE,
)
# "or" after a negation distributes it ("no fever or chest pain" negates both); "and" and a comma do not
# ("no fever, chest pain since 2 h" is read as chest pain present).
_WEAK_BREAKS = re.compile(r",|\b(?:and|plus|also)\b", re.IGNORECASE)
_WORD = re.compile(r"[\w'/]+")
# A list of pertinent negatives: comma-separated items closed by "or"/"nor" before the last one.
_LIST_CLOSE = re.compile(r"(?:^|\s)(?:or|nor)\s", re.IGNORECASE)
_LIST_ITEM_OPENER = re.compile(r"^(?:and|plus|also)\b", re.IGNORECASE)
# A subject or a verb makes an item a clause, not a thing the patient lacks: "no warning, he collapsed or fell".
_CLAUSE_WORD = re.compile(
    r"\b(?:i|he|she|they|we|you|it|who|which|that|is|are|was|were|been|be|started|began|came|went|got)\b", re.IGNORECASE
)
# Items that make the comma list something other than a list of absent findings (safety reviews of 1.17.0 and
# 1.23.1): what the patient has not got with them or in their history ("no known allergies, face drooping
# or slurred speech", "don't have my inhaler, can't breathe"), a time, a severity, a verb of finding, a change
# or a struggle ("no fever, cough or chest pain before this episode", "no PMH, crushing chest pain, sweaty or
# grey", "negative for fever, lips turning blue", "denies fever or cough, struggling to breathe").
_LIST_ITEM_BLOCKER = re.compile(
    r"\b(?:my|his|her|their|your|our|known|allerg\w*|NKDA|PMH\w*|hx|history|meds|medications?|medicines?|drugs|"
    r"inhalers?|puffers?|epi-?pens?|auto-?injectors?|GTN|sprays?|ID|identification|warning|effect|help|relief|"
    r"improvement|response|wet|nappy|nappies|urine|wee|pee|poo|stools?|bowel|appetite|energy|sleep|strength|feeling|"
    r"sensation|periods?|home|left|available|access|money|car|transport|phone|antihistamines?|tablets|pills|"
    r"treatment|since|for|until|till|before|after|ago|times?|sometimes|"
    r"earlier|yesterday|today|tonight|morning|night|crushing|severe|severely|worst|bad|sudden\w*|barely|"
    r"hardly|can'?t|cannot|unable|found|still|again|constant\w*|very|really|extremely|better|getting|once|twice|"
    r"x\d+|\d+x|struggl\w*|hasn'?t|wouldn'?t|turning|turned|going|gone|becoming|became|looks?|looking|feels?|seems?)\b",
    re.IGNORECASE,
)
LIST_ITEM_WORDS = 4
# Only triggers that open a list of things the patient does not have; "not resolving, worsening or
# spreading" lists what the rash does, and "without warning, she collapsed or fell" is no list.
# "nor" and "neither" join two findings ("won't eat nor drink"); they open no long list.
_JOINING_TRIGGER = re.compile(r"nor|neither", re.IGNORECASE)
_LIST_OPENER = re.compile(r"no|(?:do|does|did|has|have|had)\s*n[o']t\s+(?:have|had|got|experienc\w+)", re.IGNORECASE)
# Not "not …", and not when it describes the finding before it ("chest pain, no effect from GTN").
_NEXT_NEGATION = re.compile(
    r",\s*(?:no|nil|denies|denied)\b(?!\s+(?:\w+\s+)?(?:effect|help|relief|difference|change|response|improvement|better|"
    r"easing|benefit|GTN|improving|settling|let-?up))",
    re.IGNORECASE,
)
# A clause after a finding that describes it as present: "chest pain, not relieved by GTN", "…, no effect from GTN".
_DESCRIBED_AFTER = re.compile(
    # Only relief that a treatment or rest did not bring: "no chest pain despite exertion" and "no fever, not improving"
    # stay negated.
    r"\s*,?\s*(?:(?:not|no|nil|without|never)\s+(?:\w+\s+)?(?:(?:relieved|eased|easing|settled|settling|shifting|"
    r"subsiding|controlled|letting\s+up)\b|(?:helped|responding|effect|difference|change|response|relief|help|benefit)\s+"
    r"(?:by|from|with|to|after|on)\b)|unrelieved\b)",
    re.IGNORECASE,
)
_SELF_NEGATING = re.compile(r"(?:not|can'?t|cannot|unable|won'?t|couldn'?t|isn'?t|doesn'?t|didn'?t)\b", re.IGNORECASE)
_SPACE = re.compile(r"\s")
_MASK = "\x00"
_ANSWER_MARK = re.compile(r"\s*[:?=-]")


@dataclass(frozen=True, slots=True)
class Cue:
    context: Context
    pattern: re.Pattern[str]
    scope_words: int
    passes_lists: bool


_PRE_CUES: tuple[Cue, ...] = (
    Cue("negated", _LIST_TRIGGERS, LIST_SCOPE_WORDS, passes_lists=True),
    Cue("negated", _WEAK_TRIGGERS, WEAK_SCOPE_WORDS, passes_lists=False),
    Cue("family", _FAMILY, WEAK_SCOPE_WORDS, passes_lists=False),
    Cue("historical", _HISTORICAL, WEAK_SCOPE_WORDS, passes_lists=False),
    Cue("historical", _EARLIER_EPISODE, LIST_SCOPE_WORDS, passes_lists=True),
    Cue("hypothetical", _HYPOTHETICAL, WEAK_SCOPE_WORDS + 1, passes_lists=False),
    Cue("chronic", _CHRONIC, 2, passes_lists=False),
)


def _clause_start(text: str, start: int) -> int:
    # Only the last LOOKBEHIND_CHARS matter (the widest scope is 6 words); starting at a word boundary
    # keeps a cut word from reading as a trigger, and bounds the work on very long notes.
    low = max(0, start - LOOKBEHIND_CHARS)
    if low > 0:
        space = _SPACE.search(text, low, start)
        low = space.end() if space else start
    boundary = low
    for end_mark in _SENTENCE_END.finditer(text, low, start):
        boundary = end_mark.end()
    return boundary


def _clause_end(text: str, end: int) -> int:
    high = min(len(text), end + LOOKAHEAD_CHARS)
    end_mark = _SENTENCE_END.search(text, end, high)
    return end_mark.start() if end_mark else high


def _masked(text: str, span_start: int, span_end: int) -> str:
    """The text with pseudo-triggers blanked (same length, so offsets still hold). The blank is `_MASK`, which ends
    a scope: a pseudo-trigger says something is there ("a 2-day history of", "no obvious cause for the collapse"),
    so a negation before it does not reach past it."""
    window = text[span_start:span_end]
    return _PSEUDO.sub(lambda match: _MASK * len(match.group()), window)


def _negated_list(text: str, list_start: int, start: int, closed_by_or: bool = True) -> bool:
    """Is the finding at `start` an item of a list of pertinent negatives that opens at `list_start`
    ("no fever, vomiting, or chest pain.")? The list must run to the clause end (a sentence end, a
    terminator, or a new negation: ", no rash") and close with "or"/"nor" (`closed_by_or`); each item is short
    and none opens a new clause with "and"."""
    clause_end = _clause_end(text, start)
    segment = _masked(text, list_start, clause_end)
    if _MASK in segment[: start - list_start]:
        return False
    terminator = _TERMINATORS.search(segment)
    if terminator:
        segment = segment[: terminator.start()]
    if list_start + len(segment) <= start:
        return False
    # A new negation after the finding ends the list: "no nausea, vomiting, or diarrhoea, no rash".
    following = _NEXT_NEGATION.search(segment, start - list_start)
    if following:
        segment = segment[: following.start()]
    items = [item.strip() for item in segment.split(",")]
    if len(items) < 2 or (closed_by_or and not _LIST_CLOSE.search(" " + items[-1])):
        return False
    for item in items:
        words = _WORD.findall(_LIST_CLOSE.sub(" ", " " + item + " "))
        if not words or len(words) > LIST_ITEM_WORDS or _LIST_ITEM_OPENER.match(item) or _not_an_absent_finding(item):
            return False
    return True


def _not_an_absent_finding(item: str) -> bool:
    """An item of a comma list that is not a finding the patient lacks: it negates itself ("not settling"), is a
    clause (a subject or a verb, a change: "lips turning blue"), or names a thing, a time or a severity."""
    return bool(_SELF_NEGATING.match(item) or _CLAUSE_WORD.search(item) or _LIST_ITEM_BLOCKER.search(item))


def _new_clause_after_comma(text: str, list_start: int, start: int) -> bool:
    """Whether the comma-separated item that holds the finding at `start` is a clause of its own rather than an item
    of the list that opens at `list_start` ("Denies trauma, he collapsed at home")."""
    item_start = text.rfind(",", list_start, start) + 1
    comma = text.find(",", start)
    clause_end = _clause_end(text, start)
    return _not_an_absent_finding(text[item_start : comma if 0 <= comma < clause_end else clause_end].strip())


def _pre_context(text: str, start: int) -> Context | None:
    clause_start = _clause_start(text, start)
    window = _masked(text, clause_start, start)
    found: Context | None = None
    for cue in _PRE_CUES:
        for trigger in cue.pattern.finditer(window):
            between = window[trigger.end() :]
            if _MASK in between or _TERMINATORS.search(between):
                continue
            if not cue.passes_lists and _WEAK_BREAKS.search(between):
                # A comma or "and" ends a weak scope, unless the finding is an item of a list of pertinent negatives.
                opens_list = cue.context == "negated" and _LIST_OPENER.fullmatch(trigger.group())
                if opens_list and _negated_list(text, clause_start + trigger.end(), start):
                    return "negated"
                continue
            if (
                cue.context == "negated"
                and cue.passes_lists
                and "," in between
                and _new_clause_after_comma(text, clause_start + trigger.end(), start)
            ):
                # "Denies trauma, he collapsed at home", "…, not able to speak in full sentences": a clause after a
                # comma is not an item of the list.
                continue
            if len(_WORD.findall(between)) > cue.scope_words:
                # A list trigger ("denies", "negative for") reaches every item of a list of short findings that
                # runs to the clause end, however long: "denies fever, chills, nausea, vomiting, chest pain".
                if (
                    cue.passes_lists
                    and cue.context == "negated"
                    and not _JOINING_TRIGGER.fullmatch(trigger.group())
                    and _negated_list(text, clause_start + trigger.end(), start, closed_by_or=False)
                ):
                    return "negated"
                continue
            if cue.context == "negated":
                if _first_time(text, clause_start, trigger, start):
                    continue  # "never had chest pain before, started an hour ago"
                return "negated"
            if cue.context == "family" and _someone_else_now(text, clause_start, trigger, start):
                continue
            found = found or cue.context
    return found


# "Never had chest pain before, started an hour ago": a first event, not a denial.
_FIRST_TIME = re.compile(
    r"\b(?:before|until|till|in\s+(?:his|her|my|their|your)\s+life|first\s+(?:time|one|ever)|like\s+this|this\s+(?:bad|short|"
    r"breathless|severe|ill|unwell|sick|painful|much)|such|so\s+\w+|previously|now|started|starting|began|came\s+on|lasted|lasting|"
    r"but|it'?s|still|is\s+\w+ing)\b",
    re.IGNORECASE,
)


def _first_time(text: str, clause_start: int, trigger: re.Match[str], start: int) -> bool:
    """Whether a "never had …" trigger announces a first event ("never had a seizure before, it lasted 4 minutes")."""
    if not trigger.group().lower().startswith("never"):
        return False
    return bool(_FIRST_TIME.search(text, clause_start + trigger.end(), _clause_end(text, start)))


def _sentence_end(text: str, start: int) -> int:
    end_mark = _SENTENCE_END.search(text, start)
    return end_mark.start() if end_mark else len(text)


def _someone_else_now(text: str, clause_start: int, trigger: re.Match[str], start: int) -> bool:
    """Whether a relative's trigger speaks of the patient: a caller's report of now ("Mum had an asthma attack just
    now"), what a relative "had" with no age, past time or long-term disease ("my uncle had chest pains all
    evening"), or anything after the long-term disease a relative "has" ("Mum has COPD, struggling to breathe")."""
    word = trigger.group().lower()
    after = clause_start + trigger.end()
    if not word.endswith(("has", "had", "with")):
        return False
    disease = _LONG_TERM_DISEASE.match(text, after)
    if disease and start < disease.end():
        return False  # the disease itself is the relative's
    if _HAPPENING_NOW.search(text, after, _clause_end(text, start)):
        return True
    if word.endswith("had"):
        if _FAMILY_HISTORY_DETAIL.search(text, after, _clause_end(text, start)):
            return False
        # "Dad had a heart attack." with nothing said of him now is family history; "Dad had a seizure, he's
        # still drowsy" is a caller's report.
        # A close relative's bare event is family history, as before 1.24.0; another relative's only when the writer
        # names their own complaint elsewhere ("my uncle had a stroke; I have a runny nose").
        own = _CLOSE_RELATIVE.match(word) or _OWN_COMPLAINT.search(text)
        event = _PAST_EVENT.match(text, after) if own else None
        return not (
            event and start < event.end() and not _PRESENT_STATE.search(text, after, _sentence_end(text, start))
        )
    return True


def _post_context(text: str, end: int) -> Context | None:
    # "chest pain? no" / "chest pain: none" — the mark that introduces the answer does not end the clause.
    answer_mark = _ANSWER_MARK.match(text, end)
    clause_end = _clause_end(text, answer_mark.end() if answer_mark else end)
    window = _masked(text, end, clause_end)
    if _POST_CHRONIC.match(window):
        return "chronic"
    if _POST_HISTORICAL.match(window) or _POST_EARLIER_EPISODE.match(window):
        return "historical"
    if _POST_SHORTHAND_NEGATION.match(text, end):
        return "negated"
    # Allow a few words between the finding and a trailing "denied" / "ruled out".
    words = list(_WORD.finditer(window))
    for index in range(min(POST_SCOPE_WORDS, len(words)) + 1):
        offset = 0 if index == 0 else words[index - 1].end()
        if _TERMINATORS.search(window[:offset]):
            break
        if _POST_NEGATION.match(window[offset:]):
            return "negated"
    return None


def context_of(text: str, start: int, end: int) -> Context | None:
    """None when the finding at text[start:end] is affirmed for the patient, now."""
    if _DESCRIBED_AFTER.match(text, end):  # "…, chest pain, not relieved by GTN": described, so present
        return None
    # Only the few characters before the finding: searching the whole note before each finding is quadratic.
    if _NIL_BEFORE.search(text, max(0, start - NIL_WINDOW), start) and _ENDS_ITEM.match(text, end):
        return "negated"
    return _pre_context(text, start) or _post_context(text, end)
