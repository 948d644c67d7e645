#!/usr/bin/env bash
# Create .venv and install the project with its development tools, and the typed client (client/, its own
# distribution), all pinned by constraints.txt.
# Re-running is cheap: it reinstalls only when pyproject.toml or constraints.txt changed.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-python3}"
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
    echo "Python 3.11+ is required (found: $("$PYTHON" --version 2>&1))." >&2
    exit 1
fi
if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -m venv .venv
fi
stamp=.venv/.installed
fingerprint=$(cat pyproject.toml client/pyproject.toml constraints.txt | sha256sum | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$fingerprint" ]; then
    # Output goes to a log, shown only when the install fails.
    if ! { .venv/bin/python -m pip install --upgrade pip \
           && .venv/bin/python -m pip install -c constraints.txt -e '.[dev]' -e ./client; } > .venv/install.log 2>&1; then
        cat .venv/install.log >&2
        echo "Installing the project failed; the log above is also in .venv/install.log." >&2
        exit 1
    fi
    echo "$fingerprint" > "$stamp"
fi

# The dashboard's browser tests (tests/browser) drive Debian's chromium through Playwright, which cannot
# download a browser of its own here. Installed when missing, where apt-get exists and this runs as root;
# never fatal: without a browser those tests are skipped and say what is missing.
if [ -z "${TRIAGE_CHROMIUM:-}" ] && ! command -v chromium >/dev/null 2>&1 \
        && command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    echo "Installing Debian's chromium for the browser tests (log: .venv/chromium-install.log)..." >&2
    if ! { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium; } \
            > .venv/chromium-install.log 2>&1; then
        echo "Could not install chromium (see .venv/chromium-install.log): the browser tests will be skipped." >&2
    fi
fi

# promtool, for the tests of deploy/prometheus/ (alert rules and their unit tests): copied out of Debian's
# prometheus package into .venv/bin by scripts/install-promtool.sh (no service installed). Tried once per
# virtualenv; never fatal: without it those tests are skipped. `rm .venv/.promtool-tried` to try again.
if [ ! -x .venv/bin/promtool ] && [ ! -f .venv/.promtool-tried ] && ! command -v promtool >/dev/null 2>&1; then
    touch .venv/.promtool-tried
    bash scripts/install-promtool.sh > .venv/promtool-install.log 2>&1 \
        || echo "promtool not installed (see .venv/promtool-install.log): the rule checks will be skipped." >&2
fi
