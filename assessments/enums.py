from django.db import models


class CycleMonths(models.IntegerChoices):
    """How long after one self-assessment the next is due."""

    TWO_YEARS = 24, "24 months (biennial)"
    THREE_YEARS = 36, "36 months (three-year cycle)"


# The first self-assessment is due this many months after signing.
FIRST_ASSESSMENT_MONTHS = 12


class QuestionKind(models.TextChoices):
    SHORT_TEXT = "short_text", "Short text"
    LONG_TEXT = "long_text", "Long text"
    NUMBER = "number", "Whole number"
    EMAIL = "email", "E-mail address"
    TELEPHONE = "telephone", "Telephone number"
    URL = "url", "Web address"
    DATE = "date", "Date"
    PER_THEME = "per_theme", "Text for each theme"
    CONFIRM_URL = "confirm_url", "Confirm and give the address"
    FIGURES = "figures", "Figures (images with captions)"
    ACTION_PLAN = "action_plan", "The action plan for this cycle"


# Kinds whose answer is rich text (paragraphs, lists, links), sanitised on save.
RICH_TEXT_KINDS = frozenset(
    {QuestionKind.LONG_TEXT, QuestionKind.PER_THEME, QuestionKind.ACTION_PLAN}
)


class Prefill(models.TextChoices):
    """Where a new self-assessment takes a header answer from."""

    NONE = "", "Nothing"
    ORGANISATION_NAME = "organisation_name", "The organisation's name"
    LEAD_NAME = "lead_name", "The institutional lead's name"
    LEAD_EMAIL = "lead_email", "The institutional lead's e-mail address"
    LEAD_TELEPHONE = "lead_telephone", "The institutional lead's telephone number"


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    AWAITING_SIGN_OFF = "awaiting_sign_off", "Awaiting sign-off"
    SUBMITTED = "submitted", "Submitted"
    UNDER_REVIEW = "under_review", "Under review"
    CHANGES_REQUESTED = "changes_requested", "Changes requested"
    ACCEPTED = "accepted", "Accepted"


# While a self-assessment is in one of these states its answers can change.
EDITABLE_STATES = frozenset({AssessmentStatus.DRAFT, AssessmentStatus.CHANGES_REQUESTED})
# Its current text has not reached the steering group: a draft, whoever else may read it.
UNSUBMITTED_STATES = EDITABLE_STATES | {AssessmentStatus.AWAITING_SIGN_OFF}
# One self-assessment per organisation and cycle is open (not yet accepted) at a time.
OPEN_STATES = frozenset(set(AssessmentStatus) - {AssessmentStatus.ACCEPTED})


class SectionState(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETED = "completed", "Completed"
