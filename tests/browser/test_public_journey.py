"""A member of the public, not signed in, finds an organisation, reads its plan and downloads
the PDF."""

from datetime import date

import pytest

from actionplans import services as plan_services
from actionplans.enums import PlanStatus, Status
from actionplans.models import ActionPlan
from publications import services
from tests.factories import OrganisationFactory, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("official_forms"),
]


@pytest.fixture
def published(official_forms, settings, tmp_path):
    """Brackenfield's approved plan, published (its PDF rendered once the publishing commits),
    and another signatory that the search leaves out."""
    settings.MEDIA_ROOT = tmp_path / "media"
    OrganisationFactory(name="University of Aldermoor", short_name="Aldermoor", slug="aldermoor")
    organisation = OrganisationFactory(
        name="Brackenfield Institute",
        short_name="Brackenfield",
        slug="brackenfield",
        contact_name="Priya Nair",
        contact_email="technicians@brackenfield.ac.uk",
    )
    lead = UserFactory(email="lead.b@example.org", full_name="Bea Lowther")
    plan = plan_services.create_plan(
        organisation,
        by=lead,
        title="Brackenfield Technician Commitment Action Plan 2026–2028",
        starts_on=date(2026, 12, 1),
    )
    plan_services.add_owner_code(plan, "PL", "Project Lead")
    plan_services.add_action(
        plan.headings.get(theme__slug="visibility"),
        by=lead,
        title="Name technicians on every grant they cost",
        led_by="PL",
        status=Status.GREEN,
    )
    plan_services.add_action(
        plan.headings.get(theme__slug="sustainability"),
        by=lead,
        title="Start a technician apprenticeship scheme",
        led_by="PL",
        status=Status.RED,
        comment="Waiting for the levy budget.",
    )
    ActionPlan.objects.filter(pk=plan.pk).update(status=PlanStatus.APPROVED)
    plan.refresh_from_db()
    return services.publish_plan(plan, by=lead)


def test_the_public_finds_an_organisation_reads_its_plan_and_downloads_the_pdf(
    page, published, tmp_path
):
    from playwright.sync_api import expect

    page.goto("/")
    page.get_by_role("main").get_by_role("link", name="Signatories directory").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Signatories directory")
    expect(page.locator("#results-count")).to_have_text("2 signatories")

    page.get_by_label("Name, short name or initials").fill("bracken")
    page.get_by_role("button", name="Search").click()
    expect(page.locator("#results-count")).to_have_text("1 signatory")
    expect(page.get_by_role("link", name="University of Aldermoor")).to_have_count(0)
    page.get_by_role("link", name="Brackenfield Institute", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Brackenfield Institute")
    expect(page.get_by_text("Priya Nair")).to_be_visible()
    page.get_by_role("link", name="Open the action plan").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Brackenfield Technician Commitment Action Plan 2026–2028"
    )
    grant = page.get_by_role("row", name="Name technicians on every grant they cost")
    expect(grant).to_contain_text("Project Lead")
    expect(grant).to_contain_text("On track")
    apprenticeships = page.get_by_role("row", name="Start a technician apprenticeship scheme")
    expect(apprenticeships).to_contain_text("Delayed")
    expect(page.get_by_text("Sustainability: 1 Delayed")).to_be_visible()

    with page.expect_download() as info:
        page.get_by_role("link", name="Download the PDF").click()
    download = info.value
    assert download.suggested_filename.endswith(".pdf")
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF")
