"""Plans on a phone (390 px): the published plan and progress review tables become one card per
action, each value under its column's name, so no page scrolls sideways; at desktop width they
are tables again. The public organisation page shows the plan by theme, each theme folded in a
<details> whose summary gives its counts; axe finds nothing serious at either width."""

import pytest

from publications.enums import PublicationKind
from publications.models import Publication
from tests.browser.test_responsive import (  # demo: a fixture
    DESKTOP,
    OVERFLOW,
    PHONE,
    demo,  # noqa: F401
    serious,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("official_forms", "demo"),
]

# The first action's row of the first plan or review table: where its action and each shown cell
# stand, and each cell's label (the ::before text from its data-label) as the browser draws it.
FIRST_ROW = """(selector) => {
  const row = document.querySelector(selector + " tbody tr:not(.heading-row)");
  const cells = [...row.children].filter((c) => getComputedStyle(c).display !== "none");
  return cells.map((cell) => {
    const box = cell.getBoundingClientRect();
    const before = getComputedStyle(cell, "::before");
    return {
      tag: cell.tagName.toLowerCase(), x: Math.round(box.left), y: Math.round(box.top),
      label: cell.dataset.label || null,
      shown: before.display !== "none" ? before.content : "none",
    };
  });
}"""


def kelderby(kind):
    return (
        Publication.objects.public()
        .filter(organisation__slug="kelderby", kind=kind)
        .order_by("-version")
        .first()
        .get_absolute_url()
    )


def assert_cards(cells):
    assert len(cells) >= 2
    assert len({cell["x"] for cell in cells}) == 1  # stacked: every cell starts at the same x
    assert [cell["y"] for cell in cells] == sorted({cell["y"] for cell in cells})
    assert cells[0]["tag"] == "th"  # the action's title heads its card
    for cell in cells[1:]:
        assert cell["label"]
        assert cell["shown"] == f'"{cell["label"]}"'


def assert_table_row(cells):
    assert len({cell["y"] for cell in cells}) == 1  # one row, side by side
    assert len({cell["x"] for cell in cells}) == len(cells)


def test_a_published_plan_and_review_are_cards_on_a_phone_and_tables_on_a_desktop(
    page, live_server
):
    plan, review = kelderby(PublicationKind.ACTION_PLAN), kelderby(PublicationKind.PROGRESS_REVIEW)
    page.set_viewport_size(PHONE)
    for path, table in ((plan, ".plan-table"), (review, ".review-table")):
        page.goto(path)
        assert page.evaluate(OVERFLOW)["scrollWidth"] <= PHONE["width"]
        assert_cards(page.evaluate(FIRST_ROW, table))
        wrap = page.locator(f".table-responsive:has(> {table})").first
        assert wrap.evaluate("(el) => el.scrollWidth <= el.clientWidth")  # nothing to scroll
    page.set_viewport_size(DESKTOP)
    for path, table in ((plan, ".plan-table"), (review, ".review-table")):
        page.goto(path)
        assert_table_row(page.evaluate(FIRST_ROW, table))
        assert page.locator(f"{table} thead").first.is_visible()


def test_the_organisation_page_shows_the_plan_by_theme_as_cards_on_a_phone(page, live_server):
    page.set_viewport_size(PHONE)
    page.goto("/directory/kelderby/")
    themes = page.locator("details.plan-theme")
    assert themes.count() >= 2
    first = themes.first
    summary = first.locator("summary")
    # The theme's name, how many actions, and each status's count with its word and shape.
    assert first.get_attribute("open") is None
    assert " action" in summary.inner_text()
    assert summary.locator(".status-badge .shape").count() >= 1
    assert not first.locator("table").is_visible()
    summary.click()
    assert first.locator("table").is_visible()
    assert_cards(page.evaluate(FIRST_ROW, "details.plan-theme[open] .plan-table"))
    assert page.evaluate(OVERFLOW)["scrollWidth"] <= PHONE["width"]
    # The page is set in the PDFs' family (static/fonts/), its regular and bold faces loaded.
    page.evaluate("document.fonts.ready")
    loaded = page.evaluate(
        "[...document.fonts].filter((f) => f.status === 'loaded' && f.style === 'normal')"
        ".map((f) => f.family + ' ' + f.weight)"
    )
    assert sorted(loaded) == ["Portal Sans 600 700", "Portal Sans normal"]
    assert serious(page, ["/directory/kelderby/"], PHONE) == {}
    assert serious(page, ["/directory/kelderby/"], DESKTOP) == {}
