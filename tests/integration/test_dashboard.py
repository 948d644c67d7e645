"""`/ops`, the operators' dashboard, without a browser: sessions, cookies, CSRF, revocation, audit, actions.

The browser test (tests/browser) drives the same pages in headless Chromium; these cover the security logic
wherever no browser can be installed.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import psycopg
import pytest

from tests.conftest import KeyFactory
from tests.helpers import bearer, client_for, make_settings

INTAKE = {"patient_id": "P-dashboard", "age": 40, "symptoms": ["cough"], "urgency": "low"}
OPS = ("ops:read", "ops:write")
CSRF = re.compile(r'name="csrf" value="([0-9a-f]{64})"')
ROW = re.compile(r'<tr data-queue="([^"]+)">(.*?)</tr>', re.S)
CELL = re.compile(r'<td class="num (todo|doing|failed|succeeded)">(\d+)</td>')


@pytest.fixture
async def client(database_url: str) -> AsyncIterator[httpx.AsyncClient]:
    async for dashboard_client in client_for(make_settings(database_url, platform_tenant="platform")):
        yield dashboard_client


def queue_counts(html: str) -> dict[str, dict[str, int]]:
    """The queue table's numbers, by queue and state, as the page shows them."""
    return {name: {state: int(n) for state, n in CELL.findall(row)} for name, row in ROW.findall(html)}


def max_age(set_cookie: str) -> int:
    found = re.search(r"max-age=(\d+)", set_cookie, re.I)
    assert found, set_cookie
    return int(found.group(1))


def csrf_of(html: str) -> str:
    found = CSRF.search(html)
    assert found, "no CSRF token on the page"
    return found.group(1)


async def sign_in(client: httpx.AsyncClient, token: str) -> httpx.Response:
    return await client.post("/ops/login", data={"key": token})


async def submit(client: httpx.AsyncClient, token: str, count: int) -> list[dict[str, Any]]:
    return [(await client.post("/v1/intakes", json=INTAKE, headers=bearer(token))).json() for _ in range(count)]


def fail_job_as_a_worker(owner_conn: psycopg.Connection[Any], job_id: int) -> None:
    """Procrastinate's own transitions, as a worker runs them: register, fetch (doing), finish as failed."""
    worker = owner_conn.execute("SELECT worker_id FROM procrastinate_register_worker_v1()").fetchone()
    assert worker is not None
    fetched = owner_conn.execute(
        "SELECT id FROM procrastinate_fetch_job_v2(ARRAY['triage']::varchar[], %s)", (worker[0],)
    ).fetchone()
    assert fetched == (job_id,)
    owner_conn.execute("SELECT procrastinate_finish_job_v1(%s, 'failed', false)", (job_id,))


async def test_sign_in_sets_a_strict_session_cookie_and_the_page_shows_real_counts(
    client: httpx.AsyncClient, make_key: KeyFactory, owner_conn: psycopg.Connection[Any]
) -> None:
    await submit(client, await make_key(), 3)
    await submit(client, await make_key(tenant="clinic-b"), 2)
    token = await make_key(scopes=("ops:read",))

    unsigned = await client.get("/ops")
    assert unsigned.status_code == 200 and 'action="/ops/login"' in unsigned.text

    signed = await sign_in(client, token)
    assert signed.status_code == 303 and signed.headers["location"] == "/ops"
    cookie = signed.headers["set-cookie"]
    attributes = {part.strip().split("=")[0].lower() for part in cookie.split(";")}
    assert {"httponly", "path", "max-age", "samesite"} <= attributes
    assert "samesite=strict" in cookie.lower() and "path=/ops" in cookie.lower()
    assert 890 <= max_age(cookie) <= 900  # 15 minutes
    assert "secure" not in attributes  # plain HTTP: a Secure cookie would never come back
    value = client.cookies["triage_ops_session"]
    assert token not in value and token.split("_", 3)[3] not in value

    page = await client.get("/ops")
    assert page.status_code == 200
    # A tenant's key sees its own tenant's jobs only: 3, not 5.
    assert queue_counts(page.text)["triage"]["todo"] == 3
    assert "Tenant clinic-a" in page.text
    assert "P-dashboard" not in page.text and "cough" not in page.text
    csp = page.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert page.headers["cache-control"] == "no-store" and page.headers["x-frame-options"] == "DENY"
    assert 'src="/ops/static/dashboard.js"' in page.text and "<script>" not in page.text
    assert "Retry all failed" not in page.text and "/ops/jobs/" not in page.text  # read-only: no action forms

    for _ in range(3):
        fragment = await client.get("/ops/panel")
        assert fragment.status_code == 200 and queue_counts(fragment.text)["triage"]["todo"] == 3
    # Sign-in is audited once; the refreshes are covered by it (no row per refresh).
    audited = owner_conn.execute(
        "SELECT tenant_id, actor, action, resource_type, outcome FROM audit_events WHERE action LIKE 'ops.%'"
    ).fetchall()
    key_id = token.split("_")[2]
    assert audited == [("clinic-a", f"key:{key_id}", "ops.dashboard.signin", "dashboard_session", "success")]

    script = await client.get("/ops/static/dashboard.js")
    assert script.status_code == 200 and script.headers["content-type"].startswith("text/javascript")
    assert (await client.get("/ops/static/nothing.js")).status_code == 404

    platform = httpx.AsyncClient(transport=client._transport, base_url="http://testserver")
    async with platform:
        await sign_in(platform, await make_key(tenant="platform", scopes=("ops:read",)))
        everyone = await platform.get("/ops")
    assert queue_counts(everyone.text)["triage"]["todo"] == 5
    assert "All tenants" in everyone.text


async def test_the_cookie_is_secure_over_https(database_url: str, make_key: KeyFactory) -> None:
    token = await make_key(scopes=("ops:read",))
    async for plain in client_for(make_settings(database_url)):
        over_tls = httpx.AsyncClient(transport=plain._transport, base_url="https://testserver")
        async with over_tls:
            signed = await sign_in(over_tls, token)
        assert "secure" in {p.strip().lower() for p in signed.headers["set-cookie"].split(";")}
    # Behind a proxy that terminates TLS without forwarding the scheme: always Secure.
    async for plain in client_for(make_settings(database_url, dashboard_secure_cookie="always")):
        signed = await sign_in(plain, token)
        assert "secure" in {p.strip().lower() for p in signed.headers["set-cookie"].split(";")}


async def test_sign_in_refuses_bad_keys_keys_without_ops_read_and_cross_site_posts(
    client: httpx.AsyncClient, make_key: KeyFactory, database_url: str, owner_conn: psycopg.Connection[Any]
) -> None:
    intake_key = await make_key(scopes=("intake:write", "intake:read"))
    revoked = await make_key(scopes=OPS)
    owner_conn.execute("UPDATE api_keys SET revoked_at = now() WHERE id = %s", (revoked.split("_")[2],))
    expired = await make_key(scopes=OPS, expires_at=datetime.now(UTC) - timedelta(seconds=1))

    for bad in ("", "not-a-key", "tq_test_zzzzzzzzzzzz_" + "x" * 43, revoked, expired):
        refused = await sign_in(client, bad)
        assert refused.status_code == 401, bad
        assert "not valid" in refused.text and "set-cookie" not in refused.headers
    no_scope = await sign_in(client, intake_key)
    assert no_scope.status_code == 403 and "ops:read" in no_scope.text and "set-cookie" not in no_scope.headers
    cross_site = await client.post(
        "/ops/login", data={"key": await make_key(scopes=OPS)}, headers={"Sec-Fetch-Site": "cross-site"}
    )
    assert cross_site.status_code == 403 and "set-cookie" not in cross_site.headers
    assert (await client.get("/ops/panel")).status_code == 401

    outcomes = owner_conn.execute(
        "SELECT actor, outcome FROM audit_events WHERE action = 'ops.dashboard.signin' ORDER BY id"
    ).fetchall()
    assert outcomes == [("anonymous", "denied")] * 5 + [(f"key:{intake_key.split('_')[2]}", "denied")]


async def test_failed_sign_ins_spend_the_address_budget(database_url: str, make_key: KeyFactory) -> None:
    valid = await make_key(scopes=("ops:read",))
    async for client in client_for(make_settings(database_url, auth_failures_per_minute=2)):
        attempts = [(await sign_in(client, "tq_test_zzzzzzzzzzzz_" + "x" * 43)).status_code for _ in range(3)]
        held_back = await sign_in(client, valid)
    assert attempts == [401, 401, 429]
    assert held_back.status_code == 429 and int(held_back.headers["retry-after"]) >= 1


async def test_actions_need_the_csrf_token_and_ops_write(
    client: httpx.AsyncClient, make_key: KeyFactory, owner_conn: psycopg.Connection[Any]
) -> None:
    accepted = (await submit(client, await make_key(), 1))[0]
    job_id = accepted["job_id"]
    fail_job_as_a_worker(owner_conn, job_id)
    writer = await make_key(scopes=OPS)
    await sign_in(client, writer)
    page = (await client.get("/ops")).text
    assert queue_counts(page)["triage"]["failed"] == 1
    assert f'action="/ops/jobs/{job_id}/retry"' in page
    csrf = csrf_of(page)

    missing = await client.post(f"/ops/jobs/{job_id}/retry")
    wrong = await client.post(f"/ops/jobs/{job_id}/retry", data={"csrf": "0" * 64})
    as_json = await client.post(f"/ops/jobs/{job_id}/retry", json={"csrf": csrf})
    for refused in (missing, wrong, as_json):
        assert refused.status_code == 403 and "CSRF" in refused.text
    cross_site = await client.post(
        f"/ops/jobs/{job_id}/retry", data={"csrf": csrf}, headers={"Sec-Fetch-Site": "cross-site"}
    )
    assert cross_site.status_code == 403
    assert owner_conn.execute("SELECT status FROM procrastinate_jobs WHERE id = %s", (job_id,)).fetchone() == (
        "failed",
    )

    # A token is bound to its session: another session's token is refused too.
    other = httpx.AsyncClient(transport=client._transport, base_url="http://testserver")
    async with other:
        await sign_in(other, writer)
        assert (await other.post(f"/ops/jobs/{job_id}/retry", data={"csrf": csrf})).status_code == 403

        # Without a session at all: sign in again.
        other.cookies.clear()
        signed_out = await other.post(f"/ops/jobs/{job_id}/retry", data={"csrf": csrf})
        assert signed_out.status_code == 401 and 'action="/ops/login"' in signed_out.text

    retried = await client.post(f"/ops/jobs/{job_id}/retry", data={"csrf": csrf})
    assert retried.status_code == 303 and retried.headers["location"] == f"/ops?done=retried&job={job_id}"
    assert owner_conn.execute("SELECT status FROM procrastinate_jobs WHERE id = %s", (job_id,)).fetchone() == ("todo",)
    shown = (await client.get(retried.headers["location"])).text
    assert f"Job {job_id} retried" in shown
    again = await client.post(f"/ops/jobs/{job_id}/retry", data={"csrf": csrf})
    assert again.headers["location"] == f"/ops?error=not-retryable&job={job_id}"

    writer_id = writer.split("_")[2]
    audited = owner_conn.execute(
        "SELECT actor, action, resource_id, outcome FROM audit_events WHERE action LIKE 'ops.job.%' ORDER BY id"
    ).fetchall()
    assert audited[:3] == [(f"key:{writer_id}", "ops.job.retry", str(job_id), "denied")] * 3
    assert (f"key:{writer_id}", "ops.job.retry", str(job_id), "success") in audited
    assert audited[-1] == (f"key:{writer_id}", "ops.job.retry", str(job_id), "invalid")
    reopened = owner_conn.execute(
        "SELECT actor, action, job_id FROM audit_events WHERE action = 'intake.retry'"
    ).fetchall()
    assert reopened == [(f"key:{writer_id}", "intake.retry", job_id)]


async def test_a_read_only_key_cannot_act(
    client: httpx.AsyncClient, make_key: KeyFactory, owner_conn: psycopg.Connection[Any]
) -> None:
    job_id = (await submit(client, await make_key(), 1))[0]["job_id"]
    fail_job_as_a_worker(owner_conn, job_id)
    await sign_in(client, await make_key(scopes=("ops:read",)))
    page = (await client.get("/ops")).text
    assert "/retry" not in page
    csrf = csrf_of(page)  # the sign-out form's
    refused = await client.post(f"/ops/jobs/{job_id}/retry", data={"csrf": csrf})
    assert refused.status_code == 403 and "ops:write" in refused.text
    assert owner_conn.execute("SELECT status FROM procrastinate_jobs WHERE id = %s", (job_id,)).fetchone() == (
        "failed",
    )


async def test_another_tenants_job_is_not_found_and_only_the_platform_pauses_queues(
    client: httpx.AsyncClient, make_key: KeyFactory, owner_conn: psycopg.Connection[Any]
) -> None:
    job_b = (await submit(client, await make_key(tenant="clinic-b"), 1))[0]["job_id"]
    await sign_in(client, await make_key(scopes=OPS))
    csrf = csrf_of((await client.get("/ops")).text)
    cancelled = await client.post(f"/ops/jobs/{job_b}/cancel", data={"csrf": csrf})
    assert cancelled.headers["location"] == f"/ops?error=not-found&job={job_b}"
    assert owner_conn.execute("SELECT status FROM procrastinate_jobs WHERE id = %s", (job_b,)).fetchone() == ("todo",)
    assert (await client.post("/ops/queues/triage/pause", data={"csrf": csrf})).status_code == 403
    assert owner_conn.execute("SELECT count(*) FROM ops_paused_queues").fetchone() == (0,)

    platform = httpx.AsyncClient(transport=client._transport, base_url="http://testserver")
    async with platform:
        await sign_in(platform, await make_key(tenant="platform", scopes=OPS))
        page = (await platform.get("/ops")).text
        assert 'action="/ops/queues/triage/pause"' in page
        csrf = csrf_of(page)
        paused = await platform.post("/ops/queues/triage/pause", data={"csrf": csrf})
        assert paused.headers["location"] == "/ops?done=paused&queue=triage"
        page = (await platform.get("/ops")).text
        assert 'action="/ops/queues/triage/resume"' in page and "Paused by key:" in page
        cancelled = await platform.post(f"/ops/jobs/{job_b}/cancel", data={"csrf": csrf})
        assert cancelled.headers["location"] == f"/ops?done=cancelled&job={job_b}"
        resumed = await platform.post("/ops/queues/triage/resume", data={"csrf": csrf})
        assert resumed.headers["location"] == "/ops?done=resumed&queue=triage"
    assert owner_conn.execute("SELECT count(*) FROM ops_paused_queues").fetchone() == (0,)
    actions = owner_conn.execute(
        "SELECT action, outcome FROM audit_events WHERE action LIKE 'ops.%' AND action NOT LIKE 'ops.dashboard.%' "
        "ORDER BY id"
    ).fetchall()
    assert actions == [
        ("ops.job.cancel", "not_found"),
        ("ops.queue.pause", "denied"),
        ("ops.queue.pause", "success"),
        ("ops.job.cancel", "success"),
        ("ops.queue.resume", "success"),
    ]


async def test_revoking_the_key_or_signing_out_ends_the_session(
    client: httpx.AsyncClient, make_key: KeyFactory, owner_conn: psycopg.Connection[Any]
) -> None:
    token = await make_key(scopes=("ops:read",))
    await sign_in(client, token)
    assert (await client.get("/ops/panel")).status_code == 200
    owner_conn.execute("UPDATE api_keys SET revoked_at = now() WHERE id = %s", (token.split("_")[2],))
    assert (await client.get("/ops/panel")).status_code == 401
    page = await client.get("/ops")
    assert 'action="/ops/login"' in page.text and "triage_ops_session=" in page.headers["set-cookie"]

    token = await make_key(scopes=("ops:read",))
    await sign_in(client, token)
    kept = client.cookies["triage_ops_session"]
    csrf = csrf_of((await client.get("/ops")).text)
    signed_out = await client.post("/ops/logout", data={"csrf": csrf})
    assert signed_out.status_code == 303 and signed_out.headers["location"] == "/ops?done=signed-out"
    assert "max-age=0" in signed_out.headers["set-cookie"].lower()
    # The server forgot the session: the old cookie, replayed, is worth nothing.
    replay = httpx.AsyncClient(transport=client._transport, base_url="http://testserver")
    async with replay:
        assert (await replay.get("/ops/panel", headers={"Cookie": f"triage_ops_session={kept}"})).status_code == 401
    assert owner_conn.execute("SELECT count(*) FROM dashboard_sessions").fetchone() == (0,)
    audited = owner_conn.execute("SELECT action FROM audit_events WHERE action LIKE 'ops.dashboard.%' ORDER BY id")
    assert [a for (a,) in audited] == ["ops.dashboard.signin", "ops.dashboard.signin", "ops.dashboard.signout"]


async def test_the_session_expires_when_idle(
    client: httpx.AsyncClient, make_key: KeyFactory, owner_conn: psycopg.Connection[Any]
) -> None:
    await sign_in(client, await make_key(scopes=("ops:read",)))
    # An idle minute later a refresh slides the expiry (and sends the cookie again) ...
    owner_conn.execute("UPDATE dashboard_sessions SET last_seen_at = now() - interval '2 minutes'")
    slid = await client.get("/ops/panel")
    assert slid.status_code == 200 and max_age(slid.headers["set-cookie"]) >= 890
    # ... but never past the absolute lifetime, and an expired session is gone.
    owner_conn.execute(
        "UPDATE dashboard_sessions SET created_at = now() - interval '8 hours', "
        "last_seen_at = now() - interval '2 minutes'"
    )
    capped = await client.get("/ops/panel")
    assert capped.status_code == 200 and max_age(capped.headers["set-cookie"]) == 0
    assert (await client.get("/ops/panel")).status_code == 401


async def test_the_dashboard_is_not_part_of_the_api_document(client: httpx.AsyncClient) -> None:
    paths = client.app.openapi()["paths"]  # type: ignore[attr-defined]
    assert not [path for path in paths if path.startswith("/ops")]


async def test_changing_the_pepper_ends_every_session(database_url: str, make_key: KeyFactory) -> None:
    token = await make_key(scopes=("ops:read",))
    async for client in client_for(make_settings(database_url)):
        await sign_in(client, token)
        cookie = client.cookies["triage_ops_session"]
        assert (await client.get("/ops/panel")).status_code == 200
    async for client in client_for(make_settings(database_url, key_pepper="another-pepper-" + "y" * 40)):
        stale = await client.get("/ops/panel", headers={"Cookie": f"triage_ops_session={cookie}"})
        assert stale.status_code == 401
