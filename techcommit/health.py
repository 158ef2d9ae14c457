"""Readiness checks for ``/readyz``, and the background worker's heartbeat they read.

Each check raises ``NotReady`` (or any error) when it fails; ``readiness()`` times every check and
says which failed. The messages are short and public: details of an error go to the log only.
"""

import logging
import os
import socket
import threading
import time
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.models import Max
from django.utils import timezone

from techcommit.models import WorkerHeartbeat

logger = logging.getLogger(__name__)


class NotReady(Exception):
    """A check failed; the message says how, for the JSON answer."""


def check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_cache() -> None:
    key = f"readyz:{uuid.uuid4().hex}"
    cache.set(key, "ok", 10)
    found = cache.get(key)
    cache.delete(key)
    if found != "ok":
        raise NotReady("a value written to the cache could not be read back")


def check_migrations() -> None:
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        names = [f"{migration.app_label}.{migration.name}" for migration, _ in plan]
        more = f" and {len(names) - 5} more" if len(names) > 5 else ""
        raise NotReady(f"{len(names)} not applied: {', '.join(names[:5])}{more}")


def check_worker() -> None:
    last = WorkerHeartbeat.objects.aggregate(last=Max("beat_at"))["last"]
    limit = settings.WORKER_HEARTBEAT_MAX_AGE
    if last is None:
        raise NotReady("no worker has ever reported: is manage.py db_worker running?")
    age = (timezone.now() - last).total_seconds()
    if age > limit:
        raise NotReady(f"last heartbeat {age:.0f} s ago, more than {limit} s")


def checks() -> dict:
    """The checks that apply to this configuration, by name."""
    found = {"database": check_database, "cache": check_cache, "migrations": check_migrations}
    if settings.TASKS_BACKEND == "database":
        found["worker"] = check_worker
    return found


def readiness() -> tuple[bool, dict]:
    """Run every check; whether all passed, and each one's result and time in milliseconds."""
    results = {}
    for name, check in checks().items():
        started = time.perf_counter()
        try:
            check()
        except NotReady as exc:
            result = {"ok": False, "error": str(exc)}
        except Exception:
            logger.exception("Readiness check %s failed", name)
            result = {"ok": False, "error": "failed (the log says why)"}
        else:
            result = {"ok": True}
        result["ms"] = round((time.perf_counter() - started) * 1000, 1)
        results[name] = result
    return all(result["ok"] for result in results.values()), results


class Heartbeat:
    """Writes one worker's heartbeat now, then every quarter of WORKER_HEARTBEAT_MAX_AGE from a
    background thread until stopped. A database error is logged, and the next beat tries again."""

    def __init__(self, worker_id: str):
        self.worker_id = worker_id
        self.started_at = timezone.now()
        self.interval = max(1, settings.WORKER_HEARTBEAT_MAX_AGE / 4)
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, name="heartbeat", daemon=True)

    def beat(self) -> None:
        """Say this worker is alive, and hand back to the queue any task a dead one left."""
        from techcommit.tasks import requeue_orphans

        WorkerHeartbeat.objects.update_or_create(
            worker_id=self.worker_id,
            defaults={
                "host": socket.gethostname()[:255],
                "pid": os.getpid(),
                "started_at": self.started_at,
                "beat_at": timezone.now(),
            },
        )
        requeue_orphans()

    def start(self) -> None:
        """Beat now, forget workers silent for a day, then keep beating in the background."""
        self.beat()
        WorkerHeartbeat.objects.filter(beat_at__lt=timezone.now() - timedelta(days=1)).delete()
        self._thread.start()

    def stop(self) -> None:
        self._stopped.set()
        if self._thread.is_alive():
            self._thread.join(timeout=5)

    def _run(self) -> None:
        while not self._stopped.wait(self.interval):
            try:
                self.beat()
            except Exception:
                logger.exception("Worker %s could not write its heartbeat", self.worker_id)
            finally:
                connection.close()  # this thread's own connection
