"""Reading an intake once it has finished: `?wait=N` on the intake routes (api/intakes/listener.py wakes us).

While waiting, only the intake's status is read, which carries no patient data and is not audited; the
read that returns the intake is the audited one, exactly once per request as without `wait`.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from uuid import UUID

from api.auth import Access
from api.intakes import service
from api.state import AppState
from store import intakes
from store.tenancy import tenant_transaction

# The longest a request may wait (seconds): long enough for a triage under load, short enough for proxies.
MAX_WAIT_SECONDS = 30.0
FINAL_STATUSES = frozenset({"triaged", "failed"})
# The response header that says the wait ran out before the intake finished.
WAIT_TIMED_OUT = "Wait-Timed-Out"


@dataclass(frozen=True, slots=True)
class Waited:
    view: intakes.IntakeView
    timed_out: bool


async def read_when_done(state: AppState, access: Access, intake_id: UUID, seconds: float) -> Waited:
    """The intake as soon as it is triaged or failed, or as it is after `seconds` (`timed_out`)."""
    timed_out = await wait_until_done(state, access.tenant_id, intake_id, seconds)
    return Waited(view=await service.read_intake(state, access, intake_id), timed_out=timed_out)


async def wait_until_done(state: AppState, tenant_id: str, intake_id: UUID, seconds: float) -> bool:
    """Wait until the intake is final (or unknown to this tenant); True if `seconds` ran out first."""
    if seconds <= 0:
        return False
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    async with state.listener.watch(intake_id) as changed:
        if changed is None:  # this process waits for as many intakes as it allows: answer now
            return True
        while True:
            changed.clear()  # before the read: a notification after it sets the event again
            if await _status(state, tenant_id, intake_id) in (*FINAL_STATUSES, None):
                return False
            remaining = deadline - loop.time()
            if remaining <= 0:
                return True
            try:
                await asyncio.wait_for(changed.wait(), remaining)
            except TimeoutError:
                return True


async def _status(state: AppState, tenant_id: str, intake_id: UUID) -> str | None:
    async with state.pool.connection() as conn, tenant_transaction(conn, tenant_id):
        return await intakes.get_status(conn, intake_id)
