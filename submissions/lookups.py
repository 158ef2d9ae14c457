"""A submission (a self-assessment in the flow) for one person, reached through its
organisation, or a 404."""

from django.shortcuts import get_object_or_404

from assessments.models import SelfAssessment
from signatories.models import Organisation
from techcommit.lookups import reached


def submission_for(
    user, slug: str, pk: int, permission: str = "submissions.view_submission"
) -> SelfAssessment:
    """A self-assessment reached through its organisation; 404 without ``permission``."""
    organisation = get_object_or_404(Organisation, slug=slug)
    assessments = SelfAssessment.objects.select_related("organisation", "form_version").filter(
        organisation=organisation
    )
    return reached(user, assessments, pk, see="submissions.view_submission", permission=permission)
