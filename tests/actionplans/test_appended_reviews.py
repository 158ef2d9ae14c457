"""A finalised progress review of an earlier plan, appended to a later self-assessment as its
RAG analysis: who may append and remove it (through the organisation only), with htmx and
without, what the section page offers, and that a review appended to a frozen self-assessment
cannot change."""

from datetime import date

import pytest
from django.urls import reverse

from actionplans import services
from actionplans.models import ProgressReview
from actionplans.services import PlanError
from assessments.enums import AssessmentStatus
from assessments.models import SelfAssessment
from tests.actionplans.test_reviews import flashed, rag_section_url, text_of
from tests.matrix import is_allowed, matrix, outcome

WRITERS = {"lead_of_org_a", "contributor_of_org_a"}


@pytest.fixture
def final_review(plan, review, lead_of_org_a, later_assessment):
    """The first cycle's plan and its finalised review; the second self-assessment is open."""
    plan.assessment = later_assessment[0]
    plan.save()
    return services.finalise_review(review, by=lead_of_org_a)


@pytest.fixture
def second(later_assessment):
    return later_assessment[1]


def append_url(assessment, name="append_review"):
    return reverse(f"actionplans:{name}", args=["aldermoor", assessment.pk])


@pytest.mark.parametrize(("person", "result"), matrix(WRITERS, ok=302), indirect=["person"])
def test_appending(client_as, person, result, final_review, second):
    response = client_as(person).post(append_url(second), {"review": final_review.pk})
    assert outcome(response) == result
    final_review.refresh_from_db()
    assert final_review.appended_to == (second if is_allowed(result) else None)
    if is_allowed(result):
        assert response.url == rag_section_url(second) + "#rag-appendices"
        assert flashed(response) == ["The progress review is appended as Appendix A."]


@pytest.mark.parametrize(("person", "result"), matrix(WRITERS, ok=302), indirect=["person"])
def test_removing(client_as, person, result, final_review, second, lead_of_org_a):
    services.append_review(final_review, second, by=lead_of_org_a)
    response = client_as(person).post(
        append_url(second, "detach_review"), {"review": final_review.pk}
    )
    assert outcome(response) == result
    final_review.refresh_from_db()
    assert final_review.appended_to == (None if is_allowed(result) else second)


@pytest.mark.parametrize("name", ["append_review", "detach_review"])
def test_a_get_changes_nothing(client_as, lead_of_org_a, final_review, second, name):
    response = client_as(lead_of_org_a).get(append_url(second, name), {"review": final_review.pk})
    assert response.status_code == 405
    final_review.refresh_from_db()
    assert final_review.appended_to is None


def test_another_organisations_review_is_not_found(
    client_as, lead_of_org_a, lead_of_org_b, org_b, final_review, second
):
    """Reached through the organisation: a review of another organisation's plan is a 404, and
    the service refuses it too."""
    theirs = services.create_plan(org_b, by=lead_of_org_b, starts_on=date(2026, 12, 1))
    their_review = services.finalise_review(
        services.start_review(
            theirs,
            by=lead_of_org_b,
            reviewed_on=date(2027, 6, 1),
            period_from=date(2026, 12, 1),
            period_to=date(2027, 5, 31),
        ),
        by=lead_of_org_b,
    )
    response = client_as(lead_of_org_a).post(append_url(second), {"review": their_review.pk})
    assert response.status_code == 404
    with pytest.raises(PlanError, match="your organisation's own plans"):
        services.append_review(their_review, second, by=lead_of_org_a)
    their_review.refresh_from_db()
    assert their_review.appended_to is None


def test_what_cannot_be_appended(lead_of_org_a, plan, review, second, later_assessment):
    with pytest.raises(PlanError, match="Finalise the review before appending it."):
        services.append_review(review, second, by=lead_of_org_a)
    services.finalise_review(review, by=lead_of_org_a)
    plan.assessment = second
    plan.save()
    with pytest.raises(PlanError, match="This cycle's own plan is already an appendix"):
        services.append_review(review, second, by=lead_of_org_a)
    plan.assessment = None
    plan.save()
    SelfAssessment.objects.filter(pk=later_assessment[0].pk).update(status=AssessmentStatus.DRAFT)
    services.append_review(review, later_assessment[0], by=lead_of_org_a)
    with pytest.raises(PlanError, match="already appended to another self-assessment"):
        services.append_review(review, second, by=lead_of_org_a)


def test_an_accepted_self_assessment_takes_no_appendix(lead_of_org_a, final_review, second):
    SelfAssessment.objects.filter(pk=second.pk).update(status=AssessmentStatus.ACCEPTED)
    with pytest.raises(PlanError, match="nothing can be appended"):
        services.append_review(final_review, second, by=lead_of_org_a)


@pytest.mark.parametrize(
    "status",
    [
        AssessmentStatus.AWAITING_SIGN_OFF,
        AssessmentStatus.SUBMITTED,
        AssessmentStatus.UNDER_REVIEW,
        AssessmentStatus.ACCEPTED,
    ],
)
def test_a_review_appended_to_a_frozen_self_assessment_stays_as_signed(
    client_as, lead_of_org_a, final_review, second, status
):
    services.append_review(final_review, second, by=lead_of_org_a)
    SelfAssessment.objects.filter(pk=second.pk).update(status=status)
    final_review = ProgressReview.objects.get(pk=final_review.pk)
    assert final_review.is_attached_to_frozen_assessment
    with pytest.raises(PlanError, match="appended to a self-assessment that is being signed"):
        services.check_review_changeable(final_review)
    with pytest.raises(PlanError, match="appended to a self-assessment that is being signed"):
        services.save_review(final_review, {})
    response = client_as(lead_of_org_a).post(
        append_url(second, "detach_review"), {"review": final_review.pk}
    )
    assert response.status_code == 404  # nobody may change the self-assessment now
    with pytest.raises(PlanError, match="its appendices stay"):
        services.detach_review(final_review, second, by=lead_of_org_a)
    final_review.refresh_from_db()
    assert final_review.appended_to == second
    # Nor may it be reopened (issue 13's reopen asks the same predicate), nor be imported into.
    assert not final_review.may_reopen()
    with pytest.raises(services.ReviewNotReopened, match="cannot be reopened now"):
        services.reopen_review(final_review, by=lead_of_org_a)
    assert ProgressReview.objects.get(pk=final_review.pk).is_final


def test_changes_requested_lets_the_lead_change_the_appendices(lead_of_org_a, final_review, second):
    services.append_review(final_review, second, by=lead_of_org_a)
    SelfAssessment.objects.filter(pk=second.pk).update(status=AssessmentStatus.CHANGES_REQUESTED)
    assert not ProgressReview.objects.get(pk=final_review.pk).is_attached_to_frozen_assessment
    assert ProgressReview.objects.get(pk=final_review.pk).may_reopen()
    services.detach_review(final_review, second, by=lead_of_org_a)
    final_review.refresh_from_db()
    assert final_review.appended_to is None


def test_with_htmx_the_card_comes_back(client_as, lead_of_org_a, final_review, second, plan):
    client = client_as(lead_of_org_a)
    response = client.post(append_url(second), {"review": final_review.pk}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    text = text_of(response)
    assert text.startswith(
        "RAG analysis appended to this self-assessment "
        "The progress review is appended as Appendix A. "
        f"Appendix A: RAG analysis of {plan.title} , the progress review of 5 June 2027 "
        "(covering 1 December 2026 to 31 May 2027). Remove Appendix A from the self-assessment"
    )
    again = client.post(
        append_url(second, "detach_review"), {"review": final_review.pk}, HTTP_HX_REQUEST="true"
    )
    assert "The progress review is no longer appended." in text_of(again)
    assert "Append the review of 5 June 2027" in text_of(again)
    refused = client.post(
        append_url(second, "detach_review"), {"review": final_review.pk}, HTTP_HX_REQUEST="true"
    )
    assert refused.status_code == 409
    assert "This review is not appended to this self-assessment." in text_of(refused)


def test_without_javascript_a_refusal_is_flashed(client_as, lead_of_org_a, review, second):
    response = client_as(lead_of_org_a).post(append_url(second), {"review": review.pk})
    assert response.status_code == 302
    assert flashed(response) == ["Finalise the review before appending it."]


def test_the_section_page_offers_the_review_and_its_forms(
    client_as, lead_of_org_a, sponsor_of_org_a, final_review, second, plan
):
    html = client_as(lead_of_org_a).get(rag_section_url(second)).content.decode()
    assert (
        f'form="append-review-form" name="review" value="{final_review.pk}" '
        f'hx-post="{append_url(second)}"'
    ) in html
    # The form the button submits without JavaScript follows the section's form: forms
    # cannot nest.
    assert html.index('<form id="append-review-form"') > html.index("</form>")
    read_only = client_as(sponsor_of_org_a).get(rag_section_url(second))
    assert "No progress review is appended." in text_of(read_only)
    assert "append-review-form" not in read_only.content.decode()


def test_a_review_in_draft_is_not_offered(client_as, lead_of_org_a, review, second):
    response = client_as(lead_of_org_a).get(rag_section_url(second))
    assert "There is no finalised progress review of an earlier plan to append." in text_of(
        response
    )


@pytest.mark.parametrize("page", ["check", "preview"])
def test_the_appended_review_reads_in_the_check_page_and_print_preview(
    client_as,
    lead_of_org_a,
    final_review,
    second,
    plan,
    actions,
    page,
):
    services.append_review(final_review, second, by=lead_of_org_a)
    url = reverse(f"assessments:{page}", args=["aldermoor", second.pk])
    text = text_of(client_as(lead_of_org_a).get(url))
    assert f"See Appendix A: RAG analysis of {plan.title} ." in text
    assert (
        f"Appendix A: RAG analysis of {plan.title} About this review Project {plan.title} "
        "Author Lena Aldous Date of the review 5 June 2027 "
        "Period covered from 1 December 2026 to 31 May 2027 Overall status ▲ In progress"
    ) in text
    assert "Visibility Name technicians ○ Not started" in text


def test_the_review_page_says_where_it_is_appended(
    client_as, lead_of_org_a, final_review, second, plan
):
    services.append_review(final_review, second, by=lead_of_org_a)
    response = client_as(lead_of_org_a).get(
        reverse("actionplans:review", args=["aldermoor", plan.pk, final_review.pk])
    )
    assert (
        "Appended to The self-assessment due 30 November 2029, as its RAG analysis of this plan"
    ) in text_of(response)


def test_a_form_without_the_rag_question_returns_to_the_task_list(
    client_as, lead_of_org_a, final_review, later_assessment
):
    """The early form asks for no RAG analysis; a review appended anyway (say, by an old page)
    is printed as an appendix all the same, and the person is sent back to the task list."""
    first = later_assessment[0]
    SelfAssessment.objects.filter(pk=first.pk).update(status=AssessmentStatus.DRAFT)
    final_review.plan.assessment = None
    final_review.plan.save()
    response = client_as(lead_of_org_a).post(append_url(first), {"review": final_review.pk})
    assert response.url == reverse("assessments:task_list", args=["aldermoor", first.pk])
    final_review.refresh_from_db()
    assert final_review.appended_to == first
