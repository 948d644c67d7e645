"""The dashboard in headless Chromium, against a real API process, a real worker and the test database.

An operator signs in, sees the real number of waiting triage jobs, watches a poison intake fail live,
pauses the queue, retries the failed job from its row (the job goes back to `todo`, its intake reads
`queued`), repairs the intake and resumes the queue (it is triaged). Screenshot: the test's folder, and
DASHBOARD_SCREENSHOT when set (how docs/ops-dashboard.png can be refreshed; see docs/operations.md).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
import psycopg
import pytest

from tests.conftest import KeyFactory
from tests.helpers import ProcessGroup, bearer, child_env
from tests.integration.test_end_to_end import wait_for_status

if TYPE_CHECKING:
    from playwright.async_api import Browser, Dialog

pytestmark = pytest.mark.browser

INTAKE = {"patient_id": "P-browser", "age": 40, "symptoms": ["cough"], "urgency": "low"}
SUBMITTED = 5
OPS = ("ops:read", "ops:write")


async def test_an_operator_signs_in_sees_real_counts_and_retries_a_failed_job(
    browser: Browser,
    make_key: KeyFactory,
    database_url: str,
    owner_conn: psycopg.Connection[Any],
    processes: ProcessGroup,
    tmp_path: Path,
) -> None:
    from playwright.async_api import expect

    base = processes.start_api(
        child_env(database_url, TRIAGE_PLATFORM_TENANT="platform", TRIAGE_DASHBOARD_REFRESH_SECONDS="1")
    )
    agent = bearer(await make_key())
    async with httpx.AsyncClient(base_url=base, timeout=10) as api:
        accepted = [(await api.post("/v1/intakes", json=INTAKE, headers=agent)).json() for _ in range(SUBMITTED)]
        broken = accepted[0]
        # A poison intake: the engine cannot read it, so its job fails (one attempt allowed below).
        owner_conn.execute("UPDATE intakes SET payload = payload - 'urgency' WHERE id = %s", (broken["intake_id"],))

        context = await browser.new_context(viewport={"width": 1600, "height": 1000})
        page = await context.new_page()
        page.set_default_timeout(15_000)

        async def accept(dialog: Dialog) -> None:
            await dialog.accept()

        page.on("dialog", accept)

        # A key without ops:read cannot sign in.
        await page.goto(f"{base}/ops")
        await page.fill("#key", await make_key(scopes=("intake:read",)))
        await page.click("button[type=submit]")
        await expect(page.locator("#signin-error")).to_contain_text("lacks the 'ops:read' scope")
        assert await context.cookies() == []

        # The platform operator signs in and sees every waiting job that was submitted.
        await page.fill("#key", await make_key(tenant="platform", scopes=OPS))
        await page.click("button[type=submit]")
        await page.mouse.move(0, 0)  # off the forms: the refresh pauses while the pointer is on one
        triage = page.locator('#queues tr[data-queue="triage"]')
        await expect(triage.locator("td.todo")).to_have_text(str(SUBMITTED))
        await expect(page.locator("#tile-waiting .n")).to_have_text(str(SUBMITTED))
        await expect(page.locator("#scope")).to_contain_text("All tenants")

        cookies = {c["name"]: c for c in await context.cookies()}
        session = cookies["triage_ops_session"]
        assert (session["httpOnly"], session["sameSite"], session["path"], session["secure"]) == (
            True,
            "Strict",
            "/ops",
            False,  # plain HTTP here; Secure over HTTPS (tests/integration/test_dashboard.py)
        )
        assert await page.evaluate("document.cookie") == ""  # out of reach of scripts
        # A POST from the page's own origin, with the session cookie but without the CSRF token: refused.
        status = await page.evaluate(
            """async (url) => (await fetch(url, {method: "POST", body: new URLSearchParams({})})).status""",
            f"{base}/ops/jobs/{broken['job_id']}/retry",
        )
        assert status == 403

        # A worker runs the jobs: the page follows by itself (no reload) — 4 triaged, the poison one failed.
        processes.start(
            ["worker", "--concurrency", "1"], child_env(database_url, TRIAGE_JOB_MAX_ATTEMPTS="1"), "worker"
        )
        await expect(triage.locator("td.failed")).to_have_text("1", timeout=60_000)
        await expect(triage.locator("td.succeeded")).to_have_text(str(SUBMITTED - 1), timeout=30_000)
        failed_row = page.locator(f'#failed tr[data-job="{broken["job_id"]}"]')
        await expect(failed_row).to_contain_text(broken["intake_id"])
        await expect(failed_row).to_contain_text("after 1 attempt(s)")
        await expect(page.locator("#workers tbody tr")).to_have_count(1)
        await expect(page.locator("#workers .badge")).to_have_text("live")
        page_text = await page.content()
        assert "P-browser" not in page_text and "cough" not in page_text

        # Pause the queue, so that the retried job waits where we can see it.
        await triage.locator("button", has_text="Pause").click()
        await expect(page.locator("#flash")).to_contain_text("Queue triage paused")
        await page.mouse.move(0, 0)
        await expect(page.locator('#paused tr[data-queue="triage"]')).to_be_visible()
        await _screenshot(page, tmp_path)

        await page.locator(f'#failed tr[data-job="{broken["job_id"]}"] button.retry').click()
        await expect(page.locator("#flash")).to_contain_text(f"Job {broken['job_id']} retried")
        job = owner_conn.execute("SELECT status FROM procrastinate_jobs WHERE id = %s", (broken["job_id"],)).fetchone()
        assert job == ("todo",)
        intake = (await api.get(f"/v1/intakes/{broken['intake_id']}", headers=agent)).json()
        assert intake["status"] == "queued"
        await page.mouse.move(0, 0)
        await expect(triage.locator("td.todo")).to_have_text("1")

        # Repair the intake and resume the queue: the same job runs again and the intake is triaged.
        owner_conn.execute(
            """UPDATE intakes SET payload = payload || '{"urgency": "low"}' WHERE id = %s""", (broken["intake_id"],)
        )
        await page.locator('#paused tr[data-queue="triage"] button').click()
        await expect(page.locator("#flash")).to_contain_text("Queue triage resumed")
        triaged = await wait_for_status(api, broken["intake_id"], agent, {"triaged"}, timeout=60)
        assert triaged["status"] == "triaged", processes.logs()

        await page.click("#signout")
        await expect(page.locator("form[action='/ops/login']")).to_be_visible()
        assert "triage_ops_session" not in {c["name"] for c in await context.cookies()}
        await context.close()

    actions = owner_conn.execute(
        "SELECT action, outcome FROM audit_events WHERE action LIKE 'ops.%' ORDER BY id"
    ).fetchall()
    assert actions == [
        ("ops.dashboard.signin", "denied"),
        ("ops.dashboard.signin", "success"),
        ("ops.job.retry", "denied"),  # the POST without a CSRF token
        ("ops.queue.pause", "success"),
        ("ops.job.retry", "success"),
        ("ops.queue.resume", "success"),
        ("ops.dashboard.signout", "success"),
    ]


async def _screenshot(page: Any, tmp_path: Path) -> None:
    shot = tmp_path / "ops-dashboard.png"
    await page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    extra = os.environ.get("DASHBOARD_SCREENSHOT")
    if extra:
        await page.screenshot(path=extra, full_page=True)
