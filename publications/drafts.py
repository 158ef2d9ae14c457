"""Draft PDFs, rendered by the background worker and kept by what they draw.

A draft's PDF (a self-assessment or an action plan not yet published) can take seconds and
hundreds of megabytes to render, so the web request never renders it: ``request_draft_pdf``
works out the SHA-256 of what the PDF would draw (title, content, figures and the "printed" date)
and finds or makes one ``DraftPdf`` row for it; only a new or failed row queues
``publications.tasks.render_draft_pdf``. The same content is never rendered twice; a changed
draft gets a new row, and once its file is stored every other file of the same document is
deleted (``store_draft_pdf``).
"""

from __future__ import annotations

import hashlib
import json
import logging
import time

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from publications.enums import PdfState, PublicationKind
from publications.models import DraftPdf
from publications.pdf import Document, draft_plan, draft_self_assessment, exporter_for

logger = logging.getLogger(__name__)

CHANGED = "The draft changed before its PDF was made."


def draft_document(kind: str, source) -> Document:
    """The live draft of a self-assessment or an action plan, as its PDF would print it."""
    if kind == PublicationKind.SELF_ASSESSMENT:
        return draft_self_assessment(source)
    return draft_plan(source)


def source_of(kind: str, source_id: int):
    """The self-assessment or action plan a draft PDF prints, or None if it is gone."""
    from actionplans.models import ActionPlan
    from assessments.models import SelfAssessment

    model = SelfAssessment if kind == PublicationKind.SELF_ASSESSMENT else ActionPlan
    return model.objects.filter(pk=source_id).select_related("organisation").first()


def content_hash(document: Document) -> str:
    """The SHA-256 of everything the draft's PDF draws, the day it is printed included."""
    figures = [
        [key, f.src, f.caption, f.alt_text, f.media_type, hashlib.sha256(f.data).hexdigest()]
        for key, found in sorted(document.figures.items())
        for f in found
    ]
    drawn = {
        "kind": document.kind,
        "title": document.title,
        "organisation": document.organisation.name,
        "content": document.content,
        "figures": figures,
        "printed": timezone.localdate().isoformat(),
    }
    encoded = json.dumps(drawn, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(encoded.encode()).hexdigest()


def current_draft_pdf(kind: str, source) -> tuple[str, DraftPdf | None]:
    """The hash of the draft as it is now, and its PDF's row if one was asked for."""
    digest = content_hash(draft_document(kind, source))
    row = DraftPdf.objects.filter(
        organisation=source.organisation, kind=kind, source_id=source.pk, content_sha256=digest
    ).first()
    return digest, row


def request_draft_pdf(kind: str, source, by) -> DraftPdf:
    """The PDF row of the draft as it is now: ready, being made, or queued now (a new one, one
    that failed, or one whose file has gone). Never renders in the caller's process, unless the
    tasks backend is the immediate one (development and tests)."""
    from publications.tasks import render_draft_pdf

    digest = content_hash(draft_document(kind, source))
    with transaction.atomic():
        row, created = DraftPdf.objects.get_or_create(
            organisation=source.organisation,
            kind=kind,
            source_id=source.pk,
            content_sha256=digest,
            defaults={"requested_by": by},
        )
        row = DraftPdf.objects.select_for_update().get(pk=row.pk)
        ready = row.state == PdfState.READY and row.file and row.file.storage.exists(row.file.name)
        if not created and (ready or row.state == PdfState.PENDING):
            return row
        row.state = PdfState.PENDING
        row.attempts = 0
        row.error = ""
        row.file = ""
        row.started_at = row.finished_at = None
        row.requested_at = timezone.now()
        row.requested_by = by
        row.save()
        draft_id = row.pk
        transaction.on_commit(lambda: render_draft_pdf.enqueue(draft_id))
    return row


def store_draft_pdf(draft_id: int) -> bool:
    """Render a draft PDF row's document and keep it; True when done (stored now or before, or
    nothing left to do), False when the render failed (the task decides whether to try again).

    Safe to run twice: the attempt is counted under a lock on the row, the slow render holds no
    lock, and the file is stored under a second lock (a row that is ready already is left
    alone). A draft that changed since it was asked for is not rendered: its row says so."""
    with transaction.atomic():
        row = DraftPdf.objects.select_for_update().filter(pk=draft_id).first()
        if row is None or row.state != PdfState.PENDING:
            return True  # pruned, failed for good, or stored already
        row.attempts += 1
        row.started_at = timezone.now()
        row.save(update_fields=["attempts", "started_at"])
    source = source_of(row.kind, row.source_id)
    document = draft_document(row.kind, source) if source else None
    if document is None or content_hash(document) != row.content_sha256:
        DraftPdf.objects.filter(pk=draft_id).update(
            state=PdfState.FAILED, error=CHANGED, finished_at=timezone.now()
        )
        return True
    if settings.PDF_RENDER_DELAY:  # test-only (tests/test_topology.py)
        time.sleep(settings.PDF_RENDER_DELAY)
    try:
        filename, _content_type, data = exporter_for(row.kind).render(document)
    except Exception as error:  # noqa: BLE001 - any failure of a render is kept for a retry
        logger.exception("The PDF of draft %s could not be rendered.", draft_id)
        DraftPdf.objects.filter(pk=draft_id).update(error=f"{type(error).__name__}: {error}"[:500])
        return False
    with transaction.atomic():
        current = DraftPdf.objects.select_for_update().filter(pk=draft_id).first()
        if current is None or current.state != PdfState.PENDING:
            return True  # pruned by a newer draft's PDF meanwhile, or stored by another worker
        current.file.save(filename, ContentFile(data), save=False)
        current.state = PdfState.READY
        current.error = ""
        current.finished_at = timezone.now()
        current.save(update_fields=["file", "state", "error", "finished_at"])
        prune_superseded(current)
    return True


def prune_superseded(kept: DraftPdf) -> int:
    """Delete the other PDFs of the same draft (other content) and their files; how many."""
    superseded = DraftPdf.objects.filter(
        organisation_id=kept.organisation_id, kind=kept.kind, source_id=kept.source_id
    ).exclude(pk=kept.pk)
    names = [name for name in superseded.values_list("file", flat=True) if name]
    count, _ = superseded.delete()
    storage = kept.file.storage

    def delete_files():
        for name in names:
            if storage.exists(name):
                storage.delete(name)

    transaction.on_commit(delete_files)
    return count


def fail_draft_pdf(draft_id: int) -> None:
    """The attempts are spent: the row shows its error and offers to try again."""
    DraftPdf.objects.filter(pk=draft_id, state=PdfState.PENDING).update(
        state=PdfState.FAILED, finished_at=timezone.now()
    )
