"""The clinician review queue: listing, confirm and override as new records, the effective decision."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import httpx
import psycopg
import pytest

from store.pool import Pool
from tasks.triage import run_triage
from tests.conftest import KeyFactory
from tests.helpers import bearer

pytestmark = pytest.mark.integration

# Flagged for review: NEWS2 parameters are missing (incomplete_data).
PARTIAL = {"patient_id": "P-rev-1", "age": 50, "symptoms": ["cough"], "urgency": "low", "vitals": {"heart_rate": 88}}
# Complete vitals, nothing abnormal: not flagged.
COMPLETE = {
    "patient_id": "P-rev-2",
    "age": 30,
    "symptoms": ["sore throat"],
    "urgency": "low",
    "vitals": {
        "respiratory_rate": 14,
        "spo2": 98,
        "on_supplemental_oxygen": False,
        "systolic_bp": 122,
        "heart_rate": 72,
        "consciousness": "alert",
        "temperature_c": 36.8,
    },
}


async def _triaged(client: httpx.AsyncClient, pool: Pool, headers: dict[str, str], body: dict[str, Any]) -> str:
    accepted = await client.post("/v1/intakes", json=body, headers=headers)
    assert accepted.status_code == 202, accepted.text
    intake_id = accepted.json()["intake_id"]
    assert await run_triage(pool, UUID(intake_id), "clinic-a", actor="worker:test", job_id=None)
    return str(intake_id)


async def test_flagged_outcomes_wait_in_the_queue_oldest_first_until_reviewed(
    app_client: httpx.AsyncClient, make_key: KeyFactory, pool: Pool
) -> None:
    agent = bearer(await make_key())
    clinician = bearer(await make_key(scopes=("review",), name="dr-review"))
    first = await _triaged(app_client, pool, agent, PARTIAL)
    await _triaged(app_client, pool, agent, COMPLETE)
    second = await _triaged(app_client, pool, agent, {**PARTIAL, "patient_id": "P-rev-3"})
    page = (await app_client.get("/v1/reviews", headers=clinician)).json()
    assert [item["intake_id"] for item in page["items"]] == [first, second]  # not the unflagged one
    assert page["items"][0]["review_reasons"][0].startswith("incomplete_data")
    by_reason = await app_client.get("/v1/reviews", params={"reason": "incomplete_data"}, headers=clinician)
    assert len(by_reason.json()["items"]) == 2
    other_reason = await app_client.get("/v1/reviews", params={"reason": "consider_esi_2"}, headers=clinician)
    assert other_reason.json()["items"] == []
    acuity = page["items"][0]["acuity"]
    other_acuity = await app_client.get(
        "/v1/reviews", params={"acuity": 6 - acuity if acuity != 3 else 1}, headers=clinician
    )
    assert other_acuity.json()["items"] == []
    paged = await app_client.get("/v1/reviews", params={"limit": 1}, headers=clinician)
    rest = await app_client.get("/v1/reviews", params={"cursor": paged.json()["next_cursor"]}, headers=clinician)
    assert [i["intake_id"] for i in rest.json()["items"]] == [second]

    confirmed = await app_client.post(
        f"/v1/intakes/{first}/reviews", json={"decision": "confirm", "reason": "vitals rechecked"}, headers=clinician
    )
    assert confirmed.status_code == 201, confirmed.text
    page = (await app_client.get("/v1/reviews", headers=clinician)).json()
    assert [item["intake_id"] for item in page["items"]] == [second]


async def test_an_override_is_a_new_record_and_the_engines_outcome_is_kept(
    app_client: httpx.AsyncClient, make_key: KeyFactory, pool: Pool, owner_conn: psycopg.Connection[Any]
) -> None:
    agent = bearer(await make_key())
    clinician = bearer(await make_key(scopes=("review",), name="dr-review"))
    intake_id = await _triaged(app_client, pool, agent, PARTIAL)
    before = (await app_client.get(f"/v1/intakes/{intake_id}", headers=agent)).json()
    assert before["decision"] == {
        "acuity": before["outcome"]["acuity"],
        "disposition": before["outcome"]["disposition"],
        "source": "engine",
    }
    stored_before = owner_conn.execute("SELECT acuity, disposition, assessment FROM triage_outcomes").fetchall()

    overridden = await app_client.post(
        f"/v1/intakes/{intake_id}/reviews",
        json={"decision": "override", "acuity": 2, "reason": "chest tightness reported on call-back"},
        headers=clinician,
    )
    assert overridden.status_code == 201, overridden.text
    after = (await app_client.get(f"/v1/intakes/{intake_id}", headers=agent)).json()
    # The effective decision changed; the engine's outcome did not, in the response or in the table.
    assert after["decision"] == {"acuity": 2, "disposition": before["outcome"]["disposition"], "source": "review"}
    assert after["outcome"] == before["outcome"]
    assert owner_conn.execute("SELECT acuity, disposition, assessment FROM triage_outcomes").fetchall() == stored_before
    (review,) = after["reviews"]
    assert (review["decision"], review["acuity"], review["reason"]) == (
        "override",
        2,
        "chest tightness reported on call-back",
    )
    assert review["reviewer"].startswith("key:")
    # A second review stacks on top: the latest one stands, the first is kept.
    await app_client.post(
        f"/v1/intakes/{intake_id}/reviews",
        json={"decision": "override", "disposition": "emergency", "reason": "senior review"},
        headers=clinician,
    )
    latest = (await app_client.get(f"/v1/intakes/{intake_id}", headers=agent)).json()
    assert latest["decision"] == {"acuity": 2, "disposition": "emergency", "source": "review"}
    assert [r["decision"] for r in latest["reviews"]] == ["override", "override"]
    # Audited, and announced to agents (stream and callbacks read intake_events).
    audited = owner_conn.execute(
        "SELECT count(*) FROM audit_events WHERE action = 'intake.review' AND resource_id = %s", (intake_id,)
    ).fetchone()
    assert audited == (2,)
    kinds = owner_conn.execute(
        "SELECT kind FROM intake_events WHERE intake_id = %s ORDER BY id", (intake_id,)
    ).fetchall()
    assert [k for (k,) in kinds] == ["intake.triaged", "intake.reviewed", "intake.reviewed"]


async def test_the_review_table_is_append_only_for_the_app(
    app_client: httpx.AsyncClient, make_key: KeyFactory, pool: Pool
) -> None:
    agent = bearer(await make_key())
    clinician = bearer(await make_key(scopes=("review",), name="dr-review"))
    intake_id = await _triaged(app_client, pool, agent, PARTIAL)
    await app_client.post(
        f"/v1/intakes/{intake_id}/reviews", json={"decision": "confirm", "reason": "ok"}, headers=clinician
    )
    async with pool.connection() as conn:
        await conn.execute("SELECT set_config('app.tenant_id', 'clinic-a', false)")
        for statement in ("UPDATE outcome_reviews SET acuity = 5", "DELETE FROM outcome_reviews"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                await conn.execute(statement)
            await conn.rollback()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"decision": "override", "reason": "x"}, None),  # an override that changes nothing
        ({"decision": "confirm", "acuity": 3, "reason": "x"}, None),  # a confirmation that changes something
        ({"decision": "override", "acuity": 0, "reason": "x"}, "acuity"),
        ({"decision": "override", "disposition": "home", "reason": "x"}, "disposition"),
        ({"decision": "confirm", "reason": "   "}, "reason"),
        ({"decision": "approve", "reason": "x"}, "decision"),
    ],
)
async def test_a_malformed_review_is_a_422_and_nothing_is_recorded(
    app_client: httpx.AsyncClient,
    make_key: KeyFactory,
    pool: Pool,
    owner_conn: psycopg.Connection[Any],
    body: dict[str, Any],
    field: str | None,
) -> None:
    intake_id = await _triaged(app_client, pool, bearer(await make_key()), PARTIAL)
    refused = await app_client.post(
        f"/v1/intakes/{intake_id}/reviews", json=body, headers=bearer(await make_key(scopes=("review",)))
    )
    assert refused.status_code == 422, refused.text
    if field is not None:
        assert field in [e["field"] for e in refused.json()["errors"]]
    assert owner_conn.execute("SELECT count(*) FROM outcome_reviews").fetchone() == (0,)


async def test_reviews_need_the_review_scope_a_triaged_intake_and_the_same_tenant(
    app_client: httpx.AsyncClient, make_key: KeyFactory, pool: Pool
) -> None:
    agent = bearer(await make_key())
    body = {"decision": "confirm", "reason": "ok"}
    queued = (await app_client.post("/v1/intakes", json=PARTIAL, headers=agent)).json()["intake_id"]
    clinician = bearer(await make_key(scopes=("review",)))
    assert (await app_client.post(f"/v1/intakes/{queued}/reviews", json=body, headers=clinician)).status_code == 409
    intake_id = await _triaged(app_client, pool, agent, PARTIAL)
    assert (await app_client.post(f"/v1/intakes/{intake_id}/reviews", json=body, headers=agent)).status_code == 403
    assert (await app_client.get("/v1/reviews", headers=agent)).status_code == 403
    elsewhere = bearer(await make_key(tenant="clinic-b", scopes=("review",)))
    assert (await app_client.post(f"/v1/intakes/{intake_id}/reviews", json=body, headers=elsewhere)).status_code == 404
    assert (await app_client.get("/v1/reviews", headers=elsewhere)).json()["items"] == []


async def test_under_the_all_policy_every_outcome_goes_to_review(
    app_client: httpx.AsyncClient, make_key: KeyFactory, pool: Pool, owner_conn: psycopg.Connection[Any]
) -> None:
    agent = bearer(await make_key())
    clinician = bearer(await make_key(scopes=("review",)))
    unflagged = await _triaged(app_client, pool, agent, COMPLETE)
    assert (await app_client.get("/v1/reviews", headers=clinician)).json()["items"] == []
    owner_conn.execute("UPDATE tenants SET review_policy = 'all' WHERE id = 'clinic-a'")
    items = (await app_client.get("/v1/reviews", headers=clinician)).json()["items"]
    assert [item["intake_id"] for item in items] == [unflagged]


async def test_time_to_review_is_a_metric(app_client: httpx.AsyncClient, make_key: KeyFactory, pool: Pool) -> None:
    agent = bearer(await make_key())
    clinician = bearer(await make_key(scopes=("review",)))
    metrics = bearer(await make_key(scopes=("metrics:read",)))

    def count(text: str) -> float:
        line = next(line for line in text.splitlines() if line.startswith("triage_review_delay_seconds_count"))
        return float(line.split()[-1])

    before = count((await app_client.get("/metrics", headers=metrics)).text)
    intake_id = await _triaged(app_client, pool, agent, PARTIAL)
    await app_client.post(
        f"/v1/intakes/{intake_id}/reviews", json={"decision": "confirm", "reason": "ok"}, headers=clinician
    )
    await app_client.post(
        f"/v1/intakes/{intake_id}/reviews", json={"decision": "confirm", "reason": "again"}, headers=clinician
    )
    assert count((await app_client.get("/metrics", headers=metrics)).text) == before + 1  # the first review only
