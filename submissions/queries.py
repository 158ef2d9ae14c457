"""Which submissions a person may see, for lists; objects are reached through these."""

from __future__ import annotations

from django.db.models import QuerySet

from assessments.models import SelfAssessment


def assessments_assigned_to(user) -> QuerySet[SelfAssessment]:
    """The self-assessments a reviewer is assigned, never their own organisation's."""
    return (
        SelfAssessment.objects.filter(assignments__reviewer=user)
        .exclude(organisation__memberships__user=user)
        .select_related("organisation", "form_version")
        .distinct()
    )
