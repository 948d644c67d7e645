"""The coded vocabulary an agent may send instead of (or with) free text: findings and complaints.

Agents fill a JSON schema more reliably than they match anyone's phrasing, so every finding the rules
act on has a code. A coded finding asserts exactly the red flag of the same id, so both paths — the code
and its free-text phrasing — meet in one rule set (a property test checks that they give the same
acuity). A coded complaint counts the resources of its category (ESI decision point C).

Versioned: codes are only ever added; a code's meaning never changes within a version.
"""

from __future__ import annotations

from dataclasses import dataclass

from triage.red_flags import CATALOGUE
from triage.resources import COMPLAINTS, complaint_code

VOCABULARY_VERSION = "triage-vocabulary/1"


@dataclass(frozen=True, slots=True)
class Finding:
    code: str
    name: str
    level: int  # 1 = immediate life threat (ESI 1), 2 = high risk (ESI 2), 3 = counts towards resources
    source: str
    example: str  # a free-text phrasing the rules read as this finding


_SOURCE_BY_LEVEL = {
    1: "ESI v4 handbook, Ch. 3 (immediate life-saving intervention)",
    2: "ESI v4 handbook, Ch. 4 (high-risk situation)",
    3: "ESI v4 handbook, Ch. 5 (expected resources)",
}
_SOURCES = {
    "stroke_signs": "BE-FAST; ESI v4 handbook, Ch. 4",
    "suicide_intent_plan_or_behaviour": "Columbia C-SSRS screener, Q4–Q6; ESI v4 handbook, Ch. 4",
    "suicidal_ideation": "Columbia C-SSRS screener, Q1–Q3; ESI v4 handbook, Ch. 4",
    "severe_pain_reported": "ESI v4 handbook, Appendix A, Ch. 3 FAQ 2 (pain ≥ 7/10: consider ESI 2)",
    "sepsis_signs": "NICE NG51 (sepsis) red flags; ESI v4 handbook, Ch. 4",
    "possible_pulmonary_embolism": "NICE NG158 (venous thromboembolic diseases, 2020); ESI v4 handbook, Ch. 4",
    "heatstroke": "nhs.uk and HSE, heat exhaustion and heatstroke; ESI handbook (2020), Ch. 3 (environmental)",
    "poor_perfusion": "NICE NG51 (sepsis) high-risk criteria; ESI v4 handbook, Ch. 4 (signs of shock)",
    "possible_peritonitis": "NHS inform, Appendicitis; NICE CKS Appendicitis",
    "high_pitched_cry": "NICE NG143 (fever in under 5s), red features",
    "mastoiditis": "NICE CKS Otitis media (mastoiditis)",
    "reduced_urine_output": "NICE NG51 (sepsis) high-risk criteria; nhs.uk",
    "haemorrhage_with_shock": "ATLS 10th ed. class III haemorrhage; ESI v4 handbook, Ch. 3",
    "bowel_obstruction": "nhs.uk and NHS inform, Stomach ache; NICE CKS Gastroenteritis (bilious vomiting)",
    "hypothermia": "nhs.uk Hypothermia; HSE Hypothermia",
    "button_battery": "RCEM and NPIS, button battery ingestion (2020); nhs.uk Swallowed objects",
    "trismus": "nhs.uk Tetanus; NICE CKS Sore throat (quinsy: trismus)",
}

# Free-text phrasings for each catalogue finding (the property test checks that each is read as its code).
_EXAMPLES = {
    "cardiac_arrest": "CPR in progress",
    "unresponsive": "he is unresponsive",
    "severe_respiratory_distress": "she cannot speak in full sentences",
    "airway_support": "he arrived intubated",
    "needs_pacing": "complete heart block",
    "active_seizure": "she is still seizing",
    "cardiac_chest_pain": "crushing chest pain spreading to the left arm",
    "stroke_signs": "face drooping on one side",
    "anaphylaxis": "anaphylaxis",
    "airway_swelling": "his throat is closing up",
    "severe_breathlessness": "severely short of breath",
    "suicide_intent_plan_or_behaviour": "she has a plan to kill herself",
    "suicidal_ideation": "he has suicidal thoughts",
    "homicidal_ideation": "homicidal thoughts",
    "overdose_or_poisoning": "overdose",
    "uncontrolled_bleeding": "uncontrolled bleeding",
    "vomiting_or_coughing_blood": "vomiting blood",
    "seizure": "had a seizure",
    "sepsis_signs": "a rash that does not fade under a glass",
    "thunderclap_headache": "thunderclap headache",
    "new_confusion_or_lethargy": "new confusion",
    "loss_of_consciousness": "passed out",
    "defibrillator_shock": "his defibrillator fired",
    "missed_dialysis": "missed dialysis",
    "sexual_assault": "sexual assault",
    "acute_psychosis_or_violence": "hallucinating",
    "severe_distress": "excruciating pain",
    "major_trauma": "hit by a car",
    "severe_burns": "burns to 30% of the body",
    "testicular_torsion": "testicular pain",
    "ectopic_or_obstetric": "possible ectopic pregnancy",
    "diabetic_emergency": "diabetic ketoacidosis",
    "sickle_cell_crisis": "sickle cell crisis",
    "chemical_eye_injury": "bleach splashed in her eye",
    "acute_vision_loss": "sudden loss of vision",
    "severe_pain_reported": "pain 8/10",
    "breathlessness": "short of breath",
    "allergic_reaction": "an allergic reaction",
    "aortic_or_vascular_emergency": "tearing pain going through to the back",
    "possible_pulmonary_embolism": "a blood clot in the lung",
    "heatstroke": "heatstroke",
    "poor_perfusion": "cold and clammy",
    "possible_peritonitis": "pain that suddenly gets worse and spreads across the whole tummy",
    "high_pitched_cry": "a weak, high-pitched cry",
    "mastoiditis": "swelling and redness behind the ear",
    "reduced_urine_output": "has stopped peeing",
    "cardiac_risk_presentation": "chest pain after using cocaine",
    "high_risk_bleeding": "partial amputation of a finger",
    "metabolic_emergency": "high potassium",
    "near_syncope": "almost passed out",
    "abuse_or_violence_victim": "domestic violence",
    "eye_emergency": "detached retina",
    "bowel_obstruction": "cannot poo or fart",
    "hypothermia": "hypothermia after a night outside",
    "button_battery": "put a button battery up his nose",
    "trismus": "cut his hand gardening, now has a hard time opening his mouth",
}

# Findings the rules build from a combination (findings.py); coded, they assert the combination.
_COMBINED = (
    Finding("impending_respiratory_failure", "breathing difficulty with exhaustion or inability to talk", 1,
            _SOURCE_BY_LEVEL[1], "wheezing and tiring out"),
    Finding("anaphylaxis_with_compromise", "anaphylaxis with airway, breathing or circulation compromise", 1,
            _SOURCE_BY_LEVEL[1], "an allergic reaction and her throat is closing"),
    Finding("major_trauma_with_altered_consciousness", "major trauma with an altered mental state", 1,
            _SOURCE_BY_LEVEL[1], "hit by a car and now confused"),
    Finding("shock_with_altered_mental_state", "signs of hypoperfusion with an altered mental state", 1,
            _SOURCE_BY_LEVEL[1], "cold and clammy and confused"),
    Finding("inhalation_injury_with_airway_signs", "smoke inhalation with airway signs", 1,
            "ESI handbook (2020), Ch. 3 (environmental)", "smoke inhalation and now hoarse"),
    Finding("petechial_rash_with_altered_mental_state", "petechial or purpuric rash with an altered mental state", 1,
            "ESI handbook (2020), Ch. 6", "a purple rash that does not blanch and he is confused"),
    Finding("airway_compromise", "drooling with sore throat or breathlessness (threatened airway)", 2,
            _SOURCE_BY_LEVEL[2], "drooling with a sore throat"),
    Finding("bleeding_or_pain_in_pregnancy", "bleeding or abdominal pain in pregnancy (possible ectopic)", 2,
            _SOURCE_BY_LEVEL[2], "pregnant with vaginal bleeding"),
    Finding("fever_immunocompromised", "fever in an immunocompromised patient", 2,
            "NICE NG51 (neutropenic sepsis); ESI v4 handbook, Ch. 4", "fever during chemotherapy"),
    Finding("meningism_with_fever", "fever with neck stiffness", 2, "NICE NG51; ESI v4 handbook, Ch. 4",
            "fever and a stiff neck"),
    Finding("possible_dka", "possible diabetic ketoacidosis (vomiting or missed insulin in diabetes)", 2,
            _SOURCE_BY_LEVEL[2], "diabetic and vomiting"),
    Finding("postoperative_complication", "possible complication after recent surgery", 2, _SOURCE_BY_LEVEL[2],
            "3 days post surgery with a fever"),
    Finding("alcohol_withdrawal", "alcohol withdrawal", 2, _SOURCE_BY_LEVEL[2], "alcohol withdrawal"),
    Finding("shunt_malfunction", "possible shunt malfunction", 2, _SOURCE_BY_LEVEL[2],
            "has a VP shunt and keeps vomiting"),
    Finding("deep_neck_infection", "difficulty swallowing with a changed voice (threatened airway)", 2,
            _SOURCE_BY_LEVEL[2], "can barely swallow and her voice is muffled"),
    Finding("possible_new_diabetes_dka", "thirst and frequent urination (possible diabetic ketoacidosis)", 2,
            _SOURCE_BY_LEVEL[2], "always thirsty and peeing all the time, losing weight"),
    Finding("anticoagulated_bleed_or_head_injury", "head injury or nosebleed on an anticoagulant", 2,
            "ESI handbook (2020), Ch. 3; NICE CG176 (head injury)", "on warfarin and hit his head"),
    Finding("headache_with_danger_signs", "severe headache with fever, rash, confusion or lethargy", 2,
            _SOURCE_BY_LEVEL[2], "a severe headache and a rash"),
    Finding("meningism", "neck stiffness with a dislike of light (meningism)", 2,
            "NICE NG240 (bacterial meningitis, 2024); nhs.uk Meningitis",
            "a stiff neck and bright light hurts her eyes"),
    Finding("palpitations_with_danger_signs", "palpitations with chest pain, breathlessness or fainting", 2,
            "NICE CKS Palpitations; nhs.uk Heart palpitations", "palpitations and short of breath"),
    Finding("vertigo_with_neurological_signs", "vertigo with a neurological sign or sudden hearing loss", 2,
            "NICE CKS Vertigo (red flags); nhs.uk Vertigo", "vertigo and numbness in her left arm"),
    Finding("possible_cauda_equina", "possible cauda equina syndrome (saddle numbness, bladder or bowel change)", 2,
            "NICE CKS Sciatica, Low back pain (red flags); nhs.uk Cauda equina syndrome",
            "back pain and numbness around the back passage"),
    Finding("fall_from_height", "a fall from a height (more than 20 feet for an adult, 10 for a child)", 2,
            "CDC Guidelines for Field Triage of Injured Patients (2011), step 3", "fell 30 feet from a roof"),
    Finding("postpartum_breathlessness", "breathlessness or chest pain after a recent birth", 2,
            "NICE NG158 (venous thromboembolic diseases, 2020); RCOG Green-top Guideline 37b",
            "had a baby 3 weeks ago and now short of breath"),
    Finding("ill_transplant_patient", "an ill transplant patient", 2, _SOURCE_BY_LEVEL[2],
            "had a kidney transplant and is vomiting"),
    Finding("head_injury_warning_signs", "head injury with a warning sign (NICE NG232)", 2,
            "NICE NG232 (head injury, 2023); nhs.uk Head injury and concussion",
            "hit his head and has been vomiting since the fall"),
    Finding("spreading_dental_infection", "toothache with swelling around the eye or in the neck", 2,
            "nhs.uk Toothache; NICE CKS Dental abscess", "toothache and her neck is swollen"),
    Finding("dehydration_with_shock_signs", "dehydration with dizziness, a fast heartbeat or no urine", 2,
            "HSE Dehydration; NICE CG84 (clinical shock)", "dehydrated and very dizzy"),
    Finding("possible_cholangitis", "gallstones with a fever or jaundice (possible cholangitis)", 2,
            "nhs.uk Gallstones; Tokyo Guidelines 2018", "has gallstones and now a high temperature and shivering"),
    Finding("possible_septic_arthritis", "a limp with a fever (possible septic arthritis)", 2,
            "NICE CKS Limp in children", "started limping today and has a fever of 38.6"),
    Finding("swallowed_object_with_symptoms", "a swallowed object that is large or sharp or causes symptoms", 2,
            "NHS Healthier Together Swallowed objects; ESI handbook (2020), Ch. 4",
            "swallowed a coin and is now drooling and gagging"),
    Finding("cast_complication", "a plaster cast with pain, numbness, colour change or swelling (possible "
            "compartment syndrome)", 2, "BOAST 10 (acute compartment syndrome); NHS trusts' plaster-cast advice",
            "arm in a plaster cast, fingers numb and pain not relieved by painkillers"),
    Finding("possible_ovarian_torsion", "an ovarian cyst with sudden or severe pain or vomiting (possible torsion)", 2,
            "nhs.uk Ovarian cyst", "known ovarian cyst, sudden severe pain on one side and vomiting"),
    Finding("possible_spinal_cord_compression", "cancer with back pain and weak or numb legs (possible spinal cord "
            "compression)", 2, "NICE NG234 (spinal metastases and metastatic spinal cord compression, 2023)",
            "has myeloma, new back pain and his legs feel weak"),
    Finding("worst_headache_gradual_onset", "a worst-ever headache that came on gradually", 3,
            "NICE CKS Headache - assessment (thunderclap: maximum intensity within 5 minutes)",
            "the worst headache I've ever had, it came on gradually over the morning"),
    Finding("exertional_chest_pain", "chest pain on exertion, relieved by rest (stable angina pattern)", 3,
            "NICE CG95 (1.3, typical angina); nhs.uk Angina",
            "chest tightness when walking uphill, goes away after a few minutes of rest"),
)  # fmt: skip


def _catalogue_findings() -> tuple[Finding, ...]:
    return tuple(
        Finding(
            definition.id,
            definition.name,
            definition.level,
            _SOURCES.get(definition.id, _SOURCE_BY_LEVEL[definition.level]),
            _EXAMPLES[definition.id],
        )
        for definition in CATALOGUE
    )


FINDINGS: tuple[Finding, ...] = _catalogue_findings() + _COMBINED
FINDING_CODES: tuple[str, ...] = tuple(finding.code for finding in FINDINGS)
BY_CODE = {finding.code: finding for finding in FINDINGS}


COMPLAINT_CODES: tuple[str, ...] = tuple(complaint_code(category.name) for category in COMPLAINTS)
