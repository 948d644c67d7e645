"""Exceptions are logged with their type and frames, never their message (which may quote patient data)."""

from __future__ import annotations

import io
import json
import logging

import structlog

from runtime.logging import configure_logging


def test_exception_messages_do_not_reach_the_log() -> None:
    configure_logging(log_format="json", level="INFO")
    stream = io.StringIO()
    handler = logging.getLogger().handlers[0]
    assert isinstance(handler, logging.StreamHandler)
    previous = handler.setStream(stream)
    try:
        try:
            raise ValueError("patient Jane Roe, DOB 1970-01-01")
        except ValueError:
            structlog.stdlib.get_logger("t").exception("boom")
            logging.getLogger("stdlib").error("stdlib boom", exc_info=True)
    finally:
        handler.setStream(previous)  # type: ignore[arg-type]
        configure_logging(log_format="json", level="WARNING")
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert [line["event"] for line in lines] == ["boom", "stdlib boom"]
    for line in lines:
        assert line["exception"]["type"] == "builtins.ValueError"
        assert line["exception"]["frames"]
    assert "Jane Roe" not in stream.getvalue()
