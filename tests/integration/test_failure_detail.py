"""What operators are told of a PostgreSQL error (store.errors.scrubbed_detail): its class and SQLSTATE and the
server's message with every quoted value, parenthesised part and number masked — from real server errors."""

from __future__ import annotations

from typing import Any

import psycopg
import pytest

from store.errors import scrubbed_detail


def _server_error(owner_conn: psycopg.Connection[Any], query: str) -> psycopg.Error:
    with pytest.raises(psycopg.Error) as raised:
        owner_conn.execute(query)
    return raised.value


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (
            "SELECT make_date(1961, 13, 45)",
            "DatetimeFieldOverflow: DatetimeFieldOverflow (SQLSTATE 22008) date field value out of range: #-#-#",
        ),
        (
            "SELECT 'Jane Doe'::int",
            "InvalidTextRepresentation: InvalidTextRepresentation (SQLSTATE 22P02)"
            " invalid input syntax for type integer: …",
        ),
        (
            "CREATE TEMP TABLE note (v varchar(3)); INSERT INTO note VALUES ('Jane Doe')",
            "StringDataRightTruncation: StringDataRightTruncation (SQLSTATE 22001)"
            " value too long for type character varying…",
        ),
    ],
)
def test_a_server_error_keeps_its_class_and_sqlstate_and_masks_values(
    owner_conn: psycopg.Connection[Any], query: str, expected: str
) -> None:
    assert scrubbed_detail(_server_error(owner_conn, query)) == expected


def test_an_error_raised_by_the_client_has_no_sqlstate_and_no_message() -> None:
    assert scrubbed_detail(psycopg.InterfaceError("the connection is closed")) == (
        "InterfaceError: InterfaceError (SQLSTATE ?)"
    )
