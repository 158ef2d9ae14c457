"""Everything slow or fallible runs in the worker: e-mails and PDF renders are tried again with
back-off (one helper, techcommit/tasks.py), a PDF whose attempts are spent shows "failed" to its
lead and in the admin, and ``manage.py rerender_pdfs`` or the admin's button renders it again; a
task a killed worker left "running" goes back to the queue. (The topology test runs all this
across real processes.)"""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks import default_task_backend
from django_tasks.base import TaskResultStatus

from publications import services as publishing
from publications.enums import PdfState
from publications.models import Publication
from publications.pdf import PdfExporter, store_pdf
from publications.tasks import render_pdf
from techcommit.mail import queue_mail, send_email
from techcommit.models import OutgoingEmail, WorkerHeartbeat
from techcommit.tasks import backoff, requeue_orphans, retry_later
from tests.publications.test_pdf import accepted, published  # noqa: F401 - fixtures
from tests.submissions.conftest import ready  # noqa: F401 - a fixture

DUMMY_TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def deferring(settings):
    """A backend that can run a task later and keeps what was queued (the database backend's
    behaviour, without a worker)."""
    settings.TASKS = DUMMY_TASKS
    settings.TASK_RETRY_BASE_SECONDS = 30
    settings.TASK_MAX_ATTEMPTS = 3
    default_task_backend.clear()
    yield default_task_backend
    default_task_backend.clear()


def queued(backend) -> list[tuple[str, list, float]]:
    """Each queued task's name, arguments and delay in whole seconds from now."""
    now = timezone.now()
    return [
        (r.task.name, r.args, round((r.task.run_after - now).total_seconds() / 10) * 10)
        for r in backend.results
    ]


def test_back_off_doubles_from_the_base_and_stops_at_an_hour(settings):
    settings.TASK_RETRY_BASE_SECONDS = 30
    delays = [backoff(n).total_seconds() for n in (1, 2, 3, 4, 10)]
    assert delays == [30, 60, 120, 240, 3600]


def test_a_retry_is_queued_with_its_back_off_until_the_attempts_are_spent(deferring):
    assert retry_later(send_email, 2, 41) is True
    assert retry_later(send_email, 3, 41) is False
    assert queued(deferring) == [("send_email", [41], 60)]


def test_without_a_backend_that_can_wait_there_is_no_retry(settings):
    """The immediate backend of `make run` and the tests: the record stays failed instead."""
    settings.TASK_MAX_ATTEMPTS = 5
    assert retry_later(send_email, 1, 41) is False


def test_a_refused_e_mail_is_tried_again_later_by_the_worker(deferring, db, settings):
    settings.EMAIL_BACKEND = "tests.submissions.test_email_outbox.MailServerDown"
    (row,) = queue_mail("Subject", "Body", to=["lead.a@example.org"])
    send_email.call(row.pk)
    row.refresh_from_db()
    assert (row.status, row.attempts, row.last_error) == (
        OutgoingEmail.Status.FAILED,
        1,
        "SMTPConnectError: (421, 'Service not available')",
    )
    assert queued(deferring) == [("send_email", [row.pk], 30)]


class FailsOnce:
    """Makes the next render fail, as a crash of the renderer would."""

    def __init__(self, monkeypatch):
        real = PdfExporter.render
        self.left = 1

        def render(exporter, source):
            if self.left:
                self.left -= 1
                raise RuntimeError("renderer crashed")
            return real(exporter, source)

        monkeypatch.setattr(PdfExporter, "render", render)


def publish(accepted, lead, capture):  # noqa: F811
    assessment, _ = accepted
    with capture(execute=True):
        publication = publishing.publish_self_assessment(assessment, by=lead)
    publication.refresh_from_db()
    return publication


def test_a_failed_render_is_retried_with_back_off(
    deferring,
    accepted,  # noqa: F811
    lead_of_org_a,
    monkeypatch,
):
    FailsOnce(monkeypatch)
    assessment, _ = accepted
    publication = publishing.publish_self_assessment(assessment, by=lead_of_org_a)
    render_pdf.call(publication.pk)
    publication.refresh_from_db()
    assert (publication.pdf_state, publication.pdf_attempts, publication.pdf_error) == (
        PdfState.PENDING,
        1,
        "RuntimeError: renderer crashed",
    )
    assert queued(deferring) == [("render_pdf", [publication.pk], 30)]
    render_pdf.call(publication.pk)  # the worker's retry
    publication.refresh_from_db()
    assert (publication.pdf_state, publication.pdf_attempts, publication.pdf_error) == (
        PdfState.READY,
        2,
        "",
    )


def test_a_render_whose_attempts_are_spent_shows_failed_and_can_be_rendered_again(
    client,
    accepted,  # noqa: F811
    lead_of_org_a,
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    FailsOnce(monkeypatch)
    publication = publish(accepted, lead_of_org_a, django_capture_on_commit_callbacks)
    assert (publication.pdf_state, publication.pdf_attempts) == (PdfState.FAILED, 1)
    client.force_login(lead_of_org_a)
    page = client.get(reverse("publications:manage", args=["aldermoor"])).content.decode()
    assert "PDF failed</strong>: it could not be made after 1 attempt;" in page

    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("rerender_pdfs", stdout=out)
    assert out.getvalue() == "1 PDF queued to be rendered again.\n"
    publication.refresh_from_db()
    assert (publication.pdf_state, publication.pdf_attempts) == (PdfState.READY, 1)
    page = client.get(reverse("publications:manage", args=["aldermoor"])).content.decode()
    assert "PDF ready" in page
    assert "PDF failed" not in page


def test_rerender_pdfs_leaves_ready_ones_alone_unless_all(
    published,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("rerender_pdfs", stdout=out)
        call_command("rerender_pdfs", "--all", stdout=out)
    assert out.getvalue().splitlines() == [
        "0 PDFs queued to be rendered again.",
        "2 PDFs queued to be rendered again.",
    ]
    states = set(Publication.objects.values_list("pdf_state", "pdf_attempts"))
    assert states == {(PdfState.READY, 1)}


def test_the_admin_renders_a_failed_pdf_again(
    client,
    accepted,  # noqa: F811
    lead_of_org_a,
    administrator,
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    FailsOnce(monkeypatch)
    publication = publish(accepted, lead_of_org_a, django_capture_on_commit_callbacks)
    client.force_login(administrator)
    changelist = reverse("admin:publications_publication_changelist")
    assert "Failed" in client.get(f"{changelist}?pdf_state=failed").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            changelist,
            {"action": "render_pdf_again", "_selected_action": [publication.pk]},
            follow=True,
        )
    assert "1 PDF queued to be rendered again." in response.content.decode()
    publication.refresh_from_db()
    assert publication.pdf_state == PdfState.READY


def test_a_half_written_file_from_a_killed_render_is_replaced_not_kept_beside(
    published,  # noqa: F811
    tmp_path,
):
    document, _ = published
    name = document.pdf.name
    complete = (tmp_path / name).read_bytes()
    (tmp_path / name).write_bytes(complete[:100])  # killed while writing
    Publication.objects.filter(pk=document.pk).update(pdf_state=PdfState.PENDING)
    assert store_pdf(document.pk) is True
    document.refresh_from_db()
    files = list((tmp_path / name).parent.iterdir())
    assert ([p.name for p in files], document.pdf.name) == ([name.rsplit("/", 1)[1]], name)
    assert (tmp_path / name).read_bytes() == complete


def test_a_task_left_running_by_a_dead_worker_goes_back_to_the_queue(db, settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.WORKER_HEARTBEAT_MAX_AGE = 60
    now = timezone.now()
    WorkerHeartbeat.objects.create(
        worker_id="dead", host="h", pid=1, started_at=now, beat_at=now - timedelta(seconds=90)
    )
    WorkerHeartbeat.objects.create(worker_id="alive", host="h", pid=2, started_at=now, beat_at=now)
    orphan, busy = (send_email.enqueue(n) for n in (1, 2))
    for result, worker in ((orphan, "dead"), (busy, "alive")):
        DBTaskResult.objects.get(pk=result.id).claim(worker)
    assert requeue_orphans() == 1
    statuses = {str(pk): status for pk, status in DBTaskResult.objects.values_list("pk", "status")}
    assert (statuses[str(orphan.id)], statuses[str(busy.id)]) == (
        TaskResultStatus.READY,
        TaskResultStatus.RUNNING,
    )
