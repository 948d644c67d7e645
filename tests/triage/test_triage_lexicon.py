"""Clinical terms, lay words and bounded vital signs: a case written one way is triaged as it is written another."""

from __future__ import annotations

import re

import pytest

from triage import Intake, assess
from triage.abbreviations import CLINICAL_TERMS

# Each clinical term as a clinician writes it, with its plain name (the reading CLINICAL_TERMS puts before it).
CLINICAL_EXAMPLES = [
    ("coryza", "runny nose"),
    ("rhinorrhoea", "runny nose"),
    ("influenza", "flu"),
    ("pharyngitis", "sore throat"),
    ("dyspepsia", "indigestion"),
    ("cephalgia", "headache"),
    ("otalgia", "earache"),
    ("hordeolum", "stye"),
    ("herpes labialis", "cold sore"),
    ("aphthous ulcers", "mouth ulcers"),
    ("pruritus", "itching"),
    ("varicella", "chickenpox"),
    ("lymphadenopathy", "swollen glands"),
    ("pyrexia", "fever"),
    ("rigors", "fever with uncontrollable shivering"),
    ("lateral epicondylitis", "tennis elbow"),
    ("myalgia", "muscle aches"),
    ("arthralgia", "joint pain"),
    ("dysmenorrhoea", "period pain"),
    ("menorrhagia", "heavy periods"),
    ("haematuria", "blood in urine"),
    ("diplopia", "double vision"),
    ("dysphasia", "difficulty speaking"),
    ("amaurosis fugax", "sudden loss of vision in one eye"),
    ("visual loss", "loss of vision"),
    ("meningism", "stiff neck"),
    ("cold peripheries", "cold hands and feet"),
    ("intermenstrual bleeding", "bleeding between periods"),
    ("postcoital bleeding", "bleeding after sex"),
    ("infectious mononucleosis", "glandular fever"),
    ("erythema", "red"),
    ("malaena", "melaena"),
    ("post-ictal", "after a seizure"),
    ("polyuria", "peeing a lot"),
    ("polydipsia", "very thirsty"),
    ("diaphoretic", "sweaty"),
    ("oliguria", "peeing much less"),
]
# Shorthand as a clinician writes it, with the same finding in plain words.
SHORTHAND_EXAMPLES = [
    ("unilateral weakness", "weakness on one side"),
    ("URTI", "a cold"),
    ("LBP", "low back pain"),
    ("worst HA of life", "the worst headache of my life"),
    ("sudden severe HA", "sudden severe headache"),
    ("PV bleeding, 7/40", "bleeding from the vagina, 7 weeks pregnant"),
    ("tachycardia 130, hypotension 85/50", "heart rate 130, blood pressure 85/50"),
    ("pale, diaphoretic, clammy", "pale, sweaty and clammy"),
    ("chemical splash to eye", "splashed bleach in my eye"),
    ("fall, hip pain, unable to WB", "fell, hip pain, can't put weight on it"),
    ("polyuria, polydipsia, wt loss, vomiting", "peeing a lot, very thirsty, losing weight and vomiting"),
    ("urinary retention, back pain, saddle anaesthesia", "can't pee, back pain, numb between the legs"),
    ("OD paracetamol 32 tabs 4 h ago", "took 32 paracetamol 4 hours ago"),
    ("RR 28, SpO2 90% RA", "breathing fast at 28 a minute, oxygen 90%"),
]
CONTEXTS = ("{}", "c/o {} since this morning")
AGES = (35, 4)


def _outcome(notes: str, age: int) -> tuple[int, str]:
    assessment = assess(Intake(age=age, urgency="medium", notes=notes))
    return assessment.acuity, assessment.disposition


@pytest.mark.parametrize(("term", "plain"), CLINICAL_EXAMPLES)
@pytest.mark.parametrize("context", CONTEXTS)
@pytest.mark.parametrize("age", AGES)
def test_a_clinical_term_is_triaged_as_its_plain_name(term: str, plain: str, context: str, age: int) -> None:
    assert _outcome(context.format(term), age) == _outcome(context.format(plain), age)


@pytest.mark.parametrize(("shorthand", "plain"), SHORTHAND_EXAMPLES)
@pytest.mark.parametrize("age", AGES)
def test_shorthand_is_triaged_as_its_plain_words(shorthand: str, plain: str, age: int) -> None:
    assert _outcome(shorthand, age) == _outcome(plain, age)


@pytest.mark.parametrize(
    "notes", ["cap refill >3 s", "CRT 4 secs", "prolonged capillary refill", "soft spot on her head is bulging"]
)
def test_a_long_capillary_refill_and_a_bulging_soft_spot_in_a_baby_are_emergent(notes: str) -> None:
    assert _outcome(notes, 1)[0] <= 2


@pytest.mark.parametrize(
    ("notes", "disposition"),
    [("fell, hip pain", "consultation"), ("knee pain", "self_care"), ("HA x3 d", "consultation_24")],
)
def test_joint_pain_after_a_fall_is_an_injury_and_ha_alone_stays_unread(notes: str, disposition: str) -> None:
    # "HA" alone is not read as a headache (a headache is self care; an unread complaint keeps two resources).
    assert _outcome(notes, 45)[1] == disposition


def test_a_blood_pressure_over_40_is_not_a_gestation() -> None:
    flags = {flag.id for flag in assess(Intake(age=30, urgency="medium", notes="PV bleeding, BP 60/40")).red_flags}
    assert "bleeding_or_pain_in_pregnancy" not in flags


def test_every_clinical_term_has_an_example() -> None:
    for pattern, reading in CLINICAL_TERMS:
        examples = [term for term, plain in CLINICAL_EXAMPLES if plain == reading and re.fullmatch(pattern, term)]
        assert examples, f"no example in CLINICAL_EXAMPLES for {pattern!r} → {reading!r}"


def test_a_negated_clinical_term_is_negated() -> None:
    assert _outcome("no pyrexia", 35) == _outcome("no fever", 35)
    assert _outcome("sore throat, no lymphadenopathy", 35) == _outcome("sore throat, no swollen glands", 35)


@pytest.mark.parametrize(
    "notes",
    [
        "weakness on one side of the body",
        "sudden numbness down one side",
        "one side of his body went limp",
        "left-sided weakness since breakfast",
    ],
)
def test_weakness_on_one_side_of_the_body_is_a_stroke_sign(notes: str) -> None:
    assessment = assess(Intake(age=60, urgency="medium", notes=notes))
    assert "stroke_signs" in {flag.id for flag in assessment.red_flags}
    assert assessment.disposition == "emergency_ambulance"


@pytest.mark.parametrize(
    ("notes", "seizure"),
    [
        ("my son had a fit with a fever", True),
        ("a febrile fit this morning", True),
        ("she is having fits", True),
        ("a fit lasting two minutes at home", True),
        ("a fit 30-year-old man with a sore knee", False),
        ("a fit of coughing", False),
        ("fit and well until today", False),
    ],
)
def test_a_fit_is_a_seizure_in_british_english(notes: str, seizure: bool) -> None:
    flags = {flag.id for flag in assess(Intake(age=30, urgency="medium", notes=notes)).red_flags}
    assert ("seizure" in flags) is seizure


@pytest.mark.parametrize(
    "notes", ["seeing things that aren't there", "hearing or seeing things", "hears things no one else can hear"]
)
def test_hallucinations_in_lay_words(notes: str) -> None:
    flags = {flag.id for flag in assess(Intake(age=30, urgency="medium", notes=notes)).red_flags}
    assert "acute_psychosis_or_violence" in flags


@pytest.mark.parametrize(
    ("notes", "field", "value"),
    [
        ("RR >60/min", "respiratory_rate", 61.0),
        ("resp rate more than 60", "respiratory_rate", 61.0),
        ("SpO2 below 90%", "spo2", 89.0),
        ("SpO2 <=90%", "spo2", 90.0),
        ("temp over 39", "temperature_c", 39.1),
        ("HR ≥ 130", "heart_rate", 130.0),
    ],
)
def test_a_vital_sign_written_as_a_bound_is_read_just_inside_it(notes: str, field: str, value: float) -> None:
    assessment = assess(Intake(age=1, urgency="medium", notes=notes))
    assert any(line.startswith(f"[VITALS.text] {field} {value} ") for line in assessment.rationale)


def test_a_baby_breathing_over_sixty_a_minute_is_escalated() -> None:
    # ESI danger zone for 3 months to 3 years: respiratory rate above 40 (ESI v4 handbook, decision point D).
    assert assess(Intake(age=1, urgency="medium", notes="bronchiolitis, RR >60/min")).acuity == 2


@pytest.mark.parametrize(
    "notes",
    ["known hypertension 35 years, on amlodipine", "tachycardia 24 hours ago, now settled", "bradycardia 2 days ago"],
)
def test_a_vital_sign_named_by_its_abnormality_needs_a_value_that_has_it(notes: str) -> None:
    # "hypertension 35 years" is a history, not a systolic pressure of 35; "tachycardia 24 hours ago" is a time.
    rationale = assess(Intake(age=60, urgency="medium", notes=notes)).rationale
    assert not any(line.startswith("[VITALS.text]") for line in rationale)
