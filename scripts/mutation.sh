#!/usr/bin/env bash
# `make mutation`: mutation testing (mutmut) of store/, tasks/ and api/auth.py against the unit, triage and
# integration tests; configuration in pyproject.toml ([tool.mutmut]), how to read it in docs/testing.md.
# Results stay in mutants/ (git-ignored): `mutmut results`, `mutmut show <name>`, `mutmut browse`.
# Arguments go to `mutmut run`, e.g. mutant names to re-test; MUTATION_CHILDREN sets its parallelism.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh

# mutmut itself: the `mutation` extra.
stamp=.venv/.installed-mutation
fingerprint=$(cat pyproject.toml constraints.txt | sha256sum | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$fingerprint" ]; then
    if ! .venv/bin/python -m pip install -c constraints.txt -e '.[dev,mutation]' > .venv/install-mutation.log 2>&1; then
        cat .venv/install-mutation.log >&2
        exit 1
    fi
    echo "$fingerprint" > "$stamp"
fi

# One PostgreSQL for the whole run. Each mutant is tested in a pytest session of its own, which would
# otherwise start (initdb) an embedded server of its own; sessions share this one, each with its own databases.
if [ -z "${TEST_DATABASE_URL:-}" ]; then
    pg_dir=$(mktemp -d -t triage-mutation-pg-XXXXXX)
    .venv/bin/python - "$pg_dir" <<'EOF' &
import signal
import sys
from pathlib import Path

from runtime.embedded_pg import database_url, start_embedded_postgres

folder = Path(sys.argv[1])
server = start_embedded_postgres(folder / "data", delete_on_exit=True)
signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # exit normally: the server is stopped and deleted
(folder / "url").write_text(database_url(server, "postgres"))
signal.pause()
EOF
    pg_holder=$!
    trap 'kill "$pg_holder" 2>/dev/null; wait "$pg_holder" 2>/dev/null; rm -rf "$pg_dir"' EXIT
    for _ in $(seq 600); do
        [ -s "$pg_dir/url" ] && break
        kill -0 "$pg_holder" 2>/dev/null || { echo "The embedded PostgreSQL did not start." >&2; exit 1; }
        sleep 0.1
    done
    [ -s "$pg_dir/url" ] || { echo "The embedded PostgreSQL did not start within a minute." >&2; exit 1; }
    TEST_DATABASE_URL=$(cat "$pg_dir/url")
    export TEST_DATABASE_URL
fi

# The type-check filter runs `python -m mypy` from mutants/: this virtualenv's.
export PATH="$PWD/.venv/bin:$PATH"
# Two children by default: each runs a pytest session with its own databases.
.venv/bin/mutmut run --max-children "${MUTATION_CHILDREN:-2}" "$@"
.venv/bin/mutmut export-cicd-stats
cat mutants/mutmut-cicd-stats.json
