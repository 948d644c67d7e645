"""Turn pydantic validation errors into problem+json entries that name the field, never its value."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Annotated, Any

from fastapi import Request
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from pydantic import AwareDatetime, BeforeValidator
from pydantic_core import PydanticCustomError

from api.errors import MalformedJson, ProblemError, ValidationFailed

_SAFE_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,40}$")
# RFC 3339 `date-time` (section 5.6): full date, T, time with seconds, and an offset (Z or ±hh:mm).
_RFC3339_DATE_TIME = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?([Zz]|[+-][0-9]{2}:[0-9]{2})"
)


def _rfc3339_date_time(value: object) -> object:
    # pydantic alone also takes bare dates, Unix timestamps and other ISO 8601 shapes.
    if isinstance(value, str) and not _RFC3339_DATE_TIME.fullmatch(value):
        raise PydanticCustomError("rfc3339_date_time", "must be an RFC 3339 date-time with a time zone")
    return value


# A timestamp a client sends: an RFC 3339 date-time with its time zone, nothing looser.
Rfc3339DateTime = Annotated[AwareDatetime, BeforeValidator(_rfc3339_date_time)]

# Messages written here rather than pydantic's, which for some error types quote the input.
_MESSAGES: dict[str, str] = {
    "missing": "is required",
    "extra_forbidden": "is not a known field",
    "string_too_short": "is too short",
    "string_too_long": "is too long",
    "string_pattern_mismatch": "has characters or a format that is not allowed",
    "too_short": "has too few items",
    "too_long": "has too many items",
    "greater_than_equal": "is below the allowed minimum",
    "greater_than": "is below the allowed minimum",
    "less_than_equal": "is above the allowed maximum",
    "less_than": "is above the allowed maximum",
    "literal_error": "is not one of the allowed values",
    "enum": "is not one of the allowed values",
    "int_type": "must be an integer",
    "int_from_float": "must be an integer",
    "float_type": "must be a number",
    "bool_type": "must be true or false",
    "string_type": "must be a string",
    "string_unicode": "must be valid Unicode text",
    "list_type": "must be a list",
    "dict_type": "must be an object",
    "model_type": "must be an object",
    "model_attributes_type": "must be an object",
    "uuid_parsing": "must be a UUID",
    "uuid_type": "must be a UUID",
    "datetime_parsing": "must be an RFC 3339 date-time",
    "datetime_type": "must be an RFC 3339 date-time",
    "datetime_from_date_parsing": "must be an RFC 3339 date-time",
    "timezone_aware": "must be an RFC 3339 date-time with a time zone",
    "rfc3339_date_time": "must be an RFC 3339 date-time: YYYY-MM-DDThh:mm:ss, then Z or ±hh:mm",
    "duplicate_items": "must not repeat an item",
    # The type keeps its first name (clients may match on it); coded findings and complaints count too.
    "symptoms_or_vitals_required": "at least one symptom, vital sign, coded finding or coded complaint is required",
}

# Field names to report for model-level rules (pydantic reports them at the model's own location).
_FIELD_FOR_TYPE = {"symptoms_or_vitals_required": "symptoms"}


def _field_name(loc: Sequence[Any], error_type: str) -> str:
    parts = [str(p) for p in loc]
    if parts and parts[0] in {"body", "query", "path", "header"}:
        parts = parts[1:]
    if error_type in _FIELD_FOR_TYPE:
        parts = [*parts, _FIELD_FOR_TYPE[error_type]]
    if error_type == "extra_forbidden" and parts and not _SAFE_KEY.match(parts[-1]):
        parts[-1] = "(unrecognised key)"  # an unknown key is client text: do not echo odd ones
    return ".".join(parts) or "body"


def problem_from_errors(errors: Iterable[dict[str, Any]]) -> ProblemError:
    errors = list(errors)
    if any(e.get("type") == "json_invalid" for e in errors):
        return MalformedJson()
    entries = [
        {
            "field": _field_name(e.get("loc", ()), e.get("type", "")),
            "message": _MESSAGES.get(e.get("type", ""), "is invalid"),
            "type": str(e.get("type", "invalid")),
        }
        for e in errors
    ]
    fields = sorted({entry["field"] for entry in entries})
    return ValidationFailed(f"Invalid field(s): {', '.join(fields)}.", errors=entries)


def reject_unknown_query_parameters(request: Request) -> None:
    """Unknown query parameters are refused like unknown body fields: a typo must not pass silently."""
    route = request.scope.get("route")
    if not isinstance(route, APIRoute) or not request.query_params:
        return
    declared = _query_names(route.dependant)
    unknown = sorted(set(request.query_params) - declared)
    if unknown:
        raise problem_from_errors({"type": "extra_forbidden", "loc": ("query", name or "(empty)")} for name in unknown)


def _query_names(dependant: Dependant) -> set[str]:
    names = {param.alias for param in dependant.query_params}
    for sub in dependant.dependencies:
        names |= _query_names(sub)
    return names
