"""Which submissions a person may see, for lists; objects are reached through these."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone

from assessments.enums import AssessmentStatus
from assessments.models import SelfAssessment
from signatories.rules import is_member_of, is_reviewer
from submissions.models import Assignment, Reviewer, Snapshot

# --- Review work -------------------------------------------------------------------------------

# The queue shows every self-assessment that has reached the steering group: awaiting
# sign-off only when it is being signed again after changes were requested.
QUEUE_STATES = (
    AssessmentStatus.SUBMITTED,
    AssessmentStatus.UNDER_REVIEW,
    AssessmentStatus.CHANGES_REQUESTED,
    AssessmentStatus.AWAITING_SIGN_OFF,
    AssessmentStatus.ACCEPTED,
)
# "Due soon" on the queue: the due date is this many days away or fewer.
DUE_SOON_DAYS = 60


def review_queue(
    *,
    review_round=None,
    status: str = "",
    due: str = "",
    nation: str = "",
    reviewer=None,
    today: date | None = None,
) -> QuerySet[SelfAssessment]:
    """Self-assessments for the steering group, with the latest submitted revision and its
    date annotated and the assigned reviewers prefetched: one page, three queries."""
    today = today or timezone.localdate()
    latest = Snapshot.objects.filter(
        assessment=OuterRef("pk"), submitted_at__isnull=False
    ).order_by("-revision")
    queue = (
        SelfAssessment.objects.filter(status__in=QUEUE_STATES)
        .exclude(Q(status=AssessmentStatus.AWAITING_SIGN_OFF) & ~Exists(latest))
        .select_related("organisation")
        .annotate(
            latest_revision=Subquery(latest.values("revision")[:1]),
            latest_submitted_at=Subquery(latest.values("submitted_at")[:1]),
        )
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=Assignment.objects.select_related("reviewer", "round").order_by(
                    "reviewer__full_name"
                ),
            )
        )
        .order_by("due_on", "organisation__name")
    )
    if status:
        queue = queue.filter(status=status)
    if nation:
        queue = queue.filter(organisation__nation=nation)
    if review_round is not None:
        queue = queue.filter(
            pk__in=Assignment.objects.filter(round=review_round).values("assessment_id")
        )
    if reviewer is not None:
        queue = queue.filter(
            pk__in=Assignment.objects.filter(reviewer=reviewer).values("assessment_id")
        )
    if due == "overdue":
        queue = queue.exclude(status=AssessmentStatus.ACCEPTED).filter(due_on__lt=today)
    elif due == "due_soon":
        queue = queue.exclude(status=AssessmentStatus.ACCEPTED).filter(
            due_on__gte=today, due_on__lte=today + timedelta(days=DUE_SOON_DAYS)
        )
    return queue


def assignments_of(user) -> QuerySet[Assignment]:
    """A reviewer's own assignments: ``rules.is_assigned_reviewer`` as a query, so never on
    their own organisation's self-assessment nor on the one their pool entry names."""
    latest = Snapshot.objects.filter(
        assessment=OuterRef("assessment_id"), submitted_at__isnull=False
    ).order_by("-revision")
    home = Reviewer.objects.filter(
        user=user, organisation_id=OuterRef("assessment__organisation_id")
    )
    return (
        Assignment.objects.filter(reviewer=user)
        .exclude(assessment__organisation__memberships__user=user)
        .exclude(Exists(home))
        .select_related("assessment__organisation", "round")
        .annotate(
            latest_revision=Subquery(latest.values("revision")[:1]),
            latest_submitted_at=Subquery(latest.values("submitted_at")[:1]),
        )
        .order_by("assessment__due_on", "assessment__organisation__name")
    )


def submissions_assigned_to(user, organisation) -> list[tuple[SelfAssessment, str]]:
    """The organisation's self-assessments this reviewer may open as its assigned reviewer,
    each with its submission page: ``rules.is_assigned_reviewer`` as a query (never their own
    organisation, nor the one their pool entry names). Registered with assessments' list."""
    if not is_reviewer(user) or is_member_of(user, organisation):
        return []
    home = user.reviewer_profile.organisation_id if hasattr(user, "reviewer_profile") else None
    if home == organisation.pk:
        return []
    assessments = (
        SelfAssessment.objects.filter(organisation=organisation, assignments__reviewer=user)
        .select_related("form_version", "organisation")
        .distinct()
    )
    return [
        (a, reverse("submissions:submission", args=[organisation.slug, a.pk])) for a in assessments
    ]


def reviewers_who_may_review(assessment: SelfAssessment) -> QuerySet[Reviewer]:
    """The active pool, less anyone who works at or belongs to the organisation under review."""
    return (
        Reviewer.objects.filter(active=True, user__is_active=True, user__is_reviewer=True)
        .exclude(organisation_id=assessment.organisation_id)
        .exclude(user__memberships__organisation_id=assessment.organisation_id)
        .exclude(user__assignments__assessment=assessment)
        .select_related("user", "organisation")
        .prefetch_related("available_in")
    )
