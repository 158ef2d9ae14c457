"""Exporters with one contract: ``render(plan) -> (filename, content type, bytes)``.

The CSV and XLSX files lay the plan out as institutions write it (a title row, heading rows,
columns that follow the plan's timing, its own status words, the key at the end), so that an
exported plan imports back through ``actionplans.transfer`` unchanged. Text that a spreadsheet
would run as a formula is made safe by ``techcommit.spreadsheets``.
"""

from __future__ import annotations

import io
from datetime import date
from itertools import zip_longest

from actionplans.enums import Status, status_word
from actionplans.layout import timing_columns, timing_values
from actionplans.models import ActionPlan, ProgressReview, month_label
from actionplans.queries import load_review, plan_as_data
from actionplans.review_transfer import reference
from techcommit.spreadsheets import csv_writer, write_xlsx_row

KEY_HEADER = ["Key", "", "Status", "Means"]


class Month(date):
    """A cell that holds a month (a phase target) rather than a day."""


def plan_table(plan: ActionPlan) -> list[list]:
    """The plan as rows of cells, the way institutions lay it out; months and dates as dates.

    The timing columns are the plan's (``layout.timing_columns``): a column per phase, a column
    per year, or a target date; other plans get a target date column too if any of their
    actions has one."""
    data = {**plan_as_data(plan), "years": plan.years}
    _, columns = timing_columns(data, all_dates=True)
    wording = data["wording"]
    timing = [
        f"{c['label']} ({c['period']})" if c["kind"] == "phase" and c["period"] else c["label"]
        for c in columns
    ]
    header = ["Theme/Action", "Led by", *timing, "Success criteria", "Status"]
    header += ["Description", "Comment"]
    rows = [[plan.title], [], header]
    for heading in data["headings"]:
        rows.append([heading["name"]])
        for action in heading["actions"]:
            when = [
                _typed(column["kind"], value)
                for column, value in zip(columns, timing_values(columns, action), strict=True)
            ]
            rows.append(
                [
                    action["title"],
                    action["led_by"],
                    *when,
                    action["success_criteria"],
                    status_word(wording, action["status"]),
                    action["description"],
                    action["comment"],
                ]
            )
    rows += [[], KEY_HEADER, ["Code", "Title", "", ""]]
    statuses = [(status_word(wording, s), s.label) for s in Status]
    for owner, words in zip_longest(data["key"], statuses):
        rows.append(
            [
                owner["code"] if owner else "",
                owner["title"] if owner else "",
                *(words or ("", "")),
            ]
        )
    return rows


def _typed(kind: str, value):
    """A timing value as its cell: a Month for a phase target, a tick for a focus year."""
    if kind == "phase":
        return Month(value.year, value.month, 1) if value else None
    if kind == "year":
        return "✓" if value else ""
    return value


def _filename(plan: ActionPlan, extension: str) -> str:
    return f"{plan.organisation.slug}-action-plan-{plan.starts_on:%Y-%m}.{extension}"


def csv_content(rows: list[list]) -> bytes:
    """Rows as a CSV file Excel opens as UTF-8; months as ``Mar 2027``, days as ``1 Mar 2027``."""
    buffer = io.StringIO()
    writer = csv_writer(buffer)
    for row in rows:
        writer.writerow([_csv_cell(value) for value in row])
    # The byte-order mark tells Excel the file is UTF-8.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _csv_cell(value) -> str:
    if isinstance(value, Month):
        return month_label(value)
    if isinstance(value, date):
        return f"{value:%-d %b %Y}"
    return "" if value is None else str(value)


def xlsx_content(
    rows: list[list], sheet_title: str, bold_rows: set[int], widths: dict, freeze: str
) -> bytes:
    """Rows as a workbook of one sheet: a large title, ``bold_rows`` (numbers from 1) and
    one-cell heading rows in bold, months and days as dates in their own formats."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title
    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    for number, row in enumerate(rows, start=1):
        values = [date(v.year, v.month, v.day) if isinstance(v, date) else v for v in row]
        cells = write_xlsx_row(sheet, number, values)
        is_heading = len(row) == 1 or number in bold_rows
        for c, value in zip(cells, row, strict=False):
            c.alignment = wrap
            if isinstance(value, date):
                c.number_format = "mmm yyyy" if isinstance(value, Month) else "d mmm yyyy"
            if is_heading:
                c.font = bold
    sheet["A1"].font = Font(bold=True, size=14)
    for letter, width in widths.items():
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = freeze
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class PlanCsvExporter:
    identifier = "csv"
    extension = "csv"
    content_type = "text/csv; charset=utf-8"

    def render(self, plan: ActionPlan) -> tuple[str, str, bytes]:
        content = csv_content(plan_table(plan))
        return _filename(plan, self.extension), self.content_type, content


class PlanXlsxExporter:
    identifier = "xlsx"
    extension = "xlsx"
    content_type = XLSX_TYPE

    def render(self, plan: ActionPlan) -> tuple[str, str, bytes]:
        rows = plan_table(plan)
        key_row = rows.index(KEY_HEADER) + 1
        content = xlsx_content(
            rows, "Action plan", {3, key_row, key_row + 1}, {"A": 60, "B": 12}, "A4"
        )
        return _filename(plan, self.extension), self.content_type, content


EXPORTERS = {exporter.identifier: exporter for exporter in (PlanCsvExporter, PlanXlsxExporter)}


# --- A progress review ------------------------------------------------------------------------

REVIEW_HEADER = ["Reference", "Theme", "Action", "Status", "Comment"]


def review_table(review: ProgressReview) -> list[list]:
    """A review as rows: what it is, then an action a row with its reference (which the import
    matches), heading, title, status in the plan's words, and comment. An action since deleted
    from the plan keeps its row, under the heading it was under, marked as no longer in it."""
    loaded = load_review(review, with_timelines=False)
    rows = [
        [f"{review}: {review.plan.title}"],
        [f"Period covered: {review.period_from:%-d %b %Y} to {review.period_to:%-d %b %Y}"],
        [],
        REVIEW_HEADER,
    ]
    for group in loaded.headings:
        for entry in group.entries:
            rows.append(
                [
                    reference(entry),
                    group.name,
                    entry.title if entry.in_plan else f"{entry.title} (no longer in the plan)",
                    status_word(loaded.wording, entry.status),
                    entry.comment,
                ]
            )
    return rows


def _review_filename(review: ProgressReview, extension: str) -> str:
    slug = review.plan.organisation.slug
    return f"{slug}-progress-review-{review.reviewed_on:%Y-%m-%d}.{extension}"


class ReviewCsvExporter:
    identifier = "csv"
    content_type = "text/csv; charset=utf-8"

    def render(self, review: ProgressReview) -> tuple[str, str, bytes]:
        content = csv_content(review_table(review))
        return _review_filename(review, "csv"), self.content_type, content


class ReviewXlsxExporter:
    identifier = "xlsx"
    content_type = XLSX_TYPE

    def render(self, review: ProgressReview) -> tuple[str, str, bytes]:
        content = xlsx_content(
            review_table(review),
            "Progress review",
            {4},
            {"A": 11, "B": 24, "C": 60, "D": 16, "E": 80},
            "A5",
        )
        return _review_filename(review, "xlsx"), self.content_type, content


REVIEW_EXPORTERS = {e.identifier: e for e in (ReviewCsvExporter, ReviewXlsxExporter)}
