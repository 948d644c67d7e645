"""Authentication matrix: every protected route × missing / invalid / expired / revoked / wrong / right scope."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import psycopg
import pytest

from runtime.credentials import SCOPES
from tests.conftest import KeyFactory
from tests.helpers import bearer

INTAKE = {"patient_id": "P-auth", "age": 33, "symptoms": ["rash"], "urgency": "low"}
PUBLIC_PATHS = {"/healthz", "/readyz"}


@dataclass(frozen=True)
class Route:
    method: str
    path: str
    scope: str
    ok_status: int

    def url(self, intake_id: str) -> str:
        # An unknown job: past authentication and scope, an ops job route answers 404.
        return (
            self.path.replace("{intake_id}", intake_id)
            .replace("{patient_id}", "P-auth")
            .replace("{job_id}", "999999")
            .replace("{queue}", "triage")
        )


ROUTES = [
    Route("POST", "/v1/intakes", "intake:write", 202),
    Route("GET", "/v1/intakes/{intake_id}", "intake:read", 200),
    Route("GET", "/v1/patients/{patient_id}/intakes", "intake:read", 200),
    Route("GET", "/v1/audit", "admin", 200),
    Route("POST", "/intake", "intake:write", 200),
    Route("POST", "/intake/store", "intake:write", 200),
    Route("GET", "/intake/{patient_id}", "intake:read", 200),
    Route("GET", "/v1/ops/queues", "ops:read", 200),
    Route("GET", "/v1/ops/jobs", "ops:read", 200),
    Route("GET", "/v1/ops/jobs/{job_id}", "ops:read", 404),
    Route("GET", "/v1/ops/workers", "ops:read", 200),
    Route("GET", "/v1/ops/stalled", "ops:read", 200),
    Route("POST", "/v1/ops/jobs/{job_id}/retry", "ops:write", 404),
    Route("POST", "/v1/ops/jobs/{job_id}/cancel", "ops:write", 404),
    Route("POST", "/v1/ops/jobs/bulk-retry", "ops:write", 200),
    Route("POST", "/v1/ops/jobs/bulk-cancel", "ops:write", 200),
    # Past authentication and scope, a tenant's key is refused: queues are the platform operator's.
    Route("POST", "/v1/ops/queues/{queue}/pause", "ops:write", 403),
    Route("POST", "/v1/ops/queues/{queue}/resume", "ops:write", 403),
    Route("GET", "/metrics", "metrics:read", 200),
    Route("GET", "/v1/intakes/{intake_id}/deliveries", "intake:read", 200),
    # Sent with a malformed Last-Event-ID: past authentication and scope, refused before a stream opens.
    Route("GET", "/v1/events", "intake:read", 422),
    Route("GET", "/v1/intakes/{intake_id}/fhir", "intake:read", 200),
    Route("GET", "/v1/reviews", "review", 200),
    # The seeded intake is not triaged yet: past authentication and scope, a review is refused with 409.
    Route("POST", "/v1/intakes/{intake_id}/reviews", "review", 409),
]


def test_the_matrix_covers_every_protected_route(app_client: httpx.AsyncClient) -> None:
    paths = app_client.app.openapi()["paths"]  # type: ignore[attr-defined]
    declared = {
        (method.upper(), path)
        for path, operations in paths.items()
        if path not in PUBLIC_PATHS
        for method in operations
    }
    assert declared == {(r.method, r.path) for r in ROUTES}


async def _seed(app_client: httpx.AsyncClient, make_key: KeyFactory) -> str:
    token = await make_key(scopes=("intake:write",), name="seeder")
    response = await app_client.post("/v1/intakes", json=INTAKE, headers=bearer(token))
    return str(response.json()["intake_id"])


async def _call(client: httpx.AsyncClient, route: Route, intake_id: str, headers: dict[str, str]) -> httpx.Response:
    body: dict[str, Any] | None = INTAKE if route.method == "POST" and not route.path.startswith("/v1/ops") else None
    if "/bulk-" in route.path:
        body = {}  # a dry run over every job
    if route.path.endswith("/reviews"):
        body = {"decision": "confirm", "reason": "checked"}
    if route.path == "/v1/events":
        headers = {**headers, "Last-Event-ID": "not-a-number"}
    return await client.request(route.method, route.url(intake_id), json=body, headers=headers)


def _without_request_id(problem: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in problem.items() if k != "request_id"}


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: f"{r.method} {r.path}")
async def test_unauthenticated_calls_get_one_indistinct_401(
    app_client: httpx.AsyncClient, make_key: KeyFactory, database_url: str, route: Route
) -> None:
    intake_id = await _seed(app_client, make_key)
    expired = await make_key(scopes=(route.scope,), expires_at=datetime.now(UTC) - timedelta(seconds=1))
    revoked = await make_key(scopes=(route.scope,))
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute("UPDATE api_keys SET revoked_at = now() WHERE id = %s", (revoked.split("_")[2],))
    valid = await make_key(scopes=(route.scope,))
    wrong_secret = valid[:-4] + ("AAAA" if not valid.endswith("AAAA") else "BBBB")
    unknown_id = "tq_test_zzzzzzzzzzzz_" + valid.split("_", 3)[3]

    attempts = {
        "missing": {},
        "not a bearer": {"Authorization": f"Basic {valid}"},
        "garbage": bearer("not-a-key"),
        "unknown key id": bearer(unknown_id),
        "wrong secret": bearer(wrong_secret),
        "expired": bearer(expired),
        "revoked": bearer(revoked),
    }
    bodies = []
    for label, headers in attempts.items():
        response = await _call(app_client, route, intake_id, headers)
        assert response.status_code == 401, label
        assert response.headers["content-type"] == "application/problem+json", label
        assert response.headers["www-authenticate"].startswith("Bearer"), label
        bodies.append(_without_request_id(response.json()))
    # The answer never tells which check failed.
    assert all(body == bodies[0] for body in bodies)


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: f"{r.method} {r.path}")
async def test_wrong_scope_is_403_and_right_scope_succeeds(
    app_client: httpx.AsyncClient, make_key: KeyFactory, route: Route
) -> None:
    intake_id = await _seed(app_client, make_key)
    other_scopes = tuple(s for s in SCOPES if s not in {route.scope, "admin"})
    wrong = await _call(app_client, route, intake_id, bearer(await make_key(scopes=other_scopes)))
    assert wrong.status_code == 403
    assert wrong.headers["content-type"] == "application/problem+json"
    assert route.scope in wrong.json()["detail"]

    right = await _call(app_client, route, intake_id, bearer(await make_key(scopes=(route.scope,))))
    assert right.status_code == route.ok_status, right.text

    admin = await _call(app_client, route, intake_id, bearer(await make_key(scopes=("admin",))))
    assert admin.status_code == route.ok_status, admin.text


async def test_last_use_is_recorded(app_client: httpx.AsyncClient, make_key: KeyFactory, database_url: str) -> None:
    token = await make_key(scopes=("intake:read",))
    with psycopg.connect(database_url) as conn:
        before = conn.execute("SELECT last_used_at FROM api_keys WHERE id = %s", (token.split("_")[2],)).fetchone()
    await app_client.get("/v1/patients/P-auth/intakes", headers=bearer(token))
    with psycopg.connect(database_url) as conn:
        after = conn.execute("SELECT last_used_at FROM api_keys WHERE id = %s", (token.split("_")[2],)).fetchone()
    assert before == (None,)
    assert after is not None and after[0] is not None


async def test_secrets_are_stored_only_as_keyed_hashes(make_key: KeyFactory, database_url: str) -> None:
    token = await make_key()
    secret = token.split("_", 3)[3]
    with psycopg.connect(database_url) as conn:
        dump = conn.execute("SELECT row_to_json(k)::text FROM api_keys k").fetchone()
    assert dump is not None
    assert secret not in dump[0]
    assert token not in dump[0]


async def test_rate_limit_answers_429_with_retry_after(make_key: KeyFactory, settings: Any, database_url: str) -> None:
    from api.app import create_app
    from tests.helpers import make_settings

    app = create_app(make_settings(database_url, rate_limit_per_minute=3))
    headers = bearer(await make_key(scopes=("intake:read",)))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            statuses = [(await client.get("/v1/patients/P1/intakes", headers=headers)).status_code for _ in range(4)]
            limited = await client.get("/v1/patients/P1/intakes", headers=headers)
    assert statuses == [200, 200, 200, 429]
    assert limited.status_code == 429
    assert int(limited.headers["retry-after"]) >= 1
    assert limited.headers["content-type"] == "application/problem+json"


async def test_a_flood_of_bad_keys_is_throttled_per_address_and_audited_once(
    make_key: KeyFactory, database_url: str, owner_conn: psycopg.Connection[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    from api.app import create_app
    from store import api_keys
    from tests.helpers import make_settings

    lookups: list[str] = []
    get_key = api_keys.get_key

    async def counted_get_key(conn: Any, key_id: str) -> Any:
        lookups.append(key_id)
        return await get_key(conn, key_id)

    monkeypatch.setattr(api_keys, "get_key", counted_get_key)
    app = create_app(make_settings(database_url, auth_failures_per_minute=3))
    valid = bearer(await make_key(scopes=("intake:read",)))
    unknown = bearer("tq_test_zzzzzzzzzzzz_" + "x" * 43)
    async with app.router.lifespan_context(app):
        flooder = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver")
        neighbour = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app, client=("10.1.2.3", 4567)), base_url="http://testserver"
        )
        async with flooder, neighbour:
            flood = [await flooder.get("/v1/patients/P-auth/intakes", headers=unknown) for _ in range(20)]
            lookups_during_flood = len(lookups)
            # The address is held back whatever it sends until its bucket refills; others are not.
            blocked_valid = await flooder.get("/v1/patients/P-auth/intakes", headers=valid)
            other_address = [
                (await neighbour.get("/v1/patients/P-auth/intakes", headers=headers)).status_code
                for headers in (unknown, valid)
            ]

    assert [r.status_code for r in flood] == [401] * 3 + [429] * 17
    for refused in flood[3:]:
        assert refused.headers["content-type"] == "application/problem+json"
        assert refused.json()["type"].endswith(":rate-limited")
        assert int(refused.headers["retry-after"]) >= 1
    assert lookups_during_flood == 3  # a held-back request costs no key lookup
    assert blocked_valid.status_code == 429
    assert other_address == [401, 200]
    # One audit row for the flooder's window (its first refusal), one for the neighbour's 401, one success.
    rows = owner_conn.execute("SELECT actor, outcome, request_id FROM audit_events ORDER BY id").fetchall()
    assert [(actor, outcome) for actor, outcome, _ in rows] == [
        ("anonymous", "denied"),
        ("anonymous", "denied"),
        (f"key:{valid['Authorization'].split('_')[2]}", "success"),
    ]
    assert rows[0][2] == flood[0].headers["x-request-id"]


async def test_the_access_log_line_names_the_callers_tenant_and_key(
    app_client: httpx.AsyncClient,
    make_key: KeyFactory,
    owner_conn: psycopg.Connection[Any],
    caplog: pytest.LogCaptureFixture,
) -> None:
    token = await make_key(tenant="clinic-a", name="log-context")
    row = owner_conn.execute("SELECT id FROM api_keys WHERE name = 'log-context'").fetchone()
    assert row is not None
    caplog.set_level(logging.INFO, logger="api.access")
    assert (await app_client.get("/v1/patients/P-log/intakes", headers=bearer(token))).status_code == 200
    # The structlog event of the request's one access-log line, with the context bound while it ran.
    (line,) = [
        record.msg for record in caplog.records if isinstance(record.msg, dict) and record.msg.get("event") == "request"
    ]
    assert (line["tenant_id"], line["key_id"], line["status"]) == ("clinic-a", row[0], 200)
