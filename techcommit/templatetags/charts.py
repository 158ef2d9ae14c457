"""Charts any template can draw (techcommit/charts.py), for pages and PDFs alike:

    {% load charts %}
    {% progress_chart "Plan period" plan.starts_on plan.ends_on "plan-progress" %}

draws "Month 14 of 36" as an accessible bar; ``today=`` gives another day (a PDF's "as of")."""

from django import template
from django.utils import timezone

from techcommit.charts import progress_bar

register = template.Library()


@register.inclusion_tag("charts/_progress_bar.html")
def progress_chart(title, starts_on, ends_on, chart_id, today=None) -> dict:
    progress = progress_bar(title, starts_on, ends_on, today or timezone.localdate())
    return {"progress": progress, "chart_id": chart_id}
