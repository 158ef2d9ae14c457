from django.db import models


class PublicationKind(models.TextChoices):
    SELF_ASSESSMENT = "self_assessment", "Self-assessment"
    ACTION_PLAN = "action_plan", "Action plan"
    PROGRESS_REVIEW = "progress_review", "Progress review"


class PdfState(models.TextChoices):
    PENDING = "pending", "Being prepared"
    READY = "ready", "Ready"
    FAILED = "failed", "Failed"
