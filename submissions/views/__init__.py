"""Submission pages in two modules: the organisation's side (``flow``: submitting, signing,
reading feedback) and the steering group's (``review``: queue, assignments, reviewing)."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from assessments.models import SelfAssessment
from signatories.models import Organisation
from techcommit.permissions import may


def submission_for(
    request, slug: str, pk: int, permission: str = "submissions.view_submission"
) -> SelfAssessment:
    """A self-assessment reached through its organisation; 404 without ``permission``."""
    organisation = get_object_or_404(Organisation, slug=slug)
    assessment = get_object_or_404(
        SelfAssessment.objects.select_related("organisation", "form_version"),
        pk=pk,
        organisation=organisation,
    )
    if not may(request.user, "submissions.view_submission", assessment):
        raise Http404("No submission here.")
    if permission != "submissions.view_submission" and not may(
        request.user, permission, assessment
    ):
        raise Http404("You cannot do that here.")
    return assessment
