"""The rule set's identity, recorded with every outcome.

Bump ENGINE_VERSION on every change that can alter an outcome (a threshold, a phrase in the
catalogue, a mapping): stored outcomes must say which rules produced them.
"""

from typing import Final

ENGINE_NAME: Final = "triage-rules"
ENGINE_VERSION: Final = "1.24.12"
