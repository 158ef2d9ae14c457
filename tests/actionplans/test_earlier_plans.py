"""Plans of earlier cycles, approved before the portal: recording one with its original PDF,
opening that original, publishing its reviews, carrying its actions forward, and the public
archive by cycle."""

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfWriter

from actionplans import services
from actionplans.enums import PlanStatus, Status
from actionplans.forms import MAX_ORIGINAL_BYTES
from actionplans.models import ActionPlan
from publications import services as publishing
from tests.matrix import is_allowed, matrix, outcome

LEAD = {"lead_of_org_a", "administrator"}
READERS = {
    "lead_of_org_a",
    "contributor_of_org_a",
    "sponsor_of_org_a",
    "leader_of_org_a",
    "administrator",
}


def real_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def upload(content: bytes, name: str = "plan-2019.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def form_data(**extra) -> dict:
    return {
        "title": "Aldermoor Technician Commitment Action Plan 2019–2021",
        "starts_on": "Apr 2019",
        "ends_on": "Mar 2021",
        "approved_on": "2019-03-14",
        **extra,
    }


def record(organisation, by, *, original=True, public=False, starts_on=date(2019, 4, 1)):
    return services.record_earlier_plan(
        organisation,
        by=by,
        title=f"Earlier plan from {starts_on:%Y}",
        starts_on=starts_on,
        ends_on=date(starts_on.year + 1, 3, 1),
        approved_on=date(starts_on.year, 3, 14),
        original=upload(real_pdf()) if original else None,
        original_public=public,
    )


@pytest.fixture
def earlier(org_a, lead_of_org_a):
    """Organisation A's plan of 2019–2021, approved on 14 March 2019, with a private original."""
    return record(org_a, lead_of_org_a)


# --- Recording one ----------------------------------------------------------------------------


@pytest.mark.parametrize(("person", "result"), matrix(LEAD), indirect=["person"])
def test_the_earlier_plan_form(client_as, person, result, org_a):
    response = client_as(person).get(reverse("actionplans:earlier", args=[org_a.slug]))
    assert outcome(response) == result
    if is_allowed(result):
        assert "Record a plan of an earlier cycle" in response.content.decode()


@pytest.mark.parametrize(("person", "result"), matrix(LEAD, ok=302), indirect=["person"])
def test_recording_an_earlier_plan(client_as, person, result, org_a):
    response = client_as(person).post(
        reverse("actionplans:earlier", args=[org_a.slug]),
        form_data(original_pdf=upload(real_pdf()), original_public="on"),
    )
    assert outcome(response) == result
    plans = list(ActionPlan.objects.filter(organisation=org_a))
    if is_allowed(result):
        [plan] = plans
        assert response.url == plan.get_absolute_url()
        assert (plan.starts_on, plan.ends_on) == (date(2019, 4, 1), date(2021, 3, 1))
        assert plan.approved_outside_on == date(2019, 3, 14)
        assert plan.original_public is True
        assert plan.original_pdf.name.startswith(f"earlier-plans/{org_a.pk}/")
        with plan.original_pdf.open("rb") as stored:
            assert stored.read() == real_pdf()
    else:
        assert plans == []


def test_an_administrator_reading_an_earlier_plan_reads_no_draft(
    client, earlier, administrator, lead_of_org_a
):
    """The lead's "Drafts read by administrators" lists drafts: a plan approved before the
    portal is none, though the portal keeps it editable for its actions to be recorded."""
    from signatories.models import DraftRead

    draft = services.create_plan(
        earlier.organisation, by=lead_of_org_a, starts_on=date(2026, 12, 1), horizon_months=24
    )
    client.force_login(administrator)
    assert earlier.title in client.get(earlier.get_absolute_url()).content.decode()
    assert draft.title in client.get(draft.get_absolute_url()).content.decode()
    assert list(DraftRead.objects.values_list("what", flat=True)) == [
        f"the draft action plan “{draft.title}”"
    ]


def test_the_plan_says_it_was_approved_before_the_portal(client, lead_of_org_a, earlier):
    client.force_login(lead_of_org_a)
    page = client.get(earlier.get_absolute_url()).content.decode()
    assert "Status: Approved before the portal, <time" in page
    assert reverse("actionplans:original", args=["aldermoor", earlier.pk]) in page
    listing = client.get(reverse("actionplans:list", args=["aldermoor"])).content.decode()
    assert "Record a plan of an earlier cycle" in listing


def test_a_file_named_pdf_that_is_not_a_pdf_is_refused(client, lead_of_org_a, org_a):
    client.force_login(lead_of_org_a)
    response = client.post(
        reverse("actionplans:earlier", args=[org_a.slug]),
        form_data(original_pdf=upload(b"PK\x03\x04 a zip, not a plan", "plan.pdf")),
    )
    assert response.status_code == 400
    assert "This file is not a PDF." in response.content.decode()
    # What was typed is kept.
    assert 'value="Aldermoor Technician Commitment Action Plan 2019–2021"' in (
        response.content.decode()
    )
    assert not ActionPlan.objects.exists()


def test_a_broken_pdf_is_refused(client, lead_of_org_a, org_a):
    client.force_login(lead_of_org_a)
    response = client.post(
        reverse("actionplans:earlier", args=[org_a.slug]),
        form_data(original_pdf=upload(b"%PDF-1.7\nnothing else")),
    )
    assert response.status_code == 400
    assert "This PDF cannot be read." in response.content.decode()
    assert not ActionPlan.objects.exists()


def test_an_oversized_pdf_is_refused(client, lead_of_org_a, org_a):
    client.force_login(lead_of_org_a)
    padded = real_pdf() + b"%" * (MAX_ORIGINAL_BYTES + 1)
    response = client.post(
        reverse("actionplans:earlier", args=[org_a.slug]),
        form_data(original_pdf=upload(padded)),
    )
    assert response.status_code == 400
    assert "The PDF is larger than 10 MB." in response.content.decode()
    assert not ActionPlan.objects.exists()


def test_the_last_month_must_not_come_before_the_first(client, lead_of_org_a, org_a):
    client.force_login(lead_of_org_a)
    response = client.post(
        reverse("actionplans:earlier", args=[org_a.slug]), form_data(ends_on="Mar 2018")
    )
    assert response.status_code == 400
    assert "The last month comes before the first." in response.content.decode()


# --- The original -----------------------------------------------------------------------------


@pytest.mark.parametrize(("person", "result"), matrix(READERS), indirect=["person"])
def test_a_private_original_opens_for_those_who_see_the_plan(client_as, person, result, earlier):
    response = client_as(person).get(
        reverse("actionplans:original", args=["aldermoor", earlier.pk])
    )
    assert outcome(response) == result
    if is_allowed(result):
        assert b"".join(response.streaming_content) == real_pdf()
        assert response["Content-Type"] == "application/pdf"


@pytest.mark.parametrize("persona", ["anonymous", "lead_of_org_b", "reviewer"])
def test_a_public_original_opens_for_everyone(client_as, request, persona, org_a, lead_of_org_a):
    plan = record(org_a, lead_of_org_a, public=True)
    person = None if persona == "anonymous" else request.getfixturevalue(persona)
    response = client_as(person).get(reverse("actionplans:original", args=["aldermoor", plan.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == real_pdf()


def test_a_public_original_is_not_found_through_another_organisation(
    client, org_a, org_b, lead_of_org_a
):
    plan = record(org_a, lead_of_org_a, public=True)
    response = client.get(reverse("actionplans:original", args=[org_b.slug, plan.pk]))
    assert response.status_code == 302  # sent to sign in, learning nothing


def test_a_plan_without_an_original_has_none_to_open(client, org_a, lead_of_org_a):
    plan = record(org_a, lead_of_org_a, original=False)
    client.force_login(lead_of_org_a)
    response = client.get(reverse("actionplans:original", args=["aldermoor", plan.pk]))
    assert response.status_code == 404


@pytest.mark.parametrize(("person", "result"), matrix(LEAD, ok=302), indirect=["person"])
def test_showing_the_original_on_the_public_page(client_as, person, result, earlier):
    response = client_as(person).post(
        reverse("actionplans:show_original", args=["aldermoor", earlier.pk]), {"public": "yes"}
    )
    assert outcome(response) == result
    earlier.refresh_from_db()
    assert earlier.original_public is is_allowed(result)


def test_the_lead_takes_the_original_off_the_public_page(client, org_a, lead_of_org_a):
    plan = record(org_a, lead_of_org_a, public=True)
    client.force_login(lead_of_org_a)
    page = client.get(plan.get_absolute_url()).content.decode()
    assert "Take the original PDF off the public page" in page
    response = client.post(
        reverse("actionplans:show_original", args=["aldermoor", plan.pk]), {"public": "no"}
    )
    assert response.url == plan.get_absolute_url()
    plan.refresh_from_db()
    assert plan.original_public is False
    client.logout()
    response = client.get(reverse("actionplans:original", args=["aldermoor", plan.pk]))
    assert response.status_code == 302  # private again: sent to sign in


def test_showing_the_original_answers_get_without_changing_anything(client, earlier, lead_of_org_a):
    client.force_login(lead_of_org_a)
    response = client.get(reverse("actionplans:show_original", args=["aldermoor", earlier.pk]))
    assert response.status_code == 405
    earlier.refresh_from_db()
    assert earlier.original_public is False


def test_a_plan_without_an_original_cannot_show_one(client, org_a, lead_of_org_a):
    plan = record(org_a, lead_of_org_a, original=False)
    client.force_login(lead_of_org_a)
    response = client.post(
        reverse("actionplans:show_original", args=["aldermoor", plan.pk]),
        {"public": "yes"},
        follow=True,
    )
    assert "This plan has no original PDF to show." in response.content.decode()
    plan.refresh_from_db()
    assert plan.original_public is False


@pytest.mark.parametrize(("person", "result"), matrix(LEAD), indirect=["person"])
def test_the_original_pdf_page(client_as, person, result, earlier):
    response = client_as(person).get(
        reverse("actionplans:replace_original", args=["aldermoor", earlier.pk])
    )
    assert outcome(response) == result
    if is_allowed(result):
        assert "A new file replaces" in response.content.decode()


@pytest.mark.parametrize(("person", "result"), matrix(LEAD, ok=302), indirect=["person"])
def test_adding_the_original_later(client_as, person, result, org_a, lead_of_org_a):
    plan = record(org_a, lead_of_org_a, original=False)
    response = client_as(person).post(
        reverse("actionplans:replace_original", args=["aldermoor", plan.pk]),
        {"original_pdf": upload(real_pdf())},
    )
    assert outcome(response) == result
    plan.refresh_from_db()
    assert bool(plan.original_pdf) is is_allowed(result)


def test_replacing_the_original_deletes_the_old_file(
    client, earlier, lead_of_org_a, django_capture_on_commit_callbacks
):
    old = earlier.original_pdf.name
    client.force_login(lead_of_org_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("actionplans:replace_original", args=["aldermoor", earlier.pk]),
            {"original_pdf": upload(real_pdf(), "signed-copy.pdf")},
        )
    assert response.url == earlier.get_absolute_url()
    earlier.refresh_from_db()
    assert earlier.original_pdf.name != old
    assert earlier.original_pdf.storage.exists(earlier.original_pdf.name)
    assert not earlier.original_pdf.storage.exists(old)


def test_a_replacement_that_is_not_a_pdf_is_refused(client, earlier, lead_of_org_a):
    old = earlier.original_pdf.name
    client.force_login(lead_of_org_a)
    response = client.post(
        reverse("actionplans:replace_original", args=["aldermoor", earlier.pk]),
        {"original_pdf": upload(b"<html>not a plan</html>", "plan.pdf")},
    )
    assert response.status_code == 400
    assert "This file is not a PDF." in response.content.decode()
    earlier.refresh_from_db()
    assert earlier.original_pdf.name == old


def test_a_plan_of_this_portal_has_no_original_page(client, org_a, lead_of_org_a):
    plan = services.create_plan(org_a, by=lead_of_org_a, starts_on=date(2026, 12, 1))
    client.force_login(lead_of_org_a)
    response = client.get(reverse("actionplans:replace_original", args=["aldermoor", plan.pk]))
    assert response.status_code == 404


# --- Reviews, publishing and carrying forward -------------------------------------------------


def finalised_review(plan, by):
    heading = plan.headings.get(theme__slug="visibility")
    action = services.add_action(heading, by=by, title="Name technicians on outputs")
    review = services.begin_review(
        plan,
        by=by,
        reviewed_on=date(2020, 4, 2),
        period_from=date(2019, 4, 1),
        period_to=date(2020, 3, 31),
        overall_status=Status.GREEN,
    )
    review.entries.filter(action=action).update(status=Status.AMBER, comment="Half the schools.")
    return services.finalise_review(review, by=by)


def test_a_review_of_an_earlier_plan_can_be_published(earlier, lead_of_org_a):
    review = finalised_review(earlier, lead_of_org_a)
    publication = publishing.publish_review(review, by=lead_of_org_a)
    assert publication.review == review
    assert publication.title == "Progress review of Earlier plan from 2019, 2 April 2020"
    earlier.refresh_from_db()
    assert earlier.status == PlanStatus.DRAFT  # approved outside the portal, not in it


def test_a_review_of_a_plan_not_approved_anywhere_still_cannot(org_a, lead_of_org_a):
    plan = services.create_plan(org_a, by=lead_of_org_a, starts_on=date(2019, 4, 1))
    review = finalised_review(plan, lead_of_org_a)
    with pytest.raises(publishing.PublishError, match="approved plan only"):
        publishing.publish_review(review, by=lead_of_org_a)


def test_the_publications_page_offers_the_earlier_plans_reviews(client, earlier, lead_of_org_a):
    review = finalised_review(earlier, lead_of_org_a)
    client.force_login(lead_of_org_a)
    response = client.get(reverse("publications:manage", args=["aldermoor"]))
    assert response.context["reviews"] == [review]


def test_an_earlier_plan_is_the_source_of_carrying_forward(client, earlier, lead_of_org_a):
    finalised_review(earlier, lead_of_org_a)  # its one action is amber: unfinished
    client.force_login(lead_of_org_a)
    response = client.post(
        reverse("actionplans:start", args=["aldermoor"]),
        {
            "starts_on": "Dec 2026",
            "horizon_months": "24",
            "timing_style": "phases",
            "previous": str(earlier.pk),
        },
    )
    later = ActionPlan.objects.exclude(pk=earlier.pk).get()
    assert response.url == reverse("actionplans:carry_forward", args=["aldermoor", later.pk])
    page = client.get(response.url)
    assert [a.title for a in page.context["offered"]] == ["Name technicians on outputs"]


# --- The public archive -----------------------------------------------------------------------


def test_the_archive_lists_the_earlier_cycle_with_its_original_and_review(
    client, org_a, lead_of_org_a
):
    earlier = record(org_a, lead_of_org_a, public=True)
    private = record(org_a, lead_of_org_a, starts_on=date(2017, 4, 1))
    review = publishing.publish_review(finalised_review(earlier, lead_of_org_a), by=lead_of_org_a)
    response = client.get(reverse("publications:organisation", args=["aldermoor"]))
    [cycle] = response.context["cycles"]
    assert (cycle["plan"], cycle["original"], cycle["documents"]) == (earlier, earlier, [review])
    page = response.content.decode()
    assert reverse("actionplans:original", args=["aldermoor", earlier.pk]) in page
    assert reverse("actionplans:original", args=["aldermoor", private.pk]) not in page
    assert 'Apr 2019 to Mar 2020 <span class="d-block small fw-normal">Approved before' in page


@pytest.mark.parametrize("cycles", [1, 4])
def test_the_archive_runs_in_constant_queries(
    client, org_a, lead_of_org_a, cycles, django_assert_max_num_queries
):
    for n in range(cycles):
        plan = record(org_a, lead_of_org_a, public=True, starts_on=date(2012 + 2 * n, 4, 1))
        publishing.publish_review(finalised_review(plan, lead_of_org_a), by=lead_of_org_a)
    # The organisation, its publications, the cycles' plans, the due date's form versions and
    # deadlines, and the last public change.
    with django_assert_max_num_queries(7):
        response = client.get(reverse("publications:organisation", args=["aldermoor"]))
    assert [c["plan"].starts_on.year for c in response.context["cycles"]] == [
        2012 + 2 * n for n in reversed(range(cycles))
    ]


def test_an_earlier_plans_pdf_is_not_called_a_draft(earlier, org_a, lead_of_org_a):
    from publications.pdf import draft_plan

    unapproved = services.create_plan(org_a, by=lead_of_org_a, starts_on=date(2026, 12, 1))
    assert draft_plan(earlier).title == "Earlier plan from 2019"
    assert draft_plan(unapproved).title == f"{unapproved.title}, draft"
