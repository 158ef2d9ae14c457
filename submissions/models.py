"""Submissions: numbered, immutable snapshots of a self-assessment and its plan; the sign-offs of
exactly those snapshots; the steering group's review of them; and the trail of every change.

The self-assessment's own ``status`` is the flow's state; only ``services.transition`` sets it.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from assessments.models import Section, SelfAssessment
from signatories.enums import Role
from signatories.models import Organisation
from submissions.enums import (
    LIVE_SIGN_OFF_STATES,
    AuditKind,
    Criterion,
    Decision,
    Rating,
    Reminder,
    SignOffState,
)


class Snapshot(models.Model):
    """Revision N of a self-assessment: its answers, figures and action plan exactly as they
    were. Sign-offs and reviews refer to a snapshot, never to the live draft."""

    assessment = models.ForeignKey(
        SelfAssessment, on_delete=models.CASCADE, related_name="snapshots"
    )
    revision = models.PositiveIntegerField()
    content = models.JSONField()
    content_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["assessment", "revision"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "revision"], name="one_snapshot_per_revision"
            )
        ]

    def __str__(self) -> str:
        return f"{self.assessment} – revision {self.revision}"

    def get_absolute_url(self) -> str:
        assessment = self.assessment
        return reverse(
            "submissions:snapshot",
            kwargs={
                "slug": assessment.organisation.slug,
                "pk": assessment.pk,
                "revision": self.revision,
            },
        )


def snapshot_figure_path(figure: "SnapshotFigure", filename: str) -> str:
    return f"snapshots/{figure.snapshot.assessment_id}/{figure.snapshot.revision}/{filename}"


class SnapshotFigure(models.Model):
    """A copy of a figure as it was submitted; later changes to the draft leave it alone."""

    snapshot = models.ForeignKey(Snapshot, on_delete=models.CASCADE, related_name="figures")
    question_key = models.SlugField(max_length=60)
    position = models.PositiveSmallIntegerField()
    image = models.FileField(upload_to=snapshot_figure_path)
    extension = models.CharField(max_length=5)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    caption = models.CharField(max_length=300)
    alt_text = models.CharField(max_length=500)
    sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["question_key", "position"]

    def __str__(self) -> str:
        return self.caption


class SignOff(models.Model):
    """One required signature on one snapshot: requested, then signed or declined; voided when
    what it signed is no longer what will be submitted."""

    snapshot = models.ForeignKey(Snapshot, on_delete=models.CASCADE, related_name="sign_offs")
    role = models.CharField(max_length=20, choices=Role.choices)
    title = models.CharField(max_length=120, help_text="As the form prints it.")
    position = models.PositiveSmallIntegerField(default=0)
    state = models.CharField(
        max_length=20, choices=SignOffState.choices, default=SignOffState.REQUESTED
    )
    requested_at = models.DateTimeField(default=timezone.now)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="sign_offs"
    )
    signed_name = models.CharField(max_length=150, blank=True)
    signed_job_title = models.CharField(max_length=150, blank=True)
    declaration = models.TextField(blank=True)
    signed_at = models.DateTimeField(null=True, blank=True)
    signed_hash = models.CharField(
        max_length=64, blank=True, help_text="The snapshot's content hash when it was signed."
    )
    declined_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.TextField(blank=True)
    voided_at = models.DateTimeField(null=True, blank=True)
    void_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["snapshot", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["snapshot", "role"],
                condition=Q(state__in=sorted(LIVE_SIGN_OFF_STATES)),
                name="one_live_sign_off_per_role",
            )
        ]

    def __str__(self) -> str:
        return f"{self.title}: {self.get_state_display()}"

    @property
    def is_signed(self) -> bool:
        return self.state == SignOffState.SIGNED


class AuditEntry(models.Model):
    """The trail shown on a submission: every state change and sign-off, who and when."""

    assessment = models.ForeignKey(
        SelfAssessment, on_delete=models.CASCADE, related_name="audit_entries"
    )
    kind = models.CharField(max_length=20, choices=AuditKind.choices)
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    revision = models.PositiveIntegerField(null=True, blank=True)
    message = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_kind_display()}: {self.message}"


# --- The steering group's review ---------------------------------------------------------------


class ReviewRound(models.Model):
    """Submissions are reviewed in rounds, two a year."""

    name = models.CharField(max_length=80, unique=True)
    starts_on = models.DateField()
    ends_on = models.DateField()

    class Meta:
        ordering = ["-starts_on"]

    def __str__(self) -> str:
        return self.name


class Reviewer(models.Model):
    """A volunteer in the reviewer pool, often a technician at another signatory."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reviewer_profile"
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Where the reviewer works; they never review it.",
    )
    trained_on = models.DateField("training completed on", null=True, blank=True)
    available_in = models.ManyToManyField(ReviewRound, blank=True, related_name="reviewers")
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["user__full_name"]

    def __str__(self) -> str:
        return str(self.user)


class Assignment(models.Model):
    """A reviewer assigned to a self-assessment in a round."""

    assessment = models.ForeignKey(
        SelfAssessment, on_delete=models.CASCADE, related_name="assignments"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assignments"
    )
    round = models.ForeignKey(
        ReviewRound, on_delete=models.SET_NULL, null=True, blank=True, related_name="assignments"
    )
    assigned_at = models.DateTimeField(default=timezone.now)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "reviewer"],
                name="assigned_once",
                violation_error_message="This reviewer is already assigned.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} reviews {self.assessment}"


class SectionComment(models.Model):
    """A reviewer's comment on one section of one snapshot. Comments for the organisation are
    released with the feedback; notes are for the reviewers only."""

    snapshot = models.ForeignKey(Snapshot, on_delete=models.CASCADE, related_name="comments")
    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.TextField()
    for_organisation = models.BooleanField(
        "share with the organisation",
        default=True,
        help_text="Otherwise a note only the reviewers see.",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["section__position", "created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:60]


class CommentReply(models.Model):
    """The organisation's reply to a released comment."""

    comment = models.ForeignKey(SectionComment, on_delete=models.CASCADE, related_name="replies")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name_plural = "comment replies"

    def __str__(self) -> str:
        return self.text[:60]


class CriterionRating(models.Model):
    """One line of a reviewer's structured assessment: reviewers only."""

    snapshot = models.ForeignKey(Snapshot, on_delete=models.CASCADE, related_name="ratings")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    criterion = models.CharField(max_length=30, choices=Criterion.choices)
    rating = models.CharField(max_length=20, choices=Rating.choices)
    note = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["snapshot", "reviewer", "criterion"], name="one_rating_per_criterion"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_criterion_display()}: {self.get_rating_display()}"


class Feedback(models.Model):
    """The overall written feedback on a snapshot and the decision; the organisation sees it
    (and the comments shared with it) once it is released."""

    snapshot = models.OneToOneField(Snapshot, on_delete=models.CASCADE, related_name="feedback")
    text = models.TextField(blank=True)
    decision = models.CharField(max_length=20, choices=Decision.choices, blank=True)
    version = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    released_at = models.DateTimeField(null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name_plural = "feedback"

    def __str__(self) -> str:
        return f"Feedback on {self.snapshot}"

    @property
    def is_released(self) -> bool:
        return self.released_at is not None


class ReminderSent(models.Model):
    """One reminder for one organisation's due date: the row that stops it going out twice."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    due_on = models.DateField()
    reminder = models.CharField(max_length=10, choices=Reminder.choices)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "due_on", "reminder"], name="each_reminder_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.get_reminder_display()} ({self.due_on})"
