#!/usr/bin/env bash
# Known-vulnerability audit of the pinned set: every package of constraints.txt (every extra, direct and
# transitive, exact versions). Installs nothing. Accepted findings, each with its reason, are in
# scripts/audit-exceptions.txt. Part of `make lint`.
#
# pip-audit is the auditor: it looks each pin up in PyPI's per-release JSON. Some networks reach PyPI's
# per-project JSON but not the per-release one (every look-up answers 404, which pip-audit reports as "not
# found" and, left alone, as "No known vulnerabilities found"). The packages pip-audit could not look up are
# therefore looked up in the project JSON ($AUDIT_PYPI_URL/<name>/json, https://pypi.org/pypi by default).
# Its vulnerabilities are those of the project's latest release only: a pin equal to the latest release is
# audited from it; a pin behind it is reported as not audited, never as clean.
#
# Exit status: 1 on any vulnerability not in the exceptions file. When packages remain unaudited a loud
# banner says so (INCOMPLETE, or DID NOT RUN when none was audited), and the script fails only with
# AUDIT_REQUIRED=1. Why warn by default: this runs inside `make lint`, hence `make test` and CI; failing on
# a network outage would stop every build for a reason outside the code, while the banner keeps an outage
# from passing for a clean result. A pipeline that must not ship unaudited (a release job) sets
# AUDIT_REQUIRED=1.
set -euo pipefail
cd "$(dirname "$0")/.."

exceptions=scripts/audit-exceptions.txt
accepted=()
ignore=()
while read -r id package reason; do
    case "$id" in '' | '#'*) continue ;; esac
    if [ -z "$package" ] || [ -z "$reason" ]; then
        echo "$exceptions: '$id' needs a package and a reason (<id> <package> <reason>)." >&2
        exit 1
    fi
    accepted+=("$id")
    ignore+=(--ignore-vuln "$id")
done < "$exceptions"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# --no-deps --disable-pip: audit exactly the pins as written, without resolving or installing anything.
status=0
.venv/bin/pip-audit --requirement constraints.txt --no-deps --disable-pip --progress-spinner off \
    --format json --output "$work/report.json" "${ignore[@]}" 2> "$work/stderr" || status=$?

outcome=0
.venv/bin/python - "$work" "$status" "${AUDIT_PYPI_URL:-https://pypi.org/pypi}" "${accepted[@]}" <<'EOF' || outcome=$?
import json
import re
import sys
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from typing import Any

work, status, index, accepted = sys.argv[1], sys.argv[2], sys.argv[3].rstrip("/"), set(sys.argv[4:])


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def same_release(pin: str, latest: str) -> bool:
    try:
        from packaging.version import Version

        return Version(pin) == Version(latest)
    except (ImportError, ValueError):  # no packaging, or a version it cannot parse
        return pin == latest


def project(name: str) -> tuple[str, list[dict[str, Any]]] | str:
    """The project's latest release and its vulnerabilities, or why they could not be read."""
    try:
        with urllib.request.urlopen(f"{index}/{name}/json", timeout=20) as response:
            data = json.load(response)
        return data["info"]["version"], data.get("vulnerabilities") or []
    except Exception as error:  # whatever went wrong, the package is reported as not audited
        return f"PyPI's project data not read ({error})"


pins = {}
with open("constraints.txt") as constraints:
    for line in constraints:
        requirement = line.split("#", 1)[0].strip()
        if requirement:
            name, _, version = requirement.partition("==")
            pins[canonical(name)] = version.strip()

try:
    with open(f"{work}/report.json") as report:
        dependencies = json.load(report)["dependencies"]
except (OSError, ValueError, KeyError):  # pip-audit stopped before auditing (network error, bad input)
    with open(f"{work}/stderr") as stderr:
        sys.stderr.writelines(stderr.readlines()[-5:])
    print(f"pip-audit exited with status {status} and wrote no report (its last lines are above).", file=sys.stderr)
    dependencies = []

findings = []  # (name, version, id, aliases, fixed versions)
by_pip_audit = set()
skipped = [d for d in dependencies if "skip_reason" in d]
for dep in dependencies:
    if "skip_reason" not in dep and canonical(dep["name"]) in pins:
        by_pip_audit.add(canonical(dep["name"]))
    for vuln in dep.get("vulns", []):
        findings.append((dep["name"], dep["version"], vuln["id"], vuln.get("aliases", []), vuln["fix_versions"]))
if skipped:
    print(f"pip-audit could not look up {len(skipped)} packages (first reason: {skipped[0]['skip_reason']}).")

rest = [name for name in pins if name not in by_pip_audit]
with ThreadPoolExecutor(8) as pool:
    looked_up = dict(zip(rest, pool.map(project, rest)))
unaudited = {}
from_pypi = 0
for name, result in looked_up.items():
    if isinstance(result, str):
        unaudited[name] = result
        continue
    latest, vulns = result
    if not same_release(pins[name], latest):
        unaudited[name] = f"pin {pins[name]}, latest {latest}: PyPI's project data covers the latest release only"
        continue
    from_pypi += 1
    for vuln in vulns:
        aliases = vuln.get("aliases") or []
        if not vuln.get("withdrawn") and accepted.isdisjoint([vuln["id"], *aliases]):
            findings.append((name, pins[name], vuln["id"], aliases, vuln.get("fixed_in") or []))

for name, version, vuln_id, aliases, fixed in findings:
    also = f" ({', '.join(aliases)})" if aliases else ""
    print(f"VULNERABLE {name}=={version}: {vuln_id}{also}; fixed in: {', '.join(fixed) or 'no fixed release'}")
audited = len(by_pip_audit) + from_pypi
print(f"Vulnerability audit: {audited} of {len(pins)} pinned packages audited ({len(by_pip_audit)} by pip-audit,"
      f" {from_pypi} from PyPI's project data); vulnerabilities found: {len(findings)}"
      f" (ids accepted in scripts/audit-exceptions.txt: {len(accepted)}).")
if unaudited:
    print(f"Not audited ({len(unaudited)}):")
    for name, reason in unaudited.items():
        print(f"  {name}=={pins[name]}: {reason}")
sys.exit(10 if findings else 3 if not audited else 2 if unaudited else 0)
EOF

headline="VULNERABILITY AUDIT DID NOT RUN"
case "$outcome" in
    0) exit 0 ;;
    10) echo "Known vulnerabilities in constraints.txt: raise the pins, or explain each in $exceptions." >&2
        exit 1 ;;
    2) headline="VULNERABILITY AUDIT INCOMPLETE" ;;
    3) ;;
    *) echo "Reading the audit's results failed (above)." >&2
       exit 1 ;;
esac
{
    echo "################################################################################"
    echo "##  $headline: constraints.txt is NOT known to be free of"
    echo "##  known vulnerabilities. See the packages listed above."
    echo "################################################################################"
} >&2
if [ "${AUDIT_REQUIRED:-0}" = 1 ]; then
    exit 1
fi
