"""django-tasks-db's worker, which also writes its heartbeat for /readyz (techcommit/health.py).

django-tasks-db 0.13 has no hook in the worker's loop, so the heartbeat is written from a thread
beside it: once at start, then every quarter of WORKER_HEARTBEAT_MAX_AGE. Options are the same as
django-tasks-db's ``db_worker``; this command replaces it (techcommit comes first in
INSTALLED_APPS). It also lowers its own CPU priority (WORKER_PRIORITY), so that background
work on the machine that serves the pages never slows them.
"""

import os
import time
from pathlib import Path

from django.conf import settings
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from techcommit import render_process
from techcommit.health import Heartbeat

# Linux's autogroup of this process's session (sched(7)), where there is one.
AUTOGROUP = Path("/proc/self/autogroup")


def lower_priority(priority: str) -> None:
    """Put this process below the web workers (WORKER_PRIORITY): a render never slows pages."""
    if priority == "idle" and hasattr(os, "sched_setscheduler"):
        os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))
    elif priority in ("idle", "low"):
        os.nice(19 if priority == "idle" else 10)  # no SCHED_IDLE here: the lowest niceness
    if priority in ("idle", "low"):
        lower_session(19 if priority == "idle" else 10)


def lower_session(niceness: int) -> None:
    """Lower the autogroup of this process's session too, when the session is the worker's own.

    With autogroup (on by default in most Linux kernels; it applies where processes are in the
    root CPU cgroup), each session is scheduled as one group, and a process's policy counts only
    within its group: a worker started in a session of its own (by a process manager, or
    ``setsid``) stayed an equal of the web workers' session, whatever its own policy
    (bench/load.py, on a machine busy with other work too: the worker had about 0.8 s of every
    2 s; with its group at niceness 19, 0.02 to 0.25 s). A session that is not the worker's own
    (started beside other programs from one shell) is left as it is."""
    if os.getsid(0) != os.getpid() or not AUTOGROUP.exists():
        return
    for _ in range(2):
        try:
            AUTOGROUP.write_text(str(niceness))
            return
        except BlockingIOError:  # Linux takes one such change a tenth of a second
            time.sleep(0.1)
        except OSError:  # e.g. a container that does not let it write there: the policy only
            return


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
        if settings.WORKER_PRIORITY == "idle":
            render_process.enable()  # PDFs render in a child that waits while the CPUs are busy
        heartbeat = Heartbeat(worker_id)
        heartbeat.start()
        try:
            super().handle(*args, worker_id=worker_id, **options)
        finally:
            heartbeat.stop()
