"""Publishing an update paper: who may preview and publish it, what the publication freezes,
versions and withdrawal, its public page and its portrait PDF (read back with pypdf); query
counts flat."""

import pytest
from django.urls import reverse

from actionplans import services as plan_services
from actionplans.enums import PlanStatus
from actionplans.models import ActionPlan, UpdatePaper
from publications import services
from publications.enums import PdfState, PublicationKind
from publications.models import Publication
from publications.services import PublishError
from tests.actionplans import test_update_papers as made
from tests.actionplans.test_update_papers import FIRST, SECOND, THIRD, start
from tests.matrix import is_allowed, matrix, outcome
from tests.pdf_text import body_text

MEMBERS = {"lead_of_org_a", "contributor_of_org_a", "sponsor_of_org_a", "leader_of_org_a"}
PUBLISHERS = {"lead_of_org_a", "administrator"}
FEEDBACK = "The Fenwick committee welcomes the drop-in clinic and asks for a second site."


# The approved 24-month plan and its finalised reviews, as the update paper's own tests make them.
plan = made.plan
review = made.review


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def paper(review, lead_of_org_a) -> UpdatePaper:
    paper = start(review, lead_of_org_a)
    paper.introduction = "<p>A fictional paper for the <strong>Brackley</strong> board.</p>"
    paper.feedback = FEEDBACK
    paper.feedback_source = "Technician Commitment steering group"
    paper.feedback_on = review.reviewed_on
    paper.next_steps = "Open a second clinic at the Quayside campus."
    paper.next_steps_due_on = "2029-06-30"
    paper.save()
    paper.refresh_from_db()
    return paper


def url(name, *args):
    return reverse(f"publications:{name}", args=["aldermoor", *args])


def test_publishing_freezes_the_paper(paper, lead_of_org_a):
    publication = services.publish_update_paper(paper, by=lead_of_org_a)
    assert publication.kind == PublicationKind.UPDATE_PAPER
    assert publication.title == "Update paper, February 2029"
    assert publication.version == 1
    content = publication.content
    assert content["next_steps_due_on"] == "2029-06-30"
    assert content["feedback_source"] == "Technician Commitment steering group"
    assert [p["name"] for p in content["periods"]] == ["Year 1", "Year 2"]
    assert content["review"]["headings"][0]["name"] == "Visibility"
    # Later changes never alter what was published; publishing again is a new version.
    paper.achievements.all().delete()
    publication.refresh_from_db()
    assert len(publication.content["periods"]) == 2
    assert services.publish_update_paper(paper, by=lead_of_org_a).version == 2


def test_a_paper_of_a_draft_plan_is_not_published(paper, lead_of_org_a):
    ActionPlan.objects.filter(pk=paper.review.plan_id).update(status=PlanStatus.DRAFT)
    with pytest.raises(PublishError, match="approved plan only"):
        services.publish_update_paper(paper, by=lead_of_org_a)


def test_a_reopened_review_cannot_publish_its_paper(paper, lead_of_org_a):
    plan_services.reopen_review(paper.review, by=lead_of_org_a)
    with pytest.raises(PublishError, match="finalised progress review only"):
        services.publish_update_paper(paper, by=lead_of_org_a)


@pytest.mark.parametrize(
    ("person", "result"), matrix(MEMBERS | {"administrator"}), indirect=["person"]
)
def test_the_preview(client_as, person, result, paper):
    response = client_as(person).get(url("update_paper_preview", paper.pk))
    assert outcome(response) == result
    if is_allowed(result):
        page = response.content.decode()
        assert FEEDBACK in page
        publishes = "Publish the update paper" in page
        assert publishes is (person.email in {"lead.a@example.org", "admin@example.org"})


@pytest.mark.parametrize(("person", "result"), matrix(PUBLISHERS, ok=302), indirect=["person"])
def test_publishing(client_as, person, result, paper):
    response = client_as(person).post(url("publish_update_paper", paper.pk))
    assert outcome(response) == result
    kinds = list(Publication.objects.values_list("kind", "version"))
    assert kinds == ([(PublicationKind.UPDATE_PAPER, 1)] if is_allowed(result) else [])


def test_the_publications_page_offers_the_paper(client, paper, lead_of_org_a):
    client.force_login(lead_of_org_a)
    page = client.get(url("manage")).content.decode()
    assert url("publish_update_paper", paper.pk) in page


def test_the_public_page_and_the_pdf(
    client, paper, lead_of_org_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        publication = services.publish_update_paper(paper, by=lead_of_org_a)
    publication.refresh_from_db()
    assert publication.pdf_state == PdfState.READY
    page = client.get(publication.get_absolute_url()).content.decode()
    assert "<strong>Brackley</strong> board" in page
    assert f'<blockquote class="blockquote"><p>{FEEDBACK}</p></blockquote>' in page
    assert "Technician Commitment steering group" in page
    assert '<time datetime="2029-06-30">30 June 2029</time>' in page
    for text in (f"{FIRST}: Open weekly.", f"{SECOND}: Two seats from March.", THIRD):
        assert text in page
    assert "Progress by theme" in page
    pdf = client.get(publication.pdf_url())
    assert pdf["Content-Type"] == "application/pdf"
    text = " ".join(body_text(b"".join(pdf.streaming_content)).split())
    for expected in (
        "Update paper, February 2029",
        f"{FIRST}: Open weekly.",
        f"{SECOND}: Two seats from March.",
        THIRD,
        FEEDBACK,
        "30 June 2029",
    ):
        assert expected in text


def test_the_organisation_page_lists_the_paper_in_its_plans_cycle(client, paper, lead_of_org_a):
    publication = services.publish_update_paper(paper, by=lead_of_org_a)
    page = client.get(reverse("publications:organisation", args=["aldermoor"]))
    assert page.status_code == 200
    cycles = [c for c in page.context["cycles"] if publication in c["documents"]]
    assert [c["plan"] for c in cycles] == [paper.review.plan]
    assert publication.get_absolute_url() in page.content.decode()


def test_a_withdrawn_paper_is_gone_from_public_view(client, paper, lead_of_org_a):
    publication = services.publish_update_paper(paper, by=lead_of_org_a)
    services.withdraw(publication, by=lead_of_org_a, reason="Replaced by a corrected paper.")
    assert client.get(publication.get_absolute_url()).status_code == 404


def test_the_public_page_queries_do_not_grow_with_achievements(
    client, paper, lead_of_org_a, django_assert_max_num_queries
):
    heading = paper.achievements.first().heading
    for n in range(40):
        paper.achievements.create(period="Year 2", heading=heading, text=f"Item {n}", position=n)
    publication = services.publish_update_paper(paper, by=lead_of_org_a)
    with django_assert_max_num_queries(3):
        assert client.get(publication.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("count", [3, 40])
def test_the_preview_queries_do_not_grow_with_achievements(
    client, paper, lead_of_org_a, count, django_assert_max_num_queries
):
    heading = paper.achievements.first().heading
    for n in range(count):
        paper.achievements.create(period="Year 2", heading=heading, text=f"Item {n}", position=n)
    client.force_login(lead_of_org_a)
    with django_assert_max_num_queries(14):
        response = client.get(url("update_paper_preview", paper.pk))
    assert f"Item {count - 1}" in response.content.decode()
