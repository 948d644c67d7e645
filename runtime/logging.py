"""structlog setup shared by the API, the workers and the CLI.

Everything (our logs, uvicorn, Procrastinate, psycopg) goes through one chain of processors and comes out
as JSON lines (production) or coloured console lines (development). Exceptions are rendered *without their
messages*: a database error's message can quote patient data (e.g. a constraint DETAIL), so only the
exception type and the stack frames are kept.
"""

from __future__ import annotations

import logging
import logging.config
import traceback
from types import TracebackType
from typing import Any

import orjson
import structlog
from structlog.types import EventDict, Processor, WrappedLogger

ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]


def _redacted_exception(exc_info: ExcInfo) -> dict[str, Any]:
    exc_type, _exc, tb = exc_info
    frames = [f"{f.filename}:{f.lineno} in {f.name}" for f in traceback.extract_tb(tb)][-12:]
    return {"type": f"{exc_type.__module__}.{exc_type.__qualname__}", "frames": frames}


def redact_exceptions(_logger: WrappedLogger, _name: str, event_dict: EventDict) -> EventDict:
    """Replace exc_info by the exception's type and frames only (no message, no locals)."""
    exc_info = event_dict.pop("exc_info", None)
    if exc_info:
        if exc_info is True:
            import sys

            exc_info = sys.exc_info()
        elif isinstance(exc_info, BaseException):
            exc_info = (type(exc_info), exc_info, exc_info.__traceback__)
        if exc_info[0] is not None:
            event_dict["exception"] = _redacted_exception(exc_info)
    return event_dict


def _drop_color_message(_logger: WrappedLogger, _name: str, event_dict: EventDict) -> EventDict:
    # uvicorn duplicates its message with ANSI colours in `color_message`.
    event_dict.pop("color_message", None)
    return event_dict


def _json_dumps(obj: Any, default: Any = None) -> str:
    return orjson.dumps(obj, default=default or str).decode()


def configure_logging(*, log_format: str = "json", level: str = "INFO") -> None:
    shared: list[Processor] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        # Procrastinate puts job ids and task names in `extra`; keep them as fields.
        structlog.stdlib.ExtraAdder(),
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        _drop_color_message,
        redact_exceptions,
    ]
    renderer: Processor = (
        structlog.processors.JSONRenderer(serializer=_json_dumps)
        if log_format == "json"
        else structlog.dev.ConsoleRenderer(exception_formatter=structlog.dev.plain_traceback)
    )
    structlog.configure(
        processors=[
            structlog.stdlib.filter_by_level,
            *shared,
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    logging.config.dictConfig(
        {
            "version": 1,
            "disable_existing_loggers": False,
            "formatters": {
                "structlog": {
                    "()": structlog.stdlib.ProcessorFormatter,
                    "processors": [structlog.stdlib.ProcessorFormatter.remove_processors_meta, renderer],
                    "foreign_pre_chain": shared,
                }
            },
            "handlers": {
                "default": {
                    "class": "logging.StreamHandler",
                    "formatter": "structlog",
                    "stream": "ext://sys.stderr",
                }
            },
            "root": {"handlers": ["default"], "level": level.upper()},
            "loggers": {
                # Our own access log (api.middleware) names the route template, never the raw path,
                # which can carry a patient id; uvicorn's access log is therefore off.
                "uvicorn.access": {"handlers": [], "propagate": False},
                "uvicorn": {"handlers": ["default"], "level": level.upper(), "propagate": False},
                "uvicorn.error": {"handlers": ["default"], "level": level.upper(), "propagate": False},
                # One line per migration step is noise; applied migrations are reported by `triage migrate`.
                "yoyo": {"level": "WARNING"},
                # Procrastinate logs every defer at INFO: a second line per intake that repeats what the
                # access log and the audit trail already hold; 4-7 % of the API's CPU under load in a profile
                # (docs/benchmarks.md, step 7). Its worker's lines (procrastinate.worker) are kept.
                "procrastinate.jobs": {"level": "WARNING"},
            },
        }
    )


def get_logger(name: str) -> structlog.stdlib.BoundLogger:
    return structlog.stdlib.get_logger(name)
