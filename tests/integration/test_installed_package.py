"""The built wheel, installed in a fresh virtualenv outside the source tree, runs compose.yaml's services.

No container engine here, so compose.yaml is run the way its engine would run it, minus the container: each
service's command and environment (its `${VAR}`s filled in, the `postgres` host pointed at a fresh test
database) are executed with the installed `triage`, from a directory that holds no source. That proves the
package ships what it needs (migrations, Procrastinate's schema, templates, assets) and that the deployment's
least-privilege roles carry the whole path: roles created once from the superuser, migrations as the owner,
API and workers as `triage_app`, an intake triaged end to end, and the healthchecks pass.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
import yaml

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
# What the operator puts in .env (compose.yaml's header); each must stay out of every log line.
DEPLOYMENT_SECRETS = {
    "POSTGRES_PASSWORD": "superuser-pw-4d1f0c",
    "TRIAGE_OWNER_PASSWORD": "owner-pw-9b2e7a",
    "TRIAGE_APP_PASSWORD": "app-pw-51c8d3",
    "TRIAGE_KEY_PEPPER": "pepper-" + "7f3a9c" * 8,
}
INTAKE = {
    "patient_id": "P-installed-1",
    "age": 54,
    "sex": "female",
    "symptoms": ["cough"],
    "urgency": "low",
    "vitals": {"respiratory_rate": 16, "spo2": 98, "systolic_bp": 124, "heart_rate": 78, "temperature_c": 37.1},
}


class Installed:
    """A virtualenv holding the wheel and its pinned dependencies, and a directory with no source in it."""

    def __init__(self, venv: Path, workdir: Path) -> None:
        self.venv = venv
        self.workdir = workdir
        self.triage = str(venv / "bin" / "triage")

    def run(self, args: list[str], env: dict[str, str], timeout: float = 120) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [self.triage, *args],
            env=env,
            cwd=self.workdir,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )


def _run(command: list[str], cwd: Path, timeout: float = 600) -> None:
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False)
    assert done.returncode == 0, f"{' '.join(command)}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    base = tmp_path_factory.mktemp("installed")
    # Build from a copy, so the build leaves nothing in the checkout.
    source = base / "source"
    shutil.copytree(
        ROOT,
        source,
        ignore=shutil.ignore_patterns(
            ".git", ".venv", ".data", "mutants", "build", "dist", "*.egg-info", "__pycache__"
        ),
    )
    _run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-w", str(base / "wheels"), "."],
        source,
    )
    (wheel,) = (base / "wheels").glob("triage_backbone-*.whl")
    shutil.rmtree(source)
    venv = base / "venv"
    _run([sys.executable, "-m", "venv", str(venv)], base)
    _run(
        [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "-c", str(ROOT / "constraints.txt"), str(wheel)],
        base,
    )
    workdir = base / "work"
    workdir.mkdir()
    return Installed(venv, workdir)


def _interpolate(value: str, variables: dict[str, str]) -> str:
    """compose's `${VAR}`, `${VAR:?message}` and `${VAR:-default}`."""

    def one(match: re.Match[str]) -> str:
        name, operator, argument = match.group(1), match.group(2), match.group(3)
        if name in variables:
            return variables[name]
        assert operator != ":?", f"compose would refuse to start: {name} is unset ({argument})"
        return argument or ""

    return re.sub(r"\$\{(\w+)(?:(:\?|:-)([^}]*))?\}", one, value)


def _to_test_database(url: str, database_url: str) -> str:
    """compose's `...@postgres:5432/triage` pointed at the test server's socket and database."""
    target = urlsplit(database_url)
    socket_dir = parse_qs(target.query)["host"][0]
    parts = urlsplit(url)
    assert parts.hostname == "postgres" and parts.path == "/triage", url
    return f"postgresql://{parts.username}:{parts.password}@{target.path}?host={socket_dir}"


def _service_env(service: dict[str, Any], database_url: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TRIAGE_", "DATABASE_URL", "PYTHON"))}
    for name, value in service["environment"].items():
        filled = _interpolate(str(value), DEPLOYMENT_SECRETS)
        env[name] = _to_test_database(filled, database_url) if name.endswith("DATABASE_URL") else filled
    env.update(extra)
    return env


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _on_port(command: list[str], port: int) -> list[str]:
    """The service's command, listening on loopback and a free port instead of 0.0.0.0:8000."""
    replaced = list(command)
    replaced[replaced.index("--host") + 1] = "127.0.0.1"
    replaced[replaced.index("--port") + 1] = str(port)
    return replaced


@pytest.fixture
def processes(tmp_path: Path) -> Iterator[list[tuple[subprocess.Popen[bytes], Path]]]:
    started: list[tuple[subprocess.Popen[bytes], Path]] = []
    yield started
    for proc, _ in started:
        proc.terminate()
    for proc, _ in started:
        try:
            proc.wait(timeout=40)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _start(
    installed: Installed,
    processes: list[tuple[subprocess.Popen[bytes], Path]],
    args: list[str],
    env: dict[str, str],
    log: Path,
) -> None:
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [installed.triage, *args], env=env, cwd=installed.workdir, stdout=out, stderr=subprocess.STDOUT
        )
    processes.append((proc, log))


def _until(condition: Any, seconds: float, what: str, logs: list[Path]) -> Any:
    deadline = time.monotonic() + seconds
    while True:
        result = condition()
        if result:
            return result
        assert time.monotonic() < deadline, f"{what}\n" + "\n".join(p.read_text(errors="replace")[-3000:] for p in logs)
        time.sleep(0.2)


def test_the_installed_package_runs_from_site_packages(installed: Installed) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    done = subprocess.run(
        [
            str(installed.venv / "bin" / "python"),
            "-c",
            "import runtime.cli, store.migrate; print(store.migrate.__file__)",
        ],
        cwd=installed.workdir,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    location = Path(done.stdout.strip())
    assert location.is_relative_to(installed.venv), location
    assert (location.parent / "schema" / "procrastinate_schema.sql").is_file()


def test_compose_services_run_from_the_installed_wheel_with_least_privilege(
    installed: Installed,
    empty_database_url: str,
    processes: list[tuple[subprocess.Popen[bytes], Path]],
    tmp_path: Path,
) -> None:
    services = yaml.safe_load((ROOT / "compose.yaml").read_text())["services"]

    # migrate: the roles from the superuser once, then the migrations as the owner.
    migrate = services["migrate"]
    done = installed.run(migrate["command"], _service_env(migrate, empty_database_url))
    assert done.returncode == 0, done.stdout + done.stderr
    logs_seen = done.stdout + done.stderr
    assert "database roles ready" in logs_seen and "migrations applied" in logs_seen

    # api: as triage_app, on a free loopback port; compose's healthcheck passes.
    api = services["api"]
    port = _free_port()
    api_env = _service_env(api, empty_database_url)
    assert urlsplit(api_env["DATABASE_URL"]).username == "triage_app"
    api_log = tmp_path / "api.log"
    _start(installed, processes, _on_port(api["command"], port), api_env, api_log)
    base = f"http://127.0.0.1:{port}"

    def ready() -> bool:
        try:
            return httpx.get(f"{base}/readyz").status_code == 200
        except httpx.TransportError:
            return False

    _until(ready, 30, "the API never became ready", [api_log])
    health = api["healthcheck"]["test"]
    assert health[0] == "CMD" and health[1] == "triage"
    check = [arg.replace("127.0.0.1:8000", f"127.0.0.1:{port}") for arg in health[2:]]
    assert installed.run(check, api_env).returncode == 0

    # worker: as triage_app; healthy once its ready file exists (the image's default healthcheck).
    worker = services["worker"]
    ready_file = tmp_path / "worker-ready"
    worker_env = _service_env(worker, empty_database_url, TRIAGE_WORKER_READY_FILE=str(ready_file))
    worker_health = worker["healthcheck"]["test"]
    assert installed.run(worker_health[2:], worker_env).returncode == 1  # not started yet: unhealthy
    worker_log = tmp_path / "worker.log"
    _start(installed, processes, worker["command"], worker_env, worker_log)
    _until(ready_file.exists, 30, "the worker never became ready", [worker_log])
    assert installed.run(worker_health[2:], worker_env).returncode == 0

    # An operator's key (as triage_app too), an intake, its outcome.
    created = installed.run(
        ["keys", "create", "--tenant", "acme", "--name", "agent", "--scope", "intake:write", "--scope", "intake:read"],
        api_env,
    )
    assert created.returncode == 0, created.stdout + created.stderr
    token = created.stdout.split("\n\n")[1].strip()
    headers = {"Authorization": f"Bearer {token}"}
    accepted = httpx.post(f"{base}/v1/intakes", json=INTAKE, headers=headers)
    assert accepted.status_code == 202, accepted.text
    intake_url = f"{base}/v1/intakes/{accepted.json()['intake_id']}"

    def triaged() -> dict[str, Any] | None:
        body: dict[str, Any] = httpx.get(intake_url, headers=headers).json()
        return body if body["status"] == "triaged" else None

    outcome = _until(triaged, 30, "the intake was never triaged", [api_log, worker_log])
    assert outcome["outcome"]["acuity"]

    # The docs work without the internet from the installed package too.
    assert httpx.get(f"{base}/openapi.json").status_code == 200

    for proc, _ in processes:
        proc.terminate()
    for proc, _ in processes:
        proc.wait(timeout=40)
    logs_seen += api_log.read_text() + worker_log.read_text()
    for name, secret in DEPLOYMENT_SECRETS.items():
        assert secret not in logs_seen, f"{name} reached a log line"
