"""Text in spreadsheets people open: every CSV and XLSX file the portal writes goes through here.

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is a formula to
Excel, LibreOffice and Google Sheets when they open a CSV file, so an action titled
``=HYPERLINK("https://evil.example", "Click")`` would become a live link (or worse) on a
reviewer's or a member of the public's machine. In CSV such a cell gets a leading ``'``, which
spreadsheets show and never run (OWASP's advice). A cell that already starts with ``'`` before
one of those characters gets one more, so ``csv_unescape`` gives back exactly what was written.

In XLSX a cell has a type, so text is written as a string cell (openpyxl would otherwise store
``=...`` as a formula) and needs no quote.
"""

from __future__ import annotations

import csv
import re

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


def csv_text(header: list[str], rows) -> str:
    """A whole CSV file as text: a UTF-8 byte-order mark (so spreadsheets read accents right),
    the header, then the rows, every cell escaped."""
    import io

    buffer = io.StringIO()
    writer = csv_writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return "\ufeff" + buffer.getvalue()
