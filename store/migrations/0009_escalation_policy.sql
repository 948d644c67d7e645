-- Each tenant's escalation policy for the engine's "consider ESI 2" criteria (triage/escalation.py):
-- `escalate` (the default) raises ESI 3-5 to ESI 2 when a criterion is met; `flag` keeps the computed level
-- and asks for clinician review. The worker reads it with the intake's claim and hands it to the engine, so
-- a change applies to intakes triaged after it; every outcome's assessment records the policy that applied.
-- Set with `triage tenants policy --tenant ID --escalation flag|escalate` (runtime/tenants_cli.py).
ALTER TABLE tenants
    ADD COLUMN escalation_policy text NOT NULL DEFAULT 'escalate'
        CHECK (escalation_policy IN ('escalate', 'flag'));

-- tenants has no row-level security (maintenance starts from it; a key is looked up before its tenant is
-- known). triage_app already has SELECT on the whole table (0002), which covers the new column; it may
-- change this one column and no other (the CLI acts as triage_app, store/pool.py app_conninfo).
GRANT UPDATE (escalation_policy) ON tenants TO triage_app;
