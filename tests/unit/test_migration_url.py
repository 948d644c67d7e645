"""yoyo is handed the DATABASE_URL with psycopg 3 named as its driver; both PostgreSQL schemes are accepted."""

from __future__ import annotations

import pytest

from store.migrate import _yoyo_url


@pytest.mark.parametrize("scheme", ["postgresql", "postgres"])
def test_both_postgresql_schemes_name_the_psycopg_driver(scheme: str) -> None:
    url = f"{scheme}://triage@db.internal:5432/triage?sslmode=require"
    assert _yoyo_url(url) == "postgresql+psycopg://triage@db.internal:5432/triage?sslmode=require"


@pytest.mark.parametrize("url", ["mysql://db/triage", "triage", "postgresql+psycopg://db/triage"])
def test_another_url_is_refused_saying_what_is_expected(url: str) -> None:
    with pytest.raises(ValueError, match=r"^DATABASE_URL must be a postgresql:// URL$"):
        _yoyo_url(url)
