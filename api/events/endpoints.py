from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Header
from fastapi.responses import StreamingResponse

from api.auth import Access, access_for
from api.events import service
from api.openapi import problem_responses
from api.state import State

router = APIRouter(prefix="/v1", tags=["events"])

EVENT_STREAM = "text/event-stream"
STREAM_DESCRIPTION = """A stream of the tenant's intake status changes, one event per intake that finished:

```
id: 1842
event: intake.triaged
data: {"event_id": 1842, "type": "intake.triaged", "intake_id": "…", "status": "triaged",
       "occurred_at": "…", "links": {"intake": "/v1/intakes/…"}}
```

`event` is `intake.triaged`, `intake.failed`, or `intake.reviewed` (a clinician confirmed or overrode the
outcome). No patient data: read the intake at `links.intake`."""


@router.get(
    "/events",
    response_class=StreamingResponse,
    responses={
        200: {"content": {EVENT_STREAM: {"schema": {"type": "string"}}}, "description": STREAM_DESCRIPTION},
        **problem_responses(401, 403, 422, 429),
    },
    summary="Stream intake status changes (Server-Sent Events)",
)
async def stream_events(
    state: State,
    access: Annotated[Access, Depends(access_for("intake:read", "events.stream", "events"))],
    last_event_id: Annotated[
        int | None,
        Header(
            alias="Last-Event-ID",
            ge=0,
            description="Resume after this event id (the `id` of the last event received). Without it the "
            "stream starts with the events after the connection.",
        ),
    ] = None,
) -> StreamingResponse:
    """Server-Sent Events of the tenant's intakes reaching `triaged` or `failed`, from a durable log: a client
    that reconnects with `Last-Event-ID` gets every event it missed (kept for TRIAGE_JOB_RETENTION_HOURS).
    Audited once per connection. A process serves at most TRIAGE_EVENT_STREAMS_PER_TENANT streams of one
    tenant at once (429 beyond); a stream ends after an hour, and EventSource clients reconnect by themselves.
    """
    stream = await service.open_stream(state, access, last_event_id)
    return StreamingResponse(
        stream,
        media_type=EVENT_STREAM,
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},  # no proxy buffering of a live stream
    )
