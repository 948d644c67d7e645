"""Danger-zone vitals (ESI decision point D) by age band, and qSOFA: every published edge."""

from __future__ import annotations

from typing import Any

import pytest

from triage import Intake, Vitals
from triage.danger_zone import age_band, danger_zone_breaches
from triage.qsofa import score_qsofa

# (age, age_months) → band label; the published bands overlap at their edges, see danger_zone.py.
AGE_BANDS = [
    ((0, 0), "< 3 months"),
    ((0, 2), "< 3 months"),
    ((0, 3), "3 months – < 3 years"),
    ((2, 11), "3 months – < 3 years"),
    ((3, 0), "3 – 8 years"),
    ((8, 11), "3 – 8 years"),
    ((9, 0), "> 8 years"),
    ((90, 0), "> 8 years"),
]


@pytest.mark.parametrize(("age", "label"), AGE_BANDS)
def test_age_band_edges(age: tuple[int, int], label: str) -> None:
    assert age_band(Intake(age=age[0], age_months=age[1], urgency="low")).label == label


# (age, months, heart-rate limit, respiratory-rate limit): danger if strictly above the limit.
LIMITS = [(0, 1, 180, 50), (1, 0, 160, 40), (5, 0, 140, 30), (30, 0, 100, 20)]


def _breached(age: int, months: int, vitals: Vitals) -> set[str]:
    _, breaches, _ = danger_zone_breaches(Intake(age=age, age_months=months, urgency="low", vitals=vitals))
    return {breach.parameter for breach in breaches}


@pytest.mark.parametrize(("age", "months", "hr", "rr"), LIMITS)
def test_heart_rate_edges_are_strict(age: int, months: int, hr: int, rr: int) -> None:
    assert "heart_rate" not in _breached(age, months, Vitals(heart_rate=hr))
    assert "heart_rate" in _breached(age, months, Vitals(heart_rate=hr + 1))
    assert "heart_rate" in _breached(age, months, Vitals(heart_rate=hr + 0.5))


@pytest.mark.parametrize(("age", "months", "hr", "rr"), LIMITS)
def test_respiratory_rate_edges_are_strict(age: int, months: int, hr: int, rr: int) -> None:
    assert "respiratory_rate" not in _breached(age, months, Vitals(respiratory_rate=rr))
    assert "respiratory_rate" in _breached(age, months, Vitals(respiratory_rate=rr + 1))
    assert "respiratory_rate" in _breached(age, months, Vitals(respiratory_rate=rr + 0.5))


@pytest.mark.parametrize(("age", "months"), [(0, 1), (1, 0), (5, 0), (30, 0)])
def test_spo2_edge_is_strict_below_92_at_every_age(age: int, months: int) -> None:
    assert "spo2" not in _breached(age, months, Vitals(spo2=92))
    assert "spo2" in _breached(age, months, Vitals(spo2=91.5))
    assert "spo2" in _breached(age, months, Vitals(spo2=91))


def test_missing_vitals_are_reported_not_assumed_normal() -> None:
    _, breaches, missing = danger_zone_breaches(Intake(age=40, urgency="low", vitals=Vitals(heart_rate=80)))
    assert breaches == ()
    assert missing == ("respiratory_rate", "spo2")


def _qsofa(age: int = 50, **vitals: object) -> tuple[int, bool, bool] | None:
    result = score_qsofa(Intake(age=age, urgency="low", vitals=Vitals(**vitals)))  # type: ignore[arg-type]
    return None if result is None else (result.score, result.positive, result.complete)


@pytest.mark.parametrize(
    ("vitals", "expected"),
    [
        ({"respiratory_rate": 21, "systolic_bp": 101, "consciousness": "alert"}, (0, False, True)),
        ({"respiratory_rate": 22, "systolic_bp": 101, "consciousness": "alert"}, (1, False, True)),
        ({"respiratory_rate": 21.9, "systolic_bp": 101, "consciousness": "alert"}, (0, False, True)),
        ({"respiratory_rate": 21, "systolic_bp": 100, "consciousness": "alert"}, (1, False, True)),
        ({"respiratory_rate": 21, "systolic_bp": 100.5, "consciousness": "alert"}, (0, False, True)),
        ({"respiratory_rate": 21, "systolic_bp": 101, "consciousness": "new_confusion"}, (1, False, True)),
        ({"respiratory_rate": 22, "systolic_bp": 100, "consciousness": "alert"}, (2, True, True)),
        ({"respiratory_rate": 22, "systolic_bp": 100, "consciousness": "voice"}, (3, True, True)),
        ({"respiratory_rate": 30, "consciousness": "pain"}, (2, True, False)),  # two met: positive already
    ],
)
def test_qsofa_edges(vitals: dict[str, Any], expected: tuple[int, bool, bool]) -> None:
    assert _qsofa(**vitals) == expected


def test_qsofa_not_reported_when_it_cannot_be_decided() -> None:
    assert _qsofa(respiratory_rate=25) is None
    assert _qsofa(respiratory_rate=25, systolic_bp=120) is None


def test_qsofa_is_an_adult_score() -> None:
    assert _qsofa(age=17, respiratory_rate=30, systolic_bp=90, consciousness="alert") is None
    assert _qsofa(age=18, respiratory_rate=30, systolic_bp=90, consciousness="alert") == (2, True, True)
