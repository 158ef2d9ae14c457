"""A self-assessment for one person, reached through its organisation, or a 404."""

from django.shortcuts import get_object_or_404

from assessments.models import SelfAssessment
from assessments.queries import assessments_of
from signatories.models import Organisation
from techcommit.lookups import reached


def assessment_for(user, slug: str, pk: int, permission: str) -> SelfAssessment:
    """A self-assessment reached through its organisation; 404 for anyone without permission."""
    organisation = get_object_or_404(Organisation, slug=slug)
    return reached(
        user,
        assessments_of(organisation),
        pk,
        see="assessments.view_assessment",
        permission=permission,
    )
