"""Administrators may read any organisation's drafts; each such read is kept in the
organisation's audit trail and shown to its lead on the dashboard."""

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from actionplans import services as plan_services
from assessments import services as assessment_services
from assessments.enums import AssessmentStatus
from assessments.models import SelfAssessment
from signatories.models import DraftRead, Organisation
from tests.matrix import outcome

DASHBOARD = reverse("signatories:dashboard", args=["aldermoor"])


@pytest.fixture
def draft(org_a, lead_of_org_a):
    Organisation.objects.filter(pk=org_a.pk).update(signed_on=date(2025, 12, 1))
    org_a.refresh_from_db()
    return assessment_services.start_assessment(org_a, by=lead_of_org_a, today=date(2026, 11, 25))


@pytest.fixture
def draft_plan(org_a, lead_of_org_a):
    return plan_services.create_plan(
        org_a, by=lead_of_org_a, starts_on=date(2026, 12, 1), horizon_months=24
    )


def trail(response) -> list[str]:
    """The lines of the dashboard's "Drafts read by administrators" card, dates left out."""
    page = response.content.decode()
    card = page.split('id="draft-reads-heading"')[1].split("</section>")[0]
    return [
        re.sub(r"<time[^>]*>[^<]*</time>: ", "", li)
        for li in re.findall(r"<li[^>]*>(.*?)</li>", card)
    ]


def test_an_administrators_reads_of_drafts_are_kept_and_shown_to_the_lead(
    client, draft, draft_plan, administrator, lead_of_org_a
):
    client.force_login(administrator)
    assert (
        client.get(reverse("assessments:task_list", args=["aldermoor", draft.pk])).status_code
        == 200
    )
    assert client.get(draft_plan.get_absolute_url()).status_code == 200
    # Opening the same draft again straight away is the same read, not a second row.
    client.get(reverse("assessments:task_list", args=["aldermoor", draft.pk]))
    assert list(DraftRead.objects.values_list("by__email", "what")) == [
        ("admin@example.org", f"the draft action plan “{draft_plan.title}”"),
        ("admin@example.org", f"the draft self-assessment due {draft.due_on:%-d %B %Y}"),
    ]
    client.force_login(lead_of_org_a)
    assert trail(client.get(DASHBOARD)) == [
        f"Ada Minter read the draft action plan “{draft_plan.title}”.",
        f"Ada Minter read the draft self-assessment due {draft.due_on:%-d %B %Y}.",
    ]


def test_a_read_after_the_window_is_a_new_entry(client, draft, administrator):
    client.force_login(administrator)
    url = reverse("assessments:task_list", args=["aldermoor", draft.pk])
    client.get(url)
    DraftRead.objects.update(at=timezone.now() - timedelta(minutes=11))
    client.get(url)
    assert DraftRead.objects.count() == 2


def test_members_reading_their_own_drafts_are_not_recorded(
    client, draft, draft_plan, lead_of_org_a, contributor_of_org_a
):
    for member in (lead_of_org_a, contributor_of_org_a):
        client.force_login(member)
        client.get(reverse("assessments:task_list", args=["aldermoor", draft.pk]))
        client.get(draft_plan.get_absolute_url())
    assert DraftRead.objects.count() == 0


def test_reading_a_submitted_self_assessment_is_not_a_draft_read(client, draft, administrator):
    SelfAssessment.objects.filter(pk=draft.pk).update(status=AssessmentStatus.SUBMITTED)
    client.force_login(administrator)
    client.get(reverse("assessments:task_list", args=["aldermoor", draft.pk]))
    assert DraftRead.objects.count() == 0


@pytest.mark.parametrize(
    ("person", "sees"),
    [
        ("lead_of_org_a", True),
        ("administrator", True),
        ("contributor_of_org_a", False),
        ("sponsor_of_org_a", False),
        ("leader_of_org_a", False),
        ("reviewer", False),
        ("lead_of_org_b", 404),
        ("anonymous", "login"),
    ],
    indirect=["person"],
)
def test_only_the_lead_and_the_administrators_see_the_trail(
    client_as, person, sees, draft, administrator
):
    DraftRead.objects.create(organisation=draft.organisation, by=administrator, what="the x")
    response = client_as(person).get(DASHBOARD)
    if not isinstance(sees, bool):
        assert outcome(response) == sees
        return
    assert ("Ada Minter read the x." in response.content.decode()) is sees
