"""Action plans in and out of spreadsheets.

Import reads an uploaded table (``read_table``), guesses what each column holds
(``guess_mapping``), previews every row, with every row it cannot read and why (``preview``), and
saves it all in one go or not at all (``apply``). Export writes the same layout back
(``PlanCsvExporter``, ``PlanXlsxExporter``), so an exported plan imports as the same plan.

The layout is the one institutions write: a header row; theme headings as rows with only their
first cell filled (or a theme column); actions beneath them; and under the table a key of owner
codes, with the plan's status words beside it. No HTTP here: views call these functions.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction

from actionplans import services
from actionplans.enums import Status, TimingStyle
from actionplans.models import Action, ActionPlan, OwnerCode, Phase, StatusWording, month_label
from techcommit import spreadsheets
from techcommit.spreadsheets import (  # noqa: F401 - importers of this module read them here
    DATE_FORMATS,
    MAX_PARTS,
    MAX_ROWS,
    MONTH_FORMATS,
    ImportRefused,
    Refusals,
    cell,
    cell_text,
    parse_date,
    parse_month,
)


def _longest(model, field: str) -> int:
    return model._meta.get_field(field).max_length


# Reading the file is shared with the other importers (techcommit.spreadsheets); the limits are
# worded for a plan.
REFUSALS = Refusals(
    too_big_unpacked=(
        "‘{name}’ unpacks to more than 50 MB, far more than an action plan needs. Remove "
        "pictures and extra sheets, or save it as “CSV UTF-8”, and upload it again."
    ),
    too_many_parts=(
        f"‘{{name}}’ is made of more than {MAX_PARTS} parts, far more than an action plan "
        "needs. Copy the plan into a new workbook, or save it as “CSV UTF-8”, and upload that."
    ),
    too_many_rows=(
        f"The file has more than {MAX_ROWS:,} rows, more than any action plan needs. Delete the "
        "rows that are not part of the plan, or import one plan at a time."
    ),
)
NO_HEADER = (
    "No row of the file names its columns. The header row needs an action column (such as "
    "‘Action’ or ‘Theme/Action’) and at least one other, such as ‘Led by’."
)
NO_THEME = (
    "The file has no theme column and no theme heading rows, so its actions cannot be put "
    "under themes. Add a ‘Theme’ column, or a row with only the theme's name above its actions."
)
NO_TITLE_COLUMN = "Choose the column that holds the actions."
NO_ACTIONS = "The file has a header row but no actions under it."


def read_table(file) -> list[list[str]]:
    """Every row of the first sheet with data, as text. Decided by the content, not the name."""
    return spreadsheets.read_table(file, REFUSALS)


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


TICKS_THAT_MEAN_NO = {"no", "n", "0", "false", "-", "–"}


def is_ticked(text: str) -> bool:
    return bool(text.strip()) and _fold(text) not in TICKS_THAT_MEAN_NO


# --- Column mapping --------------------------------------------------------------------------

FIELDS = {
    "": "Ignore this column",
    "theme": "Theme or heading",
    "title": "Action",
    "description": "Description",
    "led_by": "Led by (codes from the key)",
    "phase": "Phase: target month (name and period from the header)",
    "year": "Focus year: a tick (the year from the header)",
    "target_on": "Target date",
    "success_criteria": "Success criteria / evidence of impact",
    "status": "Status / RAG",
    "comment": "Comment",
}
# Fields that at most one column holds; phases and years have a column each.
SINGLE_FIELDS = frozenset(FIELDS) - {"", "phase", "year"}

PHASE_HEADER = re.compile(
    r"^(?P<name>phase[\s_]*\w+|p[\s_]*\d+|[^()]*?phase[^()]*?)\s*"
    r"(?:\(\s*(?P<start>[^()]+?)\s*(?:-|–|—|\bto\b)\s*(?P<end>[^()]+?)\s*\))?\s*$",
    re.IGNORECASE,
)
# 2021, FY2021, or an academic or financial year, 2021/22 or 2021-2022 (its first year).
YEAR_HEADER = re.compile(r"^(?:FY\s*)?((?:19|20)\d\d)(?:\s*[/-]\s*(?:\d\d|\d{4}))?$", re.IGNORECASE)
NUMBERED_PHASE = re.compile(r"^(?:phase|p)[\s_-]*(\d+)$", re.IGNORECASE)
GUESSES = [
    ("title", r"^(theme\s*[/&]\s*)?(actions?|milestones?|activit(y|ies)|objectives?|title)\b"),
    ("theme", r"^(themes?|headings?|theme heading|area|category|commitment theme)$"),
    ("led_by", r"led by|\blead\b|\bleads\b|owner|responsib|accountab|^who"),
    ("success_criteria", r"success|evidence|measure|impact|kpi|outcome"),
    ("target_on", r"target|deadline|due|by when|^date$|completion date"),
    ("status", r"^rag\b|\brag$|^status\b|\bstatus$|^progress$|^rag status$"),
    ("comment", r"comment|note|update|explanation"),
    ("description", r"descri|detail"),
]


def guess_field(header: str) -> str:
    folded = _fold(header.replace("_", " "))
    if not folded:
        return ""
    if YEAR_HEADER.match(folded):
        return "year"
    if PHASE_HEADER.match(folded):
        return "phase"
    return next((name for name, pattern in GUESSES if re.search(pattern, folded)), "")


@dataclass
class ColumnMapping:
    header_row: int  # index into the table
    columns: list[str]  # a FIELDS key for each column of the header row

    def index(self, name: str) -> int | None:
        return self.columns.index(name) if name in self.columns else None


def guess_mapping(
    table: list[list[str]],
    guess=guess_field,
    single: frozenset = SINGLE_FIELDS,
    anchors: frozenset = frozenset({"title"}),
    refusal: str = NO_HEADER,
) -> ColumnMapping:
    """The header row (the first of the first 30 that names an action column and another one),
    and what each of its columns holds. A progress review's import passes its own ``guess``,
    its ``single`` fields, the ``anchors`` that identify its header row, and its ``refusal``."""
    for index, row in enumerate(table[:30]):
        fields = [guess(header) for header in row]
        if anchors & set(fields) and sum(bool(f) for f in fields) >= 2:
            seen, columns = set(), []
            for name in fields:
                if name in single and name in seen:
                    name = ""
                seen.add(name)
                columns.append(name)
            return ColumnMapping(index, columns)
    raise ImportRefused(refusal)


# --- Preview ---------------------------------------------------------------------------------


@dataclass
class PhaseColumn:
    name: str
    starts_on: date
    ends_on: date

    @property
    def period_label(self) -> str:
        return f"{month_label(self.starts_on)} to {month_label(self.ends_on)}"


@dataclass
class ImportRow:
    number: int  # the row's number in the spreadsheet, from 1
    heading: str
    title: str
    description: str = ""
    led_by: str = ""
    targets: dict[str, date] = field(default_factory=dict)  # phase name -> month
    focus_years: list[int] = field(default_factory=list)
    target_on: date | None = None
    success_criteria: str = ""
    status: str = Status.NOT_STARTED
    comment: str = ""

    def as_data(self) -> dict:
        return {
            "targets": {name: f"{month:%Y-%m}" for name, month in self.targets.items()},
            "focus_years": self.focus_years,
            "target_on": self.target_on.isoformat() if self.target_on else None,
        }


@dataclass
class Problem:
    row: int
    message: str
    code: str = ""  # an owner code that is not in the key and may be added to it
    rows: list[int] = field(default_factory=list)  # every row it concerns, if more than one

    @property
    def row_numbers(self) -> set[int]:
        return set(self.rows) or {self.row}


@dataclass
class Preview:
    mapping: ColumnMapping
    headers: list[str]
    rows: list[ImportRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    headings: list[str] = field(default_factory=list)
    phases: list[PhaseColumn] = field(default_factory=list)
    years: list[int] = field(default_factory=list)
    timing_style: str = ""
    key: list[tuple[str, str]] = field(default_factory=list)  # codes new to the plan
    legend: dict[str, str] = field(default_factory=dict)  # status -> the file's word
    unmapped: list = field(default_factory=list)  # Unmapped columns, warned about

    def as_plan_data(self) -> dict:
        """The rows that will import as a plan's plain data (``queries.plan_as_data``'s shape),
        for ``layout`` to work out the timing columns as every other table of a plan does."""
        return {
            "timing_style": self.timing_style,
            "phases": [{"name": p.name, "period": p.period_label} for p in self.phases],
            "years": self.years,
            "headings": [{"actions": [row.as_data() for row in self.rows]}],
        }

    @property
    def unknown_codes(self) -> list[str]:
        """Codes that rows use and the key lacks; the person may add them to the key."""
        return list(dict.fromkeys(p.code for p in self.problems if p.code))

    def blocking(self, add_codes: Iterable[str] = ()) -> list[Problem]:
        adding = {code.casefold() for code in add_codes}
        return [p for p in self.problems if not (p.code and p.code.casefold() in adding)]


def _key_start(table: list[list[str]], after: int) -> int:
    for index in range(after + 1, len(table)):
        filled = [_fold(c) for c in table[index] if c]
        if filled and (re.fullmatch(r"key:?", filled[0]) or filled[:2] == ["code", "title"]):
            return index
    return len(table)


LEGEND_HEADER = re.compile(r"^(rag|status|statuses|status words?|legend|rag key)$")
MEANS_HEADER = re.compile(r"^(means|meaning|stands for)$")
# The order a legend without a "Means" column is read in, by its length.
LEGEND_ORDER = {
    3: [Status.RED, Status.AMBER, Status.GREEN],
    5: list(Status),
}


def _read_key(plan, table, start, problems) -> tuple[list[tuple[str, str]], dict[str, str]]:
    """The key under the table: codes with their titles, and the status words beside them."""
    key_row = table[start]
    code_col = next(i for i, c in enumerate(key_row) if c)
    title_col, legend_col, means_col = code_col + 1, None, None
    for i, text in enumerate(key_row):
        if i != code_col and LEGEND_HEADER.match(_fold(text)):
            legend_col = i
        elif i != code_col and MEANS_HEADER.match(_fold(text)):
            means_col = i
    codes, words = [], []
    existing = {c.casefold() for c in plan.owner_codes.values_list("code", flat=True)}
    for index in range(start + 1, len(table)):
        row, number = table[index], index + 1
        code, title = cell(row, code_col), cell(row, title_col)
        if (_fold(code), _fold(title)) == ("code", "title"):
            for i, text in enumerate(row):  # the status words may be headed on this row instead
                if LEGEND_HEADER.match(_fold(text)):
                    legend_col = i
                elif MEANS_HEADER.match(_fold(text)):
                    means_col = i
            continue
        if legend_col is not None and cell(row, legend_col):
            means = cell(row, means_col) if means_col is not None else ""
            if len(cell(row, legend_col)) > (longest := _longest(StatusWording, "label")):
                message = f"A status word in the key is longer than {longest} characters."
                problems.append(Problem(number, message))
            else:
                words.append((number, cell(row, legend_col), means))
        if not code:
            continue
        if not services.CODE_PATTERN.match(code):
            problems.append(Problem(number, f"‘{code}’ in the key cannot be a code: {CODE_RULE}"))
        elif not title:
            problems.append(Problem(number, f"The key does not say what ‘{code}’ stands for."))
        elif len(title) > (longest := _longest(OwnerCode, "title")):
            message = f"What ‘{code}’ stands for is longer than {longest} characters."
            problems.append(Problem(number, message))
        elif code.casefold() not in existing:
            existing.add(code.casefold())
            codes.append((code, title))
    return codes, _read_legend(words, problems)


CODE_RULE = "use up to 12 letters, digits or & . + - (no spaces)."


def _read_legend(words, problems) -> dict[str, str]:
    if not words:
        return {}
    by_name = _canonical_names()
    if all(means for _, _, means in words):
        statuses = [by_name.get(_word(means)) for _, _, means in words]
    else:
        statuses = LEGEND_ORDER.get(len(words), [None] * len(words))
    legend = {}
    for (number, word, _), status in zip(words, statuses, strict=True):
        if status is None:
            problems.append(
                Problem(number, f"Cannot tell which status the key's word ‘{word}’ stands for.")
            )
        elif status in legend or _fold(word) in {_fold(w) for w in legend.values()}:
            problems.append(Problem(number, f"The key names a status twice (‘{word}’)."))
        else:
            legend[status] = word
    return legend


def _canonical_names() -> dict[str, str]:
    names = {_word(s.label): s.value for s in Status} | {s.value: s.value for s in Status}
    return names | {"r": Status.RED, "a": Status.AMBER, "g": Status.GREEN}


def _status_words(plan, legend: dict[str, str]) -> dict[str, str]:
    """Every word a status cell may hold, folded: canonical names, the plan's words, the file's."""
    words = _canonical_names()
    words |= {_word(w.label): status for status, w in services.wording_for(plan).items()}
    words |= {_word(word): status for status, word in legend.items()}
    return words


def _word(text: str) -> str:
    """A status word folded, so that 'Completed / Start Pending' is 'completed/start pending'."""
    return re.sub(r"\s*([/-])\s*", r"\1", _fold(text))


def _legend_clashes(plan, legend: dict[str, str], row: int) -> list[Problem]:
    """A word of the file's key that the plan already uses for a status the key leaves alone."""
    wording = services.wording_for(plan)
    problems = []
    for status, word in legend.items():
        for other, current in wording.items():
            if other != status and other not in legend and _word(current.label) == _word(word):
                problems.append(
                    Problem(
                        row,
                        f"The key's ‘{word}’ ({Status(status).label.lower()}) is already the "
                        f"plan's word for {Status(other).label.lower()}. Change one of them, in "
                        "the plan's settings or in the file.",
                    )
                )
    return problems


def phase_name(header: str) -> str:
    """The phase a column header names, without its period: ``phase_1``, ``P1`` and
    ``Phase 1 (Jun 2027 - May 2028)`` all name ``Phase 1``."""
    match = PHASE_HEADER.match(header.strip())
    name = (match["name"] if match else header).strip()
    if numbered := NUMBERED_PHASE.match(name):
        return f"Phase {numbered[1]}"
    return name


def _header_period(header: str) -> tuple[date, date] | None:
    match = PHASE_HEADER.match(header.strip())
    if not (match and match["start"]):
        return None
    try:
        return parse_month(match["start"]), parse_month(match["end"])
    except ValueError:
        return None


def undated_phases(plan, headers: list[str], columns: list[str]) -> list[tuple[int, str]]:
    """The phase columns whose header gives no period and whose phase the plan does not have
    yet, as (column, phase name): the preview asks for each one's first and last month."""
    existing = {p.name.casefold() for p in plan.phases.all()}
    return [
        (index, phase_name(cell(headers, index)))
        for index, name in enumerate(columns)
        if name == "phase"
        and _header_period(cell(headers, index)) is None
        and phase_name(cell(headers, index)).casefold() not in existing
    ]


def _phase_columns(plan, mapping, headers, problems, periods) -> dict[int, PhaseColumn]:
    existing = {p.name.casefold(): p for p in plan.phases.all()}
    number, phases = mapping.header_row + 1, {}
    for index, name in enumerate(mapping.columns):
        if name != "phase":
            continue
        header = cell(headers, index)
        title = phase_name(header)
        known = existing.get(title.casefold())
        period = _header_period(header)
        if period is None and known is None and all(periods.get(index) or (None,)):
            period = periods[index]
        if period is None:
            if known is None:
                problems.append(
                    Problem(
                        number,
                        f"Give the first and last month of ‘{title}’ (the column ‘{header}’ "
                        "does not say when it runs).",
                    )
                )
                continue
            period = known.starts_on, known.ends_on
        start, end = period
        if end < start:
            problems.append(Problem(number, f"The phase in ‘{header}’ ends before it starts."))
            continue
        if len(title) > _longest(Phase, "name"):
            problems.append(Problem(number, f"The phase name ‘{title[:40]}…’ is too long."))
            continue
        phase = PhaseColumn(title, start, end)
        if known is not None and (known.starts_on, known.ends_on) != (start, end):
            problems.append(
                Problem(
                    number,
                    f"The plan's ‘{known.name}’ runs {known.period_label}; the file's runs "
                    f"{phase.period_label}. Change one of them so that they agree.",
                )
            )
            continue
        phases[index] = phase
    return phases


def _year_columns(mapping, headers, problems) -> dict[int, int]:
    years = {}
    for index, name in enumerate(mapping.columns):
        if name == "year":
            match = YEAR_HEADER.match(_fold(cell(headers, index)))
            if match:
                years[index] = int(match[1])
            else:
                problems.append(
                    Problem(
                        mapping.header_row + 1,
                        f"The column ‘{cell(headers, index)}’ is not named after a year.",
                    )
                )
    return years


def preview(
    plan: ActionPlan,
    table: list[list[str]],
    mapping: ColumnMapping,
    periods: Mapping[int, tuple[date | None, date | None]] | None = None,
) -> Preview:
    """What the import would save, row by row, every row it cannot read with the reason, and
    every column with values that nothing reads.

    ``periods``: the first and last month of each phase column whose header does not give
    them (by column index), as the person entered them on the preview."""
    result = _preview(plan, table, mapping, periods or {})
    result.problems.sort(key=lambda problem: problem.row)
    return result


def _preview(plan, table, mapping, periods) -> Preview:
    headers = table[mapping.header_row]
    result = Preview(mapping=mapping, headers=headers)
    problems = result.problems
    header_number = mapping.header_row + 1
    columns = {name: mapping.index(name) for name in SINGLE_FIELDS}
    title_col, theme_col = columns["title"], columns["theme"]

    def header(name):
        return cell(headers, columns[name]) or FIELDS[name]

    phases = _phase_columns(plan, mapping, headers, problems, periods)
    years = _year_columns(mapping, headers, problems)
    result.phases = list(phases.values())
    result.years = sorted(set(years.values()))
    if phases:
        result.timing_style = TimingStyle.PHASES
    elif years:
        result.timing_style = TimingStyle.YEARS
    elif columns["target_on"] is not None:
        result.timing_style = TimingStyle.DATES

    end = _key_start(table, mapping.header_row)
    if end < len(table):
        result.key, result.legend = _read_key(plan, table, end, problems)
        problems.extend(_legend_clashes(plan, result.legend, end + 1))
    known_codes = set(plan.owner_codes.values_list("code", flat=True))
    known_codes |= {code for code, _ in result.key}
    status_words = _status_words(plan, result.legend)

    if title_col is None:
        problems.append(Problem(header_number, NO_TITLE_COLUMN))
        return result

    heading, heading_rows = None, 0
    body = []
    for index in range(mapping.header_row + 1, end):
        row = table[index]
        filled = [i for i, text in enumerate(row) if text]
        if not filled:
            continue
        if len(filled) == 1 and filled[0] == (theme_col if theme_col is not None else title_col):
            heading, heading_rows = row[filled[0]], heading_rows + 1
            result.headings.append(heading)
            continue
        if theme_col is not None and cell(row, theme_col):
            heading = cell(row, theme_col)
            result.headings.append(heading)
        body.append((index + 1, row, heading))
    result.unmapped = unmapped_columns(mapping, headers, [row for _, row, _ in body])

    if theme_col is None and not heading_rows:
        problems.append(Problem(header_number, NO_THEME))
        return result
    if not body:
        problems.append(Problem(header_number, NO_ACTIONS))
    result.headings = list(dict.fromkeys(result.headings))
    for name in result.headings:
        if len(name) > 120:
            problems.append(Problem(header_number, f"The heading ‘{name[:40]}…’ is too long."))

    uses: dict[str, tuple[str, list[int]]] = {}  # unknown owner codes and the rows using them
    for number, row, heading in body:
        found = []

        def text(name, row=row):
            return cell(row, columns[name]) if columns[name] is not None else ""

        item = ImportRow(number=number, heading=heading or "", title=text("title"))
        if not heading:
            found.append(Problem(number, "The action comes before any theme heading."))
        if not item.title:
            found.append(Problem(number, f"The action has no title in ‘{header('title')}’."))
        elif len(item.title) > 500:
            found.append(Problem(number, "The action is longer than 500 characters."))
        item.description = text("description")
        item.success_criteria = text("success_criteria")
        item.comment = text("comment")
        item.led_by, unknown = services.parse_led_by(plan, text("led_by"), known=known_codes)
        for code in unknown:
            if services.CODE_PATTERN.match(code):
                uses.setdefault(code.casefold(), (code, []))[1].append(number)
                found.append(Problem(number, "", code=code))
            else:
                message = f"‘{code}’ in ‘{header('led_by')}’ cannot be a code: {CODE_RULE}"
                found.append(Problem(number, message))
        if len(item.led_by) > 120:
            found.append(Problem(number, f"‘{header('led_by')}’ is longer than 120 characters."))
        for index, phase in phases.items():
            month = cell(row, index)
            if not month:
                continue
            try:
                item.targets[phase.name] = parse_month(month)
            except ValueError:
                found.append(
                    Problem(
                        number,
                        f"‘{month}’ in ‘{cell(headers, index)}’ is not a month. "
                        f"Write months like {MONTH_FORMATS}.",
                    )
                )
        item.focus_years = sorted({y for i, y in years.items() if is_ticked(cell(row, i))})
        if text("target_on"):
            try:
                item.target_on = parse_date(text("target_on"))
            except ValueError:
                found.append(
                    Problem(
                        number,
                        f"‘{text('target_on')}’ in ‘{header('target_on')}’ is not a date. "
                        f"Write dates like {DATE_FORMATS}.",
                    )
                )
        if text("status"):
            status = status_words.get(_word(text("status")))
            if status is None:
                found.append(
                    Problem(
                        number,
                        f"‘{text('status')}’ in ‘{header('status')}’ is not one of the "
                        f"plan's statuses: {_status_list(plan, result.legend)}.",
                    )
                )
            else:
                item.status = status
        problems.extend(p for p in found if not p.code)
        if all(p.code for p in found):  # unknown codes alone: it imports once they are added
            result.rows.append(item)
    if uses:
        problems.extend(_unknown_code_problems(uses, header("led_by")))
    return result


def _unknown_code_problems(uses: dict, column: str) -> list[Problem]:
    """One problem per owner code the key lacks, however many rows use it, naming those rows."""
    problems = []
    for code, rows in uses.values():
        if len(rows) == 1:
            message = (
                f"‘{code}’ in ‘{column}’ is not in the plan's key. "
                "Add it to the key, or correct the row."
            )
        else:
            message = (
                f"‘{code}’ in ‘{column}’ is not in the plan's key (rows {_and(rows)}). "
                "Add it to the key, or correct those rows."
            )
        problems.append(Problem(rows[0], message, code=code, rows=rows))
    return problems


def _and(numbers: list[int]) -> str:
    words = [str(n) for n in numbers]
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


@dataclass
class Unmapped:
    """A column with values that nothing reads: the preview warns about each one."""

    index: int
    header: str
    samples: list[str]  # its first three different values

    @property
    def letter(self) -> str:
        return column_letter(self.index)


def unmapped_columns(mapping: ColumnMapping, headers: list[str], rows) -> list[Unmapped]:
    """Every column that holds a value in ``rows`` but is not mapped to anything."""
    width = max([len(headers), *(len(row) for row in rows)], default=0)
    found = []
    for index in range(width):
        if index < len(mapping.columns) and mapping.columns[index]:
            continue
        values = list(dict.fromkeys(cell(row, index) for row in rows if cell(row, index)))
        if values:
            found.append(Unmapped(index, cell(headers, index), values[:3]))
    return found


def column_letter(index: int) -> str:
    """A column's letter as spreadsheets name it: 0 is A, 26 is AA."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _status_list(plan, legend) -> str:
    wording = services.wording_for(plan)
    return ", ".join(legend.get(s, wording[s].label) for s in Status)


# --- Saving ----------------------------------------------------------------------------------


@transaction.atomic
def apply(
    plan: ActionPlan, preview: Preview, *, by, add_codes: Mapping[str, str] | Iterable[str] = ()
) -> list[Action]:
    """Save the previewed plan: its key, status words, phases, headings and actions, all or none.

    ``add_codes`` are unknown owner codes the person chose to add to the key, with what each
    stands for (a mapping) or on their own (the code then stands for itself)."""
    titles = dict(add_codes) if isinstance(add_codes, Mapping) else {c: c for c in add_codes}
    blocking = preview.blocking(titles)
    if blocking:
        rows = len(set().union(*(p.row_numbers for p in blocking)))
        raise ImportRefused(
            f"{rows} row{'s' if rows != 1 else ''} cannot be read, so nothing was imported."
        )
    try:
        return _save(plan, preview, by, titles)
    except services.PlanError as error:
        raise ImportRefused(str(error)) from error


def _save(plan, preview, by, titles) -> list[Action]:
    services.check_editable(plan)
    plan = ActionPlan.objects.select_for_update().get(pk=plan.pk)
    was_empty = not plan.actions.live().exists()
    if preview.timing_style and preview.timing_style != plan.timing_style:
        ActionPlan.objects.filter(pk=plan.pk).update(timing_style=preview.timing_style)
        plan.timing_style = preview.timing_style
    for code, title in preview.key:
        services.add_owner_code(plan, code, title)
    for code in preview.unknown_codes:
        title = next((t for c, t in titles.items() if c.casefold() == code.casefold()), "")
        services.add_owner_code(plan, code, (title or "").strip() or code)
    wording = services.wording_for(plan)
    for status, word in preview.legend.items():
        if word != wording[status].label:
            services.set_wording(plan, status, word, wording[status].description)

    phases = {p.name.casefold(): p for p in plan.phases.all()}
    for column in preview.phases:
        if column.name.casefold() not in phases:
            phases[column.name.casefold()] = services.add_phase(
                plan, column.name, column.starts_on, column.ends_on
            )
    headings = _headings(plan, preview.headings)

    actions = []
    for row in preview.rows:
        actions.append(
            services.add_action(
                headings[row.heading.casefold()],
                by=by,
                title=row.title,
                description=row.description,
                led_by=row.led_by,
                target_on=row.target_on,
                focus_years=row.focus_years,
                success_criteria=row.success_criteria,
                status=row.status,
                comment=row.comment,
                targets={phases[n.casefold()].pk: m for n, m in row.targets.items()},
            )
        )
    if was_empty:
        _order_headings(plan, [headings[n.casefold()] for n in preview.headings])
    return actions


def _headings(plan, names: list[str]) -> dict:
    """{folded name: heading}; a name that is a theme's is that theme's heading."""
    services.ensure_theme_headings(plan)
    headings = {h.name.casefold(): h for h in plan.headings.select_related("theme")}
    for name in names:
        if name.casefold() not in headings:
            headings[name.casefold()] = services.add_heading(plan, name)
    return headings


def _order_headings(plan, ordered) -> None:
    """The file's headings first, in the file's order; the plan's others after them."""
    for target, heading in enumerate(dict.fromkeys(ordered)):
        current = [h.pk for h in plan.headings.order_by("position", "pk")]
        offset = target - current.index(heading.pk)
        if offset:
            services.move_heading(heading, offset)
