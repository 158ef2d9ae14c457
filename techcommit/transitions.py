"""The one way a status changes (STYLE.md 2.2), shared by every app's ``services.transition``:
check the app's ``ALLOWED_TRANSITIONS`` table, lock the row, save the status alone, and record
the change. Each app says what its refusal reads like and writes its own audit row."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TypeVar

from django.db import models, transaction

M = TypeVar("M", bound=models.Model)


@transaction.atomic
def change_status(
    obj: M,
    *,
    to: str,
    allowed: Mapping[str, set],
    refuse: Callable[[M], Exception],
    record: Callable[[M, str], None],
) -> M:
    """Move ``obj`` to ``to`` if ``allowed[its status now]`` holds it, else raise
    ``refuse(locked row)``. ``record(locked row, status before)`` writes the audit row in the
    same transaction. ``obj`` is updated in place and returned."""
    locked = type(obj)._default_manager.select_for_update().get(pk=obj.pk)
    if to not in allowed.get(locked.status, ()):
        raise refuse(locked)
    before = locked.status
    locked.status = to
    locked.save(update_fields=["status"])
    obj.status = to
    record(locked, before)
    return obj
