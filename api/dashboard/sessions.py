"""Dashboard sessions: a random token in an HttpOnly cookie, a keyed hash of it in `dashboard_sessions`.

The cookie never carries the API key or anything derived from its secret. The stored hash is an HMAC
under a key derived from TRIAGE_KEY_PEPPER, so a copy of the table yields no usable session, and changing
the pepper ends every session as it invalidates every key. Every request looks the
session up joined to its key, so revoking the key (or its expiry) ends the session at the next refresh.
The idle expiry slides (written at most once a minute) within an absolute lifetime from sign-in.

CSRF: every state-changing form carries `csrf`, an HMAC of the session token under a key derived from
TRIAGE_KEY_PEPPER. A cross-site page can neither read the HttpOnly cookie nor a page of ours, so it
cannot produce the value; the SameSite=Strict cookie is a second, independent barrier.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

from fastapi import Request, Response

from api.auth import Principal
from runtime.settings import Settings
from store import dashboard
from store.pool import Pool

COOKIE = "triage_ops_session"
COOKIE_PATH = "/ops"
_MAX_TOKEN_LENGTH = 100


@dataclass(frozen=True, slots=True)
class Session:
    token: str
    token_hash: bytes
    principal: Principal
    expires_at: datetime
    touched: bool  # the idle expiry moved: the cookie is sent again with the new lifetime

    @property
    def public_id(self) -> str:
        """Names the session in audit events: a prefix of the token's hash, useless as a credential."""
        return self.token_hash.hex()[:16]


def new_token() -> str:
    return secrets.token_urlsafe(32)


def _derived_key(settings: Settings, purpose: bytes) -> bytes:
    """A key for one purpose, derived from the pepper (which keys API key hashes): never the pepper itself."""
    return hashlib.sha256(
        b"triage-dashboard-" + purpose + b"\x00" + settings.key_pepper.get_secret_value().encode()
    ).digest()


def token_hash(settings: Settings, token: str) -> bytes:
    return hmac.new(_derived_key(settings, b"session"), token.encode(), hashlib.sha256).digest()


def csrf_token(settings: Settings, token: str) -> str:
    return hmac.new(_derived_key(settings, b"csrf"), token.encode(), hashlib.sha256).hexdigest()


def csrf_matches(settings: Settings, token: str, presented: str | None) -> bool:
    return presented is not None and hmac.compare_digest(csrf_token(settings, token), presented)


def presented_token(request: Request) -> str | None:
    token = request.cookies.get(COOKIE)
    return token if token and len(token) <= _MAX_TOKEN_LENGTH else None


async def load(pool: Pool, settings: Settings, request: Request) -> Session | None:
    """The request's session when it is live and its key still valid; else None."""
    token = presented_token(request)
    if token is None:
        return None
    hashed = token_hash(settings, token)
    async with pool.connection() as conn:
        row = await dashboard.touch_session(
            conn,
            token_hash=hashed,
            idle_seconds=settings.dashboard_session_minutes * 60,
            lifetime_seconds=settings.dashboard_session_max_hours * 3600,
        )
    if row is None:
        return None
    principal = Principal(key_id=row.key_id, tenant_id=row.tenant_id, scopes=tuple(row.scopes))
    return Session(token=token, token_hash=hashed, principal=principal, expires_at=row.expires_at, touched=row.touched)


async def start(pool: Pool, settings: Settings, principal: Principal) -> Session:
    token = new_token()
    hashed = token_hash(settings, token)
    async with pool.connection() as conn:
        expires_at = await dashboard.create_session(
            conn,
            token_hash=hashed,
            key_id=principal.key_id,
            idle_seconds=settings.dashboard_session_minutes * 60,
        )
    return Session(token=token, token_hash=hashed, principal=principal, expires_at=expires_at, touched=True)


async def end(pool: Pool, session: Session) -> None:
    async with pool.connection() as conn:
        await dashboard.delete_session(conn, session.token_hash)


def is_secure(request: Request, settings: Settings) -> bool:
    """HTTPS as uvicorn saw it: its own TLS, or X-Forwarded-Proto from a proxy in FORWARDED_ALLOW_IPS."""
    return settings.dashboard_secure_cookie == "always" or request.url.scheme == "https"


def set_cookie(response: Response, request: Request, settings: Settings, session: Session) -> None:
    max_age = max(0, round((session.expires_at - datetime.now(UTC)).total_seconds()))
    response.set_cookie(
        COOKIE,
        session.token,
        max_age=max_age,
        path=COOKIE_PATH,
        secure=is_secure(request, settings),
        httponly=True,
        samesite="strict",
    )


def clear_cookie(response: Response, request: Request, settings: Settings) -> None:
    response.delete_cookie(
        COOKIE, path=COOKIE_PATH, secure=is_secure(request, settings), httponly=True, samesite="strict"
    )
