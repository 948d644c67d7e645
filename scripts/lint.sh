#!/usr/bin/env bash
# Static checks: ruff (lint + format), mypy --strict, and the known-vulnerability audit of the pinned set
# (scripts/audit.sh: pip-audit on constraints.txt, PyPI's project data where pip-audit could not look up).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/mypy
bash scripts/audit.sh
