"""Administrators keep the reviewer pool in the admin; the records of the flow are read-only."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from assessments.models import FormVersion, SelfAssessment
from submissions.enums import AuditKind, Reminder
from submissions.models import AuditEntry, ReminderSent, Reviewer, ReviewRound, SignOff, Snapshot
from tests.factories import UserFactory

READ_ONLY = ["snapshot", "auditentry", "remindersent"]


@pytest.fixture
def records(org_a, lead_of_org_a):
    """One of each: a round, a reviewer, a snapshot with a sign-off, an audit entry, a reminder."""
    spring = ReviewRound.objects.create(
        name="Spring 2027", starts_on=date(2027, 3, 1), ends_on=date(2027, 5, 31)
    )
    reviewer = Reviewer.objects.create(
        user=UserFactory(full_name="Rowan Pike", email="rowan@example.org"),
        organisation=org_a,
        trained_on=date(2026, 10, 1),
    )
    reviewer.available_in.add(spring)
    assessment = SelfAssessment.objects.create(
        organisation=org_a,
        form_version=FormVersion.objects.order_by("in_use_from").first(),
        due_on=date(2027, 3, 1),
    )
    snapshot = Snapshot.objects.create(
        assessment=assessment, revision=1, content={}, content_hash="0" * 64
    )
    sign_off = SignOff.objects.create(
        snapshot=snapshot, role="leader", title="Signatory – Leader of Institution"
    )
    entry = AuditEntry.objects.create(
        assessment=assessment, kind=AuditKind.STATUS, by=lead_of_org_a, message="Submitted."
    )
    reminder = ReminderSent.objects.create(
        organisation=org_a, due_on=date(2027, 3, 1), reminder=Reminder.DAYS_30
    )
    return {
        "reviewround": spring,
        "reviewer": reviewer,
        "snapshot": snapshot,
        "sign_off": sign_off,
        "auditentry": entry,
        "remindersent": reminder,
    }


@pytest.mark.parametrize(
    "model", ["reviewround", "reviewer", "snapshot", "auditentry", "remindersent"]
)
def test_administrators_can_open_each_page(client, administrator, records, model):
    client.force_login(administrator)
    base = f"/admin/submissions/{model}/"
    assert client.get(base).status_code == 200
    assert client.get(f"{base}{records[model].pk}/change/").status_code == 200
    assert client.get(f"{base}?q=Aldermoor").status_code == 200
    expected = 403 if model in READ_ONLY else 200
    assert client.get(f"{base}add/").status_code == expected


@pytest.mark.parametrize("model", READ_ONLY)
def test_the_records_cannot_be_changed_or_deleted(client, administrator, records, model):
    client.force_login(administrator)
    obj = records[model]
    page = client.get(f"/admin/submissions/{model}/{obj.pk}/change/").content.decode()
    assert 'name="_save"' not in page
    assert client.get(f"/admin/submissions/{model}/{obj.pk}/delete/").status_code == 403
    assert client.post(f"/admin/submissions/{model}/{obj.pk}/change/", {}).status_code == 403
    assert type(obj).objects.filter(pk=obj.pk).exists()


def test_a_snapshot_shows_its_sign_offs(client, administrator, records):
    client.force_login(administrator)
    page = client.get(f"/admin/submissions/snapshot/{records['snapshot'].pk}/change/")
    assert "Signatory – Leader of Institution" in page.content.decode()


def test_reviewers_who_are_not_administrators_cannot_open_them(client, reviewer):
    client.force_login(reviewer)
    response = client.get("/admin/submissions/reviewer/")
    assert response.status_code == 302


def test_the_pool_lists_rounds_and_training(client, administrator, records):
    client.force_login(administrator)
    page = client.get("/admin/submissions/reviewer/").content.decode()
    assert "Rowan Pike" in page
    assert "rowan@example.org" in page
    assert "Spring 2027" in page
    autumn = client.get("/admin/submissions/reviewer/?available_in__id__exact=999").content
    assert b"Rowan Pike" not in autumn


def test_an_administrator_adds_a_reviewer_with_the_rounds_they_can_do(
    client, administrator, records, org_b
):
    autumn = ReviewRound.objects.create(
        name="Autumn 2027", starts_on=date(2027, 9, 1), ends_on=date(2027, 11, 30)
    )
    volunteer = UserFactory(full_name="Vera Quill", email="vera@example.org")
    client.force_login(administrator)
    response = client.post(
        "/admin/submissions/reviewer/add/",
        {
            "user": volunteer.pk,
            "organisation": org_b.pk,
            "trained_on": "2026-11-02",
            "available_in": [autumn.pk, records["reviewround"].pk],
            "active": "on",
        },
    )
    assert response.status_code == 302
    added = Reviewer.objects.get(user=volunteer)
    assert (added.organisation, added.trained_on, added.active) == (org_b, date(2026, 11, 2), True)
    assert sorted(added.available_in.values_list("name", flat=True)) == [
        "Autumn 2027",
        "Spring 2027",
    ]
    # A person is in the pool once.
    again = client.post("/admin/submissions/reviewer/add/", {"user": volunteer.pk, "active": "on"})
    assert "Reviewer with this User already exists." in again.content.decode()


def changelist_queries(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/admin/submissions/reviewer/")
    assert response.status_code == 200
    return len(queries)


def test_the_pool_changelist_costs_the_same_queries_for_one_or_three_reviewers(
    client, administrator, records, org_b
):
    client.force_login(administrator)
    autumn = ReviewRound.objects.create(
        name="Autumn 2027", starts_on=date(2027, 9, 1), ends_on=date(2027, 11, 30)
    )
    one = changelist_queries(client)
    for organisation in [org_b, None]:
        reviewer = Reviewer.objects.create(
            user=UserFactory(), organisation=organisation, trained_on=timezone.localdate()
        )
        reviewer.available_in.add(autumn, records["reviewround"])
    assert Reviewer.objects.count() == 3
    assert changelist_queries(client) == one
