#!/usr/bin/env bash
# CycloneDX SBOM (JSON, spec 1.6) of what the deployed service runs: [project].dependencies and their
# transitive dependencies at the versions in constraints.txt, without the dev, bench or mutation tools; the
# root component is triage-backbone at pyproject.toml's version. Written to dist/sbom.cdx.json, or to the
# path given as the first argument, and only once it validates against the CycloneDX schema.
# The runtime set is installed the way the Dockerfile installs it, into a throwaway virtualenv
# (.data/sbom-venv) that is reused while pyproject.toml, constraints.txt and the Python version are unchanged.
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-dist/sbom.cdx.json}"

bash scripts/bootstrap.sh  # cyclonedx-py and the validator come with the dev extra in .venv

venv=.data/sbom-venv
stamp="$venv/.installed"
fingerprint=$({ cat pyproject.toml constraints.txt; .venv/bin/python --version; } | sha256sum | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$fingerprint" ]; then
    rm -rf "$venv"
    # Without pip (and so setuptools): the service does not run them, so they must not show up as components.
    .venv/bin/python -m venv --without-pip "$venv"
    .venv/bin/python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" \
        > "$venv/requirements.txt"
    # The project itself is not installed: it is the root component, described from pyproject.toml.
    if ! .venv/bin/python -m pip --python "$venv/bin/python" install --no-input -c constraints.txt \
            -r "$venv/requirements.txt" > "$venv/install.log" 2>&1; then
        cat "$venv/install.log" >&2
        echo "Installing the runtime set failed; the log above is also in $venv/install.log." >&2
        exit 1
    fi
    echo "$fingerprint" > "$stamp"
fi

mkdir -p "$(dirname "$out")"
tmp="$out.tmp"
trap 'rm -f "$tmp"' EXIT
# Validated below, once, on the file as written (the schema's URL checks take most of the time).
.venv/bin/cyclonedx-py environment "$venv/bin/python" --pyproject pyproject.toml --mc-type application \
    --spec-version 1.6 --output-format JSON --no-validate --output-file "$tmp" 2> "$venv/cyclonedx.log" \
    || { cat "$venv/cyclonedx.log" >&2; exit 1; }

# Schema validation, then the checks the schema cannot make: the root component, and every component
# pinned in constraints.txt at that version with a PyPI package URL (a package missing from constraints.txt
# would have been installed at whatever version the index offered).
.venv/bin/python - "$tmp" "$venv/bin/python" <<'EOF'
import json
import subprocess
import sys
import tomllib

from cyclonedx.schema import SchemaVersion
from cyclonedx.validation.json import JsonStrictValidator
from packaging.utils import canonicalize_name

path, venv_python = sys.argv[1], sys.argv[2]
text = open(path).read()
error = JsonStrictValidator(SchemaVersion.V1_6).validate_str(text)
if error is not None:
    detail = error.data  # jsonschema's error: its own str() quotes the whole schema
    sys.exit(f"The SBOM is not valid CycloneDX 1.6: {detail.message} at {detail.json_path}")
bom = json.loads(text)
project = tomllib.load(open("pyproject.toml", "rb"))["project"]
root = bom["metadata"]["component"]
if (root["name"], root["version"]) != (project["name"], project["version"]):
    sys.exit(f"The SBOM's root component is {root['name']} {root['version']}, not the project.")
pins = {}
for line in open("constraints.txt"):
    requirement = line.split("#", 1)[0].strip()
    if requirement:
        name, _, version = requirement.partition("==")
        pins[canonicalize_name(name)] = version
# -I: not the working directory, whose triage_backbone.egg-info would pass for an installed project.
listing = "import importlib.metadata as m; print(*(d.metadata['Name'] for d in m.distributions()))"
installed = subprocess.run([venv_python, "-I", "-c", listing], check=True, capture_output=True, text=True).stdout.split()
problems = []
components = {canonicalize_name(c["name"]): c for c in bom.get("components", [])}
for name in sorted({canonicalize_name(n) for n in installed} - components.keys()):
    problems.append(f"{name}: installed for the service but not in the SBOM")
for name, component in sorted(components.items()):
    if name not in pins:
        problems.append(f"{name}: in the runtime set but not pinned in constraints.txt")
    elif component.get("version") != pins[name]:
        problems.append(f"{name}: {component.get('version')} in the SBOM, {pins[name]} in constraints.txt")
    if component.get("purl") != f"pkg:pypi/{name}@{component.get('version')}":
        problems.append(f"{name}: unexpected package URL {component.get('purl')}")
if problems:
    sys.exit("The SBOM does not match constraints.txt:\n  " + "\n  ".join(problems))
print(f"{len(components)} components of {project['name']} {project['version']}, valid CycloneDX 1.6")
EOF
mv "$tmp" "$out"
echo "SBOM: $out"
