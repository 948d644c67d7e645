-- Delivery guarantees: Idempotency-Key on intake submission, and an operator-readable failure detail.

-- An Idempotency-Key belongs to the key owner (the API key that sent it) within its tenant, for a window
-- (TRIAGE_IDEMPOTENCY_KEY_HOURS); `request_hash` fingerprints the route and the validated body, so that the
-- same key with another body can be refused. Housekeeping clears all three columns after the window.
ALTER TABLE intakes
    ADD COLUMN request_hash           bytea,
    ADD COLUMN idempotency_expires_at timestamptz,
    -- The last error's class and a scrubbed message (quoted text and numbers removed): never patient data.
    ADD COLUMN failure_detail         text;

ALTER TABLE intakes DROP CONSTRAINT intakes_tenant_id_idempotency_key_key;
CREATE UNIQUE INDEX intakes_idempotency_key ON intakes (tenant_id, created_by, idempotency_key)
    WHERE idempotency_key IS NOT NULL;
CREATE INDEX intakes_idempotency_expiry ON intakes (tenant_id, idempotency_expires_at)
    WHERE idempotency_key IS NOT NULL;

