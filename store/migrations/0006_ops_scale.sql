-- Ops queries stay fast with millions of finished jobs (docs/operations.md#fast-at-scale, `make bench-ops`).

-- 1. Job counts by tenant, queue and status, kept by statement triggers on procrastinate_jobs, so that
--    /v1/ops/queues, `triage ops queues` and /metrics read at most a few thousand counter rows instead of
--    counting every job (a whole-table scan: 250 ms at 1,000,000 jobs, growing with the table).
--
--    Each statement that inserts, updates or deletes jobs adds its net change per (tenant, queue, status)
--    to the rows of one slot: its session's (pg_backend_pid() % 16). Concurrent writers (API processes
--    deferring, workers fetching and finishing) therefore rarely wait on the same row, and a session never
--    waits on itself; a statement locks its rows in key order. A slot's row may go negative (a job counted
--    in one slot ends in another); the sum over slots is exact, in the same transaction as the change.
--    A job without a tenant (the maintenance queue) counts under tenant ''.
CREATE TABLE ops_job_counts (
    tenant_id   text NOT NULL,
    queue_name  varchar(128) NOT NULL,
    status      procrastinate_job_status NOT NULL,
    slot        smallint NOT NULL CHECK (slot BETWEEN 0 AND 15),
    jobs        bigint NOT NULL,
    PRIMARY KEY (tenant_id, queue_name, status, slot)
);
-- Ids, statuses and numbers only; the app role reads it, only the triggers (as the owner) write it.
GRANT SELECT ON ops_job_counts TO triage_app;

-- SECURITY DEFINER: whichever role changes jobs (the app role, an operator's session) keeps the counts
-- right, and none needs a write grant on them. search_path is pinned, as for every definer function.
CREATE FUNCTION ops_job_counts_on_insert() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    INSERT INTO public.ops_job_counts AS c (tenant_id, queue_name, status, slot, jobs)
    SELECT coalesce(args->>'tenant_id', ''), queue_name, status, (pg_backend_pid() % 16)::smallint, count(*)
    FROM new_jobs GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
    ON CONFLICT (tenant_id, queue_name, status, slot) DO UPDATE SET jobs = c.jobs + excluded.jobs;
    RETURN NULL;
END
$$;

-- An update that changes no (tenant, queue, status) nets to zero and writes nothing.
CREATE FUNCTION ops_job_counts_on_update() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    INSERT INTO public.ops_job_counts AS c (tenant_id, queue_name, status, slot, jobs)
    SELECT d.tenant_id, d.queue_name, d.status, (pg_backend_pid() % 16)::smallint, sum(d.jobs)
    FROM (SELECT coalesce(args->>'tenant_id', '') AS tenant_id, queue_name, status, -1 AS jobs FROM old_jobs
          UNION ALL
          SELECT coalesce(args->>'tenant_id', ''), queue_name, status, 1 FROM new_jobs) d
    GROUP BY 1, 2, 3 HAVING sum(d.jobs) <> 0 ORDER BY 1, 2, 3
    ON CONFLICT (tenant_id, queue_name, status, slot) DO UPDATE SET jobs = c.jobs + excluded.jobs;
    RETURN NULL;
END
$$;

CREATE FUNCTION ops_job_counts_on_delete() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    INSERT INTO public.ops_job_counts AS c (tenant_id, queue_name, status, slot, jobs)
    SELECT coalesce(args->>'tenant_id', ''), queue_name, status, (pg_backend_pid() % 16)::smallint, -count(*)
    FROM old_jobs GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
    ON CONFLICT (tenant_id, queue_name, status, slot) DO UPDATE SET jobs = c.jobs + excluded.jobs;
    RETURN NULL;
END
$$;

CREATE FUNCTION ops_job_counts_on_truncate() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    DELETE FROM public.ops_job_counts;
    RETURN NULL;
END
$$;

-- Recount from the jobs themselves: after this migration, and after a bulk load that bypassed triggers
-- (session_replication_role = replica). Job changes wait meanwhile (SHARE lock until commit).
CREATE FUNCTION ops_job_counts_rebuild() RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    LOCK TABLE public.procrastinate_jobs IN SHARE MODE;
    DELETE FROM public.ops_job_counts;
    INSERT INTO public.ops_job_counts (tenant_id, queue_name, status, slot, jobs)
    SELECT coalesce(args->>'tenant_id', ''), queue_name, status, 0, count(*)
    FROM public.procrastinate_jobs GROUP BY 1, 2, 3;
END
$$;
REVOKE ALL ON FUNCTION ops_job_counts_on_insert(), ops_job_counts_on_update(), ops_job_counts_on_delete(),
    ops_job_counts_on_truncate(), ops_job_counts_rebuild() FROM PUBLIC;

-- CREATE TRIGGER locks out concurrent job changes until this migration commits, so the recount below and
-- the triggers together count every job exactly once, even while old workers keep running.
CREATE TRIGGER ops_job_counts_insert AFTER INSERT ON procrastinate_jobs
    REFERENCING NEW TABLE AS new_jobs FOR EACH STATEMENT EXECUTE FUNCTION ops_job_counts_on_insert();
CREATE TRIGGER ops_job_counts_update AFTER UPDATE ON procrastinate_jobs
    REFERENCING OLD TABLE AS old_jobs NEW TABLE AS new_jobs FOR EACH STATEMENT EXECUTE FUNCTION ops_job_counts_on_update();
CREATE TRIGGER ops_job_counts_delete AFTER DELETE ON procrastinate_jobs
    REFERENCING OLD TABLE AS old_jobs FOR EACH STATEMENT EXECUTE FUNCTION ops_job_counts_on_delete();
CREATE TRIGGER ops_job_counts_truncate AFTER TRUNCATE ON procrastinate_jobs
    FOR EACH STATEMENT EXECUTE FUNCTION ops_job_counts_on_truncate();
DO $$ BEGIN PERFORM ops_job_counts_rebuild(); END $$;

-- 2. Jobs of one tenant, newest first (/v1/ops/jobs and every tenant-scoped ops query filter on the
--    job's `tenant_id` argument).
CREATE INDEX procrastinate_jobs_tenant ON procrastinate_jobs ((args->>'tenant_id'), id);
-- 3. Jobs in a state other than succeeded — waiting, running, failed, cancelled, aborted: a small part of
--    the table however long the history. By status (the oldest waiting job, a status filter, stalled and
--    bulk actions), and by tenant and status.
CREATE INDEX procrastinate_jobs_not_succeeded ON procrastinate_jobs (status, id) WHERE status <> 'succeeded';
CREATE INDEX procrastinate_jobs_tenant_not_succeeded ON procrastinate_jobs ((args->>'tenant_id'), status, id)
    WHERE status <> 'succeeded';
-- 4. Jobs of one task, newest first (a rare task — housekeeping — otherwise means reading every job).
CREATE INDEX procrastinate_jobs_task ON procrastinate_jobs (task_name, id);
