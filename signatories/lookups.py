"""One object for one person, reached through its organisation: the object, or a 404 for anyone
who may not see it, so that outsiders never learn it exists. Views of every app use these."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from signatories.models import Organisation


def organisation_for(user, slug: str, permission: str) -> Organisation:
    """The organisation at ``slug``, or 404 for anyone without ``permission`` on it."""
    organisation = get_object_or_404(Organisation, slug=slug)
    if not user.has_perm(permission, organisation):
        raise Http404("No organisation here.")
    return organisation
