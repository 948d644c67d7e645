-- Fresh planner statistics for the job queue, refreshed by the workers themselves.
--
-- Procrastinate's fetch (procrastinate_fetch_job_v2) is planned from procrastinate_jobs' statistics. After a
-- burst (thousands of intakes queued within seconds of the last ANALYZE) they still say "no job waiting",
-- and the planner picks a nested loop that checks every waiting job's lock against every other: each fetch
-- then costs O(waiting jobs) and draining the burst O(n²): a 5,000-intake burst drained at 118 intakes/s
-- on stale statistics and 215/s on current ones (docs/benchmarks.md). Autovacuum gets there, but only after
-- its next round (a minute by default) and its threshold (10 % of the table).
--
-- This function ANALYZEs the table when at least 500 rows (or 10 % of it, whichever is more) changed since
-- the last ANALYZE; the workers' 10-second maintenance tick calls it (tasks/maintenance.py). It runs as the
-- owner (ANALYZE needs ownership); the app role may only call it.
CREATE FUNCTION ops_refresh_job_statistics() RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp SET lock_timeout = '1s' AS $$
DECLARE
    changed bigint;
    live bigint;
BEGIN
    SELECT n_mod_since_analyze, n_live_tup INTO changed, live
    FROM pg_stat_user_tables WHERE relid = 'public.procrastinate_jobs'::regclass;
    IF changed IS NULL OR changed < greatest(500, live / 10) THEN
        RETURN false;
    END IF;
    ANALYZE public.procrastinate_jobs;
    RETURN true;
END
$$;
REVOKE ALL ON FUNCTION ops_refresh_job_statistics() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ops_refresh_job_statistics() TO triage_app;
