"""Text in spreadsheets people open: every CSV and XLSX file the portal writes goes through here.

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is a formula to
Excel, LibreOffice and Google Sheets when they open a CSV file, so an action titled
``=HYPERLINK("https://evil.example", "Click")`` would become a live link (or worse) on a
reviewer's or a member of the public's machine. In CSV such a cell gets a leading ``'``, which
spreadsheets show and never run (OWASP's advice). A cell that already starts with ``'`` before
one of those characters gets one more, so ``csv_unescape`` gives back exactly what was written.

In XLSX a cell has a type, so text is written as a string cell (openpyxl would otherwise store
``=...`` as a formula) and needs no quote.

Reading goes the other way: ``read_table`` turns an uploaded CSV or XLSX file into rows of text,
decided by its content, within limits that stop a small zip unpacking to gigabytes; the
importers (action plans, the signatory list) read their columns from those rows, and
``parse_date`` reads the dates people write.
"""

from __future__ import annotations

import csv
import io
import re
import warnings
import zipfile
from calendar import month_abbr, month_name
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms

FORMULA_START = re.compile(r"'*[=+\-@\t\r]")
ESCAPED_FORMULA_START = re.compile(r"'+[=+\-@\t\r]")


def csv_escape(value):
    """A CSV cell that no spreadsheet will run; anything but text is returned as it is."""
    if isinstance(value, str) and FORMULA_START.match(value):
        return "'" + value
    return value


def csv_unescape(value: str) -> str:
    """A cell read from a CSV file as it was before ``csv_escape``."""
    return value[1:] if ESCAPED_FORMULA_START.match(value) else value


class _EscapingWriter:
    def __init__(self, writer):
        self._writer = writer

    def writerow(self, row):
        return self._writer.writerow([csv_escape(value) for value in row])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


class _EscapingDictWriter(_EscapingWriter):
    def writeheader(self):
        return self._writer.writeheader()

    def writerow(self, row):
        return self._writer.writerow({key: csv_escape(value) for key, value in row.items()})


def csv_writer(buffer, **options) -> _EscapingWriter:
    """``csv.writer`` whose every cell passes through ``csv_escape``."""
    return _EscapingWriter(csv.writer(buffer, **options))


def csv_dict_writer(buffer, fieldnames, **options) -> _EscapingDictWriter:
    """``csv.DictWriter`` whose every cell passes through ``csv_escape``."""
    return _EscapingDictWriter(csv.DictWriter(buffer, fieldnames=fieldnames, **options))


def write_xlsx_row(sheet, number: int, values) -> list:
    """Row ``number`` of an openpyxl sheet, every text cell a string cell (never a formula)."""
    cells = []
    for column, value in enumerate(values, start=1):
        cell = sheet.cell(row=number, column=column, value=value)
        if isinstance(value, str):
            cell.data_type = "s"  # openpyxl would store "=..." as a formula
        cells.append(cell)
    return cells


# --- Reading an uploaded table ----------------------------------------------------------------

MAX_BYTES = 10 * 1024 * 1024
# A plan's workbook unpacks to a few hundred KB and holds a dozen parts; these leave room for
# pictures and extra sheets, and stop a small zip that unpacks to gigabytes.
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
MAX_PARTS = 500
MAX_ROWS = 5000
MAX_COLUMNS = 60


class ImportRefused(Exception):
    """The file cannot be imported at all; the message is for the person."""


@dataclass(frozen=True)
class Refusals:
    """What ``read_table`` says when it refuses a file; each importer may word the limits for
    what it imports (``{name}`` is the file's name)."""

    too_big: str = (
        "The file is larger than 10 MB. Remove pictures or extra sheets and upload it again."
    )
    wrong_type: str = (
        "‘{name}’ is not an Excel workbook (.xlsx) or a UTF-8 CSV file. Save it from your "
        "spreadsheet as .xlsx or as “CSV UTF-8” and upload that."
    )
    unreadable_workbook: str = "‘{name}’ looks like an Excel workbook but cannot be read: {error}."
    empty: str = "The file has no rows to import: its first sheet is empty."
    too_big_unpacked: str = (
        "‘{name}’ unpacks to more than 50 MB, far more than a table to import needs. Remove "
        "pictures and extra sheets, or save it as “CSV UTF-8”, and upload it again."
    )
    too_many_parts: str = (
        f"‘{{name}}’ is made of more than {MAX_PARTS} parts, far more than a table to import "
        "needs. Copy the table into a new workbook, or save it as “CSV UTF-8”, and upload that."
    )
    too_many_rows: str = (
        f"The file has more than {MAX_ROWS:,} rows. Delete the rows that are not part of the "
        "table, or import it in parts."
    )


def read_table(file, refusals: Refusals = Refusals()) -> list[list[str]]:  # noqa: B008 - frozen
    """Every row of the first sheet with data, as text. Decided by the content, not the name."""
    name = (getattr(file, "name", "") or "The file").replace("\\", "/").rsplit("/", 1)[-1]
    size = getattr(file, "size", None)
    if size is not None and size > MAX_BYTES:
        raise ImportRefused(refusals.too_big)
    if hasattr(file, "seek"):
        file.seek(0)
    data = file.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ImportRefused(refusals.too_big)
    if data.startswith(b"PK\x03\x04"):
        _check_archive(data, name, refusals)
    if is_workbook(data):
        rows = _workbook_rows(data, name, refusals)
    elif data.startswith((b"%PDF", b"PK\x03\x04", b"\xd0\xcf\x11\xe0")) or b"\x00" in data[:8192]:
        raise ImportRefused(refusals.wrong_type.format(name=name))
    else:
        rows = _csv_rows(data, name, refusals)
    rows = [_trimmed(row) for row in rows]
    while rows and not rows[-1]:
        rows.pop()
    if not rows:
        raise ImportRefused(refusals.empty)
    return rows


def _at_most_max_rows(rows: Iterable[list[str]], refusals: Refusals) -> list[list[str]]:
    """The rows, refused past MAX_ROWS; blank rows at the end do not count, but reading stops
    after MAX_ROWS of them (a sheet can declare a million empty rows)."""
    kept: list[list[str]] = []
    blanks = 0
    for row in rows:
        if not any(row):
            blanks += 1
            if blanks > MAX_ROWS:
                raise ImportRefused(refusals.too_many_rows)
            continue
        if len(kept) + blanks >= MAX_ROWS:
            raise ImportRefused(refusals.too_many_rows)
        kept.extend([] for _ in range(blanks))
        blanks = 0
        kept.append(row)
    return kept


def _check_archive(data: bytes, name: str, refusals: Refusals) -> None:
    """Refuse a zip (a workbook is one) with too many parts or too much inside, before any part
    is unpacked."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError):
        return  # not a zip after all: is_workbook says no
    if len(parts) > MAX_PARTS:
        raise ImportRefused(refusals.too_many_parts.format(name=name))
    # zipfile stops at each part's declared size, so the declared sizes are the real ones.
    if sum(info.file_size for info in parts) > MAX_UNPACKED_BYTES:
        raise ImportRefused(refusals.too_big_unpacked.format(name=name))


def is_workbook(data: bytes) -> bool:
    """An OOXML spreadsheet: a zip whose content types declare a workbook part."""
    if not data.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            types = archive.read("[Content_Types].xml")
    except (zipfile.BadZipFile, KeyError, OSError):
        return False
    return b"spreadsheetml.sheet.main+xml" in types or b"sheet.macroEnabled.main+xml" in types


def _workbook_rows(data: bytes, name: str, refusals: Refusals) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        with warnings.catch_warnings():
            # openpyxl warns about features it skips (data validation, slicers); we read values.
            warnings.simplefilter("ignore")
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise ImportRefused(refusals.unreadable_workbook.format(name=name, error=error)) from error
    try:
        for sheet in workbook.worksheets:
            rows = _at_most_max_rows(
                (
                    [cell_text(v) for v in values]
                    for values in sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS)
                ),
                refusals,
            )
            if rows:
                return rows
        return []
    finally:
        workbook.close()


def cell_text(value) -> str:
    """A cell as text; dates become ISO dates, which ``parse_month`` and ``parse_date`` read."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).replace("\xa0", " ").replace("\r\n", "\n").strip()


def _csv_rows(data: bytes, name: str, refusals: Refusals) -> list[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportRefused(refusals.wrong_type.format(name=name)) from error
    if re.search(r"[\x00-\x08\x0e-\x1f]", text[:8192]):
        raise ImportRefused(refusals.wrong_type.format(name=name))
    delimiter = _delimiter(text[:65536])
    try:
        return _at_most_max_rows(
            (
                [csv_unescape(cell.strip()) for cell in row[:MAX_COLUMNS]]
                for row in csv.reader(io.StringIO(text), delimiter=delimiter)
            ),
            refusals,
        )
    except csv.Error as error:
        raise ImportRefused(refusals.wrong_type.format(name=name)) from error


def _delimiter(sample: str) -> str:
    """Tab, comma or semicolon: whichever splits the most lines (the sniffer trips on text
    that contains semicolons)."""
    lines = sample.splitlines()[:50]

    def split_lines(delimiter):
        try:
            return sum(len(row) > 1 for row in csv.reader(lines, delimiter=delimiter))
        except csv.Error:
            return 0

    return max(["\t", ",", ";"], key=split_lines)


def _trimmed(row: list[str]) -> list[str]:
    row = list(row)
    while row and not row[-1]:
        row.pop()
    return row


def cell(row: list[str], index: int) -> str:
    return row[index] if index < len(row) else ""


# --- Months and dates as people write them ----------------------------------------------------

MONTHS = {
    **{month_abbr[n].casefold(): n for n in range(1, 13)},
    **{month_name[n].casefold(): n for n in range(1, 13)},
    "sept": 9,
}
MONTH_FORMATS = "Oct-18, Oct 2018, 10/2018 or 2018-10"
DATE_FORMATS = "31/10/2018, 31 Oct 2018 or 2018-10-31"


def _year(text: str) -> int:
    year = int(text)
    return 2000 + year if year < 100 else year


def parse_month(text: str) -> date:
    """'Oct-18', 'Oct 2018', 'October 2018', '10/2018', '2018-10', or any date: its month."""
    text = text.strip()
    if m := re.fullmatch(r"(\d{4})-(\d{1,2})(?:-\d{1,2})?(?:[ T][\d:.]+)?", text):
        year, month = int(m[1]), int(m[2])
    elif m := re.fullmatch(r"(\d{1,2})[/.](\d{4})", text):
        year, month = int(m[2]), int(m[1])
    elif m := re.fullmatch(r"\d{1,2}[/.](\d{1,2})[/.](\d{2}|\d{4})", text):
        year, month = _year(m[2]), int(m[1])
    elif m := re.fullmatch(r"(?:\d{1,2}\s+)?([A-Za-z]+)\.?[\s\-/']*(\d{2}|\d{4})", text):
        year, month = _year(m[2]), MONTHS.get(m[1].casefold(), 0)
    else:
        raise ValueError(text)
    if not 1 <= month <= 12:
        raise ValueError(text)
    return date(year, month, 1)


def parse_date(text: str) -> date:
    """'31/10/2018', '31 Oct 2018', '2018-10-31'; a month alone means its first day."""
    text = text.strip()
    if m := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T][\d:.]+)?", text):
        return date(int(m[1]), int(m[2]), int(m[3]))
    if m := re.fullmatch(r"(\d{1,2})[/.](\d{1,2})[/.](\d{2}|\d{4})", text):
        return date(_year(m[3]), int(m[2]), int(m[1]))
    if m := re.fullmatch(r"(\d{1,2})\s+([A-Za-z]+)\.?\s+(\d{4})", text):
        month = MONTHS.get(m[2].casefold())
        if month:
            return date(int(m[3]), month, int(m[1]))
        raise ValueError(text)
    return parse_month(text)


def csv_text(header: list[str], rows) -> str:
    """A whole CSV file as text: a UTF-8 byte-order mark (so spreadsheets read accents right),
    the header, then the rows, every cell escaped."""
    buffer = io.StringIO()
    writer = csv_writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return "\ufeff" + buffer.getvalue()


# --- The upload form every import starts with ---------------------------------------------------


class UploadForm(forms.Form):
    """A spreadsheet to import, read on upload: ``read_table`` reads it (an importer may word its
    refusals for what it imports), ``inspect(table)`` looks at what was read (a header row, a
    preview) and raises ``ImportRefused`` for a file it cannot take."""

    label = "Spreadsheet"
    columns = ""  # what the header row should say, when the importer expects given columns
    read_table = staticmethod(read_table)

    file = forms.FileField(
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv,.tsv,.txt"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].label = self.label
        self.fields["file"].help_text = (
            f"An Excel workbook (.xlsx) or a CSV file, up to 10 MB and {MAX_ROWS:,} rows"
            + (f", with a header row: {self.columns}." if self.columns else ".")
        )
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", "Upload and check"))

    def inspect(self, table: list[list[str]]) -> None:
        """What an importer reads from the table on upload (nothing here)."""

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            self.table = self.read_table(upload)
            self.inspect(self.table)
        except ImportRefused as refused:
            raise forms.ValidationError(str(refused)) from refused
        return upload
