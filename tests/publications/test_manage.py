"""Publishing and withdrawing: who may, what may be published, versions, and what a
publication keeps (never an e-mail address)."""

import json
import re
from datetime import date

import pytest
from django.urls import reverse

from actionplans import services as plan_services
from actionplans.enums import PlanStatus, Status
from actionplans.models import ActionPlan
from assessments import services as assessment_services
from assessments.enums import AssessmentStatus
from publications import services
from publications.enums import PublicationKind
from publications.models import Publication
from publications.services import PublishError
from signatories.models import Organisation
from submissions import services as flow
from submissions.models import Feedback
from tests.matrix import is_allowed, matrix, outcome
from tests.submissions.conftest import fill_in

MEMBERS = {"lead_of_org_a", "contributor_of_org_a", "sponsor_of_org_a", "leader_of_org_a"}
PUBLISHERS = {"lead_of_org_a", "administrator"}


@pytest.fixture
def accepted(org_a, lead_of_org_a, leader_of_org_a, administrator, settings, tmp_path):
    """Organisation A's first self-assessment, signed, submitted and accepted, with its plan."""
    settings.MEDIA_ROOT = tmp_path
    return accept(org_a, lead_of_org_a, leader_of_org_a, administrator)


def accept(org_a, lead_of_org_a, leader_of_org_a, administrator, *, appended=None):
    """The accepted self-assessment; ``appended``: a progress review appended before sign-off."""
    Organisation.objects.filter(pk=org_a.pk).update(signed_on=date(2025, 12, 1))
    org_a.refresh_from_db()
    lead_of_org_a.telephone = "0151 000 0000"
    lead_of_org_a.save()
    assessment = assessment_services.start_assessment(
        org_a, by=lead_of_org_a, today=date(2026, 11, 25)
    )
    plan = plan_services.create_plan(
        org_a, by=lead_of_org_a, starts_on=date(2026, 12, 1), assessment=assessment
    )
    plan_services.add_action(
        plan.headings.first(), by=lead_of_org_a, title="Publish a headcount", status=Status.AMBER
    )
    fill_in(assessment, lead_of_org_a)
    if appended is not None:
        plan_services.append_review(appended, assessment, by=lead_of_org_a)
    snapshot = flow.request_sign_off(assessment, by=lead_of_org_a)
    for sign_off in snapshot.sign_offs.all():
        signer = lead_of_org_a if sign_off.role == "lead" else leader_of_org_a
        flow.sign(sign_off, by=signer, name=signer.full_name, job_title="Director")
    flow.submit(assessment, by=lead_of_org_a)
    Feedback.objects.create(snapshot=snapshot, text="A strong submission.", decision="accept")
    flow.release_feedback(snapshot, by=administrator)
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.ACCEPTED
    return assessment


def url(name, *args):
    return reverse(f"publications:{name}", args=["aldermoor", *args])


@pytest.mark.parametrize(
    ("person", "result"), matrix(MEMBERS | {"administrator"}), indirect=["person"]
)
def test_the_publications_page(client_as, person, result, accepted):
    response = client_as(person).get(url("manage"))
    assert outcome(response) == result
    if is_allowed(result):
        page = response.content.decode()
        assert "Publications of University of Aldermoor" in page
        publishes = "Publish<span" in page
        assert publishes is (person.email in {"lead.a@example.org", "admin@example.org"})


@pytest.mark.parametrize(("person", "result"), matrix(PUBLISHERS, ok=302), indirect=["person"])
def test_publishing_a_self_assessment(client_as, person, result, accepted):
    response = client_as(person).post(url("publish_self_assessment", accepted.pk))
    assert outcome(response) == result
    publications = list(Publication.objects.values_list("kind", "version"))
    assert publications == ([(PublicationKind.SELF_ASSESSMENT, 1)] if is_allowed(result) else [])


@pytest.mark.parametrize(("person", "result"), matrix(PUBLISHERS, ok=302), indirect=["person"])
def test_withdrawing(client_as, person, result, accepted, lead_of_org_a):
    plan = ActionPlan.objects.get()
    publication = services.publish_plan(plan, by=lead_of_org_a)
    response = client_as(person).post(url("withdraw", publication.pk), {"reason": "Superseded."})
    assert outcome(response) == result
    publication.refresh_from_db()
    assert publication.is_public is (not is_allowed(result))


def test_a_publication_keeps_the_signatures_but_no_e_mail_address(accepted, lead_of_org_a):
    publication = services.publish_self_assessment(accepted, by=lead_of_org_a)
    assert publication.title == (
        "University of Aldermoor Technician Commitment self-assessment (December 2026)"
    )
    assert [(s["title"], s["name"], s["job_title"]) for s in publication.content["sign_offs"]] == [
        ("Nominated Institutional Lead", "Lena Aldous", "Director"),
        ("Signatory – Leader of Institution", "Leo Arden", "Director"),
    ]
    assert all(len(s["hash"]) == 12 for s in publication.content["sign_offs"])
    # The lead's address is the form's own header answer; no signer's or reviewer's is kept.
    text = json.dumps(publication.content)
    for address in ("leader.a@example.org", "contributor.a@example.org", "admin@example.org"):
        assert address not in text


def test_only_accepted_self_assessments_and_approved_plans_are_published(
    ready_draft, lead_of_org_a
):
    with pytest.raises(PublishError, match="Only an accepted self-assessment can be published."):
        services.publish_self_assessment(ready_draft, by=lead_of_org_a)
    plan = plan_services.create_plan(
        ready_draft.organisation, by=lead_of_org_a, starts_on=date(2026, 12, 1)
    )
    with pytest.raises(PublishError, match="Only an approved plan can be published"):
        services.publish_plan(plan, by=lead_of_org_a)
    assert not Publication.objects.exists()


def test_publishing_again_makes_a_new_version_and_keeps_the_old(
    accepted, lead_of_org_a, administrator
):
    plan = ActionPlan.objects.get()
    assert plan.status == PlanStatus.APPROVED
    first = services.publish_plan(plan, by=lead_of_org_a)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.PUBLISHED
    second = services.publish_plan(plan, by=lead_of_org_a)
    assert (first.version, second.version) == (1, 2)
    assert first.content["headings"][0]["actions"][0]["title"] == "Publish a headcount"
    assert Publication.objects.public().count() == 2
    # Accepting approved it and the first publishing published it, each through the
    # transition and in the plan's history; publishing again changed no status.
    assert [(c.from_status, c.to_status, c.by, c.comment) for c in plan.status_changes.all()] == [
        ("draft", "approved", administrator, "Approved with revision 1 of its self-assessment."),
        ("approved", "published", lead_of_org_a, "Published as version 1."),
    ]


def test_a_withdrawal_needs_a_reason_and_is_recorded(client, accepted, lead_of_org_a):
    publication = services.publish_plan(ActionPlan.objects.get(), by=lead_of_org_a)
    client.force_login(lead_of_org_a)
    client.post(url("withdraw", publication.pk), {"reason": " "})
    publication.refresh_from_db()
    assert publication.is_public
    client.post(url("withdraw", publication.pk), {"reason": "Replaced by version 2."})
    publication.refresh_from_db()
    assert (publication.withdrawn_by, publication.withdrawal_reason) == (
        lead_of_org_a,
        "Replaced by version 2.",
    )
    page = client.get(url("manage")).content.decode()
    assert "Replaced by version 2." in page


def test_a_finalised_review_of_an_approved_plan_is_published(accepted, lead_of_org_a):
    plan = ActionPlan.objects.get()
    review = plan_services.start_review(
        plan,
        by=lead_of_org_a,
        reviewed_on=date(2027, 6, 1),
        period_from=date(2026, 12, 1),
        period_to=date(2027, 5, 31),
    )
    with pytest.raises(PublishError, match="Only a finalised progress review"):
        services.publish_review(review, by=lead_of_org_a)
    plan_services.finalise_review(review, by=lead_of_org_a)
    review.refresh_from_db()
    publication = services.publish_review(review, by=lead_of_org_a)
    assert publication.content["headings"] == [
        {
            "name": "Visibility",
            "entries": [{"title": "Publish a headcount", "status": "amber", "comment": ""}],
        }
    ]
    assert publication.content["author"] == "Lena Aldous"


def test_an_appended_review_is_published_only_inside_its_self_assessment(
    client, org_a, lead_of_org_a, leader_of_org_a, administrator, settings, tmp_path
):
    """A review of an earlier plan that never went through the portal's approval (its plan is
    a draft) cannot be published on its own; appended by the lead, it is published as part of
    the self-assessment, on its page and in its stored content."""
    settings.MEDIA_ROOT = tmp_path
    earlier = plan_services.create_plan(
        org_a, by=lead_of_org_a, title="Our plan 2024–2026", starts_on=date(2024, 1, 1)
    )
    plan_services.add_action(
        earlier.headings.first(),
        by=lead_of_org_a,
        title="Count the technicians",
        status=Status.RED,
        comment="The census slipped a year: the new HR system went live late.",
    )
    review = plan_services.start_review(
        earlier,
        by=lead_of_org_a,
        reviewed_on=date(2026, 10, 1),
        period_from=date(2024, 1, 1),
        period_to=date(2026, 9, 30),
    )
    review = plan_services.finalise_review(review, by=lead_of_org_a)
    with pytest.raises(PublishError, match="approved plan only"):
        services.publish_review(review, by=lead_of_org_a)
    assessment = accept(org_a, lead_of_org_a, leader_of_org_a, administrator, appended=review)
    publication = services.publish_self_assessment(assessment, by=lead_of_org_a)
    [stored] = publication.content["document"]["reviews"]
    assert (stored["plan_title"], stored["headings"][0]["entries"]) == (
        "Our plan 2024–2026",
        [
            {
                "title": "Count the technicians",
                "status": "red",
                "comment": "The census slipped a year: the new HR system went live late.",
            }
        ],
    )
    page = client.get(publication_url(publication)).content.decode()
    text = " ".join(re.sub(r"<[^>]+>", " ", page).split())
    assert "Appendix A: RAG analysis of Our plan 2024–2026" in text
    assert "Count the technicians ■ Delayed The census slipped a year" in text
    assert not Publication.objects.filter(kind=PublicationKind.PROGRESS_REVIEW).exists()


def publication_url(publication) -> str:
    return reverse("publications:document", args=["aldermoor", publication.pk])


def test_get_to_an_action_url_changes_nothing(client, accepted, lead_of_org_a):
    client.force_login(lead_of_org_a)
    assert client.get(url("publish_self_assessment", accepted.pk)).status_code == 405
    assert client.get(url("publish_plan", ActionPlan.objects.get().pk)).status_code == 405
    assert not Publication.objects.exists()


@pytest.fixture
def ready_draft(org_a, lead_of_org_a):
    Organisation.objects.filter(pk=org_a.pk).update(signed_on=date(2025, 12, 1))
    org_a.refresh_from_db()
    return assessment_services.start_assessment(org_a, by=lead_of_org_a, today=date(2026, 11, 25))
