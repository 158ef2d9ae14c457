"""PDFs. A published document's PDF is public: it is rendered once in the background and then
served from storage; until it is ready the address answers 202 with a page that says so. A
draft's PDF is rendered on demand, for the people who may see the draft."""

import io

from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from actionplans.lookups import plan_for
from assessments.lookups import assessment_for
from publications.enums import PdfState
from publications.pdf import (
    PlanPdf,
    SelfAssessmentPdf,
    download_name,
    draft_plan,
    draft_self_assessment,
)
from publications.queries import public_document, published_pdf
from techcommit.public_cache import MAX_AGE, mark_public_change


@require_safe
def publication_pdf(request, slug: str, pk: int):
    """Anyone may download a public document's PDF; withdrawn ones are gone (404). Once it is
    ready this address sends on to its versioned one; until then it says it is being made."""
    if found := published_pdf(slug, pk):
        response = redirect("publications:pdf_file", slug=slug, pk=pk, token=found["token"])
        # Short: a withdrawal must take the PDF away soon.
        response["Cache-Control"] = f"public, max-age={MAX_AGE}"
        return response
    publication = public_document(slug, pk)
    if publication.pdf_token:
        # Ready, though the kept lookup said not yet: served here, never sent round again.
        return _stored_pdf(
            publication.pdf.name,
            download_name(publication.organisation, publication.kind, publication.version),
            "no-cache",
        )
    failed = publication.pdf_state == PdfState.FAILED
    response = render(
        request,
        "publications/pdf/preparing.html",
        {"publication": publication, "failed": failed},
        status=503 if failed else 202,
    )
    response["Cache-Control"] = "no-store"
    if not failed:
        response["Retry-After"] = "10"
    return response


@require_safe
def publication_pdf_file(request, slug: str, pk: int, token: str):
    """A public document's PDF at its versioned address, streamed from storage. The file under
    one token never changes, so browsers and proxies may keep it for a year; an outdated token
    sends on to the current address, a withdrawn document is gone (404)."""
    found = published_pdf(slug, pk)
    if not found or found["token"] != token:
        return publication_pdf(request, slug, pk)
    try:
        return _stored_pdf(found["name"], found["filename"], "public, max-age=31536000, immutable")
    except FileNotFoundError:
        # Replaced or being rendered again since the lookup was kept: look again.
        mark_public_change()
        return publication_pdf(request, slug, pk)


def _stored_pdf(name: str, filename: str, cache_control: str) -> FileResponse:
    """A stored PDF, streamed from storage in blocks rather than read whole."""
    response = FileResponse(
        default_storage.open(name, "rb"),
        as_attachment=True,
        filename=filename,
        content_type="application/pdf",
    )
    response["Cache-Control"] = cache_control
    return response


def _draft_response(rendered: tuple[str, str, bytes]) -> FileResponse:
    filename, content_type, data = rendered
    response = FileResponse(
        io.BytesIO(data), as_attachment=True, filename=filename, content_type=content_type
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_safe
@never_cache
@login_required
def assessment_draft_pdf(request, slug: str, pk: int):
    assessment = assessment_for(request.user, slug, pk, "assessments.view_assessment")
    return _draft_response(SelfAssessmentPdf().render(draft_self_assessment(assessment)))


@require_safe
@never_cache
@login_required
def plan_draft_pdf(request, slug: str, pk: int):
    plan = plan_for(request.user, slug, pk)
    return _draft_response(PlanPdf().render(draft_plan(plan)))
