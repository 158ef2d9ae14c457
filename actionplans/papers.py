"""Update papers: a progress report for governance made from a finalised progress review.

The lead or a contributor starts one from a finalised review and chooses the plan periods it
reports on; its achievements are prefilled from the actions completed in each period
(``queries.achievements``), each linked to its action, an action listed once (in the first
period it was completed in). Everything is then editable and reorderable; ``paper_as_data``
freezes it as plain data for its publication (publications.services.publish_update_paper)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction

from actionplans.models import ProgressReview, UpdatePaper, UpdatePaperAchievement, month_label
from actionplans.queries import achievements, review_as_data
from actionplans.services import PlanError, add_months
from techcommit.text import sanitise_html


@dataclass(frozen=True)
class Period:
    """A plan period: a phase of a phased plan, otherwise a year of the plan."""

    name: str
    starts_on: date
    ends_on: date  # its last day

    @property
    def label(self) -> str:
        return f"{self.name} ({month_label(self.starts_on)} to {month_label(self.ends_on)})"


def _last_day(month: date) -> date:
    return add_months(month.replace(day=1), 1) - timedelta(days=1)


def plan_periods(plan) -> list[Period]:
    """The plan's phases, or, for a plan without phases, its years (Year 1, Year 2...)."""
    phases = list(plan.phases.all())
    if phases:
        return [Period(p.name, p.starts_on, _last_day(p.ends_on)) for p in phases]
    periods, start, n = [], plan.starts_on.replace(day=1), 1
    while start <= plan.ends_on:
        end = min(add_months(start, 11), plan.ends_on)
        periods.append(Period(f"Year {n}", start, _last_day(end)))
        start, n = add_months(start, 12), n + 1
    return periods


def default_title(day: date) -> str:
    return f"Update paper, {day:%B %Y}"


@transaction.atomic
def start_update_paper(
    review: ProgressReview, *, by, title: str, dated_on: date, periods: list[Period]
) -> UpdatePaper:
    """A new update paper of a finalised review, its achievements prefilled for ``periods``."""
    if not review.is_final:
        raise PlanError("Make an update paper from a finalised progress review only.")
    paper = UpdatePaper.objects.create(review=review, title=title, dated_on=dated_on, created_by=by)
    rows, seen = [], set()
    for period in sorted(periods, key=lambda p: p.starts_on):
        found = achievements(review.plan, period.starts_on, period.ends_on)
        for group in found.headings:
            for row in group.entries:
                # An action since deleted from the plan: under the name of its heading.
                key = row.action.pk if row.action else (group.name, row.title)
                if key in seen:
                    continue
                seen.add(key)
                text = f"{row.title}: {row.comment}" if row.comment.strip() else row.title
                rows.append(
                    UpdatePaperAchievement(
                        paper=paper,
                        period=period.name,
                        heading=group.heading,
                        heading_name="" if group.heading else group.name,
                        text=text,
                        action=row.action,
                        position=len(rows) + 1,
                    )
                )
    UpdatePaperAchievement.objects.bulk_create(rows)
    return paper


def _heading_key(row: UpdatePaperAchievement) -> tuple:
    """Where the row's heading sorts: the plan's headings in their order, then the names of
    deleted headings (kept on their achievements) in alphabetical order; the name is last."""
    if row.heading_id:
        return (0, row.heading.position, row.heading.pk, row.heading_label)
    return (1, 0, 0, row.heading_label)


def paper_as_data(paper: UpdatePaper) -> dict:
    """The update paper as plain data: what its publication keeps and shows. Achievements are
    grouped by plan period (in the plan's order), then by heading in the plan's order (a deleted
    heading's achievements under its recorded name, after the others), each group in the paper's
    own order."""
    review = ProgressReview.objects.select_related("plan", "author").get(pk=paper.review_id)
    rows = list(
        paper.achievements.select_related("heading__theme", "action").order_by("position", "pk")
    )
    # The plan's periods in their own order; a period the plan no longer has, after them.
    order = {p.name: n for n, p in enumerate(plan_periods(review.plan), start=-1000)}
    grouped: dict[str, dict] = {}
    themes: dict[tuple, str] = {}
    for row in rows:
        if row.heading_id and row.heading.theme_id:
            themes[_heading_key(row)] = row.heading.theme.slug
        grouped.setdefault(row.period, defaultdict(list))[_heading_key(row)].append(
            {"text": row.text, "action": row.action.title if row.action_id else ""}
        )
    periods = [
        {
            "name": name,
            "headings": [
                {
                    "name": key[-1],
                    # The Commitment's theme (None for an own heading, or one since deleted),
                    # for the search's filter.
                    "theme": themes.get(key),
                    "achievements": found,
                }
                for key, found in sorted(by_heading.items())
            ],
        }
        for name, by_heading in sorted(grouped.items(), key=lambda item: order.get(item[0], 0))
    ]
    return {
        "title": paper.title,
        "dated_on": paper.dated_on.isoformat(),
        "plan_title": review.plan.title,
        "introduction": sanitise_html(paper.introduction, headings=True),
        "periods": periods,
        "feedback": paper.feedback,
        "feedback_source": paper.feedback_source,
        "feedback_on": paper.feedback_on.isoformat() if paper.feedback_on else "",
        "next_steps": paper.next_steps,
        "next_steps_due_on": (
            paper.next_steps_due_on.isoformat() if paper.next_steps_due_on else ""
        ),
        "review": review_as_data(review),
    }
