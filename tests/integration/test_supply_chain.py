"""Supply chain: the pinned set, its vulnerability audit (scripts/audit.sh) and the SBOM (scripts/sbom.sh).

The audit's verdicts are checked offline, with a stand-in for pip-audit that writes a given report; the SBOM
test builds the real one (about a minute the first time: it installs the runtime set into .data/sbom-venv).
"""

from __future__ import annotations

import importlib.metadata
import json
import os
import re
import shlex
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
from cyclonedx.schema import SchemaVersion
from cyclonedx.validation.json import JsonStrictValidator
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
CONSTRAINTS = ROOT / "constraints.txt"
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())


def pins() -> dict[str, str]:
    found: dict[str, str] = {}
    for line in CONSTRAINTS.read_text().splitlines():
        requirement = line.split("#", 1)[0].strip()
        if requirement:
            name, _, version = requirement.partition("==")
            found[canonicalize_name(name)] = version
    return found


def commands(script: Path) -> list[list[str]]:
    """The script's command lines split like the shell: comments and here-documents dropped, continuations joined."""
    found = []
    heredoc_end = None
    for line in re.sub(r"\\\n", " ", script.read_text()).splitlines():
        if heredoc_end is not None:
            heredoc_end = None if line.strip() == heredoc_end else heredoc_end
            continue
        heredoc = re.search(r"<<-?\s*'?(\w+)'?", line)
        if heredoc:
            heredoc_end = heredoc.group(1)
            line = line[: heredoc.start()]
        words = shlex.split(line, comments=True)
        if words:
            found.append(words)
    return found


def test_every_constraint_is_one_exact_pin() -> None:
    seen: set[str] = set()
    for line in CONSTRAINTS.read_text().splitlines():
        requirement = line.split("#", 1)[0].strip()
        if not requirement:
            continue
        assert re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*==[A-Za-z0-9.+!-]+", requirement), requirement
        name = canonicalize_name(requirement.partition("==")[0])
        assert name not in seen, f"{name} is pinned twice"
        seen.add(name)


def test_the_virtualenv_holds_only_pinned_versions() -> None:
    # Everything but the installer (scripts/bootstrap.sh upgrades pip) and this repository's own distributions
    # (installed editable): the project and its typed client (client/).
    client = tomllib.loads((ROOT / "client" / "pyproject.toml").read_text())["project"]["name"]
    unpinned = {"pip", canonicalize_name(PYPROJECT["project"]["name"]), canonicalize_name(client)}
    expected = pins()
    drift: dict[str, tuple[str, str | None]] = {}
    for dist in importlib.metadata.distributions():
        name = canonicalize_name(dist.metadata["Name"])
        if name not in unpinned and expected.get(name) != dist.version:
            drift[name] = (dist.version, expected.get(name))
    assert drift == {}, "installed version, then the pin in constraints.txt"


def test_lint_audits_the_pinned_set() -> None:
    assert ["bash", "scripts/audit.sh"] in commands(ROOT / "scripts" / "lint.sh")
    audits = [c for c in commands(ROOT / "scripts" / "audit.sh") if c and c[0] == ".venv/bin/pip-audit"]
    assert len(audits) == 1
    assert {"--requirement", "constraints.txt", "--no-deps", "--disable-pip"} <= set(audits[0])
    assert audits[0][audits[0].index("--requirement") + 1] == "constraints.txt"


def test_every_accepted_vulnerability_has_a_package_and_a_reason() -> None:
    for line in (ROOT / "scripts" / "audit-exceptions.txt").read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            assert len(line.split(None, 2)) == 3, line


def run_audit(tmp_path: Path, report: dict[str, Any] | None, exceptions: str = "", **env: str) -> tuple[int, str]:
    """scripts/audit.sh in a copy of the project whose pip-audit writes `report` (None: writes nothing)."""
    (tmp_path / "scripts").mkdir()
    (tmp_path / "scripts" / "audit.sh").write_text((ROOT / "scripts" / "audit.sh").read_text())
    (tmp_path / "scripts" / "audit-exceptions.txt").write_text(exceptions)
    (tmp_path / "constraints.txt").write_text(CONSTRAINTS.read_text())
    bin_dir = tmp_path / ".venv" / "bin"
    bin_dir.mkdir(parents=True)
    (bin_dir / "python").symlink_to(sys.executable)
    report_file = tmp_path / "report.json"
    if report is not None:
        report_file.write_text(json.dumps(report))
    fake = bin_dir / "pip-audit"
    fake.write_text(
        "#!/usr/bin/env bash\n"
        f'echo "$@" > {tmp_path}/arguments\n'
        'while [ $# -gt 0 ]; do if [ "$1" = --output ]; then '
        f'cp {report_file} "$2" 2>/dev/null || echo "Connection refused" >&2; fi; shift; done\n'
        "exit 1\n"
    )
    fake.chmod(0o755)
    result = subprocess.run(
        ["bash", "scripts/audit.sh"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**os.environ, "AUDIT_REQUIRED": "0", **env},
        timeout=60,
    )
    return result.returncode, result.stdout + result.stderr


VULNERABLE = {
    "dependencies": [
        {"name": "fastapi", "version": "0.165.0", "vulns": []},
        {
            "name": "jinja2",
            "version": "3.1.6",
            "vulns": [{"id": "PYSEC-0000-1", "fix_versions": ["3.1.7"], "aliases": ["CVE-0000-1"]}],
        },
    ]
}
UNREACHED = {
    "dependencies": [
        {"name": "fastapi", "skip_reason": "Dependency not found on PyPI and could not be audited: fastapi (0.165.0)"}
    ]
}


def test_a_vulnerability_fails_the_audit_and_names_its_fix(tmp_path: Path) -> None:
    status, output = run_audit(tmp_path, VULNERABLE)
    assert status == 1
    assert "VULNERABLE jinja2==3.1.6: PYSEC-0000-1 (CVE-0000-1); fixed in: 3.1.7" in output


def test_accepted_vulnerabilities_are_passed_to_pip_audit(tmp_path: Path) -> None:
    exceptions = "# comment\nPYSEC-0000-1 jinja2 only project-owned templates are rendered\n"
    status, _ = run_audit(tmp_path, {"dependencies": [VULNERABLE["dependencies"][0]]}, exceptions)
    assert status == 0
    assert "--ignore-vuln PYSEC-0000-1" in (tmp_path / "arguments").read_text()


def test_an_exception_without_a_reason_is_refused(tmp_path: Path) -> None:
    status, output = run_audit(tmp_path, {"dependencies": []}, "PYSEC-0000-1 jinja2\n")
    assert status == 1
    assert "needs a package and a reason" in output


@pytest.mark.parametrize("report", [UNREACHED, None], ids=["packages-not-looked-up", "no-report"])
def test_an_audit_that_did_not_run_never_passes_for_clean(tmp_path: Path, report: dict[str, Any] | None) -> None:
    status, output = run_audit(tmp_path, report)
    assert status == 0
    assert "VULNERABILITY AUDIT DID NOT RUN" in output
    assert "No known vulnerabilities" not in output


def test_an_audit_that_did_not_run_fails_when_required(tmp_path: Path) -> None:
    status, output = run_audit(tmp_path, UNREACHED, AUDIT_REQUIRED="1")
    assert status == 1
    assert "VULNERABILITY AUDIT DID NOT RUN" in output


def test_the_sbom_lists_the_runtime_set_at_its_pins(tmp_path: Path) -> None:
    out = tmp_path / "sbom.cdx.json"
    result = subprocess.run(
        ["bash", "scripts/sbom.sh", str(out)], cwd=ROOT, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stdout + result.stderr
    text = out.read_text()
    assert JsonStrictValidator(SchemaVersion.V1_6).validate_str(text) is None
    bom = json.loads(text)
    assert (bom["bomFormat"], bom["specVersion"]) == ("CycloneDX", "1.6")
    root = bom["metadata"]["component"]
    assert (root["name"], root["version"]) == ("triage-backbone", PYPROJECT["project"]["version"])
    components: dict[str, Any] = {canonicalize_name(c["name"]): c for c in bom["components"]}
    expected = pins()
    for name in ("fastapi", "procrastinate", "psycopg", "psycopg-binary", "psycopg-pool", "uvicorn", "jinja2"):
        assert components[name]["version"] == expected[name], name
        assert components[name]["purl"] == f"pkg:pypi/{name}@{expected[name]}"
    assert components["fastapi"]["licenses"], "licences come from the packages' metadata"
    tools = {"pytest", "mypy", "ruff", "hypothesis", "pgserver", "pip-audit", "cyclonedx-bom", "pip", "setuptools"}
    assert tools.isdisjoint(components)
    assert "triage-backbone" not in components
