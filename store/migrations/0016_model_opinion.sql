-- The optional model second opinion (tasks/model_opinion.py), per tenant and off by default: `on` sends the
-- structured intake (no patient id, no free text), `on_with_free_text` adds symptoms and notes.
ALTER TABLE tenants ADD COLUMN model_opinion text NOT NULL DEFAULT 'off'
    CHECK (model_opinion IN ('off', 'on', 'on_with_free_text'));
GRANT UPDATE (model_opinion) ON tenants TO triage_app;

-- What an audit event needs to say beyond its columns (the model asked and a hash of the prompt); never
-- patient data.
ALTER TABLE audit_events ADD COLUMN detail jsonb;
