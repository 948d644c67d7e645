"""Baseline (i): the intake service of the article this project grew from (`../shared/seed`), rebuilt to
behave as published so that `make bench` can measure it side by side with `POST /v1/intakes`.

Kept as published: FastAPI with `async def` handlers that call a *synchronous* SQLAlchemy session (one per
request, from a `sessionmaker` dependency) on a psycopg2 engine with `pool_pre_ping`; one `INSERT ...
RETURNING id` and a commit per request; no validation beyond the body's types, no authentication, no audit,
nothing queued. Fixed only so that it runs: the `::jsonb` cast that is not a bind parameter under `text()`
is written `CAST(... AS jsonb)`, and the symptoms are serialised with `json.dumps` instead of `str()`.

    BASELINE_DATABASE_URL=postgresql+psycopg2://... uvicorn bench.baselines.article_app:app
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from typing import Any

from fastapi import Depends, FastAPI
from pydantic import BaseModel
from sqlalchemy import JSON, Column, Integer, MetaData, String, Table, create_engine, text
from sqlalchemy.orm import Session, sessionmaker

engine = create_engine(os.environ["BASELINE_DATABASE_URL"], pool_pre_ping=True)
SessionLocal = sessionmaker(bind=engine, autocommit=False, autoflush=False)

metadata = MetaData()
intake_records = Table(
    "intake_records",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("patient_id", String(64), nullable=False),
    Column("age", Integer, nullable=False),
    Column("symptoms", JSON, nullable=False),
    Column("urgency", String(32), nullable=False),
)
metadata.create_all(engine)

app = FastAPI(title="article baseline")


class PatientIntake(BaseModel):
    patient_id: str
    age: int
    symptoms: list[str]
    urgency: str


def get_db() -> Iterator[Session]:
    db = SessionLocal()
    try:
        yield db
    finally:
        db.close()


STORE = text(
    "INSERT INTO intake_records (patient_id, age, symptoms, urgency) "
    "VALUES (:patient_id, :age, CAST(:symptoms AS jsonb), :urgency) RETURNING id"
)


@app.post("/intake/store")
async def store_intake(payload: PatientIntake, db: Session = Depends(get_db)) -> dict[str, Any]:  # noqa: B008
    # Blocking calls inside an async handler, as published: the event loop waits for the database.
    result = db.execute(
        STORE,
        {
            "patient_id": payload.patient_id,
            "age": payload.age,
            "symptoms": json.dumps(payload.symptoms),
            "urgency": payload.urgency,
        },
    )
    record_id = result.scalar()
    db.commit()
    return {"status": "stored", "record_id": record_id}
