"""How a database error is classed (worth a retry or not) and described without patient data."""

from __future__ import annotations

import re
import traceback
from pathlib import Path

import psycopg

_QUOTED = re.compile(r"\"[^\"]*\"|'[^']*'|\([^)]*\)")
_NUMBER = re.compile(r"\d+")
# A frame line of a formatted traceback: how an error raised in a child process arrives (as its __cause__).
_FRAME = re.compile(r'File "([^"]+)", line (\d+), in (\S+)')


def _causes(exc: BaseException) -> list[BaseException]:
    chain: list[BaseException] = []
    seen: BaseException | None = exc
    while seen is not None and seen not in chain:
        chain.append(seen)
        seen = seen.__cause__ or seen.__context__
    return chain


def is_transient(exc: BaseException) -> bool:
    """A lost or refused connection, a pool timeout, a serialization failure or a deadlock.

    All are psycopg `OperationalError`s; Procrastinate wraps them in its own ConnectorException, so the
    cause chain is searched. They say nothing about the intake: a retry can succeed.
    """
    return any(isinstance(cause, psycopg.OperationalError) for cause in _causes(exc))


def scrubbed_detail(exc: BaseException) -> str:
    """The error's class, and where it was raised or what PostgreSQL said, with values removed.

    Messages can quote the data that caused them, so for other errors only the innermost frame is kept;
    for PostgreSQL errors the SQLSTATE and the primary message with quoted text and numbers masked.
    """
    name = type(exc).__name__
    for cause in _causes(exc):
        if isinstance(cause, psycopg.Error):
            diag = cause.diag
            message = _NUMBER.sub("#", _QUOTED.sub("…", diag.message_primary or ""))
            return f"{name}: {type(cause).__name__} (SQLSTATE {diag.sqlstate or '?'}) {message}".strip()[:240]
    remote = _FRAME.findall(str(getattr(exc.__cause__, "tb", "")))
    if remote:
        filename, lineno, function = remote[-1]
        return f"{name} at {Path(filename).name}:{lineno} in {function}"
    frames = traceback.extract_tb(exc.__traceback__)
    if not frames:
        return name
    last = frames[-1]
    return f"{name} at {Path(last.filename).name}:{last.lineno} in {last.name}"
