from django import template

from assessments.documents import iso_day
from techcommit.charts import AGREEMENT_COLOURS, stacked_bar

register = template.Library()


@register.inclusion_tag("charts/_stacked_bar.html")
def agreement_bar(title: str, segments: list[dict], chart_id: str) -> dict:
    """A theme's answers on the agreement scale (``{"label", "count"}`` from strongly disagree
    to strongly agree) as the portal's accessible stacked bar."""
    parts = [
        (segment["label"], segment["count"], colour)
        for segment, colour in zip(segments, AGREEMENT_COLOURS, strict=False)
    ]
    return {"bar": stacked_bar(title, parts), "chart_id": chart_id}


@register.filter
def as_day(value):
    """A frozen ISO date as a date, for the ``date`` filter."""
    return iso_day(value)
