"""The API's pool reconnects within seconds of the database's return, however long it was down.

In-process and quicker than the scenarios of test_faults.py (about 30 s): the API's pool settings, clients
whose checkouts time out until `max_waiting` of them are queued (then TooManyRequests), an outage longer
than the pool's reconnect_timeout. Run: .venv/bin/pytest tests/faults/test_pool_recovery.py -s -q
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter

import psycopg
import pytest

from store.pool import API_RECONNECT_TIMEOUT_SECONDS, open_pool
from tests.faults.stack import FaultStack

# No gap between two attempts exceeds half the reconnect_timeout (1, 2, 4 … s, then the rest); 3 s of slack.
BACK_WITHIN_SECONDS = API_RECONNECT_TIMEOUT_SECONDS / 2 + 3
# Past the pool's giving up; with psycopg_pool's default (300 s) its attempts would come at about 15 and 31 s.
DOWN_SECONDS = API_RECONNECT_TIMEOUT_SECONDS * 1.8


@pytest.mark.faults
async def test_the_api_pool_reconnects_soon_after_an_outage_longer_than_its_reconnect_timeout(
    stack: FaultStack,
) -> None:
    async with (
        asyncio.timeout(120),
        open_pool(
            stack.database_url,
            min_size=2,
            max_size=2,  # no growth on demand: the only attempts are those replacing the lost connections
            name="api",
            checkout_timeout=0.5,
            max_waiting=5,
            reconnect_timeout=API_RECONNECT_TIMEOUT_SECONDS,
        ) as pool,
    ):
        errors: Counter[str] = Counter()

        async def checkout() -> bool:
            try:
                async with pool.connection() as conn:
                    await conn.execute("SELECT 1")
            except psycopg.OperationalError as exc:  # PoolTimeout, TooManyRequests, a connection found broken
                errors[type(exc).__name__] += 1
                return False
            return True

        assert await checkout()
        await asyncio.to_thread(stack.pg.stop, "immediate")
        down_until = time.monotonic() + DOWN_SECONDS
        while time.monotonic() < down_until:
            await checkout()
            await asyncio.sleep(0.1)  # a client's pace, not waiting for a condition
        await asyncio.to_thread(stack.pg.start)
        up = time.monotonic()
        while not await checkout():
            assert time.monotonic() - up < 3 * BACK_WITHIN_SECONDS, f"no connection yet; {pool.get_stats()}"
            await asyncio.sleep(0.1)
        back_in = time.monotonic() - up
        stats = pool.get_stats()
    print(f"\npool back {back_in:.1f}s after the database; errors while down: {dict(errors)}; {stats}", flush=True)
    assert errors["TooManyRequests"], f"inconclusive: the waiting queue never filled up ({dict(errors)})"
    assert back_in <= BACK_WITHIN_SECONDS, f"the pool served again {back_in:.1f}s after the database was back"
