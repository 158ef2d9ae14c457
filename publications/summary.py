"""The summary at the top of an organisation's public page: where it stands (signed, last
assessed, next due), how far through its plan it is ("month 14 of 36") and its progress by
theme, each theme drawn as one accessible stacked bar (techcommit/charts.py) whose parts carry
the plan's own status word and its shape, never colour alone."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from actionplans.enums import Status, status_shape, status_word
from techcommit.charts import Bar, stacked_bar

# One colour a status, dark enough for white text on the dark ones (techcommit.charts picks the
# text colour), as the status badges have them (static/css/document.css).
STATUS_COLOURS = {
    Status.NOT_STARTED: "#d9d9d9",
    Status.RED: "#a4161a",
    Status.AMBER: "#f0b429",
    Status.GREEN: "#1b6e3a",
    Status.COMPLETE: "#0b4f8a",
}


@dataclass(frozen=True)
class PlanProgress:
    """Where today falls in a plan's period, counted in calendar months."""

    starts_on: date
    ends_on: date
    today: date

    @staticmethod
    def _month(day: date) -> int:
        return day.year * 12 + day.month - 1

    @property
    def total(self) -> int:
        return self._month(self.ends_on) - self._month(self.starts_on) + 1

    @property
    def month(self) -> int:
        """The month of the plan today is in: 0 before it starts, total once it has ended."""
        return max(0, min(self.total, self._month(self.today) - self._month(self.starts_on) + 1))

    @property
    def started(self) -> bool:
        return self.today >= self.starts_on.replace(day=1)

    @property
    def ended(self) -> bool:
        return self._month(self.today) > self._month(self.ends_on)

    @property
    def percent(self) -> int:
        return round(self.month / self.total * 100) if self.total else 0

    @property
    def text(self) -> str:
        if not self.started:
            return f"Starts in {self.starts_on:%B %Y}"
        if self.ended:
            return f"Ended in {self.ends_on:%B %Y} (all {self.total} months)"
        return f"Month {self.month} of {self.total}"


@dataclass(frozen=True)
class ThemeProgress:
    name: str
    counts: list[dict]  # {"status", "label", "shape", "count"} for each status found
    bar: Bar

    @property
    def total(self) -> int:
        return self.bar.total


def theme_progress(headings: list[dict], wording: dict, statuses_of) -> list[ThemeProgress]:
    """Each heading's actions counted by status, in the scale's order; ``statuses_of(heading)``
    gives the statuses of its actions (a plan's actions or a review's entries)."""
    themes = []
    for heading in headings:
        found = Counter(s for s in statuses_of(heading) if s)
        counts = [
            {
                "status": status.value,
                "label": status_word(wording, status),
                "shape": status_shape(status),
                "count": found[status],
            }
            for status in Status
            if found[status]
        ]
        bar = stacked_bar(
            heading.get("name") or "",
            [
                (f"{c['shape']} {c['label']}", c["count"], STATUS_COLOURS[c["status"]])
                for c in counts
            ],
            unit="actions",
            category="Status",
        )
        themes.append(ThemeProgress(name=heading.get("name") or "", counts=counts, bar=bar))
    return themes


def progress_by_theme(plan_content: dict | None, review_content: dict | None) -> dict | None:
    """Progress by theme from the latest published progress review when there is one (its
    statuses are the later word), otherwise from the published plan's own statuses."""
    if review_content and review_content.get("headings"):
        return {
            "source": "review",
            "as_of": review_content.get("reviewed_on"),
            "themes": theme_progress(
                review_content["headings"],
                review_content.get("wording") or {},
                lambda h: [e.get("status") for e in h.get("entries") or []],
            ),
        }
    if plan_content and plan_content.get("headings"):
        as_of = plan_content.get("status_as_of") or {}
        return {
            # The plan's statuses from the latest review of it (public_plan_view) when it has one.
            "source": "review" if as_of.get("reviewed_on") else "plan",
            "as_of": date.fromisoformat(as_of["reviewed_on"]) if as_of.get("reviewed_on") else None,
            "themes": theme_progress(
                plan_content["headings"],
                plan_content.get("wording") or {},
                lambda h: [a.get("status") for a in h.get("actions") or []],
            ),
        }
    return None
