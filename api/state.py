"""What the lifespan opens and every request may use, handed to handlers through Depends."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, cast

import procrastinate
from fastapi import Depends, Request

from api.intakes.listener import DoneListener
from api.key_cache import KeyCache
from api.ratelimit import AuthFailureLimiter, RateLimiter
from runtime.settings import Settings
from store.pool import Pool


@dataclass(frozen=True, slots=True)
class AppState:
    settings: Settings
    pool: Pool
    queue: procrastinate.App
    rate_limiter: RateLimiter
    auth_failures: AuthFailureLimiter
    key_cache: KeyCache
    listener: DoneListener  # wakes `?wait=N` reads when an intake finishes


async def get_state(request: Request) -> AppState:
    # async: FastAPI runs a plain `def` dependency in a thread pool, a hand-off on every request.
    return cast(AppState, request.app.state.triage)


State = Annotated[AppState, Depends(get_state)]
