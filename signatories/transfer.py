"""The sector's signatory list in from a spreadsheet (CSV or XLSX).

``preview`` reads every row of the table against the organisations already in the portal: each
row is new, an update of the organisation it names (matched on its name, short name or slug, so
importing the list again changes nothing), unchanged, or a problem with the reason. ``apply``
saves every row or none, and only when no row has a problem. Statuses are not imported: they
change only through ``services.transition``, with a reason. No HTTP here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from signatories.enums import Nation, OrganisationKind
from signatories.models import RESERVED_SLUGS, Organisation
from techcommit.spreadsheets import DATE_FORMATS, ImportRefused, cell, parse_date

# Each field the list fills, with the headers that name its column (compared case-blind,
# ignoring spaces and punctuation).
COLUMNS = {
    "name": ("name", "organisation", "organisation name", "institution", "signatory"),
    "short_name": ("short name", "acronym", "abbreviation"),
    "kind": ("kind", "type", "organisation type"),
    "nation": ("nation", "country"),
    "signed_on": ("date signed", "signed", "signed on", "date of signing"),
    "contact": ("contact", "point of contact", "contact name"),
    "contact_email": ("contact email", "contact e mail", "email", "e mail"),
    "webpage": ("web page", "webpage", "website", "url", "commitment webpage"),
}
LABELS = {
    "name": "Name",
    "short_name": "Short name",
    "kind": "Kind",
    "nation": "Nation",
    "signed_on": "Date signed",
    "contact_name": "Contact",
    "contact_email": "Contact e-mail",
    "webpage": "Web page",
}
# The fields an import writes, in the order the preview shows them.
FIELDS = list(LABELS)
REQUIRED = ("name", "kind", "nation", "signed_on")

NO_HEADER = (
    "No row of the file names its columns. The header row needs at least ‘Name’, ‘Kind’, "
    "‘Nation’ and ‘Date signed’; ‘Short name’, ‘Contact’ and ‘Web page’ may follow."
)
MISSING_COLUMNS = "The header row has no column for {missing}. Add it and upload the file again."
NO_ROWS = "The file has a header row but no organisations under it."
EMAIL = re.compile(r"[^\s<>(),;]+@[^\s<>(),;]+\.[^\s<>(),;]+")


class Action:
    NEW = "new"
    UPDATE = "update"
    UNCHANGED = "unchanged"
    PROBLEM = "problem"


@dataclass
class Row:
    """One row of the file: what it says, what importing it would do, and why not."""

    number: int  # as the spreadsheet numbers it
    values: dict = field(default_factory=dict)
    action: str = Action.NEW
    organisation: Organisation | None = None
    changes: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.values.get("name", "")

    @property
    def outcome(self) -> str:
        """What importing the row does, in words."""
        return {
            Action.NEW: "New",
            Action.UPDATE: f"Update: {', '.join(self.changes)}",
            Action.UNCHANGED: "Unchanged",
        }.get(self.action, "Cannot be imported")


@dataclass
class Preview:
    rows: list[Row]

    def count(self, action: str) -> int:
        return sum(row.action == action for row in self.rows)

    @property
    def problems(self) -> list[Row]:
        return [row for row in self.rows if row.action == Action.PROBLEM]

    @property
    def new(self) -> int:
        return self.count(Action.NEW)

    @property
    def updated(self) -> int:
        return self.count(Action.UPDATE)

    @property
    def unchanged(self) -> int:
        return self.count(Action.UNCHANGED)


def _fold(text: str) -> str:
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text.casefold()).split())


HEADERS = {_fold(header): name for name, headers in COLUMNS.items() for header in headers}


def _header(table: list[list[str]]) -> tuple[int, dict[str, int]]:
    """The first row (of the first ten) that names the name column, and where each field is."""
    for index, row in enumerate(table[:10]):
        columns: dict[str, int] = {}
        for position, text in enumerate(row):
            name = HEADERS.get(_fold(text))
            if name and name not in columns:
                columns[name] = position
        if "name" in columns and len(columns) > 1:
            return index, columns
    raise ImportRefused(NO_HEADER)


def _choice(choices, text: str) -> str | None:
    """The enum value ``text`` names, by its label or its value."""
    wanted = _fold(text)
    for value, label in choices.choices:
        if wanted in (_fold(value), _fold(label)):
            return value
    return None


def _read(row: Row, cells: dict[str, str]) -> None:
    """``row.values`` from the cells, and a problem for every cell that cannot be read."""
    for name in REQUIRED:
        if not cells.get(name):
            row.problems.append(f"{_label(name)}: this cell is empty.")
    # Only the columns the file has are written: a list without web pages keeps the ones set.
    values = {
        field_name: cells[column]
        for column, field_name in [
            ("name", "name"),
            ("short_name", "short_name"),
            ("webpage", "webpage"),
            ("contact", "contact_name"),
            ("contact_email", "contact_email"),
        ]
        if column in cells
    }
    values["name"] = " ".join(values["name"].split())
    # "Jo Bloggs <jo@example.org>" in one cell: the address goes to its own field.
    contact = values.get("contact_name", "")
    if not values.get("contact_email") and (found := EMAIL.search(contact)):
        values["contact_email"] = found.group(0)
        values["contact_name"] = contact.replace(found.group(0), "").strip(" <>(),;")
    if text := cells.get("kind"):
        values["kind"] = _choice(OrganisationKind, text)
        if values["kind"] is None:
            kinds = ", ".join(label for _value, label in OrganisationKind.choices)
            row.problems.append(f"Kind: ‘{text}’ is not one of {kinds}.")
    if text := cells.get("nation"):
        values["nation"] = _choice(Nation, text)
        if values["nation"] is None:
            nations = ", ".join(label for _value, label in Nation.choices)
            row.problems.append(f"Nation: ‘{text}’ is not one of {nations}.")
    if text := cells.get("signed_on"):
        try:
            values["signed_on"] = parse_date(text)
        except ValueError:
            row.problems.append(f"Date signed: ‘{text}’ is not a date. Write it as {DATE_FORMATS}.")
    row.values = values


def _label(name: str) -> str:
    return LABELS.get(name, name)


class _Index:
    """The organisations already in the portal, by every key a row may name them with."""

    def __init__(self, organisations):
        organisations = list(organisations)
        self.by_name = {_fold(o.name): o for o in organisations}
        self.slugs = {o.slug for o in organisations}
        # A name names its organisation before anyone's short name or slug does.
        self.by_key: dict[str, Organisation] = {}
        for attribute in ("name", "short_name", "slug"):
            for organisation in organisations:
                if key := getattr(organisation, attribute):
                    self.by_key.setdefault(_fold(key), organisation)

    def find(self, values: dict) -> Organisation | None:
        for key in (values.get("name"), values.get("short_name")):
            if key and (found := self.by_key.get(_fold(key))):
                return found
        return None

    def new_slug(self, values: dict) -> str:
        base = slugify(values.get("short_name") or values["name"])[:70] or "organisation"
        slug, number = base, 2
        while slug in self.slugs or slug in RESERVED_SLUGS:
            slug, number = f"{base}-{number}", number + 1
        self.slugs.add(slug)
        return slug


def preview(table: list[list[str]]) -> Preview:
    """What importing ``table`` would do, row by row."""
    header_row, columns = _header(table)
    missing = [_label(name) for name in REQUIRED if name not in columns]
    if missing:
        raise ImportRefused(MISSING_COLUMNS.format(missing=", ".join(f"‘{m}’" for m in missing)))
    index = _Index(Organisation.objects.all())
    rows: list[Row] = []
    seen: dict[int | str, int] = {}
    for offset, cells in enumerate(table[header_row + 1 :], start=header_row + 2):
        if not any(cells):
            continue
        row = Row(number=offset)
        _read(row, {name: cell(cells, position).strip() for name, position in columns.items()})
        rows.append(row)
        if row.problems:
            row.action = Action.PROBLEM
            continue
        row.organisation = index.find(row.values)
        key = row.organisation.pk if row.organisation else _fold(row.name)
        if key in seen:
            row.problems.append(f"Row {seen[key]} names the same organisation.")
            row.action = Action.PROBLEM
            continue
        seen[key] = row.number
        _check(row, index)
    if not rows:
        raise ImportRefused(NO_ROWS)
    return Preview(rows)


def _check(row: Row, index: _Index) -> None:
    """Build the organisation the row describes and validate it as a form would."""
    organisation = row.organisation
    if organisation is None:
        organisation = Organisation(slug=index.new_slug(row.values))
        row.action = Action.NEW
    for name in FIELDS:
        if name not in row.values:
            continue
        new, old = row.values[name], getattr(organisation, name)
        if row.organisation is not None and new != old:
            row.changes.append(_label(name))
        setattr(organisation, name, new)
    # Field checks here; the database's rules below, against the index, so that a list of 150
    # rows costs no query per row.
    try:
        organisation.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            for message in messages:
                label = _label(name) if name in LABELS else ""
                row.problems.append(f"{label}: {message}" if label else message)
    holder = index.by_name.get(_fold(organisation.name))
    if holder is not None and holder is not row.organisation:
        row.problems.append(f"Name: {holder.name} already has this name.")
    last = organisation.last_assessed_on
    if last and organisation.signed_on and organisation.signed_on > last:
        row.problems.append(
            f"Date signed: {organisation.name} last self-assessed on {last:%-d %B %Y}; it cannot "
            "have signed after that."
        )
    if row.problems:
        row.action = Action.PROBLEM
    else:
        index.by_name.setdefault(_fold(organisation.name), organisation)
        if row.organisation is not None:
            row.action = Action.UPDATE if row.changes else Action.UNCHANGED
    row.organisation = organisation


@transaction.atomic
def apply(table: list[list[str]]) -> Preview:
    """Import ``table``: every new organisation created and every changed one updated, or,
    when any row has a problem, nothing (ImportRefused)."""
    result = preview(table)
    if result.problems:
        count = len(result.problems)
        raise ImportRefused(
            f"{count} row{'s' if count != 1 else ''} cannot be imported; nothing was saved. "
            "Correct the file and upload it again."
        )
    for row in result.rows:
        if row.action == Action.NEW:
            row.organisation.save()
        elif row.action == Action.UPDATE:
            row.organisation.save(update_fields=FIELDS)
    return result
