"""Rendering a publication's PDF away from the request.

WeasyPrint can take seconds over a long plan, so a published document's PDF is rendered once,
by a django-tasks worker (``manage.py db_worker`` with TASKS_BACKEND=database; at once, in the
same process, in development and tests), and stored; the public page offers it when ready.

A render that fails is tried again with back-off (techcommit/tasks.py); when the attempts are
spent the publication shows "failed" to its lead and in the admin, and ``rerender`` (``manage.py
rerender_pdfs`` or the admin's "Render the PDF again") starts over."""

from django.db import transaction
from django_tasks import task

from publications.drafts import fail_draft_pdf, store_draft_pdf
from publications.enums import PdfState
from publications.models import DraftPdf, Publication
from publications.pdf import store_pdf
from techcommit.public_cache import mark_public_change
from techcommit.tasks import retry_later


@task()
def render_pdf(publication_id: int) -> None:
    if store_pdf(publication_id):
        return
    attempts = (
        Publication.objects.filter(pk=publication_id).values_list("pdf_attempts", flat=True).first()
    )
    if attempts is not None and not retry_later(render_pdf, attempts, publication_id):
        Publication.objects.filter(pk=publication_id).update(pdf_state=PdfState.FAILED)
        mark_public_change()


def queue_pdf(publication) -> None:
    """Render and store the publication's PDF once, after the publishing transaction commits."""
    publication_id = publication.pk
    transaction.on_commit(lambda: render_pdf.enqueue(publication_id))


def rerender(publications) -> int:
    """Render these publications' PDFs again from a fresh count of attempts (a stored PDF is
    replaced once the new one is stored); return how many were queued."""
    ids = list(publications.values_list("pk", flat=True))
    Publication.objects.filter(pk__in=ids).update(
        pdf_state=PdfState.PENDING, pdf_attempts=0, pdf_error=""
    )
    mark_public_change()  # the public pages offer the PDF again once it is rendered
    for publication_id in ids:
        transaction.on_commit(lambda pk=publication_id: render_pdf.enqueue(pk))
    return len(ids)


@task()
def render_draft_pdf(draft_id: int) -> None:
    """Render a draft's PDF (publications/drafts.py), tried again with back-off when it fails."""
    if store_draft_pdf(draft_id):
        return
    attempts = DraftPdf.objects.filter(pk=draft_id).values_list("attempts", flat=True).first()
    if attempts is not None and not retry_later(render_draft_pdf, attempts, draft_id):
        fail_draft_pdf(draft_id)
