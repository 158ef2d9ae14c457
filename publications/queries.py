"""What the public may see: published, never withdrawn."""

from __future__ import annotations

from django.db.models import QuerySet

from publications.enums import PublicationKind
from publications.models import Publication


def public_publications(organisation) -> QuerySet[Publication]:
    return Publication.objects.public().filter(organisation=organisation)


def current(organisation, kind: str) -> Publication | None:
    """The latest public version of one kind of document."""
    return public_publications(organisation).filter(kind=kind).order_by("-version").first()


def current_plan(organisation) -> Publication | None:
    return current(organisation, PublicationKind.ACTION_PLAN)
