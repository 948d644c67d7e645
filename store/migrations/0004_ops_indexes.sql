-- Operators' queries stay fast on large queue tables (store/ops.py): throughput and latency read the
-- jobs that ended in the last minutes.
CREATE INDEX procrastinate_events_ended_at ON procrastinate_events (at)
    WHERE type IN ('succeeded', 'failed', 'aborted');
