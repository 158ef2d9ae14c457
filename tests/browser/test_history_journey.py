"""Going back: an earlier version of an answer is read, compared and restored; last cycle's answer
is the start of this one's; a problem on the check page leads to its field."""

import re
from datetime import date

import pytest
from django.test import Client

from assessments import services
from assessments.enums import AssessmentStatus
from assessments.models import Answer, Question, SelfAssessment
from signatories.enums import Role
from signatories.models import Organisation
from tests.browser.helpers import rich_editor
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("official_forms"),
]


@pytest.fixture
def people(official_forms):
    organisation = OrganisationFactory(
        name="Brackenfield Institute", short_name="Brackenfield", slug="brackenfield"
    )
    Organisation.objects.filter(pk=organisation.pk).update(signed_on=date(2025, 12, 1))
    organisation.refresh_from_db()
    lead = UserFactory(email="lead.b@example.org", full_name="Bea Lowther")
    colleague = UserFactory(email="colleague.b@example.org", full_name="Ravi Brook")
    MembershipFactory(organisation=organisation, role=Role.LEAD, user=lead)
    MembershipFactory(organisation=organisation, role=Role.CONTRIBUTOR, user=colleague)
    return {"organisation": organisation, "lead": lead, "colleague": colleague}


def sign_in(page, user, live_server):
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def profile_of(assessment):
    return Question.objects.get(section__form_version=assessment.form_version, key="profile")


def label(question):
    return question.text + ("" if question.required else " (optional)")


def section_url(assessment, question):
    return (
        f"/organisations/{assessment.organisation.slug}/self-assessments/{assessment.pk}"
        f"/sections/{question.section.position}/"
    )


def test_an_earlier_version_is_compared_and_restored(page, people, live_server):
    from playwright.sync_api import expect

    assessment = services.start_assessment(
        people["organisation"], by=people["lead"], today=date(2026, 11, 25)
    )
    profile = profile_of(assessment)
    first = services.save_answer(
        assessment,
        profile,
        text="<p>We employ 240 technicians.</p><p>Most work in the life sciences.</p>",
        base_version=0,
        by=people["lead"],
    )
    services.save_answer(
        assessment,
        profile,
        text="<p>We employ 250 technicians.</p><p>Most work in the life sciences.</p>",
        base_version=first.answer.version,
        by=people["colleague"],
    )

    sign_in(page, people["lead"], live_server)
    page.goto(section_url(assessment, profile))
    page.get_by_role("link", name="Earlier versions of To give some context").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Earlier versions of an answer")
    rows = page.get_by_role("row")
    expect(rows.nth(1)).to_contain_text("2 (current)")
    expect(rows.nth(1)).to_contain_text("Ravi Brook")
    expect(rows.nth(2)).to_contain_text("Bea Lowther")

    page.get_by_role("link", name="View version 1 and compare").click()
    expect(page.get_by_role("heading", level=2)).to_contain_text(
        "Version 1, saved by Bea Lowther on"
    )
    diff = page.locator(".diff")
    expect(diff.locator(".diff-removed")).to_have_text("Removed: We employ 240 technicians.")
    expect(diff.locator(".diff-added")).to_have_text("Added: We employ 250 technicians.")
    expect(diff.locator(".diff-same")).to_have_text("Most work in the life sciences.")

    page.get_by_role("button", name="Restore version 1").click()
    expect(page.get_by_role("alert").or_(page.locator(".alert-success"))).to_contain_text(
        "Version 1 is the current answer again."
    )
    expect(page.get_by_role("row").nth(1)).to_contain_text("3 (current) restored from version 1")
    answer = Answer.objects.get(assessment=assessment, question=profile)
    assert answer.version == 3
    assert answer.text == "<p>We employ 240 technicians.</p><p>Most work in the life sciences.</p>"

    # Back on the section the restored words are in the editor, ready to change again.
    page.get_by_role("link", name="Back to the answer").click()
    expect(rich_editor(page, label(profile))).to_have_text(
        "We employ 240 technicians.Most work in the life sciences."
    )


def test_last_cycles_answer_is_the_start_of_this_one(page, people, live_server):
    from playwright.sync_api import expect

    organisation = people["organisation"]

    def accept(assessment, on):
        SelfAssessment.objects.filter(pk=assessment.pk).update(status=AssessmentStatus.ACCEPTED)
        Organisation.objects.filter(pk=organisation.pk).update(last_assessed_on=on)
        organisation.refresh_from_db()

    accept(
        services.start_assessment(organisation, by=people["lead"], today=date(2026, 11, 25)),
        date(2026, 11, 30),
    )
    second = services.start_assessment(organisation, by=people["lead"], today=date(2028, 9, 1))
    structures = Question.objects.get(
        section__form_version=second.form_version, key="technical_structures"
    )
    services.save_answer(
        second,
        structures,
        text="<p>Our 80 technicians work in two groups.</p>"
        "<ol><li>Labs</li><li>Workshops</li></ol>",
        base_version=0,
        by=people["lead"],
    )
    accept(second, date(2028, 11, 30))
    third = services.start_assessment(organisation, by=people["lead"], today=date(2031, 9, 1))
    assert third.form_version == second.form_version
    assert not Answer.objects.filter(assessment=third, question=structures).exists()

    sign_in(page, people["lead"], live_server)
    page.goto(section_url(third, structures))
    editor = rich_editor(page, label(structures))
    expect(editor).to_be_empty()
    page.get_by_role(
        "button", name="Start from your answer in the previous self-assessment (Give an overview"
    ).click()
    expect(page.get_by_text("The earlier answer is in the box.")).to_be_visible()
    expect(editor.locator("ol > li")).to_have_text(["Labs", "Workshops"])
    editor.click()
    page.keyboard.press("Control+Home")
    page.keyboard.type("Today ")
    box = page.locator("#box-answer-technical_structures")
    expect(box.get_by_role("status")).to_contain_text("Saved at")
    answer = Answer.objects.get(assessment=third, question=structures)
    assert answer.text.startswith("<p>Today Our 80 technicians work in two groups.</p><ol>")
    # Last cycle's answer is untouched.
    assert Answer.objects.get(assessment=second, question=structures).text.startswith(
        "<p>Our 80 technicians"
    )


def test_a_problem_on_the_check_page_leads_to_its_field(page, people, live_server):
    from playwright.sync_api import expect

    assessment = services.start_assessment(
        people["organisation"], by=people["lead"], today=date(2026, 11, 25)
    )
    profile = profile_of(assessment)
    services.save_answer(
        assessment,
        profile,
        text="<p>" + " ".join(["busy"] * (profile.word_limit + 3)) + "</p>",
        base_version=0,
        by=people["lead"],
    )

    sign_in(page, people["lead"], live_server)
    page.goto(f"/organisations/brackenfield/self-assessments/{assessment.pk}/")
    page.get_by_role("link", name="Check your answers").click()
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(page).to_have_title(re.compile(r"^Error: Check your answers"))
    problem = summary.get_by_role("link", name="3 over the limit")
    problem.click()
    expect(page).to_have_url(re.compile(r"/sections/\d+/#answer-profile$"))
    expect(rich_editor(page, label(profile))).to_be_in_viewport()
    expect(page.locator("#box-answer-profile [data-problems]")).to_contain_text("3 over the limit")
