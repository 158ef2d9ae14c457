"""Action plans: what an organisation commits to for one cycle, and how it is going.

A plan has headings (the Commitment's four themes, always, plus the organisation's own), an owner
key, a status scale in its own words, and actions under the headings. Progress reviews are dated
snapshots of every action's status. Actions carried into the next cycle keep a ``lineage`` shared
with their earlier selves, so their history reads as one.
"""

import uuid
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from actionplans.enums import (
    DEFAULT_STATUS_WORDING,
    PlanStatus,
    Status,
    TimingStyle,
)
from assessments.enums import EDITABLE_STATES, UNSUBMITTED_STATES
from assessments.models import SelfAssessment, Theme
from signatories.models import Organisation
from techcommit.models import StatusChange


def original_path(plan: "ActionPlan", filename: str) -> str:
    """Where an earlier plan's original PDF is kept: under the organisation, with a name nobody
    can guess (the file is served only through ``actionplans:original``, never from MEDIA_URL)."""
    return f"earlier-plans/{plan.organisation_id}/{uuid.uuid4().hex}.pdf"


def month_label(month: date | None) -> str:
    """'Oct 2018', the way plans name months."""
    return f"{month:%b %Y}" if month else ""


class ActionPlan(models.Model):
    """One organisation's action plan for one cycle (the self-assessment it goes with)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="action_plans"
    )
    assessment = models.OneToOneField(
        SelfAssessment,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="action_plan",
        help_text="The self-assessment of the cycle this plan belongs to.",
    )
    title = models.CharField(max_length=200)
    starts_on = models.DateField("first month", help_text="The plan's first month.")
    ends_on = models.DateField("last month", help_text="The plan's last month.")
    horizon_months = models.PositiveSmallIntegerField(
        "horizon", choices=[(24, "24 months"), (36, "36 months")], default=24
    )
    status = models.CharField(max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    timing_style = models.CharField(
        max_length=10, choices=TimingStyle.choices, default=TimingStyle.PHASES
    )
    previous = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="next_plans",
        help_text="The previous cycle's plan this one was started from.",
    )
    # A plan of an earlier cycle, approved outside the portal before it existed: the day it was
    # approved, and the original document as it was approved (actionplans.services.
    # record_earlier_plan). Such a plan can carry progress reviews that are published.
    approved_outside_on = models.DateField(
        "approved before the portal on",
        null=True,
        blank=True,
        help_text="Set for a plan of an earlier cycle, approved before the portal existed.",
    )
    original_pdf = models.FileField(upload_to=original_path, blank=True)
    original_public = models.BooleanField(
        "show the original PDF on the public page",
        default=False,
        help_text="The original is public once the lead chooses so; until then only the "
        "organisation's members and the portal's administrators can open it.",
    )
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="plan_ends_after_it_starts",
                violation_error_message="The last month comes before the first.",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("actionplans:plan", kwargs={"slug": self.organisation.slug, "pk": self.pk})

    @property
    def period_label(self) -> str:
        return f"{month_label(self.starts_on)} to {month_label(self.ends_on)}"

    @property
    def is_earlier(self) -> bool:
        """A plan of an earlier cycle, approved before the portal."""
        return self.approved_outside_on is not None

    @property
    def has_public_original(self) -> bool:
        return bool(self.original_pdf) and self.original_public

    @property
    def assessment_allows_changes(self) -> bool:
        """A plan attached to a self-assessment is frozen with it while it is signed off,
        submitted or reviewed."""
        return self.assessment_id is None or self.assessment.status in EDITABLE_STATES

    @property
    def is_unsubmitted_draft(self) -> bool:
        """A draft the organisation has not submitted with its self-assessment yet (a plan of
        an earlier cycle was approved outside the portal: it is no draft, whatever its status)."""
        return (
            self.status == PlanStatus.DRAFT
            and not self.is_earlier
            and (self.assessment_id is None or self.assessment.status in UNSUBMITTED_STATES)
        )

    @property
    def years(self) -> list[int]:
        """The calendar years a focus-year plan ticks."""
        return list(range(self.starts_on.year, self.ends_on.year + 1))


class PlanStatusChange(StatusChange):
    """A change of a plan's status (draft, approved, published): its history."""

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="status_changes")

    class Meta(StatusChange.Meta):
        pass

    @property
    def from_label(self) -> str:
        return PlanStatus(self.from_status).label

    @property
    def to_label(self) -> str:
        return PlanStatus(self.to_status).label


class Heading(models.Model):
    """A group of actions: one of the Commitment's themes, or the organisation's own heading."""

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="headings")
    theme = models.ForeignKey(
        Theme, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    own_name = models.CharField(
        "name", max_length=120, blank=True, help_text="Only for the organisation's own headings."
    )
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "theme"],
                condition=Q(theme__isnull=False),
                name="each_theme_once_per_plan",
            ),
            models.CheckConstraint(
                condition=Q(theme__isnull=False) | ~Q(own_name=""),
                name="own_headings_have_a_name",
                violation_error_message="Give the heading a name.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.theme.name if self.theme_id else self.own_name

    @property
    def description(self) -> str:
        return self.theme.description if self.theme_id else ""

    @property
    def is_theme(self) -> bool:
        return self.theme_id is not None


class OwnerCode(models.Model):
    """A line of the plan's key: PL stands for Project Lead."""

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="owner_codes")
    code = models.CharField(max_length=12)
    title = models.CharField("stands for", max_length=120)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "code"],
                name="owner_code_once_per_plan",
                violation_error_message="The key already has this code.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} – {self.title}"


class StatusWording(models.Model):
    """The organisation's own word for a canonical status ("Delayed" for red)."""

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="status_wordings")
    status = models.CharField(max_length=20, choices=Status.choices)
    label = models.CharField(max_length=60)
    description = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["plan", "status"], name="one_wording_per_status")
        ]

    def __str__(self) -> str:
        return self.label


class Phase(models.Model):
    """A named phase of a phased plan: Phase 1, June 2017 to May 2018."""

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="phases")
    name = models.CharField(max_length=60)
    starts_on = models.DateField("first month")
    ends_on = models.DateField("last month")
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="phase_ends_after_it_starts",
                violation_error_message="The phase's last month comes before its first.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.period_label})"

    @property
    def period_label(self) -> str:
        return f"{month_label(self.starts_on)} to {month_label(self.ends_on)}"


class ActionQuerySet(models.QuerySet):
    def live(self):
        return self.filter(deleted_at__isnull=True)


class Action(models.Model):
    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="actions")
    heading = models.ForeignKey(Heading, on_delete=models.PROTECT, related_name="actions")
    position = models.PositiveIntegerField()
    title = models.CharField("action", max_length=500)
    description = models.TextField(blank=True)
    led_by = models.CharField(
        "led by",
        max_length=120,
        blank=True,
        help_text="Codes from the plan's key, separated by slashes: PS/PL/G.",
    )
    target_on = models.DateField("target date", null=True, blank=True)
    focus_years = models.JSONField(default=list, blank=True)
    success_criteria = models.TextField("success criteria / evidence of impact", blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NOT_STARTED)
    comment = models.TextField(blank=True)
    carried_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="carried_into",
        help_text="The same action in the previous cycle's plan.",
    )
    lineage = models.UUIDField(default=uuid.uuid4, editable=False, db_index=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    deleted_at = models.DateTimeField(null=True, blank=True)

    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["heading__position", "position", "pk"]
        indexes = [models.Index(fields=["plan", "heading", "position"])]

    def __str__(self) -> str:
        return self.title

    @property
    def owner_codes(self) -> list[str]:
        return [code for code in self.led_by.split("/") if code]


class PhaseTarget(models.Model):
    """The month an action is due in one phase (Oct 2018 in Phase 2)."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="phase_targets")
    phase = models.ForeignKey(Phase, on_delete=models.CASCADE, related_name="targets")
    month = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["action", "phase"], name="one_target_per_phase")
        ]

    def __str__(self) -> str:
        return month_label(self.month)


class ProgressReview(models.Model):
    """A dated snapshot of the plan: every action's status and a comment (the RAG analysis)."""

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="reviews")
    reviewed_on = models.DateField("date of the review")
    period_from = models.DateField("period covered from")
    period_to = models.DateField("period covered to")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    overall_status = models.CharField(
        "overall status", max_length=20, choices=Status.choices, default=Status.AMBER
    )
    summary = models.TextField(blank=True)
    appended_to = models.ForeignKey(
        SelfAssessment,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="appended_reviews",
        help_text="The later self-assessment this review is appended to, as its RAG analysis "
        "of an earlier plan (services.append_review).",
    )
    finalised_at = models.DateTimeField(null=True, blank=True)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-reviewed_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_to__gte=models.F("period_from")),
                name="review_period_ends_after_it_starts",
                violation_error_message="The period ends before it starts.",
            )
        ]

    def __str__(self) -> str:
        return f"Progress review of {self.reviewed_on:%-d %B %Y}"

    @property
    def is_final(self) -> bool:
        return self.finalised_at is not None

    @property
    def is_attached_to_frozen_assessment(self) -> bool:
        """Appended to a self-assessment that is awaiting sign-off, submitted, under review or
        accepted: what was signed (and may be published) includes this review as it stands, so
        it may be neither changed nor reopened until that self-assessment is editable again."""
        return self.appended_to_id is not None and self.appended_to.status not in EDITABLE_STATES

    @property
    def is_published(self) -> bool:
        """Published at some time (publications.Publication points at it), withdrawn or not."""
        return self.publications.exists()

    def may_reopen(self) -> bool:
        """Whether the lead may reopen this final review to correct it: until it is published,
        and not while a self-assessment it is appended to is frozen for signing, review or
        publication. The one predicate every check of reopening asks (``services.reopen_review``,
        the page's button)."""
        return self.is_final and not self.is_published and not self.is_attached_to_frozen_assessment


def heading_name_sql(path: str = "") -> Coalesce:
    """``Heading.name`` in SQL, for the heading at ``path`` ("heading__" from an action): the
    theme's name, or the organisation's own name for its heading."""
    return Coalesce(f"{path}theme__name", f"{path}own_name")


def keep_record(collector, field, sub_objs, recorded: dict) -> None:
    """An ``on_delete`` that keeps the rows pointing at what is deleted: it records on each row
    what it showed of the deleted object (``recorded``: the row's field -> an expression on the
    deleted object's model), then has the link set to null. Two updates, however many rows.
    The record is written at once (if the deletion then fails, no harm: it is read only once
    the link is null); the link is set to null with the deletion."""
    target = field.remote_field.model._base_manager.filter(pk=OuterRef(field.attname))
    sub_objs.update(
        **{name: Subquery(target.values(v=value)[:1]) for name, value in recorded.items()}
    )
    collector.add_field_update(field, None, sub_objs)


def keep_heading_name(collector, field, sub_objs, using):
    """``on_delete`` of an achievement's heading: the achievement stays (an update paper is a
    document the lead wrote), its heading set to null and the heading's name recorded on it, so
    it is still shown under that name. Whichever way a heading is deleted."""
    keep_record(collector, field, sub_objs, {"heading_name": heading_name_sql()})


def keep_action_record(collector, field, sub_objs, using):
    """``on_delete`` of a review entry's action: the entry stays (a review is a record of what
    was reported, perhaps published), its action set to null and the action's title, number
    and heading's name recorded on it, so the review still shows it where it was. Whichever
    way an action is deleted."""
    keep_record(
        collector,
        field,
        sub_objs,
        {
            "action_title": F("title"),
            "action_number": F("pk"),
            "heading_name": heading_name_sql("heading__"),
        },
    )


class ReviewEntry(models.Model):
    """One action's status and comment in one progress review. The entry outlives its action:
    once the action is deleted from the plan, its title, number and heading's name are kept on
    the entry (``keep_action_record``)."""

    review = models.ForeignKey(ProgressReview, on_delete=models.CASCADE, related_name="entries")
    action = models.ForeignKey(
        Action, on_delete=keep_action_record, null=True, related_name="review_entries"
    )  # null only once the action is deleted; an entry is made for an action
    status = models.CharField(max_length=20, choices=Status.choices)
    comment = models.TextField(blank=True)
    action_title = models.CharField(
        "title of the deleted action",
        max_length=500,
        blank=True,
        help_text="Kept when the action is deleted from the plan.",
    )
    action_number = models.PositiveIntegerField(
        "number of the deleted action",
        null=True,
        blank=True,
        help_text="Kept when the action is deleted from the plan: its reference in exports.",
    )
    heading_name = models.CharField(
        "heading of the deleted action",
        max_length=120,
        blank=True,
        help_text="Kept when the action is deleted from the plan.",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["review", "action"], name="one_entry_per_action")
        ]

    def __str__(self) -> str:
        return f"{self.title}: {self.get_status_display()}"

    @property
    def in_plan(self) -> bool:
        """False once its action is deleted from the plan (its record kept on the entry)."""
        return self.action_id is not None

    @property
    def title(self) -> str:
        """The action's title, or the title it had when it was deleted."""
        return self.action.title if self.action_id else self.action_title


def default_wording() -> list[tuple[str, str, str]]:
    return [(status, *DEFAULT_STATUS_WORDING[status]) for status in Status]


class UpdatePaper(models.Model):
    """A progress report for governance made from a finalised progress review: its own title and
    date, an introduction (sanitised rich text), achievements per theme and plan period, the
    steering group's feedback quoted with its source, and next steps with a deadline. It is
    published as a document of its own (publications.services.publish_update_paper)."""

    review = models.ForeignKey(
        ProgressReview, on_delete=models.CASCADE, related_name="update_papers"
    )
    title = models.CharField(max_length=200)
    dated_on = models.DateField("date of the paper")
    introduction = models.TextField(blank=True)
    feedback = models.TextField("steering group's feedback", blank=True)
    feedback_source = models.CharField(
        "feedback given by", max_length=200, blank=True, help_text="Who gave the feedback."
    )
    feedback_on = models.DateField("feedback given on", null=True, blank=True)
    next_steps = models.TextField("next steps", blank=True)
    next_steps_due_on = models.DateField("deadline for the next steps", null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-dated_on", "-pk"]

    def __str__(self) -> str:
        return self.title


class UpdatePaperAchievement(models.Model):
    """One achievement of an update paper, under a heading and a plan period; optionally the
    action it was taken from. Neither the heading's nor the action's deletion takes the
    achievement with it: a deleted heading's name is kept in ``heading_name``."""

    paper = models.ForeignKey(UpdatePaper, on_delete=models.CASCADE, related_name="achievements")
    period = models.CharField("plan period", max_length=60)
    heading = models.ForeignKey(
        Heading, on_delete=keep_heading_name, null=True, related_name="+"
    )  # null only once the heading is deleted; a row is entered with a heading
    heading_name = models.CharField(
        "name of the deleted heading",
        max_length=120,
        blank=True,
        help_text="Kept when the heading is deleted from the plan.",
    )
    text = models.TextField("achievement")
    action = models.ForeignKey(
        Action, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    position = models.PositiveIntegerField("order", default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def heading_label(self) -> str:
        """The heading's name, or the name it had when it was deleted."""
        return self.heading.name if self.heading_id else self.heading_name
