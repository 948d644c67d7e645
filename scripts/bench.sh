#!/usr/bin/env bash
# `make bench`: the benchmark suite (bench/suite.py) in a throwaway PostgreSQL of its own. A benchmark, not a
# test: it reports, it fails nothing. Extra arguments go to bench.suite (e.g. --quick, --help).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh

# The baselines' own stack (SQLAlchemy, psycopg2), the chart and the profiler: the `bench` extra.
stamp=.venv/.installed-bench
fingerprint=$(cat pyproject.toml constraints.txt | sha256sum | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$fingerprint" ]; then
    if ! .venv/bin/python -m pip install -c constraints.txt -e '.[dev,bench]' > .venv/install-bench.log 2>&1; then
        cat .venv/install-bench.log >&2
        exit 1
    fi
    echo "$fingerprint" > "$stamp"
fi

# The load generator: Debian's wrk, installed when missing where apt-get exists and this runs as root.
if ! command -v wrk >/dev/null 2>&1; then
    if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
        echo "Installing Debian's wrk (log: .venv/wrk-install.log)..." >&2
        { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk; } > .venv/wrk-install.log 2>&1
    else
        echo "make bench needs wrk (Debian: apt-get install wrk)." >&2
        exit 1
    fi
fi
exec .venv/bin/python -m bench.suite "$@"
