"""The self-care safety net (triage/safety_net.py): its signs move a minor illness from self care to a
consultation whatever the illness, never change the acuity, and are not read when negated."""

from __future__ import annotations

import pytest

from triage import Intake, assess

ADULT, CHILD, TODDLER = 35, 6, 2


def _assess(notes: str, age: int = ADULT) -> tuple[int, str]:
    assessment = assess(Intake(age=age, urgency="low", notes=notes))
    return assessment.acuity, assessment.disposition


# Each sentence: a self-care name, then a sign from a self-care page's "see a GP" list, in words the
# engine reads for no illness in particular.
WITH_A_SIGN = [
    ("croup: he has noisy breathing", TODDLER),
    ("a cold and she is breathing fast", CHILD),
    ("sticky eyes and he is drowsy today", CHILD),
    ("a sore throat, and my child is feeding much less than normal", CHILD),
    ("a cold, and he can't be settled", CHILD),
    ("conjunctivitis that has lasted for more than ten days", ADULT),
    ("I keep getting sinusitis", ADULT),
    ("a sore throat >3 days", ADULT),
    ("toothache that paracetamol doesn't help", ADULT),
    ("sciatica and the pain is stopping me doing my normal activities", ADULT),
    ("sunburn, with a very large area of blisters", ADULT),
    ("a verruca that is spreading", ADULT),
    ("a cold with a temperature of 40 degrees", ADULT),
    ("sunburn in a young child", CHILD),
    ("red eye; child <2 y", TODDLER),
]


@pytest.mark.parametrize(("notes", "age"), WITH_A_SIGN)
def test_a_minor_illness_with_a_safety_netting_sign_is_not_self_care(notes: str, age: int) -> None:
    acuity, disposition = _assess(notes, age)
    assert disposition == "consultation", notes
    assert acuity == 5, "the safety net changes the disposition, never the acuity"


WITHOUT_A_SIGN = [
    ("a cold", ADULT),
    ("croup, not drowsy, no difficulty breathing", TODDLER),
    ("mild cough or runny nose without affecting breathing", CHILD),
    ("diarrhoea for less than 2 days", CHILD),
    ("very minor cuts and grazes", ADULT),
    ("infrequent cold sores of the lip", ADULT),
    ("hay fever, not affecting my daily activities", ADULT),
]


@pytest.mark.parametrize(("notes", "age"), WITHOUT_A_SIGN)
def test_a_minor_illness_without_a_sign_is_still_self_care(notes: str, age: int) -> None:
    assert _assess(notes, age) == (5, "self_care"), notes


def test_a_childs_behaviour_signs_are_not_read_in_an_adult() -> None:
    # "not eating" with an adult's cold is usual; in a child it is NICE NG143's poor feeding.
    assert _assess("a cold, not eating much", ADULT)[1] == "self_care"
    assert _assess("a cold, not eating much", CHILD)[1] == "consultation"


def test_the_rationale_names_the_sign() -> None:
    assessment = assess(Intake(age=TODDLER, urgency="low", notes="croup: he has noisy breathing"))
    assert any("safety-netting sign" in entry and "NG143" in entry for entry in assessment.rationale)
