"""One consultation (or organisation) for one person, reached through its organisation: the
object or a 404. Permissions come from the rules alone (techcommit.permissions.may): being a
superuser opens the admin, not every organisation's consultations."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from consultations.models import Consultation
from signatories.models import Organisation
from techcommit.permissions import may


def organisation_for(user, slug: str, permission: str) -> Organisation:
    organisation = get_object_or_404(Organisation, slug=slug)
    if not may(user, permission, organisation):
        raise Http404("No organisation here.")
    return organisation


def consultation_for(user, slug: str, pk: int, permission: str) -> Consultation:
    consultation = get_object_or_404(
        Consultation.objects.select_related("organisation"), pk=pk, organisation__slug=slug
    )
    if not may(user, permission, consultation):
        raise Http404("No consultation here.")
    return consultation
