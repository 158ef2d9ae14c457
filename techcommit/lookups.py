"""Reaching one object as a person: the object, or a 404 for anyone who may not see it, so that
outsiders never learn it exists. Each app's lookups.py builds its own on this."""

from django.db.models import Model, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from techcommit.permissions import may


def reached(user, queryset: QuerySet, pk: int, *, see: str, permission: str | None = None) -> Model:
    """Object ``pk`` of ``queryset`` if ``user`` may ``see`` it and also has ``permission`` on
    it (when one is given); otherwise 404."""
    found = get_object_or_404(queryset, pk=pk)
    if not may(user, see, found):
        raise Http404("Nothing here.")
    if permission and permission != see and not may(user, permission, found):
        raise Http404("You cannot do that here.")
    return found
