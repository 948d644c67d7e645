"""deploy/prometheus/alerts.yml and deploy/grafana/triage-ops.json: their shape, that they name only metrics
the service really exports, and — where promtool is installed (scripts/install-promtool.sh) — that Prometheus
accepts the rules, their unit tests pass, every dashboard query is valid PromQL and a real scrape lints clean."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any
from uuid import UUID

import httpx
import pytest
import yaml
from prometheus_client.parser import text_string_to_metric_families

from store.pool import Pool
from tasks.triage import run_triage
from tests.conftest import KeyFactory
from tests.helpers import ROOT, bearer

ALERTS = ROOT / "deploy" / "prometheus" / "alerts.yml"
ALERT_TESTS = ROOT / "deploy" / "prometheus" / "alerts.test.yml"
DASHBOARD = ROOT / "deploy" / "grafana" / "triage-ops.json"
PROMTOOL = shutil.which("promtool") or (str(ROOT / ".venv" / "bin" / "promtool"))
needs_promtool = pytest.mark.skipif(
    not Path(PROMTOOL).is_file(),
    reason="promtool is not installed (scripts/install-promtool.sh puts it in .venv/bin; bootstrap tries once)",
)
METRIC = re.compile(r"\btriage_[a-z0-9_]*[a-z0-9](?![a-z0-9_*])")
SUFFIXES = ("_bucket", "_count", "_sum")


def rules() -> list[dict[str, Any]]:
    document = yaml.safe_load(ALERTS.read_text())
    return [rule for group in document["groups"] for rule in group["rules"]]


def dashboard() -> dict[str, Any]:
    document: dict[str, Any] = json.loads(DASHBOARD.read_text())
    return document


def dashboard_queries() -> list[str]:
    return [target["expr"] for panel in dashboard()["panels"] for target in panel.get("targets", [])]


def promtool(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [PROMTOOL, *args], input=stdin, capture_output=True, text=True, timeout=60, check=False, cwd=ROOT
    )


def test_the_alert_rules_cover_the_operational_failures() -> None:
    by_name = {rule["alert"]: rule for rule in rules()}
    wanted = {
        "TriageQueueBacklog": "triage_queue_jobs",  # depth
        "TriageOldestJobWaitingTooLong": "triage_queue_oldest_waiting_seconds",
        "TriageJobFailureRate": "triage_queue_jobs_failed_5m",
        "TriageNoLiveWorkers": "triage_workers_live",
        "TriageStalledJobs": "triage_jobs_stalled",
    }
    for name, metric in wanted.items():
        assert metric in by_name[name]["expr"], name
    for name, rule in by_name.items():
        assert rule["labels"]["severity"] in {"warning", "critical"}, name
        assert rule["annotations"]["summary"] and rule["annotations"]["description"], name
        assert re.fullmatch(r"\d+m", rule["for"]), name
        # Cluster series come from every API replica alike: never added up across them.
        assert not re.search(r"sum[^(]*\((?:[^()]|\([^()]*\))*triage_(queue|workers|jobs_stalled)", rule["expr"]), name


def test_the_dashboard_is_a_grafana_dashboard_on_a_chosen_prometheus() -> None:
    document = dashboard()
    assert document["uid"] and document["title"] and document["schemaVersion"] >= 36
    variables = {variable["name"]: variable for variable in document["templating"]["list"]}
    assert variables["datasource"]["type"] == "datasource" and variables["datasource"]["query"] == "prometheus"
    ids = [panel["id"] for panel in document["panels"]]
    assert len(ids) == len(set(ids))
    for panel in document["panels"]:
        assert {"x", "y", "w", "h"} <= set(panel["gridPos"]), panel["title"]
        if panel["type"] == "row":
            continue
        assert panel["datasource"] == {"type": "prometheus", "uid": "${datasource}"}, panel["title"]
        assert panel["targets"] and all(target["expr"].strip() for target in panel["targets"]), panel["title"]


async def test_alerts_and_dashboard_name_only_metrics_the_service_exports(
    app_client: httpx.AsyncClient, make_key: KeyFactory, pool: Pool
) -> None:
    headers = bearer(await make_key())
    intake = {"patient_id": "P-names", "age": 30, "symptoms": ["cough"], "urgency": "low"}
    intake_id = (await app_client.post("/v1/intakes", json=intake, headers=headers)).json()["intake_id"]
    await run_triage(pool, UUID(intake_id), "clinic-a", actor="worker:test", job_id=None)  # an engine run
    response = await app_client.get("/metrics", headers=bearer(await make_key(scopes=("metrics:read",))))
    exported = {sample.name for family in text_string_to_metric_families(response.text) for sample in family.samples}
    exported |= {family.name for family in text_string_to_metric_families(response.text)}
    named = set(METRIC.findall(ALERTS.read_text())) | set(METRIC.findall(ALERT_TESTS.read_text()))
    named |= {name for query in dashboard_queries() for name in METRIC.findall(query)}
    unknown = {name for name in named if name not in exported and _family(name) not in exported}
    assert not unknown, unknown


def _family(sample_name: str) -> str:
    """`x_bucket`, `x_count`, `x_sum` → `x` (a histogram's samples)."""
    return next((sample_name.removesuffix(s) for s in SUFFIXES if sample_name.endswith(s)), sample_name)


@needs_promtool
def test_promtool_accepts_the_rules_and_their_unit_tests_pass() -> None:
    checked = promtool("check", "rules", str(ALERTS))
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert f"SUCCESS: {len(rules())} rules found" in checked.stdout
    tested = promtool("test", "rules", str(ALERT_TESTS))
    assert tested.returncode == 0, tested.stdout + tested.stderr


@needs_promtool
def test_every_dashboard_query_is_valid_promql(tmp_path: Path) -> None:
    # Each query as a recording rule, Grafana's $__rate_interval replaced by a real range.
    recording = [
        {"record": f"dashboard:query_{i}", "expr": query.replace("$__rate_interval", "5m")}
        for i, query in enumerate(dashboard_queries())
    ]
    path = tmp_path / "dashboard-queries.yml"
    path.write_text(yaml.safe_dump({"groups": [{"name": "dashboard", "rules": recording}]}))
    checked = promtool("check", "rules", str(path))
    assert checked.returncode == 0, checked.stdout + checked.stderr


@needs_promtool
async def test_a_real_scrape_passes_promtools_lint(app_client: httpx.AsyncClient, make_key: KeyFactory) -> None:
    await app_client.get("/v1/patients/P-lint/intakes", headers=bearer(await make_key()))
    response = await app_client.get("/metrics", headers=bearer(await make_key(scopes=("metrics:read",))))
    linted = promtool("check", "metrics", stdin=response.text)
    assert linted.returncode == 0 and not linted.stdout.strip(), linted.stdout + linted.stderr
