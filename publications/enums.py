from django.db import models

from assessments.enums import QuestionKind


class PublicationKind(models.TextChoices):
    SELF_ASSESSMENT = "self_assessment", "Self-assessment"
    ACTION_PLAN = "action_plan", "Action plan"
    PROGRESS_REVIEW = "progress_review", "Progress review"
    UPDATE_PAPER = "update_paper", "Update paper"


class PdfState(models.TextChoices):
    PENDING = "pending", "Being prepared"
    READY = "ready", "Ready"
    FAILED = "failed", "Failed"


# Answers kept off public pages and published PDFs: the lead's own e-mail and telephone in the
# form's header (the organisation's public point of contact is shown instead).
PRIVATE_KINDS = frozenset({QuestionKind.EMAIL, QuestionKind.TELEPHONE})
