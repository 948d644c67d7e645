-- Outcome totals for /metrics (api/metrics): how many outcomes were written, by acuity and disposition,
-- across every tenant, readable without reading a single outcome.
--
-- Why a tally and not count(*) at scrape time: outcomes are never deleted, so counting them on every
-- scrape would cost a scan of an ever-growing table (under row-level security, which the app role
-- cannot see past anyway). The tally holds at most 5 acuities x 5 dispositions x 16 slots rows; a trigger
-- adds one to a random slot of the outcome's (acuity, disposition) when an outcome is inserted, so that
-- concurrent workers rarely wait on the same row. A re-run that inserts nothing (ON CONFLICT DO NOTHING)
-- fires no row trigger and counts nothing.
CREATE TABLE triage_outcome_tally (
    acuity       smallint NOT NULL CHECK (acuity BETWEEN 1 AND 5),
    disposition  text NOT NULL,
    slot         smallint NOT NULL CHECK (slot BETWEEN 0 AND 15),
    outcomes     bigint NOT NULL,
    PRIMARY KEY (acuity, disposition, slot)
);
-- No tenant column, no patient data: the app role reads it; only the trigger writes it.
GRANT SELECT ON triage_outcome_tally TO triage_app;

-- SECURITY DEFINER: it runs as the schema owner, so the app role needs no write grant on the tally
-- (and cannot forge totals). search_path is pinned, as for every definer function.
CREATE FUNCTION triage_outcome_tally_add() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    INSERT INTO public.triage_outcome_tally AS t (acuity, disposition, slot, outcomes)
    VALUES (NEW.acuity, NEW.disposition, floor(random() * 16)::smallint, 1)
    ON CONFLICT (acuity, disposition, slot) DO UPDATE SET outcomes = t.outcomes + 1;
    RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION triage_outcome_tally_add() FROM PUBLIC;

-- CREATE TRIGGER locks out concurrent inserts until this migration commits, so the backfill below and
-- the trigger together count every outcome exactly once, even while old workers keep writing.
CREATE TRIGGER triage_outcome_tally AFTER INSERT ON triage_outcomes
    FOR EACH ROW EXECUTE FUNCTION triage_outcome_tally_add();

-- The outcomes written before this migration. Row-level security is FORCEd on triage_outcomes, so a
-- schema owner that is neither superuser nor BYPASSRLS would count no row at all: it is lifted for this
-- one statement, inside this transaction (nobody else can see the table meanwhile).
ALTER TABLE triage_outcomes NO FORCE ROW LEVEL SECURITY;
INSERT INTO triage_outcome_tally (acuity, disposition, slot, outcomes)
    SELECT acuity, disposition, 0, count(*) FROM triage_outcomes GROUP BY acuity, disposition;
ALTER TABLE triage_outcomes FORCE ROW LEVEL SECURITY;
