"""django-tasks-db's worker, which also writes its heartbeat for /readyz (techcommit/health.py).

django-tasks-db 0.13 has no hook in the worker's loop, so the heartbeat is written from a thread
beside it: once at start, then every quarter of WORKER_HEARTBEAT_MAX_AGE. Options are the same as
django-tasks-db's ``db_worker``; this command replaces it (techcommit comes first in
INSTALLED_APPS). It also lowers its own CPU priority (WORKER_PRIORITY), so that background
work on the machine that serves the pages never slows them.
"""

import os

from django.conf import settings
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from techcommit.health import Heartbeat


def lower_priority(priority: str) -> None:
    """Put this process below the web workers (WORKER_PRIORITY): a render never slows pages."""
    if priority == "idle" and hasattr(os, "sched_setscheduler"):
        os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))
    elif priority in ("idle", "low"):
        os.nice(19 if priority == "idle" else 10)  # no SCHED_IDLE here: the lowest niceness


class Command(DatabaseWorkerCommand):
    help = "Run a database background worker that writes a heartbeat for /readyz."

    def handle(self, *args, worker_id: str, **options) -> None:
        # With --reload (the default when DEBUG is on) the first process only watches files and
        # starts a second one that runs tasks: only that one beats.
        watcher = (
            options.get("reload")
            and not options.get("batch")
            and os.environ.get(DJANGO_AUTORELOAD_ENV) != "true"
        )
        if watcher:
            super().handle(*args, worker_id=worker_id, **options)
            return
        lower_priority(settings.WORKER_PRIORITY)
        heartbeat = Heartbeat(worker_id)
        heartbeat.start()
        try:
            super().handle(*args, worker_id=worker_id, **options)
        finally:
            heartbeat.stop()
