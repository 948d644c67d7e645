-- Queues an operator paused: workers fetch no new job from them (tasks.pausing), running jobs finish.
-- A row survives restarts of workers and of the database; resuming deletes it. Queues are shared by
-- every tenant, so only the platform operator pauses them (api/ops); the table carries no tenant data.
CREATE TABLE ops_paused_queues (
    queue_name text PRIMARY KEY CHECK (queue_name ~ '^[A-Za-z0-9_.:-]{1,128}$'),
    paused_at  timestamptz NOT NULL DEFAULT now(),
    paused_by  text NOT NULL
);
GRANT SELECT, INSERT, DELETE ON ops_paused_queues TO triage_app;

-- Jobs listed by the time they were deferred (`since`/`until` on /v1/ops/jobs): a time bound becomes an
-- id bound through this index, so a time filter costs two index probes, not a scan.
CREATE INDEX procrastinate_events_deferred_at ON procrastinate_events (at) INCLUDE (job_id)
    WHERE type = 'deferred';
