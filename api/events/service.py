"""Event streams: the tenant's log (store/events.py) from a cursor, then live as the listener wakes us.

Each wake-up reads the log after the last id sent, so the stream is the log in order — never the
notifications themselves, which are lost while nobody listens. Event ids of a tenant are handed out in
commit order (migration 0013), so the last id sent is a safe place to resume from (`Last-Event-ID`).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import orjson

from api.audit.service import record_access
from api.auth import Access
from api.errors import RateLimited
from api.state import AppState
from store import events
from store.tenancy import tenant_transaction

PAGE = 100
# A comment line this often keeps proxies and the client's reader from timing out an idle stream.
KEEP_ALIVE_SECONDS = 15.0
# A stream ends after this long; the client reconnects with Last-Event-ID (EventSource does so by itself).
MAX_STREAM_SECONDS = 3600.0
RECONNECT_MILLISECONDS = 3000


async def open_stream(state: AppState, access: Access, last_event_id: int | None) -> AsyncIterator[bytes]:
    """Check the tenant's bound, record the access (once per connection), and return the stream."""
    limit = state.settings.event_streams_per_tenant
    if state.listener.streams(access.tenant_id) >= limit:
        raise RateLimited(state.settings.retry_after_seconds)
    await record_access(state, access)
    # The starting point is taken before the response headers go out: a client that sees the stream open may act
    # at once, and an event that follows must not fall before the cursor (the body runs after the headers).
    cursor = last_event_id if last_event_id is not None else await _last_id(state, access.tenant_id)
    return _stream(state, access.tenant_id, cursor)


async def _stream(state: AppState, tenant_id: str, cursor: int) -> AsyncIterator[bytes]:
    loop = asyncio.get_running_loop()
    ends_at = loop.time() + MAX_STREAM_SECONDS
    with state.listener.watch_tenant(tenant_id) as changed:  # before the first read: nothing falls between
        yield f"retry: {RECONNECT_MILLISECONDS}\n: stream of intake events after {cursor}\n\n".encode()
        while loop.time() < ends_at:
            changed.clear()
            page = await _after(state, tenant_id, cursor)
            for event in page:
                yield _frame(event)
                cursor = event.id
            if len(page) == PAGE:
                continue  # more to catch up on
            try:
                await asyncio.wait_for(changed.wait(), min(KEEP_ALIVE_SECONDS, max(0.0, ends_at - loop.time())))
            except TimeoutError:
                yield b": keep-alive\n\n"


def _frame(event: events.IntakeEvent) -> bytes:
    data = orjson.dumps(
        {
            "event_id": event.id,
            "type": event.kind,
            "intake_id": str(event.intake_id),
            "status": events.status_after(event.kind),
            "occurred_at": event.created_at.isoformat(),
            "links": {"intake": f"/v1/intakes/{event.intake_id}"},
        }
    )
    return b"id: %d\nevent: %s\ndata: %s\n\n" % (event.id, event.kind.encode(), data)


async def _after(state: AppState, tenant_id: str, cursor: int) -> list[events.IntakeEvent]:
    async with state.pool.connection() as conn, tenant_transaction(conn, tenant_id):
        return await events.list_after(conn, tenant_id, cursor, PAGE)


async def _last_id(state: AppState, tenant_id: str) -> int:
    async with state.pool.connection() as conn, tenant_transaction(conn, tenant_id):
        return await events.last_id(conn, tenant_id)
