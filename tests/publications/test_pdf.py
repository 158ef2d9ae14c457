"""PDFs of publications and drafts: everything the document says is in the PDF's text, the PDF
is tagged and titled, the renderer fetches nothing but our own files, a published PDF is
rendered once, and draft PDFs follow the draft pages' permissions."""

import io
import re
from datetime import date

import pytest
from django.urls import reverse

from actionplans import services as plan_services
from actionplans.enums import Status
from actionplans.models import ActionPlan
from assessments.enums import AssessmentStatus
from publications import services as publishing
from publications import tasks
from publications.enums import PdfState
from publications.models import Publication
from publications.pdf import (
    PlanPdf,
    ResourceRefused,
    ReviewPdf,
    SelfAssessmentPdf,
    fetch_resource,
    store_pdf,
    url_fetcher,
)
from publications.tasks import render_pdf
from submissions import services
from tests.pdf_text import body_text, runs
from tests.submissions.conftest import ready  # noqa: F401 - a fixture

ACTIONS = {
    "visibility": [
        ("Name technicians on the research outputs they contributed to", Status.COMPLETE),
        ("Publish a yearly count of technical staff by faculty", Status.GREEN),
    ],
    "recognition": [("Support twenty technicians to professional registration", Status.AMBER)],
    "career-development": [("Write a technician career pathway with grade maps", Status.RED)],
    "sustainability": [("Start a technical apprenticeship programme", Status.NOT_STARTED)],
}


def pdf_text(data: bytes) -> str:
    """The PDF's words in reading order, lines joined, without the running footer (so that a
    paragraph that goes on over a page reads as one). A line that ends in a hyphen joins the
    next without a space: "part-" and "time" are "part-time"."""
    return re.sub(r"(\w)- ", r"\1-", body_text(data))


def structure(reader) -> list[tuple[str, str | None]]:
    """The tagged PDF's structure elements in order: (tag, alternative text)."""
    found = []

    def walk(node):
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, list):
            for child in node:
                walk(child)
        elif isinstance(node, dict):
            if "/S" in node:
                found.append((str(node["/S"]), str(node["/Alt"]) if "/Alt" in node else None))
            if "/K" in node:
                walk(node["/K"])

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    return found


def blocks(html: str) -> list[str]:
    """Stored rich text as the words of each paragraph or list item (a PDF's text puts list
    numbers apart from their items)."""
    parts = re.split(r"</?(?:p|li|ol|ul)\b[^>]*>", html)
    found = [" ".join(re.sub(r"<[^>]+>", " ", part).split()) for part in parts]
    return [block for block in found if block]


def add_plan(assessment, lead) -> ActionPlan:
    plan = plan_services.create_plan(
        assessment.organisation, by=lead, starts_on=date(2026, 12, 1), assessment=assessment
    )
    plan_services.add_phase(plan, "Phase 1", date(2026, 12, 1), date(2027, 11, 1))
    plan_services.add_owner_code(plan, "PL", "Project Lead")
    plan_services.add_owner_code(plan, "G", "Governance")
    for theme, rows in ACTIONS.items():
        heading = plan.headings.get(theme__slug=theme)
        for title, status in rows:
            plan_services.add_action(
                heading,
                by=lead,
                title=title,
                led_by="PL/G",
                success_criteria="Reported to the technical steering group.",
                status=status,
                comment="Discussed at the March meeting." if status == Status.RED else "",
            )
    return plan


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def accept_with_plan(assessment, lead, leader, administrator):
    """Add the plan, sign, submit and accept: the steering group's decision, without its
    review pages."""
    plan = add_plan(assessment, lead)
    snapshot = services.request_sign_off(assessment, by=lead)
    for sign_off in snapshot.sign_offs.all():
        signer = lead if sign_off.role == "lead" else leader
        job = "Head of Technical Services" if signer == lead else "Vice-Chancellor"
        services.sign(sign_off, by=signer, name=signer.full_name, job_title=job)
    services.submit(assessment, by=lead)
    services.transition(assessment, to=AssessmentStatus.UNDER_REVIEW, by=administrator)
    services.transition(assessment, to=AssessmentStatus.ACCEPTED, by=administrator)
    snapshot.refresh_from_db()
    services.accept(assessment, snapshot, by=administrator)
    plan.refresh_from_db()
    return assessment, plan


@pytest.fixture
def accepted(ready, lead_of_org_a, leader_of_org_a, administrator):  # noqa: F811
    """Organisation A's first self-assessment with its plan, signed, submitted and accepted."""
    return accept_with_plan(ready, lead_of_org_a, leader_of_org_a, administrator)


@pytest.fixture
def published(accepted, lead_of_org_a, django_capture_on_commit_callbacks):
    """The accepted self-assessment and its plan, published; their PDFs rendered and stored."""
    assessment, plan = accepted
    with django_capture_on_commit_callbacks(execute=True):
        document = publishing.publish_self_assessment(assessment, by=lead_of_org_a)
        plan_publication = publishing.publish_plan(plan, by=lead_of_org_a)
    document.refresh_from_db()
    plan_publication.refresh_from_db()
    return document, plan_publication


def every_answer(content: dict) -> list[str]:
    """Every paragraph of every answer a published PDF prints (all but the lead's own e-mail
    and telephone)."""
    return [
        block
        for section in content["sections"]
        for question in section["questions"]
        if question["kind"] not in {"email", "telephone"}
        for box in question["boxes"]
        for block in blocks(box["text"])
    ]


# --- What the PDFs say -------------------------------------------------------------------------


def test_the_self_assessment_pdf_has_every_answer_action_and_signature(published):
    document, _ = published
    filename, content_type, data = SelfAssessmentPdf().render(document)
    text = pdf_text(data)
    answers = every_answer(document.content["document"])
    assert len(answers) > 10
    assert [a for a in answers if a not in text] == []
    actions = [title for rows in ACTIONS.values() for title, _ in rows]
    assert [a for a in actions if a not in text] == []
    assert (filename, content_type) == ("aldermoor-self-assessment-v1.pdf", "application/pdf")
    assert "Lena Aldous" in text
    assert "Leo Arden" in text
    assert text.count("Signed electronically") == 2
    assert "Page 1 of" in body_text(data, footer=True)
    # The plan follows as Appendix A, and the plan question says so instead of "Not answered".
    plan_title = document.content["document"]["plan"]["title"]
    assert f"Appendix A: {plan_title}" in text
    assert f"See Appendix A: {plan_title}" in text


def test_a_published_pdf_leaves_out_the_leads_own_email_and_telephone(published, org_a):
    document, _ = published
    text = pdf_text(SelfAssessmentPdf().render(document)[2])
    assert ("lead.a@example.org" in text, "0151 000 0000" in text) == (False, False)
    assert "Lena Aldous" in text


def test_the_stored_pdfs_are_titled_english_tagged_and_bookmarked(published):
    from pypdf import PdfReader

    document, plan_publication = published
    with document.pdf.open("rb") as stored:
        reader = PdfReader(io.BytesIO(stored.read()))
    catalog = reader.trailer["/Root"]
    assert reader.metadata.title == document.title
    assert catalog["/Lang"] == "en-GB"
    assert bool(catalog["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in catalog
    tags = {tag for tag, _ in structure(reader)}
    assert {"/H1", "/H2", "/H3", "/Table", "/TH", "/TD"} <= tags
    outline = [item.title for item in reader.outline if not isinstance(item, list)]
    assert "Signatures" in outline
    assert any(title.startswith("Appendix") for title in outline)
    with plan_publication.pdf.open("rb") as stored:
        plan_reader = PdfReader(io.BytesIO(stored.read()))
    assert plan_reader.metadata.title == plan_publication.title
    assert "/StructTreeRoot" in plan_reader.trailer["/Root"]


def test_the_plan_pdf_is_landscape_with_every_action_its_status_and_the_keys(published):
    _, plan_publication = published
    filename, _, data = PlanPdf().render(plan_publication)
    from pypdf import PdfReader

    page = PdfReader(io.BytesIO(data)).pages[0]
    assert page.mediabox.width > page.mediabox.height
    text = pdf_text(data)
    wording = plan_publication.content["wording"]
    for rows in ACTIONS.values():
        for title, status in rows:
            assert title in text
            assert wording[status] in text
    assert "PL Project Lead" in text
    assert "Key: status" in text
    assert filename == "aldermoor-action-plan-v1.pdf"


def test_the_plan_pdf_keeps_the_table_that_a_phone_shows_as_cards(published):
    """The web page's cards are for screens only (@media screen): the PDF prints the plan as a
    table, its column names side by side on one header row, and no cell's data-label printed."""
    _, plan_publication = published
    data = PlanPdf().render(plan_publication)[2]
    found = runs(data)
    table_page = next(run.page for run in found if run.text.strip() == "Success criteria")
    header = {
        run.text.strip(): run
        for run in found
        if run.page == table_page
        and run.text.strip() in {"Action", "Led by", "Success criteria", "Status", "Comment"}
    }
    assert set(header) == {"Action", "Led by", "Success criteria", "Status", "Comment"}
    names = [header[n] for n in ("Action", "Led by", "Success criteria", "Status", "Comment")]
    assert len({round(run.y) for run in names}) == 1  # one row
    assert [run.x for run in names] == sorted(run.x for run in names)  # left to right
    assert "Led by" in pdf_text(data)
    assert pdf_text(data).count("Success criteria") == 1


def test_the_same_publication_always_gives_the_same_bytes(published):
    _, plan_publication = published
    with plan_publication.pdf.open("rb") as stored:
        assert PlanPdf().render(plan_publication)[2] == stored.read()


def test_the_review_pdf_has_its_header_and_every_row(accepted, lead_of_org_a):
    _, plan = accepted
    review = plan_services.start_review(
        plan,
        by=lead_of_org_a,
        reviewed_on=date(2027, 6, 1),
        period_from=date(2026, 12, 1),
        period_to=date(2027, 5, 31),
    )
    review = plan_services.finalise_review(review, by=lead_of_org_a)
    publication = publishing.publish_review(review, by=lead_of_org_a)
    text = pdf_text(ReviewPdf().render(publication)[2])
    assert "Lena Aldous" in text
    assert "from 1 December 2026 to 31 May 2027" in text
    for rows in ACTIONS.values():
        for title, _ in rows:
            assert title in text
    assert "Discussed at the March meeting." in text


# --- The renderer fetches nothing but our own files ---------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "http://example.org/tracker.png",
        "https://example.org/font.ttf",
        "file:///etc/passwd",
        "static:../techcommit/settings.py",
        "static:/etc/passwd",
        "static:js/portal.js",
        "figure:99",
        "data:text/plain,hello",
    ],
)
def test_the_url_fetcher_refuses_anything_but_static_files_and_given_figures(url):
    with pytest.raises(ResourceRefused):
        fetch_resource(url, {"figure:1": (b"x", "image/png")})
    with pytest.raises(ResourceRefused):
        url_fetcher({"figure:1": (b"x", "image/png")})(url)


def test_the_url_fetcher_serves_the_stylesheet_fonts_and_figures():
    css, css_type = fetch_resource("static:css/pdf.css", {})
    font, font_type = fetch_resource("static:fonts/DejaVuSans.ttf", {})
    figure = fetch_resource("figure:1", {"figure:1": (b"png bytes", "image/png")})
    assert (b"@font-face" in css, css_type, font[:4], font_type) == (
        True,
        "text/css",
        b"\x00\x01\x00\x00",
        "font/ttf",
    )
    assert figure == (b"png bytes", "image/png")


# --- Serving the stored PDF ----------------------------------------------------------------------


def pdf_url(publication, slug="aldermoor"):
    return reverse("publications:pdf", args=[slug, publication.pk])


def test_a_published_pdf_is_rendered_once_and_then_served_from_storage(client, published):
    document, _ = published
    assert document.pdf_state == PdfState.READY
    stored_name = document.pdf.name
    first = client.get(pdf_url(document), follow=True)
    second = client.get(pdf_url(document), follow=True)
    # Reading a streamed response to its end closes it (and its file), as a server would;
    # closing it by hand would also close the test's database connection on PostgreSQL.
    b"".join(first.streaming_content)
    body = b"".join(second.streaming_content)
    assert first.status_code == second.status_code == 200
    assert second["Content-Type"] == "application/pdf"
    assert second["Content-Disposition"] == (
        'attachment; filename="aldermoor-self-assessment-v1.pdf"'
    )
    assert body.startswith(b"%PDF-1.7")
    document.refresh_from_db()
    assert (document.pdf.name, document.pdf_state) == (stored_name, PdfState.READY)


def test_rendering_again_leaves_a_stored_pdf_alone(published):
    document, _ = published
    with document.pdf.open("rb") as stored:
        before = stored.read()
    store_pdf(document.pk)
    document.refresh_from_db()
    with document.pdf.open("rb") as stored:
        after = stored.read()
    assert (after == before, document.pdf_state) == (True, PdfState.READY)


def test_a_ready_pdf_has_a_versioned_address_cached_for_good(
    client, published, django_assert_max_num_queries
):
    document, _ = published
    document.refresh_from_db()
    versioned = reverse(
        "publications:pdf_file", args=["aldermoor", document.pk, document.pdf_token]
    )
    assert document.pdf_url() == versioned
    # The stable address sends on to the versioned one, briefly cacheable (a withdrawal must
    # take the PDF away soon).
    stable = client.get(pdf_url(document))
    assert (stable.status_code, stable["Location"]) == (302, versioned)
    assert stable["Cache-Control"] == "public, max-age=60"
    response = client.get(versioned)
    body = b"".join(response.streaming_content)
    assert (response.streaming, body[:8]) == (True, b"%PDF-1.7")
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    assert not response.cookies
    # One lookup, kept: the next download reads only the last public change.
    with django_assert_max_num_queries(1):
        again = client.get(versioned)
        b"".join(again.streaming_content)
    assert again.status_code == 200


def test_an_outdated_pdf_token_sends_on_and_a_withdrawn_pdf_is_gone(
    client, published, lead_of_org_a
):
    document, _ = published
    document.refresh_from_db()
    outdated = reverse("publications:pdf_file", args=["aldermoor", document.pk, "0" * 16])
    response = client.get(outdated)
    assert (response.status_code, response["Location"]) == (302, document.pdf_url())
    versioned = document.pdf_url()
    b"".join(client.get(versioned).streaming_content)
    publishing.withdraw(document, by=lead_of_org_a, reason="Published by mistake.")
    assert client.get(versioned).status_code == 404


def test_a_pdf_rendered_again_gets_a_new_versioned_address(client, published, monkeypatch):
    document, _ = published
    document.refresh_from_db()
    before = document.pdf_url()
    b"".join(client.get(before).streaming_content)
    # Rendered again with other content, under the same stored name.
    monkeypatch.setattr("publications.pdf.html_to_pdf", lambda html, figures=None: b"%PDF-1.7 v2")
    tasks.rerender(Publication.objects.filter(pk=document.pk))
    store_pdf(document.pk)
    document.refresh_from_db()
    after = document.pdf_url()
    assert after != before
    outdated = client.get(before)
    assert (outdated.status_code, outdated["Location"]) == (302, after)
    assert b"".join(client.get(after).streaming_content) == b"%PDF-1.7 v2"


def test_a_pdf_gone_from_storage_since_its_lookup_was_kept_is_never_a_server_error(
    client, published
):
    document, _ = published
    document.refresh_from_db()
    versioned = document.pdf_url()
    b"".join(client.get(versioned).streaming_content)
    # Rendered again elsewhere (the state changed without a signal) and the old file removed.
    Publication.objects.filter(pk=document.pk).update(pdf_state=PdfState.PENDING)
    document.pdf.storage.delete(document.pdf.name)
    response = client.get(versioned)
    assert response.status_code == 202
    assert "The PDF is being prepared" in response.content.decode()


def test_a_render_that_fails_marks_the_publication_failed(accepted, lead_of_org_a, monkeypatch):
    _, plan = accepted
    publication = publishing.publish_plan(plan, by=lead_of_org_a)

    def broken(html, figures=None):
        raise RuntimeError("The renderer gave up.")

    monkeypatch.setattr("publications.pdf.html_to_pdf", broken)
    render_pdf.call(publication.pk)  # no retry without a worker: failed at once
    publication.refresh_from_db()
    assert (publication.pdf_state, publication.pdf.name) == (PdfState.FAILED, "")
    assert publication.pdf_error == "RuntimeError: The renderer gave up."


def test_a_pdf_not_yet_rendered_says_it_is_being_prepared(client, accepted, lead_of_org_a):
    assessment, _ = accepted
    publication = publishing.publish_self_assessment(assessment, by=lead_of_org_a)
    response = client.get(pdf_url(publication))
    assert response.status_code == 202
    assert "The PDF is being prepared" in response.content.decode()
    assert Publication.objects.get(pk=publication.pk).pdf_state == PdfState.PENDING


def test_a_failed_render_is_marked_and_says_so(client, accepted, lead_of_org_a):
    assessment, _ = accepted
    publication = publishing.publish_self_assessment(assessment, by=lead_of_org_a)
    Publication.objects.filter(pk=publication.pk).update(pdf_state=PdfState.FAILED)
    response = client.get(pdf_url(publication))
    assert response.status_code == 503
    assert "could not be prepared" in response.content.decode()


def test_a_withdrawn_publication_has_no_pdf(client, published, lead_of_org_a):
    document, _ = published
    publishing.withdraw(document, by=lead_of_org_a, reason="Published by mistake.")
    assert client.get(pdf_url(document)).status_code == 404


def test_a_pdf_is_not_found_under_another_organisation(client, published, org_b):
    document, _ = published
    assert client.get(pdf_url(document, slug="brackenfield")).status_code == 404


# --- A long document ------------------------------------------------------------------------------


def fictional_figures():
    from tests.browser import fictional_submission

    return fictional_submission.FIGURES


def write_fictional_submission(assessment, lead) -> None:
    """Seed 003's shape: long answers with lists, per-theme answers, five figures."""
    from PIL import Image

    from assessments import services as assessment_services
    from assessments.images import ImageInfo
    from assessments.models import Answer, Question, Theme
    from tests.browser import fictional_submission as fictional

    questions = {
        q.key: q
        for q in Question.objects.filter(section__form_version_id=assessment.form_version_id)
    }
    for key, text in fictional.LONG.items():
        if key not in questions:
            continue
        current = Answer.objects.filter(
            assessment=assessment, question=questions[key], theme=None
        ).first()
        assessment_services.save_answer(
            assessment,
            questions[key],
            text=text,
            base_version=current.version if current else 0,
            by=lead,
        )
    per_theme = next(q for q in questions.values() if q.kind == "per_theme")
    for slug, text in fictional.THEMES.items():
        theme = Theme.objects.get(slug=slug)
        current = Answer.objects.get(assessment=assessment, question=per_theme, theme=theme)
        assessment_services.save_answer(
            assessment, per_theme, theme=theme, text=text, base_version=current.version, by=lead
        )
    figures_question = next(q for q in questions.values() if q.kind == "figures")
    for n, (caption, alt_text) in enumerate(fictional.FIGURES):
        buffer = io.BytesIO()
        Image.new("RGB", (400, 200), (20 * n, 100, 120)).save(buffer, "PNG")
        from django.core.files.uploadedfile import SimpleUploadedFile

        assessment_services.add_figure(
            assessment,
            figures_question,
            upload=SimpleUploadedFile(f"f{n}.png", buffer.getvalue()),
            info=ImageInfo("png", 400, 200),
            caption=caption,
            alt_text=alt_text,
            by=lead,
        )


def test_a_long_document_with_figures_prints_every_answer_and_figure(
    ready,  # noqa: F811
    lead_of_org_a,
    leader_of_org_a,
    administrator,
    django_capture_on_commit_callbacks,
):
    from pypdf import PdfReader

    write_fictional_submission(ready, lead_of_org_a)
    assessment, _ = accept_with_plan(ready, lead_of_org_a, leader_of_org_a, administrator)
    with django_capture_on_commit_callbacks(execute=True):
        publication = publishing.publish_self_assessment(assessment, by=lead_of_org_a)
    publication.refresh_from_db()
    with publication.pdf.open("rb") as stored:
        data = stored.read()
    text = pdf_text(data)
    answers = every_answer(publication.content["document"])
    assert sum(len(a.split()) for a in answers) > 1500
    assert [a for a in answers if a not in text] == []
    captions = [caption for caption, _ in fictional_figures()]
    assert [c for c in captions if c not in text] == []
    reader = PdfReader(io.BytesIO(data))
    images = {image.indirect_reference.idnum for page in reader.pages for image in page.images}
    assert len(images) == 5
    alternatives = [alt for tag, alt in structure(reader) if tag == "/Figure"]
    assert alternatives == [alt_text for _, alt_text in fictional_figures()]


def test_the_fictional_phased_plan_prints_every_action(org_a, lead_of_org_a):
    """The 33-action fixture of the import work, imported and printed: every action, its
    led-by codes and its success criteria are in the PDF's text."""
    from publications.pdf import draft_plan
    from tests.actionplans.test_transfer import import_into, phased_plan_file

    plan = plan_services.create_plan(
        org_a, by=lead_of_org_a, starts_on=date(2026, 9, 1), horizon_months=36
    )
    import_into(plan, phased_plan_file(), lead_of_org_a)
    actions = list(plan.actions.live())
    assert len(actions) == 33
    filename, content_type, data = PlanPdf().render(draft_plan(plan))
    text = pdf_text(data)
    assert (content_type, filename.endswith(".pdf")) == ("application/pdf", True)
    for action in actions:
        assert " ".join(action.title.split()) in text
        if action.success_criteria:
            assert " ".join(action.success_criteria.split()) in text
    for heading in plan.headings.select_related("theme"):
        assert heading.name in text
