from django.db import models


class ConsultationStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


# Only services.transition moves a consultation, and only along these.
ALLOWED_TRANSITIONS = {
    ConsultationStatus.DRAFT: {ConsultationStatus.OPEN},
    ConsultationStatus.OPEN: {ConsultationStatus.CLOSED},
    ConsultationStatus.CLOSED: set(),
}
EDITABLE_STATES = frozenset({ConsultationStatus.DRAFT})


class QuestionKind(models.TextChoices):
    AGREEMENT = "agreement", "Agreement with a statement (5-point scale) on a theme"
    SINGLE = "single", "Single choice"
    MULTIPLE = "multiple", "Multiple choice"
    TEXT = "text", "Free-text comment"


CHOICE_KINDS = frozenset({QuestionKind.SINGLE, QuestionKind.MULTIPLE})

# The 5-point agreement scale, stored as 1..5.
AGREEMENT_SCALE = [
    "Strongly disagree",
    "Disagree",
    "Neither agree nor disagree",
    "Agree",
    "Strongly agree",
]


class CommentStatus(models.TextChoices):
    PENDING = "pending", "Waiting for moderation"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Not shown"


MAX_QUESTIONS = 15
DEFAULT_THRESHOLD = 5
MIN_THRESHOLD = 3
