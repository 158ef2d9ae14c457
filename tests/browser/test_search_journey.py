# ruff: noqa: F811 - the fixture of test_public_journey, imported by name, is the tests' argument
"""A member of the public, not signed in, searches every published plan, narrows the hits with a
filter and follows one to the action's row in its plan; the search page fits a phone and passes
axe at phone and desktop widths."""

import re

import pytest

from tests.browser.test_public_journey import published  # noqa: F401 - fixture
from tests.browser.test_responsive import DESKTOP, PHONE, serious, sideways

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("official_forms"),
]


def test_the_public_searches_the_plans_filters_and_follows_a_hit_to_its_row(page, published):
    from playwright.sync_api import expect

    page.goto("/")
    page.get_by_role("link", name="Search plans").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Search published plans and update papers"
    )

    page.get_by_label("Words to find").fill("technician")
    page.get_by_role("button", name="Search").click()
    expect(page.locator("#results-count")).to_have_text("2 results found")
    expect(page.locator(".search-hit mark").first).to_have_text("technician")

    page.get_by_label("Status").select_option(label="Red")
    page.get_by_role("button", name="Search").click()
    expect(page.locator("#results-count")).to_have_text("1 result found")
    hit = page.locator(".search-hit")
    expect(hit).to_contain_text("Brackenfield Institute")
    expect(hit).to_contain_text("Waiting for the levy budget.")

    hit.get_by_role("link", name="Start a technician apprenticeship scheme").click()
    expect(page).to_have_url(
        re.compile(re.escape(published.get_absolute_url()) + r"#plan-h\d+-a\d+$")
    )
    anchor = page.evaluate("location.hash")
    row = page.locator(f"tr{anchor}")
    expect(row).to_contain_text("Start a technician apprenticeship scheme")
    expect(row).to_contain_text("Waiting for the levy budget.")


def test_the_search_page_fits_a_phone_and_passes_axe(page, published):
    paths = ["/search/", "/search/?q=technician", "/search/?q=technician&status=red"]
    assert sideways(page, paths) == {}
    assert serious(page, paths, PHONE) == {}
    assert serious(page, paths, DESKTOP) == {}
