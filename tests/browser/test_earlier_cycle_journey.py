"""A plan of an earlier cycle, as the lead: recorded with its original PDF, its actions imported,
a progress review finalised and published; signed out, the organisation's archive lists the
earlier cycle with the original PDF and the review."""

import io
import re
from datetime import date

import pytest
from pypdf import PdfWriter

from actionplans.models import ActionPlan
from publications.models import Publication
from signatories.enums import Role
from tests.browser.helpers import sign_in
from tests.browser.test_accessibility import AXE, CHECK, RULES
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("official_forms"),
]

CSV = "\n".join(
    [
        "theme,action,success_criteria",
        "Visibility,Name technicians on the school's web pages,Every school lists its team",
        "Recognition,Hold a yearly technician awards evening,Awards held each summer",
        "Career development,Fund two professional registrations a year,Eight registered",
        "",
    ]
)
TITLES = [
    "Name technicians on the school's web pages",
    "Hold a yearly technician awards evening",
    "Fund two professional registrations a year",
]


@pytest.fixture
def lead(official_forms):
    organisation = OrganisationFactory(
        name="Brackenfield Institute", short_name="Brackenfield", slug="brackenfield"
    )
    lead = UserFactory(email="lead.b@example.org", full_name="Bea Lowther")
    MembershipFactory(organisation=organisation, role=Role.LEAD, user=lead)
    return lead


def test_an_earlier_plan_reaches_the_public_archive(page, lead, live_server, tmp_path):
    from playwright.sync_api import expect

    original = tmp_path / "action-plan-2019.pdf"
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    original.write_bytes(buffer.getvalue())
    spreadsheet = tmp_path / "plan-2019.csv"
    spreadsheet.write_text(CSV)
    sign_in(page, lead, live_server)

    # Record the plan, approved before the portal, with its original.
    page.goto("/organisations/brackenfield/action-plans/")
    page.get_by_role("link", name="Record a plan of an earlier cycle").click()
    page.evaluate(AXE)
    assert page.evaluate(CHECK, RULES) == []
    page.get_by_label("Title").fill("Brackenfield Technician Commitment Action Plan 2019–2021")
    page.get_by_label("First month of the plan").fill("Apr 2019")
    page.get_by_label("Last month of the plan").fill("Mar 2021")
    page.get_by_label("Date it was approved").fill("2019-03-14")
    page.get_by_label("The plan as approved (PDF, optional)").set_input_files(str(original))
    page.get_by_label("Show the original PDF on the organisation's public page").check()
    page.get_by_role("button", name="Record the plan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Brackenfield Technician Commitment Action Plan 2019–2021"
    )
    expect(page.get_by_text("Status: Approved before the portal, 14 March 2019.")).to_be_visible()
    plan = ActionPlan.objects.get()

    # Its three actions, by the plan import.
    page.get_by_role("link", name="Import from a spreadsheet").click()
    page.get_by_label("Spreadsheet").set_input_files(str(spreadsheet))
    page.get_by_role("button", name="Upload and check").click()
    page.get_by_role("button", name="Import 3 actions").click()
    expect(page.get_by_text("Imported 3 actions from ‘plan-2019.csv’.")).to_be_visible()

    # A progress review, finalised.
    page.get_by_role("link", name="Progress reviews").first.click()
    page.get_by_role("link", name="Start a progress review").click()
    page.get_by_label("Date of the review").fill("2020-04-02")
    page.get_by_label("Period covered from").fill("2019-04-01")
    page.get_by_label("Period covered to").fill("2020-03-31")
    page.get_by_label("Overall status").select_option(label="On track")
    page.get_by_role("button", name="Start the review").click()
    for title, status in zip(TITLES, ["Completed", "On track", "In progress"], strict=True):
        page.get_by_label(f"Status of ‘{title}’").select_option(label=status)
    page.get_by_label(f"Comment on ‘{TITLES[0]}’").fill("Every school's page names its team.")
    page.get_by_role("button", name="Save and finalise").click()
    page.get_by_role("button", name="Yes, finalise the review").click()
    expect(page.get_by_text("The review is final.")).to_be_visible()

    # Published.
    page.goto("/organisations/brackenfield/publications/")
    page.get_by_role("button", name="Publish the progress review of 2 April 2020").click()
    expect(page.get_by_text("is published as version 1.")).to_be_visible()
    review = Publication.objects.get()
    assert review.review.plan == plan

    # Signed out, the archive by cycle.
    page.context.clear_cookies()
    page.goto("/directory/brackenfield/")
    page.evaluate(AXE)
    assert page.evaluate(CHECK, RULES) == []
    archive = page.locator("section.archive-cycle")
    expect(archive).to_have_count(1)
    expect(archive.get_by_role("heading")).to_have_text(
        "Apr 2019 to Mar 2021 Approved before the portal, 14 March 2019"
    )
    expect(archive.get_by_role("link", name=review.title, exact=True)).to_be_visible()
    link = archive.get_by_role("link", name=re.compile(r"as approved \(PDF\)"))
    expect(link).to_have_text(
        "Brackenfield Technician Commitment Action Plan 2019–2021, as approved (PDF)"
    )
    response = page.request.get(link.get_attribute("href"))
    assert response.status == 200
    assert response.body() == original.read_bytes()
    assert plan.approved_outside_on == date(2019, 3, 14)
