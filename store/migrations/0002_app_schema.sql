-- The application's tables, the role the application runs as, and tenant isolation.

-- The role API and worker connections act as (store/pool.py). Roles are cluster-wide, so another
-- database of the same cluster may have created it already, possibly at this very moment.
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'triage_app') THEN
        CREATE ROLE triage_app NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
    END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
    NULL;
END
$$;

CREATE TABLE tenants (
    id          text PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9_-]{0,62}$'),
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE api_keys (
    id            text PRIMARY KEY,
    tenant_id     text NOT NULL REFERENCES tenants (id),
    name          text NOT NULL,
    scopes        text[] NOT NULL,
    secret_hash   bytea NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    expires_at    timestamptz,
    revoked_at    timestamptz,
    last_used_at  timestamptz,
    rotated_to    text REFERENCES api_keys (id)
);

CREATE TABLE intakes (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id        text NOT NULL REFERENCES tenants (id),
    patient_id       text NOT NULL,
    payload          jsonb NOT NULL,
    status           text NOT NULL DEFAULT 'queued'
                     CHECK (status IN ('queued', 'processing', 'triaged', 'failed')),
    job_id           bigint,
    attempts         integer NOT NULL DEFAULT 0,
    failure_reason   text,
    idempotency_key  text,
    created_by       text NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    UNIQUE (tenant_id, idempotency_key)
);
-- A patient's history, newest first (keyset pagination on created_at, id).
CREATE INDEX intakes_patient_history ON intakes (tenant_id, patient_id, created_at DESC, id DESC);
-- Queue views for operators: what is not yet triaged.
CREATE INDEX intakes_open_by_status ON intakes (status, updated_at) WHERE status <> 'triaged';

CREATE TABLE triage_outcomes (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    intake_id       uuid NOT NULL UNIQUE REFERENCES intakes (id),
    tenant_id       text NOT NULL REFERENCES tenants (id),
    acuity          smallint NOT NULL CHECK (acuity BETWEEN 1 AND 5),
    disposition     text NOT NULL CHECK (disposition IN
                    ('emergency_ambulance', 'emergency', 'consultation_24', 'consultation', 'self_care')),
    assessment      jsonb NOT NULL,
    engine_name     text NOT NULL,
    engine_version  text NOT NULL,
    job_id          bigint,
    created_at      timestamptz NOT NULL DEFAULT now()
);

-- Append-only: the app role may INSERT and SELECT, never UPDATE or DELETE (and a trigger refuses both
-- to everyone but a maintenance session that disables it on purpose).
CREATE TABLE audit_events (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    occurred_at    timestamptz NOT NULL DEFAULT now(),
    tenant_id      text,            -- null only for requests whose key could not be authenticated
    actor          text NOT NULL,   -- 'key:<id>', 'worker:<name>' or 'anonymous'
    action         text NOT NULL,   -- e.g. intake.create, intake.read, patient.intakes.list, outcome.write
    resource_type  text NOT NULL,
    resource_id    text,
    patient_id     text,
    outcome        text NOT NULL CHECK (outcome IN ('success', 'denied', 'not_found', 'invalid', 'error')),
    request_id     text,
    job_id         bigint
);
CREATE INDEX audit_events_by_time ON audit_events (tenant_id, occurred_at DESC);
CREATE INDEX audit_events_by_patient ON audit_events (tenant_id, patient_id, occurred_at DESC);
CREATE INDEX audit_events_by_actor ON audit_events (tenant_id, actor, occurred_at DESC);

CREATE FUNCTION audit_events_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_events is append-only' USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_refuse_change();

-- Row-level security: a transaction sees the rows of the tenant it set with
-- set_config('app.tenant_id', <tenant>, true) (store/tenancy.py), and nothing when it set none.
ALTER TABLE intakes ENABLE ROW LEVEL SECURITY;
ALTER TABLE intakes FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON intakes
    USING (tenant_id = current_setting('app.tenant_id', true))
    WITH CHECK (tenant_id = current_setting('app.tenant_id', true));

ALTER TABLE triage_outcomes ENABLE ROW LEVEL SECURITY;
ALTER TABLE triage_outcomes FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON triage_outcomes
    USING (tenant_id = current_setting('app.tenant_id', true))
    WITH CHECK (tenant_id = current_setting('app.tenant_id', true));

ALTER TABLE audit_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_events FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation_read ON audit_events FOR SELECT
    USING (tenant_id = current_setting('app.tenant_id', true));
-- Denials of unauthenticated requests have no tenant; they are recorded with tenant_id null.
CREATE POLICY tenant_isolation_write ON audit_events FOR INSERT
    WITH CHECK (tenant_id IS NOT DISTINCT FROM nullif(current_setting('app.tenant_id', true), ''));

GRANT USAGE ON SCHEMA public TO triage_app;
GRANT SELECT, INSERT ON tenants TO triage_app;
GRANT SELECT, INSERT, UPDATE ON api_keys TO triage_app;
GRANT SELECT, INSERT, UPDATE ON intakes TO triage_app;
GRANT SELECT, INSERT ON triage_outcomes TO triage_app;
GRANT SELECT, INSERT ON audit_events TO triage_app;
GRANT SELECT ON _yoyo_migration TO triage_app;  -- readiness: are migrations current?
GRANT SELECT, INSERT, UPDATE, DELETE ON
    procrastinate_jobs, procrastinate_events, procrastinate_periodic_defers, procrastinate_workers
    TO triage_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO triage_app;
