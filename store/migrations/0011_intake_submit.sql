-- One statement submits an intake: the tenant, the Procrastinate job, the intake row and its audit event.
--
-- `POST /v1/intakes` used to send six statements (BEGIN, the tenant, Procrastinate's defer, the insert, the
-- audit insert, COMMIT); each costs the API process a few hundred microseconds of Python in the driver, and
-- together they were most of its CPU per request (docs/benchmarks.md). This function does the same work in
-- the same transaction, in the same order, in one call.
--
-- It runs with the caller's rights (not SECURITY DEFINER): row-level security applies to the intake and the
-- audit event exactly as before, for the tenant it sets first. The job goes through Procrastinate's own
-- versioned SQL entry point (procrastinate_defer_jobs_v1, what its Python `defer` calls), with the values its
-- Python API would use for this task: priority 0, no lock, no queueing lock, not scheduled, the arguments as
-- a JSON object of the intake's and tenant's ids. tests/integration/test_hot_path.py compares a job deferred
-- here with one deferred through Procrastinate's Python API, so an upgrade that changes that contract fails
-- the tests rather than the workers.
CREATE FUNCTION intake_submit(
    p_tenant_id text,
    p_intake_id uuid,
    p_patient_id text,
    p_payload jsonb,
    p_created_by text,
    p_idempotency_key text,
    p_request_hash bytea,
    p_idempotency_hours integer,
    p_queue text,
    p_task text,
    p_audit_action text,
    p_audit_resource_type text,
    p_request_id text
) RETURNS SETOF intakes
LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
DECLARE
    v_job_id bigint;
BEGIN
    PERFORM set_config('app.tenant_id', p_tenant_id, true);
    v_job_id := (procrastinate_defer_jobs_v1(ARRAY[ROW(
        p_queue, p_task, 0, NULL, NULL,
        jsonb_build_object('intake_id', p_intake_id::text, 'tenant_id', p_tenant_id), NULL
    )::procrastinate_job_to_defer_v1]))[1];
    RETURN QUERY
    INSERT INTO intakes (id, tenant_id, patient_id, payload, created_by, job_id, idempotency_key, request_hash,
                         idempotency_expires_at)
    VALUES (p_intake_id, p_tenant_id, p_patient_id, p_payload, p_created_by, v_job_id, p_idempotency_key,
            p_request_hash, CASE WHEN p_idempotency_key IS NULL THEN NULL
                                 ELSE now() + make_interval(hours => p_idempotency_hours) END)
    RETURNING *;
    INSERT INTO audit_events (tenant_id, actor, action, resource_type, resource_id, patient_id, outcome, request_id)
    VALUES (p_tenant_id, p_created_by, p_audit_action, p_audit_resource_type, p_intake_id::text, p_patient_id,
            'success', p_request_id);
END
$$;
REVOKE ALL ON FUNCTION intake_submit(text, uuid, text, jsonb, text, text, bytea, integer, text, text, text, text, text)
    FROM PUBLIC;
GRANT EXECUTE ON FUNCTION intake_submit(text, uuid, text, jsonb, text, text, bytea, integer, text, text, text, text, text)
    TO triage_app;
