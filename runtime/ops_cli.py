"""`triage ops …`: queue state and job actions from the command line, straight from the database.

It works while the API is down. Output is a readable table, or JSON with `--json` (for scripts). Nothing
shown carries patient data: job arguments are an intake id and a tenant id.
"""

from __future__ import annotations

import argparse
import re
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

    def filters(cmd: argparse.ArgumentParser) -> None:
        cmd.add_argument("--queue")
        cmd.add_argument("--task")
        cmd.add_argument("--tenant")
        cmd.add_argument("--since", type=_aware, help="deferred at or after (ISO 8601 with a time zone)")
        cmd.add_argument("--until", type=_aware, help="deferred before (ISO 8601 with a time zone)")

    command("queues", "jobs by status per queue, oldest waiting job, throughput and latency (1/5/15 min)")
    listing = command("jobs", "jobs, newest first, filtered")
    filters(listing)
    listing.add_argument("--status", choices=ops.JOB_STATUSES)
    listing.add_argument("--limit", type=int, default=50)
    listing.add_argument("--cursor", type=int, help="the last id of the previous page")
    command("job", "one job and its history").add_argument("job_id", type=int)
    for name, help_text, bulk_help in (
        ("retry", "retry a failed job (or a running one whose worker is gone)", "every failed job matching"),
        ("cancel", "cancel a waiting job, or ask a running one to abort", "every waiting job matching"),
    ):
        act = command(name, help_text)
        act.add_argument("job_id", type=int, nargs="?")
        act.add_argument("--all", action="store_true", help=f"{bulk_help} the filters (at most --limit per run)")
        act.add_argument("--dry-run", action="store_true", help="with --all: only count the matching jobs")
        act.add_argument("--limit", type=int, default=actions.MAX_BULK_JOBS)
        filters(act)
    command("pause", "workers stop fetching from a queue (survives restarts)").add_argument("queue", type=_queue)
    command("resume", "workers fetch from a paused queue again").add_argument("queue", type=_queue)
    command("workers", "live workers and their last heartbeat")
    command("stalled", "running jobs whose worker is gone or silent")


def _queue(text: str) -> str:
    if not re.fullmatch(r"[A-Za-z0-9_.:-]{1,128}", text):
        raise argparse.ArgumentTypeError("a queue name is 1-128 letters, digits or _.:-")
    return text


def _aware(text: str) -> datetime:
    value = datetime.fromisoformat(text)
    if value.tzinfo is None:
        raise argparse.ArgumentTypeError("give a time zone, e.g. 2026-01-01T00:00:00Z")
    return value


async def run(settings: Settings, args: argparse.Namespace) -> int:
    async with open_pool(settings.app_database_url, min_size=1, max_size=1, name="ops-cli") as pool:
        name = args.ops_command
        if name in ("retry", "cancel"):
            if args.all == (args.job_id is not None):
                print(f"give either a job id or --all (with filters) to {name}", file=sys.stderr)
                return 2
            if args.all:
                return await _bulk(pool, name, args)
            return await _act(pool, name, args.job_id, as_json=args.json)
        if name in ("pause", "resume"):
            return await _queue_action(pool, name, args.queue, as_json=args.json)
        async with pool.connection() as conn:
            if name == "queues":
                queues, windows = await ops.queues(conn), await ops.throughput(conn)
                paused = await ops.paused_queues(conn)
                _show(args.json, {"queues": queues, "throughput": windows, "paused": paused}, [queues, windows, paused])
            elif name == "jobs":
                rows = await ops.jobs(
                    conn,
                    queue=args.queue,
                    status=args.status,
                    task=args.task,
                    tenant=args.tenant,
                    since=args.since,
                    until=args.until,
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
                failed = await actions.job_failure(conn, job)
                failure = (
                    {"reason": failed.failure_reason, "detail": failed.failure_detail, "failed_at": failed.failed_at}
                    if failed
                    else None
                )
                _show(args.json, {"job": job, "events": events, "failure": failure}, [[job], events])
                if failure and not args.json:
                    print(f"failed: {failure['reason']} — {failure['detail'] or '-'}")
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


async def _bulk(pool: Any, name: str, args: argparse.Namespace) -> int:
    where = ops.JobFilter(queue=args.queue, task=args.task, tenant=args.tenant, since=args.since, until=args.until)
    act = actions.bulk_retry if name == "retry" else actions.bulk_cancel
    result = await act(pool, where, actor=ACTOR, dry_run=args.dry_run, limit=args.limit)
    if args.json:
        print(orjson.dumps({"dry_run": args.dry_run} | asdict(result)).decode())
    elif args.dry_run:
        print(f"{result.matched} jobs would be {'retried' if name == 'retry' else 'cancelled'} (dry run)")
    else:
        verb = "retried" if name == "retry" else "cancelled"
        print(f"{result.acted} of {result.matched} matching jobs {verb}")
        if result.acted < result.matched:
            print(f"{result.matched - result.acted} left: run again", file=sys.stderr)
    return 0


async def _queue_action(pool: Any, name: str, queue: str, *, as_json: bool) -> int:
    act = actions.pause_queue if name == "pause" else actions.resume_queue
    changed = await act(pool, queue, actor=ACTOR, tenant_id=None)
    result = {"pause": ("paused", "already_paused"), "resume": ("resumed", "not_paused")}[name][0 if changed else 1]
    print(orjson.dumps({"queue_name": queue, "result": result}).decode() if as_json else f"queue {queue} {result}")
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
