"""What a PDF shows, read back with pypdf: each run of text with where it stands on its page, the
body's text without the running footer, and the cells whose text is missing or off the page.

Used by the PDF tests and by bench/pdf.py (``plan_pdf_clipped_cells``). A run's width is measured
with the vendored DejaVu fonts' own advance widths (fontTools, which WeasyPrint installs), so a
line that starts on the page but runs off its edge is caught as well as one that starts off it.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

FONTS = Path(__file__).resolve().parent.parent / "static" / "fonts"
# The footer (document title, "Page n of m") stands in the bottom margin: 18 mm in landscape,
# 22 mm in portrait. Runs lower than this are the footer, not the body.
FOOTER_PT = 17 * 72 / 25.4
TOLERANCE_PT = 0.5
# A list's numbers and bullets are drawn apart from their items, not in reading order.
LIST_MARKER = re.compile(r"\s*(\d+\.|[a-z]\.|[•◦▪‣–-])\s*")


@dataclass
class Run:
    page: int
    text: str
    x: float
    y: float
    width: float
    size: float
    page_width: float
    page_height: float

    @property
    def outside(self) -> bool:
        """Some glyph of the run lies outside the page box."""
        return (
            self.x < -TOLERANCE_PT
            or self.x + self.width > self.page_width + TOLERANCE_PT
            or self.y < -TOLERANCE_PT
            or self.y + self.size > self.page_height + TOLERANCE_PT
        )


@cache
def _advances(bold: bool) -> tuple[dict[int, int], int]:
    from fontTools.ttLib import TTFont

    font = TTFont(FONTS / ("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"))
    cmap = font.getBestCmap()
    metrics = font["hmtx"].metrics
    return {code: metrics[name][0] for code, name in cmap.items()}, font["head"].unitsPerEm


def text_width(text: str, size: float, bold: bool = False) -> float:
    advances, units = _advances(bold)
    fallback = advances.get(ord("M"), units)
    return sum(advances.get(ord(c), fallback) for c in text) * size / units


def runs(data: bytes) -> list[Run]:
    """Every run of text in the PDF, in the order it is drawn, with its page position."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    found: list[Run] = []
    for number, page in enumerate(reader.pages, start=1):
        box = page.mediabox
        width, height = float(box.width), float(box.height)

        def visit(text, cm, tm, font_dict, font_size, number=number, width=width, height=height):
            if not text or not text.strip():
                return
            # The text matrix, then the current transformation matrix: where the run starts.
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            scale = abs(tm[0] * cm[0]) or 1.0
            size = (font_size or 0) * scale
            base = str((font_dict or {}).get("/BaseFont", ""))
            line = text.rstrip("\n")
            found.append(
                Run(
                    page=number,
                    text=line,
                    x=x,
                    y=y,
                    width=text_width(line, size, bold="Bold" in base),
                    size=size,
                    page_width=width,
                    page_height=height,
                )
            )

        page.extract_text(visitor_text=visit)
    return found


def body_text(data: bytes, footer: bool = False) -> str:
    """The text of the page bodies in the order it is drawn, runs joined by spaces, without
    list markers; the footer too if asked."""
    found = [r.text for r in runs(data) if footer or r.y > FOOTER_PT]
    return " ".join(" ".join(t for t in found if not LIST_MARKER.fullmatch(t)).split())


def squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def pieces_of(text: str, stream: str) -> int | None:
    """In how many contiguous pieces ``text`` (white space left out) stands in ``stream``, in
    order; None if some character of it is not there at all.

    A cell that breaks across pages is drawn in pieces (its first lines, then the footer, the
    repeated header and the other cells, then the rest), so a cell is read as a few pieces."""
    text, position, count = squeezed(text), 0, 0
    while text:
        low, high = 0, len(text)  # the longest prefix of text found in stream after position
        while low < high:
            middle = (low + high + 1) // 2
            if stream.find(text[:middle], position) >= 0:
                low = middle
            else:
                high = middle - 1
        if low == 0:
            return None
        position = stream.find(text[:low], position) + low
        text = text[low:]
        count += 1
    return count


def clipped_cells(data: bytes, cells: list[str], most_pieces: int = 4) -> list[str]:
    """The cells whose text is not all in the PDF (in at most ``most_pieces`` pieces, in
    order), or not on the page: every cell's text counts if any run of text lies outside."""
    found = runs(data)
    outside = [r for r in found if r.outside]
    stream = squeezed("".join(r.text for r in found if r.y > FOOTER_PT))
    missing = []
    for cell in cells:
        if not cell.strip():
            continue
        pieces = pieces_of(cell, stream)
        off_page = any(squeezed(r.text) in squeezed(cell) for r in outside if r.text.strip())
        if pieces is None or pieces > most_pieces or off_page:
            missing.append(cell)
    return missing


# --- A long plan to print: the worst the tables meet ---------------------------------------------

WORDS = [
    "technician",
    "career",
    "development",
    "recognition",
    "visibility",
    "sustainability",
    "apprenticeship",
    "registration",
    "workshop",
    "committee",
    "laboratory",
    "department",
    "institute",
    "professional",
    "network",
    "mentoring",
    "secondment",
    "succession",
    "workforce",
]


def filler(tag: str, length: int) -> str:
    """About ``length`` characters of words, starting with a tag that no other cell has, with an
    unbreakable 60-character token in the middle (a long address, say)."""
    words, index = [tag], sum(map(ord, tag))
    while sum(len(w) + 1 for w in words) < length:
        index = (index * 31 + 7) % 9973
        words.append(WORDS[index % len(WORDS)])
        if len(words) == 12:
            words.append(f"https://example.org/{tag}/" + "a" * 40)
    return " ".join(words)[:length].strip()


def long_plan(style: str, actions: int = 8, comment: int = 2000) -> dict:
    """A plan's plain data (as queries.plan_as_data gives it) with three phases or three focus
    years, every cell filled and a long comment on every action."""
    phases = [
        {"name": f"Phase {n}", "period": f"Dec {2025 + n} to Nov {2026 + n}"} for n in (1, 2, 3)
    ]
    statuses = ["not_started", "red", "amber", "green", "complete"]
    headings = []
    for h in range(4):
        rows = []
        for a in range(h, actions, 4):
            rows.append(
                {
                    "title": filler(f"T{a}x", 110),
                    "description": filler(f"D{a}x", 260),
                    "led_by": "PL/HTS",
                    "targets": {"Phase 1": "2026-03", "Phase 2": "2027-10", "Phase 3": "2028-06"},
                    "focus_years": [2026, 2028] if a % 2 else [2026, 2027, 2028],
                    "target_on": None,
                    "success_criteria": filler(f"S{a}x", 320),
                    "status": statuses[a % len(statuses)],
                    "comment": filler(f"C{a}x", comment),
                }
            )
        headings.append(
            {"name": f"Theme heading {h + 1}", "theme": None, "description": "", "actions": rows}
        )
    return {
        "title": f"A long plan in {style}",
        "period": "Dec 2025 to Nov 2028",
        "horizon_months": 36,
        "timing_style": style,
        "phases": phases,
        "key": [
            {"code": "PL", "title": "Project Lead"},
            {"code": "HTS", "title": "Head of Technical Services"},
        ],
        "wording": {},
        "wording_descriptions": {},
        "headings": headings,
    }


def plan_cells(plan: dict) -> list[str]:
    """The text of every cell of the plan table, as actionplans.layout lays it out."""
    from actionplans.layout import plan_layout

    layout = plan_layout(plan)
    cells = [c["label"] for c in layout["timing"]]
    for heading in layout["headings"]:
        cells.append(heading["name"])
        for row in heading["rows"]:
            cells += [row["title"], row["description"], ", ".join(row["owners"])]
            cells += [*row["timing"], row["success_criteria"], row["status_word"], row["comment"]]
    return [cell for cell in cells if cell.strip()]
