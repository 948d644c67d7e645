"""Every application connection acts as triage_app, whatever else its URL says (store.pool.app_conninfo)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import psycopg
from psycopg.conninfo import conninfo_to_dict

from store.pool import CONNECT_TIMEOUT_SECONDS, app_conninfo


def _with_query(url: str, **params: str) -> str:
    query = "&".join(f"{name}={quote(value)}" for name, value in params.items())
    return f"{url}{'&' if '?' in url else '?'}{query}"


def test_the_role_is_added_to_the_urls_own_options_which_still_apply(database_url: str) -> None:
    url = _with_query(database_url, options="-c application_name=triage-test")
    with psycopg.connect(app_conninfo(url)) as conn:
        row: Any = conn.execute("SELECT current_user, current_setting('application_name')").fetchone()
    assert row == ("triage_app", "triage-test")


def test_a_connection_attempt_has_the_default_time_limit_unless_the_url_sets_one(
    database_url: str,
) -> None:
    assert conninfo_to_dict(app_conninfo(database_url))["connect_timeout"] == str(CONNECT_TIMEOUT_SECONDS)
    assert conninfo_to_dict(app_conninfo(_with_query(database_url, connect_timeout="2")))["connect_timeout"] == "2"
