"""A progress review from start to final: a red with no explanation cannot be finalised; the error
summary leads to the comment box; explained, the review is finalised and becomes read-only."""

import re
from datetime import date

import pytest
from django.test import Client

from actionplans import services
from actionplans.enums import Status
from actionplans.models import ProgressReview
from signatories.enums import Role
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("official_forms"),
]


@pytest.fixture
def plan_of_lead(official_forms):
    organisation = OrganisationFactory(
        name="Brackenfield Institute", short_name="Brackenfield", slug="brackenfield"
    )
    lead = UserFactory(email="lead.b@example.org", full_name="Bea Lowther")
    MembershipFactory(organisation=organisation, role=Role.LEAD, user=lead)
    plan = services.create_plan(organisation, by=lead, starts_on=date(2026, 12, 1))
    services.set_wording(plan, Status.RED, "Delayed", "Behind schedule or blocked.")
    visibility = plan.headings.get(theme__slug="visibility")
    recognition = plan.headings.get(theme__slug="recognition")
    services.add_action(
        visibility, by=lead, title="Name technicians on research outputs", status=Status.AMBER
    )
    services.add_action(
        recognition, by=lead, title="Promote professional registration", status=Status.GREEN
    )
    return plan, lead


def sign_in(page, user, live_server):
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def test_a_red_without_explanation_cannot_be_finalised(page, plan_of_lead, live_server):
    from playwright.sync_api import expect

    plan, lead = plan_of_lead
    sign_in(page, lead, live_server)
    page.goto(f"/organisations/brackenfield/action-plans/{plan.pk}/reviews/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Progress reviews")
    expect(page.get_by_text("There are no progress reviews of this plan yet.")).to_be_visible()

    page.get_by_role("link", name="Start a progress review").click()
    page.get_by_label("Date of the review").fill("2027-06-05")
    page.get_by_label("Period covered from").fill("2026-12-01")
    page.get_by_label("Period covered to").fill("2027-05-31")
    page.get_by_label("Overall status").select_option(label="In progress")
    page.get_by_role("button", name="Start the review").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Progress review of 5 June 2027")

    title = "Name technicians on research outputs"
    page.get_by_label(f"Status of ‘{title}’").select_option(label="Delayed")
    page.get_by_role("button", name="Save and finalise").click()

    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(page).to_have_title(re.compile(r"^Error: Progress review of 5 June 2027"))
    expect(summary).to_contain_text("The review cannot be finalised yet")
    # What was chosen is kept.
    expect(page.get_by_label(f"Status of ‘{title}’")).to_have_value("red")
    summary.get_by_role("link", name=f"Explain why ‘{title}’ is delayed").click()
    comment = page.get_by_label(f"Comment on ‘{title}’")
    expect(comment).to_be_focused()
    expect(comment).to_be_in_viewport()
    expect(comment).to_have_attribute("aria-invalid", "true")
    comment.fill("The web team is short-staffed until September; the work starts then.")
    assert not ProgressReview.objects.get(plan=plan).is_final

    page.get_by_role("button", name="Save and finalise").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Finalise the progress review of 5 June 2027?"
    )
    assert not ProgressReview.objects.get(plan=plan).is_final
    page.get_by_role("button", name="Yes, finalise the review").click()
    expect(
        page.get_by_text("The review is final. Each action now has the status and comment")
    ).to_be_visible()
    expect(page.locator("textarea")).to_have_count(0)
    expect(page.locator("select")).to_have_count(0)
    row = page.get_by_role("row", name=re.compile(title))
    expect(row.locator(".status-badge")).to_have_text("■ Delayed")
    expect(row).to_contain_text("The web team is short-staffed until September")
    review = ProgressReview.objects.get(plan=plan)
    assert review.is_final
    red = review.entries.get(action__title=title)
    assert (red.status, red.comment) == (
        Status.RED,
        "The web team is short-staffed until September; the work starts then.",
    )
