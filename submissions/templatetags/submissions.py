from django import template

from assessments.enums import AssessmentStatus
from submissions.enums import SignOffState

register = template.Library()


@register.filter
def signed_for(sign_offs, role: str):
    """The standing signature for a role among a snapshot's sign-offs, if any."""
    return next(
        (s for s in sign_offs or [] if s.role == role and s.state == SignOffState.SIGNED),
        None,
    )


@register.filter
def flow_state(value: str) -> str:
    """A self-assessment status value in words."""
    try:
        return AssessmentStatus(value).label
    except ValueError:
        return value
