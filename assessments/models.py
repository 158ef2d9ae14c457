from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from assessments.enums import (
    OPEN_STATES,
    RICH_TEXT_KINDS,
    AssessmentStatus,
    CycleMonths,
    Prefill,
    QuestionKind,
)
from signatories.enums import Role
from signatories.models import Organisation


class Theme(models.Model):
    """A theme of the Commitment. The four pledged themes are asked about one by one."""

    slug = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=80, unique=True)
    description = models.TextField()
    position = models.PositiveSmallIntegerField()
    asked_per_theme = models.BooleanField(
        default=True, help_text="Per-theme questions have one answer box for this theme."
    )

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return self.name


class ExampleActivity(models.Model):
    """Appendix A of the official guidance: example activities under each theme."""

    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="examples")
    text = models.CharField(max_length=300)
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["theme__position", "position"]
        verbose_name_plural = "example activities"

    def __str__(self) -> str:
        return self.text


class FormVersion(models.Model):
    """A version of the self-assessment form, as data.

    The version in use on a date is the one with the latest ``in_use_from`` on or before it. Its
    cycle sets when the next self-assessment falls due after one made with it.
    """

    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=60, unique=True)
    in_use_from = models.DateField(
        unique=True, help_text="Self-assessments from this date on use this version."
    )
    for_first_assessment = models.BooleanField(
        "used for first self-assessments",
        default=True,
        help_text="Untick for a form that evaluates a previous action plan.",
    )
    cycle_months = models.PositiveSmallIntegerField(
        "cycle",
        choices=CycleMonths.choices,
        help_text="The next self-assessment is due this long after one made with this version.",
    )
    plan_horizon_months = models.PositiveSmallIntegerField(
        "action plan horizon (months)", choices=CycleMonths.choices
    )
    guidance = models.TextField(blank=True, help_text="Shown at the top of the task list.")
    # Whether a resubmission whose content differs from what was signed must be signed again
    # before it is submitted. On unless the steering group turns it off, saying why
    # (services.set_sign_off_policy records who and when).
    resign_on_change = models.BooleanField(
        "signers sign again when a resubmission changes",
        default=True,
        help_text="After changes are requested, a revised self-assessment is signed again "
        "before it is submitted, so that the signatures cover what is published.",
    )
    resign_off_reason = models.TextField(
        "why signers are not asked again",
        blank=True,
        help_text="Shown to the organisation and printed with the earlier signatures.",
    )
    sign_off_policy_changed_at = models.DateTimeField(null=True, blank=True)
    sign_off_policy_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["in_use_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(resign_on_change=True) | ~Q(resign_off_reason=""),
                name="resign_off_has_a_reason",
                violation_error_message="Say why signers are not asked to sign again.",
            )
        ]

    def __str__(self) -> str:
        return self.name


class CohortDeadline(models.Model):
    """A sector-wide deadline: every organisation that signed in a date range is due on one date.

    It applies to an organisation's next self-assessment until it submits one on or after
    ``counts_from``; then the organisation's own cycle takes over again.
    """

    name = models.CharField(
        max_length=150, help_text="For example: 2024 round for early signatories."
    )
    signed_from = models.DateField("signed on or after")
    signed_until = models.DateField("signed on or before")
    due_on = models.DateField("due on")
    counts_from = models.DateField(
        "self-assessments count from",
        help_text="A self-assessment submitted on or after this date meets the deadline.",
    )

    class Meta:
        ordering = ["due_on", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(signed_from__lte=models.F("signed_until")),
                name="cohort_range_in_order",
                violation_error_message="The signing range must end on or after its start.",
            ),
            models.CheckConstraint(
                condition=models.Q(counts_from__lte=models.F("due_on")),
                name="cohort_counts_before_due",
                violation_error_message="Self-assessments must start counting before the deadline.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} (due {self.due_on:%d %B %Y})"

    def clean(self):
        super().clean()
        if self.signed_from and self.signed_until and self.signed_from > self.signed_until:
            raise ValidationError(
                {"signed_until": "The signing range must end on or after its start."}
            )
        if self.counts_from and self.due_on and self.counts_from > self.due_on:
            raise ValidationError({"counts_from": "This must be on or before the due date."})

    def covers(self, signed_on) -> bool:
        return self.signed_from <= signed_on <= self.signed_until


class SignOffRequirement(models.Model):
    """A signature the form version asks for, in order."""

    form_version = models.ForeignKey(
        FormVersion, on_delete=models.CASCADE, related_name="sign_offs"
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    title = models.CharField(
        max_length=120, help_text="As printed, e.g. Signatory – Leader of Institution."
    )
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["form_version", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["form_version", "role"],
                name="one_sign_off_per_role",
                violation_error_message="This form already asks this role to sign.",
            )
        ]

    def __str__(self) -> str:
        return self.title


class Section(models.Model):
    form_version = models.ForeignKey(FormVersion, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=150)
    guidance = models.TextField(blank=True)

    class Meta:
        ordering = ["form_version", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["form_version", "position"],
                name="one_section_per_position",
                violation_error_message="Another section already has this position.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"


class Question(models.Model):
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField()
    key = models.SlugField(
        max_length=60,
        help_text="The same key in two versions means the same question: answers carry over.",
    )
    kind = models.CharField(max_length=20, choices=QuestionKind.choices)
    text = models.TextField("question")
    guidance = models.TextField(blank=True)
    required = models.BooleanField(default=True)
    word_limit = models.PositiveIntegerField(null=True, blank=True)
    prefill = models.CharField(max_length=30, choices=Prefill.choices, blank=True, default="")

    class Meta:
        ordering = ["section__position", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["section", "position"],
                name="one_question_per_position",
                violation_error_message="Another question of this section has this position.",
            )
        ]

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def is_rich(self) -> bool:
        """Answers of this kind are rich text: paragraphs, lists and links."""
        return self.kind in RICH_TEXT_KINDS

    def clean(self):
        super().clean()
        if self.word_limit and self.kind not in {QuestionKind.LONG_TEXT, QuestionKind.PER_THEME}:
            raise ValidationError({"word_limit": "Only long and per-theme answers have a limit."})
        clash = Question.objects.filter(
            section__form_version_id=self.section.form_version_id, key=self.key
        ).exclude(pk=self.pk)
        if self.section_id and clash.exists():
            raise ValidationError({"key": "Another question of this form has this key."})


class SelfAssessment(models.Model):
    """One organisation's self-assessment for one cycle (the due date it answers)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="self_assessments"
    )
    form_version = models.ForeignKey(FormVersion, on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField("due on")
    status = models.CharField(
        max_length=20, choices=AssessmentStatus.choices, default=AssessmentStatus.DRAFT
    )
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-due_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "due_on"],
                condition=Q(status__in=sorted(OPEN_STATES)),
                name="one_open_assessment_per_cycle",
                violation_error_message="This self-assessment has already been started.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} self-assessment due {self.due_on:%d %B %Y}"

    def get_absolute_url(self) -> str:
        return reverse(
            "assessments:task_list", kwargs={"slug": self.organisation.slug, "pk": self.pk}
        )


class Answer(models.Model):
    """One answer box. A per-theme question has one per theme.

    ``version`` counts saves: a save names the version it started from and succeeds only if
    that is still the latest (see services.save_answer), so nobody overwrites a colleague.
    """

    assessment = models.ForeignKey(SelfAssessment, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    theme = models.ForeignKey(
        Theme, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    text = models.TextField(blank=True)
    flag = models.BooleanField(null=True, blank=True)
    version = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "question"],
                condition=Q(theme__isnull=True),
                name="one_answer_per_question",
            ),
            models.UniqueConstraint(
                fields=["assessment", "question", "theme"],
                condition=Q(theme__isnull=False),
                name="one_answer_per_question_theme",
            ),
        ]

    def __str__(self) -> str:
        return f"Answer to {self.question} ({self.theme or 'whole'})"


class AnswerRevision(models.Model):
    """Every saved version of an answer, with who saved it and when."""

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="revisions")
    version = models.PositiveIntegerField()
    text = models.TextField(blank=True)
    flag = models.BooleanField(null=True, blank=True)
    saved_at = models.DateTimeField(default=timezone.now)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    restored_from = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["answer", "version"], name="one_revision_per_version")
        ]

    def __str__(self) -> str:
        return f"Version {self.version} of {self.answer}"


class SectionCompletion(models.Model):
    """A section someone has explicitly marked as complete."""

    assessment = models.ForeignKey(
        SelfAssessment, on_delete=models.CASCADE, related_name="completions"
    )
    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="+")
    completed_at = models.DateTimeField(default=timezone.now)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "section"], name="one_completion_per_section"
            )
        ]

    def __str__(self) -> str:
        return f"{self.section} completed"


def figure_path(figure: "Figure", filename: str) -> str:
    # The stored name never comes from the person's file name.
    return f"figures/{figure.assessment_id}/{figure.token}.{figure.extension}"


class Figure(models.Model):
    """An uploaded image in a figures answer, in order, with caption and alternative text."""

    assessment = models.ForeignKey(SelfAssessment, on_delete=models.CASCADE, related_name="figures")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField()
    image = models.FileField(upload_to=figure_path)
    token = models.CharField(max_length=32, unique=True, editable=False)
    extension = models.CharField(max_length=5, editable=False)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    caption = models.CharField(max_length=300)
    alt_text = models.CharField("alternative text", max_length=500)
    uploaded_at = models.DateTimeField(default=timezone.now)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["question", "position"]

    def __str__(self) -> str:
        return self.caption
