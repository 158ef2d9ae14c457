"""What a person should do next, in one sentence and one button: the first card of the
organisation's dashboard, and the top of a reviewer's "My reviews".

It lives here, at the top of the flow, because it reads self-assessments, their sign-offs,
feedback and reviews. Each function runs a fixed number of queries, however many sections,
sign-offs or assignments there are.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from assessments.enums import AssessmentStatus
from assessments.models import SectionCompletion, SelfAssessment
from assessments.services import due_date_for
from signatories.dashboard import Panel
from signatories.enums import SIGN_OFF_ROLES, Role
from signatories.models import Organisation
from signatories.rules import role_in
from submissions.enums import REVIEW_QUEUE_STATES, SignOffState
from submissions.models import Feedback, SignOff
from submissions.queries import assignments_of

# Released feedback on an accepted self-assessment stays the next step for this long.
FEEDBACK_SHOWN_FOR = timedelta(days=60)


@dataclass(frozen=True)
class NextStep:
    text: str
    button: str
    url: str


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _assessment_url(name: str, assessment: SelfAssessment) -> str:
    return reverse(name, args=[assessment.organisation.slug, assessment.pk])


def for_member(user, organisation: Organisation) -> NextStep | None:
    """The next step of a member of ``organisation``: signers see the sign-offs waiting for
    them; leads and contributors where their self-assessment stands."""
    role = role_in(user, organisation)
    if role is None:
        return None
    if role in SIGN_OFF_ROLES:
        return _for_signer(organisation, role) or NextStep(
            "Nothing waits for your signature. When the self-assessment is ready, you are "
            "e-mailed and it appears here.",
            "See the self-assessment list",
            reverse("assessments:list", args=[organisation.slug]),
        )
    assessment = (
        SelfAssessment.objects.filter(organisation=organisation)
        .select_related("organisation", "form_version")
        .order_by("-due_on", "-created_at", "-pk")
        .first()
    )
    if assessment is None or assessment.status == AssessmentStatus.ACCEPTED:
        if assessment is not None and (step := _released_feedback(assessment)):
            return step
        return _next_due(organisation, role)
    status = assessment.status
    if status == AssessmentStatus.DRAFT:
        return _sections(assessment)
    if status == AssessmentStatus.CHANGES_REQUESTED:
        return _released_feedback(assessment) or _sections(assessment)
    if status == AssessmentStatus.AWAITING_SIGN_OFF:
        return _for_signer(organisation, role) or _sign_offs_waiting(assessment)
    return NextStep(
        "Your self-assessment is with the steering group. You will be told when its feedback "
        "is released.",
        "See the submission",
        _assessment_url("submissions:submission", assessment),
    )


def _sign_offs_waiting(assessment: SelfAssessment) -> NextStep:
    waiting = SignOff.objects.filter(
        snapshot__assessment=assessment, state=SignOffState.REQUESTED
    ).count()
    if not waiting:
        return NextStep(
            "Every sign-off is in: submit the self-assessment to the steering group.",
            "Go to the submission",
            _assessment_url("submissions:submission", assessment),
        )
    return NextStep(
        f"{_plural(waiting, 'sign-off')} waiting before the self-assessment can be submitted.",
        "See who has signed",
        _assessment_url("submissions:submission", assessment),
    )


def _sections(assessment: SelfAssessment) -> NextStep:
    total = assessment.form_version.sections.count()
    done = SectionCompletion.objects.filter(assessment=assessment).count()
    if done >= total:
        return NextStep(
            f"Every section is done ({done} of {total}): check the self-assessment and ask for "
            "sign-off.",
            "Check and ask for sign-off",
            _assessment_url("assessments:check", assessment),
        )
    return NextStep(
        f"Continue the self-assessment: {done} of {total} sections done.",
        "Continue the self-assessment",
        _assessment_url("assessments:task_list", assessment),
    )


def _released_feedback(assessment: SelfAssessment) -> NextStep | None:
    released = (
        Feedback.objects.filter(snapshot__assessment=assessment, released_at__isnull=False)
        .order_by("-released_at")
        .values_list("released_at", flat=True)
        .first()
    )
    if released is None:
        return None
    if (
        assessment.status == AssessmentStatus.ACCEPTED
        and timezone.now() - released > FEEDBACK_SHOWN_FOR
    ):
        return None
    if assessment.status == AssessmentStatus.CHANGES_REQUESTED:
        text = "Feedback released: the steering group asks for changes. Read it first."
    else:
        text = "Feedback released: your self-assessment is accepted. Read what the reviewers said."
    return NextStep(text, "Read the feedback", _assessment_url("submissions:feedback", assessment))


def _next_due(organisation: Organisation, role: str) -> NextStep | None:
    due = due_date_for(organisation)
    if due is None:
        return None
    when = f"{due.due_on:%B %Y}"
    text = (
        f"The next self-assessment was due in {when}: it is overdue."
        if due.is_overdue
        else f"The next self-assessment is due in {when}."
    )
    url = reverse("assessments:list", args=[organisation.slug])
    if role == Role.LEAD:
        return NextStep(text + " Start it when you are ready.", "Start the self-assessment", url)
    return NextStep(text, "See the self-assessment list", url)


def _for_signer(organisation: Organisation, role: str) -> NextStep | None:
    waiting = list(
        SignOff.objects.filter(
            snapshot__assessment__organisation=organisation,
            snapshot__assessment__status=AssessmentStatus.AWAITING_SIGN_OFF,
            state=SignOffState.REQUESTED,
            role=role,
        )
        .select_related("snapshot__assessment__organisation")
        .order_by("requested_at", "pk")
    )
    if not waiting:
        return None
    first = waiting[0]
    assessment = first.snapshot.assessment
    return NextStep(
        f"{_plural(len(waiting), 'sign-off')} waiting for you: read the self-assessment and "
        "sign it, or decline with a reason.",
        "Read and sign",
        reverse("submissions:sign", args=[assessment.organisation.slug, assessment.pk, first.pk]),
    )


def for_reviewer(user, assignments=None) -> NextStep | None:
    """A reviewer's next review: the assignments still under review, earliest due first.
    ``assignments`` are the reviewer's own (``queries.assignments_of``) when the page has
    loaded them already; otherwise they are loaded here, in one query."""
    if assignments is None:
        assignments = list(assignments_of(user))
    waiting = [a for a in assignments if a.assessment.status in REVIEW_QUEUE_STATES]
    if not waiting:
        return None
    first = min(waiting, key=lambda a: (a.assessment.due_on, a.assessment.organisation.name))
    first = first.assessment
    return NextStep(
        f"{_plural(len(waiting), 'review')} waiting for you. The first is due "
        f"{first.due_on:%-d %B %Y}.",
        f"Review {first.organisation.display_name}",
        _assessment_url("submissions:review_workspace", first),
    )


def dashboard_panel(user, organisation: Organisation) -> Panel | None:
    """The dashboard's first card (registered in apps.py)."""
    step = for_member(user, organisation)
    if step is None:
        return None
    return Panel("submissions/_next_step.html", {"step": step})
