from __future__ import annotations

from fastapi import APIRouter

from api.errors import ServiceUnavailable
from api.health import service
from api.openapi import problem_responses
from api.state import State

router = APIRouter(tags=["health"])


@router.get("/healthz", summary="Liveness: the process answers")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz", summary="Readiness: database reachable, migrations current", responses=problem_responses(503))
async def readyz(state: State) -> dict[str, str]:
    try:
        pending = await service.pending_migrations(state)
    except Exception:
        raise ServiceUnavailable("Database unreachable.") from None
    if pending:
        raise ServiceUnavailable(f"{len(pending)} migration(s) pending; run `triage migrate`.")
    return {"status": "ready"}
