"""Verified API keys, kept briefly in process so that a request needs no database round trip to authenticate.

Only keys that were found, matched, and were neither revoked nor expired are kept, for `ttl_seconds` after
they were read. A revocation (or a rotation's shortened expiry) made elsewhere is therefore honoured within
that bound by every API process; expiry itself is checked on every request against the kept row. The
secret is still compared on every request: the cache saves the lookup, not the check. A TTL of 0 turns
the cache off.
"""

from __future__ import annotations

import time
from collections import OrderedDict

from store.api_keys import ApiKeyRow

# Bounds memory against a flood of distinct valid keys (each entry is one small row).
MAX_ENTRIES = 10_000


class KeyCache:
    def __init__(self, ttl_seconds: float, *, max_entries: int = MAX_ENTRIES) -> None:
        self.ttl_seconds = ttl_seconds
        self.max_entries = max_entries
        self._rows: OrderedDict[str, tuple[float, ApiKeyRow]] = OrderedDict()

    def get(self, key_id: str) -> ApiKeyRow | None:
        entry = self._rows.get(key_id)
        if entry is None:
            return None
        read_at, row = entry
        if time.monotonic() - read_at >= self.ttl_seconds:
            del self._rows[key_id]
            return None
        return row

    def put(self, row: ApiKeyRow, *, read_at: float) -> None:
        """Keep `row`, read from the database at `read_at` (time.monotonic(), taken before the lookup: the
        bound runs from then)."""
        if self.ttl_seconds <= 0:
            return
        self._rows[row.id] = (read_at, row)
        self._rows.move_to_end(row.id)
        while len(self._rows) > self.max_entries:
            self._rows.popitem(last=False)
