"""Settings: placeholder secrets refused in production, credentials never shown, `*_FILE` variables."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import SecretStr, ValidationError

from runtime.settings import DEV_KEY_PEPPER, Settings

PASSWORD = "s3cr3t-database-password"
URL = f"postgresql://triage_app:{PASSWORD}@db:5432/triage"


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
    # Without TRIAGE_ENV the placeholder pepper is refused, which only production does...
    with pytest.raises(ValidationError, match="TRIAGE_KEY_PEPPER must be set") as refused:
        Settings(database_url="postgresql://db/triage")
    assert refused.value.error_count() == 1  # ...and nothing else was wrong
    # ...and with a real pepper the environment reads as production.
    assert Settings(database_url="postgresql://db/triage", key_pepper="k" * 48).environment == "production"


@pytest.mark.parametrize(
    "field", ["database_url", "migration_database_url", "superuser_database_url", "key_pepper", "model_api_key"]
)
def test_every_credential_is_a_secret_type(field: str) -> None:
    assert SecretStr in (
        Settings.model_fields[field].annotation,
        *getattr(Settings.model_fields[field].annotation, "__args__", ()),
    )


def test_credentials_never_show_in_the_settings_printed_or_serialised() -> None:
    settings = Settings(
        database_url=URL,
        migration_database_url=URL.replace("triage_app", "triage_owner"),
        superuser_database_url=URL.replace("triage_app", "postgres"),
        environment="production",
        key_pepper="p" * 48,
    )
    for shown in (repr(settings), str(settings), settings.model_dump_json(), str(settings.model_dump())):
        assert PASSWORD not in shown
        assert "p" * 48 not in shown
    assert settings.app_database_url == URL
    assert settings.owner_database_url == URL.replace("triage_app", "triage_owner")


def test_the_owner_url_defaults_to_the_app_url() -> None:
    assert Settings(database_url=URL, environment="test").owner_database_url == URL


def test_settings_are_read_from_files_named_by_file_variables(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / "database_url").write_text(URL + "\n")
    (tmp_path / "pepper").write_text("q" * 48)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("TRIAGE_KEY_PEPPER", raising=False)
    monkeypatch.setenv("DATABASE_URL_FILE", str(tmp_path / "database_url"))
    monkeypatch.setenv("TRIAGE_KEY_PEPPER_FILE", str(tmp_path / "pepper"))
    monkeypatch.setenv("TRIAGE_ENV", "production")
    settings = Settings()  # type: ignore[call-arg]  # filled from the environment
    assert settings.app_database_url == URL  # the file's trailing newline is not part of the value
    assert settings.key_pepper.get_secret_value() == "q" * 48


def test_a_setting_given_both_ways_is_refused(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / "database_url").write_text(URL)
    monkeypatch.setenv("DATABASE_URL", URL)
    monkeypatch.setenv("DATABASE_URL_FILE", str(tmp_path / "database_url"))
    with pytest.raises(ValueError, match="DATABASE_URL and DATABASE_URL_FILE are both set") as refused:
        Settings()  # type: ignore[call-arg]
    assert PASSWORD not in str(refused.value)


def test_an_unreadable_file_is_named_and_its_content_never_shown(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("DATABASE_URL_FILE", str(tmp_path / "missing"))
    with pytest.raises(ValueError, match=r"DATABASE_URL_FILE: cannot read .*missing"):
        Settings()  # type: ignore[call-arg]
