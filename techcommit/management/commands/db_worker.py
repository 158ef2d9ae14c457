"""django-tasks-db's worker, which also writes its heartbeat for /readyz (techcommit/health.py).

django-tasks-db 0.13 has no hook in the worker's loop, so the heartbeat is written from a thread
beside it: once at start, then every quarter of WORKER_HEARTBEAT_MAX_AGE. Options are the same as
django-tasks-db's ``db_worker``; this command replaces it (techcommit comes first in
INSTALLED_APPS).
"""

from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from techcommit.health import Heartbeat


class Command(DatabaseWorkerCommand):
    help = "Run a database background worker that writes a heartbeat for /readyz."

    def handle(self, *args, worker_id: str, **options) -> None:
        heartbeat = Heartbeat(worker_id)
        heartbeat.start()
        try:
            super().handle(*args, worker_id=worker_id, **options)
        finally:
            heartbeat.stop()
