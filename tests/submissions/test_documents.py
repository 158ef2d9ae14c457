"""The one document builder (assessments.documents): the structure it gives, and the pages that
draw it: a draft reads as its revision will, plan appendix included."""

import re
from datetime import date

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from actionplans import services as plan_services
from assessments import documents
from assessments.enums import QuestionKind
from assessments.queries import load_assessment
from submissions import services
from tests.publications.test_pdf import ACTIONS, add_plan
from tests.submissions.conftest import ready  # noqa: F401 - a fixture

CONTENT = {
    "organisation": "University of Aldermoor",
    "form_version": "2026 form",
    "due_on": "2026-12-31",
    "sections": [
        {
            "position": 1,
            "title": "Your organisation",
            "questions": [
                {
                    "key": "org",
                    "text": "Organisation",
                    "kind": "short_text",
                    "boxes": [{"theme": None, "theme_name": "", "text": "Aldermoor", "flag": None}],
                }
            ],
        },
        {
            "position": 2,
            "title": "Looking ahead",
            "questions": [
                {
                    "key": "plan",
                    "text": "Your action plan",
                    "kind": "action_plan",
                    "boxes": [{"theme": None, "theme_name": "", "text": "", "flag": None}],
                },
                {"key": "figs", "text": "Figures", "kind": "figures", "boxes": [], "figures": []},
            ],
        },
    ],
    "plan": {"title": "Our plan 2026-2029", "headings": []},
    "sign_offs": [{"role": "lead", "title": "Project lead"}],
}


def test_the_builder_gives_a_versioned_document_with_lettered_appendices():
    figure = documents.Figure(src="/f/1", caption="A chart", alt_text="Bars")
    document = documents.build(CONTENT, figures={"figs": [figure]})
    assert document.version == documents.VERSION == 1
    assert [s.title for s in document.sections] == ["Your organisation", "Looking ahead"]
    assert document.header.title == "Your organisation"
    assert [s.title for s in document.body] == ["Looking ahead"]
    [appendix] = document.appendices
    assert (appendix.letter, appendix.title, appendix.kind) == (
        "A",
        "Our plan 2026-2029",
        documents.AppendixKind.ACTION_PLAN,
    )
    plan_question, figures_question = document.body[0].questions
    assert plan_question.appendix is appendix
    assert plan_question.appendix.label == "Appendix A: Our plan 2026-2029"
    assert figures_question.figures == [figure]
    assert [(s.title, s.signed) for s in document.signatures] == [("Project lead", None)]


def test_an_earlier_plans_rag_analysis_comes_first_and_the_plan_is_appendix_b():
    review = {  # as actionplans.queries.review_as_data gives it
        "plan_title": "Our plan 2023-2026",
        "reviewed_on": "2026-10-01",
        "period_from": "2025-10-01",
        "period_to": "2026-09-30",
        "overall_status": "green",
        "wording": {},
        "headings": [
            {
                "name": "Visibility",
                "entries": [{"title": "Name technicians", "status": "amber", "comment": "Slow."}],
            }
        ],
    }
    document = documents.build({**CONTENT, "reviews": [review]})
    assert [(a.letter, a.title, a.kind) for a in document.appendices] == [
        ("A", "RAG analysis of Our plan 2023-2026", documents.AppendixKind.RAG_ANALYSIS),
        ("B", "Our plan 2026-2029", documents.AppendixKind.ACTION_PLAN),
    ]
    assert document.body[0].questions[0].appendix.label == "Appendix B: Our plan 2026-2029"
    html = render_to_string("documents/_document.html", {"document": document})
    text = words(html)
    assert "Appendix A: RAG analysis of Our plan 2023-2026" in text
    assert "Name technicians" in text
    assert "Slow." in text
    assert "See Appendix B: Our plan 2026-2029" in text


def test_the_question_an_appended_review_names_points_to_its_appendix():
    rag = {"key": "rag_analysis", "text": "Give a RAG analysis", "kind": "long_text"}
    rag["boxes"] = [{"theme": None, "theme_name": "", "text": "<p>See Appendix A.</p>"}]
    sections = [*CONTENT["sections"], {"position": 3, "title": "Impact", "questions": [rag]}]
    review = {"plan_title": "Our plan 2023-2026", "question": "rag_analysis", "headings": []}
    document = documents.build({**CONTENT, "sections": sections, "reviews": [review]})
    [question] = document.body[1].questions
    assert [a.label for a in question.appendices] == [
        "Appendix A: RAG analysis of Our plan 2023-2026"
    ]
    assert document.body[0].questions[0].appendix.letter == "B"  # the plan
    html = render_to_string("documents/_document.html", {"document": document})
    assert "See Appendix A. See Appendix A: RAG analysis of Our plan 2023-2026 ." in words(html)


def test_a_document_without_a_plan_has_no_appendix_and_the_question_no_reference():
    document = documents.build({**CONTENT, "plan": None})
    assert document.appendices == []
    assert document.body[0].questions[0].appendix is None


def test_a_frozen_format_without_a_reader_is_refused_not_misread():
    with pytest.raises(ValueError, match="document version 2"):
        documents.build({**CONTENT, "document_version": 2})


def words(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.fixture
def with_plan(ready, lead_of_org_a):  # noqa: F811
    return ready, add_plan(ready, lead_of_org_a)


@pytest.mark.parametrize("page", ["check", "preview"])
def test_check_and_print_preview_show_the_plan_appendix(client, with_plan, lead_of_org_a, page):
    assessment, plan = with_plan
    client.force_login(lead_of_org_a)
    url = reverse(f"assessments:{page}", args=[assessment.organisation.slug, assessment.pk])
    text = words(client.get(url).content.decode())
    assert f"Appendix A: {plan.title}" in text
    assert [t for rows in ACTIONS.values() for t, _ in rows if t not in text] == []
    assert f"See Appendix A: {plan.title}" in text


def test_the_draft_reads_as_its_revision_will(with_plan, lead_of_org_a):
    """The check page's document and the revision's frozen one are the same document."""
    assessment, _plan = with_plan
    live = documents.build_live(load_assessment(assessment), figure_src=str)
    snapshot = services.request_sign_off(assessment, by=lead_of_org_a)
    frozen = documents.build(snapshot.content)
    assert live == frozen
    assert any(
        q.kind == QuestionKind.ACTION_PLAN and q.appendix for s in frozen.body for q in s.questions
    )
    # The hash still covers exactly the frozen content the signatures are made on.
    assert snapshot.content_hash == services.content_hash(snapshot.content)


def test_a_revision_and_its_sign_page_read_as_the_check_page(client, with_plan, lead_of_org_a):
    assessment, plan = with_plan
    snapshot = services.request_sign_off(assessment, by=lead_of_org_a)
    sign_off = snapshot.sign_offs.get(role="lead")
    client.force_login(lead_of_org_a)
    args = [assessment.organisation.slug, assessment.pk]
    check = words(client.get(reverse("assessments:check", args=args)).content.decode())
    for url in (
        reverse("submissions:snapshot", args=[*args, snapshot.revision]),
        reverse("submissions:sign", args=[*args, sign_off.pk]),
    ):
        text = words(client.get(url).content.decode())
        assert f"See Appendix A: {plan.title}" in text
        assert [t for rows in ACTIONS.values() for t, _ in rows if t not in text] == []
        start = text.index("Signatures")
        assert text[start : start + 80] == check[check.index("Signatures") :][:80]


def test_a_figure_is_served_where_each_view_serves_it(
    client,
    ready,  # noqa: F811
    lead_of_org_a,
    settings,
    tmp_path,
):
    """The builder is given each view's figure address: the draft's on the check page, the
    revision's on the revision page; caption and alternative text are the same."""
    from assessments import services as assessment_services
    from assessments.images import ImageInfo
    from assessments.models import Question
    from tests.assessments.test_figures import image_bytes, upload

    settings.MEDIA_ROOT = tmp_path
    question = Question.objects.get(
        key="technician_figures", section__form_version=ready.form_version
    )
    figure = assessment_services.add_figure(
        ready,
        question,
        upload=upload("a.png", image_bytes("PNG")),
        info=ImageInfo("png", 64, 32),
        caption="Technicians by faculty",
        alt_text="A bar chart.",
        by=lead_of_org_a,
    )
    snapshot = services.request_sign_off(ready, by=lead_of_org_a)
    copy = snapshot.figures.get()
    args = [ready.organisation.slug, ready.pk]
    client.force_login(lead_of_org_a)
    check = client.get(reverse("assessments:check", args=args)).content.decode()
    revision = client.get(
        reverse("submissions:snapshot", args=[*args, snapshot.revision])
    ).content.decode()
    draft_src = reverse("assessments:figure_image", args=[*args, figure.pk])
    frozen_src = reverse("submissions:snapshot_figure", args=[*args, snapshot.revision, copy.pk])
    assert f'src="{draft_src}" alt="A bar chart."' in check
    assert f'src="{frozen_src}" alt="A bar chart."' in revision
    assert "Technicians by faculty</figcaption>" in check
    assert "Technicians by faculty</figcaption>" in revision


def test_the_frozen_format_stays_version_1_so_standing_signatures_stay_valid(
    with_plan,
    lead_of_org_a,
):
    """What a revision's hash covers is the version 1 format, keys and all: a change to it must
    come with a new document_version and a reader for it, never silently."""
    assessment, _plan = with_plan
    content, _figures = services.snapshot_content(assessment)
    assert sorted(content) == [
        "due_on",
        "form_version",
        "organisation",
        "plan",
        "sections",
        "sign_offs",
    ]
    question = content["sections"][1]["questions"][0]
    assert sorted(question) == ["boxes", "key", "kind", "text"]
    assert sorted(question["boxes"][0]) == ["flag", "text", "theme", "theme_name"]
    assert documents.build(content).version == 1

    # "reviews" is optional: there only when a progress review of an earlier plan is appended
    # (actionplans.services.append_review), so the content above hashes as it always did.
    earlier = plan_services.create_plan(
        assessment.organisation, by=lead_of_org_a, starts_on=date(2024, 12, 1)
    )
    plan_services.add_action(
        earlier.headings.get(theme__slug="visibility"), by=lead_of_org_a, title="Count us"
    )
    review = plan_services.start_review(
        earlier,
        by=lead_of_org_a,
        reviewed_on=date(2026, 10, 1),
        period_from=date(2024, 12, 1),
        period_to=date(2026, 9, 30),
    )
    plan_services.finalise_review(review, by=lead_of_org_a)
    plan_services.append_review(review, assessment, by=lead_of_org_a)
    with_review, _figures = services.snapshot_content(assessment)
    assert sorted(with_review) == sorted([*content, "reviews"])
    assert {k: v for k, v in with_review.items() if k != "reviews"} == content
    [frozen_review] = with_review["reviews"]
    assert sorted(frozen_review) == [
        "author",
        "headings",
        "overall_status",
        "period_from",
        "period_to",
        "plan_title",
        "question",
        "reviewed_on",
        "summary",
        "wording",
    ]
    assert frozen_review["headings"][0]["entries"] == [
        {"title": "Count us", "status": "not_started", "comment": ""}
    ]
    built = documents.build(with_review)
    assert built.version == 1
    assert [(a.letter, a.kind) for a in built.appendices] == [
        ("A", documents.AppendixKind.RAG_ANALYSIS),
        ("B", documents.AppendixKind.ACTION_PLAN),
    ]
