"""Baseline (ii): the least an intake endpoint with a queue can do — one insert and one transactional
Procrastinate defer, on an async psycopg pool — and the no-op task its worker drains.

Nothing else: no authentication, no audit, no idempotency, no logging or middleware. `make bench` runs the
endpoint as its own uvicorn app and the worker as `python -m bench.baselines.reference worker`, against the
same database server, with the same process and concurrency counts as this project's.

    BASELINE_DATABASE_URL=postgresql://... uvicorn bench.baselines.reference:app
    BASELINE_DATABASE_URL=postgresql://... python -m bench.baselines.reference worker --concurrency 4
"""

from __future__ import annotations

import argparse
import asyncio
import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import orjson
import procrastinate
from fastapi import FastAPI
from psycopg import AsyncConnection
from psycopg.types.json import Jsonb
from psycopg_pool import AsyncConnectionPool
from pydantic import BaseModel

QUEUE = "bench-reference"
DATABASE_URL = os.environ.get("BASELINE_DATABASE_URL", "")

# The worker opens its own pool from `conninfo`; the API hands its pool over with `open_async(pool)`.
queue_app = procrastinate.App(
    connector=procrastinate.PsycopgConnector(conninfo=DATABASE_URL, json_dumps=lambda obj: orjson.dumps(obj).decode())
)


@queue_app.task(name="bench.noop", queue=QUEUE)
async def noop(intake_id: str) -> None:
    """Does nothing: what is left is Procrastinate's own cost per job (fetch, start, finish)."""


TABLE = """
CREATE TABLE IF NOT EXISTS reference_intakes (
    id uuid PRIMARY KEY, patient_id text NOT NULL, payload jsonb NOT NULL, created_at timestamptz DEFAULT now()
)"""


class Intake(BaseModel):
    patient_id: str
    age: int
    symptoms: list[str]
    urgency: str


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    pool: AsyncConnectionPool[AsyncConnection] = AsyncConnectionPool(DATABASE_URL, min_size=10, max_size=10, open=False)
    await pool.open()
    async with pool.connection() as conn:
        await conn.execute(TABLE)
    app.state.pool = pool
    async with queue_app.open_async(pool):
        yield
    await pool.close()


app = FastAPI(title="reference baseline", lifespan=lifespan)


@app.post("/intakes", status_code=202)
async def submit(intake: Intake) -> dict[str, str | int]:
    intake_id = uuid.uuid4()
    async with app.state.pool.connection() as conn, conn.transaction():
        job_id = await noop.configure(connection=conn).defer_async(intake_id=str(intake_id))
        await conn.execute(
            "INSERT INTO reference_intakes (id, patient_id, payload) VALUES (%s, %s, %s)",
            (intake_id, intake.patient_id, Jsonb(intake.model_dump())),
        )
    return {"intake_id": str(intake_id), "job_id": job_id}


async def _work(concurrency: int) -> None:
    async with queue_app.open_async():
        await queue_app.run_worker_async(queues=[QUEUE], concurrency=concurrency, install_signal_handlers=True)


def main() -> None:
    parser = argparse.ArgumentParser(prog="bench.baselines.reference")
    parser.add_argument("command", choices=["worker"])
    parser.add_argument("--concurrency", type=int, default=4)
    args = parser.parse_args()
    asyncio.run(_work(args.concurrency))


if __name__ == "__main__":
    main()
