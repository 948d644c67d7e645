"""Detect red flags in one intake: catalogue phrases, then flags that need age, pregnancy or vitals.

Every flag carries its evidence (the matched text and where it came from). Mentions found but negated,
historical, hypothetical or chronic are returned too, so the rationale can say why they did not count.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from triage.danger_zone import danger_zone_breaches
from triage.models import Evidence, Intake, RedFlag
from triage.numbers import finite, round_to_chart, show
from triage.phrases import Mention, affirmed, any_affirmed, find, present, texts_of
from triage.red_flags import (
    ABDOMINAL_PAIN,
    ABDOMINAL_PAIN_DANGER,
    ABDOMINAL_TOUCH_PAIN,
    AFTER_BIRTH,
    AIRWAY_SIGNS,
    ALCOHOL_WITHDRAWAL,
    ALLERGEN_AIRWAY_SIGNS,
    ALLERGEN_TAKEN,
    ALLERGIC_SKIN,
    ANAPHYLAXIS_COMPROMISE_SIGNS,
    ANAPHYLAXIS_SIGNS,
    ANEURYSM_DANGER,
    ANGINA_DANGER,
    ANTICANCER_TREATMENT,
    ANTICOAGULANT,
    AORTIC_ANEURYSM,
    AT_REST,
    ATTACK,
    BACK_PAIN,
    BILATERAL_LEG_SIGNS,
    BILIOUS_VOMIT,
    BLEEDING,
    BLEEDING_OR_ABDOMINAL_PAIN,
    BREATHING_DIFFICULTY,
    CANCER,
    CAST,
    CAST_DANGER,
    CATALOGUE,
    CHEST_PAIN_ON_EXERTION,
    CHILD_INGESTION,
    CHILD_RED_FEATURES,
    COMFORTABLE_AT_REST,
    DEHYDRATION,
    DEHYDRATION_SHOCK,
    DENTAL_PAIN,
    DENTAL_SPREAD,
    DIABETIC,
    DKA_WARNING,
    DROOLING,
    DROWSINESS,
    DVT_SIGNS,
    EARLY_PREGNANCY,
    ECTOPIC_SIGNS,
    EXERTIONAL,
    EXHAUSTION,
    EYE_ALARM,
    EYE_DISCHARGE,
    EYE_INJURY,
    EYE_INJURY_WARNING,
    FALL_DISTANCE,
    FEVER,
    FLOPPY,
    FLOPPY_CHILD,
    GALLSTONE_DANGER,
    GALLSTONES,
    GRADUAL_ONSET,
    HEAD_INJURY,
    HEAD_INJURY_RISK,
    HEAD_INJURY_WARNING,
    HEADACHE_DANGER,
    HEADACHE_RISK,
    HEAT_ILLNESS,
    HEATSTROKE_SIGNS,
    HEAVY_DRINKING,
    HYPOGLYCAEMIA,
    HYPOPERFUSION,
    HYPOTHERMIA,
    ILL_APPEARANCE,
    IMMUNOCOMPROMISED,
    INCONSOLABLE_CRY,
    INHALATION,
    INSECT_STING,
    LEG_NEUROLOGY,
    LIMPING,
    NEUTROPENIC_SEPSIS_SIGNS,
    NOSEBLEED,
    NOSEBLEED_DANGER,
    OVARIAN_CYST,
    OVARIAN_TORSION_SIGNS,
    PALPITATION_DANGER,
    PALPITATIONS,
    PE_SYMPTOMS,
    PEAK_FLOW_PAIR,
    PETECHIAL_RASH,
    PHOTOPHOBIA,
    PLAIN_DIFFICULTY_WORDS,
    POLYDIPSIA,
    POLYURIA,
    POOR_FEEDING_OR_FLOPPY,
    POST_OPERATIVE,
    POST_OPERATIVE_PROBLEM,
    POSTPARTUM,
    PREGNANT,
    RECREATIONAL_DRUGS,
    RED_EYE,
    RED_OR_PAINFUL_EYE,
    RELIEVED_BY_REST,
    RELIEVER_FAILS,
    RELIEVER_HELPS,
    SADDLE_NUMBNESS,
    SEVERE_HEADACHE,
    SHUNT,
    SHUNT_PROBLEM,
    SICKLE_CELL,
    SICKLE_PAIN,
    SORE_THROAT_OR_SWALLOWING,
    SPHINCTER_DISTURBANCE,
    STIFF_NECK,
    STING_REACTION,
    STROKE_ONSET,
    SUDDEN_ONSET,
    SWALLOWED_OBJECT,
    SWALLOWED_OBJECT_DANGER,
    SWALLOWING_DIFFICULTY,
    TEETHING,
    TIREDNESS,
    TOXIDROME_SIGNS,
    TRANSPLANT,
    TRANSPLANT_ILLNESS,
    VERTIGO,
    VERTIGO_DANGER,
    VERY_FAST_BREATHING,
    VESICULAR_RASH,
    VOICE_CHANGE,
    WEIGHT_LOSS,
    WITHDRAWAL_SIGNS,
    WORST_NOT_SUDDEN,
)

TENTH = Decimal("0.1")
UNDER_FIVE_AGE = 5  # NICE NG143 covers children under 5
NG51_CHILD_BAND_END = 12  # NICE NG51's band for children of 5 to 11

# High-risk situations (ESI 2) that are two findings together, the rarer first: id, name, ambulance.
PAIRED_FINDINGS: tuple[tuple[str, str, bool, re.Pattern[str], re.Pattern[str]], ...] = (
    # ESI handbook (2020), Ch. 3 (neurological): a severe headache with fever, rash, confusion or lethargy.
    ("headache_with_danger_signs", "severe headache with fever, rash, confusion or lethargy", True,
     SEVERE_HEADACHE, HEADACHE_DANGER),
    # A stiff neck with a dislike of light, with or without a fever (NICE NG240, 2024; nhs.uk Meningitis).
    ("meningism", "neck stiffness with a dislike of light (meningism)", True, PHOTOPHOBIA, STIFF_NECK),
    # A red or painful eye that hurts in light: iritis, keratitis, acute glaucoma (NICE CKS Red eye).
    ("eye_emergency", "serious eye injury or acute glaucoma", False, PHOTOPHOBIA, RED_OR_PAINFUL_EYE),
    # Skin signs of allergy with swallowing, gut or circulation signs (WAO 2020 anaphylaxis criteria).
    ("anaphylaxis", "anaphylaxis / severe allergic reaction", True, ALLERGIC_SKIN, ANAPHYLAXIS_SIGNS),
    # Vertigo with a neurological sign or sudden hearing loss (NICE CKS Vertigo red flags).
    ("vertigo_with_neurological_signs", "vertigo with a neurological sign or sudden hearing loss", True, VERTIGO,
     VERTIGO_DANGER),
    # Heat illness with a sign of heatstroke (nhs.uk and HSE Heat exhaustion and heatstroke: call 999).
    ("heatstroke", "heatstroke", True, HEAT_ILLNESS, HEATSTROKE_SIGNS),
    # Palpitations with chest pain, breathlessness or fainting (NICE CKS Palpitations).
    ("palpitations_with_danger_signs", "palpitations with chest pain, breathlessness or fainting", True,
     PALPITATIONS, PALPITATION_DANGER),
    # Signs of a DVT with breathlessness, chest pain or coughing blood (NICE NG158, 2020).
    ("possible_pulmonary_embolism", "possible pulmonary embolism", True, DVT_SIGNS, PE_SYMPTOMS),
    # Breathlessness or chest pain in the weeks after a birth: a pulmonary embolism or peripartum
    # cardiomyopathy until shown otherwise (NICE NG158, 2020; RCOG Green-top Guideline 37b).
    ("postpartum_breathlessness", "breathlessness or chest pain after a recent birth", True, POSTPARTUM, PE_SYMPTOMS),
    # Ch. 3 (transplant): an ill patient after an organ transplant is immunocompromised and high risk.
    ("ill_transplant_patient", "an ill transplant patient", False, TRANSPLANT, TRANSPLANT_ILLNESS),
    # Recreational drugs with a sign of toxicity (HSE, How to identify an overdose: call 999).
    ("overdose_or_poisoning", "overdose or poisoning", True, TOXIDROME_SIGNS, RECREATIONAL_DRUGS),
    # An insect sting with a reaction beyond the skin (nhs.uk Insect bites and stings: call 999; WAO 2020).
    ("anaphylaxis", "anaphylaxis / severe allergic reaction", True, INSECT_STING, STING_REACTION),
    # A head injury with vomiting since, a headache that does not go away, memory loss, a sign of a skull
    # fracture or of a brain injury, or a dangerous mechanism (NICE NG232, 2023).
    ("head_injury_warning_signs", "head injury with a warning sign (NICE NG232)", False,
     HEAD_INJURY_WARNING, HEAD_INJURY),
    ("head_injury_warning_signs", "head injury with a warning sign (NICE NG232)", False, HEAD_INJURY_RISK, HEAD_INJURY),
    # Toothache with swelling around the eye or in the neck (nhs.uk Toothache; NICE CKS Dental abscess).
    ("spreading_dental_infection", "toothache with swelling around the eye or in the neck", False, DENTAL_SPREAD,
     DENTAL_PAIN),
    # Dehydration with a sign of poor circulation (HSE Dehydration; NICE CG84 clinical shock).
    ("dehydration_with_shock_signs", "dehydration with dizziness, a fast heartbeat or no urine", False,
     DEHYDRATION_SHOCK, DEHYDRATION),
    # A red eye with a change in vision or intense redness (NICE CKS Red eye, Conjunctivitis).
    ("eye_emergency", "serious eye injury or acute glaucoma", False, EYE_ALARM, RED_EYE),
    # A nosebleed with weakness, dizziness or a lot of blood swallowed (nhs.uk Nosebleed: go to A&E).
    ("uncontrolled_bleeding", "uncontrolled or major bleeding", False, NOSEBLEED_DANGER, NOSEBLEED),
    # Abdominal pain that hurts when the abdomen is touched (NHS inform Stomach ache: go to A&E).
    ("possible_peritonitis", "possible peritonitis (pain spreading across the abdomen, rigid abdomen)", True,
     ABDOMINAL_TOUCH_PAIN, ABDOMINAL_PAIN),
    # A black eye or eye injury with blood in the eye, an eye that cannot move, an irregular pupil or a change in
    # sight (nhs.uk Black eye: go to A&E; NICE CKS Red eye: hyphaema, penetrating injury).
    ("eye_emergency", "serious eye injury or acute glaucoma", False, EYE_INJURY_WARNING, EYE_INJURY),
    # Gallstones with a fever, shivering or jaundice (nhs.uk Gallstones: go to A&E; Tokyo Guidelines 2018).
    ("possible_cholangitis", "gallstones with a fever or jaundice (possible cholangitis)", False, GALLSTONES,
     GALLSTONE_DANGER),
    # A limp with a fever (NICE CKS Limp in children: septic arthritis or osteomyelitis, immediate admission).
    ("possible_septic_arthritis", "a limp with a fever (possible septic arthritis)", False, LIMPING, FEVER),
    # A swallowed object that is large or sharp or causes symptoms (NHS Healthier Together Swallowed objects).
    ("swallowed_object_with_symptoms", "a swallowed object that is large or sharp or causes symptoms", False,
     SWALLOWED_OBJECT, SWALLOWED_OBJECT_DANGER),
    # A known ovarian cyst with sudden or severe pain or vomiting (nhs.uk Ovarian cyst: possible torsion).
    ("possible_ovarian_torsion", "an ovarian cyst with sudden or severe pain or vomiting (possible torsion)", False,
     OVARIAN_CYST, OVARIAN_TORSION_SIGNS),
    # A known aortic aneurysm with pain or faintness (nhs.uk Abdominal aortic aneurysm: call 999).
    ("aortic_or_vascular_emergency", "possible aortic aneurysm/dissection or acute arterial occlusion", True,
     AORTIC_ANEURYSM, ANEURYSM_DANGER),
    # A known allergy, the allergen taken, and throat or breathing signs (Resuscitation Council UK 2021).
    ("anaphylaxis", "anaphylaxis / severe allergic reaction", True, ALLERGEN_TAKEN, ALLERGEN_AIRWAY_SIGNS),
    # Anticancer treatment with shivering or a fever (NICE NG151: suspect neutropenic sepsis).
    ("fever_immunocompromised", "fever in an immunocompromised patient", False, ANTICANCER_TREATMENT,
     NEUTROPENIC_SEPSIS_SIGNS),
    # A plaster cast with a sign of compartment syndrome, pressure or a clot (BOAST 10; NHS trusts' cast advice).
    ("cast_complication", "a plaster cast with pain, numbness, colour change or swelling (possible compartment "
     "syndrome)", False, CAST_DANGER, CAST),
)  # fmt: skip
# ATLS (10th ed.) class III haemorrhage: pulse 120–140 with a falling systolic pressure.
SHOCK_PULSE_ABOVE = 120.0
SHOCK_SYSTOLIC_AT_MOST = 100.0
# Conditions the patient keeps once named, even as history ("history of kidney transplant"); treatments
# that can stop (chemotherapy, anticoagulants) are not among them.
# A known aneurysm, cyst or cancer treatment stays the patient's when named as known or as history ("known AAA").
LIFELONG_CONDITIONS = frozenset({TRANSPLANT, AORTIC_ANEURYSM, OVARIAN_CYST, HEAD_INJURY_RISK})
EXERTION_WINDOW = 60  # characters between a breathlessness mention and the exertion it comes with
ALLERGY_FLAGS = frozenset({"anaphylaxis", "allergic_reaction", "airway_swelling"})
NEVER_EXERTIONAL_WORDS = ("rest", "recession", "retraction", "indrawing", "sucking", "grunt", "flaring", "tug")
HYPOTENSION_BELOW = 90.0  # an adult's systolic pressure below 90 mm Hg (NICE NG51 high-risk criterion)
OLDER_ADULT_AGE = 65
ADULT_AGE = 16
# Bounds on what one outcome stores: a note that repeats a phrase hundreds of times needs no more.
MAX_EVIDENCE_PER_FLAG = 10
MAX_DISCOUNTED_MENTIONS = 20
FEVER_FROM_C = Decimal("38.0")  # AHRQ ESI Table 6-3: febrile infant ≥ 38.0 °C
INFANT_HYPOTHERMIA_BELOW_C = Decimal("36.5")  # AHRQ: hypothermic infant < 90 days below 36.5 °C


@dataclass(frozen=True, slots=True)
class FlagReport:
    flags: tuple[RedFlag, ...]
    discounted: tuple[tuple[str, Mention], ...]  # (flag id, mention) found but not affirmed; the first few
    discounted_total: int


def _make(
    flag_id: str, name: str, level: int, ambulance: bool, evidence: tuple[Evidence, ...], detail: str | None = None
) -> RedFlag:
    return RedFlag(flag_id, name, level, level <= 2, ambulance, evidence, detail)


def _vital_evidence(field: str, value: float) -> Evidence:
    text = show(value)
    return Evidence(f"vitals.{field}", 0, len(text), text)


def _age_in_months(intake: Intake) -> int:
    return max(intake.age, 0) * 12 + max(intake.age_months, 0)


def detect_red_flags(intake: Intake) -> FlagReport:
    texts = texts_of(intake)
    flags: dict[str, RedFlag] = {}
    discounted: list[tuple[str, Mention]] = []

    for definition in CATALOGUE:
        mentions = find(definition.pattern, texts)
        discounted.extend((definition.id, mention) for mention in mentions if not mention.affirmed)
        evidence = affirmed(mentions)[:MAX_EVIDENCE_PER_FLAG]
        if evidence:
            flags[definition.id] = _make(
                definition.id, definition.name, definition.level, definition.call_ambulance, evidence
            )

    _exertion_only(intake, flags, texts)
    _gradual_headache(flags, texts)
    _reliever_still_helps(intake, flags, texts)
    _stable_angina_pattern(flags, texts)
    _coded(intake, flags)
    _annotate(flags, texts)
    for context_flag in _context_flags(intake, texts, flags):
        flags.setdefault(context_flag.id, context_flag)
    ordered = sorted(flags.values(), key=lambda flag: (flag.level, flag.id))
    capped = tuple(_cap_evidence(flag) for flag in ordered)
    return FlagReport(capped, tuple(discounted[:MAX_DISCOUNTED_MENTIONS]), len(discounted))


def _exertion_only(intake: Intake, flags: dict[str, RedFlag], texts: tuple[tuple[str, str], ...]) -> None:
    """Breathing difficulty an adult says is gone at rest ("comfortable when sitting, trouble when walking up
    stairs") is exertional breathlessness (level 3), not severe breathlessness (ESI 2). Never with an attack
    (asthma, wheeze, struggling), exhaustion, an allergic reaction, recession, or breathlessness at rest."""
    severe = flags.get("severe_breathlessness")
    if severe is None or intake.age < ADULT_AGE or set(flags) & ALLERGY_FLAGS:
        return
    if any(word in item.text.lower() for item in severe.evidence for word in NEVER_EXERTIONAL_WORDS):
        return
    if affirmed(find(ATTACK, texts)) or affirmed(find(EXHAUSTION, texts)) or not affirmed(find(EXERTIONAL, texts)):
        return
    comfortable = affirmed(find(COMFORTABLE_AT_REST, texts))
    inside = {(e.source, offset) for e in comfortable for offset in range(e.start, e.end)}
    at_rest = [e for e in affirmed(find(AT_REST, texts)) if (e.source, e.start) not in inside]
    if comfortable and not at_rest:
        del flags["severe_breathlessness"]
        flags.setdefault("breathlessness", _make("breathlessness", "breathlessness", 3, False, severe.evidence))


MIN_REASSURING_SPO2 = 95


def _measured_vitals_reassuring(intake: Intake) -> bool:
    """No measured vital sign is in the danger zone for the age, and a measured saturation is 95 % or more."""
    spo2 = finite(intake.vitals.spo2)
    return (spo2 is None or spo2 >= MIN_REASSURING_SPO2) and not danger_zone_breaches(intake)[1]


def _all_measured(intake: Intake) -> bool:
    """The breathing rate, oxygen saturation and pulse are all measured."""
    vitals = intake.vitals
    return all(finite(value) is not None for value in (vitals.respiratory_rate, vitals.spo2, vitals.heart_rate))


def _reliever_still_helps(intake: Intake, flags: dict[str, RedFlag], texts: tuple[tuple[str, str], ...]) -> None:
    """An adult's asthma with a "difficulty breathing" that the reliever still eases is an urgent, same-day
    review, not an ambulance (nhs.uk Asthma attacks: A&E when the reliever does not help). Only when every
    piece of evidence is a plain difficulty, and never with breathlessness at rest, exhaustion or a reliever
    that fails."""
    severe = flags.get("severe_breathlessness")
    if severe is None or intake.age < ADULT_AGE or set(flags) & ALLERGY_FLAGS:
        return
    if not all(any(word in item.text.lower() for word in PLAIN_DIFFICULTY_WORDS) for item in severe.evidence):
        return
    if not any_affirmed(RELIEVER_HELPS, texts) or any_affirmed(RELIEVER_FAILS, texts):
        return
    if any_affirmed(AT_REST, texts) or any_affirmed(EXHAUSTION, texts):
        return
    del flags["severe_breathlessness"]
    flags.setdefault("breathlessness", _make("breathlessness", "breathlessness", 3, False, severe.evidence))


def _stable_angina_pattern(flags: dict[str, RedFlag], texts: tuple[tuple[str, str], ...]) -> None:
    """Chest pain brought on by exertion and relieved by rest within minutes, never at rest, with no ACS
    feature or change of pattern, is stable angina: a same-day assessment (NICE CG95 1.3), not an ambulance."""
    cardiac = flags.get("cardiac_chest_pain")
    if cardiac is None or len(flags.keys() - {"cardiac_chest_pain", "breathlessness"}) > 0:
        return
    if not (any_affirmed(CHEST_PAIN_ON_EXERTION, texts) and any_affirmed(RELIEVED_BY_REST, texts)):
        return
    if any_affirmed(AT_REST, texts) or any_affirmed(ANGINA_DANGER, texts):
        return
    del flags["cardiac_chest_pain"]
    flags["exertional_chest_pain"] = _make(
        "exertional_chest_pain",
        "chest pain on exertion, relieved by rest (stable angina pattern)",
        3,
        False,
        cardiac.evidence,
    )


def _gradual_headache(flags: dict[str, RedFlag], texts: tuple[tuple[str, str], ...]) -> None:
    """ "The worst headache I've ever had" that came on gradually (an onset wording) is a severe
    headache (level 3), not a thunderclap headache (NICE CKS: the thunderclap criterion is a sudden onset,
    maximum intensity within 5 minutes). Never with any word of a sudden onset or a peak within minutes,
    nor with exertion or sex as the trigger, an anticoagulant, a head injury or pregnancy (NICE CKS red flags)."""
    thunderclap = flags.get("thunderclap_headache")
    if thunderclap is None or not all(
        any(word in item.text.lower() for word in WORST_NOT_SUDDEN) for item in thunderclap.evidence
    ):
        return
    if (
        not any_affirmed(GRADUAL_ONSET, texts)
        or any_affirmed(SUDDEN_ONSET, texts)
        or any_affirmed(HEADACHE_RISK, texts)
    ):
        return
    del flags["thunderclap_headache"]
    flags["worst_headache_gradual_onset"] = _make(
        "worst_headache_gradual_onset", "a worst-ever headache that came on gradually", 3, False, thunderclap.evidence
    )


def _coded(intake: Intake, flags: dict[str, RedFlag]) -> None:
    """Coded findings (triage.vocabulary) assert their flag; evidence points at the `findings` entry."""
    from triage.vocabulary import BY_CODE  # the vocabulary is built from this module's catalogue

    for index, code in enumerate(intake.findings):
        finding = BY_CODE.get(code)
        if finding is None:
            continue
        evidence = Evidence(f"findings[{index}]", 0, len(code), code)
        existing = flags.get(code)
        if existing is not None:
            flags[code] = RedFlag(existing.id, existing.name, existing.level, existing.is_emergency,
                                  existing.call_ambulance, (evidence, *existing.evidence), existing.detail)  # fmt: skip
            continue
        definition = next((d for d in CATALOGUE if d.id == code), None)
        ambulance = definition.call_ambulance if definition else finding.level == 1
        flags[code] = _make(code, finding.name, finding.level, ambulance, (evidence,))


def _cap_evidence(flag: RedFlag) -> RedFlag:
    if len(flag.evidence) <= MAX_EVIDENCE_PER_FLAG:
        return flag
    return RedFlag(
        flag.id, flag.name, flag.level, flag.is_emergency, flag.call_ambulance,
        flag.evidence[:MAX_EVIDENCE_PER_FLAG], flag.detail,
    )  # fmt: skip


def _annotate(flags: dict[str, RedFlag], texts: tuple[tuple[str, str], ...]) -> None:
    """Details the rules ask to record: stroke onset (last known well) and the C-SSRS tier."""
    stroke = flags.get("stroke_signs")
    if stroke is not None:
        for _, text in texts:
            onset = STROKE_ONSET.search(text)
            if onset:
                flags["stroke_signs"] = _replace_detail(stroke, f"onset / last known well: {onset.group(1)}")
                break
    high_risk = "suicide_intent_plan_or_behaviour" in flags
    tier = (
        "C-SSRS: intent, plan or recent behaviour → emergency"
        if high_risk
        else "C-SSRS: ideation without stated intent, plan or behaviour"
    )
    for flag_id in ("suicide_intent_plan_or_behaviour", "suicidal_ideation"):
        if flag_id in flags:
            flags[flag_id] = _replace_detail(flags[flag_id], tier)


def _replace_detail(flag: RedFlag, detail: str) -> RedFlag:
    return RedFlag(flag.id, flag.name, flag.level, flag.is_emergency, flag.call_ambulance, flag.evidence, detail)


def fever_evidence(intake: Intake, texts: tuple[tuple[str, str], ...]) -> tuple[Evidence, ...]:
    """A fever in words or a measured temperature of 38.0 °C or more (shared with the self-care safety net)."""
    evidence = list(affirmed(find(FEVER, texts)))
    temperature = finite(intake.vitals.temperature_c)
    if temperature is not None and round_to_chart(temperature, TENTH, towards_lower=False) >= FEVER_FROM_C:
        evidence.insert(0, _vital_evidence("temperature_c", temperature))
    return tuple(evidence)


PEAK_FLOW_SEVERE_SHARE = 0.5  # BTS/SIGN 158: PEF 33–50 % of best or predicted is acute severe asthma


def _peak_flow_share(text: str) -> float:
    """The reading over the best of a peak-flow pair ("170, best 480" or "best 480, today 170" → 0.35): the best
    is the number after "best", "usual", "normal" or "predicted", or the second of "170/480"."""
    numbers = [int(number) for number in re.findall(r"\d{2,3}", text)[:2]]
    reading, best = numbers
    if re.search(r"(?:best|usual|normal|predicted)\D{0,12}$", text[: text.find(str(numbers[0]))], re.IGNORECASE):
        best, reading = numbers
    return reading / best if best else 1.0


def _context_flags(intake: Intake, texts: tuple[tuple[str, str], ...], flags: dict[str, RedFlag]) -> list[RedFlag]:
    found: list[RedFlag] = []
    months = _age_in_months(intake)
    fever = fever_evidence(intake, texts)
    vitals = intake.vitals

    # A peak flow under half the person's best: acute severe asthma (BTS/SIGN 158), as "peak flow under 50 %".
    if "severe_breathlessness" not in flags:
        low = tuple(
            mention
            for mention in affirmed(find(PEAK_FLOW_PAIR, texts))
            if _peak_flow_share(mention.text) < PEAK_FLOW_SEVERE_SHARE
        )
        if low:
            found.append(_make("severe_breathlessness", "severe breathlessness", 2, True, low))

    # An older adult with abdominal pain and vomiting or an ill appearance: a high-risk situation (ESI handbook
    # 2020, Appendix A, Ch. 5 practice case 4: a 94-year-old, epigastric pain, vomiting, looks sick — ESI 2; the
    # handbook's high-risk situations include abdominal pain in older adults, whose catastrophes present mildly).
    if intake.age >= OLDER_ADULT_AGE:
        pain = affirmed(find(ABDOMINAL_PAIN, texts))
        danger = affirmed(find(ABDOMINAL_PAIN_DANGER, texts)) if pain else ()
        if danger:
            found.append(
                _make("older_adult_abdominal_pain", "abdominal pain with vomiting or an ill appearance at 65 or older",
                      2, False, pain + danger)
            )  # fmt: skip

    if months < 3 and fever:
        if months < 1:  # completed months 0 ≈ under 28 days (conservatively includes days 28–30)
            found.append(
                _make("fever_infant_under_28_days", "fever ≥ 38.0 °C in an infant under 28 days", 2, False, fever)
            )
        else:
            found.append(
                _make("fever_infant_under_3_months", "fever ≥ 38.0 °C in an infant under 3 months", 2, False, fever)
            )
    temperature = finite(vitals.temperature_c)
    # NICE NG143 (fever in under 5s): 3 to 6 months with 39 °C or more is a red feature.
    if 3 <= months < 6 and temperature is not None and round_to_chart(temperature, TENTH, towards_lower=False) >= 39.0:
        found.append(
            _make("fever_infant_3_to_6_months", "temperature of 39 °C or more at 3 to 6 months", 2, False,
                  (_vital_evidence("temperature_c", temperature),))
        )  # fmt: skip
    if intake.age < ADULT_AGE:
        red = affirmed(find(ILL_APPEARANCE, texts))
        if intake.age < UNDER_FIVE_AGE:
            red += affirmed(find(CHILD_RED_FEATURES, texts))
        if intake.age < NG51_CHILD_BAND_END:
            red += affirmed(find(VERY_FAST_BREATHING, texts))
        if red:
            found.append(
                _make("child_red_features", "a red feature of serious illness in a child (NICE NG143, NG51)", 2,
                      False, red)
            )  # fmt: skip
    # NICE NG143 (under 5s): a continuous cry is a red feature — one that will not stop or is not their normal
    # cry (HSE Child seriously unwell). An older child or an adult who cannot stop crying is not read this way.
    if intake.age < UNDER_FIVE_AGE:
        crying = affirmed(find(INCONSOLABLE_CRY, texts))
        if crying:
            found.append(_make("high_pitched_cry", "a weak, high-pitched or continuous cry", 2, False, crying))
    if intake.age < ADULT_AGE:
        bile = affirmed(find(BILIOUS_VOMIT, texts))
        if bile:
            found.append(
                _make("bowel_obstruction", "possible bowel obstruction (no stool or wind, or green vomit)", 2, False,
                      bile)
            )  # fmt: skip
    # NICE NG143: neck stiffness in a child is a red feature (meningitis), with or without a fever.
    if intake.age < ADULT_AGE:
        stiff = affirmed(find(STIFF_NECK, texts))
        if stiff:
            found.append(_make("meningism", "neck stiffness with a dislike of light (meningism)", 2, True, stiff))
    if months < 3:
        cold: list[Evidence] = list(affirmed(find(HYPOTHERMIA, texts)))
        if (
            temperature is not None
            and round_to_chart(temperature, TENTH, towards_lower=True) < INFANT_HYPOTHERMIA_BELOW_C
        ):
            cold.insert(0, _vital_evidence("temperature_c", temperature))
        if cold:
            found.append(
                _make(
                    "hypothermia_infant_under_3_months",
                    "temperature below 36.5 °C in an infant under 90 days",
                    2,
                    False,
                    tuple(cold),
                )
            )
        unwell = affirmed(find(POOR_FEEDING_OR_FLOPPY, texts))
        if unwell:
            found.append(
                _make(
                    "unwell_infant_under_3_months",
                    "lethargy or poor feeding in an infant under 3 months",
                    2,
                    False,
                    unwell,
                )
            )
    if months < 24:
        floppy = affirmed(find(FLOPPY, texts))
        if floppy:
            found.append(_make("flaccid_infant", "flaccid (floppy) infant", 1, True, floppy))

    if months >= 24 and intake.age < ADULT_AGE:
        # Floppy past infancy: lethargy, loss of tone (NICE NG143; HSE Child seriously unwell).
        limp = affirmed(find(FLOPPY_CHILD, texts))
        if limp:
            found.append(
                _make("new_confusion_or_lethargy", "new confusion, disorientation or lethargy", 2, False, limp)
            )
    if months >= 24:  # infants drool; from age 2 drooling with a sore throat or dyspnoea is an airway sign
        # A teething child dribbles (nhs.uk Teething); that is not an airway sign.
        drooling = affirmed(find(DROOLING, texts)) if not any_affirmed(TEETHING, texts) else ()
        throat = affirmed(find(SORE_THROAT_OR_SWALLOWING, texts))
        if drooling and throat:
            found.append(
                _make("airway_compromise", "drooling with sore throat or breathlessness (threatened airway)",
                      2, True, drooling + throat)
            )  # fmt: skip

    # NICE NG126 (2019), 1.2: an ectopic pregnancy can present before the pregnancy is known — a missed
    # period or a positive test with pain, bleeding, shoulder-tip pain or fainting.
    pregnant_evidence = affirmed(find(PREGNANT, texts)) or affirmed(find(EARLY_PREGNANCY, texts))
    if pregnant_evidence and affirmed(find(AFTER_BIRTH, texts)):
        # "The pregnancy was smooth … gave birth six months ago": the noun names a past pregnancy.
        pregnant_evidence = tuple(e for e in pregnant_evidence if "pregnancy" not in e.text.lower())
    if intake.pregnant or pregnant_evidence:
        bleeding_or_pain = affirmed(find(BLEEDING_OR_ABDOMINAL_PAIN, texts)) or affirmed(find(ECTOPIC_SIGNS, texts))
        if bleeding_or_pain:
            found.append(
                _make("bleeding_or_pain_in_pregnancy", "bleeding or abdominal pain in pregnancy (possible ectopic)",
                      2, False, bleeding_or_pain + pregnant_evidence)
            )  # fmt: skip

    if fever:
        immunocompromised = affirmed(find(IMMUNOCOMPROMISED, texts))
        if immunocompromised:
            found.append(
                _make(
                    "fever_immunocompromised",
                    "fever in an immunocompromised patient",
                    2,
                    False,
                    fever + immunocompromised,
                )
            )
        # Drowsiness with a fever (NICE NG51: a new altered mental state is a high-risk criterion of sepsis).
        drowsy = affirmed(find(DROWSINESS, texts))
        if drowsy:
            found.append(
                _make(
                    "new_confusion_or_lethargy", "new confusion, disorientation or lethargy", 2, False, fever + drowsy
                )
            )
        stiff_neck = affirmed(find(STIFF_NECK, texts))
        if stiff_neck:
            found.append(_make("meningism_with_fever", "fever with neck stiffness", 2, True, fever + stiff_neck))

    allergy = [flags[key] for key in ("anaphylaxis", "allergic_reaction") if key in flags]
    if allergy:
        compromise: list[Evidence] = [
            evidence
            for key in ("airway_swelling", "severe_respiratory_distress", "severe_breathlessness", "breathlessness",
                        "loss_of_consciousness", "unresponsive", "poor_perfusion", "new_confusion_or_lethargy")
            if key in flags
            for evidence in flags[key].evidence
        ]  # fmt: skip
        systolic = finite(vitals.systolic_bp)
        if systolic is not None and systolic < 90:
            compromise.append(_vital_evidence("systolic_bp", systolic))
        if vitals.consciousness in ("voice", "pain", "unresponsive"):
            compromise.append(Evidence("vitals.consciousness", 0, len(vitals.consciousness), vitals.consciousness))
        wheeze_only = "breathlessness" in flags and not any(
            key in flags for key in ("airway_swelling", "severe_respiratory_distress", "severe_breathlessness")
        )
        reassured = (
            not any_affirmed(ANAPHYLAXIS_COMPROMISE_SIGNS, texts)
            and _measured_vitals_reassuring(intake)
            and ("anaphylaxis" not in flags or _all_measured(intake))
        )
        if wheeze_only and reassured and len(compromise) == len(flags["breathlessness"].evidence):
            # Skin and breathing together are anaphylaxis (World Allergy Organization criteria) — ESI 2 while
            # the airway, breathing and circulation hold; compromise of them (below) makes it ESI 1. An
            # anaphylaxis sign (a swelling) with a wheeze is ESI 1 unless the breathing rate, oxygen saturation
            # and pulse are measured and reassuring (ESI handbook 2020, Appendix A, Ch. 6: facial swelling, a rash
            # and a wheeze with normal vital signs, ESI 2); any written compromise sign or measured vital sign in
            # the danger zone makes either ESI 1 (Resuscitation Council UK 2021).
            if "anaphylaxis" not in flags:
                allergy_evidence = tuple(evidence for allergy_flag in allergy for evidence in allergy_flag.evidence)
                found.append(
                    _make("anaphylaxis", "anaphylaxis / severe allergic reaction", 2, True,
                          allergy_evidence + flags["breathlessness"].evidence)
                )  # fmt: skip
            compromise = []
        if compromise:
            allergy_evidence = tuple(evidence for allergy_flag in allergy for evidence in allergy_flag.evidence)
            found.append(
                _make("anaphylaxis_with_compromise", "anaphylaxis with airway, breathing or circulation compromise",
                      1, True, allergy_evidence + tuple(compromise))
            )  # fmt: skip

    # Vomiting or missed insulin in a person with diabetes: possible diabetic ketoacidosis.
    diabetic = present(find(DIABETIC, texts))  # "history of diabetes" is diabetes now
    if diabetic:
        warning = affirmed(find(DKA_WARNING, texts))
        if warning:
            found.append(
                _make("possible_dka", "possible diabetic ketoacidosis (vomiting or missed insulin in diabetes)", 2,
                      False, diabetic + warning)
            )  # fmt: skip

    # Pain in sickle cell disease is a vaso-occlusive crisis until shown otherwise: high risk, for
    # analgesia within 30 minutes (ESI v4 handbook, Ch. 10; NICE CG143, 2012).
    if "sickle_cell_crisis" not in flags:
        sickle = present(find(SICKLE_CELL, texts))
        sickle_pain = affirmed(find(SICKLE_PAIN, texts)) if sickle else ()
        if sickle_pain:
            found.append(_make("sickle_cell_crisis", "sickle cell crisis", 2, False, sickle + sickle_pain))

    post_op = affirmed(find(POST_OPERATIVE, texts))
    if post_op:
        problem = affirmed(find(POST_OPERATIVE_PROBLEM, texts))
        if problem:
            found.append(
                _make("postoperative_complication", "possible complication after recent surgery", 2, False,
                      post_op + problem)
            )  # fmt: skip

    # Major trauma with an altered mental state: "critically injured trauma patient who presents
    # unresponsive" (ESI level-1 examples); a somnolent child hit by a car (AHRQ Table 6-6).
    if "major_trauma" in flags:
        altered_by_trauma = _altered_state(
            intake, flags, ("new_confusion_or_lethargy", "unresponsive", "loss_of_consciousness")
        )
        if altered_by_trauma:
            found.append(
                _make("major_trauma_with_altered_consciousness", "major trauma with an altered mental state", 1,
                      True, flags["major_trauma"].evidence + tuple(altered_by_trauma))
            )  # fmt: skip

    # Shock: signs of hypoperfusion with an altered mental state (ESI level-1 example "shock/hypotension
    # with signs of hypoperfusion"; a listless, mottled neonate).
    hypoperfusion = affirmed(find(HYPOPERFUSION, texts))
    if hypoperfusion:
        altered_state = _altered_state(
            intake, flags, ("new_confusion_or_lethargy", "unresponsive", "loss_of_consciousness")
        )
        altered_state += [e for f in found if f.id == "unwell_infant_under_3_months" for e in f.evidence]
        if altered_state:
            found.append(
                _make("shock_with_altered_mental_state", "signs of hypoperfusion with an altered mental state", 1,
                      True, hypoperfusion + tuple(altered_state))
            )  # fmt: skip

    found += _immediate_threats(intake, texts, flags)
    found += _high_risk_situations(intake, texts)

    hypoglycaemia = affirmed(find(HYPOGLYCAEMIA, texts))
    if hypoglycaemia:
        altered = _altered_state(
            intake, flags, ("new_confusion_or_lethargy", "unresponsive", "seizure", "active_seizure")
        )
        if altered:
            found.append(
                _make("hypoglycaemia_altered_mental_state", "hypoglycaemia with altered mental state", 1, True,
                      hypoglycaemia + tuple(altered))
            )  # fmt: skip
    return found


def _cannot_be_exertional(texts: tuple[tuple[str, str], ...], exhaustion: tuple[Evidence, ...]) -> bool:
    """An inability to talk, "tiring", breathlessness at rest or an attack: never put down to exertion."""
    tiredness = {(e.source, e.start) for e in affirmed(find(TIREDNESS, texts))}
    if any((e.source, e.start) not in tiredness for e in exhaustion):
        return True
    return bool(affirmed(find(AT_REST, texts)) or affirmed(find(ATTACK, texts)))


def _said_with(mention: Evidence, exertion: tuple[Evidence, ...], original: dict[str, str]) -> bool:
    """An exertion within EXERTION_WINDOW characters of the mention, in the same sentence (evidence offsets
    index the original texts, by source)."""
    for e in exertion:
        if e.source != mention.source or abs(e.start - mention.start) > EXERTION_WINDOW:
            continue
        between = original[e.source][min(e.start, mention.start) : max(e.end, mention.end)]
        if not any(mark in between for mark in ".;\n"):
            return True
    return False


def _immediate_threats(intake: Intake, texts: tuple[tuple[str, str], ...], flags: dict[str, RedFlag]) -> list[RedFlag]:
    """ESI decision point A from a combination of findings (ESI v4 handbook, Chapter 3)."""
    found: list[RedFlag] = []
    vitals = intake.vitals
    # Severe respiratory distress with exhaustion or inability to talk: impending respiratory failure.
    # The rarer half of each combination is looked for first: the other half only when it is there.
    exhaustion = affirmed(find(EXHAUSTION, texts))
    breathing: tuple[Evidence, ...] = ()
    if exhaustion:
        # Breathlessness said in the same breath as an exertion ("short of breath when I climb the stairs")
        # is not breathlessness at rest: with tiredness it is fatigue, not a tiring respiratory effort.
        breathing = affirmed(find(BREATHING_DIFFICULTY, texts))
        if not _cannot_be_exertional(texts, exhaustion):
            exertion = affirmed(find(EXERTIONAL, texts))
            original = {source: getattr(text, "original", text) for source, text in texts}
            breathing = tuple(mention for mention in breathing if not _said_with(mention, exertion, original))
        respiratory_rate = finite(vitals.respiratory_rate)
        if respiratory_rate is not None and respiratory_rate >= 30 and intake.age >= ADULT_AGE:
            breathing += (_vital_evidence("respiratory_rate", respiratory_rate),)
    if breathing and exhaustion:
        found.append(
            _make("impending_respiratory_failure", "breathing difficulty with exhaustion or inability to talk", 1,
                  True, breathing + exhaustion)
        )  # fmt: skip
    # Bleeding with a pulse over 120 and a falling systolic pressure: haemorrhagic shock (ATLS class III).
    pulse, systolic = finite(vitals.heart_rate), finite(vitals.systolic_bp)
    shocked = (
        pulse is not None and systolic is not None and pulse > SHOCK_PULSE_ABOVE and systolic <= SHOCK_SYSTOLIC_AT_MOST
    )
    bleeding = affirmed(find(BLEEDING, texts)) if shocked else ()
    if bleeding and pulse is not None and systolic is not None:
        found.append(
            _make("haemorrhage_with_shock", "bleeding with signs of shock (pulse > 120, systolic ≤ 100)", 1, True,
                  (*bleeding, _vital_evidence("heart_rate", pulse), _vital_evidence("systolic_bp", systolic)))
        )  # fmt: skip
    # Hypotension with signs of hypoperfusion (cold or clammy, mottled skin): shock needing IV access and
    # resuscitation now (ESI v4 handbook, Ch. 3: "shock/hypotension with signs of hypoperfusion" is ESI 1).
    if systolic is not None and systolic < HYPOTENSION_BELOW and intake.age >= ADULT_AGE:
        hypoperfused = affirmed(find(HYPOPERFUSION, texts)) or (
            flags["poor_perfusion"].evidence if "poor_perfusion" in flags else ()
        )
        if hypoperfused:
            found.append(
                _make("hypotension_with_hypoperfusion", "hypotension with signs of hypoperfusion (shock)", 1, True,
                      (*hypoperfused, _vital_evidence("systolic_bp", systolic)))
            )  # fmt: skip
    # A petechial or purpuric rash with an altered mental state (handbook 2020, Ch. 6): possible
    # meningococcaemia in shock.
    rash = affirmed(find(PETECHIAL_RASH, texts))
    if rash:
        altered = _altered_state(intake, flags, ("new_confusion_or_lethargy", "unresponsive"))
        if altered:
            found.append(
                _make("petechial_rash_with_altered_mental_state",
                      "petechial or purpuric rash with an altered mental state", 1, True, rash + tuple(altered))
            )  # fmt: skip
    # Smoke inhalation with hoarseness, stridor, soot or increased work of breathing: a threatened airway.
    inhalation = _together(texts, INHALATION, AIRWAY_SIGNS)
    if inhalation:
        found.append(
            _make("inhalation_injury_with_airway_signs", "smoke inhalation with airway signs", 1, True, inhalation)
        )
    # A child whose breathing and circulation are both abnormal, with hypoxia (the Pediatric Assessment
    # Triangle's "sick" child: ESI v4 Chapter 6): danger-zone pulse and breathing rate, SpO2 < 92 %.
    if intake.age < ADULT_AGE:
        _, breaches, _ = danger_zone_breaches(intake)
        if {b.parameter for b in breaches} == {"heart_rate", "respiratory_rate", "spo2"}:
            found.append(
                _make("critically_ill_child", "a child with abnormal breathing, circulation and oxygenation", 1,
                      True, tuple(_vital_evidence(b.parameter, b.value) for b in breaches))
            )  # fmt: skip
    return found


def _high_risk_situations(intake: Intake, texts: tuple[tuple[str, str], ...]) -> list[RedFlag]:
    """ESI decision point B from a combination of findings (ESI v4 handbook, Chapter 4 and its cases)."""
    found: list[RedFlag] = []
    withdrawal, drinking = affirmed(find(ALCOHOL_WITHDRAWAL, texts)), affirmed(find(HEAVY_DRINKING, texts))
    signs = affirmed(find(WITHDRAWAL_SIGNS, texts)) if drinking else ()
    if withdrawal or (drinking and signs):
        found.append(_make("alcohol_withdrawal", "alcohol withdrawal", 2, False, withdrawal + drinking + signs))
    shunt = present(find(SHUNT, texts))
    if shunt:
        problem = affirmed(find(SHUNT_PROBLEM, texts))
        if problem:
            found.append(_make("shunt_malfunction", "possible shunt malfunction", 2, False, shunt + problem))
    voice = affirmed(find(VOICE_CHANGE, texts))
    swallowing = affirmed(find(SWALLOWING_DIFFICULTY, texts)) if voice else ()
    if swallowing and voice:
        found.append(
            _make("deep_neck_infection", "difficulty swallowing with a changed voice (threatened airway)", 2, True,
                  swallowing + voice)
        )  # fmt: skip
    polydipsia = affirmed(find(POLYDIPSIA, texts))
    polyuria = affirmed(find(POLYURIA, texts)) if polydipsia else ()
    if polyuria and polydipsia:
        weight_loss = affirmed(find(WEIGHT_LOSS, texts))
        # In a child, with weight loss, or in a person known to have diabetes (NICE NG17 and NG18: thirst and
        # passing a lot of urine are symptoms of hyperglycaemia and of DKA).
        if intake.age < ADULT_AGE or weight_loss or present(find(DIABETIC, texts)):
            found.append(
                _make("possible_new_diabetes_dka", "thirst and frequent urination (possible diabetic ketoacidosis)",
                      2, False, polyuria + polydipsia + weight_loss)
            )  # fmt: skip
    # ESI handbook (2020), Ch. 3: a nosebleed in a patient on an anticoagulant; NICE CG176 (head injury):
    # anticoagulated patients with a head injury need urgent imaging.
    anticoagulant = affirmed(find(ANTICOAGULANT, texts))
    if anticoagulant:
        bleed_or_head = affirmed(find(NOSEBLEED, texts)) + affirmed(find(HEAD_INJURY, texts))
        if bleed_or_head:
            found.append(
                _make("anticoagulated_bleed_or_head_injury", "head injury or nosebleed on an anticoagulant", 2, False,
                      anticoagulant + bleed_or_head)
            )  # fmt: skip
    for flag_id, name, ambulance, rare, other in PAIRED_FINDINGS:
        evidence = _together(texts, rare, other)
        if evidence:
            found.append(_make(flag_id, name, 2, ambulance, evidence))
    # Cauda equina: saddle numbness alone, or back pain with new bladder, bowel or sexual dysfunction.
    saddle = affirmed(find(SADDLE_NUMBNESS, texts))
    sphincter = _together(texts, SPHINCTER_DISTURBANCE, BACK_PAIN) if not saddle else ()
    # NICE CKS Sciatica: sciatica on both sides, or weakness or numbness in both legs, is a red flag too.
    bilateral = _together(texts, BILATERAL_LEG_SIGNS, BACK_PAIN) if not (saddle or sphincter) else ()
    if saddle or sphincter or bilateral:
        found.append(
            _make("possible_cauda_equina", "possible cauda equina syndrome (saddle numbness, bladder or bowel change)",
                  2, True, saddle + sphincter + bilateral)
        )  # fmt: skip
    # Cancer with new back pain and weak or numb legs: metastatic spinal cord compression (NICE NG234, 2023).
    # A cancer named in any context but a negated or hypothetical one: "Dad has prostate cancer" from a caller.
    cancer = tuple(m.evidence for m in find(CANCER, texts) if m.context not in ("negated", "hypothetical"))
    if cancer:
        back_and_legs = _together(texts, LEG_NEUROLOGY, BACK_PAIN)
        if back_and_legs:
            found.append(
                _make("possible_spinal_cord_compression", "cancer with back pain and weak or numb legs (possible "
                      "spinal cord compression)", 2, True, cancer + back_and_legs)
            )  # fmt: skip
    # Anticancer treatment with a temperature of 37.5 °C or more or below 36 °C (NICE NG151; UKONS triage tool).
    temperature = finite(intake.vitals.temperature_c)
    if temperature is not None and not (36.0 <= temperature < 37.5):
        treated = affirmed(find(ANTICANCER_TREATMENT, texts))
        if treated and not any(flag.id == "fever_immunocompromised" for flag in found):
            found.append(
                _make("fever_immunocompromised", "fever in an immunocompromised patient", 2, False,
                      (*treated, _vital_evidence("temperature_c", temperature)))
            )  # fmt: skip
    # A fall from a height (CDC field triage 2011, step 3): > 20 ft (6 m) for an adult, > 10 ft (3 m) for a child.
    limit_ft = 20.0 if intake.age >= ADULT_AGE else 10.0
    high_falls = [
        mention.evidence
        for mention in find(FALL_DISTANCE, texts)
        if mention.affirmed and _fall_feet(mention.evidence.text) > limit_ft
    ]
    if high_falls:
        found.append(
            _make("fall_from_height", f"a fall from more than {limit_ft:g} feet (high-risk mechanism)", 2, True,
                  tuple(high_falls))
        )  # fmt: skip
    # Ch. 6: a vesicular rash in a neonate (under 28 days) — possible herpes simplex infection.
    if _age_in_months(intake) < 1:
        vesicles = affirmed(find(VESICULAR_RASH, texts))
        if vesicles:
            found.append(_make("vesicular_rash_neonate", "a vesicular rash in a neonate", 2, False, vesicles))
        # NICE CKS Conjunctivitis: in a baby under 4 weeks, possible ophthalmia neonatorum (same-day referral).
        sticky = affirmed(find(EYE_DISCHARGE, texts))
        if sticky:
            found.append(_make("conjunctivitis_neonate", "conjunctivitis in a baby under 4 weeks", 2, False, sticky))
    # Ch. 3 (paediatric): ingestions, vitamins included, are high risk in a child.
    if intake.age < ADULT_AGE:
        ingestion = affirmed(find(CHILD_INGESTION, texts))
        if ingestion:
            found.append(_make("child_ingestion", "a child who swallowed medicines or chemicals", 2, True, ingestion))
    return found


def _fall_feet(text: str) -> float:
    """The distance of a fall phrase in feet (metres converted); 0 when it cannot be read."""
    match = FALL_DISTANCE.search(text)
    if match is None:
        return 0.0
    number, unit = [group for group in match.groups() if group is not None][:2]
    feet = float(number)
    return feet * 3.28 if unit.lower().startswith("m") else feet


def _altered_state(intake: Intake, flags: dict[str, RedFlag], keys: tuple[str, ...]) -> list[Evidence]:
    """Evidence of an altered mental state: the named flags' evidence, and a consciousness below alert."""
    evidence = [item for key in keys if key in flags for item in flags[key].evidence]
    level = intake.vitals.consciousness
    if level not in (None, "alert"):
        evidence.append(Evidence("vitals.consciousness", 0, len(level), level))
    return evidence


def _together(
    texts: tuple[tuple[str, str], ...], rare: re.Pattern[str], other: re.Pattern[str]
) -> tuple[Evidence, ...]:
    """Both findings' evidence when both are present (the rarer looked for first), else nothing. A lifelong
    condition (a transplant) counts when it is named as history too."""
    first = present(find(rare, texts)) if rare in LIFELONG_CONDITIONS else affirmed(find(rare, texts))
    second = affirmed(find(other, texts)) if first else ()
    return first + second if second else ()
