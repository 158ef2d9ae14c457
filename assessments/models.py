from django.core.exceptions import ValidationError
from django.db import models

from assessments.enums import CycleMonths


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
    cycle_months = models.PositiveSmallIntegerField(
        "cycle",
        choices=CycleMonths.choices,
        help_text="The next self-assessment is due this long after one made with this version.",
    )
    plan_horizon_months = models.PositiveSmallIntegerField(
        "action plan horizon (months)", choices=CycleMonths.choices
    )

    class Meta:
        ordering = ["in_use_from"]

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
