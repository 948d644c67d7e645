"""The published "consider ESI 2" criteria, made explicit, and what the tenant's policy does with them.

The ESI v4 handbook leaves "consider ESI 2" to a triage nurse: danger-zone vital signs at decision point
D (Chapter 5), severe pain or distress (Chapter 4; Appendix A, Chapter 3 FAQ 2: a rating of 7/10 or more
is "one factor to consider"). An agent usually has no nurse in the loop, so a prompt nobody reads is an
under-triage. Each criterion below is met or not from the intake alone:

* in a child (under 16), danger-zone vital signs for the age band (ESI v4 decision point D,
  danger_zone.py); in an adult, a vital sign far outside its range — one that NEWS2 scores 3 (below) —
  because the adult danger zone starts at a pulse of 101 or a breathing rate of 21, which the handbook's
  own cases keep at ESI 3 when nothing else is wrong;
* pain rated 7/10 or more (or described as severe) *with* visible distress (crying, screaming, writhing,
  "unbearable") or in a high-risk context (65 or older, pregnant, immunocompromised, or pain in the chest,
  abdomen or head — where severe pain can be the first sign of an emergency — or with cancer, sickle
  cell disease, a burn, urinary retention or a dislocated joint: the handbook's own examples, 2020 edition,
  Chapters 3 and 9);
* adult NEWS2 with a single parameter scoring 3, or a total of 5 or more (RCP 2017, Chart 4: an urgent
  response by a clinician with competencies in acute illness);
* qSOFA ≥ 2 is already an ESI 2 (decision point B) and is not repeated here.

Policy `escalate` (the default) raises ESI 3–5 to ESI 2 when any criterion is met; `flag` keeps the
computed level and asks for clinician review. `escalate` never yields a less urgent level than `flag`.
"""

from __future__ import annotations

from triage.models import DangerZoneBreach, Intake, News2Result, RedFlag
from triage.numbers import show
from triage.phrases import affirmed, compile_phrases, find, texts_of
from triage.red_flags import IMMUNOCOMPROMISED

ADULT_AGE = 16
OLDER_ADULT_AGE = 65
SEVERE_PAIN_SCORE = 7
NEWS2_URGENT_TOTAL = 5

DISTRESS = compile_phrases(
    r"\b(?:crying|screaming|moaning|groaning|sobbing|writhing|grimacing|wincing)\b",
    r"\bin\s+tears\b",
    r"\btears\s+in\s+(?:his|her|their|my)\s+eyes\b",
    r"\bdoubled\s+(?:over|up)\b",
    r"\b(?:unbearable|unbelievable|intolerable|excruciating)\b",
    r"\b(?:can'?t|cannot|unable\s+to)\s+(?:sit|lie|stay|keep)\s+still\b",
    r"\b(?:[2-9]\d|1[1-9])\s*(?:/|out\s+of)\s*10\b",  # a rating above 10: "20/10"
)
# ESI handbook (2020), Ch. 3 "Pain": examples of severe pain that justifies ESI 2 — "an oncology patient
# with severe pain", sickle cell pain crisis, a burn needing pain control, acute urinary retention.
PAIN_CONTEXT = compile_phrases(
    r"\b(?:cancer|oncology|tumou?r|metasta\w+|malignan\w+|lymphoma|leuka?emia|myeloma|sarcoma)\b",
    r"\bsickle\s+cell\b",
    r"\bburn(?:s|ed|t)?\b",
    r"\burinary\s+retention\b",
    r"\b(?:can'?t|cannot|unable\s+to)\s+(?:pee|urinate|pass\s+urine|wee)\b",
    # An obvious dislocation in severe pain (the 2020 edition's Chapter 9 practice case: a dislocated shoulder,
    # pain 10/10, neurovascular status intact — ESI 2).
    r"\bdislocat\w+",
    r"\b(?:popped|slipped|came|come|gone)\s+out\s+of\s+(?:its\s+|the\s+)?(?:socket|joint|place)\b",
    r"\b(?:shoulder|kneecap|knee|hip|elbow|finger|jaw)\s+(?:has\s+)?(?:obviously\s+)?(?:popped|slipped)\s+out\b",
)
HIGH_RISK_PAIN_SITE = compile_phrases(
    r"\bchest\b",
    r"\b(?:abdomen|abdominal|abd|belly(?!\s*button)|stomach|tummy|epigastri\w*)\b",
    r"\b(?:head|headache)\b",
)


def consider_esi_2(
    intake: Intake, news2: News2Result, breaches: tuple[DangerZoneBreach, ...], red_flags: tuple[RedFlag, ...]
) -> tuple[list[str], list[str]]:
    """The "consider ESI 2" criteria the intake meets, each a readable reason naming its source: those
    that raise the level under `escalate`, and advisory ones (an adult's vital sign just inside the
    danger zone, a severe pain rating with neither distress nor a high-risk context) that only ask for
    review and a more urgent disposition under either policy."""
    reasons: list[str] = []
    danger = [f"danger-zone {b.parameter} {show(b.value)} {b.threshold} (ESI v4 decision point D)" for b in breaches]
    advisory = [] if intake.age < ADULT_AGE else danger
    if intake.age < ADULT_AGE:
        reasons += danger
    pain = _severe_pain(intake, red_flags)
    if pain is not None:
        texts = texts_of(intake)
        distress = affirmed(find(DISTRESS, texts))
        context = _high_risk_context(intake, texts)
        if distress:
            reasons.append(f"{pain} with distress ('{distress[0].text}') (ESI v4 severe pain/distress)")
        elif context:
            reasons.append(f"{pain} in a high-risk context ({context}) (ESI v4 severe pain/distress)")
        else:
            advisory.append(f"{pain} (ESI v4 Appendix A, Ch. 3 FAQ 2: one factor to consider)")
    if intake.age >= ADULT_AGE and news2.score is not None:
        if news2.single_parameter_3:
            reasons.append("NEWS2 single parameter scoring 3 (RCP 2017 Chart 4: urgent response)")
        if news2.score >= NEWS2_URGENT_TOTAL:
            reasons.append(f"NEWS2 {news2.score} ≥ {NEWS2_URGENT_TOTAL} (RCP 2017 Chart 4: urgent response)")
    return reasons, advisory


def _severe_pain(intake: Intake, red_flags: tuple[RedFlag, ...]) -> str | None:
    score = intake.vitals.pain_score
    if score is not None and score >= SEVERE_PAIN_SCORE:
        return f"pain {score}/10"
    for flag in red_flags:
        if flag.id == "severe_pain_reported" and flag.evidence:
            return f"severe pain ('{flag.evidence[0].text}')"
    return None


def _high_risk_context(intake: Intake, texts: tuple[tuple[str, str], ...]) -> str | None:
    if intake.age >= OLDER_ADULT_AGE:
        return f"age {intake.age}"
    if intake.pregnant:
        return "pregnant"
    if affirmed(find(IMMUNOCOMPROMISED, texts)):
        return "immunocompromised"
    context = affirmed(find(PAIN_CONTEXT, texts))
    if context:
        return f"'{context[0].text}' (cancer, sickle cell disease, a burn, urinary retention or a dislocation)"
    site = affirmed(find(HIGH_RISK_PAIN_SITE, texts))
    if site:
        return f"pain site '{site[0].text}'"
    return None
