"""The Content-Security-Policy of the documentation pages: the browser itself keeps them off the internet.

Redoc's bundle shows the Redocly logo from Redocly's CDN (hidden when it fails to load); `img-src` stops
that request before it leaves the browser, and the same holds for anything a future asset might fetch.
Scripts: our own files, plus the page's inline initialiser allowed by its hash (never 'unsafe-inline').
Styles allow 'unsafe-inline': Redoc inserts its styles as <style> elements at run time, which no hash can
name. Redoc's search index runs in a Web Worker made from a blob.
"""

from __future__ import annotations

import base64
import hashlib
import re

from fastapi.responses import HTMLResponse

_INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", re.S | re.I)
_POLICY = (
    "default-src 'none'; script-src 'self'{hashes}; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "font-src 'self' data:; connect-src 'self'; worker-src blob:; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'none'"
)


def policy_for(html: str) -> str:
    """The policy for this exact page: each inline script it holds is allowed by its sha256, nothing else."""
    hashes = "".join(
        f" 'sha256-{base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()}'"
        for script in _INLINE_SCRIPT.findall(html)
    )
    return _POLICY.format(hashes=hashes)


def protected(response: HTMLResponse) -> HTMLResponse:
    response.headers["Content-Security-Policy"] = policy_for(bytes(response.body).decode())
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
