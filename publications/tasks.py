"""Rendering a publication's PDF away from the request.

WeasyPrint can take seconds over a long plan, so a published document's PDF is rendered once,
by a django-tasks worker (``manage.py db_worker`` with TASKS_BACKEND=database; at once, in the
same process, in development and tests), and stored; the public page offers it when ready."""

from django.db import transaction
from django_tasks import task

from publications.pdf import store_pdf


@task()
def render_pdf(publication_id: int) -> None:
    store_pdf(publication_id)


def queue_pdf(publication) -> None:
    """Render and store the publication's PDF once, after the publishing transaction commits."""
    publication_id = publication.pk
    transaction.on_commit(lambda: render_pdf.enqueue(publication_id))
