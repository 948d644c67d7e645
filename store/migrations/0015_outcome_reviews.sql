-- Clinician review of outcomes: a confirmation or an override is a record of its own, appended; the engine's
-- outcome (triage_outcomes) is never changed. An intake's effective decision is its latest review's, or the
-- engine's when it has none. Each review is announced like an outcome: an `intake.reviewed` event on the
-- tenant's stream (and a signed callback when the intake named a callback URL).
CREATE TABLE outcome_reviews (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id    text NOT NULL REFERENCES tenants (id),
    intake_id    uuid NOT NULL,
    reviewer     text NOT NULL,
    decision     text NOT NULL CHECK (decision IN ('confirm', 'override')),
    acuity       integer NOT NULL CHECK (acuity BETWEEN 1 AND 5),
    disposition  text NOT NULL CHECK (disposition IN
                     ('emergency_ambulance', 'emergency', 'consultation_24', 'consultation', 'self_care')),
    reason       text NOT NULL CHECK (length(reason) BETWEEN 1 AND 2000),
    created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX outcome_reviews_by_intake ON outcome_reviews (tenant_id, intake_id, id);

ALTER TABLE outcome_reviews ENABLE ROW LEVEL SECURITY;
ALTER TABLE outcome_reviews FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON outcome_reviews
    USING (tenant_id = current_setting('app.tenant_id', true))
    WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
-- Append-only for the application, like the audit trail.
GRANT SELECT, INSERT ON outcome_reviews TO triage_app;

-- The review queue reads outcomes that ask for review and have none yet, oldest first.
CREATE INDEX triage_outcomes_review_queue ON triage_outcomes (tenant_id, created_at)
    WHERE (assessment ->> 'review_required')::boolean;

ALTER TABLE intake_events DROP CONSTRAINT intake_events_kind_check;
ALTER TABLE intake_events ADD CONSTRAINT intake_events_kind_check
    CHECK (kind IN ('intake.triaged', 'intake.failed', 'intake.reviewed'));
ALTER TABLE webhook_deliveries DROP CONSTRAINT webhook_deliveries_kind_check;
ALTER TABLE webhook_deliveries ADD CONSTRAINT webhook_deliveries_kind_check
    CHECK (kind IN ('intake.triaged', 'intake.failed', 'intake.reviewed'));

-- An intake's event, and its callback when it named one: shared by the outcome trigger and the review trigger.
CREATE FUNCTION intake_announce(p_tenant_id text, p_intake_id uuid, p_kind text, p_payload jsonb)
    RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    event_id bigint;
    delivery_id bigint;
BEGIN
    -- One announcing transaction per tenant at a time, to its commit: event ids follow commit order (0013).
    PERFORM pg_advisory_xact_lock(hashtextextended('triage.intake_events:' || p_tenant_id, 0));
    INSERT INTO intake_events (tenant_id, intake_id, kind) VALUES (p_tenant_id, p_intake_id, p_kind)
    RETURNING id INTO event_id;
    IF p_payload ? 'callback_url' AND jsonb_typeof(p_payload -> 'callback_url') = 'string' THEN
        INSERT INTO webhook_deliveries (tenant_id, intake_id, event_id, kind, url)
        VALUES (p_tenant_id, p_intake_id, event_id, p_kind, p_payload ->> 'callback_url')
        RETURNING id INTO delivery_id;
        PERFORM procrastinate_defer_jobs_v1(ARRAY[ROW(
            'webhooks', 'deliver_webhook', 0, NULL, NULL,
            jsonb_build_object('delivery_id', delivery_id, 'tenant_id', p_tenant_id), NULL
        )::procrastinate_job_to_defer_v1]);
    END IF;
    PERFORM pg_notify('triage_intake_done', p_intake_id::text || ' ' || event_id::text || ' ' || p_tenant_id);
END;
$$;

CREATE OR REPLACE FUNCTION intake_done_notify() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    PERFORM intake_announce(NEW.tenant_id, NEW.id, 'intake.' || NEW.status, NEW.payload);
    RETURN NULL;
END;
$$;

CREATE FUNCTION outcome_review_announce() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    PERFORM intake_announce(
        NEW.tenant_id, NEW.intake_id, 'intake.reviewed',
        (SELECT payload FROM intakes WHERE id = NEW.intake_id)
    );
    RETURN NULL;
END;
$$;

CREATE TRIGGER outcome_reviews_announce
    AFTER INSERT ON outcome_reviews
    FOR EACH ROW EXECUTE FUNCTION outcome_review_announce();

-- Which outcomes a tenant's clinicians review: those the engine flags (`review_required`, the default), or all.
ALTER TABLE tenants ADD COLUMN review_policy text NOT NULL DEFAULT 'flagged'
    CHECK (review_policy IN ('flagged', 'all'));
GRANT UPDATE (review_policy) ON tenants TO triage_app;
