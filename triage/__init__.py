"""Clinical triage engine: NEWS2, ESI v4, qSOFA and red flags, explainable and versioned.

Pure: plain data in (`Intake`), plain data out (`Assessment`); imports only the standard library.
"""

from triage.engine import assess
from triage.models import Assessment, EngineInfo, Intake, Vitals
from triage.version import ENGINE_NAME, ENGINE_VERSION

__all__ = ["ENGINE_NAME", "ENGINE_VERSION", "Assessment", "EngineInfo", "Intake", "Vitals", "assess"]
