"""A self-assessment for one person, reached through its organisation, or a 404."""

from django.shortcuts import get_object_or_404

from assessments.enums import UNSUBMITTED_STATES
from assessments.models import SelfAssessment
from assessments.queries import assessments_of
from signatories.models import Organisation
from signatories.services import record_draft_read
from techcommit.lookups import reached


def assessment_for(user, slug: str, pk: int, permission: str) -> SelfAssessment:
    """A self-assessment reached through its organisation; 404 for anyone without permission.

    Every page, figure and PDF of a self-assessment is reached here, so this is where an
    administrator's read of a draft is kept in the organisation's audit trail."""
    organisation = get_object_or_404(Organisation, slug=slug)
    assessment = reached(
        user,
        assessments_of(organisation),
        pk,
        see="assessments.view_assessment",
        permission=permission,
    )
    if assessment.status in UNSUBMITTED_STATES:
        record_draft_read(
            user, organisation, f"the draft self-assessment due {assessment.due_on:%-d %B %Y}"
        )
    return assessment
