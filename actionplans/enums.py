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


def status_shape(status: str | None) -> str:
    return STATUS_SHAPES.get(status, "") if status else ""


def status_word(wording: dict | None, status: str | None) -> str:
    """The plan's own word for a status, the one fallback every page, PDF and export uses.

    ``wording`` maps a status to the plan's word, as a string (a plan's published or frozen
    content) or as a StatusWording (the live plan). A status the plan has not worded reads as a
    new plan's word ("Delayed" for red); a code outside the scale reads as it is."""
    if not status:
        return ""
    found = (wording or {}).get(status)
    word = getattr(found, "label", found)
    if word:
        return word
    default = DEFAULT_STATUS_WORDING.get(status)
    return default[0] if default else status


# Statuses that are carried forward into the next cycle's plan.
UNFINISHED_STATUSES = frozenset(set(Status) - {Status.COMPLETE})


# The later form's question that asks for a RAG analysis of the previous cycle's plan: a
# finalised progress review of an earlier plan is appended to the self-assessment beside it.
RAG_ANALYSIS_KEY = "rag_analysis"
