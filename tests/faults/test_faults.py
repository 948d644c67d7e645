"""Fault injection in the spirit of Jepsen's total-queue checker.

Real processes (`triage api`, `triage worker`s) on a throwaway PostgreSQL; a load generator whose
clients retry each submission with its Idempotency-Key until acknowledged; one fault per scenario; then
the checker compares what the clients were told with what the database holds: every acknowledged intake
triaged exactly once, nothing lost, duplicated or stuck. Each scenario prints one `faults[...]` line
(appended to $FAULTS_REPORT when set).

Run: .venv/bin/pytest tests/faults -m faults -s -q
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import subprocess
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator

import httpx
import psycopg
import pytest

from tasks.triage import TASK_NAME
from tests.faults.checker import Verdict, check
from tests.faults.load import LoadGenerator, Submission, intake_body, submissions, submit_until_acknowledged
from tests.faults.postgres import Outage
from tests.faults.stack import LISTEN_BACKENDS, FaultStack
from tests.helpers import bearer, make_settings

# Procrastinate's LISTEN connection notices a dead connection at once, or at its next 30 s keep-alive.
RELISTEN_WITHIN_SECONDS = 35.0


def worker_shutdown_grace(stack: FaultStack) -> float:
    """How long a SIGTERMed worker may take to finish its running jobs (TRIAGE_WORKER_SHUTDOWN_TIMEOUT)."""
    return float(getattr(make_settings(stack.database_url), "worker_shutdown_seconds", 30.0))


@contextlib.asynccontextmanager
async def running(load: LoadGenerator) -> AsyncIterator[asyncio.Task[None]]:
    """The load in the background; cancelled if the test leaves early."""
    task = asyncio.create_task(load.run())
    try:
        yield task
    finally:
        if not task.done():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task


async def start_stack(stack: FaultStack, workers: int) -> str:
    api_url = await asyncio.to_thread(stack.start_api)
    for n in range(1, workers + 1):
        stack.start_worker(f"w{n}")
    await stack.wait_workers_ready(workers)
    return api_url


def assert_workers_alive(stack: FaultStack, verdict: Verdict, *, except_: tuple[str, ...] = ()) -> None:
    dead = {name: rc for name, rc in stack.dead_workers().items() if name not in except_}
    assert not dead, f"{verdict.line()}\nworkers exited (return codes): {dead}\n{stack.log_tail()}"


async def reruns(stack: FaultStack) -> int:
    """Intakes claimed by workers more than once: a retry after an error, a recovered job, or a job
    delivered twice. Reported, not asserted: the outcome stays unique either way."""
    async with await psycopg.AsyncConnection.connect(stack.database_url, autocommit=True) as conn:
        row = await (
            await conn.execute(
                "SELECT count(*) FROM (SELECT resource_id FROM audit_events"
                " WHERE actor LIKE 'worker:%' AND action = 'intake.read' GROUP BY 1 HAVING count(*) > 1) twice"
            )
        ).fetchone()
    return int(row[0]) if row else 0


# -- a. kill -9 a worker ---------------------------------------------------------------------------------


@pytest.mark.faults
async def test_kill_9_a_worker_mid_load(stack: FaultStack) -> None:
    """SIGKILL one of two workers after ~1/3 of 1,000 acknowledgements; no replacement is started:
    the survivor must recover the dead worker's jobs."""
    async with asyncio.timeout(300):
        api_url = await start_stack(stack, workers=2)
        batch = submissions(1000)
        load = LoadGenerator(api_url, stack.token, batch)
        async with running(load) as task:
            await load.wait_acknowledged(len(batch) // 3, timeout=120)
            await stack.freeze_when_busy("w1")
            fault = stack.mark_fault("kill-worker")
            stack.signal_worker("w1", signal.SIGKILL)
            await task
        killed_inflight = await stack.inflight_claims("w1")  # frozen: w1 is dead
        verdict = await check(
            "kill-worker",
            stack.database_url,
            batch,
            fault,
            timeout=90,
            extra={"killed_inflight": killed_inflight, "w1_exit": stack.workers["w1"].wait(timeout=10)},
        )
    verdict.assert_ok()
    assert_workers_alive(stack, verdict, except_=("w1",))
    assert killed_inflight >= 1, f"inconclusive: the kill hit no in-flight job\n{verdict.line()}"


# -- b. pg_ctl restart -m immediate ----------------------------------------------------------------------


@pytest.mark.faults
async def test_postgres_restart_immediate_under_load(stack: FaultStack) -> None:
    async with asyncio.timeout(240):
        api_url = await start_stack(stack, workers=2)
        batch = submissions(300)
        load = LoadGenerator(api_url, stack.token, batch, rate=60)
        async with running(load) as task:
            await load.wait_acknowledged(len(batch) // 3, timeout=60)
            fault = stack.mark_fault("pg-restart-immediate")
            began = time.monotonic()
            await asyncio.to_thread(stack.pg.restart, "immediate")
            restart_took = time.monotonic() - began
            await task
        verdict = await check(
            "pg-restart-immediate",
            stack.database_url,
            batch,
            fault,
            timeout=90,
            extra={"restart_took": f"{restart_took:.1f}s"},
        )
    verdict.assert_ok()
    assert_workers_alive(stack, verdict)


# -- c. pg_terminate_backend on the workers' LISTEN connections ------------------------------------------


async def seconds_until_listening(stack: FaultStack, timeout: float, *, replacing: list[int]) -> float | None:
    """Poll until every live worker has a LISTEN connection again (a new backend, not one of
    `replacing`); elapsed seconds, None at the deadline."""
    began = time.monotonic()
    while time.monotonic() - began < timeout:
        live = sum(1 for proc in stack.workers.values() if proc.poll() is None)
        with contextlib.suppress(psycopg.OperationalError):
            listening = await asyncio.to_thread(stack.pg.backends, LISTEN_BACKENDS)
            if live and len(set(listening) - set(replacing)) >= live:
                return time.monotonic() - began
        await asyncio.sleep(0.1)
    return None


async def cut_listen_connections(stack: FaultStack) -> tuple[int, float | None]:
    """Terminate the workers' LISTEN connections; how many, and how long until they LISTEN again."""
    terminated = await asyncio.to_thread(stack.pg.terminate_backends, LISTEN_BACKENDS)
    return len(terminated), await seconds_until_listening(stack, RELISTEN_WITHIN_SECONDS, replacing=terminated)


@pytest.mark.faults
async def test_terminate_the_workers_listen_connections(stack: FaultStack) -> None:
    async with asyncio.timeout(240):
        api_url = await start_stack(stack, workers=2)
        listening = await seconds_until_listening(stack, 15, replacing=[])
        assert listening is not None, "the workers never LISTENed\n" + stack.log_tail()
        batch = submissions(400)
        load = LoadGenerator(api_url, stack.token, batch, rate=30)  # ~13 s of arrivals
        rounds: list[tuple[int, float | None]] = []
        async with running(load) as task:
            await load.wait_acknowledged(100, timeout=60)
            fault = stack.mark_fault("terminate-listen")
            rounds.append(await cut_listen_connections(stack))
            await load.wait_acknowledged(250, timeout=60)
            rounds.append(await cut_listen_connections(stack))
            await task
        verdict = await check(
            "terminate-listen",
            stack.database_url,
            batch,
            fault,
            timeout=60,
            extra={
                "terminated": "+".join(str(n) for n, _ in rounds),
                "relisten_in": "+".join("never" if r is None else f"{r:.2f}s" for _, r in rounds),
            },
        )
    verdict.assert_ok()
    assert_workers_alive(stack, verdict)
    assert all(n for n, _ in rounds), f"a round found no LISTEN connection to terminate\n{verdict.line()}"
    assert all(r is not None for _, r in rounds), (
        f"the workers did not LISTEN again within {RELISTEN_WITHIN_SECONDS}s\n{verdict.line()}"
    )


# -- d. SIGTERM a worker during work ---------------------------------------------------------------------


@pytest.mark.faults
async def test_sigterm_a_worker_during_work(stack: FaultStack) -> None:
    """A SIGTERMed worker finishes its in-flight jobs and exits 0 within its shutdown grace."""
    async with asyncio.timeout(240):
        api_url = await start_stack(stack, workers=2)
        batch = submissions(300)
        load = LoadGenerator(api_url, stack.token, batch, rate=40)  # arrivals continue after the signal
        proc = stack.workers["w1"]
        async with running(load) as task:
            await load.wait_acknowledged(len(batch) // 3, timeout=60)
            inflight_at_signal = await stack.freeze_when_busy("w1")
            fault = stack.mark_fault("sigterm-worker")
            stack.signal_worker("w1", signal.SIGTERM)
            stack.signal_worker("w1", signal.SIGCONT)  # the signal is handled once it runs again
            try:
                exit_code: int | None = await asyncio.to_thread(proc.wait, worker_shutdown_grace(stack) + 15)
            except subprocess.TimeoutExpired:
                exit_code = None
            exit_in = time.monotonic() - fault.monotonic
            await task

        async def probes() -> dict[str, object]:
            return {"w1_abandoned": await stack.inflight_claims("w1"), "w1_claims": await stack.claims("w1")}

        verdict = await check(
            "sigterm-worker",
            stack.database_url,
            batch,
            fault,
            timeout=60,
            extra={"w1_exit": exit_code, "w1_exit_in": f"{exit_in:.1f}s", "inflight_at_sigterm": inflight_at_signal},
            probes=probes,
        )
        abandoned = verdict.extra["w1_abandoned"]
    verdict.assert_ok()
    assert_workers_alive(stack, verdict, except_=("w1",))
    context = f"{verdict.line()}\n{stack.log_tail()}"
    assert exit_code == 0, f"w1 exit code {exit_code} (None: still running after the grace)\n{context}"
    assert abandoned == 0, f"w1 left {abandoned} claimed intake(s) without an outcome\n{context}"
    assert inflight_at_signal >= 1, f"inconclusive: w1 had no job in flight at SIGTERM\n{context}"


# -- e. four workers racing over one queue ---------------------------------------------------------------


@pytest.mark.faults
async def test_four_workers_race_over_one_queue(stack: FaultStack) -> None:
    async with asyncio.timeout(240):
        api_url = await start_stack(stack, workers=4)
        batch = submissions(1000)
        load = LoadGenerator(api_url, stack.token, batch)
        fault = stack.mark_fault("four-workers")  # no fault: recovery is measured from the load's start
        await load.run()

        async def probes() -> dict[str, object]:
            return {
                "reruns": await reruns(stack),
                "claims_per_worker": "+".join([str(await stack.claims(name)) for name in stack.workers]),
            }

        verdict = await check("four-workers", stack.database_url, batch, fault, timeout=90, probes=probes)
    verdict.assert_ok()
    assert_workers_alive(stack, verdict)


# -- f. concurrent duplicate submissions under one Idempotency-Key ---------------------------------------


@pytest.mark.faults
async def test_concurrent_duplicates_with_one_idempotency_key(stack: FaultStack) -> None:
    async with asyncio.timeout(120):
        api_url = await start_stack(stack, workers=1)
        key = str(uuid.uuid4())
        body = intake_body("DUP-000001")
        fault = stack.mark_fault("idempotent-duplicates")
        async with httpx.AsyncClient(base_url=api_url, headers=bearer(stack.token), timeout=15) as client:
            responses = await asyncio.gather(
                *(client.post("/v1/intakes", json=body, headers={"Idempotency-Key": key}) for _ in range(20))
            )
            first_ids = {r.json()["intake_id"] for r in responses if r.status_code == 202}
            # A 409 (same request in flight) is retried with the same key until it is answered.
            retried: list[Submission] = []
            for response in responses:
                if response.status_code == 409:
                    again = Submission("DUP-000001", body, idempotency_key=key)
                    await submit_until_acknowledged(client, again, deadline=time.monotonic() + 30)
                    retried.append(again)
            replay = await client.post("/v1/intakes", json=body, headers={"Idempotency-Key": key})
            other_body = await client.post(
                "/v1/intakes", json={**body, "urgency": "high"}, headers={"Idempotency-Key": key}
            )
        statuses = Counter(r.status_code for r in responses)
        retried_ids = {s.intake_id for s in retried}
        # One logical submission: acknowledged with the id of the first 202 (if any).
        logical = Submission("DUP-000001", body, idempotency_key=key, intake_id=min(first_ids, default=None))
        async with await psycopg.AsyncConnection.connect(stack.database_url, autocommit=True) as conn:
            counts = await (
                await conn.execute(
                    "SELECT (SELECT count(*) FROM intakes),"
                    " (SELECT count(*) FROM procrastinate_jobs WHERE task_name = %s)",
                    (TASK_NAME,),
                )
            ).fetchone()
        assert counts is not None
        verdict = await check(
            "idempotent-duplicates",
            stack.database_url,
            [logical],
            fault,
            timeout=30,
            extra={
                "concurrent": "+".join(f"{status}x{n}" for status, n in sorted(statuses.items())),
                "distinct_ids": len(first_ids | retried_ids),
                "intakes": counts[0],
                "jobs": counts[1],
                "replay": replay.status_code,
                "other_body": other_body.status_code,
            },
        )
    context = verdict.line()
    assert set(statuses) <= {202, 409}, f"statuses other than 202/409: {statuses}\n{context}"
    assert len(first_ids) == 1, f"the 202s carry {len(first_ids)} different intake ids\n{context}"
    assert retried_ids <= first_ids | {None} and None not in retried_ids, f"409 retries gave {retried_ids}\n{context}"
    assert (counts[0], counts[1]) == (1, 1), f"intakes, jobs in the database: {tuple(counts)}\n{context}"
    assert replay.status_code == 202 and replay.json()["intake_id"] in first_ids, f"replay: {replay.text}\n{context}"
    assert other_body.status_code == 422, f"same key, other body: {other_body.status_code}\n{context}"
    verdict.assert_ok()


# -- g. the database down for 10 s while clients keep sending --------------------------------------------


@pytest.mark.faults
async def test_api_answers_quickly_while_the_database_is_down(stack: FaultStack) -> None:
    async with asyncio.timeout(240):
        api_url = await start_stack(stack, workers=2)
        batch = submissions(300)
        load = LoadGenerator(api_url, stack.token, batch, rate=40)
        async with running(load) as task:
            await load.wait_acknowledged(len(batch) // 3, timeout=60)
            fault = stack.mark_fault("api-db-down-10s")
            outage: Outage = await asyncio.to_thread(stack.pg.down_for, 10)
            await task
        # Requests sent while the server was down, and those of them answered before it came back.
        during = [a for s in batch for a in s.attempts if outage.stopped <= a.started < outage.start_requested]
        answered = [a for a in during if a.ended <= outage.start_requested]
        max_latency = max((a.latency for a in during), default=0.0)
        not_503 = Counter(
            f"{a.outcome}{'' if a.retry_after is not None else ' without Retry-After'}"
            for a in answered
            if a.outcome != 503 or a.retry_after is None
        )
        verdict = await check(
            "api-db-down-10s",
            stack.database_url,
            batch,
            fault,
            timeout=60,
            extra={
                "outage_requests": len(during),
                "outage_max_latency": f"{max_latency:.2f}s",
                "outage_answers": "+".join(
                    f"{k}x{v}" for k, v in sorted(Counter(str(a.outcome) for a in answered).items())
                ),
            },
        )
    context = f"{verdict.line()}\n{stack.log_tail()}"
    assert during, f"no request was sent during the outage: the scenario did not test anything\n{context}"
    assert max_latency <= 10.0, f"a request took {max_latency:.1f}s during the outage\n{context}"
    assert not not_503, f"answers during the outage other than 503 + Retry-After: {dict(not_503)}\n{context}"
    verdict.assert_ok()
    assert_workers_alive(stack, verdict)


# -- h. database outages with workers running ------------------------------------------------------------

# Once the database is back, whatever the outage's length, the API serves again within this (store.pool: a
# short reconnect_timeout, and reconnect_again); with psycopg_pool's defaults it took 64-93 s after a 3-minute
# outage. The last outcome may come SETTLE_SECONDS later: the rest of the load is acknowledged, then triaged.
API_BACK_WITHIN_SECONDS = 30.0
SETTLE_SECONDS = 15.0


def api_back_in(batch: list[Submission], outage: Outage) -> float | None:
    """Seconds from the database's return to the first acknowledgement of a request sent while it was down
    (None: there was none)."""
    ends = [a.ended for s in batch for a in s.attempts if a.outcome == 202 and a.started >= outage.stopped]
    return max(0.0, min(ends) - outage.started) if ends else None


async def database_outage_with_workers(stack: FaultStack, seconds: float, name: str) -> None:
    api_url = await start_stack(stack, workers=2)
    before = submissions(200)
    load = LoadGenerator(api_url, stack.token, before, rate=40, submission_timeout=seconds + 90)
    dead_during: dict[str, int | None] = {}
    async with running(load) as task:
        await load.wait_acknowledged(100, timeout=60)
        fault = stack.mark_fault(name)
        outage_task = asyncio.create_task(asyncio.to_thread(stack.pg.down_for, seconds))
        while not outage_task.done():  # watch the workers for as long as the database is down
            dead_during.update(stack.dead_workers())
            await asyncio.wait({outage_task}, timeout=0.5)
        outage = outage_task.result()
        dead_during.update(stack.dead_workers())
        await task
    after = submissions(100, start=len(before))
    await LoadGenerator(api_url, stack.token, after, rate=40).run()
    back_in = api_back_in(before + after, outage)
    verdict = await check(
        name,
        stack.database_url,
        before + after,
        fault,
        timeout=120,
        extra={
            "down_for": f"{outage.start_requested - outage.stopped:.0f}s",
            "workers_died_during_outage": dead_during or 0,
            "api_back_in": "never" if back_in is None else f"{back_in:.1f}s",
        },
        restored_wall=fault.wall + (outage.started - fault.monotonic),
    )
    assert not dead_during, f"{verdict.line()}\nworkers exited during the outage: {dead_during}\n{stack.log_tail()}"
    verdict.assert_ok()
    assert_workers_alive(stack, verdict)
    context = f"{verdict.line()}\n{stack.log_tail()}"
    assert back_in is not None and back_in <= API_BACK_WITHIN_SECONDS, (
        f"the API served again {back_in}s after the database came back (bound {API_BACK_WITHIN_SECONDS}s)\n{context}"
    )
    since_db_up = verdict.since_db_up
    assert since_db_up is not None and since_db_up <= API_BACK_WITHIN_SECONDS + SETTLE_SECONDS, (
        f"the last outcome came {since_db_up}s after the database came back"
        f" (bound {API_BACK_WITHIN_SECONDS + SETTLE_SECONDS}s)\n{context}"
    )


@pytest.mark.faults
@pytest.mark.parametrize("seconds", [5, 45], ids=["5s", "45s"])
async def test_database_outage_with_workers_running(stack: FaultStack, seconds: int) -> None:
    async with asyncio.timeout(seconds + 300):
        await database_outage_with_workers(stack, seconds, f"db-down-{seconds}s")


@pytest.mark.faults
async def test_database_outage_of_3_minutes_with_workers_running(stack: FaultStack) -> None:
    async with asyncio.timeout(180 + 300):
        await database_outage_with_workers(stack, 180, "db-down-3min")
