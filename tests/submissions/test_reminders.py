"""Reminders of the due date go out once per threshold, however often the command runs."""

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from assessments import services as assessment_services
from assessments.enums import AssessmentStatus
from assessments.models import SelfAssessment
from signatories.enums import OrganisationStatus, Role
from signatories.models import Organisation
from submissions import reminders
from submissions.models import ReminderSent
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

SIGNED = date(2026, 3, 1)
DUE = date(2027, 3, 1)  # twelve months after signing: the first self-assessment
LINK = "https://portal.example.org/organisations/aldermoor/self-assessments/"


@pytest.fixture
def org(org_a, lead_of_org_a, contributor_of_org_a, settings):
    """Organisation A, signed on SIGNED, with a lead and a contributor."""
    settings.SITE_URL = "https://portal.example.org"
    Organisation.objects.filter(pk=org_a.pk).update(signed_on=SIGNED)
    org_a.refresh_from_db()
    return org_a


@pytest.fixture
def run(mailoutbox, django_capture_on_commit_callbacks):
    """Run the service on a day; return what it e-mailed as (day, subject, recipients)."""

    def run_on(day):
        before = len(mailoutbox)
        with django_capture_on_commit_callbacks(execute=True):
            rows = reminders.send_due_reminders(day)
        mails = [(day, m.subject, m.to) for m in mailoutbox[before:]]
        assert len(mails) == len(rows)
        return mails

    return run_on


def days(start, end):
    day = start
    while day <= end:
        yield day
        day += timedelta(days=1)


def test_each_reminder_goes_out_once_on_its_day_across_repeated_runs(org, run, administrator):
    sent = []
    for day in days(DUE - timedelta(days=70), DUE + timedelta(days=10)):
        sent += run(day)
        sent += run(day)  # the command may run twice a day; nothing goes out twice

    lead = ["lead.a@example.org"]  # the contributor and the administrator are not reminded
    assert sent == [
        (
            date(2026, 12, 31),
            "Reminder: University of Aldermoor's self-assessment is due in 60 days",
            lead,
        ),
        (
            date(2027, 1, 30),
            "Reminder: University of Aldermoor's self-assessment is due in 30 days",
            lead,
        ),
        (
            date(2027, 2, 22),
            "Reminder: University of Aldermoor's self-assessment is due in 7 days",
            lead,
        ),
        (
            date(2027, 3, 2),
            "Overdue: University of Aldermoor's self-assessment was due on 1 March 2027",
            lead,
        ),
    ]
    assert sorted(
        ReminderSent.objects.filter(organisation=org).values_list("reminder", "due_on")
    ) == [("30", DUE), ("60", DUE), ("7", DUE), ("overdue", DUE)]


def test_the_e_mail_gives_the_date_the_days_and_the_link(org, run, mailoutbox):
    run(DUE - timedelta(days=7))
    body = mailoutbox[0].body
    assert (
        "University of Aldermoor's Technician Commitment self-assessment is due on "
        "Monday 1 March 2027: 7 days from today." in body
    )
    assert LINK in body
    assert "no institutional lead" not in body

    run(DUE + timedelta(days=3))  # the command did not run for the first two days overdue
    body = mailoutbox[1].body
    assert "was due on Monday 1 March 2027 and is now 3 days overdue" in body
    assert LINK in body


def test_after_a_gap_only_the_most_urgent_reminder_goes_out(org, run):
    assert run(DUE - timedelta(days=65)) == []
    # The machine was off from 65 days out until 5 days out: 60 and 30 are stale by now.
    assert [subject for _, subject, _ in run(DUE - timedelta(days=5))] == [
        "Reminder: University of Aldermoor's self-assessment is due in 5 days"
    ]
    assert run(DUE - timedelta(days=4)) == []
    # The skipped reminders are never sent late, and are not recorded as sent.
    assert run(DUE - timedelta(days=40)) == []
    assert sorted(ReminderSent.objects.values_list("reminder", flat=True)) == ["7"]
    assert len(run(DUE + timedelta(days=1))) == 1


def test_nothing_for_lapsed_or_withdrawn_organisations(org, run, lead_of_org_b, org_b):
    Organisation.objects.filter(pk=org.pk).update(status=OrganisationStatus.LAPSED)
    Organisation.objects.filter(pk=org_b.pk).update(
        signed_on=SIGNED, status=OrganisationStatus.WITHDRAWN
    )
    for day in (DUE - timedelta(days=60), DUE - timedelta(days=7), DUE + timedelta(days=1)):
        assert run(day) == []
    assert not ReminderSent.objects.exists()


@pytest.mark.parametrize(
    ("status", "reminded"),
    [
        (AssessmentStatus.DRAFT, True),
        (AssessmentStatus.AWAITING_SIGN_OFF, True),
        (AssessmentStatus.SUBMITTED, False),
        (AssessmentStatus.UNDER_REVIEW, False),
        (AssessmentStatus.CHANGES_REQUESTED, False),
        (AssessmentStatus.ACCEPTED, False),
    ],
)
def test_reminders_stop_once_the_self_assessment_is_submitted(
    org, run, lead_of_org_a, status, reminded
):
    assessment = assessment_services.start_assessment(
        org, by=lead_of_org_a, today=DUE - timedelta(days=90)
    )
    assert assessment.due_on == DUE
    SelfAssessment.objects.filter(pk=assessment.pk).update(status=status)
    sent = [
        subject
        for day in days(DUE - timedelta(days=7), DUE + timedelta(days=2))
        for _, subject, _ in run(day)
    ]
    assert len(sent) == (2 if reminded else 0)


def test_an_organisation_without_a_lead_is_reminded_through_the_administrators(
    org_b, administrator, run, mailoutbox, settings
):
    settings.SITE_URL = "https://portal.example.org"
    Organisation.objects.filter(pk=org_b.pk).update(signed_on=SIGNED)
    MembershipFactory(organisation=org_b, role=Role.CONTRIBUTOR)
    UserFactory(email="former.admin@example.org", is_staff=True, is_active=False)
    [(_, _, to)] = run(DUE - timedelta(days=30))
    assert to == ["admin@example.org"]
    assert "Brackenfield Institute has no institutional lead in the portal" in mailoutbox[0].body


def test_an_organisation_with_nobody_to_write_to_is_not_recorded(org_b, run):
    Organisation.objects.filter(pk=org_b.pk).update(signed_on=SIGNED)
    assert run(DUE - timedelta(days=30)) == []
    assert not ReminderSent.objects.exists()


def test_each_organisation_gets_its_own_reminder_once(org, run, lead_of_org_b, org_b):
    Organisation.objects.filter(pk=org_b.pk).update(signed_on=SIGNED)
    OrganisationFactory(signed_on=date(2026, 6, 1))  # due later, no lead, no administrators
    recipients = [to for _, _, to in run(DUE - timedelta(days=60))]
    assert sorted(recipients) == [["lead.a@example.org"], ["lead.b@example.org"]]
    assert run(DUE - timedelta(days=60)) == []


def test_a_concurrent_run_that_recorded_the_reminder_first_wins(org, run, monkeypatch):
    """The other run inserts its row after this one checked: the unique constraint stops it."""
    find_recipients = reminders._recipients

    def another_run_gets_there_first(organisations):
        for organisation in organisations:
            ReminderSent.objects.create(organisation=organisation, due_on=DUE, reminder="30")
        return find_recipients(organisations)

    monkeypatch.setattr(reminders, "_recipients", another_run_gets_there_first)
    assert run(DUE - timedelta(days=30)) == []
    assert ReminderSent.objects.count() == 1


def test_the_command_prints_what_it_sent(org, mailoutbox, django_capture_on_commit_callbacks):
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", "--today", "2027-01-30", stdout=out)
        call_command("send_reminders", "--today", "2027-01-30", stdout=out)
    assert out.getvalue().splitlines() == [
        "University of Aldermoor, due 1 March 2027: sent the reminder "
        "“30 days before the due date” to lead.a@example.org",
        "1 reminder sent.",
        "0 reminders sent.",
    ]
    assert len(mailoutbox) == 1


def test_the_command_refuses_a_date_it_cannot_read(db):
    with pytest.raises(CommandError, match="--today must be a date like 2027-01-31"):
        call_command("send_reminders", "--today", "30/01/2027")
