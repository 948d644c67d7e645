-- An intake reaching a final status (triaged or failed) is announced on the channel `triage_intake_done`,
-- so that `GET /v1/intakes/{id}?wait=N` returns as soon as the outcome is written, without polling.
--
-- A trigger rather than a NOTIFY in the worker's code: every path that finishes an intake (the worker's
-- write-back, its failure path, an operator's action) announces it, and PostgreSQL delivers a notification
-- only when its transaction commits, so a listener never hears of an outcome it cannot yet read. The payload
-- is the intake's id alone (no tenant, no patient data); a listener re-reads the intake through row-level
-- security for the tenant that asked.
CREATE FUNCTION intake_done_notify() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('triage_intake_done', NEW.id::text);
    RETURN NULL;
END;
$$;

CREATE TRIGGER intakes_done_notify
    AFTER UPDATE OF status ON intakes
    FOR EACH ROW
    WHEN (NEW.status IN ('triaged', 'failed') AND NEW.status IS DISTINCT FROM OLD.status)
    EXECUTE FUNCTION intake_done_notify();
