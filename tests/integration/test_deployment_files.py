"""compose.yaml and the Dockerfile, checked without a container engine.

tests/integration/test_installed_package.py runs the services themselves (their commands, environments
and healthchecks, from the built wheel); this file checks what only the files say: the compose file's
shape (services, the one-shot migration the others wait for, replicas, grace periods, which service holds
which credential), the Dockerfile's build (a wheel, a non-root user, a healthcheck), and that every command
a container will run is one the real `triage` command line accepts and routes to the intended process.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "compose.yaml"
DOCKERFILE = ROOT / "Dockerfile"
APP_SERVICES = ("migrate", "api", "worker")
# Inside a container the API must listen on every interface to be reachable at all.
CONTAINER_HOST = "0.0.0.0"  # noqa: S104


def compose() -> dict[str, Any]:
    document = yaml.safe_load(COMPOSE.read_text())
    assert isinstance(document, dict)
    return document


def services() -> dict[str, Any]:
    found = compose()["services"]
    assert isinstance(found, dict)
    return found


def dockerfile_instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, comments dropped and continuation lines joined."""
    joined = re.sub(r"\\\n", " ", DOCKERFILE.read_text())
    instructions = []
    for line in joined.splitlines():
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            keyword, _, arguments = stripped.partition(" ")
            instructions.append((keyword.upper(), arguments.strip()))
    return instructions


def last(instruction: str) -> str:
    values = [arguments for keyword, arguments in dockerfile_instructions() if keyword == instruction]
    assert values, f"the Dockerfile has no {instruction}"
    return values[-1]


def exec_form(instruction: str) -> list[str]:
    value = json.loads(last(instruction))
    assert isinstance(value, list), f"{instruction} must use the exec (JSON array) form"
    assert all(isinstance(part, str) for part in value)
    return value


def cli_accepts(arguments: list[str]) -> subprocess.CompletedProcess[str]:
    """Run the real argument parser on `arguments` (with --help, so nothing is started)."""
    return subprocess.run(
        [sys.executable, "-m", "runtime", *arguments, "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_compose_has_the_four_services_and_an_optional_fleet() -> None:
    started_by_default = {name for name, service in services().items() if "profiles" not in service}
    assert started_by_default == {"postgres", "migrate", "api", "worker"}
    assert set(services()) - started_by_default == {"worker-fleet"}
    assert "pgdata" in compose()["volumes"]


def test_postgres_is_the_official_image_with_a_healthcheck_and_a_named_volume() -> None:
    postgres = services()["postgres"]
    assert postgres["image"].startswith("postgres:16")
    assert "pg_isready" in " ".join(postgres["healthcheck"]["test"])
    assert any(volume.startswith("pgdata:") for volume in postgres["volumes"])


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_services_are_built_from_the_dockerfile_in_production_mode(name: str) -> None:
    service = services()[name]
    assert service["build"] == "."
    environment = service["environment"]
    assert environment["TRIAGE_ENV"] == "production"
    assert environment["TRIAGE_LOG_FORMAT"] == "json"
    assert environment["DATABASE_URL"].startswith("postgresql://")
    # Required from the environment: compose refuses to start without it.
    assert environment["TRIAGE_KEY_PEPPER"] == "${TRIAGE_KEY_PEPPER:?set it}"


def test_migrate_is_one_shot_after_postgres_is_healthy() -> None:
    migrate = services()["migrate"]
    assert migrate["command"] == ["migrate", "--create-roles"]
    assert migrate["restart"] == "no"
    assert migrate["depends_on"] == {"postgres": {"condition": "service_healthy"}}
    assert migrate["healthcheck"] == {"disable": True}  # a one-shot has nothing to answer


def _login(url: str) -> str:
    return url.removeprefix("postgresql://").split(":")[0]


def test_only_the_one_shot_migration_sees_the_superuser_and_owner_credentials() -> None:
    for name, service in services().items():
        environment = service.get("environment", {})
        if name == "postgres":
            continue
        assert _login(environment["DATABASE_URL"]) == "triage_app", name
        if name == "migrate":
            assert _login(environment["MIGRATION_DATABASE_URL"]) == "triage_owner"
            assert _login(environment["SUPERUSER_DATABASE_URL"]) == "postgres"
        else:
            assert not {"MIGRATION_DATABASE_URL", "SUPERUSER_DATABASE_URL"} & set(environment), name
            assert "POSTGRES_PASSWORD" not in str(environment), name


@pytest.mark.parametrize("name", ["api", "worker"])
def test_api_and_worker_start_after_a_successful_migration(name: str) -> None:
    depends_on = services()[name]["depends_on"]
    assert depends_on["migrate"] == {"condition": "service_completed_successfully"}


@pytest.mark.parametrize("name", ["api", "worker", "worker-fleet"])
def test_long_running_services_have_a_healthcheck_the_cli_accepts(name: str) -> None:
    test = services()[name]["healthcheck"]["test"]
    assert test[:3] == ["CMD", "triage", "healthcheck"]
    completed = cli_accepts(test[2:])
    assert completed.returncode == 0, completed.stderr
    if name != "api":  # a worker's health is its ready file
        assert services()[name]["environment"]["TRIAGE_WORKER_READY_FILE"]


def test_worker_runs_two_replicas_and_outlasts_its_graceful_shutdown() -> None:
    worker = services()["worker"]
    assert worker["deploy"]["replicas"] == 2
    assert "--concurrency" in worker["command"]
    from runtime.settings import Settings

    shutdown = Settings.model_fields["worker_shutdown_seconds"].default
    grace = worker["stop_grace_period"]
    assert grace.endswith("s")
    assert float(grace.removesuffix("s")) > shutdown


@pytest.mark.parametrize("name", APP_SERVICES)
def test_service_command_is_accepted_by_the_cli(name: str) -> None:
    assert exec_form("ENTRYPOINT") == ["triage"]
    command = services()[name]["command"]
    assert isinstance(command, list)
    completed = cli_accepts(command)
    assert completed.returncode == 0, completed.stderr


def test_dockerfile_default_command_is_accepted_by_the_cli() -> None:
    assert exec_form("ENTRYPOINT") == ["triage"]
    command = exec_form("CMD")
    assert command[0] == "api"
    completed = cli_accepts(command)
    assert completed.returncode == 0, completed.stderr


class Started:
    """Stands in for what `triage <command>` would start; records what it was started with."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []

    def __call__(self, what: str) -> Any:
        def record(*_args: Any, **kwargs: Any) -> list[str]:
            self.calls.append((what, kwargs))
            return []

        return record


def run_cli_strictly(monkeypatch: pytest.MonkeyPatch, arguments: list[str]) -> list[tuple[str, dict[str, Any]]]:
    """The full parse (`--help` stops argparse before it sees unknown flags), with nothing started."""
    import runtime.cli
    import workers.main

    started = Started()
    monkeypatch.setattr(
        runtime.cli,
        "get_settings",
        lambda: SimpleNamespace(log_format="json", log_level="INFO", owner_database_url="postgresql://unused"),
    )
    monkeypatch.setattr(runtime.cli, "configure_logging", started("logging"))
    monkeypatch.setattr(runtime.cli, "apply_migrations", started("migrate"))
    monkeypatch.setattr(runtime.cli, "run_create_roles", started("roles"))
    monkeypatch.setattr(
        runtime.cli, "run_api", lambda _settings, host, port, **_kw: started("api")(host=host, port=port)
    )
    monkeypatch.setattr(workers.main, "main", started("worker"))
    runtime.cli.main(arguments)
    return [call for call in started.calls if call[0] != "logging"]


@pytest.mark.parametrize("name", APP_SERVICES)
def test_service_command_parses_strictly_to_the_intended_process(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    calls = run_cli_strictly(monkeypatch, services()[name]["command"])
    assert [what for what, _ in calls] == (["roles", "migrate"] if name == "migrate" else [name])
    if name == "api":
        assert calls[0][1] == {"host": CONTAINER_HOST, "port": 8000}
    if name == "worker":
        assert calls[0][1]["concurrency"] == 4


def test_dockerfile_default_command_parses_strictly(monkeypatch: pytest.MonkeyPatch) -> None:
    assert run_cli_strictly(monkeypatch, exec_form("CMD")) == [("api", {"host": CONTAINER_HOST, "port": 8000})]


def test_the_checks_reject_what_the_cli_rejects(monkeypatch: pytest.MonkeyPatch) -> None:
    # The checks above are only worth something if a wrong command fails them.
    assert cli_accepts(["serve"]).returncode != 0
    assert cli_accepts(["worker", "--concurrency", "four"]).returncode != 0
    with pytest.raises(SystemExit) as exit_info:
        run_cli_strictly(monkeypatch, ["worker", "--replicas", "2"])
    assert exit_info.value.code == 2


def test_console_script_is_the_entrypoint() -> None:
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert 'triage = "runtime.__main__:main"' in pyproject


def test_dockerfile_uses_a_slim_base_and_a_non_root_user() -> None:
    assert re.fullmatch(r"python:3\.11-slim(@sha256:[0-9a-f]{64})?", last("FROM").split()[0])
    user = last("USER")
    assert user.split(":")[0] not in {"root", "0"}
    assert user.split(":")[0].isdigit()  # numeric, so a runtime can verify runAsNonRoot


def test_dockerfile_installs_the_wheel_not_the_source_tree() -> None:
    runs = [arguments for keyword, arguments in dockerfile_instructions() if keyword == "RUN"]
    assert any(re.search(r"pip wheel [^&]*--no-deps", run) for run in runs)
    (install,) = [run for run in runs if "/tmp/wheels/*.whl" in run]
    assert re.search(r"pip install [^&]*-c /tmp/build/constraints\.txt /tmp/wheels/\*\.whl", install)
    assert not any(" -e " in run for run in runs)  # no editable install
    # The final stage copies the wheel from the build stage, never the source tree.
    final_stage = DOCKERFILE.read_text().rsplit("\nFROM ", 1)[1]
    assert "COPY . ." not in final_stage and "COPY --from=wheel /wheels /tmp/wheels" in final_stage


def test_dockerfile_healthcheck_is_the_cli_healthcheck() -> None:
    options, _, command = last("HEALTHCHECK").partition("CMD ")
    assert "--interval=" in options
    assert json.loads(command) == ["triage", "healthcheck"]
    assert cli_accepts(["healthcheck"]).returncode == 0


def test_dockerignore_keeps_local_state_out_of_the_image() -> None:
    ignored = set((ROOT / ".dockerignore").read_text().split())
    assert {".git", ".venv", ".data"} <= ignored
    assert not {"store", "store/schema", "*.sql"} & ignored  # package data the wheel must carry


def test_the_scale_profile_runs_more_workers_on_the_same_queue(monkeypatch: pytest.MonkeyPatch) -> None:
    fleet = services()["worker-fleet"]
    assert fleet["profiles"] == ["scale"]  # off unless asked for
    assert fleet["deploy"]["replicas"] == "${TRIAGE_WORKER_REPLICAS:-4}"
    assert fleet["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    calls = run_cli_strictly(monkeypatch, fleet["command"])
    assert [what for what, _ in calls] == ["worker"]
    assert calls[0][1]["concurrency"] == 4
