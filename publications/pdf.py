"""PDFs of self-assessments, action plans, progress reviews and update papers, by WeasyPrint.

Exporters with one contract: ``render(publication_or_document) -> (filename, content type,
bytes)``. A published document is rendered once, in a task (``publications.tasks``), and its
stored file is served from then on; a draft is rendered on demand from its live content.

WeasyPrint only ever sees our own fetcher: it serves the project's static files (the PDF
stylesheet and the vendored fonts) under ``static:`` and the document's figures under
``figure:<n>``, and refuses everything else (no network, no ``file://``). So the same document
gives the same PDF on any machine, and text people typed cannot make the renderer fetch
anything. ``weasyprint`` is imported inside the functions that need it (ruff TID253).
"""

from __future__ import annotations

import hashlib
import logging
import mimetypes
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import PurePosixPath

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify

from actionplans.enums import PlanStatus
from actionplans.layout import day_name, review_layout
from assessments import documents
from publications.documents import publication_document
from publications.enums import PdfState, PublicationKind
from techcommit import render_process
from techcommit.public_cache import mark_public_change

logger = logging.getLogger(__name__)
# Seconds a governed render may take in the worker (techcommit.render_process).
RENDER_TIMEOUT = 3600

STATIC_SCHEME = "static:"
FIGURE_SCHEME = "figure:"
# What the stylesheet may load from the project's static files.
FETCHABLE_TYPES = {
    ".css": "text/css",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
}
PDF_OPTIONS = {
    # PDF/UA-1: tagged (headings, tables with their headers, figures with alternative text),
    # with the document's title shown and its language declared.
    "pdf_variant": "pdf/ua-1",
    # A fixed identifier, so the same document gives the same bytes (no random file id).
    "pdf_identifier": b"technician-commitment-portal",
}
LANGUAGE = "en-GB"


class ResourceRefused(ValueError):
    """The renderer asked for something outside the project's static files and figures."""


def fetch_resource(url: str, figures: dict[str, tuple[bytes, str]]) -> tuple[bytes, str]:
    """The bytes and media type behind ``url``, or ResourceRefused."""
    if url.startswith(STATIC_SCHEME):
        path = PurePosixPath(url.removeprefix(STATIC_SCHEME))
        media_type = FETCHABLE_TYPES.get(path.suffix.lower())
        if media_type is None or path.is_absolute() or ".." in path.parts:
            raise ResourceRefused(f"Not a static file the PDF may use: {url[:100]!r}")
        found = finders.find(str(path))
        if not found:
            raise ResourceRefused(f"No such static file: {url[:100]!r}")
        with open(found, "rb") as stored:
            return stored.read(), media_type
    if url.startswith(FIGURE_SCHEME) and url in figures:
        return figures[url]
    raise ResourceRefused(
        "The PDF renderer fetches only the portal's static files and the document's own "
        f"figures, not {url[:100]!r}."
    )


def url_fetcher(figures: dict[str, tuple[bytes, str]] | None = None):
    """A WeasyPrint URL fetcher that serves only ``fetch_resource``'s answers."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    served = dict(figures or {})

    class PortalFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            data, media_type = fetch_resource(url, served)
            return URLFetcherResponse(url, data, {"Content-Type": media_type})

    # A refused URL is left out of the PDF (WeasyPrint logs it) rather than stopping the render.
    return PortalFetcher()


def html_to_pdf(html: str, figures: dict[str, tuple[bytes, str]] | None = None) -> bytes:
    """The PDF of a page of our own HTML (title and language come from <title> and lang)."""
    from weasyprint import HTML

    def render() -> bytes:
        return HTML(string=html, url_fetcher=url_fetcher(figures)).write_pdf(**PDF_OPTIONS)

    if render_process.enabled():  # in an idle worker: away from the pages' CPU time
        # An hour, however busy the pages keep the machine: a child that never finishes (or
        # waits for ever under load) fails the render, which can be asked for again.
        return render_process.render_in_child(render, timeout=RENDER_TIMEOUT)
    return render()


# --- What an exporter renders ------------------------------------------------------------------


@dataclass
class PdfFigure:
    src: str
    caption: str
    alt_text: str
    data: bytes
    media_type: str


@dataclass
class Document:
    """One document to print: a publication's frozen content, or a draft's live one."""

    kind: str
    title: str
    organisation: object
    content: dict
    version: int | None = None  # None: a draft
    published_on: date | None = None
    figures: dict[str, list[PdfFigure]] = field(default_factory=dict)  # by question key

    @property
    def is_draft(self) -> bool:
        return self.version is None

    @classmethod
    def of(cls, publication) -> Document:
        figures = {}
        if publication.kind == PublicationKind.SELF_ASSESSMENT:
            figures = publication_figures(publication)
        return cls(
            kind=publication.kind,
            title=publication.title,
            organisation=publication.organisation,
            content=publication.content,
            version=publication.version,
            published_on=timezone.localdate(publication.published_at),
            figures=figures,
        )


def media_type_of(extension: str) -> str:
    return mimetypes.types_map.get(f".{extension.lower()}", "application/octet-stream")


def publication_figures(publication) -> dict[str, list[PdfFigure]]:
    """The figures of the snapshot a self-assessment publication was made from."""
    from submissions.models import SnapshotFigure

    figures: dict[str, list[PdfFigure]] = {}
    rows = SnapshotFigure.objects.filter(snapshot=publication.snapshot_id).order_by(
        "question_key", "position"
    )
    for figure in rows:
        with figure.image.open("rb") as stored:
            data = stored.read()
        figures.setdefault(figure.question_key, []).append(
            PdfFigure(
                src=f"{FIGURE_SCHEME}{figure.pk}",
                caption=figure.caption,
                alt_text=figure.alt_text,
                data=data,
                media_type=media_type_of(figure.extension),
            )
        )
    return figures


def draft_self_assessment(assessment) -> Document:
    """The live self-assessment, as a submission would freeze it now."""
    from submissions.services import snapshot_content

    content, found = snapshot_content(assessment)
    figures: dict[str, list[PdfFigure]] = {}
    for n, (key, figure, data, _digest) in enumerate(found, start=1):
        figures.setdefault(key, []).append(
            PdfFigure(
                src=f"{FIGURE_SCHEME}draft-{n}",
                caption=figure.caption,
                alt_text=figure.alt_text,
                data=data,
                media_type=media_type_of(figure.image.name.rsplit(".", 1)[-1]),
            )
        )
    organisation = assessment.organisation
    return Document(
        kind=PublicationKind.SELF_ASSESSMENT,
        title=f"{organisation.name} Technician Commitment self-assessment "
        f"({assessment.due_on:%B %Y}), draft",
        organisation=organisation,
        content={"document": content, "sign_offs": []},
        figures=figures,
    )


def draft_plan(plan) -> Document:
    from actionplans.queries import plan_as_data

    return Document(
        kind=PublicationKind.ACTION_PLAN,
        # A plan of an earlier cycle was approved before the portal: not a draft.
        title=f"{plan.title}, draft"
        if plan.status == PlanStatus.DRAFT and not plan.is_earlier
        else plan.title,
        organisation=plan.organisation,
        content=plan_as_data(plan),
    )


# --- Exporters -----------------------------------------------------------------------------------


class PdfExporter:
    """``render(publication or Document) -> (filename, content type, bytes)``."""

    identifier = ""
    template = ""
    content_type = "application/pdf"
    extension = "pdf"

    def document(self, source) -> Document:
        return source if isinstance(source, Document) else Document.of(source)

    def context(self, document: Document) -> dict:
        return {"document": document, "title": document.title, "lang": LANGUAGE}

    def filename(self, document: Document) -> str:
        return download_name(document.organisation, document.kind, document.version)

    def html(self, document: Document) -> str:
        return render_to_string(self.template, self.context(document))

    def render(self, source) -> tuple[str, str, bytes]:
        document = self.document(source)
        figures = {
            f.src: (f.data, f.media_type) for found in document.figures.values() for f in found
        }
        data = html_to_pdf(self.html(document), figures)
        return self.filename(document), self.content_type, data


class SelfAssessmentPdf(PdfExporter):
    identifier = "self-assessment"
    template = "publications/pdf/self_assessment.html"

    def context(self, document: Document) -> dict:
        content = document.content
        body = content["document"]
        # A publication's content holds no private answer (publications.redaction); a draft's is
        # for the people who may see the draft, and lists the signatures it needs.
        figures = {
            key: [
                documents.Figure(src=f.src, caption=f.caption, alt_text=f.alt_text) for f in found
            ]
            for key, found in document.figures.items()
        }
        built = (
            documents.build(body, figures=figures)
            if document.is_draft
            else publication_document(content, figures)
        )
        return {
            **super().context(document),
            "body": body,
            "built": built,
            "due_on": day_name(body.get("due_on")),
            "submitted_on": day_name(content.get("submitted_on")),
        }


class PlanPdf(PdfExporter):
    identifier = "action-plan"
    template = "publications/pdf/plan.html"

    def context(self, document: Document) -> dict:
        return {
            **super().context(document),
            "plan": document.content,
        }


class ReviewPdf(PdfExporter):
    identifier = "progress-review"
    template = "publications/pdf/review.html"

    def context(self, document: Document) -> dict:
        return {
            **super().context(document),
            "review": document.content,
            "layout": review_layout(document.content),
        }


class UpdatePaperPdf(PdfExporter):
    identifier = "update-paper"
    template = "publications/pdf/update_paper.html"

    def context(self, document: Document) -> dict:
        from publications.queries import update_paper_view  # queries imports this module

        return {**super().context(document), "paper": update_paper_view(document.content)}


EXPORTERS = {
    PublicationKind.SELF_ASSESSMENT: SelfAssessmentPdf,
    PublicationKind.ACTION_PLAN: PlanPdf,
    PublicationKind.PROGRESS_REVIEW: ReviewPdf,
    PublicationKind.UPDATE_PAPER: UpdatePaperPdf,
}


def exporter_for(kind: str) -> PdfExporter:
    return EXPORTERS[kind]()


def download_name(organisation, kind: str, version: int | None) -> str:
    """e.g. ``aldermoor-action-plan-v2.pdf``, or ``...-draft.pdf``."""
    name = slugify(organisation.short_name or organisation.name)
    return f"{name}-{EXPORTERS[kind].identifier}-{f'v{version}' if version else 'draft'}.pdf"


# --- Stored PDFs of publications ---------------------------------------------------------------


def store_pdf(publication_id: int) -> bool:
    """Render a publication's PDF and keep it, once; True when it is stored (now or before).

    Safe to run twice, at once on two workers, or again after a worker was killed mid-render:
    each attempt is counted first; the slow render holds no lock; storing happens under a lock
    on the publication's row (a PDF already stored makes it a no-op) and under the
    publication's own name, so a file a killed attempt half wrote is replaced (its SHA-256
    differs), never kept beside the new one. A render that fails is logged, its error kept on
    the publication, and False returned: the task decides whether to try again.
    """
    from publications.models import Publication, pdf_path

    with transaction.atomic():
        publication = Publication.objects.select_for_update().get(pk=publication_id)
        if publication.pdf_state == PdfState.READY and publication.pdf:
            return True
        publication.pdf_attempts += 1
        publication.save(update_fields=["pdf_attempts"])
    if settings.PDF_RENDER_DELAY:  # test-only (tests/test_topology.py)
        time.sleep(settings.PDF_RENDER_DELAY)
    try:
        filename, _content_type, data = exporter_for(publication.kind).render(publication)
    except Exception as error:  # noqa: BLE001 - any failure of a render is kept for a retry
        logger.exception("The PDF of publication %s could not be rendered.", publication_id)
        Publication.objects.filter(pk=publication_id).update(
            pdf_error=f"{type(error).__name__}: {error}"[:500]
        )
        return False
    digest = hashlib.sha256(data).hexdigest()
    with transaction.atomic():
        current = Publication.objects.select_for_update().get(pk=publication_id)
        if current.pdf_state == PdfState.READY and current.pdf:
            return True  # another worker stored it meanwhile
        storage = current.pdf.storage
        name = pdf_path(current, filename)
        if storage.exists(name) and sha256_of(storage, name) == digest:
            stored = name  # an earlier attempt stored it and was stopped before saying so
        else:
            if storage.exists(name):
                storage.delete(name)
            stored = storage.save(name, ContentFile(data))
        if current.pdf and current.pdf.name != stored and storage.exists(current.pdf.name):
            storage.delete(current.pdf.name)  # the PDF a re-render replaces
        # Only these fields: a withdrawal made meanwhile is kept.
        Publication.objects.filter(pk=publication_id).update(
            pdf=stored, pdf_state=PdfState.READY, pdf_sha256=digest, pdf_error=""
        )
        mark_public_change()  # its pages now offer the PDF, at a new versioned address
    return True


def sha256_of(storage, name: str) -> str:
    digest = hashlib.sha256()
    with storage.open(name, "rb") as stored:
        for chunk in iter(lambda: stored.read(1 << 16), b""):
            digest.update(chunk)
    return digest.hexdigest()
