"""Where a triage worker's time per job goes: section b's drain repeated with parts of the worker swapped out.

A tool for deciding what to change, not part of `make bench`'s report (docs/benchmarks.md, "Reading the
figures"). Each variant is one `triage worker` process (concurrency 4) draining the intakes queued through
the API, against the no-op reference draining as many jobs right after it, as in section b:

    .venv/bin/python -m bench.worker_variants --variants full,inline,constant,quiet,floor --rounds 2

(`wrk` queues the intakes: `make bench` installs it, and the `bench` extra, on first use.)

- `full`: `triage worker` as shipped.
- `inline`: the engine runs on the worker's event loop instead of in a child process (no pickling, no
  process hand-off; no time limit either, which is why the product does not do it).
- `constant`: no engine at all; every job writes the result the engine gave for the first intake. What is
  left is the database work per job, Procrastinate and logging.
- `quiet`: log level WARNING (no per-job lines: Procrastinate's start and end, and ours).
- `floor`: `constant` and `quiet` together: the project's own SQL per job and Procrastinate, nothing else.
- `flush`: the triage job's own two transactions wait for the WAL flush at commit, as every transaction
  did before `tenant_transaction(..., flush_on_commit=False)` (docs/architecture.md, "Exactly once in effect").
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
from typing import Any

from bench import pipeline, stack

VARIANTS = ("full", "flush", "inline", "constant", "quiet", "floor")


def _swap_engine(mode: str) -> None:
    from tasks.engine_process import EngineResult, assess_payload
    from tasks.engine_runner import EngineRunner

    first: list[EngineResult] = []

    async def inline(self: EngineRunner, payload: dict[str, Any], policy: str = "escalate") -> EngineResult:
        return assess_payload(payload, policy)

    async def constant(self: EngineRunner, payload: dict[str, Any], policy: str = "escalate") -> EngineResult:
        if not first:
            first.append(assess_payload(payload, policy))
        return first[0]

    async def no_processes(self: EngineRunner) -> None:
        return None

    EngineRunner.assess = inline if mode == "inline" else constant  # type: ignore[method-assign]
    EngineRunner.start = no_processes  # type: ignore[method-assign]


def _commit_with_flush() -> None:
    from collections.abc import AsyncIterator
    from contextlib import asynccontextmanager

    from psycopg import AsyncConnection

    from store import tenancy
    from tasks import triage

    @asynccontextmanager
    async def flushing(
        conn: AsyncConnection, tenant_id: str | None, *, flush_on_commit: bool = True
    ) -> AsyncIterator[AsyncConnection]:
        async with tenancy.tenant_transaction(conn, tenant_id) as scoped:
            yield scoped

    triage.tenant_transaction = flushing  # type: ignore[attr-defined,assignment]  # looked up at call time


def run_worker(variant: str, concurrency: int) -> None:
    """The worker process of one variant: `triage worker` with the variant's parts swapped in."""
    if variant == "flush":
        _commit_with_flush()
    if variant in ("quiet", "floor"):
        os.environ["TRIAGE_LOG_LEVEL"] = "WARNING"
    if variant in ("inline", "constant", "floor"):
        _swap_engine("inline" if variant == "inline" else "constant")
    from runtime.settings import get_settings
    from workers.main import main

    main(get_settings(), concurrency=concurrency)


def measure(variants: list[str], rounds: int, fill_seconds: float) -> dict[str, list[pipeline.WorkerResult]]:
    results: dict[str, list[pipeline.WorkerResult]] = {v: [] for v in variants}
    log_dir = stack.ROOT / ".data" / "bench" / "worker-variants"
    pepper = stack.new_pepper()
    with stack.throwaway_postgres() as db:
        for round_no in range(rounds):
            for variant in variants:  # interleaved, so that a noisy minute hurts every variant alike
                argv = [sys.executable, "-m", "bench.worker_variants", "worker", variant]
                argv += ["--concurrency", str(pipeline.WORKER_CONCURRENCY)]
                w = pipeline.worker_throughput(
                    db, log_dir, pepper, 1, fill_seconds=fill_seconds, worker_argv=argv, name=f"{variant}_{round_no}"
                )
                print(
                    f"  round {round_no + 1} {variant}: {w.jobs} jobs, {w.ours_per_s:.0f}/s vs no-op"
                    f" {w.noop_per_s:.0f}/s ({w.ratio:.2f}×)",
                    flush=True,
                )
                print(f"    {w.cpu_line()}", flush=True)
                results[variant].append(w)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(prog="bench.worker_variants")
    sub = parser.add_subparsers(dest="command")
    worker = sub.add_parser("worker")
    worker.add_argument("variant", choices=VARIANTS)
    worker.add_argument("--concurrency", type=int, default=pipeline.WORKER_CONCURRENCY)
    parser.add_argument("--variants", default=",".join(VARIANTS))
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--fill-seconds", type=float, default=10)
    parser.add_argument(
        "--concurrency",
        type=int,
        default=pipeline.WORKER_CONCURRENCY,
        help="jobs at once per worker process, for each variant and for the no-op drain alike",
    )
    args = parser.parse_args()
    if args.command == "worker":
        run_worker(args.variant, args.concurrency)
        return
    variants = [v for v in args.variants.split(",") if v]
    unknown = set(variants) - set(VARIANTS)
    if unknown:
        parser.error(f"unknown variants: {', '.join(sorted(unknown))}")
    pipeline.WORKER_CONCURRENCY = args.concurrency  # the no-op drain's, and each variant's below
    results = measure(variants, args.rounds, args.fill_seconds)
    print("\n| variant | intakes triaged/s (median) | no-op jobs/s | ratio (median) |\n|---|---:|---:|---:|")
    for variant, runs in results.items():
        print(
            f"| {variant} | {statistics.median(r.ours_per_s for r in runs):.0f}"
            f" | {statistics.median(r.noop_per_s for r in runs):.0f}"
            f" | {statistics.median(r.ratio for r in runs):.2f} |"
        )


if __name__ == "__main__":
    main()
