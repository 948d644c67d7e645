-- The durable log behind `GET /v1/events` (Server-Sent Events): one row per intake that became triaged or
-- failed, numbered in commit order within its tenant (see the lock below), so that a client resumes with `Last-Event-ID`
-- from where it stopped, whatever it missed while disconnected. Rows carry ids and a status only: the client
-- fetches the outcome (an audited read); no patient data is in the log or its notifications.
CREATE TABLE intake_events (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id   text NOT NULL REFERENCES tenants (id),
    intake_id   uuid NOT NULL,
    kind        text NOT NULL CHECK (kind IN ('intake.triaged', 'intake.failed')),
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX intake_events_by_tenant ON intake_events (tenant_id, id);
CREATE INDEX intake_events_by_age ON intake_events (created_at);

ALTER TABLE intake_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE intake_events FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON intake_events
    USING (tenant_id = current_setting('app.tenant_id', true))
    WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
-- Appended by the trigger below (as the session that finished the intake), read by the stream, purged by
-- housekeeping after TRIAGE_JOB_RETENTION_HOURS.
GRANT SELECT, INSERT, DELETE ON intake_events TO triage_app;

-- Migration 0012's trigger now also appends to the log, and its notification names the event and tenant:
-- `<intake id> <event id> <tenant id>` (ids only). A waiting read wakes on the intake id, a stream on its tenant.
CREATE OR REPLACE FUNCTION intake_done_notify() RETURNS trigger
    LANGUAGE plpgsql AS $$
DECLARE
    event_id bigint;
BEGIN
    -- One finishing transaction per tenant at a time, from here to its commit: the tenant's event ids are
    -- then given out in commit order, so a reader that has seen id N can never later see a smaller one
    -- (what makes `Last-Event-ID` a safe cursor). It covers only the end of a write-back, and only per tenant.
    PERFORM pg_advisory_xact_lock(hashtextextended('triage.intake_events:' || NEW.tenant_id, 0));
    INSERT INTO intake_events (tenant_id, intake_id, kind)
    VALUES (NEW.tenant_id, NEW.id, 'intake.' || NEW.status)
    RETURNING id INTO event_id;
    PERFORM pg_notify('triage_intake_done', NEW.id::text || ' ' || event_id::text || ' ' || NEW.tenant_id);
    RETURN NULL;
END;
$$;
