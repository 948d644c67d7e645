"""ESI v4 decision point D: danger-zone vital signs by age band (AHRQ ESI Implementation Handbook 2012).

All comparisons are strict, as published: HR >, RR >, SpO2 <.
The published bands overlap at their edges ("3 m–3 y", "3–8 y"), so: age is taken in completed
months below 3 months, and in completed years above — < 3 months; 3 months ≤ age < 3 years;
3 ≤ age ≤ 8 years (up to the 9th birthday, as "8 years old" is said); > 8 years = 9 and older.
"""

from __future__ import annotations

from dataclasses import dataclass

from triage.models import DangerZoneBreach, Intake
from triage.numbers import finite, show

SPO2_DANGER_BELOW = 92.0


@dataclass(frozen=True, slots=True)
class AgeBand:
    label: str
    heart_rate_above: float
    respiratory_rate_above: float


UNDER_3_MONTHS = AgeBand("< 3 months", 180, 50)
MONTHS_3_TO_3_YEARS = AgeBand("3 months – < 3 years", 160, 40)
YEARS_3_TO_8 = AgeBand("3 – 8 years", 140, 30)
OVER_8_YEARS = AgeBand("> 8 years", 100, 20)


def age_band(intake: Intake) -> AgeBand:
    if intake.age <= 0 and intake.age_months < 3:
        return UNDER_3_MONTHS
    if intake.age < 3:
        return MONTHS_3_TO_3_YEARS
    if intake.age <= 8:
        return YEARS_3_TO_8
    return OVER_8_YEARS


def danger_zone_breaches(intake: Intake) -> tuple[AgeBand, tuple[DangerZoneBreach, ...], tuple[str, ...]]:
    """The band used, each vital in the danger zone, and the vitals that could not be checked."""
    band = age_band(intake)
    vitals = intake.vitals
    breaches: list[DangerZoneBreach] = []
    missing: list[str] = []
    heart_rate = finite(vitals.heart_rate)
    respiratory_rate = finite(vitals.respiratory_rate)
    spo2 = finite(vitals.spo2)
    if heart_rate is None:
        missing.append("heart_rate")
    elif heart_rate > band.heart_rate_above:
        breaches.append(DangerZoneBreach("heart_rate", heart_rate, f"> {show(band.heart_rate_above)}"))
    if respiratory_rate is None:
        missing.append("respiratory_rate")
    elif respiratory_rate > band.respiratory_rate_above:
        breaches.append(
            DangerZoneBreach("respiratory_rate", respiratory_rate, f"> {show(band.respiratory_rate_above)}")
        )
    if spo2 is None:
        missing.append("spo2")
    elif spo2 < SPO2_DANGER_BELOW:
        breaches.append(DangerZoneBreach("spo2", spo2, f"< {show(SPO2_DANGER_BELOW)}"))
    return band, tuple(breaches), tuple(missing)
