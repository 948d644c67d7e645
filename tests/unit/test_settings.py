"""Settings refuse placeholder secrets outside development and test."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from runtime.settings import DEV_KEY_PEPPER, Settings


@pytest.mark.parametrize("pepper", [DEV_KEY_PEPPER, "changeme", "short-but-random-1234"])
def test_production_refuses_placeholder_or_short_pepper(pepper: str) -> None:
    with pytest.raises(ValidationError, match="TRIAGE_KEY_PEPPER"):
        Settings(database_url="postgresql://db/triage", environment="production", key_pepper=pepper)


def test_production_accepts_a_real_secret() -> None:
    settings = Settings(database_url="postgresql://db/triage", environment="production", key_pepper="k" * 48)
    assert settings.key_pepper.get_secret_value() == "k" * 48
    assert "k" * 48 not in repr(settings)


def test_development_may_use_the_dev_pepper() -> None:
    settings = Settings(database_url="postgresql://db/triage", environment="development")
    assert settings.key_pepper.get_secret_value() == DEV_KEY_PEPPER


def test_production_is_the_default_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TRIAGE_ENV", raising=False)
    monkeypatch.delenv("TRIAGE_KEY_PEPPER", raising=False)
    with pytest.raises(ValidationError):
        Settings(database_url="postgresql://db/triage")
