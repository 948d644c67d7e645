"""What the lifespan opens and every request may use, handed to handlers through Depends."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, cast

import procrastinate
from fastapi import Depends, Request

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


def get_state(request: Request) -> AppState:
    return cast(AppState, request.app.state.triage)


State = Annotated[AppState, Depends(get_state)]
