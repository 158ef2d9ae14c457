"""A closed consultation's summary as an appendix of the self-assessment: in the live document,
frozen in a snapshot only when attached, published only if the lead chose, and in the PDF with
its figures and approved comments only."""

import re
from datetime import date

import pytest

from assessments import documents
from assessments import services as assessment_services
from assessments.queries import load_assessment
from consultations import services
from consultations.enums import CommentStatus
from consultations.models import Comment
from publications.drafts import request_draft_pdf
from publications.enums import PublicationKind
from publications.redaction import redact
from signatories.models import Organisation
from submissions.services import snapshot_content
from tests.consultations.conftest import close
from tests.pdf_text import body_text


@pytest.fixture
def assessment(org_a, lead_of_org_a):
    Organisation.objects.filter(pk=org_a.pk).update(signed_on=date(2025, 12, 1))
    org_a.refresh_from_db()
    return assessment_services.start_assessment(org_a, by=lead_of_org_a, today=date(2026, 11, 25))


@pytest.fixture
def moderated(consultation, answer, lead_of_org_a):
    """Six answers, three comments: one approved, one not shown, one never moderated."""
    texts = [
        "Approved: more visible rotas.",
        "Rejected: names Dr X.",
        "Pending: unread.",
        "",
        "",
        "",
    ]
    for n, text in enumerate(texts):
        answer(consultation, visibility=4 if n < 3 else 5, recognition=2, group=1, comment=text)
    close(consultation, lead_of_org_a)
    for comment in Comment.objects.all():
        status = {"A": CommentStatus.APPROVED, "R": CommentStatus.REJECTED}.get(comment.text[0])
        if status:
            services.moderate(consultation, comment, status=status)
    return consultation


def test_a_snapshot_without_an_attachment_keeps_its_keys(assessment):
    content, _ = snapshot_content(assessment)
    assert sorted(content) == [
        "due_on",
        "form_version",
        "organisation",
        "plan",
        "sections",
        "sign_offs",
    ]


def test_an_attached_summary_is_frozen_with_figures_and_approved_comments_only(
    assessment, moderated, lead_of_org_a
):
    services.attach(moderated, assessment, publish=False, by=lead_of_org_a)
    content, _ = snapshot_content(assessment)
    (summary,) = content["consultations"]
    assert summary["responses"] == 6
    assert summary["publish"] is False
    assert summary["themes"] == [
        {
            "name": "Visibility",
            "agree_percent": 100,
            "segments": [
                {"label": "Strongly disagree", "count": 0},
                {"label": "Disagree", "count": 0},
                {"label": "Neither agree nor disagree", "count": 0},
                {"label": "Agree", "count": 3},
                {"label": "Strongly agree", "count": 3},
            ],
        },
        {
            "name": "Recognition",
            "agree_percent": 0,
            "segments": [
                {"label": "Strongly disagree", "count": 0},
                {"label": "Disagree", "count": 6},
                {"label": "Neither agree nor disagree", "count": 0},
                {"label": "Agree", "count": 0},
                {"label": "Strongly agree", "count": 0},
            ],
        },
    ]
    assert summary["comments"] == [
        {"question": "Anything else?", "text": "Approved: more visible rotas."}
    ]


def test_the_document_letters_the_summary_after_the_plan(assessment, moderated, lead_of_org_a):
    services.attach(moderated, assessment, publish=False, by=lead_of_org_a)
    live = documents.build_live(load_assessment(assessment), figure_src=lambda figure: "")
    assert [a.label for a in live.appendices][-1] == (
        f"Appendix {chr(ord('A') + len(live.appendices) - 1)}: "
        "Technician voice consultation: Technician voice 2026"
    )


@pytest.mark.parametrize(("publish", "kept"), [(False, False), (True, True)])
def test_the_summary_is_published_only_if_the_lead_chose(
    assessment, moderated, lead_of_org_a, publish, kept
):
    services.attach(moderated, assessment, publish=publish, by=lead_of_org_a)
    content, _ = snapshot_content(assessment)
    published = redact({"document": content})["document"]
    assert ("consultations" in published) is kept
    assert "consultations" in content  # the snapshot itself (signers, reviewers) keeps it


def test_a_consultation_below_the_threshold_cannot_be_attached(
    assessment, consultation, answer, lead_of_org_a
):
    for _ in range(4):
        answer(consultation, visibility=4)
    close(consultation, lead_of_org_a)
    with pytest.raises(services.ConsultationError):
        services.attach(consultation, assessment, publish=True, by=lead_of_org_a)


def test_the_pdf_holds_the_figures_and_approved_comments_only(
    assessment, moderated, lead_of_org_a, django_capture_on_commit_callbacks
):
    services.attach(moderated, assessment, publish=False, by=lead_of_org_a)
    with django_capture_on_commit_callbacks(execute=True):  # the worker's render, run at once
        row = request_draft_pdf(PublicationKind.SELF_ASSESSMENT, assessment, by=lead_of_org_a)
    row.refresh_from_db()
    with row.file.open("rb") as stored:
        text = re.sub(r"\s+", " ", body_text(stored.read()))
    assert "Technician voice consultation: Technician voice 2026" in text
    assert "6 people answered" in text
    assert "Visibility: 100% agree" in text
    assert "Recognition: 0% agree" in text
    assert "Approved: more visible rotas." in text
    assert "Rejected" not in text
    assert "Pending" not in text


def test_signers_and_reviewers_read_the_summary_in_the_one_document_template(
    assessment, moderated, lead_of_org_a
):
    from django.template.loader import render_to_string

    services.attach(moderated, assessment, publish=False, by=lead_of_org_a)
    content, _ = snapshot_content(assessment)
    html = render_to_string("documents/_document.html", {"document": documents.build(content)})
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    assert "Technician voice consultation: Technician voice 2026" in text
    assert "Visibility: 100% agree Recognition: 0% agree" in text
    assert 'role="img"' in html
    assert "Approved: more visible rotas." in text
    assert "Rejected" not in text
    assert "Pending" not in text
