"""API key format and hashing, shared by the API (verification) and the CLI (minting).

A key reads `tq_live_<id>_<secret>`: the id is public (it names the key in lists and audit events),
the secret is 32 random bytes shown once. The database keeps only HMAC-SHA256(pepper, id:secret), so a
stolen table without the pepper (TRIAGE_KEY_PEPPER) yields nothing usable.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Final

SCOPES: Final = ("intake:write", "intake:read", "review", "ops:read", "ops:write", "metrics:read", "admin")
ADMIN_SCOPE: Final = "admin"
_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"
_ID_LENGTH = 12


@dataclass(frozen=True, slots=True)
class MintedKey:
    key_id: str
    token: str  # shown once, never stored
    secret_hash: bytes


@dataclass(frozen=True, slots=True)
class PresentedKey:
    key_id: str
    secret: str


def key_prefix(environment: str) -> str:
    return "tq_live" if environment == "production" else "tq_test"


def hash_secret(pepper: str, key_id: str, secret: str) -> bytes:
    return hmac.new(pepper.encode(), f"{key_id}:{secret}".encode(), hashlib.sha256).digest()


def mint_key(pepper: str, environment: str) -> MintedKey:
    key_id = "".join(secrets.choice(_ALPHABET) for _ in range(_ID_LENGTH))
    secret = secrets.token_urlsafe(32)
    return MintedKey(
        key_id=key_id,
        token=f"{key_prefix(environment)}_{key_id}_{secret}",
        secret_hash=hash_secret(pepper, key_id, secret),
    )


def parse_token(token: str) -> PresentedKey | None:
    """Split a presented key; None when it cannot be one of ours."""
    parts = token.split("_", 3)
    if len(parts) != 4 or parts[0] != "tq" or parts[1] not in {"live", "test"}:
        return None
    key_id, secret = parts[2], parts[3]
    if len(key_id) != _ID_LENGTH or any(c not in _ALPHABET for c in key_id) or not 20 <= len(secret) <= 100:
        return None
    return PresentedKey(key_id=key_id, secret=secret)


def secret_matches(pepper: str, presented: PresentedKey, stored_hash: bytes) -> bool:
    return hmac.compare_digest(hash_secret(pepper, presented.key_id, presented.secret), stored_hash)


def has_scope(granted: list[str] | tuple[str, ...], required: str) -> bool:
    """`admin` holds every scope."""
    return required in granted or ADMIN_SCOPE in granted
