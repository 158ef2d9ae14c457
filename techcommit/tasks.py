"""Background tasks that may fail: retry with back-off, and tasks a dead worker left behind.

django-tasks 0.12 has no retries of its own, so a task that fails for a reason worth another
try (a mail server down, a render that crashed) calls ``retry_later``: the same task is queued
again to run after ``TASK_RETRY_BASE_SECONDS * 2 ** (attempt - 1)`` seconds (capped at an hour),
until ``TASK_MAX_ATTEMPTS`` attempts are spent. The attempts are counted on the task's own
record (an outbox row, a publication), so a retry survives a worker's restart. A backend that
cannot defer a task (the immediate backend of development and tests) gets no retry: the record
is left failed, for the manual retry (a management command or an admin button).

A worker killed in the middle of a task (SIGKILL, a lost machine) leaves the task "running"
forever in django-tasks-db. ``requeue_orphans`` hands such a task back to the queue once the
worker that claimed it has stopped writing its heartbeat (techcommit/health.py), so that another
worker runs it; the tasks themselves are written to be safe to run twice.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

logger = logging.getLogger(__name__)

MAX_BACKOFF = timedelta(hours=1)


def backoff(attempt: int) -> timedelta:
    """How long to wait after the ``attempt``-th failed attempt (1, 2, ...)."""
    delay = timedelta(seconds=settings.TASK_RETRY_BASE_SECONDS * 2 ** max(attempt - 1, 0))
    return min(delay, MAX_BACKOFF)


def retry_later(task, attempt: int, *args) -> bool:
    """Queue ``task(*args)`` again after the back-off for ``attempt``; False when the attempts
    are spent or the backend cannot run a task later (the caller then marks its record failed)."""
    if attempt >= settings.TASK_MAX_ATTEMPTS or not task.get_backend().supports_defer:
        return False
    delay = backoff(attempt)
    task.using(run_after=timezone.now() + delay).enqueue(*args)
    logger.warning(
        "%s%r failed (attempt %s of %s); trying again in %s s",
        task.name,
        args,
        attempt,
        settings.TASK_MAX_ATTEMPTS,
        int(delay.total_seconds()),
    )
    return True


def requeue_orphans() -> int:
    """Put back in the queue every task still "running" on a worker whose heartbeat is older
    than WORKER_HEARTBEAT_MAX_AGE; return how many."""
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from techcommit.models import WorkerHeartbeat

    stale = timezone.now() - timedelta(seconds=settings.WORKER_HEARTBEAT_MAX_AGE)
    dead = set(
        WorkerHeartbeat.objects.filter(beat_at__lt=stale).values_list("worker_id", flat=True)
    )
    if not dead:
        return 0
    requeued = 0
    with transaction.atomic():
        # Each row read under its lock: one another worker has just claimed is not taken back.
        running = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING)
        for row in running.select_for_update(skip_locked=True):
            if row.worker_ids and row.worker_ids[-1] in dead:
                row.status = TaskResultStatus.READY
                row.started_at = None
                row.save(update_fields=["status", "started_at"])
                requeued += 1
    if requeued:
        logger.warning("Requeued %s task(s) left running by a stopped worker", requeued)
    return requeued
