"""NEWS2 (RCP 2017 Chart 1/3/4): every band edge of every parameter, the between-bands rule, partials."""

from __future__ import annotations

import pytest

from triage import Intake, Vitals, assess
from triage.news2 import score_news2


def _subscore(**vitals: object) -> int:
    result = score_news2(Intake(age=40, urgency="low", vitals=Vitals(**vitals)))  # type: ignore[arg-type]
    assert len(result.subscores) == 1
    return result.subscores[0].score


@pytest.mark.parametrize(
    ("value", "expected"),
    [(0, 3), (8, 3), (9, 1), (11, 1), (12, 0), (20, 0), (21, 2), (24, 2), (25, 3), (60, 3)],
)
def test_respiratory_rate_band_edges(value: float, expected: int) -> None:
    assert _subscore(respiratory_rate=value) == expected


@pytest.mark.parametrize(
    ("value", "expected"), [(50, 3), (91, 3), (92, 2), (93, 2), (94, 1), (95, 1), (96, 0), (100, 0)]
)
def test_spo2_scale_1_band_edges(value: float, expected: int) -> None:
    assert _subscore(spo2=value) == expected


@pytest.mark.parametrize(
    ("value", "oxygen", "expected"),
    [
        (83, False, 3),
        (84, False, 2),
        (85, False, 2),
        (86, False, 1),
        (87, False, 1),
        (88, False, 0),
        (92, False, 0),
        (93, False, 0),
        (100, False, 0),
        (83, True, 3),
        (84, True, 2),
        (86, True, 1),
        (88, True, 0),
        (92, True, 0),
        (93, True, 1),
        (94, True, 1),
        (95, True, 2),
        (96, True, 2),
        (97, True, 3),
        (100, True, 3),
    ],
)
def test_spo2_scale_2_band_edges(value: float, oxygen: bool, expected: int) -> None:
    result = score_news2(
        Intake(age=70, urgency="low", vitals=Vitals(spo2=value, spo2_scale=2, on_supplemental_oxygen=oxygen))
    )
    spo2 = next(s for s in result.subscores if s.parameter == "spo2")
    assert spo2.score == expected
    assert result.scale == 2


def test_scale_2_upper_rows_assume_oxygen_when_not_stated() -> None:
    result = score_news2(Intake(age=70, urgency="low", vitals=Vitals(spo2=97, spo2_scale=2)))
    assert result.subscores[0].score == 3


def test_scale_1_is_the_default_even_when_hypercapnia_is_plausible() -> None:
    assert score_news2(Intake(age=70, urgency="low", vitals=Vitals(spo2=90))).scale == 1


@pytest.mark.parametrize(("oxygen", "expected"), [(True, 2), (False, 0)])
def test_air_or_oxygen(oxygen: bool, expected: int) -> None:
    assert _subscore(on_supplemental_oxygen=oxygen) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(50, 3), (90, 3), (91, 2), (100, 2), (101, 1), (110, 1), (111, 0), (219, 0), (220, 3), (280, 3)],
)
def test_systolic_bp_band_edges(value: float, expected: int) -> None:
    assert _subscore(systolic_bp=value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(20, 3), (40, 3), (41, 1), (50, 1), (51, 0), (90, 0), (91, 1), (110, 1), (111, 2), (130, 2), (131, 3)],
)
def test_pulse_band_edges(value: float, expected: int) -> None:
    assert _subscore(heart_rate=value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("alert", 0), ("new_confusion", 3), ("voice", 3), ("pain", 3), ("unresponsive", 3)],
)
def test_consciousness_acvpu(value: str, expected: int) -> None:
    assert _subscore(consciousness=value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (30.0, 3),
        (35.0, 3),
        (35.1, 1),
        (36.0, 1),
        (36.1, 0),
        (38.0, 0),
        (38.1, 1),
        (39.0, 1),
        (39.1, 2),
        (42.0, 2),  # the high side tops out at 2
    ],
)
def test_temperature_band_edges(value: float, expected: int) -> None:
    assert _subscore(temperature_c=value) == expected


@pytest.mark.parametrize(
    ("vitals", "expected"),
    [
        ({"respiratory_rate": 8.5}, 3),  # exact half below normal → the lower (more abnormal) band
        ({"respiratory_rate": 8.6}, 1),
        ({"respiratory_rate": 11.5}, 1),
        ({"respiratory_rate": 11.4}, 1),
        ({"respiratory_rate": 20.4}, 0),
        ({"respiratory_rate": 20.5}, 2),  # exact half above normal → the higher band
        ({"respiratory_rate": 24.5}, 3),
        ({"temperature_c": 38.05}, 1),
        ({"temperature_c": 38.04}, 0),
        ({"temperature_c": 36.05}, 1),
        ({"temperature_c": 36.06}, 0),
        ({"temperature_c": 35.05}, 3),
        ({"temperature_c": 39.05}, 2),
        ({"spo2": 95.5}, 1),
        ({"spo2": 91.5}, 3),
        ({"systolic_bp": 110.5}, 1),
        ({"systolic_bp": 219.5}, 3),
        ({"heart_rate": 90.5}, 1),
        ({"heart_rate": 50.5}, 1),
        ({"heart_rate": 40.5}, 3),
    ],
)
def test_between_bands_rule(vitals: dict[str, float], expected: int) -> None:
    assert _subscore(**vitals) == expected


FULL_NORMAL = Vitals(
    respiratory_rate=16,
    spo2=98,
    on_supplemental_oxygen=False,
    systolic_bp=120,
    heart_rate=70,
    consciousness="alert",
    temperature_c=37.0,
)


def test_complete_normal_set_scores_zero_routine() -> None:
    result = score_news2(Intake(age=40, urgency="low", vitals=FULL_NORMAL))
    assert (result.score, result.band, result.complete, result.missing) == (0, "low", True, ())
    assert result.response is not None
    assert result.response.level == "routine"


def test_partial_vitals_score_what_is_present_and_name_the_missing() -> None:
    result = score_news2(Intake(age=40, urgency="low", vitals=Vitals(respiratory_rate=22, heart_rate=115)))
    assert result.score == 4
    assert result.complete is False
    assert result.missing == (
        "spo2",
        "on_supplemental_oxygen",
        "systolic_bp",
        "consciousness",
        "temperature_c",
    )


def test_no_vitals_no_score() -> None:
    result = score_news2(Intake(age=40, urgency="low"))
    assert (result.score, result.band, result.response, result.complete) == (None, None, None, False)
    assert len(result.missing) == 7


@pytest.mark.parametrize(
    ("vitals", "score", "band", "response"),
    [
        ({"heart_rate": 95}, 1, "low", "ward_based"),
        ({"respiratory_rate": 26}, 3, "low_medium", "urgent_ward_based"),
        ({"respiratory_rate": 26, "heart_rate": 95}, 4, "low_medium", "urgent_ward_based"),
        ({"respiratory_rate": 22, "heart_rate": 115}, 4, "low", "ward_based"),
        ({"respiratory_rate": 22, "heart_rate": 115, "temperature_c": 38.5}, 5, "medium", "urgent"),
        ({"respiratory_rate": 26, "heart_rate": 115}, 5, "medium", "urgent"),
        ({"respiratory_rate": 22, "heart_rate": 115, "systolic_bp": 95}, 6, "medium", "urgent"),
        ({"respiratory_rate": 26, "heart_rate": 115, "systolic_bp": 95}, 7, "high", "emergency"),
    ],
)
def test_chart_3_and_4(vitals: dict[str, float], score: int, band: str, response: str) -> None:
    result = score_news2(Intake(age=40, urgency="low", vitals=Vitals(**vitals)))  # type: ignore[arg-type]
    assert (result.score, result.band) == (score, band)
    assert result.response is not None
    assert result.response.level == response


def test_maximum_score_is_20() -> None:
    worst = Vitals(
        respiratory_rate=5,
        spo2=80,
        on_supplemental_oxygen=True,
        systolic_bp=70,
        heart_rate=150,
        consciousness="unresponsive",
        temperature_c=34.0,  # the low side reaches 3; the high side only 2
    )
    assert score_news2(Intake(age=40, urgency="low", vitals=worst)).score == 20


@pytest.mark.parametrize(
    ("age", "pregnant", "expected"),
    [(40, None, ()), (15, None, ("under_16",)), (16, False, ()), (30, True, ("pregnancy",))],
)
def test_not_validated_populations(age: int, pregnant: bool | None, expected: tuple[str, ...]) -> None:
    result = score_news2(Intake(age=age, urgency="low", vitals=FULL_NORMAL, pregnant=pregnant))
    assert result.not_validated == expected


def test_non_finite_values_count_as_missing() -> None:
    result = score_news2(Intake(age=40, urgency="low", vitals=Vitals(respiratory_rate=float("nan"))))
    assert result.score is None
    assert "respiratory_rate" in result.missing


def test_assess_reports_news2_in_the_outcome() -> None:
    outcome = assess(Intake(age=40, urgency="low", vitals=FULL_NORMAL)).to_dict()
    assert outcome["news2"]["score"] == 0
    assert set(outcome["news2"]) >= {"score", "band", "subscores", "complete", "missing", "response"}
