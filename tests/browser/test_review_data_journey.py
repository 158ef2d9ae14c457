"""A progress review as data, as the lead: import statuses and comments from a CSV file, see the
one row that cannot be read on the preview, fix the file and confirm; finalise after a
confirmation page; reopen it; export it as a workbook that holds what the review says."""

import re
from datetime import date
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from actionplans import services, transfer
from actionplans.enums import Status
from actionplans.models import ProgressReview
from signatories.enums import Role
from tests.browser.test_accessibility import AXE, CHECK, RULES
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("official_forms"),
]

NAME, COUNT, REGISTER = (
    "Name technicians on research outputs",
    "Count technicians in every school",
    "Promote professional registration",
)


@pytest.fixture
def review_of_lead(official_forms):
    organisation = OrganisationFactory(
        name="Brackenfield Institute", short_name="Brackenfield", slug="brackenfield"
    )
    lead = UserFactory(email="lead.b@example.org", full_name="Bea Lowther")
    MembershipFactory(organisation=organisation, role=Role.LEAD, user=lead)
    plan = services.create_plan(organisation, by=lead, starts_on=date(2026, 12, 1))
    visibility = plan.headings.get(theme__slug="visibility")
    recognition = plan.headings.get(theme__slug="recognition")
    services.add_action(visibility, by=lead, title=NAME, status=Status.AMBER)
    services.add_action(visibility, by=lead, title=COUNT)
    services.add_action(recognition, by=lead, title=REGISTER, status=Status.GREEN)
    review = services.begin_review(
        plan,
        by=lead,
        reviewed_on=date(2027, 6, 5),
        period_from=date(2026, 12, 1),
        period_to=date(2027, 5, 31),
        overall_status=Status.AMBER,
    )
    return plan, review, lead


def sign_in(page, user, live_server):
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def no_violations(page) -> None:
    """The page as it stands passes axe's WCAG 2.2 AA rules."""
    page.evaluate(AXE)
    assert page.evaluate(CHECK, RULES) == []


def test_import_finalise_reopen_and_export_a_review(page, review_of_lead, live_server, tmp_path):
    from playwright.sync_api import expect

    plan, review, lead = review_of_lead
    sign_in(page, lead, live_server)
    page.goto(f"/organisations/brackenfield/action-plans/{plan.pk}/reviews/{review.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Progress review of 5 June 2027")
    expect(page.get_by_role("heading", name="Progress by theme")).to_be_visible()

    # A file with one row that cannot be read.
    wrong = tmp_path / "review.csv"
    wrong.write_text(
        "Milestone,RAG,Comments\n"
        f"{NAME},Completed,Named on 40 outputs this year.\n"
        f"{COUNT},Purple,Census sent to heads of school.\n"
    )
    page.get_by_role("link", name="Import statuses and comments from a spreadsheet").click()
    page.get_by_label("Spreadsheet").set_input_files(str(wrong))
    page.get_by_role("button", name="Upload and check").click()
    expect(page.get_by_role("heading", name="1 problem to solve")).to_be_visible()
    problem = page.get_by_role("row", name=re.compile("Purple"))
    expect(problem).to_contain_text("3")
    expect(problem).to_contain_text("‘Purple’ in ‘RAG’ is not one of the plan's statuses")
    expect(page.get_by_role("button", name=re.compile("^Import"))).to_have_count(0)
    no_violations(page)
    assert review.entries.get(action__title=NAME).status == Status.AMBER

    # Fixed and uploaded again: the preview shows what changes; confirming saves it.
    fixed = tmp_path / "review-fixed.csv"
    fixed.write_text(wrong.read_text().replace("Purple", "Delayed"))
    page.get_by_role("link", name="upload it again").click()
    page.get_by_label("Spreadsheet").set_input_files(str(fixed))
    page.get_by_role("button", name="Upload and check").click()
    expect(page.get_by_text("1 action of the review is not in the file")).to_be_visible()
    page.get_by_role("button", name="Import 2 changes").click()
    expect(page.get_by_text("Imported ‘review-fixed.csv’: 2 actions changed.")).to_be_visible()
    expect(page.get_by_label(f"Status of ‘{COUNT}’")).to_have_value("red")
    expect(page.get_by_label(f"Comment on ‘{NAME}’")).to_have_value(
        "Named on 40 outputs this year."
    )

    # Save and finalise asks first.
    page.get_by_role("button", name="Save and finalise").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Finalise the progress review of 5 June 2027?"
    )
    assert not ProgressReview.objects.get(pk=review.pk).is_final
    no_violations(page)
    page.get_by_role("button", name="Yes, finalise the review").click()
    expect(page.get_by_text("The review is final.")).to_be_visible()
    expect(page.locator("textarea")).to_have_count(0)
    assert ProgressReview.objects.get(pk=review.pk).is_final
    no_violations(page)

    # Reopened by the lead, it can be edited again.
    page.get_by_role("button", name="Reopen the review to correct it").click()
    expect(page.get_by_text("The review is a draft again.")).to_be_visible()
    expect(page.get_by_label(f"Comment on ‘{NAME}’")).to_be_editable()
    assert not ProgressReview.objects.get(pk=review.pk).is_final

    # Exported, the workbook holds what the review says.
    with page.expect_download() as download:
        page.get_by_role("link", name="Excel workbook (.xlsx)").click()
    saved = Path(download.value.path())
    assert download.value.suggested_filename == "brackenfield-progress-review-2027-06-05.xlsx"
    table = transfer.read_table(SimpleUploadedFile("review.xlsx", saved.read_bytes()))
    assert [row[2:] for row in table[4:]] == [
        [NAME, "Completed", "Named on 40 outputs this year."],
        [COUNT, "Delayed", "Census sent to heads of school."],
        [REGISTER, "On track"],
    ]
