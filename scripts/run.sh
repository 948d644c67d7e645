#!/usr/bin/env bash
# The whole local stack: embedded PostgreSQL (unless DATABASE_URL is set), migrations, API on :8000,
# two worker processes. Ctrl-C stops everything.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
exec .venv/bin/triage dev "$@"
