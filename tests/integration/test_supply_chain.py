"""Supply chain: the pinned set, its vulnerability audit (scripts/audit.sh) and the SBOM (scripts/sbom.sh).

The audit's verdicts are checked offline, with a stand-in for pip-audit that writes a given report and a local
stand-in for PyPI's per-project JSON; the SBOM test builds the real one (about a minute the first time: it
installs the runtime set into .data/sbom-venv).
"""

from __future__ import annotations

import importlib.metadata
import json
import os
import re
import shlex
import socket
import subprocess
import sys
import threading
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
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


@dataclass
class FakePyPI:
    """PyPI's per-project JSON (`/pypi/<name>/json`) for the projects in `projects`; 404 for any other path."""

    url: str = ""
    projects: dict[str, dict[str, Any]] = field(default_factory=dict)
    requested: list[str] = field(default_factory=list)

    def release(self, name: str, latest: str, vulnerabilities: list[dict[str, Any]] | None = None) -> None:
        self.projects[name] = {"info": {"name": name, "version": latest}, "vulnerabilities": vulnerabilities or []}

    def every_pin_latest(self) -> None:
        for name, version in pins().items():
            self.release(name, version)


@pytest.fixture
def pypi() -> Iterator[FakePyPI]:
    fake = FakePyPI()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            fake.requested.append(self.path)
            match = re.fullmatch(r"/pypi/([^/]+)/json", self.path)
            project = fake.projects.get(match.group(1)) if match else None
            body = json.dumps(project).encode()
            self.send_response(200 if project else 404)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:  # keep the test output quiet
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    fake.url = f"http://127.0.0.1:{server.server_address[1]}/pypi"
    yield fake
    server.shutdown()
    server.server_close()
    thread.join()


def run_audit(
    tmp_path: Path, pypi: FakePyPI, report: dict[str, Any] | None, exceptions: str = "", **env: str
) -> tuple[int, str]:
    """scripts/audit.sh in a copy of the project whose pip-audit writes `report` (None: writes nothing) and whose
    PyPI is `pypi`."""
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
        env={**os.environ, "AUDIT_REQUIRED": "0", "AUDIT_PYPI_URL": pypi.url, "no_proxy": "127.0.0.1", **env},
        timeout=60,
    )
    return result.returncode, result.stdout + result.stderr


def pip_audit_report(vulns: dict[str, list[dict[str, Any]]] | None = None, skip: bool = False) -> dict[str, Any]:
    """pip-audit's report on every pin: each audited with `vulns` (by name), or each skipped as not found."""
    if skip:
        reason = "Dependency not found on PyPI and could not be audited: {} ({})"
        return {"dependencies": [{"name": n, "skip_reason": reason.format(n, v)} for n, v in pins().items()]}
    return {"dependencies": [{"name": n, "version": v, "vulns": (vulns or {}).get(n, [])} for n, v in pins().items()]}


JINJA2 = pins()["jinja2"]
PIP_AUDIT_VULN = {"id": "PYSEC-0000-1", "fix_versions": ["9.9.9"], "aliases": ["CVE-0000-1"]}
PYPI_VULN = {
    "id": "GHSA-0000-0000-0001",
    "aliases": ["CVE-0000-2", "PYSEC-0000-2"],
    "fixed_in": ["9.9.9"],
    "withdrawn": None,
    "summary": "Sandbox escape",
    "details": "...",
    "link": "https://osv.dev/vulnerability/GHSA-0000-0000-0001",
    "source": "osv",
}


def test_a_vulnerability_fails_the_audit_and_names_its_fix(tmp_path: Path, pypi: FakePyPI) -> None:
    status, output = run_audit(tmp_path, pypi, pip_audit_report({"jinja2": [PIP_AUDIT_VULN]}))
    assert status == 1
    assert f"VULNERABLE jinja2=={JINJA2}: PYSEC-0000-1 (CVE-0000-1); fixed in: 9.9.9" in output


def test_accepted_vulnerabilities_are_passed_to_pip_audit(tmp_path: Path, pypi: FakePyPI) -> None:
    exceptions = "# comment\nPYSEC-0000-1 jinja2 only project-owned templates are rendered\n"
    status, output = run_audit(tmp_path, pypi, pip_audit_report(), exceptions)
    assert status == 0
    assert "--ignore-vuln PYSEC-0000-1" in (tmp_path / "arguments").read_text()
    n = len(pins())
    assert f"{n} of {n} pinned packages audited ({n} by pip-audit, 0 from PyPI's project data)" in output
    assert "VULNERABILITY AUDIT" not in output


def test_an_exception_without_a_reason_is_refused(tmp_path: Path, pypi: FakePyPI) -> None:
    status, output = run_audit(tmp_path, pypi, {"dependencies": []}, "PYSEC-0000-1 jinja2\n")
    assert status == 1
    assert "needs a package and a reason" in output


@pytest.mark.parametrize("report", [pip_audit_report(skip=True), None], ids=["packages-not-looked-up", "no-report"])
@pytest.mark.parametrize("pypi_fails", ["not-found", "unreachable"])
def test_an_audit_that_did_not_run_never_passes_for_clean(
    tmp_path: Path, pypi: FakePyPI, report: dict[str, Any] | None, pypi_fails: str
) -> None:
    with socket.socket() as closed:  # bound, never listening: connections to it are refused
        closed.bind(("127.0.0.1", 0))
        if pypi_fails == "unreachable":
            pypi.url = f"http://127.0.0.1:{closed.getsockname()[1]}/pypi"
        status, output = run_audit(tmp_path, pypi, report)
    assert status == 0
    assert "VULNERABILITY AUDIT DID NOT RUN" in output
    assert "No known vulnerabilities" not in output
    assert f"0 of {len(pins())} pinned packages audited" in output
    assert f"  jinja2=={JINJA2}: PyPI's project data not read (" in output


def test_an_audit_that_did_not_run_fails_when_required(tmp_path: Path, pypi: FakePyPI) -> None:
    status, output = run_audit(tmp_path, pypi, pip_audit_report(skip=True), AUDIT_REQUIRED="1")
    assert status == 1
    assert "VULNERABILITY AUDIT DID NOT RUN" in output


@pytest.mark.parametrize("report", [pip_audit_report(skip=True), None], ids=["packages-not-looked-up", "no-report"])
def test_pins_at_the_latest_release_are_audited_from_the_project_data(
    tmp_path: Path, pypi: FakePyPI, report: dict[str, Any] | None
) -> None:
    pypi.every_pin_latest()
    status, output = run_audit(tmp_path, pypi, report)
    assert status == 0, output
    n = len(pins())
    assert f"{n} of {n} pinned packages audited (0 by pip-audit, {n} from PyPI's project data)" in output
    assert "VULNERABILITY AUDIT" not in output


def test_a_vulnerability_of_the_latest_release_fails_the_audit(tmp_path: Path, pypi: FakePyPI) -> None:
    pypi.every_pin_latest()
    pypi.release("jinja2", JINJA2, [PYPI_VULN])
    status, output = run_audit(tmp_path, pypi, pip_audit_report(skip=True))
    assert status == 1
    assert f"VULNERABLE jinja2=={JINJA2}: GHSA-0000-0000-0001 (CVE-0000-2, PYSEC-0000-2); fixed in: 9.9.9" in output
    assert "vulnerabilities found: 1 " in output


def test_a_vulnerability_accepted_by_an_alias_passes(tmp_path: Path, pypi: FakePyPI) -> None:
    pypi.every_pin_latest()
    pypi.release("jinja2", JINJA2, [PYPI_VULN])
    exceptions = "CVE-0000-2 jinja2 only project-owned templates are rendered\n"
    status, output = run_audit(tmp_path, pypi, pip_audit_report(skip=True), exceptions)
    assert status == 0, output
    assert "VULNERABLE" not in output
    assert "vulnerabilities found: 0 (ids accepted in scripts/audit-exceptions.txt: 1)" in output


def test_a_withdrawn_vulnerability_is_ignored(tmp_path: Path, pypi: FakePyPI) -> None:
    pypi.every_pin_latest()
    pypi.release("jinja2", JINJA2, [{**PYPI_VULN, "withdrawn": "2026-01-01T00:00:00Z"}])
    status, output = run_audit(tmp_path, pypi, pip_audit_report(skip=True))
    assert status == 0, output
    assert "VULNERABLE" not in output


def test_a_pin_behind_the_latest_release_is_not_audited(tmp_path: Path, pypi: FakePyPI) -> None:
    pypi.every_pin_latest()
    pypi.release("jinja2", "99.0")
    report = pip_audit_report(skip=True)
    status, output = run_audit(tmp_path, pypi, report)
    assert status == 0
    n = len(pins())
    assert f"{n - 1} of {n} pinned packages audited (0 by pip-audit, {n - 1} from PyPI's project data)" in output
    expected = f"  jinja2=={JINJA2}: pin {JINJA2}, latest 99.0: PyPI's project data covers the latest release only"
    assert expected in output
    assert "VULNERABILITY AUDIT INCOMPLETE" in output
    (tmp_path / "required").mkdir()
    status, output = run_audit(tmp_path / "required", pypi, report, AUDIT_REQUIRED="1")
    assert status == 1
    assert "VULNERABILITY AUDIT INCOMPLETE" in output


@pytest.mark.parametrize("others", ["skipped", "missing"])
def test_packages_pip_audit_audited_are_not_looked_up_again(tmp_path: Path, pypi: FakePyPI, others: str) -> None:
    pypi.every_pin_latest()
    audited = {"fastapi", "jinja2"}
    dependencies: list[dict[str, Any]] = []
    for dep in pip_audit_report()["dependencies"]:
        if dep["name"] in audited:
            dependencies.append(dep)
        elif others == "skipped":
            dependencies.append({"name": dep["name"], "skip_reason": "not found"})
    status, output = run_audit(tmp_path, pypi, {"dependencies": dependencies})
    assert status == 0, output
    assert sorted(pypi.requested) == sorted(f"/pypi/{name}/json" for name in pins() if name not in audited)
    n = len(pins())
    assert f"{n} of {n} pinned packages audited (2 by pip-audit, {n - 2} from PyPI's project data)" in output


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
