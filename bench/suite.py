"""`make bench`: this project measured side by side with its baselines, on this machine, in one run.

    make bench                      # everything (about 25–35 minutes on two cores), writes docs/benchmarks.md
    make bench ARGS=--quick         # a dry run of every section with small sizes (a few minutes), docs untouched
    .venv/bin/python -m bench.suite --help

Sections: a. intake throughput against the article's app and the minimal reference endpoint; b. worker
throughput against Procrastinate draining no-op jobs; c. end to end (202 → outcome written) at 70 % of the
highest sustainable load; d. memory at rest and over many intakes; e. cost growth with 10,000 and
1,000,000 intakes stored. A benchmark, not a test: it reports, and fails nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench import growth, intake_throughput, pipeline, report, stack

ROOT = Path(__file__).resolve().parents[1]


def _args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="bench.suite", description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3, help="rounds per intake-throughput target (median)")
    parser.add_argument("--seconds", type=float, default=8, help="length of one round")
    parser.add_argument("--connections", type=int, default=16, help="wrk connections (one API key, no rate limit)")
    parser.add_argument("--api-workers", type=int, default=2, help="`triage api --workers N` for the scaled rows")
    parser.add_argument("--fill-seconds", type=float, default=12, help="intakes queued before a worker run")
    parser.add_argument("--e2e-seconds", type=float, default=30)
    parser.add_argument("--memory-intakes", type=int, default=100_000)
    parser.add_argument("--growth", default="10000,1000000", help="stored intakes for section e, comma-separated")
    parser.add_argument("--sections", default="abcde")
    parser.add_argument("--quick", action="store_true", help="small sizes, short rounds; docs untouched")
    parser.add_argument("--out", type=Path, default=ROOT / ".data" / "bench")
    parser.add_argument("--no-docs", action="store_true", help="do not rewrite docs/benchmarks.md and its chart")
    parser.add_argument("--report-only", action="store_true", help="rewrite the report from the last results.json")
    args = parser.parse_args(argv)
    if args.quick:
        args.rounds, args.seconds, args.fill_seconds, args.e2e_seconds = 1, 3, 3, 8
        args.memory_intakes, args.growth, args.no_docs = 3_000, "2000,20000", True
    return args


def _machine(db: stack.Database) -> dict[str, Any]:
    with open("/proc/cpuinfo") as f:
        model = next((ln.split(":", 1)[1].strip() for ln in f if ln.startswith("model name")), platform.machine())
    with open("/proc/meminfo") as f:
        mem_kb = int(next(ln.split()[1] for ln in f if ln.startswith("MemTotal")))
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cpus": os.cpu_count(),
        "cpu": model,
        "memory_gib": round(mem_kb / 1_048_576),
        "python": platform.python_version(),
        "postgres": stack.server_version(db.admin_url),
        "kernel": platform.release(),
    }


def main(argv: list[str] | None = None) -> int:
    args = _args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    previous = args.out / "results.json"
    if args.report_only:
        return _publish(json.loads(previous.read_text()), args)
    results: dict[str, Any] = {"args": {k: str(v) for k, v in vars(args).items()}}
    if args.sections != "abcde" and previous.exists():
        # Re-measuring some sections: the others keep their figures from the last run (dated per section).
        earlier = json.loads(previous.read_text())
        earlier.setdefault("measured", {s: earlier["machine"]["date"] for s in "abcde" if _has(earlier, s)})
        results = {**earlier, "args": results["args"]}
    measured: dict[str, str] = results.setdefault("measured", {})
    with stack.throwaway_postgres() as db:
        log_dir = args.out / "logs"
        results["machine"] = _machine(db)
        for section in args.sections:
            measured[section] = results["machine"]["date"]
        pepper = stack.new_pepper()
        print(f"machine: {results['machine']}", flush=True)
        if "a" in args.sections:
            print("a. intake throughput", flush=True)
            targets = intake_throughput.start_targets(db, log_dir, api_workers=args.api_workers)
            try:
                intake_throughput.run(targets, rounds=args.rounds, seconds=args.seconds, connections=args.connections)
            finally:
                for target in targets:
                    if target.process:
                        target.process.stop()
            results["intake"] = [
                {"name": t.name, "rounds": [asdict(r) | {"rps": r.rps} for r in t.rounds]} for t in targets
            ]
        if "b" in args.sections:
            print("b. worker throughput", flush=True)
            results["workers"] = []
            for processes in (1, 2):
                w = pipeline.worker_throughput(db, log_dir, pepper, processes, fill_seconds=args.fill_seconds)
                print(
                    f"  {processes} process(es), {w.jobs} jobs: {w.ours_per_s:.0f}/s vs no-op {w.noop_per_s:.0f}/s"
                    f" ({w.ratio:.2f}×)",
                    flush=True,
                )
                print(f"    {w.cpu_line()}", flush=True)
                results["workers"].append(asdict(w))
        if "c" in args.sections:
            print("c. end to end", flush=True)
            results["e2e"] = []
            intake_ceiling = report.intake_ceiling(results, args.api_workers)
            for processes in (1, 2):
                # The probe starts from the lower of the tiers' separate ceilings (or a generous guess when
                # a. or b. was not run); what the whole system sustains together is found by probing.
                known = [x for x in (intake_ceiling, report.worker_rate(results, processes)) if x]
                e = pipeline.end_to_end(
                    db,
                    log_dir,
                    pepper,
                    processes,
                    upper_rps=min(known) if known else 400,
                    seconds=args.e2e_seconds,
                    api_workers=args.api_workers,
                )
                print(
                    f"  {processes} worker(s): sustainable {e.sustainable_rps:.0f}/s (probes {e.probes});"
                    f" at {e.offered_rps:.0f}/s p50 {e.p50_ms:.0f} ms, p99 {e.p99_ms:.0f} ms, refused {e.refused},"
                    f" late {e.late}, left {e.backlog_left}",
                    flush=True,
                )
                results["e2e"].append(asdict(e))
        if "d" in args.sections:
            print("d. memory", flush=True)
            m = pipeline.memory(
                db, log_dir, pepper, intakes=args.memory_intakes, api_workers=args.api_workers, worker_processes=2
            )
            for stored, api_mb, worker_mb in m.samples:
                print(f"  {stored:,} intakes: API {api_mb:.0f} MB, worker {worker_mb:.0f} MB", flush=True)
            results["memory"] = asdict(m)
        if "e" in args.sections:
            print("e. cost growth", flush=True)
            results["growth"] = []
            for n in (int(x) for x in args.growth.split(",")):
                results["growth"] += [asdict(t) for t in growth.measure(db, log_dir, pepper, n)]
    (args.out / "results.json").write_text(json.dumps(results, indent=1))
    return _publish(results, args)


_SECTION_KEYS = {"a": "intake", "b": "workers", "c": "e2e", "d": "memory", "e": "growth"}


def _has(results: dict[str, Any], section: str) -> bool:
    return _SECTION_KEYS[section] in results


def _publish(results: dict[str, Any], args: argparse.Namespace) -> int:
    markdown = report.markdown(results)
    (args.out / "report.md").write_text(markdown)
    report.chart(results, args.out / "benchmarks.png")
    print("\n" + markdown)
    if not args.no_docs:
        report.write_docs(markdown, args.out / "benchmarks.png", ROOT / "docs")
        print("written to docs/benchmarks.md and docs/benchmarks.png")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
