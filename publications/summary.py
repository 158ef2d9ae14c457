"""The summary at the top of an organisation's public page: where it stands (signed, last
assessed, next due), how far through its plan it is ("month 14 of 36") and its progress by
theme, each theme drawn as one accessible stacked bar (techcommit/charts.py) whose parts carry
the plan's own status word and its shape, never colour alone."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from actionplans.enums import Status, status_shape, status_word
from techcommit.charts import STATUS_COLOURS, Bar, stacked_bar


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
