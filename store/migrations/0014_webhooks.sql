-- Signed callbacks (webhooks): an intake may name a `callback_url` (kept in its payload) that starts with one
-- of its tenant's allow-listed prefixes; when the intake finishes, a delivery row and a Procrastinate job
-- (`deliver_webhook`, queue `webhooks`) are written by the same trigger, in the same transaction as the
-- outcome: the callback is owed exactly when the outcome exists. The body carries ids and status only.

-- Where a tenant's callbacks may go. A private, loopback or link-local destination is refused at delivery
-- unless its entry says `allow_private` (an operator's explicit choice); plain http only with it.
CREATE TABLE webhook_allowlist (
    tenant_id      text NOT NULL REFERENCES tenants (id),
    url_prefix     text NOT NULL CHECK (url_prefix ~ '^https?://[^/?#@\s]+/' AND length(url_prefix) <= 2000),
    allow_private  boolean NOT NULL DEFAULT false,
    created_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, url_prefix),
    CHECK (allow_private OR url_prefix LIKE 'https://%')
);

-- Signing secrets (Standard Webhooks `whsec_…`). Rotation adds one and gives the old one an expiry: until
-- then a delivery is signed with both, so receivers can switch over without a gap.
CREATE TABLE webhook_secrets (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id   text NOT NULL REFERENCES tenants (id),
    secret      text NOT NULL CHECK (secret LIKE 'whsec\_%'),
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz
);
CREATE INDEX webhook_secrets_by_tenant ON webhook_secrets (tenant_id);

-- The delivery log, one row per callback owed, updated by every attempt (GET /v1/intakes/{id}/deliveries).
CREATE TABLE webhook_deliveries (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id         text NOT NULL REFERENCES tenants (id),
    intake_id         uuid NOT NULL,
    event_id          bigint NOT NULL,
    kind              text NOT NULL CHECK (kind IN ('intake.triaged', 'intake.failed')),
    url               text NOT NULL,
    status            text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts          integer NOT NULL DEFAULT 0,
    last_status_code  integer,
    last_error        text,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    delivered_at      timestamptz
);
CREATE INDEX webhook_deliveries_by_intake ON webhook_deliveries (tenant_id, intake_id);

ALTER TABLE webhook_allowlist ENABLE ROW LEVEL SECURITY;
ALTER TABLE webhook_allowlist FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON webhook_allowlist
    USING (tenant_id = current_setting('app.tenant_id', true))
    WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
ALTER TABLE webhook_secrets ENABLE ROW LEVEL SECURITY;
ALTER TABLE webhook_secrets FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON webhook_secrets
    USING (tenant_id = current_setting('app.tenant_id', true))
    WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
ALTER TABLE webhook_deliveries ENABLE ROW LEVEL SECURITY;
ALTER TABLE webhook_deliveries FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON webhook_deliveries
    USING (tenant_id = current_setting('app.tenant_id', true))
    WITH CHECK (tenant_id = current_setting('app.tenant_id', true));

GRANT SELECT, INSERT, DELETE, UPDATE (allow_private) ON webhook_allowlist TO triage_app;
GRANT SELECT, INSERT, UPDATE ON webhook_secrets TO triage_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON webhook_deliveries TO triage_app;

CREATE OR REPLACE FUNCTION intake_done_notify() RETURNS trigger
    LANGUAGE plpgsql AS $$
DECLARE
    event_id bigint;
    delivery_id bigint;
BEGIN
    -- As in 0013: one finishing transaction per tenant at a time, so event ids follow commit order.
    PERFORM pg_advisory_xact_lock(hashtextextended('triage.intake_events:' || NEW.tenant_id, 0));
    INSERT INTO intake_events (tenant_id, intake_id, kind)
    VALUES (NEW.tenant_id, NEW.id, 'intake.' || NEW.status)
    RETURNING id INTO event_id;
    IF NEW.payload ? 'callback_url' AND jsonb_typeof(NEW.payload -> 'callback_url') = 'string' THEN
        INSERT INTO webhook_deliveries (tenant_id, intake_id, event_id, kind, url)
        VALUES (NEW.tenant_id, NEW.id, event_id, 'intake.' || NEW.status, NEW.payload ->> 'callback_url')
        RETURNING id INTO delivery_id;
        PERFORM procrastinate_defer_jobs_v1(ARRAY[ROW(
            'webhooks', 'deliver_webhook', 0, NULL, NULL,
            jsonb_build_object('delivery_id', delivery_id, 'tenant_id', NEW.tenant_id), NULL
        )::procrastinate_job_to_defer_v1]);
    END IF;
    PERFORM pg_notify('triage_intake_done', NEW.id::text || ' ' || event_id::text || ' ' || NEW.tenant_id);
    RETURN NULL;
END;
$$;
