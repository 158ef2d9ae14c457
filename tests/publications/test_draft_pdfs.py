"""Draft PDFs: the button queues a render for the worker, the page shows its progress (htmx
polling, or a refresh link without JavaScript) and then a download link; the file is kept by
the content it draws (the same content is not rendered twice), pruned when the draft changes;
a failed render says so and offers to try again. Only people who may see the draft get any of
it."""

import pytest
from django.urls import reverse
from django.utils import timezone

from actionplans.models import Action
from publications.drafts import CHANGED, request_draft_pdf
from publications.enums import PdfState, PublicationKind
from publications.models import DraftPdf
from publications.tasks import render_draft_pdf
from tests.matrix import is_allowed, matrix, outcome
from tests.publications.test_pdf import add_plan, pdf_text
from tests.submissions.conftest import ready  # noqa: F401 - a fixture
from tests.test_task_retries import FailsOnce

DRAFT_READERS = {
    "lead_of_org_a",
    "contributor_of_org_a",
    "sponsor_of_org_a",
    "leader_of_org_a",
    "administrator",
}
KINDS = {"assessment": PublicationKind.SELF_ASSESSMENT, "plan": PublicationKind.ACTION_PLAN}


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def draft(ready, lead_of_org_a):  # noqa: F811
    return ready, add_plan(ready, lead_of_org_a)


def source_of(draft, which):
    assessment, plan = draft
    return assessment if which == "assessment" else plan


def url(name, which, source, *more, slug="aldermoor"):
    return reverse(f"publications:{which}_draft_pdf{name}", args=[slug, source.pk, *more])


def queued(which, source, by, capture, execute=False) -> DraftPdf:
    with capture(execute=execute):
        row = request_draft_pdf(KINDS[which], source, by=by)
    row.refresh_from_db()
    return row


def status(client, which, source, row) -> str:
    response = client.get(url("_status", which, source, row.pk), headers={"HX-Request": "true"})
    assert response.status_code == 200
    return response.content.decode()


# --- Who may ask for it, watch it and download it -------------------------------------------------


@pytest.mark.parametrize("which", ["assessment", "plan"])
@pytest.mark.parametrize(("person", "result"), matrix(DRAFT_READERS), indirect=["person"])
def test_the_draft_pdf_page_follows_the_draft_pages_permissions(
    client_as, person, result, draft, which
):
    response = client_as(person).get(url("", which, source_of(draft, which)))
    assert outcome(response) == result
    if is_allowed(result):
        page = response.content.decode()
        assert "No PDF of the draft as it is now has been made yet." in page
        assert "Make the PDF</button>" in page


@pytest.mark.parametrize("which", ["assessment", "plan"])
@pytest.mark.parametrize(("person", "result"), matrix(DRAFT_READERS, ok=303), indirect=["person"])
def test_only_people_who_may_see_the_draft_can_have_its_pdf_made(
    client_as, person, result, draft, which, django_capture_on_commit_callbacks
):
    source = source_of(draft, which)
    client = client_as(person)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("_make", which, source))
    assert outcome(response) == result
    rows = DraftPdf.objects.filter(kind=KINDS[which], source_id=source.pk)
    if not is_allowed(result):
        assert list(rows) == []
        return
    assert response["Location"] == url("", which, source)
    row = rows.get()
    assert (row.state, row.attempts) == (PdfState.READY, 1)
    page = client.get(response["Location"]).content.decode()
    assert "The PDF is ready" in page
    download = client.get(url("_file", which, source, row.pk))
    assert download.status_code == 200
    assert download["Content-Disposition"].endswith('-draft.pdf"')
    assert download["Cache-Control"] == "private, no-store"
    text = pdf_text(b"".join(download.streaming_content))
    download.close()
    assert "Start a technical apprenticeship programme" in text


@pytest.mark.parametrize("which", ["assessment", "plan"])
@pytest.mark.parametrize(("person", "result"), matrix(DRAFT_READERS), indirect=["person"])
def test_the_status_and_the_file_follow_the_draft_pages_permissions(
    client_as, person, result, draft, which, lead_of_org_a, django_capture_on_commit_callbacks
):
    source = source_of(draft, which)
    row = queued(which, source, lead_of_org_a, django_capture_on_commit_callbacks, execute=True)
    client = client_as(person)
    polled = client.get(url("_status", which, source, row.pk), headers={"HX-Request": "true"})
    assert outcome(polled) == result
    download = client.get(url("_file", which, source, row.pk))
    download.close()
    assert outcome(download) == result
    if is_allowed(result):
        assert "Download the PDF</a>" in polled.content.decode()
        assert download["Content-Type"] == "application/pdf"


def test_another_organisations_lead_cannot_reach_a_draft_pdf_through_their_own_plan(
    client, draft, lead_of_org_a, lead_of_org_b, django_capture_on_commit_callbacks
):
    _, plan = draft
    row = queued("plan", plan, lead_of_org_a, django_capture_on_commit_callbacks, execute=True)
    own = add_plan_of_org_b(lead_of_org_b)
    client.force_login(lead_of_org_b)
    for name in ("_status", "_file"):
        response = client.get(
            url(name, "plan", own, row.pk, slug="brackenfield"), headers={"HX-Request": "true"}
        )
        if name == "_status":  # its own plan is reached; the row of another is not there
            assert "A newer PDF of this draft has replaced this one." in response.content.decode()
        else:
            assert response.status_code == 404


def add_plan_of_org_b(lead):
    from datetime import date

    from actionplans import services as plan_services
    from signatories.models import Organisation

    organisation = Organisation.objects.get(slug="brackenfield")
    return plan_services.create_plan(organisation, by=lead, starts_on=date(2026, 12, 1))


def test_a_get_to_the_button_changes_nothing(client, draft, lead_of_org_a):
    _, plan = draft
    client.force_login(lead_of_org_a)
    assert client.get(url("_make", "plan", plan)).status_code == 405
    assert DraftPdf.objects.count() == 0


# --- The worker renders it, once per content ----------------------------------------------------


def test_the_button_only_queues_and_the_worker_renders(
    client, draft, lead_of_org_a, django_capture_on_commit_callbacks
):
    _, plan = draft
    client.force_login(lead_of_org_a)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(url("_make", "plan", plan))
    assert response.status_code == 303
    assert len(callbacks) == 1  # the render, queued after the commit, not run by the request
    row = DraftPdf.objects.get()
    assert (row.state, row.attempts, bool(row.file)) == (PdfState.PENDING, 0, False)

    render_draft_pdf.call(row.pk)  # what the worker runs
    row.refresh_from_db()
    assert (row.state, row.attempts, row.error) == (PdfState.READY, 1, "")
    with row.file.open("rb") as stored:
        text = pdf_text(stored.read())
    assert "Publish a yearly count of technical staff by faculty" in text
    assert "Draft, printed" in text


def test_the_same_content_is_not_rendered_again(
    draft, lead_of_org_a, django_capture_on_commit_callbacks
):
    _, plan = draft
    first = queued("plan", plan, lead_of_org_a, django_capture_on_commit_callbacks, execute=True)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        again = request_draft_pdf(PublicationKind.ACTION_PLAN, plan, by=lead_of_org_a)
    assert callbacks == []
    assert (again.pk, again.file.name, again.attempts) == (first.pk, first.file.name, 1)


def test_a_changed_draft_gets_a_new_pdf_and_the_old_file_is_pruned(
    draft, lead_of_org_a, django_capture_on_commit_callbacks
):
    _, plan = draft
    old = queued("plan", plan, lead_of_org_a, django_capture_on_commit_callbacks, execute=True)
    storage = old.file.storage
    assert storage.exists(old.file.name)
    Action.objects.filter(plan=plan, title__startswith="Start a technical").update(
        title="Start two technical apprenticeship programmes"
    )
    new = queued("plan", plan, lead_of_org_a, django_capture_on_commit_callbacks, execute=True)
    assert new.pk != old.pk
    assert new.content_sha256 != old.content_sha256
    assert list(DraftPdf.objects.values_list("pk", "state")) == [(new.pk, PdfState.READY)]
    assert not storage.exists(old.file.name)
    with new.file.open("rb") as stored:
        assert "Start two technical apprenticeship programmes" in pdf_text(stored.read())


def test_another_documents_pdf_is_not_pruned(
    draft, lead_of_org_a, django_capture_on_commit_callbacks
):
    assessment, plan = draft
    of_plan = queued("plan", plan, lead_of_org_a, django_capture_on_commit_callbacks, True)
    queued("assessment", assessment, lead_of_org_a, django_capture_on_commit_callbacks, True)
    of_plan.refresh_from_db()
    assert of_plan.is_ready
    assert of_plan.file.storage.exists(of_plan.file.name)


def test_a_draft_changed_while_waiting_is_not_printed_as_it_was(
    client, draft, lead_of_org_a, django_capture_on_commit_callbacks
):
    _, plan = draft
    row = queued("plan", plan, lead_of_org_a, django_capture_on_commit_callbacks)
    Action.objects.filter(plan=plan).update(comment="Changed after the button.")
    render_draft_pdf.call(row.pk)
    row.refresh_from_db()
    assert (row.state, row.error, bool(row.file)) == (PdfState.FAILED, CHANGED, False)
    client.force_login(lead_of_org_a)
    partial = status(client, "plan", plan, row)
    assert "The draft changed before its PDF was made" in partial
    assert "Try again</button>" in partial


def test_a_failed_render_says_so_and_try_again_makes_it(
    client, draft, lead_of_org_a, monkeypatch, django_capture_on_commit_callbacks
):
    FailsOnce(monkeypatch)
    _, plan = draft
    client.force_login(lead_of_org_a)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("_make", "plan", plan))
    page = client.get(url("", "plan", plan)).content.decode()
    row = DraftPdf.objects.get()
    assert (row.state, row.attempts, row.error) == (
        PdfState.FAILED,
        1,
        "RuntimeError: renderer crashed",
    )
    assert "The PDF could not be made." in page
    assert "The portal tried 1 time. Try again" in page
    assert "renderer crashed" not in page  # the details are in the log, not on the page
    with django_capture_on_commit_callbacks(execute=True):
        partial = client.post(url("_make", "plan", plan), headers={"HX-Request": "true"})
    assert "Waiting its turn" in partial.content.decode()  # the render runs after the commit
    row.refresh_from_db()
    assert (row.state, row.attempts, row.error) == (PdfState.READY, 1, "")
    assert "Download the PDF</a>" in status(client, "plan", plan, row)


def test_a_deleted_file_is_rendered_again(draft, lead_of_org_a, django_capture_on_commit_callbacks):
    _, plan = draft
    row = queued("plan", plan, lead_of_org_a, django_capture_on_commit_callbacks, execute=True)
    row.file.storage.delete(row.file.name)
    again = queued("plan", plan, lead_of_org_a, django_capture_on_commit_callbacks, execute=True)
    assert (again.pk, again.state) == (row.pk, PdfState.READY)
    assert again.file.storage.exists(again.file.name)


# --- The page and its polled status -----------------------------------------------------------


def test_the_status_polls_while_waiting_and_stops_when_ready(
    client, draft, lead_of_org_a, django_capture_on_commit_callbacks
):
    _, plan = draft
    client.force_login(lead_of_org_a)
    row = queued("plan", plan, lead_of_org_a, django_capture_on_commit_callbacks)
    waiting = status(client, "plan", plan, row)
    assert f'hx-get="{url("_status", "plan", plan, row.pk)}"' in waiting
    assert 'hx-trigger="every 2s"' in waiting
    assert "Waiting its turn: asked for at" in waiting
    assert f'<a href="{url("", "plan", plan)}">Refresh</a>' in waiting

    DraftPdf.objects.filter(pk=row.pk).update(started_at=timezone.now(), attempts=1)
    making = status(client, "plan", plan, row)
    assert "Being made: started at" in making
    assert 'hx-trigger="every 2s"' in making

    render_draft_pdf.call(row.pk)
    done = status(client, "plan", plan, row)
    assert "hx-trigger" not in done
    assert f'<a class="btn btn-primary" href="{url("_file", "plan", plan, row.pk)}">' in done


def test_a_pruned_pdfs_status_sends_to_the_current_one(
    client, draft, lead_of_org_a, django_capture_on_commit_callbacks
):
    _, plan = draft
    client.force_login(lead_of_org_a)
    row = queued("plan", plan, lead_of_org_a, django_capture_on_commit_callbacks)
    DraftPdf.objects.filter(pk=row.pk).delete()
    gone = status(client, "plan", plan, row)
    assert "A newer PDF of this draft has replaced this one." in gone
    assert "hx-trigger" not in gone


def test_without_javascript_the_button_and_refresh_link_reach_the_download(
    client, draft, lead_of_org_a, django_capture_on_commit_callbacks
):
    _, plan = draft
    client.force_login(lead_of_org_a)
    page_url = url("", "plan", plan)
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(url("_make", "plan", plan))
    assert (response.status_code, response["Location"]) == (303, page_url)
    waiting = client.get(page_url).content.decode()
    assert "Waiting its turn" in waiting
    assert f'<a href="{page_url}">Refresh</a>' in waiting
    row = DraftPdf.objects.get()
    render_draft_pdf.call(row.pk)
    done = client.get(page_url).content.decode()
    assert "The PDF is ready" in done
    assert url("_file", "plan", plan, row.pk) in done
    # The status address, opened without htmx, is the page.
    assert client.get(url("_status", "plan", plan, row.pk))["Location"] == page_url


def test_the_plan_and_the_preview_link_to_their_draft_pdf(client, draft, lead_of_org_a):
    assessment, plan = draft
    client.force_login(lead_of_org_a)
    page = client.get(plan.get_absolute_url()).content.decode()
    assert f'href="{url("", "plan", plan)}">PDF of the draft</a>' in page
    preview = client.get(reverse("assessments:preview", args=["aldermoor", assessment.pk]))
    assert f'href="{url("", "assessment", assessment)}">make a PDF' in preview.content.decode()
