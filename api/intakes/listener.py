"""One LISTEN connection per API process: it wakes the requests waiting for an intake to finish, and the
event streams of its tenant.

`GET /v1/intakes/{id}?wait=N` registers interest in an intake, then checks its status, then sleeps until
this listener hears `triage_intake_done` for that id (migration 0012: sent on commit by a trigger) or its
time is up. Registering before checking closes the race with a worker that commits in between. Nothing
polls: while the LISTEN connection is down, waits run to their timeout; when it comes back every waiter is
woken once to check again, since notifications sent meanwhile were lost. Event streams (`GET /v1/events`)
watch a tenant the same way and read the durable log (migration 0013) when woken.

A notification's payload is `<intake id> <event id> <tenant id>` (ids only; an older trigger sent the id alone).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Iterator
from uuid import UUID

import psycopg
import structlog

from store.pool import app_conninfo

log = structlog.stdlib.get_logger(__name__)

CHANNEL = "triage_intake_done"
_RECONNECT_SECONDS = (0.5, 1.0, 2.0, 5.0)


class DoneListener:
    def __init__(self, database_url: str, *, max_waiters: int) -> None:
        self._conninfo = app_conninfo(database_url)
        self.max_waiters = max_waiters
        self._waiters: dict[UUID, set[asyncio.Event]] = {}
        self._streams: dict[str, set[asyncio.Event]] = {}
        self._count = 0
        self._task: asyncio.Task[None] | None = None
        self.listening = asyncio.Event()

    async def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="intake-done-listener")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        self._wake_all()

    @property
    def waiting(self) -> int:
        return self._count

    @contextlib.asynccontextmanager
    async def watch(self, intake_id: UUID) -> AsyncIterator[asyncio.Event | None]:
        """An event set when `intake_id` may have finished; None when this process already has as many waiters
        as it allows (the caller answers at once instead of waiting)."""
        if self._count >= self.max_waiters:
            yield None
            return
        event = asyncio.Event()
        self._waiters.setdefault(intake_id, set()).add(event)
        self._count += 1
        try:
            yield event
        finally:
            self._count -= 1
            events = self._waiters.get(intake_id)
            if events is not None:
                events.discard(event)
                if not events:
                    del self._waiters[intake_id]

    @contextlib.contextmanager
    def watch_tenant(self, tenant_id: str) -> Iterator[asyncio.Event]:
        """An event set whenever one of the tenant's intakes may have finished (for its event streams)."""
        event = asyncio.Event()
        self._streams.setdefault(tenant_id, set()).add(event)
        try:
            yield event
        finally:
            events = self._streams.get(tenant_id)
            if events is not None:
                events.discard(event)
                if not events:
                    del self._streams[tenant_id]

    def streams(self, tenant_id: str) -> int:
        return len(self._streams.get(tenant_id, ()))

    def _notified(self, payload: str) -> None:
        intake, _, rest = payload.partition(" ")
        with contextlib.suppress(ValueError):
            for event in self._waiters.get(UUID(intake), ()):
                event.set()
        tenant_id = rest.partition(" ")[2]
        for event in self._streams.get(tenant_id, ()):
            event.set()

    def _wake_all(self) -> None:
        for events in (*self._waiters.values(), *self._streams.values()):
            for event in events:
                event.set()

    async def _run(self) -> None:
        failures = 0
        while True:
            try:
                async with await psycopg.AsyncConnection.connect(self._conninfo, autocommit=True) as conn:
                    await conn.execute(f"LISTEN {CHANNEL}")
                    self.listening.set()
                    failures = 0
                    self._wake_all()  # anything announced while we were not listening was lost: check again
                    async for notice in conn.notifies():
                        self._notified(notice.payload)
            except psycopg.Error as exc:
                self.listening.clear()
                delay = _RECONNECT_SECONDS[min(failures, len(_RECONNECT_SECONDS) - 1)]
                failures += 1
                log.warning("intake listener disconnected", error=type(exc).__name__, retry_in=delay)
                await asyncio.sleep(delay)
