# ruff: noqa: F811 - the fixture of test_public_journey, imported by name, is the tests' argument
"""A member of the public, not signed in, searches every published plan, narrows the hits with a
filter and follows one to the action's row in its plan; finds an achievement of a published
update paper, said to come from it, and follows it to the paper's page; the search page fits a
phone and passes axe at phone and desktop widths."""

import re
from datetime import date

import pytest

from publications import services
from tests.actionplans.test_update_papers import finalised_review
from tests.actionplans.test_update_papers import start as start_paper
from tests.browser.test_public_journey import published  # noqa: F401 - fixture
from tests.browser.test_responsive import DESKTOP, PHONE, serious, sideways

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("official_forms"),
]


GRANTS = "Name technicians on every grant they cost"


@pytest.fixture
def published_paper(published):
    """An update paper of Brackenfield's published plan, its first year's achievement the action
    on grants, published."""
    lead, plan = published.published_by, published.plan
    review = finalised_review(
        plan, lead, date(2026, 12, 1), date(2027, 11, 30), {GRANTS: "Named on forty grants."}
    )
    return services.publish_update_paper(start_paper(review, lead), by=lead)


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


def test_the_public_finds_an_update_papers_achievement_and_reads_it(page, published_paper):
    from playwright.sync_api import expect

    page.goto("/search/")
    page.get_by_label("Words to find").fill("forty grants")
    page.get_by_role("button", name="Search").click()
    expect(page.locator("#results-count")).to_have_text("1 result found")
    hit = page.locator(".search-hit")
    expect(hit).to_contain_text(
        "Brackenfield Institute, from the update paper Update paper, February 2029, dated "
        "1 February 2029: Year 1, Visibility"
    )
    # Both words are marked (PostgreSQL's stemming also marks the title's "grant" first).
    expect(hit.locator("mark", has_text="forty")).to_have_count(1)
    expect(hit.locator("mark", has_text="grants")).to_have_count(1)
    expect(hit).not_to_contain_text("Status")  # an achievement has none

    # A status is an action's: asking for one leaves the paper out; a theme keeps it.
    page.get_by_label("Status").select_option(label="Green")
    page.get_by_role("button", name="Search").click()
    expect(page.locator("#results-count")).to_have_text("0 results found")
    page.get_by_label("Status").select_option(label="Any status")
    page.get_by_label("Theme").select_option(label="Visibility")
    page.get_by_role("button", name="Search").click()
    expect(page.locator("#results-count")).to_have_text("1 result found")

    page.locator(".search-hit").get_by_role("link", name=GRANTS).click()
    expect(page).to_have_url(
        re.compile(re.escape(published_paper.get_absolute_url()) + "#paper-p1-a1$")
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Update paper, February 2029")
    expect(page.locator("li#paper-p1-a1")).to_have_text(f"{GRANTS}: Named on forty grants.")


def test_the_search_page_fits_a_phone_and_passes_axe(page, published_paper):
    paths = [
        "/search/",
        "/search/?q=technician",
        "/search/?q=technician&status=red",
        "/search/?q=grants",
    ]
    assert sideways(page, paths) == {}
    assert serious(page, paths, PHONE) == {}
    assert serious(page, paths, DESKTOP) == {}
