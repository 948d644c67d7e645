"""`/metrics`: the scope, what a scrape shows after real work (API, real workers, multiprocess mode, a worker's
own port, a worker group's port), that no label ever carries patient data, and a slow database."""

from __future__ import annotations

import asyncio
import socket
import time
import uuid
from collections.abc import Iterable
from contextlib import aclosing
from pathlib import Path
from typing import Any
from uuid import UUID

import httpx
import psycopg
import pytest
from prometheus_client.parser import text_string_to_metric_families
from prometheus_client.samples import Sample
from yoyo import get_backend, read_migrations

from store.migrate import MIGRATIONS_DIR, _yoyo_url, apply_migrations
from store.pool import Pool, app_conninfo
from tasks.triage import run_triage
from tests.conftest import KeyFactory, _with_dbname
from tests.helpers import ProcessGroup, bearer, child_env, client_for, make_settings
from tests.integration.test_end_to_end import SAMPLE, wait_for_status

METRICS_KEY = ("metrics:read",)
LOW = {"patient_id": "P-metrics-low", "age": 30, "symptoms": ["mild rash"], "urgency": "low"}


def samples(text: str) -> list[Sample]:
    return [sample for family in text_string_to_metric_families(text) for sample in family.samples]


def total(found: Iterable[Sample], name: str, **labels: str) -> float:
    """The sum of the samples called `name` whose labels include `labels`; fails when there is none."""
    matching = [s.value for s in found if s.name == name and all(s.labels.get(k) == v for k, v in labels.items())]
    assert matching, f"no sample {name}{labels}"
    return sum(matching)


def route_templates(routes: Iterable[Any]) -> set[str]:
    """Every path template of the app, those of included routers (FastAPI keeps them apart) too."""
    found: set[str] = set()
    for route in routes:
        if isinstance(getattr(route, "path", None), str):
            found.add(route.path)
        inner = getattr(route, "original_router", None) or getattr(route, "app", None)
        found |= route_templates(getattr(inner, "routes", None) or [])
    return found


async def scrape(client: httpx.AsyncClient, token: str) -> list[Sample]:
    response = await client.get("/metrics", headers=bearer(token))
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain; version=0.0.4")
    return samples(response.text)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def scrape_port(port: int, processes: ProcessGroup, timeout: float = 20.0) -> list[Sample]:
    deadline = time.monotonic() + timeout
    while True:
        try:
            response = httpx.get(f"http://127.0.0.1:{port}/metrics")
            response.raise_for_status()
            return samples(response.text)
        except httpx.TransportError:
            assert time.monotonic() < deadline, processes.logs()
            time.sleep(0.1)


async def test_metrics_need_a_key_with_the_metrics_scope(app_client: httpx.AsyncClient, make_key: KeyFactory) -> None:
    anonymous = await app_client.get("/metrics")
    assert anonymous.status_code == 401
    assert anonymous.headers["content-type"] == "application/problem+json"
    every_other_scope = ("intake:write", "intake:read", "ops:read", "ops:write")
    forbidden = await app_client.get("/metrics", headers=bearer(await make_key(scopes=every_other_scope)))
    assert forbidden.status_code == 403
    assert "metrics:read" in forbidden.json()["detail"]
    for scopes in (METRICS_KEY, ("admin",)):
        found = await scrape(app_client, await make_key(scopes=scopes))
        assert total(found, "triage_metrics_database_up") == 1


async def test_only_the_platform_tenants_keys_read_metrics_when_one_is_set(
    make_key: KeyFactory, database_url: str
) -> None:
    async with aclosing(client_for(make_settings(database_url, platform_tenant="platform"))) as clients:
        client = await anext(clients)
        tenant_key = await make_key(tenant="clinic-a", scopes=METRICS_KEY)
        refused = await client.get("/metrics", headers=bearer(tenant_key))
        assert refused.status_code == 403
        assert refused.json()["type"].endswith("platform-operator-only")
        await scrape(client, await make_key(tenant="platform", scopes=METRICS_KEY))


async def test_scrapes_are_not_audited(
    app_client: httpx.AsyncClient, make_key: KeyFactory, owner_conn: psycopg.Connection[Any]
) -> None:
    token = await make_key(scopes=METRICS_KEY)
    wrong = await make_key(scopes=("intake:read",))
    before = owner_conn.execute("SELECT count(*) FROM audit_events").fetchone()
    for headers in (bearer(token), bearer(token), {}, bearer(wrong)):
        await app_client.get("/metrics", headers=headers)
    assert owner_conn.execute("SELECT count(*) FROM audit_events").fetchone() == before


async def test_requests_are_counted_by_route_template_never_by_path(
    app_client: httpx.AsyncClient, make_key: KeyFactory
) -> None:
    headers = bearer(await make_key())
    before = await scrape(app_client, await make_key(scopes=METRICS_KEY))

    def count(found: list[Sample], method: str, route: str, status: str) -> float:
        labels = {"method": method, "route": route, "status": status}
        matching = [s.value for s in found if s.name == "triage_http_requests_total" and s.labels == labels]
        return sum(matching)

    assert (await app_client.get("/v1/patients/P-path-secret/intakes", headers=headers)).status_code == 200
    assert (await app_client.get(f"/v1/intakes/{uuid.uuid4()}", headers=headers)).status_code == 404
    assert (await app_client.get("/no/such/P-path-secret", headers=headers)).status_code == 404
    assert (await app_client.request("BREW", "/v1/intakes", headers=headers)).status_code == 405
    too_large = await app_client.post(
        "/v1/intakes",
        content=b'{"x": "' + b"a" * 70_000 + b'"}',
        headers={**headers, "content-type": "application/json"},
    )
    assert too_large.status_code == 413

    after = await scrape(app_client, await make_key(scopes=METRICS_KEY))
    expected = [
        ("GET", "/v1/patients/{patient_id}/intakes", "200"),
        ("GET", "/v1/intakes/{intake_id}", "404"),
        ("GET", "(unmatched)", "404"),
        ("other", "/v1/intakes", "405"),
        ("POST", "/v1/intakes", "413"),  # refused before routing: the route is found for the label
    ]
    for method, route, status in expected:
        assert count(after, method, route, status) - count(before, method, route, status) == 1, (method, route)
    latency = total(after, "triage_http_request_duration_seconds_count", route="/v1/patients/{patient_id}/intakes")
    assert latency >= 1
    assert not [s for s in after if any("P-path-secret" in value for value in s.labels.values())]


async def test_a_replayed_intake_is_not_counted_again(app_client: httpx.AsyncClient, make_key: KeyFactory) -> None:
    headers = {**bearer(await make_key()), "Idempotency-Key": str(uuid.uuid4())}
    metrics_key = await make_key(scopes=METRICS_KEY)
    before = total(await scrape(app_client, metrics_key), "triage_intakes_accepted_total")
    for _ in range(2):
        assert (await app_client.post("/v1/intakes", json=LOW, headers=headers)).status_code == 202
    after = total(await scrape(app_client, metrics_key), "triage_intakes_accepted_total")
    assert after - before == 1


async def test_a_scrape_after_real_work_shows_intakes_jobs_outcomes_and_the_workers_engine_runs(
    app_client: httpx.AsyncClient, make_key: KeyFactory, database_url: str, processes: ProcessGroup
) -> None:
    """The API in this process, one real worker process serving its own metrics on a port."""
    headers = bearer(await make_key())
    metrics_key = await make_key(scopes=METRICS_KEY)
    accepted_before = total(await scrape(app_client, metrics_key), "triage_intakes_accepted_total")
    port = free_port()
    processes.start(
        ["worker", "--concurrency", "2"], child_env(database_url, TRIAGE_WORKER_METRICS_PORT=str(port)), "worker"
    )
    ids = [
        (await app_client.post("/v1/intakes", json=body, headers=headers)).json()["intake_id"]
        for body in (SAMPLE, LOW, LOW)
    ]
    acuities = []
    for intake_id in ids:
        body = await wait_for_status(app_client, intake_id, headers, {"triaged", "failed"})
        assert body["status"] == "triaged", processes.logs()
        acuities.append(str(body["outcome"]["acuity"]))

    found = await scrape(app_client, metrics_key)
    assert total(found, "triage_intakes_accepted_total") - accepted_before == 3
    assert total(found, "triage_metrics_database_up") == 1
    assert total(found, "triage_queue_jobs", queue="triage", status="succeeded") == 3
    assert total(found, "triage_queue_jobs", queue="triage", status="todo") == 0
    assert total(found, "triage_queue_oldest_waiting_seconds", queue="triage") == 0
    assert total(found, "triage_queue_jobs_finished_5m", queue="triage") == 3
    assert total(found, "triage_queue_jobs_failed_5m", queue="triage") == 0
    assert total(found, "triage_workers_live") == 1
    assert total(found, "triage_jobs_stalled") == 0
    assert total(found, "triage_outcomes_total") == 3
    for acuity in set(acuities):
        assert total(found, "triage_outcomes_total", acuity=acuity) == acuities.count(acuity)
    assert total(found, "triage_db_pool_max_connections", pool="api") == 4  # make_settings: TRIAGE_POOL_MAX 4
    assert total(found, "triage_http_requests_total", method="POST", route="/v1/intakes", status="202") >= 3

    worker = scrape_port(port, processes)
    assert total(worker, "triage_engine_duration_seconds_count", result="ok") == 3
    assert total(worker, "triage_engine_duration_seconds_bucket", result="ok", le="+Inf") == 3
    assert total(worker, "triage_db_pool_max_connections", pool="worker") == 4  # concurrency + 2


async def test_in_multiprocess_mode_the_apis_scrape_shows_the_workers_on_its_host(
    make_key: KeyFactory, database_url: str, processes: ProcessGroup, tmp_path: Path
) -> None:
    """A real API process and a real worker process sharing PROMETHEUS_MULTIPROC_DIR."""
    shared = tmp_path / "prometheus"
    shared.mkdir()
    env = child_env(database_url, PROMETHEUS_MULTIPROC_DIR=str(shared))
    base = processes.start_api(env)
    processes.start(["worker", "--concurrency", "2"], env, "worker")
    headers = bearer(await make_key())
    async with httpx.AsyncClient(base_url=base) as client:
        ids = [(await client.post("/v1/intakes", json=LOW, headers=headers)).json()["intake_id"] for _ in range(2)]
        for intake_id in ids:
            assert (await wait_for_status(client, intake_id, headers, {"triaged"}))["status"] == "triaged"
        found = await scrape(client, await make_key(scopes=METRICS_KEY))
    assert total(found, "triage_engine_duration_seconds_count", result="ok") == 2  # counted by the worker
    assert total(found, "triage_intakes_accepted_total") == 2  # counted by the API
    assert total(found, "triage_http_requests_total", route="/v1/intakes", status="202") == 2
    assert total(found, "triage_db_pool_max_connections", pool="worker") == 4
    assert total(found, "triage_db_pool_max_connections", pool="api") >= 1
    assert total(found, "triage_outcomes_total") == 2
    assert {path.name.split("_")[0] for path in shared.iterdir()} >= {"counter", "histogram", "gauge"}
    # One set of files per process that counts: the API and the worker, not the engine's child processes.
    assert len({path.stem.rsplit("_", 1)[1] for path in shared.iterdir()}) == 2, sorted(shared.iterdir())


async def test_a_worker_group_serves_the_metrics_of_all_its_processes_on_one_port(
    app_client: httpx.AsyncClient, make_key: KeyFactory, database_url: str, processes: ProcessGroup
) -> None:
    port = free_port()
    env = child_env(database_url, TRIAGE_WORKER_METRICS_PORT=str(port))
    processes.start(["worker", "--processes", "2", "--concurrency", "1", "--name", "group"], env, "workers")
    headers = bearer(await make_key())
    ids = [(await app_client.post("/v1/intakes", json=LOW, headers=headers)).json()["intake_id"] for _ in range(4)]
    for intake_id in ids:
        assert (await wait_for_status(app_client, intake_id, headers, {"triaged"}))["status"] == "triaged"
    found = scrape_port(port, processes)
    assert total(found, "triage_engine_duration_seconds_count", result="ok") == 4
    # Each process that ran a job reported its pool (max: concurrency + 2); the group adds them up.
    assert total(found, "triage_db_pool_max_connections", pool="worker") in {3, 6}
    metrics_key = await make_key(scopes=METRICS_KEY)
    deadline = time.monotonic() + 20
    while (live := total(await scrape(app_client, metrics_key), "triage_workers_live")) < 2:
        assert time.monotonic() < deadline, processes.logs()
        await asyncio.sleep(0.2)
    assert live == 2


async def test_no_label_carries_patient_data(
    app_client: httpx.AsyncClient, make_key: KeyFactory, pool: Pool, owner_conn: psycopg.Connection[Any]
) -> None:
    patient = "PHI-CANARY-7319"
    symptom = "canary zebra wheeze 7319"
    token = await make_key()
    headers = bearer(token)
    body = {**SAMPLE, "patient_id": patient, "symptoms": [symptom], "notes": f"{symptom} since Tuesday"}
    ids = []
    for route in ("/v1/intakes", "/intake/store"):
        response = await app_client.post(route, json=body, headers=headers)
        assert response.status_code in {200, 202}, response.text
        ids.append(response.json().get("intake_id") or response.json()["record_id"])
    for intake_id in ids:
        await run_triage(pool, UUID(intake_id), "clinic-a", actor="worker:test", job_id=None)
        await app_client.get(f"/v1/intakes/{intake_id}", headers=headers)
    await app_client.get(f"/v1/patients/{patient}/intakes", headers=headers)
    await app_client.get(f"/intake/{patient}", headers=headers)
    await app_client.get(f"/{patient}/{symptom}", headers=headers)  # matches no route
    await app_client.request(patient, f"/v1/patients/{patient}/intakes", headers=headers)  # a method of free text
    await app_client.post("/intake", json={**body, "age": -1}, headers=headers)  # refused by validation

    response = await app_client.get("/metrics", headers=bearer(await make_key(scopes=METRICS_KEY)))
    assert response.status_code == 200
    families = list(text_string_to_metric_families(response.text))
    names = {family.name for family in families}
    assert {"triage_engine_duration_seconds", "triage_outcomes", "triage_http_requests"} <= names
    key_id = token.split("_")[2]
    forbidden = {patient, key_id, "clinic-a", *ids}
    words = {word.lower() for word in symptom.split()} | {"tuesday"}
    templates = route_templates(app_client.app.routes)  # type: ignore[attr-defined]
    for family in families:
        for sample in family.samples:
            for name, value in sample.labels.items():
                assert value not in forbidden, (sample.name, name, value)
                assert not any(part in value for part in forbidden), (sample.name, name, value)
                assert not any(word in value.lower() for word in words), (sample.name, name, value)
                if name == "route":
                    assert value in templates or value == "(unmatched)", value
                if name == "method":
                    assert value in {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "other"}, value
    # Nor does the text anywhere else (help texts, metric names).
    assert patient not in response.text and "zebra" not in response.text
    assert owner_conn.execute("SELECT count(*) FROM triage_outcomes").fetchone() == (2,)


async def test_a_slow_database_neither_hangs_nor_fails_the_scrape(
    make_key: KeyFactory, database_url: str, owner_conn: psycopg.Connection[Any]
) -> None:
    token = await make_key(scopes=METRICS_KEY)
    async with aclosing(client_for(make_settings(database_url, metrics_db_timeout_seconds=0.5))) as clients:
        client = await anext(clients)
        with psycopg.connect(database_url) as locker:
            # Every read of the jobs table waits behind this lock.
            locker.execute("LOCK TABLE procrastinate_jobs IN ACCESS EXCLUSIVE MODE")
            started = time.monotonic()
            found = await asyncio.wait_for(scrape(client, token), timeout=10)
            took = time.monotonic() - started
            locker.rollback()
        assert took < 3, took
        assert total(found, "triage_metrics_database_up") == 0
        assert not [s for s in found if s.name.startswith(("triage_queue_", "triage_workers_", "triage_outcomes"))]
        assert total(found, "triage_db_pool_max_connections", pool="api") == 4  # the process's own series remain
        assert total(await scrape(client, token), "triage_metrics_database_up") == 1
    waiting = owner_conn.execute("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'").fetchone()
    assert waiting == (0,)


async def test_each_outcome_is_counted_once_however_often_its_job_runs(
    app_client: httpx.AsyncClient, make_key: KeyFactory, pool: Pool, owner_conn: psycopg.Connection[Any]
) -> None:
    headers = bearer(await make_key())
    intake_id = (await app_client.post("/v1/intakes", json=LOW, headers=headers)).json()["intake_id"]
    await run_triage(pool, UUID(intake_id), "clinic-a", actor="worker:test", job_id=None)
    # What a re-run (a retry, a recovered stalled job, a duplicate) does: its insert conflicts, writes nothing.
    for _ in range(2):
        owner_conn.execute(
            "INSERT INTO triage_outcomes (intake_id, tenant_id, acuity, disposition, assessment, engine_name,"
            " engine_version) SELECT intake_id, tenant_id, acuity, disposition, assessment, engine_name, engine_version"
            " FROM triage_outcomes ON CONFLICT (intake_id) DO NOTHING"
        )
    found = await scrape(app_client, await make_key(scopes=METRICS_KEY))
    assert total(found, "triage_outcomes_total") == 1


def test_outcome_totals_see_every_tenant_under_a_schema_owner_that_is_not_superuser(admin_url: str) -> None:
    """The recommended production roles: migration 0007 counts the outcomes written before it, across tenants,
    although row-level security is forced on the table owner, and the trigger counts the new ones."""
    suffix = uuid.uuid4().hex[:8]
    owner, dbname = f"t_owner_{suffix}", f"t_owned_{suffix}"
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f"CREATE ROLE {owner} LOGIN CREATEROLE")
        admin.execute(f"CREATE DATABASE {dbname} OWNER {owner}")
    superuser_url = _with_dbname(admin_url, dbname)
    owner_url = superuser_url.replace("postgresql://postgres@", f"postgresql://{owner}@")
    try:
        backend = get_backend(_yoyo_url(owner_url))
        try:
            before_metrics = read_migrations(str(MIGRATIONS_DIR)).filter(lambda m: m.id != "0007_metrics")
            with backend.lock():
                backend.apply_migrations(backend.to_apply(before_metrics))
        finally:
            backend.connection.close()
        with psycopg.connect(superuser_url, autocommit=True) as su:
            for tenant, acuity in (("clinic-a", 2), ("clinic-b", 2), ("clinic-b", 5)):
                su.execute("INSERT INTO tenants (id) VALUES (%s) ON CONFLICT DO NOTHING", (tenant,))
                intake = su.execute(
                    "INSERT INTO intakes (tenant_id, patient_id, payload, created_by) VALUES (%s, 'P', '{}', 'x')"
                    " RETURNING id",
                    (tenant,),
                ).fetchone()
                assert intake is not None
                su.execute(
                    "INSERT INTO triage_outcomes (intake_id, tenant_id, acuity, disposition, assessment, engine_name,"
                    " engine_version) VALUES (%s, %s, %s, 'emergency', '{}', 'e', '1')",
                    (intake[0], tenant, acuity),
                )
        assert apply_migrations(owner_url) == ["0007_metrics"]

        with psycopg.connect(app_conninfo(superuser_url)) as app:  # acting as triage_app
            with app.transaction():
                app.execute("SELECT set_config('app.tenant_id', 'clinic-a', true)")
                intake = app.execute(
                    "INSERT INTO intakes (tenant_id, patient_id, payload, created_by) VALUES ('clinic-a', 'P', '{}',"
                    " 'x') RETURNING id"
                ).fetchone()
                assert intake is not None
                app.execute(
                    "INSERT INTO triage_outcomes (intake_id, tenant_id, acuity, disposition, assessment, engine_name,"
                    " engine_version) VALUES (%s, 'clinic-a', 5, 'self_care', '{}', 'e', '1')",
                    (intake[0],),
                )
            totals = app.execute(
                "SELECT acuity, disposition, sum(outcomes)::int FROM triage_outcome_tally GROUP BY 1, 2 ORDER BY 1, 2"
            ).fetchall()
            assert totals == [(2, "emergency", 2), (5, "emergency", 1), (5, "self_care", 1)]
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                app.execute("UPDATE triage_outcome_tally SET outcomes = 0")
            app.rollback()
        with psycopg.connect(owner_url) as as_owner:
            forced = as_owner.execute(
                "SELECT relforcerowsecurity FROM pg_class WHERE relname = 'triage_outcomes'"
            ).fetchone()
            assert forced == (True,)
            # The owner itself still sees no tenant's outcome without setting one.
            assert as_owner.execute("SELECT count(*) FROM triage_outcomes").fetchone() == (0,)
    finally:
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {dbname} WITH (FORCE)")
            admin.execute(f"DROP ROLE IF EXISTS {owner}")
