"""`triage ops …`: queue state and job actions from the command line, straight from the database.

It works while the API is down. Output is a readable table, or JSON with `--json` (for scripts). Nothing
shown carries patient data: job arguments are an intake id and a tenant id.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import asdict
from datetime import datetime
from typing import Any

import orjson

from runtime.settings import Settings
from store import ops
from store.pool import open_pool
from tasks import ops as actions

ACTOR = "cli:ops"


def add_parser(commands: Any) -> None:
    parser = commands.add_parser("ops", help="queue state and job actions (works while the API is down)")
    sub = parser.add_subparsers(dest="ops_command", required=True)

    def command(name: str, help_text: str) -> argparse.ArgumentParser:
        cmd: argparse.ArgumentParser = sub.add_parser(name, help=help_text)
        cmd.add_argument("--json", action="store_true", help="print JSON instead of a table")
        return cmd

    command("queues", "jobs by status per queue, oldest waiting job, throughput and latency (1/5/15 min)")
    listing = command("jobs", "jobs, newest first, filtered")
    listing.add_argument("--queue")
    listing.add_argument("--status", choices=ops.JOB_STATUSES)
    listing.add_argument("--task")
    listing.add_argument("--tenant")
    listing.add_argument("--limit", type=int, default=50)
    listing.add_argument("--cursor", type=int, help="the last id of the previous page")
    command("job", "one job and its history").add_argument("job_id", type=int)
    command("retry", "retry a failed job (or a running one whose worker is gone)").add_argument("job_id", type=int)
    command("cancel", "cancel a waiting job, or ask a running one to abort").add_argument("job_id", type=int)
    command("workers", "live workers and their last heartbeat")
    command("stalled", "running jobs whose worker is gone or silent")


async def run(settings: Settings, args: argparse.Namespace) -> int:
    async with open_pool(settings.database_url, min_size=1, max_size=1, name="ops-cli") as pool:
        name = args.ops_command
        if name in ("retry", "cancel"):
            return await _act(pool, name, args.job_id, as_json=args.json)
        async with pool.connection() as conn:
            if name == "queues":
                queues, windows = await ops.queues(conn), await ops.throughput(conn)
                _show(args.json, {"queues": queues, "throughput": windows}, [queues, windows])
            elif name == "jobs":
                rows = await ops.jobs(
                    conn,
                    queue=args.queue,
                    status=args.status,
                    task=args.task,
                    tenant=args.tenant,
                    before_id=args.cursor,
                    limit=args.limit,
                )
                cursor = rows[-1].id if len(rows) == args.limit else None
                _show(args.json, {"items": rows, "next_cursor": cursor}, [rows])
            elif name == "job":
                found = await ops.job(conn, args.job_id)
                if found is None:
                    print(f"no job {args.job_id}", file=sys.stderr)
                    return 1
                job, events = found
                _show(args.json, {"job": job, "events": events}, [[job], events])
            elif name == "workers":
                rows_w = await ops.workers(conn)
                _show(args.json, {"items": rows_w}, [rows_w])
            elif name == "stalled":
                rows_s = await ops.stalled(conn, settings.worker_stalled_seconds)
                _show(args.json, {"items": rows_s}, [rows_s])
    return 0


async def _act(pool: Any, name: str, job_id: int, *, as_json: bool) -> int:
    try:
        if name == "retry":
            await actions.retry_job(pool, job_id, actor=ACTOR)
            done = True
        else:
            done = await actions.cancel_job(pool, job_id, actor=ACTOR)
    except actions.JobNotFound:
        print(f"no job {job_id}", file=sys.stderr)
        return 1
    except actions.NotRetryable:
        print(f"job {job_id} is neither failed nor running: nothing to retry", file=sys.stderr)
        return 1
    if not done:
        print(f"job {job_id} is not waiting or running: nothing to cancel", file=sys.stderr)
        return 1
    verb = "retried" if name == "retry" else "cancelled"
    print(orjson.dumps({"job_id": job_id, "result": verb}).decode() if as_json else f"job {job_id} {verb}")
    return 0


def _show(as_json: bool, document: dict[str, Any], tables: Sequence[Sequence[Any]]) -> None:
    if as_json:
        print(orjson.dumps(document, option=orjson.OPT_INDENT_2).decode())
        return
    for table in tables:
        print(_table([asdict(row) for row in table]) if table else "(none)")
        print()


def _cell(value: object) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.3f}"
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    return str(value)


def _table(rows: list[dict[str, Any]]) -> str:
    headers = list(rows[0])
    cells = [[_cell(row[h]) for h in headers] for row in rows]
    widths = [max(len(h), *(len(line[i]) for line in cells)) for i, h in enumerate(headers)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True))]
    lines += ["  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)) for line in cells]
    return "\n".join(line.rstrip() for line in lines)
