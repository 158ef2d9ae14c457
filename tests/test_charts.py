"""The accessible stacked bar (techcommit/charts.py and templates/charts/_stacked_bar.html)."""

import re

from django.template.loader import render_to_string

from techcommit.charts import stacked_bar


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
