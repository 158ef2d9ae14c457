"""The accessible stacked bar (techcommit/charts.py and templates/charts/_stacked_bar.html)."""

import io
import re
from datetime import date

import pytest
from django.template import Context, Template
from django.template.loader import render_to_string
from pypdf import PdfReader

from publications.pdf import html_to_pdf
from techcommit.charts import progress_bar, stacked_bar


def test_segments_share_the_width_in_order():
    bar = stacked_bar(
        "Visibility", [("No", 1, "#8c2d04"), ("Maybe", 0, "#d9d9d9"), ("Yes", 3, "#0b4f8a")]
    )
    assert [(s.label, s.percent, s.x, s.width) for s in bar.segments] == [
        ("No", 25.0, 0.0, 150.0),
        ("Maybe", 0.0, 150.0, 0.0),
        ("Yes", 75.0, 150.0, 450.0),
    ]
    assert bar.description == "Visibility: No 1 (25%), Yes 3 (75%); 4 answers in all."


def test_an_empty_bar_says_so():
    assert stacked_bar("Recognition", [("Yes", 0, "#0b4f8a")]).description == (
        "Recognition: no answers."
    )


def test_the_bar_is_an_image_with_its_words_a_legend_and_a_table():
    bar = stacked_bar(
        "Actions",
        [("Red", 1, "#a4161a"), ("Green", 9, "#1b6e3a")],
        unit="actions",
        category="Status",
    )
    html = render_to_string("charts/_stacked_bar.html", {"bar": bar, "chart_id": "rag"})
    assert 'role="img" aria-labelledby="rag-title rag-desc"' in html
    assert (
        '<desc id="rag-desc">Actions: Red 1 (10%), Green 9 (90%); 10 actions in all.</desc>' in html
    )
    # Each segment wide enough carries its percentage as text, not colour alone.
    assert re.findall(r">(\d+%)</text>", html) == ["10%", "90%"]
    words = re.sub(r"<svg.*?</svg>", " ", html.split("</svg>", 1)[1], flags=re.S)
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", words)).strip()
    assert text == (
        "Red Green Actions: the figures Status Number Per cent Red 1 10% Green 9 90% Total 10 100%"
    )


# --- The progress bar ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "words", "percent"),
    [
        (date(2025, 12, 31), "Starts in January 2026", 0),
        (date(2026, 1, 1), "Month 1 of 36", 3),
        (date(2027, 2, 14), "Month 14 of 36", 39),
        (date(2028, 12, 1), "Month 36 of 36", 100),
        (date(2029, 3, 1), "Ended in December 2028 (all 36 months)", 100),
    ],
)
def test_the_progress_bar_counts_months_of_the_period(today, words, percent):
    progress = progress_bar("Plan 2026–2028", date(2026, 1, 1), date(2028, 12, 1), today)
    assert progress.words == words
    assert round(progress.percent) == percent
    assert progress.description == f"Plan 2026–2028: {words} ({percent}% of the period)."


def test_the_progress_bar_is_an_image_with_its_words():
    progress = progress_bar("Plan", date(2026, 1, 1), date(2028, 12, 1), date(2027, 2, 14))
    html = render_to_string("charts/_progress_bar.html", {"progress": progress, "chart_id": "p"})
    assert 'role="img" aria-labelledby="p-desc"' in html
    assert '<desc id="p-desc">Plan: Month 14 of 36 (39% of the period).</desc>' in html
    assert 'width="233.33"' in html  # 14 of 36 of the 600 units
    assert "Plan: <strong>Month 14 of 36</strong>" in html


# --- In a PDF, as in the browser ----------------------------------------------------------------


def test_the_charts_print_in_a_pdf_with_their_words_and_figures():
    """The same partials inside a page WeasyPrint renders (publications.pdf's renderer): the
    bars are drawn, and their words, figures and data table come out as text in the PDF."""
    bar = stacked_bar(
        "Recognition",
        [("■ Delayed", 1, "#a4161a"), ("● On track", 3, "#1b6e3a")],
        unit="actions",
        category="Status",
    )
    progress = progress_bar("Plan period", date(2026, 1, 1), date(2028, 12, 1), date(2027, 2, 14))
    body = render_to_string(
        "charts/_stacked_bar.html", {"bar": bar, "chart_id": "rag"}
    ) + render_to_string("charts/_progress_bar.html", {"progress": progress, "chart_id": "p"})
    html = (
        '<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>Charts</title>'
        f"</head><body>{body}</body></html>"
    )
    data = html_to_pdf(html)
    assert data.startswith(b"%PDF")
    text = " ".join(PdfReader(io.BytesIO(data)).pages[0].extract_text().split())
    # The percentages drawn on the segments, then the data table and the progress caption.
    assert "25%" in text
    assert "75%" in text
    assert "Recognition" in text
    assert "■ Delayed 1 25%" in text
    assert "● On track 3 75%" in text
    assert "Total 4 100%" in text
    assert "Plan period: Month 14 of 36" in text


def test_any_template_draws_a_plan_period_with_the_tag():
    page = Template(
        '{% load charts %}{% progress_chart "Plan period" starts ends "plan" today=today %}'
    ).render(
        Context({"starts": date(2026, 1, 1), "ends": date(2028, 12, 1), "today": date(2027, 2, 1)})
    )
    assert '<figure class="progress-chart mb-2" id="plan">' in page
    assert "Plan period: <strong>Month 14 of 36</strong>" in page
