from django import template

from assessments.enums import AssessmentStatus

register = template.Library()


@register.filter
def flow_state(value: str) -> str:
    """A self-assessment status value in words."""
    try:
        return AssessmentStatus(value).label
    except ValueError:
        return value
