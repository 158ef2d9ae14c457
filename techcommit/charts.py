"""Accessible, server-drawn bar charts (no script): the numbers become segments of one
horizontal stacked bar, drawn by ``templates/charts/_stacked_bar.html`` as an SVG with
``role="img"``, a text alternative that says every figure, a legend and a data table. A segment
wide enough carries its percentage as text, so no reading depends on colour alone.

Callers give each part a label, a count and a colour; consultations draw agreement per theme,
and any other bar (a plan's RAG split, with its status words as labels) is drawn the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

WIDTH = 600  # the SVG's user units; it scales to its container
HEIGHT = 32
MIN_LABELLED = 8.0  # percent of the width a segment needs to carry its own text

# A diverging scale for five ordered answers (disagree .. agree), dark enough on both ends for
# white text and light in the middle for black text (contrast checked against WCAG 1.4.11).
AGREEMENT_COLOURS = ["#8c2d04", "#d9711c", "#d9d9d9", "#4a90c2", "#0b4f8a"]
# The canonical action statuses (actionplans.enums.Status codes), in the scale's order: the
# segments also carry their status word and shape as labels, never colour alone.
STATUS_COLOURS = {
    "not_started": "#d9d9d9",
    "red": "#a4161a",
    "amber": "#d9711c",
    "green": "#1b6e3a",
    "complete": "#0b4f8a",
}
DARK_COLOURS = frozenset({"#8c2d04", "#0b4f8a", "#1b6e3a", "#a4161a"})


@dataclass
class Segment:
    label: str
    count: int
    colour: str
    percent: float = 0.0
    x: float = 0.0
    width: float = 0.0

    @property
    def percent_text(self) -> str:
        return f"{round(self.percent)}%"

    @property
    def labelled(self) -> bool:
        return self.percent >= MIN_LABELLED

    @property
    def text_x(self) -> float:
        return self.x + self.width / 2

    @property
    def text_colour(self) -> str:
        return "#ffffff" if self.colour in DARK_COLOURS else "#000000"


@dataclass
class Bar:
    title: str
    segments: list[Segment] = field(default_factory=list)
    unit: str = "answers"
    category: str = "Answer"  # the data table's first column: what each segment is
    width: int = WIDTH
    height: int = HEIGHT

    @property
    def total(self) -> int:
        return sum(segment.count for segment in self.segments)

    @property
    def description(self) -> str:
        """The text alternative: every figure, in words."""
        if not self.total:
            return f"{self.title}: no {self.unit}."
        parts = ", ".join(
            f"{s.label} {s.count} ({s.percent_text})" for s in self.segments if s.count
        )
        return f"{self.title}: {parts}; {self.total} {self.unit} in all."

    @property
    def text_y(self) -> float:
        return self.height / 2


def stacked_bar(
    title: str,
    parts: list[tuple[str, int, str]],
    *,
    unit: str = "answers",
    category: str = "Answer",
) -> Bar:
    """A bar of ``parts`` (label, count, colour), in the order given, across the full width."""
    total = sum(count for _, count, _ in parts)
    segments: list[Segment] = []
    x = 0.0
    for label, count, colour in parts:
        share = (count / total * 100) if total else 0.0
        width = share / 100 * WIDTH
        segments.append(
            Segment(label=label, count=count, colour=colour, percent=share, x=x, width=width)
        )
        x += width
    return Bar(title=title, segments=segments, unit=unit, category=category)


# --- How far through a period: "month 14 of 36" ------------------------------------------------

PROGRESS_HEIGHT = 20


@dataclass
class Progress:
    """A progress bar: ``month`` of ``months`` (past the last once it has ended), as an image with
    its words; the caption says the same, so nothing depends on the filled length."""

    title: str
    month: int
    months: int
    starts_on: date | None = None
    ends_on: date | None = None
    width: int = WIDTH
    height: int = PROGRESS_HEIGHT

    @property
    def percent(self) -> float:
        return (min(self.month, self.months) / self.months * 100) if self.months else 0.0

    @property
    def done_width(self) -> float:
        return self.percent / 100 * self.width

    @property
    def words(self) -> str:
        if self.month <= 0:
            if self.starts_on:
                return f"Starts in {self.starts_on:%B %Y}"
            return f"Not started: {self.months} months"
        if self.month > self.months:
            if self.ends_on:
                return f"Ended in {self.ends_on:%B %Y} (all {self.months} months)"
            return f"Ended: all {self.months} months"
        return f"Month {self.month} of {self.months}"

    @property
    def description(self) -> str:
        return f"{self.title}: {self.words} ({round(self.percent)}% of the period)."


def months_through(starts_on: date, ends_on: date, today: date) -> tuple[int, int]:
    """(the month ``today`` falls in, counting the first as 1; the period's months), for a period
    from the month of ``starts_on`` to the month of ``ends_on``. Before the start the month is 0;
    after the end it is past the last (the bar says the period has ended)."""
    months = (ends_on.year - starts_on.year) * 12 + ends_on.month - starts_on.month + 1
    month = (today.year - starts_on.year) * 12 + today.month - starts_on.month + 1
    return max(0, min(month, months + 1)), max(months, 0)


def progress_bar(title: str, starts_on: date, ends_on: date, today: date) -> Progress:
    month, months = months_through(starts_on, ends_on, today)
    return Progress(title=title, month=month, months=months, starts_on=starts_on, ends_on=ends_on)
