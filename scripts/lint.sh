#!/usr/bin/env bash
# Static checks: ruff (lint + format) and mypy --strict.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/mypy
