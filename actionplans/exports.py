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

from actionplans.enums import Status, TimingStyle, status_word
from actionplans.models import ActionPlan, month_label
from actionplans.queries import load_plan
from techcommit.spreadsheets import csv_writer, write_xlsx_row

KEY_HEADER = ["Key", "", "Status", "Means"]


class Month(date):
    """A cell that holds a month (a phase target) rather than a day."""


def plan_table(plan: ActionPlan) -> list[list]:
    """The plan as rows of cells, the way institutions lay it out; months and dates as dates.

    The timing columns follow the plan's style: a column per phase, a column per year, or a
    target date; other plans get a target date column too if any of their actions has one."""
    loaded = load_plan(plan, with_timelines=False)
    style = plan.timing_style
    years = sorted(set(plan.years) | {y for a in loaded.actions for y in a.focus_years})
    if style == TimingStyle.PHASES:
        timing = [
            f"{p.name} ({month_label(p.starts_on)} - {month_label(p.ends_on)})"
            for p in loaded.phases
        ]
    elif style == TimingStyle.YEARS:
        timing = [str(year) for year in years]
    else:
        timing = []
    with_dates = style == TimingStyle.DATES or any(a.target_on for a in loaded.actions)
    if with_dates:
        timing.append("Target date")
    header = ["Theme/Action", "Led by", *timing, "Success criteria", "Status"]
    header += ["Description", "Comment"]
    rows = [[plan.title], [], header]
    for group in loaded.headings:
        rows.append([group.heading.name])
        for action in group.actions:
            if style == TimingStyle.PHASES:
                when = [action.targets_by_phase.get(p.pk) for p in loaded.phases]
                when = [Month(m.year, m.month, 1) if m else None for m in when]
            elif style == TimingStyle.YEARS:
                when = ["✓" if year in action.focus_years else "" for year in years]
            else:
                when = []
            if with_dates:
                when.append(action.target_on)
            rows.append(
                [
                    action.title,
                    action.led_by,
                    *when,
                    action.success_criteria,
                    status_word(loaded.wording, action.status),
                    action.description,
                    action.comment,
                ]
            )
    rows += [[], KEY_HEADER, ["Code", "Title", "", ""]]
    statuses = [(status_word(loaded.wording, s), s.label) for s in Status]
    for owner, wording in zip_longest(loaded.owner_codes, statuses):
        rows.append(
            [
                owner.code if owner else "",
                owner.title if owner else "",
                *(wording or ("", "")),
            ]
        )
    return rows


def _filename(plan: ActionPlan, extension: str) -> str:
    return f"{plan.organisation.slug}-action-plan-{plan.starts_on:%Y-%m}.{extension}"


class PlanCsvExporter:
    identifier = "csv"
    extension = "csv"
    content_type = "text/csv; charset=utf-8"

    def render(self, plan: ActionPlan) -> tuple[str, str, bytes]:
        buffer = io.StringIO()
        writer = csv_writer(buffer)
        for row in plan_table(plan):
            writer.writerow([_csv_cell(value) for value in row])
        # The byte-order mark tells Excel the file is UTF-8.
        content = ("\ufeff" + buffer.getvalue()).encode("utf-8")
        return _filename(plan, self.extension), self.content_type, content


def _csv_cell(value) -> str:
    if isinstance(value, Month):
        return month_label(value)
    if isinstance(value, date):
        return f"{value:%-d %b %Y}"
    return "" if value is None else str(value)


class PlanXlsxExporter:
    identifier = "xlsx"
    extension = "xlsx"
    content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

    def render(self, plan: ActionPlan) -> tuple[str, str, bytes]:
        from openpyxl import Workbook
        from openpyxl.styles import Alignment, Font

        workbook = Workbook()
        sheet = workbook.active
        sheet.title = "Action plan"
        rows = plan_table(plan)
        bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")
        key_row = rows.index(KEY_HEADER) + 1
        for number, row in enumerate(rows, start=1):
            values = [date(v.year, v.month, v.day) if isinstance(v, date) else v for v in row]
            cells = write_xlsx_row(sheet, number, values)
            is_heading = len(row) == 1 or number in (3, key_row, key_row + 1)
            for c, value in zip(cells, row, strict=False):
                c.alignment = wrap
                if isinstance(value, date):
                    c.number_format = "mmm yyyy" if isinstance(value, Month) else "d mmm yyyy"
                if is_heading:
                    c.font = bold
        sheet["A1"].font = Font(bold=True, size=14)
        for letter, width in {"A": 60, "B": 12}.items():
            sheet.column_dimensions[letter].width = width
        sheet.freeze_panes = "A4"
        buffer = io.BytesIO()
        workbook.save(buffer)
        return _filename(plan, self.extension), self.content_type, buffer.getvalue()


EXPORTERS = {exporter.identifier: exporter for exporter in (PlanCsvExporter, PlanXlsxExporter)}
