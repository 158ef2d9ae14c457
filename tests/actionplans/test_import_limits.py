"""What an uploaded plan may hold, refused with a message saying what to do (issue 11, item 7)."""

import io
import time
import zipfile

from django.urls import reverse

from actionplans import transfer
from tests.actionplans.test_transfer import problems_and_nothing_saved, refused_message, upload

CONTENT_TYPES = (
    '<Types><Override PartName="/xl/workbook.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>'
)
TOO_MANY_ROWS = (
    "The file has more than 5,000 rows, more than any action plan needs. Delete the rows that "
    "are not part of the plan, or import one plan at a time."
)


def workbook_zip(**parts: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def workbook(rows: dict[int, list[str]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    for number, values in rows.items():
        for column, value in enumerate(values, start=1):
            book.active.cell(row=number, column=column, value=value)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_a_workbook_that_unpacks_to_more_than_50_mb_is_refused_before_unpacking():
    bomb = workbook_zip(**{"xl/worksheets/sheet1.xml": bytes(51 * 1024 * 1024)})
    assert len(bomb) < 1024 * 1024
    assert refused_message(upload("bomb.xlsx", bomb)) == (
        "‘bomb.xlsx’ unpacks to more than 50 MB, far more than an action plan needs. Remove "
        "pictures and extra sheets, or save it as “CSV UTF-8”, and upload it again."
    )


def test_a_workbook_of_too_many_parts_is_refused():
    parts = {f"xl/media/image{n}.png": b"" for n in range(transfer.MAX_PARTS)}
    assert refused_message(upload("parts.xlsx", workbook_zip(**parts))) == (
        "‘parts.xlsx’ is made of more than 500 parts, far more than an action plan needs. Copy "
        "the plan into a new workbook, or save it as “CSV UTF-8”, and upload that."
    )


def test_more_than_5000_rows_are_refused_in_a_csv_file_and_a_workbook():
    rows = {n: [f"Action {n}", "PL"] for n in range(1, 5002)}
    csv_file = "".join(f"{title},{code}\n" for title, code in rows.values())
    assert refused_message(upload("long.csv", csv_file)) == TOO_MANY_ROWS
    assert refused_message(upload("long.xlsx", workbook(rows))) == TOO_MANY_ROWS


def test_5000_rows_and_blank_lines_after_them_are_read():
    csv_file = "Theme/Action,Led by\n" + "Action,PL\n" * 4999 + ",\n" * 3000
    assert len(transfer.read_table(upload("full.csv", csv_file))) == 5000


def test_a_sheet_that_declares_a_million_rows_is_refused_at_once():
    sparse = workbook({1: ["Theme/Action", "Led by"], 1_000_000: ["Action", "PL"]})
    started = time.process_time()
    assert refused_message(upload("sparse.xlsx", sparse)) == TOO_MANY_ROWS
    assert time.process_time() - started < 2


def test_the_import_page_says_why_a_long_file_is_refused(client, plan, lead_of_org_a):
    client.force_login(lead_of_org_a)
    csv_file = "Theme/Action,Led by\n" + "Action,PL\n" * 5001
    response = client.post(
        reverse("actionplans:import", kwargs={"slug": "aldermoor", "pk": plan.pk}),
        {"file": upload("long.csv", csv_file)},
    )
    page = response.content.decode()
    assert '<a href="#id_file">Spreadsheet: The file has more than 5,000 rows' in page
    assert f"actionplans.import.{plan.pk}" not in client.session


KEY = "\n\nKey,,Status,Means\nCode,Title,,\n{code},{title},{word},Green\n"


def test_names_in_the_key_and_the_phase_columns_longer_than_their_fields_are_refused(
    plan, lead_of_org_a
):
    phase = "Phase " + "x" * 60
    file = upload(
        "plan.csv",
        f"Theme/Action,Led by,{phase} (Dec 2026 - May 2027),Success criteria\n"
        "Visibility\nName technicians,PL,Mar 2027,Posters"
        + KEY.format(code="HR", title="H" * 121, word="W" * 61),
    )
    assert problems_and_nothing_saved(plan, lead_of_org_a, file)[0] == [
        (1, "The phase name ‘Phase xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…’ is too long.", ""),
        (7, "A status word in the key is longer than 60 characters.", ""),
        (7, "What ‘HR’ stands for is longer than 120 characters.", ""),
    ]


def test_the_upload_page_gives_the_limits_before_anyone_uploads(client, plan, lead_of_org_a):
    client.force_login(lead_of_org_a)
    response = client.get(
        reverse("actionplans:import", kwargs={"slug": "aldermoor", "pk": plan.pk})
    )
    assert "An Excel workbook (.xlsx) or a CSV file, up to 10 MB and 5,000 rows." in (
        response.content.decode()
    )
