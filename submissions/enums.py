from django.db import models

from assessments.enums import AssessmentStatus

# Every move a self-assessment may make, and only these (services.transition checks it).
# After changes are requested, a revision that differs from what was signed goes back to
# sign-off before it is submitted (unless its form version says otherwise); reopening it
# returns it to changes requested.
ALLOWED_TRANSITIONS = {
    AssessmentStatus.DRAFT: {AssessmentStatus.AWAITING_SIGN_OFF},
    AssessmentStatus.AWAITING_SIGN_OFF: {
        AssessmentStatus.DRAFT,
        AssessmentStatus.CHANGES_REQUESTED,
        AssessmentStatus.SUBMITTED,
    },
    AssessmentStatus.SUBMITTED: {AssessmentStatus.UNDER_REVIEW},
    AssessmentStatus.UNDER_REVIEW: {
        AssessmentStatus.CHANGES_REQUESTED,
        AssessmentStatus.ACCEPTED,
    },
    AssessmentStatus.CHANGES_REQUESTED: {
        AssessmentStatus.AWAITING_SIGN_OFF,
        AssessmentStatus.SUBMITTED,
    },
    AssessmentStatus.ACCEPTED: set(),
}

# Sign-off can be requested from these: a first draft, or a revision after changes were asked.
SIGN_OFF_FROM_STATES = frozenset({AssessmentStatus.DRAFT, AssessmentStatus.CHANGES_REQUESTED})

# States in which the steering group has something to do.
REVIEW_QUEUE_STATES = frozenset({AssessmentStatus.SUBMITTED, AssessmentStatus.UNDER_REVIEW})


class SignOffState(models.TextChoices):
    REQUESTED = "requested", "Requested"
    SIGNED = "signed", "Signed"
    DECLINED = "declined", "Declined"
    VOIDED = "voided", "Voided"


# A sign-off in one of these states still stands.
LIVE_SIGN_OFF_STATES = frozenset({SignOffState.REQUESTED, SignOffState.SIGNED})

DECLARATION = (
    "I confirm that I have read this self-assessment and its action plan as shown, and that it "
    "is an accurate account of our organisation's work for its technical staff."
)


class AuditKind(models.TextChoices):
    STATUS = "status", "Status changed"
    SIGN_OFF = "sign_off", "Sign-off"
    REVIEW = "review", "Review"


class Rating(models.TextChoices):
    STRONG = "strong", "Strong"
    ADEQUATE = "adequate", "Adequate"
    NEEDS_WORK = "needs_work", "Needs work"


class Criterion(models.TextChoices):
    """The short structured assessment a reviewer gives, each rated with a note."""

    VISIBILITY = "visibility", "Progress on Visibility"
    RECOGNITION = "recognition", "Progress on Recognition"
    CAREER_DEVELOPMENT = "career-development", "Progress on Career Development"
    SUSTAINABILITY = "sustainability", "Progress on Sustainability"
    TECHNICIAN_VOICE = "technician_voice", "Technician voice evidenced"
    IMPACT = "impact", "Impact measurable"
    PUBLICATION = "publication", "Publication confirmed"


class Decision(models.TextChoices):
    ACCEPT = "accept", "Accept"
    CHANGES = "changes", "Request changes"


class Reminder(models.TextChoices):
    DAYS_60 = "60", "60 days before the due date"
    DAYS_30 = "30", "30 days before the due date"
    DAYS_7 = "7", "7 days before the due date"
    OVERDUE = "overdue", "Overdue"
