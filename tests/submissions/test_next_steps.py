"""Each person's next step: one sentence and one button, on the dashboard and on "My reviews",
computed in one place (submissions/next_steps.py) with a fixed number of queries."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments import services as assessment_services
from assessments.models import Section
from signatories.models import Organisation
from submissions import next_steps, services
from submissions.enums import Decision
from submissions.models import Assignment, Reviewer
from techcommit.dates import add_months
from tests.submissions.test_review import make_submitted


def dashboard(client, user, slug="aldermoor") -> str:
    client.force_login(user)
    return client.get(reverse("signatories:dashboard", args=[slug])).content.decode()


@pytest.fixture
def draft(org_a, lead_of_org_a):
    Organisation.objects.filter(pk=org_a.pk).update(signed_on=date(2025, 12, 1))
    org_a.refresh_from_db()
    return assessment_services.start_assessment(org_a, by=lead_of_org_a, today=date(2026, 11, 25))


def test_a_lead_continues_the_self_assessment_with_the_sections_done(
    client, draft, lead_of_org_a, django_assert_max_num_queries
):
    sections = list(Section.objects.filter(form_version=draft.form_version).order_by("position"))
    for section in sections[:2]:
        assessment_services.set_section_complete(draft, section, True, by=lead_of_org_a)
    with django_assert_max_num_queries(4):
        step = next_steps.for_member(lead_of_org_a, draft.organisation)
    assert step == next_steps.NextStep(
        f"Continue the self-assessment: 2 of {len(sections)} sections done.",
        "Continue the self-assessment",
        reverse("assessments:task_list", args=["aldermoor", draft.pk]),
    )
    page = dashboard(client, lead_of_org_a)
    assert f"Continue the self-assessment: 2 of {len(sections)} sections done." in page
    task_list = reverse("assessments:task_list", args=["aldermoor", draft.pk])
    assert f'<a class="btn btn-primary" href="{task_list}">Continue the self-assessment</a>' in page


def test_every_section_done_leads_to_the_check(ready, lead_of_org_a):
    step = next_steps.for_member(lead_of_org_a, ready.organisation)
    assert step.button == "Check and ask for sign-off"
    assert step.url == reverse("assessments:check", args=["aldermoor", ready.pk])


def test_signers_see_the_sign_offs_waiting_for_them(
    client, ready, lead_of_org_a, leader_of_org_a, sponsor_of_org_a
):
    snapshot = services.request_sign_off(ready, by=lead_of_org_a)
    mine = snapshot.sign_offs.get(role="leader")
    page = dashboard(client, leader_of_org_a)
    assert "1 sign-off waiting for you: read the self-assessment and sign it" in page
    sign = reverse("submissions:sign", args=["aldermoor", ready.pk, mine.pk])
    assert f'href="{sign}">Read and sign</a>' in page
    # The lead signs too: their own sign-off comes first, then what waits for others.
    lead_step = next_steps.for_member(lead_of_org_a, ready.organisation)
    assert lead_step.button == "Read and sign"
    own = snapshot.sign_offs.get(role="lead")
    services.sign(own, by=lead_of_org_a, name="Lena Aldous", job_title="Head of Technical")
    assert next_steps.for_member(lead_of_org_a, ready.organisation) == next_steps.NextStep(
        "1 sign-off waiting before the self-assessment can be submitted.",
        "See who has signed",
        reverse("submissions:submission", args=["aldermoor", ready.pk]),
    )
    # The form asks the lead and the leader of institution: nothing waits for the sponsor.
    assert sorted(snapshot.sign_offs.values_list("role", flat=True)) == ["lead", "leader"]
    assert next_steps.for_member(sponsor_of_org_a, ready.organisation) == next_steps.NextStep(
        "Nothing waits for your signature. When the self-assessment is ready, you are e-mailed "
        "and it appears here.",
        "See the self-assessment list",
        reverse("assessments:list", args=["aldermoor"]),
    )


@pytest.fixture
def pool_reviewer(reviewer, org_b):
    Reviewer.objects.create(user=reviewer, organisation=org_b, trained_on=date(2026, 1, 10))
    return reviewer


def test_released_feedback_is_the_next_step(client, org_a, lead_of_org_a, pool_reviewer):
    assessment = make_submitted(org_a, lead_of_org_a)
    Assignment.objects.create(assessment=assessment, reviewer=pool_reviewer)
    snapshot = assessment.snapshots.get()
    services.start_review(assessment, pool_reviewer)
    services.save_feedback(
        snapshot, by=pool_reviewer, text="Say more.", decision=Decision.CHANGES, seen_version=0
    )
    services.release_feedback(snapshot, by=pool_reviewer)
    page = dashboard(client, lead_of_org_a)
    assert "Feedback released: the steering group asks for changes. Read it first." in page
    feedback = reverse("submissions:feedback", args=["aldermoor", assessment.pk])
    assert f'href="{feedback}">Read the feedback</a>' in page


def test_a_reviewer_sees_the_reviews_waiting_on_my_reviews(
    client, org_a, lead_of_org_a, pool_reviewer, django_assert_max_num_queries
):
    assessment = make_submitted(org_a, lead_of_org_a)
    Assignment.objects.create(assessment=assessment, reviewer=pool_reviewer)
    with django_assert_max_num_queries(1):
        step = next_steps.for_reviewer(pool_reviewer)
    assert step == next_steps.NextStep(
        f"1 review waiting for you. The first is due {assessment.due_on:%-d %B %Y}.",
        "Review Aldermoor",
        reverse("submissions:review_workspace", args=["aldermoor", assessment.pk]),
    )
    client.force_login(pool_reviewer)
    workspace = reverse("submissions:review_workspace", args=["aldermoor", assessment.pk])
    # On My reviews, and on the Signatories page, where a reviewer lands after signing in.
    for page in (reverse("submissions:review_mine"), reverse("submissions:sector_overview")):
        html = client.get(page).content.decode()
        assert "1 review waiting for you." in html
        assert f'<a class="btn btn-primary" href="{workspace}">Review Aldermoor</a>' in html


def test_without_a_self_assessment_the_next_due_date_is_the_next_step(
    org_a, lead_of_org_a, contributor_of_org_a
):
    # Signed eleven months ago: the first self-assessment is due in a month.
    signed = add_months(timezone.localdate(), -11)
    Organisation.objects.filter(pk=org_a.pk).update(signed_on=signed)
    org_a.refresh_from_db()
    due = add_months(signed, 12)
    step = next_steps.for_member(lead_of_org_a, org_a)
    assert step.button == "Start the self-assessment"
    assert step.text == (
        f"The next self-assessment is due in {due:%B %Y}. Start it when you are ready."
    )
    assert next_steps.for_member(contributor_of_org_a, org_a).text == (
        f"The next self-assessment is due in {due:%B %Y}."
    )
    assert step.url == reverse("assessments:list", args=["aldermoor"])


def test_people_outside_the_organisation_have_no_next_step_on_it(org_a, reviewer, administrator):
    assert next_steps.for_member(reviewer, org_a) is None
    assert next_steps.for_member(administrator, org_a) is None
