"""A lead asks for the PDF of a draft plan: the button queues it, the page shows it waiting,
the worker makes it, and the page (polling) offers the download."""

from datetime import date

import pytest
from django.core.management import call_command

from actionplans import services
from actionplans.enums import Status
from publications.enums import PdfState
from publications.models import DraftPdf
from signatories.enums import Role
from tests.browser.test_plan_journey import sign_in
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.pdf_text import body_text

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("official_forms"),
]


@pytest.fixture
def plan(official_forms, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    # The production backend: the button only queues; the worker below renders.
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    organisation = OrganisationFactory(
        name="University of Aldermoor", short_name="Aldermoor", slug="aldermoor"
    )
    lead = UserFactory(email="lead.a@example.org", full_name="Lena Aldous")
    MembershipFactory(organisation=organisation, role=Role.LEAD, user=lead)
    plan = services.create_plan(organisation, by=lead, starts_on=date(2026, 12, 1))
    services.add_owner_code(plan, "PL", "Project Lead")
    services.add_action(
        plan.headings.get(theme__slug="recognition"),
        by=lead,
        title="Nominate technicians for the institution's annual awards",
        led_by="PL",
        status=Status.AMBER,
    )
    plan.lead = lead
    return plan


def test_a_lead_has_the_draft_plans_pdf_made_and_downloads_it(page, plan, live_server, tmp_path):
    from playwright.sync_api import expect

    sign_in(page, plan.lead, live_server)
    page.goto(plan.get_absolute_url())
    page.get_by_role("link", name="PDF of the draft").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"PDF of the draft: {plan.title}")

    page.get_by_role("button", name="Make the PDF").click()
    expect(page.get_by_role("status")).to_contain_text("Waiting its turn")
    expect(page.get_by_role("link", name="Refresh")).to_be_visible()
    assert DraftPdf.objects.get().state == PdfState.PENDING

    call_command("db_worker", "--batch")  # the worker takes the render from the queue

    # The page polls and shows the link without being reloaded.
    download_link = page.get_by_role("link", name="Download the PDF")
    expect(download_link).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("The PDF is ready")
    with page.expect_download() as info:
        download_link.click()
    download = info.value
    assert download.suggested_filename == "aldermoor-action-plan-draft.pdf"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    assert "Nominate technicians for the institution's annual awards" in body_text(
        saved.read_bytes()
    )
