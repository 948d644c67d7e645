"""Translate a stored intake payload (the API's validated JSON) into the engine's input type."""

from __future__ import annotations

from typing import Any

import triage as engine


def intake_for_engine(payload: dict[str, Any]) -> engine.Intake:
    vitals = payload.get("vitals") or {}
    return engine.Intake(
        age=payload["age"],
        age_months=payload.get("age_months") or 0,
        sex=payload.get("sex", "unknown"),
        urgency=payload["urgency"],
        symptoms=tuple(payload.get("symptoms") or ()),
        vitals=engine.Vitals(**vitals),
        notes=payload.get("notes"),
        pregnant=payload.get("pregnant"),
        findings=tuple(payload.get("findings") or ()),
        complaints=tuple(payload.get("complaints") or ()),
    )
