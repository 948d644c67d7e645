"""How the agent's reported urgency combines with the computed acuity.

The agent's urgency is an input, never the answer: the acuity is computed from the findings alone, so it
can never become less urgent because the agent said "low" (nor more urgent because it said
"emergency" — over-triage floods emergency departments). When the two disagree by two or more ESI
levels the outcome is flagged for clinician review, which is how an agent's concern that the rules
did not capture reaches a person.

Urgency → ESI levels it agrees with: emergency ↔ 1, high ↔ 2, medium ↔ 3, low ↔ 4–5.
"""

from __future__ import annotations

from triage.models import Urgency

AGREEING_LEVELS: dict[str, tuple[int, ...]] = {
    "emergency": (1,),
    "high": (2,),
    "medium": (3,),
    "low": (4, 5),
}
REVIEW_DISTANCE = 2


def urgency_distance(urgency: Urgency | str, acuity: int) -> int:
    """ESI levels between the agent's urgency and the computed acuity (0 when they agree)."""
    levels = AGREEING_LEVELS.get(urgency, (3,))
    return min(abs(level - acuity) for level in levels)
