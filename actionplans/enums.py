from django.db import models


class PlanStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    APPROVED = "approved", "Approved"
    PUBLISHED = "published", "Published"


# Every move a plan's status may make, and only these (services.transition checks it): approved
# when its self-assessment is accepted, then published.
ALLOWED_TRANSITIONS = {
    PlanStatus.DRAFT: {PlanStatus.APPROVED},
    PlanStatus.APPROVED: {PlanStatus.PUBLISHED},
    PlanStatus.PUBLISHED: set(),
}

# While a plan is in one of these states its actions, key and headings can change.
EDITABLE_PLAN_STATES = frozenset({PlanStatus.DRAFT})


class TimingStyle(models.TextChoices):
    PHASES = "phases", "Named phases, with a target month for each action in some phases"
    YEARS = "years", "Focus years, ticked for each action"
    DATES = "dates", "One target date for each action"


class Status(models.TextChoices):
    """The canonical status scale. Organisations reword the labels; the sector compares these."""

    NOT_STARTED = "not_started", "Not started"
    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"
    COMPLETE = "complete", "Complete"


# The words and descriptions a new plan starts with; the lead may reword them.
DEFAULT_STATUS_WORDING = {
    Status.NOT_STARTED: ("Not started", "Work yet to be started."),
    Status.RED: ("Delayed", "Behind schedule or blocked; explain why and what happens next."),
    Status.AMBER: ("In progress", "Work initiated but not completed."),
    Status.GREEN: ("On track", "Progressing as planned."),
    Status.COMPLETE: ("Completed", "Work substantially completed."),
}

# The shape that goes with each status, so that no one has to tell colours apart.
STATUS_SHAPES = {
    Status.NOT_STARTED: "○",
    Status.RED: "■",
    Status.AMBER: "▲",
    Status.GREEN: "●",
    Status.COMPLETE: "✔",
}

# Statuses that are carried forward into the next cycle's plan.
UNFINISHED_STATUSES = frozenset(set(Status) - {Status.COMPLETE})
