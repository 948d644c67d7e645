"""The Procrastinate app both processes share.

The app never opens a pool of its own: the API and the workers open theirs (store.pool) in their
lifespan and hand it over with `open_async(pool)`, so one pool serves our queries and the queue's.
"""

from __future__ import annotations

import orjson
import procrastinate

from tasks import maintenance, triage, webhooks
from tasks.pausing import PausableJobManager


def create_queue_app() -> procrastinate.App:
    connector = procrastinate.PsycopgConnector(json_dumps=lambda obj: orjson.dumps(obj).decode())
    # A worker that starts after a pause defers only the periodic ticks of the last 30 s, not a backlog.
    queue_app = procrastinate.App(connector=connector, periodic_defaults={"max_delay": 30})
    # Workers skip queues an operator paused (Procrastinate has no pause of its own).
    queue_app.job_manager = PausableJobManager(connector=connector)
    triage.register(queue_app)
    maintenance.register(queue_app)
    webhooks.register(queue_app)
    return queue_app
