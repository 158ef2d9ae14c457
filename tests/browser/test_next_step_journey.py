"""A lead follows the dashboard's next step to the self-assessment; a person changes their own
details on the profile page."""

from datetime import date

import pytest

from assessments import services as assessment_services
from assessments.models import Section
from signatories.enums import Role
from signatories.models import Organisation
from tests.browser.helpers import sign_in
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def lead(official_forms):
    organisation = OrganisationFactory(
        name="University of Aldermoor", short_name="Aldermoor", slug="aldermoor"
    )
    Organisation.objects.filter(pk=organisation.pk).update(signed_on=date(2025, 12, 1))
    organisation.refresh_from_db()
    user = UserFactory(email="lead.a@example.org", full_name="Lena Aldous")
    MembershipFactory(organisation=organisation, user=user, role=Role.LEAD)
    assessment = assessment_services.start_assessment(
        organisation, by=user, today=date(2026, 11, 25)
    )
    first = Section.objects.filter(form_version=assessment.form_version).order_by("position")[0]
    assessment_services.set_section_complete(assessment, first, True, by=user)
    return user


def test_the_next_step_button_leads_to_the_self_assessment(page, live_server, lead):
    assessment = lead.memberships.get().organisation.self_assessments.get()
    sections = Section.objects.filter(form_version=assessment.form_version).count()
    sign_in(page, lead, live_server)
    page.goto("/")
    step = page.get_by_role("region", name="Your next step")
    step.get_by_text(f"Continue the self-assessment: 1 of {sections} sections done.").wait_for()
    step.get_by_role("link", name="Continue the self-assessment").click()
    page.wait_for_url(f"**/organisations/aldermoor/self-assessments/{assessment.pk}/")
    heading = page.get_by_role("heading", level=1).inner_text()
    assert heading == f"Self-assessment due {assessment.due_on:%-d %B %Y}"


def test_a_person_changes_their_details(page, live_server, lead):
    sign_in(page, lead, live_server)
    page.goto("/profile/")
    page.get_by_label("Full name").fill("")
    page.get_by_label("Job title").fill("Head of Technical Services")
    page.get_by_label("Telephone number").fill("0151 496 0000")
    page.get_by_role("button", name="Save").click()
    # The browser asks for the name first (it is required); then the portal saves.
    assert page.evaluate("document.activeElement.id") == "id_full_name"
    page.get_by_label("Full name").fill("Lena Aldous-Pryce")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Your details have been saved.").wait_for()
    assert page.get_by_label("Job title").input_value() == "Head of Technical Services"
    lead.refresh_from_db()
    assert (lead.full_name, lead.job_title, lead.telephone) == (
        "Lena Aldous-Pryce",
        "Head of Technical Services",
        "0151 496 0000",
    )
