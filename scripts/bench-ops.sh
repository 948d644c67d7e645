#!/usr/bin/env bash
# `make bench-ops`: the ops routes and the audit listing against a production-sized history, in a throwaway
# PostgreSQL of its own (deleted at the end). A benchmark, not a test: it reports, it fails nothing.
# Extra arguments go to bench.ops_scale (e.g. --small for a quick dry run, --help for the rest).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
exec .venv/bin/python -m bench.ops_scale "$@"
