"""ESI v4 decision points, the disposition mapping, the agent's urgency and the review reasons."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from triage import Intake, Vitals, assess
from triage.models import Urgency

NORMAL_ADULT = Vitals(
    respiratory_rate=16,
    spo2=98,
    on_supplemental_oxygen=False,
    systolic_bp=125,
    heart_rate=75,
    consciousness="alert",
    temperature_c=36.8,
)


def _adult(notes: str | None = None, urgency: Urgency = "medium", **vitals: Any) -> Intake:
    return Intake(age=45, urgency=urgency, notes=notes, vitals=replace(NORMAL_ADULT, **vitals))


@pytest.mark.parametrize(
    "vitals",
    [
        {"consciousness": "unresponsive"},
        {"consciousness": "pain"},
        {"spo2": 89},
        {"respiratory_rate": 6},
        {"systolic_bp": 70},
        {"systolic_bp": 85, "heart_rate": 120},
        {"systolic_bp": 85, "consciousness": "voice"},
        {"heart_rate": 30},
        {"heart_rate": 38, "systolic_bp": 85},
        {"heart_rate": 160, "systolic_bp": 85},
    ],
)
def test_decision_point_a_vitals(vitals: dict[str, Any]) -> None:
    outcome = assess(_adult("feels unwell", **vitals))
    assert outcome.acuity == 1
    assert outcome.disposition == "emergency_ambulance"
    assert outcome.esi is not None
    assert outcome.esi.decision_point == "A"


@pytest.mark.parametrize(
    "vitals",
    [
        {"spo2": 90},
        {"respiratory_rate": 7},
        {"systolic_bp": 71},
        {"systolic_bp": 85, "heart_rate": 100},
        {"heart_rate": 31},
        {"heart_rate": 38},
        {"heart_rate": 160},
    ],
)
def test_just_outside_decision_point_a(vitals: dict[str, Any]) -> None:
    outcome = assess(_adult("feels unwell", **vitals))
    assert outcome.esi is not None
    assert outcome.esi.decision_point != "A"


def test_scale_2_patients_have_their_own_hypoxia_threshold() -> None:
    assert assess(_adult("copd", spo2=86, spo2_scale=2)).acuity > 1
    assert assess(_adult("copd", spo2=83, spo2_scale=2)).acuity == 1


@pytest.mark.parametrize(
    ("vitals", "reason"),
    [
        ({"consciousness": "new_confusion"}, "consciousness 'new_confusion'"),
        ({"consciousness": "voice"}, "consciousness 'voice'"),
        ({"respiratory_rate": 26, "systolic_bp": 95, "heart_rate": 115}, "NEWS2"),
        ({"respiratory_rate": 23, "systolic_bp": 98}, "qSOFA"),
    ],
)
def test_decision_point_b(vitals: dict[str, Any], reason: str) -> None:
    outcome = assess(_adult("feels unwell", **vitals))
    assert outcome.acuity == 2
    assert any(line.startswith("[ESI.B]") and reason in line for line in outcome.rationale)


def test_severe_pain_in_a_high_risk_context_is_escalated_and_flag_keeps_it_for_review() -> None:
    escalated = assess(_adult("abdominal pain", pain_score=9))
    assert escalated.acuity == 2
    assert escalated.esi is not None and escalated.esi.escalated_from == 3
    assert any("pain 9/10 in a high-risk context" in prompt for prompt in escalated.esi.consider_esi_2)
    assert not any(reason.startswith("consider_esi_2") for reason in escalated.review_reasons)
    flagged = assess(_adult("abdominal pain", pain_score=9), policy="flag")
    assert flagged.acuity == 3 and flagged.disposition == "emergency"
    assert any(reason.startswith("consider_esi_2") for reason in flagged.review_reasons)


def test_a_severe_pain_rating_alone_is_not_an_automatic_level_2() -> None:
    # AHRQ ESI handbook, Appendix A, Ch. 3 FAQ 2: a rating of 7/10 or more is one factor to consider.
    outcome = assess(_adult("twisted ankle playing football", pain_score=9))
    assert outcome.acuity == 4
    assert outcome.disposition == "consultation"


def test_pain_with_distress_words_is_level_2() -> None:
    assert assess(_adult("excruciating abdominal pain, writhing in pain")).acuity == 2


@pytest.mark.parametrize(
    ("notes", "acuity", "resources"),
    [
        ("sore throat for two days", 5, 0),
        ("needs a repeat prescription", 5, 0),
        ("twisted ankle playing football", 4, 1),
        ("cut on his hand, needs stitches", 4, 1),
        ("burning when urinating", 4, 1),
        ("abdominal pain and vomiting", 3, 4),
        ("fell and cut his lip, needs stitches", 4, 1),
        ("infection in my cuticle with pus", 4, 1),
        ("I think I scratched my cornea", 5, 0),
        ("diabetic, needs an insulin prescription", 5, 0),
        ("fell at home, unable to bear weight, leg shortened and rotated", 3, 3),
        # Engine 1.7.0: back pain after a fall is imaged (NICE NG41), back pain alone is not; not walking
        # after an injury is not bearing weight (Ottawa rules).
        ("back pain for three weeks", 5, 0),
        ("back pain after a fall down the stairs", 4, 1),
        ("twisted his knee and can't walk", 4, 1),
        # Engine 1.10.0: resources named or implied in wordings the table did not read.
        ("It hurts so much when I urinate", 4, 1),
        ("back pain; the nurse expects a lumbar spine radiograph", 4, 1),
        ("sore throat, fever and a fine red sandpaper rash; his sister has strep", 4, 1),
        ("a bug flew into my right ear", 4, 1),
        ("everted his ankle, pain on palpation of the lateral malleolus", 4, 1),
        ("bicycle crash: 2 cm laceration on the arm and pain over the left clavicle", 3, 2),
        ("rectal FB x12h, unsuccessful attempts at removal", 3, 3),
        # A listed allergy still counts as a possible reaction (1.10.2): telling the two apart missed reactions
        # under way ("allergic to penicillin, given amoxicillin today, now an itchy rash all over").
        ("toothache, 10/10. Allergic to penicillin.", 4, 1),
        ("Allergic to penicillin, was given amoxicillin today, now itchy rash all over", 4, 1),
        ("R CVA tenderness, fever, dysuria", 3, 3),  # the costovertebral angle: flank pain, not a stroke
        ("unable to cut his own toenails", 3, 2),  # not a wound: no complaint recognised
        (None, 3, 2),  # nothing to go on: never ESI 4–5 by default
    ],
)
def test_decision_point_c(notes: str | None, acuity: int, resources: int) -> None:
    outcome = assess(_adult(notes))
    assert outcome.acuity == acuity
    assert outcome.esi is not None
    assert outcome.esi.expected_resources == resources


def test_decision_point_d_consider_without_corroboration() -> None:
    outcome = assess(_adult("abdominal pain and vomiting", heart_rate=104))
    assert outcome.acuity == 3
    assert outcome.danger_zone is not None
    assert outcome.danger_zone.consider_esi_2 is True
    assert outcome.danger_zone.escalated_to_esi_2 is False
    assert outcome.danger_zone.applied is True
    assert outcome.disposition == "emergency"


def test_decision_point_d_escalates_when_corroborated_by_news2() -> None:
    outcome = assess(_adult("abdominal pain and vomiting", heart_rate=125, respiratory_rate=22, temperature_c=38.6))
    assert outcome.news2.score is not None
    assert outcome.news2.score >= 5
    assert outcome.acuity == 2
    assert outcome.danger_zone is not None
    assert outcome.danger_zone.escalated_to_esi_2 is True


def test_decision_point_d_escalates_on_hypoxia() -> None:
    outcome = assess(_adult("cough and fever", spo2=91))
    assert outcome.acuity == 2


def test_a_child_in_the_danger_zone_is_escalated_and_flag_needs_two_vitals() -> None:
    child = Intake(
        age=5, urgency="medium", notes="vomiting and fever", vitals=Vitals(heart_rate=150, respiratory_rate=35)
    )
    one = Intake(
        age=5, urgency="medium", notes="vomiting and fever", vitals=Vitals(heart_rate=150, respiratory_rate=25)
    )
    assert assess(child).acuity == 2 and assess(child, policy="flag").acuity == 2  # corroborated at D
    assert assess(one).acuity == 2  # a child's danger-zone vital raises under `escalate`
    assert assess(one, policy="flag").acuity == 3


@pytest.mark.parametrize(
    ("notes", "acuity", "disposition"),
    [
        ("not breathing", 1, "emergency_ambulance"),
        ("face drooping", 2, "emergency_ambulance"),
        ("new confusion", 2, "emergency"),
        ("abdominal pain and vomiting", 3, "consultation_24"),
        ("twisted ankle", 4, "consultation"),
        ("sore throat", 5, "self_care"),
        # Engine 1.8.0 (nhs.uk and NICE CKS): self care for a headache, tonsillitis, diarrhoea or a nosebleed
        # that has stopped; a consultation when a minor illness is not settling, lasts beyond its usual
        # course, keeps coming back, or the immune system is weakened.
        ("a headache", 5, "self_care"),
        ("tonsillitis", 5, "self_care"),
        ("diarrhoea since yesterday", 5, "self_care"),
        ("a nosebleed", 5, "self_care"),
        ("sore throat, not improving after a week", 5, "consultation"),
        ("a cough for more than 3 weeks", 5, "consultation"),
        ("regular nosebleeds", 5, "consultation"),
        ("sore throat, weakened immune system from chemotherapy", 5, "consultation"),
        ("bloody diarrhoea", 4, "consultation"),
        ("earache that does not start to get better after 3 days", 5, "consultation"),
        ("a cold sore has not started to heal within 10 days", 5, "consultation"),
        ("swollen glands", 5, "self_care"),
        ("a stye", 5, "self_care"),
        ("mouth ulcer, bigger than usual", 5, "consultation"),
    ],
)
def test_disposition_mapping(notes: str, acuity: int, disposition: str) -> None:
    outcome = assess(_adult(notes))
    assert (outcome.acuity, outcome.disposition) == (acuity, disposition)


@pytest.mark.parametrize("urgency", ["low", "medium", "high", "emergency"])
def test_agent_urgency_never_changes_the_acuity(urgency: Urgency) -> None:
    baseline = assess(_adult("face drooping", urgency="high"))
    outcome = assess(_adult("face drooping", urgency=urgency))
    assert (outcome.acuity, outcome.disposition) == (baseline.acuity, baseline.disposition)


@pytest.mark.parametrize(
    ("urgency", "notes", "mismatch"),
    [
        ("low", "face drooping", True),  # ESI 2 vs low (4–5): 2 levels
        ("medium", "face drooping", False),
        ("emergency", "sore throat", True),
        ("high", "sore throat", True),
        ("low", "sore throat", False),
        ("emergency", "abdominal pain and vomiting", True),
    ],
)
def test_urgency_mismatch_requires_review(urgency: Urgency, notes: str, mismatch: bool) -> None:
    outcome = assess(_adult(notes, urgency=urgency))
    assert any(reason.startswith("urgency_mismatch") for reason in outcome.review_reasons) is mismatch


def test_review_reasons() -> None:
    complete = assess(_adult("sore throat", urgency="low"))
    assert complete.review_required is False
    assert complete.review_reasons == ()
    partial = assess(Intake(age=40, urgency="low", notes="sore throat", vitals=Vitals(heart_rate=80)))
    assert partial.review_required is True
    assert partial.review_reasons[0].startswith("incomplete_data")
    child = assess(Intake(age=10, urgency="low", notes="sore throat", vitals=NORMAL_ADULT))
    assert any(reason.startswith("paediatric_limits") for reason in child.review_reasons)
    pregnant = assess(Intake(age=30, urgency="low", notes="sore throat", vitals=NORMAL_ADULT, pregnant=True))
    assert any(reason.startswith("pregnancy_limits") for reason in pregnant.review_reasons)
    assert "pregnancy" in pregnant.news2.not_validated


@pytest.mark.parametrize(
    ("age", "notes", "flagged"),
    [
        (40, "fell 30 feet from a roof", True),
        (40, "fell about 7 m from scaffolding", True),
        (40, "fell 12 feet from a ladder", False),  # CDC 2011: adults from more than 20 feet
        (6, "fell 12 feet from a climbing frame", True),  # children from more than 10 feet
        (40, "did not fall 30 feet", False),
    ],
)
def test_a_fall_from_a_height_uses_the_field_triage_distances(age: int, notes: str, flagged: bool) -> None:
    outcome = assess(Intake(age=age, urgency="medium", notes=notes))
    assert ("fall_from_height" in {flag.id for flag in outcome.red_flags}) is flagged
    if flagged:
        assert outcome.acuity == 2


def test_childrens_rules_from_the_paediatric_chapter() -> None:
    # ESI handbook (2020), Ch. 6: a petechial rash with an altered mental state is ESI 1; a vesicular rash in
    # a neonate is ESI 2; a laceration below school age needs sedation — two or more resources.
    assert assess(Intake(age=4, urgency="medium", notes="petechial rash, very drowsy and confused")).acuity == 1
    assert assess(Intake(age=4, urgency="medium", notes="petechial rash, playing happily")).acuity == 2
    assert assess(Intake(age=0, age_months=0, urgency="medium", notes="blisters on the scalp")).acuity == 2
    toddler = assess(Intake(age=3, urgency="medium", notes="cut on his chin, needs stitches"))
    adult = assess(Intake(age=30, urgency="medium", notes="cut on his chin, needs stitches"))
    assert (toddler.acuity, adult.acuity) == (3, 4)


def test_a_child_who_swallowed_someone_elses_pills_is_high_risk() -> None:
    # ESI handbook (2020), Ch. 3: any ingestion is high risk in a child; possessives between the verb and
    # the pills ("some of grandma's pills") are read since 1.7.0.
    outcome = assess(Intake(age=3, urgency="medium", notes="swallowed some of grandma's pills"))
    assert outcome.acuity == 2
    assert "child_ingestion" in {flag.id for flag in outcome.red_flags}


def test_a_nosebleed_in_a_child_under_two_is_seen_by_a_clinician() -> None:
    # NICE CKS Epistaxis: rare under 2 years, so it is assessed (possible injury or illness).
    toddler = assess(Intake(age=1, urgency="medium", notes="a nosebleed"))
    child = assess(Intake(age=6, urgency="medium", notes="a nosebleed"))
    assert (toddler.disposition, child.disposition) == ("consultation", "self_care")


def test_a_baby_with_a_fever_is_not_left_to_self_care() -> None:
    # NICE NG143: a fever in a baby is assessed by a clinician.
    baby = assess(Intake(age=0, age_months=8, urgency="medium", notes="a high temperature"))
    child = assess(Intake(age=6, urgency="medium", notes="a cold"))
    assert (baby.disposition, child.disposition) == ("consultation", "self_care")


@pytest.mark.parametrize(
    ("age", "notes"),
    [
        # NICE NG84: Centor 3–4 (fever, exudate, tender anterior nodes, no cough) — a prescriber decides.
        (7, "sore throat, white stuff at the back of the throat, painful front of the neck, no cough, temperature 102"),
        # NICE NG109/NG111: urinary symptoms (here with back pain) — a urine test, never self care.
        (26, "painful urination for 2 days, urgent need to pee, no fever but some back pain"),
        # NICE NG143: a fever with a rash, or with light hurting the eyes.
        (8, "fever and rash for 2 days"),
        (6, "fever, and light is hurting their eyes"),
        # NICE CKS Red eye: conjunctivitis that hurts, or in a contact-lens wearer.
        (35, "conjunctivitis and you wear contact lenses"),
        # nhs.uk Toothache: see a dentist.
        (35, "toothache that lasts more than 2 days"),
    ],
)
def test_a_minor_illness_that_needs_a_clinician_is_not_self_care(age: int, notes: str) -> None:
    assert assess(Intake(age=age, urgency="medium", notes=notes)).disposition == "consultation"


@pytest.mark.parametrize(
    "notes",
    ["sore throat, no cough", "a cold with a runny nose", "conjunctivitis", "toothache since this morning"],
)
def test_the_same_minor_illnesses_without_those_signs_are_self_care(notes: str) -> None:
    assert assess(Intake(age=30, urgency="medium", notes=notes)).disposition == "self_care"


def test_hypotension_with_hypoperfusion_is_level_1() -> None:
    # ESI v4 handbook, Ch. 3: shock/hypotension with signs of hypoperfusion needs immediate intervention.
    shocked = assess(_adult("chest pressure, skin cool and clammy", systolic_bp=86, heart_rate=52))
    warm = assess(_adult("chest pressure, skin warm and dry", systolic_bp=86, heart_rate=52))
    normotensive = assess(_adult("chest pressure, skin cool and clammy", systolic_bp=120))
    assert (shocked.acuity, warm.acuity, normotensive.acuity) == (1, 2, 2)
    assert "hypotension_with_hypoperfusion" in {flag.id for flag in shocked.red_flags}


def test_breathlessness_only_on_exertion_with_tiredness_is_not_respiratory_failure() -> None:
    exertional = assess(Intake(age=23, urgency="medium", notes="exhausted; so short of breath when I climb the stairs"))
    at_rest = assess(Intake(age=23, urgency="medium", notes="exhausted and short of breath sitting still"))
    elsewhere = assess(
        Intake(
            age=23,
            urgency="medium",
            notes="climbed the stairs at work this morning without any trouble at all. "
            "Tonight exhausted and short of breath in bed",
        )
    )
    assert exertional.acuity > 1
    assert (at_rest.acuity, elsewhere.acuity) == (1, 1)


def test_drinking_too_little_with_a_fast_pulse_adds_iv_fluids() -> None:
    # ESI v4 handbook, Ch. 5: fever, sore throat and "decreased ability to take fluids", HR 124 → ESI 3.
    notes = "sore throat and fever for several days, decreased ability to take fluids"
    fast = assess(_adult(notes, heart_rate=124, temperature_c=39.0))
    steady = assess(_adult(notes, heart_rate=80, temperature_c=39.0))
    assert fast.esi is not None and steady.esi is not None
    assert "iv fluids" in fast.esi.resource_types
    assert "iv fluids" not in steady.esi.resource_types
    assert (fast.acuity, steady.acuity) == (3, 4)


def test_a_coma_score_in_words_is_read() -> None:
    outcome = assess(
        Intake(age=73, urgency="medium", notes="cut on his forehead; the crew scored his alertness 14 out of 15")
    )
    assert outcome.acuity == 2


def test_pain_in_sickle_cell_disease_is_high_risk_even_when_the_disease_is_history() -> None:
    crisis = assess(_adult("history of sickle cell disease, here because of a crisis; leg pain since this morning"))
    assert crisis.acuity == 2
    assert "sickle_cell_crisis" in {flag.id for flag in crisis.red_flags}


@pytest.mark.parametrize(
    "notes",
    [
        "asthma attack while running, now too breathless to speak",
        "exercise-induced asthma attack, severe wheeze, tiring",
        "fell down the stairs, short of breath, tiring, only a few words",
        "short of breath on exertion for a week, now short of breath at rest, exhausted",
    ],
)
def test_exertion_never_excuses_an_inability_to_talk_tiring_an_attack_or_breathlessness_at_rest(notes: str) -> None:
    assert assess(Intake(age=30, urgency="medium", notes=notes)).acuity == 1


def test_rules_that_add_resources_keep_the_floor_of_an_unrecognised_complaint() -> None:
    # 1.10.0 counted these additions as a recognised complaint, which lowered the floor of two resources.
    dry = assess(
        Intake(age=70, urgency="medium", notes="hasn't been drinking, feeling off", vitals=Vitals(heart_rate=130))
    )
    arm = assess(Intake(age=72, urgency="medium", notes="won't move her right arm since waking up this morning"))
    ear = assess(
        Intake(age=50, urgency="medium", notes="clear fluid leaking in his ear after hitting head on the floor")
    )
    assert dry.acuity <= 3 and arm.acuity <= 3 and ear.acuity <= 3


def test_the_worst_recorded_consciousness_counts() -> None:
    worse_now = assess(
        Intake(age=40, urgency="medium", notes="alertness was 15 out of 15 at home; now responds only to pain")
    )
    gcs_fell = assess(Intake(age=40, urgency="medium", notes="GCS 15 at scene, now GCS 7"))
    assert (worse_now.acuity, gcs_fell.acuity) == (1, 1)


def test_a_child_who_will_not_move_an_arm_is_x_rayed() -> None:
    child = assess(Intake(age=3, urgency="medium", notes="pulled up by the wrist, now won't move her left arm"))
    assert child.acuity == 4


@pytest.mark.parametrize(
    ("notes", "flag_id"),
    [
        ("history of diabetes, now vomiting for a day", "possible_dka"),
        ("PMH: type 1 diabetes. Vomiting since last night", "possible_dka"),
        ("history of kidney transplant, now fever and vomiting", "ill_transplant_patient"),
        ("history of sickle cell disease, leg pain since this morning", "sickle_cell_crisis"),
    ],
)
def test_a_lifelong_condition_named_as_history_still_counts(notes: str, flag_id: str) -> None:
    outcome = assess(Intake(age=40, urgency="medium", notes=notes))
    assert outcome.acuity == 2
    assert flag_id in {flag.id for flag in outcome.red_flags}


def test_a_relatives_condition_is_not_the_patients() -> None:
    for notes in ("family history of diabetes, vomiting for a day", "mother has sickle cell disease; back pain"):
        outcome = assess(Intake(age=40, urgency="medium", notes=notes))
        assert not {"possible_dka", "sickle_cell_crisis"} & {flag.id for flag in outcome.red_flags}
