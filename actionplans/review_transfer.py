"""A progress review's statuses and comments in from a spreadsheet, through the plan import's
machinery (``actionplans.transfer``: reading the file, guessing the header row, warning about
columns nothing reads); the export is ``actionplans.exports.ReviewCsvExporter`` and
``ReviewXlsxExporter``, whose files import back as the same review.

Each row is matched to one of the review's actions by the ``Reference`` column of an export, or
else by the action's title. The preview lists every row that cannot be matched or read and why;
nothing is saved while one remains, and then every row is saved at once or none.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction

from actionplans import services
from actionplans.models import ProgressReview, ReviewEntry
from actionplans.transfer import (
    ColumnMapping,
    ImportRefused,
    Problem,
    Unmapped,
    _fold,
    _key_start,
    _status_list,
    _status_words,
    _word,
    cell,
    guess_field,
    guess_mapping,
    unmapped_columns,
)

FIELDS = {
    "": "Ignore this column",
    "reference": "Reference (from an export of the review)",
    "theme": "Theme or heading",
    "title": "Action",
    "status": "Status / RAG",
    "comment": "Comment",
}
SINGLE_FIELDS = frozenset(FIELDS) - {""}
REFERENCE_HEADER = re.compile(r"^(ref|reference|ref no|action ref|action id|id|no|number|#)\.?$")
NO_HEADER = (
    "No row of the file names its columns. The header row needs an action column (such as "
    "‘Action’ or ‘Milestone’) or a ‘Reference’ column, and at least one other, such as ‘RAG’."
)
NO_MATCH_COLUMN = "Choose the column that holds the actions, or the reference column."


def guess_review_field(header: str) -> str:
    folded = _fold(header.replace("_", " "))
    if REFERENCE_HEADER.match(folded):
        return "reference"
    found = guess_field(header)
    return found if found in FIELDS else ""


def guess_review_mapping(table: list[list[str]]) -> ColumnMapping:
    return guess_mapping(
        table,
        guess=guess_review_field,
        single=SINGLE_FIELDS,
        anchors=frozenset({"title", "reference"}),
        refusal=NO_HEADER,
    )


def reference(entry: ReviewEntry) -> str:
    """What names an action in an exported review: its number, which never changes (kept on
    the entry once the action is deleted from the plan)."""
    return str(entry.action_id or entry.action_number)


@dataclass
class ReviewRow:
    number: int  # the row's number in the spreadsheet, from 1
    entry: ReviewEntry
    status: str
    comment: str

    @property
    def changed(self) -> bool:
        return (self.status, services.normalise_text(self.comment)) != (
            self.entry.status,
            services.normalise_text(self.entry.comment),
        )


@dataclass
class ReviewPreview:
    mapping: ColumnMapping
    headers: list[str]
    rows: list[ReviewRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    unmapped: list[Unmapped] = field(default_factory=list)
    missing: list[ReviewEntry] = field(default_factory=list)  # actions the file leaves alone

    def blocking(self, add_codes=()) -> list[Problem]:
        """Every problem stops the import (the plan's preview lets owner codes be added)."""
        return list(self.problems)

    @property
    def changes(self) -> list[ReviewRow]:
        return [row for row in self.rows if row.changed]


def preview(review: ProgressReview, table: list[list[str]], mapping: ColumnMapping):
    """What the import would change in the review, row by row, and every row it cannot match
    or read with the reason."""
    headers = table[mapping.header_row]
    result = ReviewPreview(mapping=mapping, headers=headers)
    columns = {name: mapping.index(name) for name in SINGLE_FIELDS}
    header_number = mapping.header_row + 1
    if columns["title"] is None and columns["reference"] is None:
        result.problems.append(Problem(header_number, NO_MATCH_COLUMN))
        return result

    def text(row, name):
        return cell(row, columns[name]) if columns[name] is not None else ""

    def header(name):
        return cell(headers, columns[name]) or FIELDS[name]

    entries = list(
        review.entries.select_related("action").order_by("action__position", "action__pk", "pk")
    )
    by_reference = {reference(e): e for e in entries}
    by_title = defaultdict(list)
    for entry in entries:
        by_title[_fold(entry.title)].append(entry)
    plan = review.plan
    status_words = _status_words(plan, {})
    matched: dict[int, int] = {}  # entry id -> the row that matched it

    body = []
    for index in range(mapping.header_row + 1, _key_start(table, mapping.header_row)):
        row = table[index]
        filled = [i for i, value in enumerate(row) if value]
        if not filled or (
            len(filled) == 1 and filled[0] in {columns["theme"], columns["title"]} - {None}
        ):
            continue  # blank, or a heading row
        body.append((index + 1, row))
    result.unmapped = unmapped_columns(mapping, headers, [row for _, row in body])

    for number, row in body:
        problems = []
        ref, title = text(row, "reference").lstrip("#").strip(), text(row, "title")
        entry = None
        if ref:
            entry = by_reference.get(ref)
            if entry is None:
                problems.append(
                    Problem(number, f"No action of this review has the reference ‘{ref}’.")
                )
        elif title:
            found = by_title.get(_fold(title), [])
            if len(found) == 1:
                entry = found[0]
            elif found:
                problems.append(
                    Problem(
                        number,
                        f"{len(found)} actions of the review are titled ‘{title[:80]}’; add the "
                        "‘Reference’ column of an export of the review to tell them apart.",
                    )
                )
            else:
                problems.append(
                    Problem(number, f"No action of this review is titled ‘{title[:80]}’.")
                )
        else:
            problems.append(Problem(number, "The row names no action."))
        if entry is not None and entry.pk in matched:
            problems.append(
                Problem(number, f"Row {matched[entry.pk]} is about the same action already.")
            )
            entry = None
        status = entry.status if entry else ""
        if text(row, "status"):
            status = status_words.get(_word(text(row, "status")))
            if status is None:
                problems.append(
                    Problem(
                        number,
                        f"‘{text(row, 'status')}’ in ‘{header('status')}’ is not one of the "
                        f"plan's statuses: {_status_list(plan, {})}.",
                    )
                )
        result.problems.extend(problems)
        if entry is not None and not problems:
            matched[entry.pk] = number
            comment = text(row, "comment") if columns["comment"] is not None else entry.comment
            result.rows.append(ReviewRow(number, entry, status, comment))
    result.missing = [e for e in entries if e.pk not in matched]
    result.problems.sort(key=lambda problem: problem.row)
    return result


@transaction.atomic
def apply(review: ProgressReview, preview: ReviewPreview) -> int:
    """Save every row of the preview, or nothing; how many actions changed."""
    if preview.problems:
        rows = len({p.row for p in preview.problems})
        raise ImportRefused(
            f"{rows} row{'s' if rows != 1 else ''} cannot be read, so nothing was imported."
        )
    try:
        return services.import_review_rows(
            review, {row.entry.pk: (row.status, row.comment) for row in preview.changes}
        )
    except services.PlanError as error:
        raise ImportRefused(str(error)) from error
