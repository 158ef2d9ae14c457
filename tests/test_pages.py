"""The base layout, the members' home page and the sector list."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from signatories.models import Membership, Organisation, User
from techcommit.dates import add_months
from techcommit.models import OutgoingEmail
from tests.factories import OrganisationFactory


def test_public_home_page_has_a_skip_link_landmarks_and_a_title(client, db):
    response = client.get("/")
    page = response.content.decode()
    assert (
        '<a class="visually-hidden-focusable skip-link" href="#main">Skip to main content</a>'
        in page
    )
    for landmark in ('<main id="main"', "<header", "<footer"):
        assert landmark in page
    assert '<nav class="navbar navbar-expand-md" aria-label="Main">' in page
    assert "<title>Welcome – Technician Commitment portal</title>" in page
    assert '<html lang="en-GB">' in page


def test_every_page_is_served_with_a_strict_content_security_policy(client, db):
    policy = client.get("/").headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "unsafe-inline" not in policy


def test_the_lead_sees_the_organisation_status_and_days_left(client, lead_of_org_a, org_a):
    signed = add_months(timezone.localdate(), -11)
    Organisation.objects.filter(pk=org_a.pk).update(
        signed_on=signed, contact_name="Lena Aldous", contact_email="tc@aldermoor.example.org"
    )
    due = add_months(signed, 12)
    days = (due - timezone.localdate()).days
    client.force_login(lead_of_org_a)
    page = client.get("/", follow=True).content.decode()
    assert "<title>Home – Aldermoor – Technician Commitment portal</title>" in page
    assert f'<time datetime="{due:%Y-%m-%d}">{due.day} {due:%B %Y}</time>' in page
    assert f"{days} days left" in page
    assert "Your role: Institutional lead." in page
    assert '<a href="mailto:tc@aldermoor.example.org">tc@aldermoor.example.org</a>' in page


def test_an_overdue_organisation_says_by_how_much(client, lead_of_org_a, org_a):
    signed = add_months(timezone.localdate(), -12)
    Organisation.objects.filter(pk=org_a.pk).update(
        signed_on=signed.replace(day=1) if signed.day > 1 else signed
    )
    org_a.refresh_from_db()
    overdue = (timezone.localdate() - add_months(org_a.signed_on, 12)).days
    client.force_login(lead_of_org_a)
    page = client.get("/organisations/aldermoor/").content.decode()
    expected = "Due today" if overdue == 0 else f"Overdue by {overdue} day"
    assert expected in page


def test_the_header_shows_the_signed_in_persons_name(client, contributor_of_org_a):
    client.force_login(contributor_of_org_a)
    page = client.get("/organisations/aldermoor/").content.decode()
    assert '<span class="visually-hidden">Signed in as </span>Carl Ash' in page


@pytest.mark.parametrize("extra", [0, 2])
def test_dashboard_query_count_does_not_grow_with_organisations(
    client, lead_of_org_a, org_a, extra, django_assert_max_num_queries
):
    for organisation in OrganisationFactory.create_batch(extra):
        Membership.objects.create(organisation=organisation, user=lead_of_org_a, role="lead")
    client.force_login(lead_of_org_a)
    # The 8th reads the status history, the 9th the administrators' reads of drafts, the 10th
    # the latest self-assessment for the next step.
    with django_assert_max_num_queries(10):
        response = client.get("/organisations/aldermoor/")
    assert "Drafts read by administrators" in response.content.decode()


@pytest.mark.parametrize("count", [1, 3])
def test_sector_overview_query_count_does_not_grow_with_organisations(
    client, reviewer, count, django_assert_max_num_queries
):
    OrganisationFactory.create_batch(count)
    client.force_login(reviewer)
    # The list, its filters' cohorts, and the reviewer's own next step (their open reviews).
    with django_assert_max_num_queries(9):
        page = client.get("/signatories/").content.decode()
    assert f"{count} organisation" in page


def test_sector_overview_lists_overdue_first(client, reviewer):
    OrganisationFactory(name="Later Institute", signed_on=date(2026, 6, 1))
    OrganisationFactory(name="Overdue University", signed_on=date(2020, 6, 1))
    client.force_login(reviewer)
    page = client.get("/signatories/").content.decode()
    assert page.index("Overdue University") < page.index("Later Institute")


def test_seed_demo_is_idempotent_and_fictional(db, capsys):
    call_command("seed_demo")
    call_command("seed_demo")
    output = capsys.readouterr().out
    assert output.count("Every demo password is: technician-demo-2026") == 2
    assert Organisation.objects.count() == 6
    assert User.objects.count() == 10
    assert all(
        email.endswith("example.org") for email in User.objects.values_list("email", flat=True)
    )
    lead = User.objects.get(email="lead@example.org")
    assert lead.check_password("technician-demo-2026")
    assert sorted(lead.memberships.values_list("organisation__slug", "role")) == [
        ("fenwick", "lead"),
        ("northmoor", "lead"),
    ]


def test_seed_demo_e_mails_nobody_and_leaves_nothing_for_a_worker(
    db, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=StringIO())
    assert (OutgoingEmail.objects.count(), mailoutbox) == (0, [])


def test_seed_demo_starts_one_draft_self_assessment_once(db):
    from assessments.models import Answer, SelfAssessment

    call_command("seed_demo", stdout=None)
    call_command("seed_demo", stdout=None)
    draft = SelfAssessment.objects.get(organisation__slug="fenwick")
    assert (draft.organisation.slug, draft.status, draft.form_version.slug) == (
        "fenwick",
        "draft",
        "early-form",
    )
    answers = dict(
        Answer.objects.filter(assessment=draft, theme=None).values_list("question__key", "text")
    )
    assert answers["organisation"] == "Fenwick Institute of Science"
    assert answers["profile"].startswith("<p>The Fenwick Institute of Science")
    assert Answer.objects.filter(assessment=draft, theme__slug="visibility").get().version == 1


def test_seed_demo_covers_every_point_of_the_cycle(db):
    from assessments.services import due_dates_for

    call_command("seed_demo", stdout=None)
    organisations = {o.slug: o for o in Organisation.objects.all()}
    dues = due_dates_for(organisations.values())
    signed_last_month = organisations["marrowby"].signed_on
    assert add_months(signed_last_month, 1) == timezone.localdate() or (
        timezone.localdate() - signed_last_month
    ).days in range(28, 32)
    assert dues[organisations["fenwick"].pk].days_left == 25
    assert dues[organisations["coldharbour"].pk].is_overdue
    assert dues[organisations["northmoor"].pk].is_first is False
    assert dues[organisations["ravensby"].pk] is None


@pytest.mark.parametrize("count", [1, 3])
def test_members_page_query_count_does_not_grow_with_members(
    client, lead_of_org_a, org_a, count, django_assert_max_num_queries
):
    from signatories import services
    from tests.factories import MembershipFactory

    for n in range(count):
        MembershipFactory(organisation=org_a)
        services.invite(org_a, f"invitee{n}@example.org", "contributor", lead_of_org_a, str)
    client.force_login(lead_of_org_a)
    with django_assert_max_num_queries(8):
        page = client.get("/organisations/aldermoor/members/").content.decode()
    assert page.count("Change role<span") == count + 1
    assert page.count("Withdraw<span") == count


def test_seed_demo_builds_one_fictional_action_plan_once(db):
    from actionplans.models import ActionPlan
    from actionplans.services import wording_for

    call_command("seed_demo", stdout=None)
    call_command("seed_demo", stdout=None)
    plan = ActionPlan.objects.get(organisation__slug="fenwick")
    assert (plan.organisation.slug, plan.assessment.organisation.slug) == ("fenwick", "fenwick")
    assert [h.name for h in plan.headings.select_related("theme")] == [
        "Ongoing actions",
        "Visibility",
        "Recognition",
        "Career Development",
        "Sustainability",
        "Staff wellbeing",
    ]
    assert plan.actions.count() == 11
    assert list(plan.owner_codes.values_list("code", flat=True)) == ["DIR", "TL", "TN", "HR", "COM"]
    assert wording_for(plan)["red"].label == "Behind"
    for target in plan.actions.get(title__startswith="Publish a directory").phase_targets.all():
        assert target.phase.starts_on <= target.month <= target.phase.ends_on


def test_seed_demo_submits_coldharbour_for_review_once(db):
    from assessments.models import SelfAssessment
    from submissions.models import AuditEntry, Snapshot

    call_command("seed_demo", stdout=None)
    call_command("seed_demo", stdout=None)
    submitted = SelfAssessment.objects.get(organisation__slug="coldharbour")
    assert submitted.status == "under_review"
    snapshot = Snapshot.objects.get(assessment=submitted)
    assert [(s.role, s.signed_name) for s in snapshot.sign_offs.all()] == [
        ("lead", "Gareth Llewellyn"),
        ("leader", "Eleri Vaughan"),
    ]
    assert list(submitted.assignments.values_list("reviewer__email", flat=True)) == [
        "reviewer@example.org"
    ]
    assert AuditEntry.objects.filter(assessment=submitted, kind="status").count() == 3


def test_seed_demo_publishes_kelderby_once_and_keeps_its_accepted_date(
    db, django_capture_on_commit_callbacks
):
    from assessments.services import due_date_for
    from publications.models import Publication

    with django_capture_on_commit_callbacks(execute=True):  # the PDFs render after commit
        call_command("seed_demo", stdout=None)
    call_command("seed_demo", stdout=None)
    kelderby = Organisation.objects.get(slug="kelderby")
    published = list(
        Publication.objects.filter(organisation=kelderby)
        .order_by("kind")
        .values_list("kind", "version", "pdf_state")
    )
    assert published == [
        ("action_plan", 1, "ready"),
        ("progress_review", 1, "ready"),
        ("self_assessment", 1, "ready"),
        ("update_paper", 1, "ready"),
    ]
    assert kelderby.last_assessed_on == timezone.localdate()
    due = due_date_for(kelderby)
    # The next one follows the cycle of the form in use now: the later form, 36 months.
    assert (due.is_first, due.due_on) == (False, add_months(timezone.localdate(), 36))
    plan = Publication.objects.get(organisation=kelderby, kind="action_plan")
    assert [a["title"] for h in plan.content["headings"] for a in h["actions"]][:2] == [
        "Name technicians on every trial report and paper they contribute to",
        "Publish a page about each technical team on the Institute's website",
    ]


def test_the_demo_update_paper_reads_with_its_introductions_headings(
    client, db, django_capture_on_commit_callbacks
):
    from publications.models import Publication

    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=None)
    paper = Publication.objects.get(organisation__slug="kelderby", kind="update_paper")
    page = client.get(paper.get_absolute_url()).content.decode()
    introduction = page.split('class="paper-introduction"')[1].split("</section>")[0]
    assert '<h2 class="h4" id="paper-introduction">Introduction</h2>' in introduction
    assert "<h3>Purpose</h3>" in introduction
    assert "<h3>What it covers</h3>" in introduction
