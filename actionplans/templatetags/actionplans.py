from django import template

from actionplans.enums import status_shape, status_word
from actionplans.layout import plan_layout, review_layout

register = template.Library()


@register.filter(name="status_shape")
def status_shape_filter(status: str) -> str:
    return status_shape(status)


@register.filter
def status_label(wording: dict, status: str) -> str:
    """The plan's own word for a status (actionplans.enums.status_word)."""
    return status_word(wording, status)


@register.filter
def get_item(mapping: dict, key):
    return mapping.get(key) if mapping else None


@register.inclusion_tag("actionplans/_plan_table.html")
def plan_table(plan: dict, prefix: str = "plan", by_theme: bool = False) -> dict:
    """A plan's plain data (a snapshot's or publication's copy) drawn as the one plan table, or
    with ``by_theme`` as one collapsible table per heading."""
    return {"layout": plan_layout(plan), "prefix": prefix, "by_theme": by_theme}


@register.inclusion_tag("actionplans/_review_table.html")
def review_table(review: dict, prefix: str = "review") -> dict:
    """A progress review's plain data drawn as the one review table."""
    return {"layout": review_layout(review), "prefix": prefix}


@register.inclusion_tag("actionplans/_review_header.html")
def review_header(review: dict, prefix: str = "review") -> dict:
    """A progress review's header (project, author, date, period covered, overall status and
    summary), from its plain data: as a self-assessment's appendix prints it."""
    return {"layout": review_layout(review), "prefix": prefix}
