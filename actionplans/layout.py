"""A plan or a progress review laid out as a table, from its plain data (``queries.plan_as_data``,
a snapshot's or a publication's frozen copy): the one place that works out the plan's timing
columns (phases, focus years or a target date), each cell's text and each column's width.

The reviewer's view, the public page, the PDF and the self-assessment's plan appendix all draw
this with one partial, ``templates/actionplans/_plan_table.html``; the template only prints cells.
The editor works on live objects and has its own table with forms in it.
"""

from __future__ import annotations

from datetime import date, datetime

from actionplans.enums import Status, TimingStyle, status_shape, status_word
from actionplans.models import month_label
from actionplans.queries import status_counts

# Column widths in % of the table (the PDF lays the table out with table-layout: fixed, so these
# decide, whatever a cell holds). The timing columns share what is left, at most WHEN_WIDTH each,
# so that any number of phases or years fits the printable width.
FIXED_WIDTHS = {"action": 20, "led": 8, "status": 10}
WHEN_WIDTH = {TimingStyle.PHASES: 7, TimingStyle.YEARS: 5, TimingStyle.DATES: 9}
WHEN_SHARE = 28  # the most the timing columns take together, in %
CRITERIA_SHARE = 40  # the success criteria's part of the rest; the comment has the remainder


def day_name(value: str | date | None) -> str:
    """``2027-06-01`` (or that date) as ``1 June 2027``; anything else as it is."""
    if isinstance(value, date):
        return f"{value.day} {value:%B %Y}"
    try:
        found = date.fromisoformat(value or "")
    except ValueError:
        return value or ""
    return f"{found.day} {found:%B %Y}"


def month_value(value: str | date | None) -> date | None:
    """``2027-03`` (a stored target) as the first day of that month; None if it is not one."""
    if isinstance(value, date):
        return value.replace(day=1)
    try:
        return datetime.strptime(value or "", "%Y-%m").date()
    except ValueError:
        return None


def timing_columns(plan: dict, *, all_dates: bool = False) -> tuple[str, list[dict]]:
    """The plan's timing style and its timing columns, each with a kind (phase, year or date),
    a label and a period.

    ``all_dates``: a plan timed by phases or years gets a target date column as well when any
    action has a target date (the spreadsheet export, so that no date is lost)."""
    style = plan.get("timing_style") or TimingStyle.DATES
    phases = plan.get("phases") or []
    actions = [a for h in plan.get("headings") or [] for a in h.get("actions") or []]
    if style == TimingStyle.PHASES and phases:
        columns = [
            {"kind": "phase", "label": p["name"], "period": p.get("period", "")} for p in phases
        ]
    elif style == TimingStyle.YEARS:
        years = set(plan.get("years") or []) | {
            int(y) for a in actions for y in a.get("focus_years") or []
        }
        columns = [
            {"kind": "year", "label": str(y), "period": "", "year": y} for y in sorted(years)
        ]
    else:
        style = style if all_dates else TimingStyle.DATES
        columns = []
    if style == TimingStyle.DATES or (all_dates and any(a.get("target_on") for a in actions)):
        columns.append({"kind": "date", "label": "Target date", "period": ""})
    return style, columns


def timing_values(columns: list[dict], action: dict) -> list:
    """Each timing cell's value: a month (the first of it) for a phase, True or False for a
    year, a day for a target date; None where the action has none."""
    targets = action.get("targets") or {}
    years = {int(y) for y in action.get("focus_years") or []}
    values = []
    for column in columns:
        if column["kind"] == "phase":
            values.append(month_value(targets.get(column["label"])))
        elif column["kind"] == "year":
            values.append(column["year"] in years)
        else:
            target = action.get("target_on")
            values.append(date.fromisoformat(target) if isinstance(target, str) else target)
    return values


def timing_cells(style: str, columns: list[dict], action: dict) -> list[str]:
    """Each timing cell as the plan prints it: Mar 2027, a tick, 1 June 2027."""
    cells = []
    for column, value in zip(columns, timing_values(columns, action), strict=True):
        if column["kind"] == "phase":
            cells.append(month_label(value))
        elif column["kind"] == "year":
            cells.append("✓" if value else "")
        else:
            cells.append(day_name(value) if value else "")
    return cells


def column_widths(style: str, count: int) -> dict[str, int]:
    """Whole percentages that add up to 100 for any number of timing columns."""
    when = max(2, min(WHEN_WIDTH.get(style, 8), WHEN_SHARE // max(count, 1)))
    rest = 100 - sum(FIXED_WIDTHS.values()) - when * count
    criteria = rest * CRITERIA_SHARE // 100
    return {**FIXED_WIDTHS, "when": when, "criteria": criteria, "comment": rest - criteria}


def plan_layout(plan: dict) -> dict:
    """The plan's columns, widths and rows, and its keys (who leads, what each status means)."""
    style, timing = timing_columns(plan)
    wording = plan.get("wording") or {}
    descriptions = plan.get("wording_descriptions") or {}
    owners = {code["code"]: code["title"] for code in plan.get("key") or []}
    # Each timing column's name as a phone's plan card labels its value.
    labels = [f"{c['label']} ({c['period']})" if c.get("period") else c["label"] for c in timing]
    headings = []
    for heading in plan.get("headings") or []:
        rows = []
        for action in heading.get("actions") or []:
            codes = [c for c in (action.get("led_by") or "").split("/") if c]
            status = action.get("status") or ""
            cells = timing_cells(style, timing, action)
            rows.append(
                {
                    "title": action.get("title", ""),
                    "description": action.get("description", ""),
                    "led_by": action.get("led_by", ""),
                    "owners": [owners.get(code, code) for code in codes],
                    "timing": cells,
                    "timing_labelled": list(zip(labels, cells, strict=True)),
                    "success_criteria": action.get("success_criteria", ""),
                    "status": status,
                    "status_word": status_word(wording, status),
                    "status_shape": status_shape(status),
                    "comment": action.get("comment", ""),
                }
            )
        headings.append(
            {
                "name": heading.get("name", ""),
                "description": heading.get("description", ""),
                "rows": rows,
                "counts": status_counts(row["status"] for row in rows if row["status"]),
            }
        )
    return {
        "title": plan.get("title", ""),
        "period": plan.get("period", ""),
        "timing_style": style,
        "timing": timing,
        "widths": column_widths(style, len(timing)),
        "columns": 5 + len(timing),
        "headings": headings,
        "action_count": sum(len(h["rows"]) for h in headings),
        "wording": wording,
        "key": plan.get("key") or [],
        "statuses": [
            {"status": s.value, "word": status_word(wording, s), "description": descriptions.get(s)}
            for s in Status
        ],
    }


def review_layout(review: dict) -> dict:
    """A progress review's rows under their headings, its dates spelled out, and its key."""
    wording = review.get("wording") or {}
    return {
        "plan_title": review.get("plan_title", ""),
        "author": review.get("author", ""),
        "summary": review.get("summary", ""),
        "reviewed_on": day_name(review.get("reviewed_on")),
        "period_from": day_name(review.get("period_from")),
        "period_to": day_name(review.get("period_to")),
        "headings": [
            {
                "name": heading.get("name", ""),
                "rows": [
                    {**entry, "status_word": status_word(wording, entry.get("status"))}
                    for entry in heading.get("entries") or []
                ],
            }
            for heading in review.get("headings") or []
        ],
        "overall_status": review.get("overall_status") or "",
        "wording": wording,
        "statuses": [{"status": s.value, "word": status_word(wording, s)} for s in Status],
    }


def _folded(text: str | None) -> str:
    return " ".join((text or "").split()).casefold()


def with_review_statuses(plan: dict, review: dict, *, title: str = "", url: str = "") -> dict:
    """A plan's plain data with each action's status taken from a progress review of the same
    plan (its plain data, as published), and ``status_as_of``: the review's date, title and
    address. So a plan never reads "Not started" above a review that says "Completed".

    Plain data holds no ids: an entry stands for the action with the same heading and title, or
    else with the same title if only one entry has it. An action the review does not hold keeps
    the plan's own status."""
    by_place, by_title = {}, {}
    for heading in review.get("headings") or []:
        for entry in heading.get("entries") or []:
            status = entry.get("status")
            by_place[(_folded(heading.get("name")), _folded(entry.get("title")))] = status
            by_title.setdefault(_folded(entry.get("title")), []).append(status)
    headings = []
    for heading in plan.get("headings") or []:
        actions = []
        for action in heading.get("actions") or []:
            found = by_place.get((_folded(heading.get("name")), _folded(action.get("title"))))
            if found is None and len(by_title.get(_folded(action.get("title")), [])) == 1:
                found = by_title[_folded(action.get("title"))][0]
            actions.append({**action, "status": found} if found else action)
        headings.append({**heading, "actions": actions})
    reviewed_on = review.get("reviewed_on") or ""
    as_of = {"reviewed_on": reviewed_on, "label": day_name(reviewed_on), "title": title, "url": url}
    return {**plan, "headings": headings, "status_as_of": as_of}
