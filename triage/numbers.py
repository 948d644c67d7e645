"""Numeric helpers shared by the scores: robust reading of measurements, chart rounding."""

from __future__ import annotations

import math
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal


def finite(value: float | None) -> float | None:
    """A measurement the rules can use, or None: NaN and infinities count as not measured."""
    if value is None or isinstance(value, bool):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def round_to_chart(value: float, step: Decimal, towards_lower: bool) -> Decimal:
    """Round `value` to the chart's precision; an exact half goes the way `towards_lower` says.

    Charts print whole numbers (or tenths for temperature), so a value between two printed bands
    is first rounded to that precision; the caller passes the direction of the more abnormal band
    so that a tie never lands in the less urgent band. Decimal(repr()) avoids binary artefacts
    (38.05 is 38.04999… as a float).
    """
    exact = Decimal(repr(value)) / step
    if towards_lower:
        whole = (exact - Decimal("0.5")).to_integral_value(rounding=ROUND_CEILING)
    else:
        whole = (exact + Decimal("0.5")).to_integral_value(rounding=ROUND_FLOOR)
    return whole * step


def show(value: float | Decimal) -> str:
    """A number as a person would write it: 20 rather than 20.0, 38.05 as given."""
    number = float(value)
    return str(int(number)) if number.is_integer() else repr(number)
