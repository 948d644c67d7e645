-- Sessions of the operators' dashboard (/ops, api/dashboard). The cookie carries a random token; only an
-- HMAC of it (keyed from TRIAGE_KEY_PEPPER) is stored, so a read of this table cannot be replayed as a
-- session. A session belongs to an API key and is honoured only while that key is valid (checked on
-- every request, not stored here).
CREATE TABLE dashboard_sessions (
    token_hash    bytea PRIMARY KEY,
    key_id        text NOT NULL REFERENCES api_keys (id) ON DELETE CASCADE,
    created_at    timestamptz NOT NULL DEFAULT now(),
    last_seen_at  timestamptz NOT NULL DEFAULT now(),
    -- Idle expiry (sliding), never past created_at + the absolute lifetime.
    expires_at    timestamptz NOT NULL
);
CREATE INDEX dashboard_sessions_expiry ON dashboard_sessions (expires_at);
CREATE INDEX dashboard_sessions_by_key ON dashboard_sessions (key_id);

-- No row-level security: like api_keys, a session is looked up before its tenant is known.
GRANT SELECT, INSERT, UPDATE, DELETE ON dashboard_sessions TO triage_app;
