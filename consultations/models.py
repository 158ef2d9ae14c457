"""Technician voice consultations.

Anonymity is a property of the tables, not of the pages: a ``Response`` holds its consultation
and the day it was given, nothing else (no account, address, IP or time of day); its answers
point at it, and free-text comments live in ``Comment``, which has no link to a response, no date
and a random primary key, so that neither a join nor an order of insertion ties a comment to the
other answers of the person who wrote it. Invitations keep only the hash of their single-use
token and whether it was used; the address goes to the outbox and nowhere else.

So that a respondent can withdraw (UK GDPR), each response and each of its comments keeps a
hash derived from a withdrawal code shown to the respondent once and stored nowhere: the
response's is the code's hash for "response", each comment's the code's hash for its
question, so no two rows share a value and, without the code, nothing ties them together.
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from assessments.models import SelfAssessment, Theme
from consultations.enums import (
    AGREEMENT_SCALE,
    CHOICE_KINDS,
    DEFAULT_THRESHOLD,
    MIN_THRESHOLD,
    CommentStatus,
    ConsultationStatus,
    QuestionKind,
)
from signatories.models import Organisation
from techcommit.models import StatusChange


def check_question(kind: str, theme, choices: list) -> None:
    """What every question must hold for its kind (the model's clean() and the forms use it)."""
    if kind == QuestionKind.AGREEMENT and theme is None:
        raise ValidationError({"theme": "Choose the theme this statement is about."})
    if kind in CHOICE_KINDS and len(choices) < 2:
        raise ValidationError({"choices": "Give at least two choices, one a line."})


class SharedQuestion(models.Model):
    """A question of the sector-wide set administrators keep, so that results compare across
    organisations (the sector view reads agreement questions drawn from it)."""

    kind = models.CharField(max_length=20, choices=QuestionKind.choices)
    text = models.CharField(max_length=300)
    theme = models.ForeignKey(Theme, on_delete=models.PROTECT, null=True, blank=True)
    choices = models.JSONField(default=list, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(default=True, help_text="Offered to new consultations.")

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.text

    def clean(self):
        check_question(self.kind, self.theme, self.choices or [])


class Consultation(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="consultations"
    )
    title = models.CharField(max_length=200)
    introduction = models.TextField(blank=True, help_text="Stored sanitised.")
    closes_on = models.DateField("closing date")
    threshold = models.PositiveSmallIntegerField(
        "smallest group shown",
        default=DEFAULT_THRESHOLD,
        help_text=f"Results of fewer respondents are never shown (at least {MIN_THRESHOLD}).",
    )
    sector_consent = models.BooleanField(
        "share with the steering group",
        default=False,
        help_text="Agreement per theme from the shared questions joins the sector's figures.",
    )
    status = models.CharField(
        max_length=20, choices=ConsultationStatus.choices, default=ConsultationStatus.DRAFT
    )
    link_token = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    closed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-closes_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(threshold__gte=MIN_THRESHOLD),
                name="consultation_threshold_at_least_3",
                violation_error_message=f"The smallest group shown must be at least "
                f"{MIN_THRESHOLD}.",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("consultations:detail", args=[self.organisation.slug, self.pk])

    @property
    def is_accepting(self) -> bool:
        return self.status == ConsultationStatus.OPEN and timezone.localdate() <= self.closes_on


class ConsultationQuestion(models.Model):
    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="questions"
    )
    position = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=20, choices=QuestionKind.choices)
    text = models.CharField(max_length=300)
    theme = models.ForeignKey(Theme, on_delete=models.PROTECT, null=True, blank=True)
    choices = models.JSONField(default=list, blank=True)
    shared = models.ForeignKey(
        SharedQuestion, on_delete=models.SET_NULL, null=True, blank=True, related_name="uses"
    )

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "position"], name="one_consultation_question_per_position"
            )
        ]

    def __str__(self) -> str:
        return self.text

    def clean(self):
        check_question(self.kind, self.theme, self.choices or [])

    @property
    def options(self) -> list[str]:
        """The labels of the stored values 1..n (the scale for an agreement statement)."""
        return AGREEMENT_SCALE if self.kind == QuestionKind.AGREEMENT else list(self.choices)


class Response(models.Model):
    """One person's answers. Deliberately nothing but the consultation, the day and the hash
    its withdrawal code leads to."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="responses"
    )
    submitted_on = models.DateField()
    # See the module's docstring. NULL (not "", which would collide in the unique index) for
    # answers given before withdrawal codes existed.
    withdrawal_hash = models.CharField(  # noqa: DJ001
        max_length=64, unique=True, null=True, editable=False
    )

    def __str__(self) -> str:
        return f"A response to {self.consultation}"


class Answer(models.Model):
    """One chosen value (1..n) of one question; a multiple-choice answer is a row per choice."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(
        ConsultationQuestion, on_delete=models.CASCADE, related_name="answers"
    )
    value = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question", "value"], name="one_consultation_answer_per_value"
            )
        ]

    def __str__(self) -> str:
        return f"{self.question}: {self.value}"


class Comment(models.Model):
    """A free-text answer, apart from the response it came with (see the module's docstring)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="comments"
    )
    question = models.ForeignKey(
        ConsultationQuestion, on_delete=models.CASCADE, related_name="comments"
    )
    text = models.TextField()
    status = models.CharField(
        max_length=20, choices=CommentStatus.choices, default=CommentStatus.PENDING
    )
    withdrawal_hash = models.CharField(  # noqa: DJ001 - as Response's
        max_length=64, unique=True, null=True, editable=False
    )

    class Meta:
        ordering = ["id"]  # random: never the order they were given in

    def __str__(self) -> str:
        return self.text[:60]


class Invitation(models.Model):
    """A single-use link sent to one address. Only the token's hash is kept, never the
    address."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="invitations"
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    used = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"An invitation to {self.consultation}"


class Attachment(models.Model):
    """A closed consultation's summary as an appendix of a self-assessment; published with it
    only when ``publish`` is set."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="attachments"
    )
    assessment = models.ForeignKey(
        SelfAssessment, on_delete=models.CASCADE, related_name="consultation_attachments"
    )
    publish = models.BooleanField("publish with the self-assessment", default=False)
    attached_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    attached_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["attached_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "assessment"], name="attach_a_consultation_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.consultation} attached to {self.assessment}"


class ConsultationStatusChange(StatusChange):
    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="status_changes"
    )

    class Meta(StatusChange.Meta):
        pass
