"""PDFs. A published document's PDF is public: it is rendered once in the background and then
served from storage; until it is ready the address answers 202 with a page that says so. A
draft's PDF is made by the worker when someone who may see the draft asks for it (a button),
and kept until the draft changes; its page shows the progress (htmx polling, or a refresh
link without JavaScript) and then a download link."""

from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from actionplans.lookups import plan_for
from assessments.lookups import assessment_for
from publications.drafts import CHANGED, current_draft_pdf, request_draft_pdf
from publications.enums import PdfState, PublicationKind
from publications.models import DraftPdf
from publications.pdf import download_name
from publications.queries import public_document, published_pdf
from techcommit.public_cache import MAX_AGE, mark_public_change, sessionless


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


@sessionless
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


# --- Drafts' PDFs: made by the worker, kept by content (publications/drafts.py) ---------------

DRAFTS = {
    "assessment": PublicationKind.SELF_ASSESSMENT,
    "plan": PublicationKind.ACTION_PLAN,
}


def _draft_source(request, which: str, slug: str, pk: int):
    """The draft a person may view (404 otherwise): its PDFs follow its pages' permissions."""
    if which == "assessment":
        return assessment_for(request.user, slug, pk, "assessments.view_assessment")
    return plan_for(request.user, slug, pk)


def _draft_row(which: str, source, draft_id: int) -> DraftPdf | None:
    """One of this draft's PDF rows, reached through the draft (never by id alone)."""
    return DraftPdf.objects.filter(
        pk=draft_id, organisation=source.organisation, kind=DRAFTS[which], source_id=source.pk
    ).first()


def _draft_context(which: str, source, draft: DraftPdf | None, gone: bool = False) -> dict:
    args = [source.organisation.slug, source.pk]
    urls = {
        "page_url": reverse(f"publications:{which}_draft_pdf", args=args),
        "make_url": reverse(f"publications:{which}_draft_pdf_make", args=args),
    }
    if draft:
        urls["status_url"] = reverse(
            f"publications:{which}_draft_pdf_status", args=[*args, draft.pk]
        )
        urls["file_url"] = reverse(f"publications:{which}_draft_pdf_file", args=[*args, draft.pk])
    return {
        "which": which,
        "source": source,
        "organisation": source.organisation,
        "title": draft_document_title(which, source),
        "draft": draft,
        "gone": gone,
        "changed": CHANGED,
        **urls,
    }


def draft_document_title(which: str, source) -> str:
    if which == "assessment":
        return f"Self-assessment due {source.due_on:%-d %B %Y}"
    return source.title


@require_safe
@never_cache
@login_required
def draft_pdf(request, which: str, slug: str, pk: int):
    """The page of a draft's PDF: the one of the draft as it is now, if asked for, with its
    progress, or a button that asks the worker to make it."""
    source = _draft_source(request, which, slug, pk)
    _digest, draft = current_draft_pdf(DRAFTS[which], source)
    return render(request, "publications/draft_pdf.html", _draft_context(which, source, draft))


@require_POST
@login_required
def draft_pdf_make(request, which: str, slug: str, pk: int):
    """Ask for the PDF of the draft as it is now: the stored one if its content has not
    changed, or a render queued for the worker (again, after a failure)."""
    source = _draft_source(request, which, slug, pk)
    draft = request_draft_pdf(DRAFTS[which], source, by=request.user)
    if request.htmx:
        draft.refresh_from_db()  # the immediate backend (development) has rendered it already
        return _draft_status(request, which, source, draft)
    response = redirect(reverse(f"publications:{which}_draft_pdf", args=[slug, pk]))
    response.status_code = 303  # See Other: the page, by GET
    return response


@require_safe
@never_cache
@login_required
def draft_pdf_status(request, which: str, slug: str, pk: int, draft_id: int):
    """The status partial that htmx polls while the PDF is being made."""
    source = _draft_source(request, which, slug, pk)
    if not request.htmx:
        return redirect(reverse(f"publications:{which}_draft_pdf", args=[slug, pk]))
    draft = _draft_row(which, source, draft_id)
    return _draft_status(request, which, source, draft)


def _draft_status(request, which: str, source, draft: DraftPdf | None):
    context = _draft_context(which, source, draft, gone=draft is None)
    return render(request, "publications/draft_pdf.html#status", context)


@require_safe
@login_required
def draft_pdf_file(request, which: str, slug: str, pk: int, draft_id: int):
    """A made draft PDF, streamed from storage; one not ready (or pruned) is a 404."""
    source = _draft_source(request, which, slug, pk)
    draft = _draft_row(which, source, draft_id)
    if draft is None or not draft.is_ready:
        raise Http404("This PDF is not ready.")
    try:
        return _stored_pdf(
            draft.file.name,
            download_name(source.organisation, DRAFTS[which], None),
            "private, no-store",
        )
    except FileNotFoundError as error:
        raise Http404("This PDF is no longer stored.") from error
