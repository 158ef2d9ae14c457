"""One consultation for one person, through its organisation: the object or a 404."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from consultations.models import Consultation


def consultation_for(user, slug: str, pk: int, permission: str) -> Consultation:
    consultation = get_object_or_404(
        Consultation.objects.select_related("organisation"), pk=pk, organisation__slug=slug
    )
    if not user.has_perm(permission, consultation):
        raise Http404("No consultation here.")
    return consultation
