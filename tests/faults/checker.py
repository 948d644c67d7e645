"""The total-queue checker: what the clients were told against what the database holds.

Read as the superuser (which bypasses row-level security) straight from the throwaway server. After the
load and the fault it waits (polling, with a deadline) until every acknowledged intake is final, then
counts: acknowledged intakes triaged exactly once, duplicates, lost and stuck intakes, intakes stored
that no client saw acknowledged, and how long the system took to recover from the fault.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import psycopg

from tests.faults.load import Submission, outcome_counts

FINAL_STATUSES = ("triaged", "failed")


@dataclass(frozen=True)
class FaultMark:
    """When a fault was injected, by our clocks and by the server's (None if it could not be read)."""

    name: str
    wall: float  # time.time()
    monotonic: float  # time.monotonic()
    server: datetime | None


@dataclass
class Verdict:
    scenario: str
    submitted: int
    acknowledged: int
    triaged: int
    failed: int
    duplicated: int
    lost: int
    stuck: int
    unacked_stored: int
    outcomes_without_intake: int
    recovered_in: float | None  # last acknowledged intake's outcome − fault, by the server's clock
    recovered_in_local: float | None  # the same instant against our clock's fault time
    settled_in: float | None  # client view: fault → every acknowledged intake final (None: never)
    expect_all_acknowledged: bool
    since_db_up: float | None = None  # database back → last acknowledged outcome (None: never, or not measured)
    extra: dict[str, object] = field(default_factory=dict)
    responses: Counter[str] = field(default_factory=Counter)  # every attempt's status or transport error
    details: list[str] = field(default_factory=list)

    def line(self) -> str:
        # Recovered only once every acknowledged intake is triaged; until then, when the last one was.
        if self.recovered_in is None:
            recovered = "never"
        elif self.triaged < self.acknowledged:
            recovered = f"never(last_outcome=+{self.recovered_in:.1f}s)"
        else:
            recovered = f"{self.recovered_in:.1f}s"
        parts = [
            f"faults[{self.scenario}]",
            f"submitted={self.submitted}",
            f"acknowledged={self.acknowledged}",
            f"triaged={self.triaged}",
            f"duplicated={self.duplicated}",
            f"lost={self.lost}",
            f"stuck={self.stuck}",
            f"unacked_stored={self.unacked_stored}",
            f"recovered_in={recovered}",
            f"failed={self.failed}",
            f"orphan_outcomes={self.outcomes_without_intake}",
        ]
        if self.recovered_in_local is not None:
            parts.append(f"recovered_in_local={self.recovered_in_local:.1f}s")
        parts.append(f"settled_in={self.settled_in:.1f}s" if self.settled_in is not None else "settled_in=never")
        parts.extend(f"{key}={value}" for key, value in self.extra.items())
        parts.append("responses=" + ",".join(f"{k}:{v}" for k, v in sorted(self.responses.items())))
        return " ".join(parts)

    def problems(self) -> list[str]:
        found = []
        if self.lost:
            found.append(f"{self.lost} acknowledged intake(s) lost")
        if self.duplicated:
            found.append(f"{self.duplicated} duplicate(s)")
        if self.stuck:
            found.append(f"{self.stuck} acknowledged intake(s) stuck (not final at the deadline)")
        if self.failed:
            found.append(f"{self.failed} acknowledged intake(s) failed")
        if self.triaged != self.acknowledged:
            found.append(f"{self.acknowledged - self.triaged} acknowledged intake(s) without exactly one outcome")
        if self.outcomes_without_intake:
            found.append(f"{self.outcomes_without_intake} outcome(s) without an intake")
        if self.expect_all_acknowledged and self.acknowledged != self.submitted:
            found.append(f"{self.submitted - self.acknowledged} submission(s) never acknowledged")
        return found

    def report(self) -> None:
        line = self.line()
        print(line, flush=True)
        report_path = os.environ.get("FAULTS_REPORT")
        if report_path:
            with open(report_path, "a") as report:
                report.write(line + "\n")

    def assert_ok(self) -> None:
        problems = self.problems()
        assert not problems, "\n".join([self.line(), *problems, *self.details])


async def _connect(url: str) -> psycopg.AsyncConnection[Any]:
    return await psycopg.AsyncConnection.connect(url, autocommit=True, connect_timeout=3)


async def wait_until_final(url: str, intake_ids: list[str], *, timeout: float) -> float | None:
    """Poll until every acknowledged intake that exists is triaged or failed; the time.monotonic() of
    that moment, or None at the deadline. (An acknowledged id missing from the table is lost: it
    cannot appear later, so it is not waited for.)"""
    deadline = time.monotonic() + timeout
    while True:
        try:
            async with await _connect(url) as conn:
                cursor = await conn.execute(
                    "SELECT count(*) FILTER (WHERE status <> ALL(%s)) FROM intakes WHERE id = ANY(%s::uuid[])",
                    (list(FINAL_STATUSES), intake_ids),
                )
                row = await cursor.fetchone()
                if row is not None and row[0] == 0:
                    return time.monotonic()
        except psycopg.OperationalError:
            pass  # the server is (still) down: keep polling until the deadline
        if time.monotonic() >= deadline:
            return None
        await asyncio.sleep(0.25)


async def check(
    scenario: str,
    url: str,
    batch: Iterable[Submission],
    fault: FaultMark,
    *,
    timeout: float,
    expect_all_acknowledged: bool = True,
    extra: dict[str, object] | None = None,
    probes: Callable[[], Awaitable[dict[str, object]]] | None = None,
    restored_wall: float | None = None,
) -> Verdict:
    """Wait up to `timeout` seconds for the acknowledged intakes to be final, then count.

    `probes` adds scenario-specific figures read once the intakes settled; `restored_wall` (time.time()
    when the database came back) adds the recovery time counted from the database's return."""
    batch = list(batch)
    acked = {s.intake_id for s in batch if s.intake_id is not None}
    settled_at = await wait_until_final(url, sorted(acked), timeout=timeout)
    extra = dict(extra or {})
    if probes is not None:
        extra.update(await probes())

    async with await _connect(url) as conn:
        intake_rows = await (await conn.execute("SELECT id::text, patient_id, status FROM intakes")).fetchall()
        outcome_rows = await (
            await conn.execute("SELECT intake_id::text, count(*) FROM triage_outcomes GROUP BY intake_id")
        ).fetchall()
        orphan_row = await (
            await conn.execute(
                "SELECT count(*) FROM triage_outcomes o"
                " WHERE NOT EXISTS (SELECT FROM intakes i WHERE i.id = o.intake_id)"
            )
        ).fetchone()
        recovery_row = await (
            await conn.execute(
                "SELECT max(created_at) FROM triage_outcomes WHERE intake_id = ANY(%s::uuid[])", (sorted(acked),)
            )
        ).fetchone()
        reason_rows = await (
            await conn.execute(
                "SELECT coalesce(failure_reason, '?'), count(*) FROM intakes WHERE status = 'failed' GROUP BY 1"
            )
        ).fetchall()
        job_rows = await (
            await conn.execute(
                "SELECT task_name || ':' || status, count(*) FROM procrastinate_jobs GROUP BY 1 ORDER BY 1"
            )
        ).fetchall()

    status_of = {intake_id: status for intake_id, _, status in intake_rows}
    outcomes_of = {intake_id: int(count) for intake_id, count in outcome_rows}
    intakes_per_patient = Counter(patient_id for _, patient_id, _ in intake_rows)
    duplicated_patients = sorted(p for p, n in intakes_per_patient.items() if n > 1)
    multi_outcome = sorted(i for i, n in outcomes_of.items() if n > 1)
    lost = sorted(acked - status_of.keys())
    stuck = sorted(i for i in acked & status_of.keys() if status_of[i] not in FINAL_STATUSES)
    failed = sorted(i for i in acked & status_of.keys() if status_of[i] == "failed")
    triaged = sum(1 for i in acked if outcomes_of.get(i) == 1)
    unacked_stored = sorted(status_of.keys() - acked)

    last_outcome: datetime | None = recovery_row[0] if recovery_row else None
    recovered_in = recovered_in_local = None
    if last_outcome is not None:
        recovered_in_local = last_outcome.timestamp() - fault.wall
        # By the server's clock when it could be read at the fault (both ends then come from it).
        recovered_in = recovered_in_local if fault.server is None else (last_outcome - fault.server).total_seconds()
    since_db_up = None
    if restored_wall is not None:
        if last_outcome is not None and triaged == len(acked):
            since_db_up = last_outcome.timestamp() - restored_wall
        extra["since_db_up"] = "never" if since_db_up is None else f"{since_db_up:.1f}s"

    verdict = Verdict(
        scenario=scenario,
        submitted=len(batch),
        acknowledged=len(acked),
        triaged=triaged,
        failed=len(failed),
        duplicated=len(duplicated_patients) + len(multi_outcome),
        lost=len(lost),
        stuck=len(stuck),
        unacked_stored=len(unacked_stored),
        outcomes_without_intake=int(orphan_row[0]) if orphan_row else 0,
        recovered_in=recovered_in,
        recovered_in_local=recovered_in_local,
        settled_in=None if settled_at is None else settled_at - fault.monotonic,
        expect_all_acknowledged=expect_all_acknowledged,
        since_db_up=since_db_up,
        extra=extra,
        responses=outcome_counts(batch),
    )
    verdict.details = [
        "jobs by task:status: " + ", ".join(f"{status}={count}" for status, count in job_rows),
        "intakes by status: " + ", ".join(f"{k}={v}" for k, v in sorted(Counter(status_of.values()).items())),
        "failure reasons: " + ", ".join(f"{reason}={count}" for reason, count in reason_rows),
        f"stuck (first 5): {[(i, status_of[i]) for i in stuck[:5]]}",
        f"lost (first 5): {lost[:5]}",
        f"duplicated patients (first 5): {duplicated_patients[:5]}; intakes with >1 outcome: {multi_outcome[:5]}",
        f"not acknowledged (first 5): {[(s.patient_id, s.gave_up) for s in batch if s.intake_id is None][:5]}",
    ]
    verdict.report()
    return verdict
