"""An update paper from a finalised review to the public: the lead makes one from the final
review of a 24-month plan, with achievements for both years of the plan, a rich-text
introduction, the steering group's feedback quoted and next steps with a deadline; previews and
publishes it; signed out, anyone reads it on its page and in its PDF."""

from datetime import date

import pytest
from django.test import Client

from actionplans import services as plan_services
from actionplans.enums import PlanStatus
from actionplans.models import ActionPlan
from publications.models import Publication
from signatories.enums import Role
from tests.actionplans.test_update_papers import finalised_review
from tests.actionplans.test_update_papers import start as start_paper
from tests.browser.helpers import rich_editor
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.pdf_text import body_text

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("official_forms"),
]

CLINIC = "Open a technician drop-in clinic at Fenwick Hall"
COMMITTEE = "Add technicians to the Brackley research committee"
SHOWCASE = "Hold the first Brackenfield technician showcase"
FEEDBACK = (
    "The steering group welcomes the clinic and the committee seats, and asks Brackenfield to "
    "show how the showcase reaches technicians on its second campus."
)


@pytest.fixture
def final_review(official_forms, settings, tmp_path):
    """Brackenfield's approved 24-month plan (December 2025 to November 2027), the review of its
    first year and the final review of its second, each finalised."""
    settings.MEDIA_ROOT = tmp_path / "media"
    organisation = OrganisationFactory(
        name="Brackenfield Institute", short_name="Brackenfield", slug="brackenfield"
    )
    lead = UserFactory(email="lead.b@example.org", full_name="Bea Lowther")
    MembershipFactory(organisation=organisation, role=Role.LEAD, user=lead)
    plan = plan_services.create_plan(
        organisation, by=lead, starts_on=date(2025, 12, 1), horizon_months=24
    )
    visibility = plan.headings.get(theme__slug="visibility")
    recognition = plan.headings.get(theme__slug="recognition")
    plan_services.add_action(visibility, by=lead, title=CLINIC)
    plan_services.add_action(visibility, by=lead, title=COMMITTEE)
    plan_services.add_action(recognition, by=lead, title=SHOWCASE)
    ActionPlan.objects.filter(pk=plan.pk).update(status=PlanStatus.APPROVED)
    plan.refresh_from_db()
    finalised_review(
        plan, lead, date(2025, 12, 1), date(2026, 11, 30), {CLINIC: "Open every Tuesday."}
    )
    review = finalised_review(
        plan,
        lead,
        date(2026, 12, 1),
        date(2027, 11, 30),
        {CLINIC: "", COMMITTEE: "Two seats since March.", SHOWCASE: "Forty posters shown."},
    )
    return review, lead


def sign_in(page, user, live_server):
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def test_a_lead_publishes_an_update_paper_the_public_reads(
    page, final_review, live_server, tmp_path
):
    from playwright.sync_api import expect

    review, lead = final_review
    plan = review.plan
    sign_in(page, lead, live_server)
    page.goto(f"/organisations/brackenfield/action-plans/{plan.pk}/reviews/{review.pk}/")
    page.get_by_role("link", name="Make an update paper from this review").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Make an update paper")

    page.get_by_label("Title").fill("Update paper, February 2028")
    page.get_by_label("Date of the paper").fill("2028-02-01")
    page.get_by_label("Year 1 (Dec 2025 to Nov 2026)").check()
    page.get_by_label("Year 2 (Dec 2026 to Nov 2027)").check()
    page.get_by_role("button", name="Make the update paper").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Update paper, February 2028")
    # Prefilled: each completed action once, in the year it was first completed.
    expect(page.locator("#id_form-0-text")).to_have_value(f"{CLINIC}: Open every Tuesday.")
    expect(page.locator("#id_form-0-period")).to_have_value("Year 1")
    expect(page.locator("#id_form-1-text")).to_have_value(f"{COMMITTEE}: Two seats since March.")
    expect(page.locator("#id_form-2-period")).to_have_value("Year 2")

    editor = rich_editor(page, "Introduction")
    editor.click()
    # The introduction keeps headings: the first line becomes one, the next is a paragraph.
    page.keyboard.type("Two years at Brackenfield")
    page.get_by_role("button", name="Heading", exact=True).click()
    page.keyboard.press("End")
    page.keyboard.press("Enter")
    page.keyboard.type("This paper reports two years of the Brackenfield plan.")
    page.get_by_label("Steering group's feedback").fill(FEEDBACK)
    page.get_by_label("Feedback given by").fill("Technician Commitment steering group")
    page.get_by_label("Feedback given on").fill("2028-01-15")
    page.get_by_label("Next steps", exact=True).fill("Take the showcase to the Quayside campus.")
    page.get_by_label("Deadline for the next steps").fill("2028-09-30")
    page.locator("#id_form-2-text").fill(f"{SHOWCASE}: forty posters by technicians.")
    page.locator("#id_form-2-position").fill("0")
    page.get_by_role("button", name="Save and preview").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Update paper, February 2028")
    expect(page.locator("blockquote")).to_have_text(FEEDBACK)
    page.get_by_role("button", name="Publish the update paper").click()
    expect(page.get_by_role("alert").or_(page.locator(".alert-success")).first).to_contain_text(
        "is published as version 1"
    )

    # Signed out, anyone reads it.
    page.context.clear_cookies()
    publication = Publication.objects.get(kind="update_paper")
    page.goto(publication.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_have_text("Update paper, February 2028")
    expect(
        page.get_by_text("This paper reports two years of the Brackenfield plan.")
    ).to_be_visible()
    introduction = page.locator(".paper-introduction")
    expect(introduction.get_by_role("heading", level=3)).to_have_text("Two years at Brackenfield")
    expect(introduction.locator("p")).to_have_text(
        "This paper reports two years of the Brackenfield plan."
    )
    expect(page.get_by_role("heading", name="Year 1")).to_be_visible()
    expect(page.get_by_role("heading", name="Year 2")).to_be_visible()
    expect(page.locator("blockquote")).to_have_text(FEEDBACK)
    expect(page.locator("figcaption")).to_contain_text("Technician Commitment steering group")
    expect(page.get_by_text("Deadline: 30 September 2028")).to_be_visible()
    expect(page.get_by_role("heading", name="Progress by theme")).to_be_visible()

    with page.expect_download() as info:
        page.get_by_role("link", name="Download the PDF").click()
    saved = tmp_path / info.value.suggested_filename
    info.value.save_as(saved)
    text = " ".join(body_text(saved.read_bytes()).split())
    for expected in (
        f"{CLINIC}: Open every Tuesday.",
        f"{COMMITTEE}: Two seats since March.",
        f"{SHOWCASE}: forty posters by technicians.",
        "30 September 2028",
        "Technician Commitment steering group",
        "Two years at Brackenfield This paper reports",
    ):
        assert expected in text
    # The years in order, the first year's achievement under it.
    assert text.index("Year 1") < text.index(CLINIC) < text.index("Year 2")


def test_the_update_paper_pages_pass_axe(page, final_review, live_server):
    """The start, edit (with an error) and preview pages against the WCAG 2.2 AA rules."""
    from tests.browser.test_accessibility import AXE, CHECK, RULES, violations

    review, lead = final_review
    plan = review.plan
    paper = start_paper(review, lead)
    sign_in(page, lead, live_server)
    base = f"/organisations/brackenfield/action-plans/{plan.pk}"
    found = {
        path: violations(page, path)
        for path in (
            f"{base}/reviews/{review.pk}/",
            f"{base}/reviews/{review.pk}/update-papers/new/",
            f"{base}/update-papers/{paper.pk}/",
            f"/organisations/brackenfield/publications/update-papers/{paper.pk}/preview/",
        )
    }
    # The edit page with its error summary.
    page.goto(f"{base}/update-papers/{paper.pk}/")
    page.locator("#id_form-0-text").fill("")
    page.get_by_role("button", name="Save", exact=True).click()
    from playwright.sync_api import expect

    expect(page.locator(".error-summary")).to_contain_text("Achievement 1, achievement")
    page.evaluate(AXE)
    found["edit page with errors"] = page.evaluate(CHECK, RULES)
    assert {path: v for path, v in found.items() if v} == {}
