"""The steering group's list of signatories shows where each one's self-assessment stands."""

import re
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.enums import AssessmentStatus
from assessments.models import FormVersion, SelfAssessment
from assessments.services import due_date_for
from signatories.models import Organisation
from submissions.models import Snapshot
from tests.factories import OrganisationFactory
from tests.matrix import is_allowed, matrix, outcome


def assessment_for(organisation, status, revisions=(), due_on=None):
    """A self-assessment for the organisation's current due date, with snapshots given as
    (revision, submitted)."""
    assessment = SelfAssessment.objects.create(
        organisation=organisation,
        form_version=FormVersion.objects.order_by("in_use_from").first(),
        due_on=due_on or due_date_for(organisation).due_on,
        status=status,
    )
    for revision, submitted in revisions:
        Snapshot.objects.create(
            assessment=assessment,
            revision=revision,
            content={},
            content_hash="0" * 64,
            submitted_at=timezone.now() if submitted else None,
        )
    return assessment


def row_of(page, name):
    """The table row of one organisation, as its cells' text."""
    row = re.search(
        rf"<tr>\s*<th scope=\"row\"><a [^>]*>{re.escape(name)}</a></th>(.*?)</tr>", page, re.S
    )
    assert row, name
    return [
        re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td>(.*?)</td>", row[1], re.S)
    ]


def test_each_organisation_shows_its_self_assessment_state_and_submitted_revision(
    client, reviewer, org_a, org_b
):
    assessment_for(org_a, AssessmentStatus.DRAFT)
    assessment_for(org_b, AssessmentStatus.SUBMITTED, revisions=[(1, True), (2, True), (3, False)])
    OrganisationFactory(name="Cairnbeck College")
    earlier = OrganisationFactory(name="Dunmere University", last_assessed_on=date(2024, 5, 1))
    assessment_for(earlier, AssessmentStatus.ACCEPTED, [(1, True)], due_on=date(2024, 6, 1))

    client.force_login(reviewer)
    page = client.get("/signatories/").content.decode()

    assert '<th scope="col">Self-assessment</th><th scope="col">Submitted revision</th>' in page
    assert row_of(page, "University of Aldermoor")[-2:] == ["Draft", "None"]
    assert row_of(page, "Brackenfield Institute")[-2:] == ["Submitted", "Revision 2"]
    assert row_of(page, "Cairnbeck College")[-2:] == ["Not started", "None"]
    # Its latest was for an earlier due date: the page says so rather than imply it is current.
    assert row_of(page, "Dunmere University")[-2:] == [
        "Accepted (the one due 1 Jun 2024)",
        "Revision 1",
    ]


def test_the_latest_self_assessment_is_the_one_shown(client, reviewer, org_a):
    Organisation.objects.filter(pk=org_a.pk).update(last_assessed_on=date(2021, 1, 10))
    assessment_for(org_a, AssessmentStatus.ACCEPTED, [(1, True), (2, True)], date(2021, 1, 15))
    org_a.refresh_from_db()
    assessment_for(org_a, AssessmentStatus.AWAITING_SIGN_OFF, [(1, False)])
    client.force_login(reviewer)
    page = client.get("/signatories/").content.decode()
    assert row_of(page, "University of Aldermoor")[-2:] == ["Awaiting sign-off", "None"]


@pytest.mark.parametrize("count", [1, 3])
def test_the_state_costs_no_query_per_organisation(
    client, reviewer, count, django_assert_max_num_queries
):
    for organisation in OrganisationFactory.create_batch(count):
        assessment_for(organisation, AssessmentStatus.SUBMITTED, [(1, True)])
    client.force_login(reviewer)
    # The list, its filters' cohorts, and the reviewer's own next step (their open reviews).
    with django_assert_max_num_queries(9):
        page = client.get("/signatories/").content.decode()
    assert page.count("Revision 1") == count


def test_overdue_organisations_still_come_first(client, reviewer):
    later = OrganisationFactory(name="Later Institute", signed_on=date(2026, 6, 1))
    overdue = OrganisationFactory(name="Overdue University", signed_on=date(2020, 6, 1))
    assessment_for(later, AssessmentStatus.SUBMITTED, [(1, True)])
    assessment_for(overdue, AssessmentStatus.DRAFT)
    client.force_login(reviewer)
    page = client.get("/signatories/").content.decode()
    assert page.index("Overdue University") < page.index("Later Institute")


@pytest.mark.parametrize(
    ("person", "result"), matrix({"reviewer", "administrator"}), indirect=["person"]
)
def test_who_reaches_the_sector_overview_at_its_old_address(client_as, person, org_a, result):
    url = reverse("submissions:sector_overview")
    assert url == "/signatories/"
    response = client_as(person).get(url)
    assert outcome(response) == result
    if is_allowed(result):
        assert "University of Aldermoor" in response.content.decode()
