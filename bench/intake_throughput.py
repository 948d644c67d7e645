"""`make bench` section a: `POST /v1/intakes` (auth and audit on) against the article's app and the minimal
reference endpoint, on one database server, rounds interleaved so that a noisy minute hurts all three alike.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from pathlib import Path

import orjson
import psycopg
from procrastinate.schema import SchemaManager

from bench import load, report, stack

# The article's sample request: a body all three endpoints accept as it is.
BODY = orjson.dumps({"patient_id": "P12345", "age": 42, "symptoms": ["fever", "cough"], "urgency": "high"})
TENANT = "bench"
REFERENCE = "minimal reference"


@dataclass
class Target:
    name: str
    url: str
    authorization: str = ""
    process: stack.Process | None = None
    rounds: list[load.Round] = field(default_factory=list)

    @property
    def summary(self) -> load.Summary:
        return load.Summary(self.rounds)


def _psycopg2_url(url: str) -> str:
    return url.replace("postgresql://", "postgresql+psycopg2://", 1)


def start_targets(db: stack.Database, log_dir: Path, *, api_workers: int = 1) -> list[Target]:
    pepper = stack.new_pepper()
    ours_url = db.create("triage", migrate=True)
    token = asyncio.run(stack.mint_key(ours_url, pepper, TENANT, ["intake:write"]))
    env = stack.project_env(ours_url, pepper, TRIAGE_POOL_MAX="10")
    api = stack.start_project_api(env, log_dir)
    ours = [Target(report.OURS_ONE, f"{api.base_url}/v1/intakes", f"Bearer {token}", api)]
    if api_workers > 1:
        group = stack.start_project_api(env, log_dir, workers=api_workers, name=f"api-{api_workers}")
        ours.append(Target(report.ours_scaled(api_workers), f"{group.base_url}/v1/intakes", f"Bearer {token}", group))

    article_url = db.create("article")
    article = stack.start_uvicorn(
        "article",
        "bench.baselines.article_app:app",
        {**stack.project_env(article_url, pepper), "BASELINE_DATABASE_URL": _psycopg2_url(article_url)},
        log_dir,
        access_log=True,  # uvicorn's default, as the article runs it
    )
    return [
        *ours,
        Target("article's app", f"{article.base_url}/intake/store", process=article),
        start_reference(db, log_dir),
    ]


def start_reference(db: stack.Database, log_dir: Path) -> Target:
    reference_url = db.create("reference")
    with psycopg.connect(reference_url, autocommit=True) as conn:
        conn.execute(SchemaManager.get_schema())  # Procrastinate's own schema, nothing of ours
    reference = stack.start_uvicorn(
        "reference",
        "bench.baselines.reference:app",
        {**stack.project_env(reference_url, stack.new_pepper()), "BASELINE_DATABASE_URL": reference_url},
        log_dir,
        access_log=False,
    )
    return Target(REFERENCE, f"{reference.base_url}/intakes", process=reference)


def run(targets: list[Target], *, rounds: int, seconds: float, connections: int, warmup: float = 2.0) -> None:
    for target in targets:
        load.post(target.url, BODY, seconds=warmup, connections=connections, authorization=target.authorization)
    for i in range(rounds):
        for target in targets:
            result = load.post(
                target.url, BODY, seconds=seconds, connections=connections, authorization=target.authorization
            )
            target.rounds.append(result)
            print(
                f"  round {i + 1} {target.name}: {result.rps:.0f} req/s, p50 {result.p50_ms:.1f} ms,"
                f" p99 {result.p99_ms:.1f} ms, failures {result.non_2xx + result.socket_errors}",
                flush=True,
            )


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(prog="bench.intake_throughput")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=8)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--api-workers", type=int, default=1)
    args = parser.parse_args()
    with stack.throwaway_postgres() as db:
        targets = start_targets(db, db.root / "logs", api_workers=args.api_workers)
        try:
            run(targets, rounds=args.rounds, seconds=args.seconds, connections=args.connections)
        finally:
            for t in targets:
                if t.process:
                    t.process.stop()
        for t in targets:
            s = t.summary
            print(f"{t.name}: {s.rps:.0f} req/s p50 {s.median('p50_ms'):.1f} p99 {s.median('p99_ms'):.1f}")
