#!/usr/bin/env bash
# Put promtool (Prometheus' rule and metrics checker) in .venv/bin, for the tests of deploy/prometheus/.
# It is taken from Debian's `prometheus` package without installing that package: no service is set up or
# started, nothing outside .venv/ is written (apt's package lists aside, refreshed only when root and only
# if the package cannot be found). Best effort: the tests that need promtool skip without it.
set -euo pipefail
cd "$(dirname "$0")/.."

target=.venv/bin/promtool
command -v apt-get >/dev/null && command -v dpkg-deb >/dev/null || { echo "no apt-get/dpkg-deb: promtool not installed" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
download() { (cd "$work" && apt-get download prometheus >/dev/null 2>&1); }
if ! download; then
    [ "$(id -u)" -eq 0 ] || { echo "the prometheus package is not in apt's lists (run apt-get update as root)" >&2; exit 1; }
    apt-get update -qq >/dev/null 2>&1 || true
    download || { echo "could not download Debian's prometheus package" >&2; exit 1; }
fi
dpkg-deb -x "$work"/prometheus_*.deb "$work/root"
install -m 0755 "$work/root/usr/bin/promtool" "$target"
"$target" --version | head -1
