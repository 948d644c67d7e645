#!/usr/bin/env bash
# Lint, type-check, then the whole suite against a real throwaway PostgreSQL
# (embedded unless TEST_DATABASE_URL is set).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/lint.sh
exec .venv/bin/python -m pytest "$@"
