"""`make bench-ops`: are the ops routes and the audit listing fast with a production-sized history?

    .venv/bin/python -m bench.ops_scale                 # 1,000,000 jobs and intakes, 5,000,000 audit events
    .venv/bin/python -m bench.ops_scale --small         # a quick dry run (20,000 / 100,000)
    .venv/bin/python -m bench.ops_scale --keep DIR      # keep the loaded server's data in DIR
    .venv/bin/python -m bench.ops_scale --reuse DIR     # measure a kept DIR again (pending migrations applied)
    .venv/bin/python -m bench.ops_scale --compare OLD.json   # also print OLD's numbers next to these

What it does: starts a throwaway PostgreSQL (the embedded pgserver binaries) in a temporary folder,
applies the project's migrations, bulk-loads the history with server-side SQL (bench.scale_data), runs
`triage api` (uvicorn) against it on a loopback port, mints keys for the platform operator and two
tenants, times every ops route, the audit listing and the intake reads over HTTP (bench.scale_measure),
EXPLAINs the SQL each route runs, times housekeeping, prints a Markdown report and writes it (with a
JSON copy) to --out. The server and its data are deleted at the end unless --keep is given.

A benchmark, not a test: it fails nothing. Routes whose median or p95 reaches 100 ms are flagged.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import secrets
import shutil
import tempfile
import time
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg
from pydantic import SecretStr

from bench import scale_data, scale_measure, stack
from bench.scale_data import DOMINANT, PLATFORM, SMALL, Sizes
from runtime.settings import Settings
from store.migrate import apply_migrations
from store.pool import app_conninfo

ROOT = Path(__file__).resolve().parents[1]
DATABASE = "bench"


def _args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="bench.ops_scale", description=__doc__.split("\n\n")[0] if __doc__ else "")
    defaults = Sizes()
    parser.add_argument("--jobs", type=int, default=defaults.jobs, help="finished triage jobs")
    parser.add_argument("--intakes", type=int, default=defaults.intakes)
    parser.add_argument("--audit", type=int, default=defaults.audit, help="audit events")
    parser.add_argument("--live", type=int, default=defaults.live, help="open (todo and doing) jobs")
    parser.add_argument("--small", action="store_true", help="20,000 jobs and intakes, 100,000 audit events")
    parser.add_argument("--calls", type=int, default=25, help="measured calls per route (after the warm-up)")
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--label", default="run", help="names the report files")
    parser.add_argument("--out", type=Path, default=ROOT / ".data" / "bench-ops", help="where reports are written")
    parser.add_argument("--keep", type=Path, help="keep the server's data in this folder (created)")
    parser.add_argument("--reuse", type=Path, help="a folder kept by --keep: skip the load")
    parser.add_argument("--compare", type=Path, help="a JSON report of an earlier run, shown next to this one")
    parser.add_argument("--no-explain", action="store_true", help="skip the EXPLAIN pass")
    args = parser.parse_args(argv)
    if args.small:
        small = Sizes.small()
        args.jobs, args.intakes, args.audit, args.live = small.jobs, small.intakes, small.audit, small.live
    return args


def _tune(admin_url: str) -> None:
    """Room for the bulk load; everything the queries see (work_mem, shared_buffers…) stays at its default."""
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute("ALTER SYSTEM SET max_wal_size = '8GB'")
        conn.execute("ALTER SYSTEM SET checkpoint_timeout = '30min'")
        conn.execute("SELECT pg_reload_conf()")


def _database_url(server: Any, database: str) -> str:
    from runtime.embedded_pg import database_url

    return database_url(server, database)


async def _mint_keys(settings: Settings) -> dict[str, str]:
    from runtime.cli import create_key

    keys = {
        "platform": (PLATFORM, ["ops:read"]),
        "dominant": (DOMINANT, ["ops:read", "admin"]),
        "small": (SMALL, ["ops:read", "admin"]),
    }
    tokens: dict[str, str] = {}
    async with await psycopg.AsyncConnection.connect(app_conninfo(settings.app_database_url)) as conn:
        for name, (tenant, scopes) in keys.items():
            tokens[name], _ = await create_key(conn, settings, tenant, f"bench-{name}", scopes, None)
        await conn.commit()
    return tokens


def _markdown(
    meta: dict[str, Any],
    timings: list[scale_measure.Timing],
    plans: list[scale_measure.Plan],
    housekeeping: list[tuple[str, float, str]],
    before: dict[str, Any] | None,
) -> str:
    lines = [
        f"## bench-ops: {meta['label']} ({meta['date']})",
        "",
        f"- machine: {meta['cpus']} CPUs; PostgreSQL {meta['postgres']} (pgserver), default settings"
        " (shared_buffers 128MB, work_mem 4MB)",
        f"- data: {meta['jobs']:,} finished + {meta['live']:,} open triage jobs ({meta['events']:,} events),"
        f" {meta['intakes']:,} intakes, {meta['audit']:,} audit events, {meta['tenants']} tenants",
        f"- load: {meta['load_s']:.0f} s"
        + (f"; migrations applied on the loaded data: {meta['migrate_s']:.1f} s" if meta.get("migrate_s") else ""),
        f"- each route: {meta['warmup']} warm-up calls, then {meta['calls']} measured, one at a time,"
        " over HTTP to `triage api` (uvicorn)",
        "",
    ]
    old = {t["case"]: t for t in (before or {}).get("timings", [])}
    if old:
        lines += [
            "| key | route | before median / p95 (ms) | after median / p95 (ms) | status | |",
            "|---|---|---:|---:|---|---|",
        ]
    else:
        lines += ["| key | route | median (ms) | p95 (ms) | status | |", "|---|---|---:|---:|---|---|"]
    for t in timings:
        key, route = t.case.split(" ", 1)
        flag = "**≥ 100 ms**" if t.slow else ""
        if old:
            was = old.get(t.case)
            then = f"{was['median_ms']:.1f} / {was['p95_ms']:.1f}" if was else "–"
            lines.append(f"| {key} | `{route}` | {then} | {t.median_ms:.1f} / {t.p95_ms:.1f} | {t.status} | {flag} |")
        else:
            lines.append(f"| {key} | `{route}` | {t.median_ms:.1f} | {t.p95_ms:.1f} | {t.status} | {flag} |")
    if plans:
        scans = [p for p in plans if p.seq_scans]
        lines += [
            "",
            f"EXPLAIN (ANALYZE, BUFFERS): {len(plans)} statements, {len(scans)} with a Seq Scan on a big table.",
            "",
        ]
        if scans:
            lines += ["| route | statement | execution (ms) | Seq Scan |", "|---|---|---:|---|"]
            for p in scans:
                lines.append(f"| {p.case} | `{p.statement[:90]}…` | {p.execution_ms:.1f} | {'; '.join(p.seq_scans)} |")
    if housekeeping:
        lines += ["", "| housekeeping (rolled back) | ms | |", "|---|---:|---|"]
        lines += [f"| {name} | {ms:.0f} | {note} |" for name, ms, note in housekeeping]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    args = _args(argv)
    sizes = Sizes(
        jobs=args.jobs, intakes=args.intakes, audit=args.audit, live=args.live, doing=min(60, args.live // 10)
    )
    args.out.mkdir(parents=True, exist_ok=True)
    from runtime.embedded_pg import start_embedded_postgres

    if args.reuse:
        root = args.reuse.resolve()
    elif args.keep:
        root = args.keep.resolve()
        root.mkdir(parents=True, exist_ok=True)
    else:
        root = Path(tempfile.mkdtemp(prefix="triage-bench-ops-"))
    keep = bool(args.keep or args.reuse)
    print(f"PostgreSQL data: {root / 'data'} ({'kept' if keep else 'deleted at the end'})", flush=True)
    server = start_embedded_postgres(root / "data", delete_on_exit=not keep)
    api: stack.Process | None = None
    try:
        admin_url = _database_url(server, "postgres")
        url = _database_url(server, DATABASE)
        meta: dict[str, Any] = {
            "label": args.label,
            "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "cpus": os.cpu_count(),
            "postgres": stack.server_version(admin_url),
            "warmup": args.warmup,
            "calls": args.calls,
        }
        if args.reuse:
            saved = json.loads((root / "sizes.json").read_text())
            sizes = Sizes(**saved["sizes"])
            meta["load_s"] = saved["load_s"]
            started = time.perf_counter()
            applied = apply_migrations(url)
            meta["migrate_s"] = time.perf_counter() - started if applied else 0.0
            print(f"migrations applied on the loaded data: {applied or 'none'} ({meta['migrate_s']:.1f} s)", flush=True)
            with psycopg.connect(url, autocommit=True) as conn:
                conn.execute("VACUUM ANALYZE")
        else:
            _tune(admin_url)
            with psycopg.connect(admin_url, autocommit=True) as conn:
                conn.execute(f'CREATE DATABASE "{DATABASE}"')
            apply_migrations(url)
            print(f"loading {sizes} …", flush=True)
            report = scale_data.load(url, sizes)
            meta["load_s"] = report.total_s
            meta["load_steps"] = report.steps
            print(f"loaded in {report.total_s:.0f} s", flush=True)
            with psycopg.connect(url, autocommit=True) as conn:
                conn.execute("CHECKPOINT")
            (root / "sizes.json").write_text(json.dumps({"sizes": asdict(sizes), "load_s": report.total_s}))
        with psycopg.connect(url, autocommit=True) as conn:
            row = conn.execute("SELECT count(*) FROM procrastinate_events").fetchone()
            meta["events"] = int(row[0]) if row else 0
            # The three live workers heart-beat "now"; the fourth stays silent (its jobs are stalled).
            conn.execute("UPDATE procrastinate_workers SET last_heartbeat = now() WHERE id <> 4")
        meta.update(
            {
                "jobs": sizes.jobs,
                "live": sizes.live,
                "intakes": sizes.intakes,
                "audit": sizes.audit,
                "tenants": sizes.tenants,
            }
        )

        pepper = secrets.token_urlsafe(48)
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("TRIAGE_", "DATABASE_URL", "MIGRATION_DATABASE_URL"))
        }
        env.update(
            {
                "DATABASE_URL": url,
                "TRIAGE_ENV": "production",
                "TRIAGE_KEY_PEPPER": pepper,
                "TRIAGE_PLATFORM_TENANT": PLATFORM,
                "TRIAGE_RATE_LIMIT_PER_MINUTE": "0",
                "PYTHONPATH": str(ROOT),
            }
        )
        settings = Settings(
            database_url=SecretStr(url),
            environment="production",
            key_pepper=SecretStr(pepper),
            platform_tenant=PLATFORM,
            rate_limit_per_minute=0,
        )
        tokens = asyncio.run(_mint_keys(settings))
        samples = scale_measure.find_samples(url, sizes)
        all_cases = scale_measure.cases(samples)

        api = stack.start_project_api(env, args.out, name=f"api-{args.label}")
        base = api.base_url or ""
        print(f"timing {len(all_cases)} routes against {base} …", flush=True)
        timings = scale_measure.time_routes(base, tokens, all_cases, warmup=args.warmup, calls=args.calls)
        api.stop()
        api = None

        plans: list[scale_measure.Plan] = []
        if not args.no_explain:
            print("EXPLAIN (ANALYZE, BUFFERS) of the SQL each route runs …", flush=True)
            from runtime.logging import configure_logging

            configure_logging(log_format="json", level="WARNING")
            by_case = asyncio.run(scale_measure.record_statements(settings, tokens, all_cases))
            plans = scale_measure.explain_statements(url, by_case)
            for p in plans:
                if p.seq_scans:
                    print(f"  Seq Scan: {p.case}: {'; '.join(p.seq_scans)} ({p.execution_ms:.1f} ms)", flush=True)
        print("housekeeping …", flush=True)
        housekeeping = scale_measure.time_housekeeping(url, settings.job_retention_hours)

        before = json.loads(args.compare.read_text()) if args.compare else None
        markdown = _markdown(meta, timings, plans, housekeeping, before)
        (args.out / f"report-{args.label}.md").write_text(markdown)
        (args.out / f"plans-{args.label}.txt").write_text(
            "\n\n".join(f"== {p.case}\n-- {p.statement}\n{p.text}" for p in plans)
        )
        (args.out / f"results-{args.label}.json").write_text(
            json.dumps(
                {
                    "meta": meta,
                    "timings": [asdict(t) for t in timings],
                    "plans": [{k: v for k, v in asdict(p).items() if k != "text"} for p in plans],
                    "housekeeping": housekeeping,
                },
                indent=1,
                default=str,
            )
        )
        print("\n" + markdown)
        print(f"written to {args.out}/report-{args.label}.md (plans: plans-{args.label}.txt)")
        return 0
    finally:
        if api is not None:
            api.stop()
        server.cleanup()
        if not keep:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
