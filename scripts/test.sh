#!/usr/bin/env bash
# Lint, type-check, then the whole suite against a real throwaway PostgreSQL
# (embedded unless TEST_DATABASE_URL is set), fault-injection scenarios included.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/lint.sh
# The fault-injection scenarios (tests/faults) append their checker lines here; printed at the end.
export FAULTS_REPORT="${FAULTS_REPORT:-$(mktemp)}"
status=0
.venv/bin/python -m pytest "$@" || status=$?
if [ -s "$FAULTS_REPORT" ]; then
    echo "Fault-injection checker:"
    cat "$FAULTS_REPORT"
fi
exit $status
