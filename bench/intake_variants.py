"""Where an intake request's time goes: section a's `POST /v1/intakes` repeated with parts of the API taken away.

A tool for finding the intake ceiling, not part of `make bench`'s report (docs/benchmarks.md, "Reading the
figures"). Each variant is one API process serving the real route (authentication, validation, the
submission statement with its audit event and tenant), measured with wrk against the minimal reference in
the same round, variants interleaved round by round:

    .venv/bin/python -m bench.intake_variants --variants full,quiet,no-metrics,bare --rounds 3

(`make bench` installs `wrk` and the `bench` extra on first use.)

- `full`: `triage api` as shipped.
- `quiet`: log level WARNING: no access-log line per request.
- `no-metrics`: the HTTP metrics middleware taken out (Prometheus counters and histogram per request).
- `bare`: every middleware taken out (metrics, request id and access log, request deadline, body guard) and
  the log level at WARNING: what is left is FastAPI, the route's dependencies and its statement.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys

from bench import intake_throughput, load, stack

VARIANTS = ("full", "quiet", "no-metrics", "bare")
REFERENCE = intake_throughput.REFERENCE


def serve(variant: str, port: int) -> None:
    """The API process of one variant: `triage api`'s app and server settings, the variant's parts removed."""
    if variant in ("quiet", "bare"):
        os.environ["TRIAGE_LOG_LEVEL"] = "WARNING"
    import uvicorn

    from api.app import create_app
    from api.metrics.middleware import HttpMetrics
    from runtime.logging import configure_logging
    from runtime.settings import get_settings

    settings = get_settings()
    configure_logging(log_format=settings.log_format, level=settings.log_level)
    app = create_app()
    if variant == "no-metrics":
        app.user_middleware = [m for m in app.user_middleware if getattr(m.cls, "__name__", "") != HttpMetrics.__name__]
    elif variant == "bare":
        app.user_middleware = []
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None, access_log=False, server_header=False)
    uvicorn.Server(config).run()


def measure(variants: list[str], rounds: int, seconds: float, connections: int) -> dict[str, list[load.Round]]:
    results: dict[str, list[load.Round]] = {name: [] for name in [*variants, REFERENCE]}
    with stack.throwaway_postgres() as db:
        log_dir = db.root / "logs"
        pepper = stack.new_pepper()
        url = db.create("triage", migrate=True)
        token = asyncio.run(stack.mint_key(url, pepper, intake_throughput.TENANT, ["intake:write"]))
        env = stack.project_env(url, pepper, TRIAGE_POOL_MAX="10")
        targets: dict[str, tuple[str, str, stack.Process]] = {}
        try:
            for variant in variants:
                port = stack.free_port()
                argv = [sys.executable, "-m", "bench.intake_variants", "serve", variant, "--port", str(port)]
                base = f"http://127.0.0.1:{port}"
                proc = stack.start(variant, argv, env, log_dir, ready_url=f"{base}/readyz", base_url=base)
                targets[variant] = (f"{base}/v1/intakes", f"Bearer {token}", proc)
            reference = intake_throughput.start_reference(db, log_dir)
            assert reference.process is not None
            targets[REFERENCE] = (reference.url, "", reference.process)
            for target_url, authorization, _ in targets.values():
                load.post(
                    target_url, intake_throughput.BODY, seconds=2, connections=connections, authorization=authorization
                )
            for round_no in range(rounds):
                for name, (target_url, authorization, _) in targets.items():
                    result = load.post(
                        target_url,
                        intake_throughput.BODY,
                        seconds=seconds,
                        connections=connections,
                        authorization=authorization,
                    )
                    results[name].append(result)
                    print(
                        f"  round {round_no + 1} {name}: {result.rps:.0f} req/s, p50 {result.p50_ms:.1f} ms,"
                        f" failures {result.non_2xx + result.socket_errors}",
                        flush=True,
                    )
        finally:
            for _, _, proc in targets.values():
                proc.stop()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(prog="bench.intake_variants")
    sub = parser.add_subparsers(dest="command")
    server = sub.add_parser("serve")
    server.add_argument("variant", choices=VARIANTS)
    server.add_argument("--port", type=int, required=True)
    parser.add_argument("--variants", default=",".join(VARIANTS))
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=8)
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args()
    if args.command == "serve":
        serve(args.variant, args.port)
        return
    variants = [v for v in args.variants.split(",") if v]
    unknown = set(variants) - set(VARIANTS)
    if unknown:
        parser.error(f"unknown variants: {', '.join(sorted(unknown))}")
    results = measure(variants, args.rounds, args.seconds, args.connections)
    reference = results[REFERENCE]
    print("\n| variant | requests/s (median) | × reference, round by round | × reference (median) | failures |")
    print("|---|---:|---|---:|---:|")
    for name, runs in results.items():
        ratios = [run.rps / ref.rps for run, ref in zip(runs, reference, strict=True)]
        failures = sum(run.non_2xx + run.socket_errors for run in runs)
        print(
            f"| {name} | {statistics.median(r.rps for r in runs):.0f} | {', '.join(f'{x:.2f}' for x in ratios)}"
            f" | {statistics.median(ratios):.2f} | {failures} |"
        )


if __name__ == "__main__":
    main()
