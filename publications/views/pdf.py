"""PDFs. A published document's PDF is public: it is rendered once in the background and then
served from storage; until it is ready the address answers 202 with a page that says so. A
draft's PDF is rendered on demand, for the people who may see the draft."""

import io

from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from actionplans.lookups import plan_for
from assessments.lookups import assessment_for
from publications.enums import PdfState
from publications.models import Publication
from publications.pdf import (
    PlanPdf,
    SelfAssessmentPdf,
    download_name,
    draft_plan,
    draft_self_assessment,
)


@require_safe
def publication_pdf(request, slug: str, pk: int):
    """Anyone may download a public document's PDF; withdrawn ones are gone (404)."""
    publication = get_object_or_404(
        Publication.objects.public().select_related("organisation"),
        organisation__slug=slug,
        pk=pk,
    )
    if publication.pdf_state == PdfState.READY and publication.pdf:
        response = FileResponse(
            publication.pdf.open("rb"),
            as_attachment=True,
            filename=download_name(publication.organisation, publication.kind, publication.version),
            content_type="application/pdf",
        )
        response["Cache-Control"] = "public, max-age=300"
        return response
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
