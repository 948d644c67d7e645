"""The queue app both processes share declares each task as the workers and the API expect to find it.

A task declared on the wrong queue, without its context, without its retry strategy or on another schedule
would show only in a worker process, as jobs nobody fetches or a periodic tick that never comes; read here
from the app itself, the declaration is checked in a fraction of a second.
"""

from __future__ import annotations

from tasks import maintenance, triage, webhooks
from tasks.pausing import PausableJobManager
from tasks.queue import create_queue_app


def test_each_task_is_declared_on_its_queue_with_its_context_priority_and_retries() -> None:
    app = create_queue_app()
    declared = {
        name: (task.func, task.queue, task.pass_context, task.priority, type(task.retry_strategy))
        for name, task in app.tasks.items()
        if not name.startswith(("builtin:", "procrastinate."))
    }
    assert declared == {
        triage.TASK_NAME: (triage.triage_intake, triage.TRIAGE_QUEUE, True, 0, triage.TriageRetry),
        webhooks.TASK_NAME: (webhooks.deliver_webhook, webhooks.WEBHOOK_QUEUE, True, 0, webhooks.WebhookRetry),
        "recover_stalled_jobs": (
            maintenance.recover_stalled_jobs,
            maintenance.MAINTENANCE_QUEUE,
            True,
            maintenance.MAINTENANCE_PRIORITY,
            type(None),
        ),
        "housekeeping": (
            maintenance.housekeeping,
            maintenance.MAINTENANCE_QUEUE,
            True,
            maintenance.MAINTENANCE_PRIORITY,
            type(None),
        ),
    }
    assert triage.TRIAGE_QUEUE != maintenance.MAINTENANCE_QUEUE != webhooks.WEBHOOK_QUEUE


def test_maintenance_runs_on_its_schedule_and_a_late_worker_defers_only_recent_ticks() -> None:
    app = create_queue_app()
    schedule = {
        name: (periodic.task.name, periodic.cron, periodic.configure_kwargs)
        for (name, _), periodic in app.periodic_registry.periodic_tasks.items()
    }
    assert schedule == {
        # Every ten seconds (the sixth field is seconds): a stalled job is recovered within a heartbeat or two.
        "recover_stalled_jobs": ("recover_stalled_jobs", "* * * * * */10", {}),
        "housekeeping": ("housekeeping", "*/15 * * * *", {}),
    }
    assert app.periodic_defaults == {"max_delay": 30}


def test_workers_fetch_through_the_pausable_manager_on_the_apps_own_connector() -> None:
    app = create_queue_app()
    assert isinstance(app.job_manager, PausableJobManager)
    assert app.job_manager.connector is app.connector
