"""All configuration, read once from the environment (one place for both processes).

Any setting may instead be read from a file named by `<NAME>_FILE` (Docker and Kubernetes secrets), e.g.
`DATABASE_URL_FILE=/run/secrets/database_url`. Credentials are `SecretStr`: printed, logged or echoed they
show as `**********`; code asks for the value (`.get_secret_value()`) where it connects.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, SecretStr, model_validator
from pydantic.fields import FieldInfo
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

# Values that must never protect real patient data: refused outside development.
_PLACEHOLDER_SECRETS = frozenset({"", "changeme", "change-me", "secret", "dev-only-key-pepper", "password"})
DEV_KEY_PEPPER = "dev-only-key-pepper"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="", case_sensitive=False, extra="ignore", populate_by_name=True)

    environment: Literal["development", "test", "production"] = Field(
        default="production", validation_alias="TRIAGE_ENV"
    )
    # The API and workers log in with this URL and always act as the `triage_app` role (store.pool); in
    # production its user is `triage_app` itself (docs/operations.md#database-roles).
    database_url: SecretStr = Field(validation_alias="DATABASE_URL")
    # Migrations run as the schema owner (`triage_owner` in production); unset: DATABASE_URL's login.
    migration_database_url: SecretStr | None = Field(default=None, validation_alias="MIGRATION_DATABASE_URL")
    # A superuser's URL, given to `triage migrate --create-roles` once to create the roles; never needed after.
    superuser_database_url: SecretStr | None = Field(default=None, validation_alias="SUPERUSER_DATABASE_URL")
    pool_min_size: int = Field(default=2, ge=1, validation_alias="TRIAGE_POOL_MIN")
    pool_max_size: int = Field(default=10, ge=1, validation_alias="TRIAGE_POOL_MAX")
    # Requests that may queue for a connection; past that, overload answers 503 at once instead of queueing.
    pool_max_waiting: int = Field(default=100, ge=0, validation_alias="TRIAGE_POOL_MAX_WAITING")

    log_format: Literal["json", "console"] = Field(default="json", validation_alias="TRIAGE_LOG_FORMAT")
    log_level: str = Field(default="INFO", validation_alias="TRIAGE_LOG_LEVEL")

    # Keyed hash for API key secrets (HMAC-SHA256). Rotating it invalidates every key.
    key_pepper: SecretStr = Field(default=SecretStr(DEV_KEY_PEPPER), validation_alias="TRIAGE_KEY_PEPPER")
    # How long an API process trusts a key it verified before reading it again: a revocation takes effect
    # within this bound (api.key_cache). 0: read the key on every request.
    key_cache_seconds: float = Field(default=5.0, ge=0, le=300, validation_alias="TRIAGE_KEY_CACHE_SECONDS")

    max_body_bytes: int = Field(default=64 * 1024, ge=1024, validation_alias="TRIAGE_MAX_BODY_BYTES")
    max_json_depth: int = Field(default=8, ge=2, validation_alias="TRIAGE_MAX_JSON_DEPTH")
    max_json_members: int = Field(default=400, ge=10, validation_alias="TRIAGE_MAX_JSON_MEMBERS")
    rate_limit_per_minute: int = Field(default=600, ge=0, validation_alias="TRIAGE_RATE_LIMIT_PER_MINUTE")

    triage_max_attempts: int = Field(default=4, ge=1, validation_alias="TRIAGE_JOB_MAX_ATTEMPTS")
    triage_retry_wait_seconds: float = Field(default=1.0, ge=0, validation_alias="TRIAGE_JOB_RETRY_WAIT")
    # Transient failures (connection lost, pool timeout, serialization failure) get their own, larger budget:
    # they say nothing about the intake, and an outage of a few minutes must not fail intakes.
    triage_max_transient_attempts: int = Field(default=16, ge=1, validation_alias="TRIAGE_JOB_MAX_TRANSIENT_ATTEMPTS")
    triage_retry_max_wait_seconds: float = Field(default=30.0, ge=0, validation_alias="TRIAGE_JOB_RETRY_MAX_WAIT")
    engine_timeout_seconds: float = Field(default=5.0, gt=0, validation_alias="TRIAGE_ENGINE_TIMEOUT")

    # Workers: heartbeat, when a silent worker's jobs count as stalled, graceful shutdown.
    worker_heartbeat_seconds: float = Field(default=5.0, gt=0, validation_alias="TRIAGE_WORKER_HEARTBEAT_SECONDS")
    worker_stalled_seconds: float = Field(default=20.0, gt=0, validation_alias="TRIAGE_WORKER_STALLED_SECONDS")
    # New jobs wake a worker through LISTEN/NOTIFY; without it (e.g. after the LISTEN connection was lost) a
    # worker still looks for jobs this often.
    worker_poll_seconds: float = Field(default=2.0, gt=0, validation_alias="TRIAGE_WORKER_POLL_SECONDS")
    worker_shutdown_seconds: float = Field(default=30.0, ge=0, validation_alias="TRIAGE_WORKER_SHUTDOWN_TIMEOUT")
    # Present while the worker is connected and working; removed while it cannot reach the database (for a
    # container healthcheck: `test -f <path>`).
    worker_ready_file: Path | None = Field(default=None, validation_alias="TRIAGE_WORKER_READY_FILE")

    # The tenant whose ops keys see every tenant's queue state (the platform operator's); unset: none do.
    platform_tenant: str | None = Field(default=None, validation_alias="TRIAGE_PLATFORM_TENANT")

    # Housekeeping: finished jobs (and their events) and idempotency keys are kept this long.
    job_retention_hours: int = Field(default=168, ge=1, validation_alias="TRIAGE_JOB_RETENTION_HOURS")
    idempotency_key_hours: int = Field(default=24, ge=1, validation_alias="TRIAGE_IDEMPOTENCY_KEY_HOURS")

    # The API during a database outage: how long a request may wait for a connection, and its whole deadline.
    db_timeout_seconds: float = Field(default=3.0, gt=0, validation_alias="TRIAGE_DB_TIMEOUT")
    request_timeout_seconds: float = Field(default=10.0, gt=0, validation_alias="TRIAGE_REQUEST_TIMEOUT")
    retry_after_seconds: int = Field(default=5, ge=1, validation_alias="TRIAGE_RETRY_AFTER")
    api_shutdown_seconds: float = Field(default=20.0, ge=0, validation_alias="TRIAGE_API_SHUTDOWN_TIMEOUT")

    # Requests one API process lets wait for an outcome at once (`?wait=N`); past that, they answer at once.
    max_waiters: int = Field(default=1000, ge=0, validation_alias="TRIAGE_MAX_WAITERS")
    # The optional model second opinion (tasks/model_opinion.py): an OpenAI-compatible endpoint (the base URL
    # that `/chat/completions` is appended to), the model, its key, and how long an outcome may wait for it.
    # Unset URL: off for every tenant; a tenant turns it on with `triage tenants model-opinion`.
    model_url: str | None = Field(default=None, validation_alias="TRIAGE_MODEL_URL")
    model_name: str = Field(default="", validation_alias="TRIAGE_MODEL_NAME")
    model_api_key: SecretStr | None = Field(default=None, validation_alias="TRIAGE_MODEL_API_KEY")
    model_timeout_seconds: float = Field(default=3.0, gt=0, le=60, validation_alias="TRIAGE_MODEL_TIMEOUT")
    # Webhook deliveries: attempts before a callback is given up, and the first retry's wait (it doubles).
    webhook_max_attempts: int = Field(default=10, ge=1, validation_alias="TRIAGE_WEBHOOK_MAX_ATTEMPTS")
    webhook_retry_wait_seconds: float = Field(default=5.0, ge=0, validation_alias="TRIAGE_WEBHOOK_RETRY_WAIT")
    # Event streams (`GET /v1/events`) one API process serves for one tenant at once; past that, 429.
    event_streams_per_tenant: int = Field(default=10, ge=0, validation_alias="TRIAGE_EVENT_STREAMS_PER_TENANT")

    # Failed authentications per client address per minute (per API process) before 429s; 0 disables.
    auth_failures_per_minute: int = Field(default=30, ge=0, validation_alias="TRIAGE_AUTH_FAILURES_PER_MINUTE")

    # Metrics (docs/operations.md#metrics): the bound on a /metrics scrape's database read, and a worker's
    # own metrics endpoint (off unless a port is set; no authentication, so it binds to loopback by default).
    metrics_db_timeout_seconds: float = Field(default=2.0, gt=0, validation_alias="TRIAGE_METRICS_DB_TIMEOUT")
    worker_metrics_port: int | None = Field(default=None, ge=1, le=65535, validation_alias="TRIAGE_WORKER_METRICS_PORT")
    worker_metrics_host: str = Field(default="127.0.0.1", validation_alias="TRIAGE_WORKER_METRICS_HOST")

    # The operators' dashboard (/ops, api/dashboard): a session ends after this many idle minutes, and
    # at the latest this many hours after sign-in; the cookie is Secure on HTTPS requests ("auto") or
    # always; the page refreshes its panels this often.
    dashboard_session_minutes: int = Field(
        default=15, ge=1, le=1440, validation_alias="TRIAGE_DASHBOARD_SESSION_MINUTES"
    )
    dashboard_session_max_hours: int = Field(
        default=8, ge=1, le=168, validation_alias="TRIAGE_DASHBOARD_SESSION_MAX_HOURS"
    )
    dashboard_secure_cookie: Literal["auto", "always"] = Field(
        default="auto", validation_alias="TRIAGE_DASHBOARD_SECURE_COOKIE"
    )
    dashboard_refresh_seconds: float = Field(
        default=3.0, ge=1, le=60, validation_alias="TRIAGE_DASHBOARD_REFRESH_SECONDS"
    )

    @model_validator(mode="after")
    def _refuse_placeholder_secrets(self) -> Settings:
        if self.environment == "production" and (
            self.key_pepper.get_secret_value() in _PLACEHOLDER_SECRETS or len(self.key_pepper.get_secret_value()) < 32
        ):
            raise ValueError("TRIAGE_KEY_PEPPER must be set to a random secret of at least 32 characters")
        return self

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings, env_settings, FileVariableSource(settings_cls), dotenv_settings, file_secret_settings)

    @property
    def app_database_url(self) -> str:
        return self.database_url.get_secret_value()

    @property
    def owner_database_url(self) -> str:
        return (self.migration_database_url or self.database_url).get_secret_value()


class FileVariableSource(PydanticBaseSettingsSource):
    """Settings from files named by `<NAME>_FILE` variables; a trailing newline is not part of the value.

    A setting given both ways is refused (which one wins would be a guess). The error names the variables,
    never the file's content.
    """

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        alias = field.validation_alias if isinstance(field.validation_alias, str) else field_name.upper()
        path = os.environ.get(f"{alias}_FILE")
        if path is None:
            return None, alias, False
        if alias in os.environ:
            raise ValueError(f"{alias} and {alias}_FILE are both set; set one of them")
        try:
            value = Path(path).read_text(encoding="utf-8").removesuffix("\n").removesuffix("\r")
        except OSError as error:
            raise ValueError(f"{alias}_FILE: cannot read {path} ({error.strerror})") from None
        return value, alias, False

    def __call__(self) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for field_name, field in self.settings_cls.model_fields.items():
            value, key, _ = self.get_field_value(field, field_name)
            if value is not None:
                values[key] = value
        return values


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()  # type: ignore[call-arg]  # filled from the environment
