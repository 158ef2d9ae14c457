"""The public read API, /api/v1/: signatories, published documents, published action plans with
every action's status, and published progress reviews. Built with django-ninja, which makes the
OpenAPI schema (/api/v1/openapi.json) from the same type hints that check each request and
shape each response.

Only what the public pages show goes out: every query comes from ``publications.queries``,
which starts from ``Publication.objects.public()``. Caching headers, CORS and the absence of
cookies are in ``api.middleware``; the rate limit for anonymous clients is here, and every
operation answers GET only."""

from __future__ import annotations

import math
from collections.abc import Callable

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.http import http_date
from ninja import NinjaAPI, Path, Query
from ninja.errors import Throttled
from ninja.throttling import AnonRateThrottle

from api import schemas
from publications.enums import PublicationKind
from publications.forms import DirectoryForm
from publications.models import Publication
from publications.queries import (
    OPEN_DATA_LICENCE,
    last_published,
    plan_data,
    public_documents,
    published_facts,
    review_data,
    signatories,
    signatory_records,
)

# Database ids are 64-bit; a larger number in an address is simply not found, never an error.
MAX_ID = 2**63 - 1


class AnonymousRateThrottle(AnonRateThrottle):
    """Requests allowed from one address (``API_ANONYMOUS_RATE``, for example ``120/m``),
    counted in Django's cache so that every worker shares the count. The rate is read on
    each request, so that a test or an operator's setting takes effect at once."""

    def __init__(self):
        super().__init__(settings.API_ANONYMOUS_RATE)

    def allow_request(self, request: HttpRequest) -> bool:
        self.rate = settings.API_ANONYMOUS_RATE
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)


api = NinjaAPI(
    title="Technician Commitment portal: public API",
    version="1",
    description=(
        "Read-only data about Technician Commitment signatories and the documents they have "
        "published: the same as the public directory shows. Published under the "
        f"[{OPEN_DATA_LICENCE['name']}]({OPEN_DATA_LICENCE['url']}). Anonymous clients may "
        "make a limited number of requests from one address in a given time; beyond it the answer "
        "is 429 with a Retry-After header. Every answer has an ETag: send If-None-Match to be "
        "told 304 when nothing changed. Documents also have a Last-Modified, the time of the "
        "latest publishing or withdrawal; an organisation's new name changes only the ETag, "
        "so prefer If-None-Match."
    ),
    urls_namespace="api",
    docs_url=None,  # the interactive page loads scripts from a CDN, which our CSP refuses
    throttle=AnonymousRateThrottle(),
)


@api.exception_handler(Throttled)
def too_many_requests(request: HttpRequest, exc: Throttled) -> HttpResponse:
    """429, saying in Retry-After how many seconds to wait."""
    response = api.create_response(request, {"detail": "Too many requests."}, status=429)
    response["Retry-After"] = str(math.ceil(exc.wait or 1))
    return response


def answers(ok: type) -> dict:
    """The answers an operation documents: what it gives, a parameter the schema does not
    allow, and the rate limit's."""
    return {200: ok, 422: schemas.Invalid, 429: schemas.Message}


def answers_or_not_found(ok: type) -> dict:
    return {**answers(ok), 404: schemas.Message}


# --- Paging ----------------------------------------------------------------------------------


def page_of(found: QuerySet, page: schemas.PageQuery) -> tuple[int, list]:
    return found.count(), list(found[page.offset : page.offset + page.limit])


def absolute(request: HttpRequest, path: str) -> str:
    return request.build_absolute_uri(path)


# --- Signatories -----------------------------------------------------------------------------


def signatory_out(request: HttpRequest, record: dict) -> dict:
    page = reverse("publications:organisation", kwargs={"slug": record["slug"]})
    return {**record, "page_url": absolute(request, page)}


@api.get(
    "/signatories",
    response=answers(schemas.SignatoryPage),
    summary="Signatories",
    description="Every organisation in the directory, with its status, public contact, when "
    "its last self-assessment was submitted and when the next is due.",
    tags=["signatories"],
)
def signatory_list(
    request: HttpRequest, filters: Query[schemas.SignatoryQuery], page: Query[schemas.PageQuery]
) -> dict:
    wanted = {name: value for name, value in filters.dict().items() if value}
    count, organisations = page_of(DirectoryForm(wanted).filter(signatories()), page)
    items = [signatory_out(request, record) for record in signatory_records(organisations)]
    return {"count": count, "limit": page.limit, "offset": page.offset, "items": items}


@api.get(
    "/signatories/{slug}",
    response=answers_or_not_found(schemas.Signatory),
    summary="A signatory",
    tags=["signatories"],
)
def signatory_detail(
    request: HttpRequest, slug: str = Path(..., pattern=schemas.SLUG, max_length=80)
) -> dict:
    organisation = get_object_or_404(signatories(), slug=slug)
    return signatory_out(request, signatory_records([organisation])[0])


# --- Published documents ---------------------------------------------------------------------

API_ROUTES = {
    PublicationKind.ACTION_PLAN: "api:plan_detail",
    PublicationKind.PROGRESS_REVIEW: "api:progress_review_detail",
}


def document_out(request: HttpRequest, publication: Publication) -> dict:
    slug = publication.organisation.slug
    route = API_ROUTES.get(publication.kind)
    return {
        "id": publication.pk,
        **published_facts(publication, absolute(request, publication.get_absolute_url())),
        "kind": publication.kind,
        "pdf_url": absolute(
            request, reverse("publications:pdf", kwargs={"slug": slug, "pk": publication.pk})
        ),
        "api_url": absolute(request, reverse(route, kwargs={"pk": publication.pk}))
        if route
        else None,
    }


def documents_page(
    request: HttpRequest, response: HttpResponse, found: QuerySet, page: schemas.PageQuery
) -> dict:
    if changed := last_published():
        response["Last-Modified"] = http_date(changed.timestamp())
    count, publications = page_of(found, page)
    items = [document_out(request, publication) for publication in publications]
    return {"count": count, "limit": page.limit, "offset": page.offset, "items": items}


@api.get(
    "/documents",
    response=answers(schemas.DocumentPage),
    summary="Published documents",
    description="Every published self-assessment, action plan and progress review, newest "
    "first. Withdrawn documents are not included.",
    tags=["documents"],
)
def document_list(
    request: HttpRequest,
    response: HttpResponse,
    filters: Query[schemas.DocumentQuery],
    page: Query[schemas.PageQuery],
) -> dict:
    found = public_documents(filters.kind, filters.organisation)
    return documents_page(request, response, found, page)


def document_detail(
    request: HttpRequest, response: HttpResponse, kind: str, pk: int, data: Callable
) -> dict:
    """A public document of this kind as ``data`` gives it, with its id; else 404."""
    publication = get_object_or_404(public_documents(kind), pk=pk)
    response["Last-Modified"] = http_date(publication.published_at.timestamp())
    page_url = absolute(request, publication.get_absolute_url())
    return {"id": publication.pk, **data(publication, page_url)}


@api.get(
    "/plans",
    response=answers(schemas.DocumentPage),
    summary="Published action plans",
    tags=["action plans"],
)
def plan_list(
    request: HttpRequest,
    response: HttpResponse,
    page: Query[schemas.PageQuery],
    organisation: str | None = Query(None, pattern=schemas.SLUG, max_length=80),
) -> dict:
    found = public_documents(PublicationKind.ACTION_PLAN, organisation)
    return documents_page(request, response, found, page)


@api.get(
    "/plans/{pk}",
    response=answers_or_not_found(schemas.Plan),
    summary="A published action plan",
    description="The plan as published, with every action and its current status: on the "
    "sector's common scale (status) and in the organisation's own word (status_label).",
    tags=["action plans"],
    url_name="plan_detail",
)
def plan_detail(
    request: HttpRequest, response: HttpResponse, pk: int = Path(..., ge=1, le=MAX_ID)
) -> dict:
    return document_detail(request, response, PublicationKind.ACTION_PLAN, pk, plan_data)


@api.get(
    "/progress-reviews",
    response=answers(schemas.DocumentPage),
    summary="Published progress reviews",
    tags=["progress reviews"],
)
def progress_review_list(
    request: HttpRequest,
    response: HttpResponse,
    page: Query[schemas.PageQuery],
    organisation: str | None = Query(None, pattern=schemas.SLUG, max_length=80),
) -> dict:
    found = public_documents(PublicationKind.PROGRESS_REVIEW, organisation)
    return documents_page(request, response, found, page)


@api.get(
    "/progress-reviews/{pk}",
    response=answers_or_not_found(schemas.ProgressReview),
    summary="A published progress review",
    description="A progress review of an action plan: its period, overall status, summary "
    "and the status of every action at the time.",
    tags=["progress reviews"],
    url_name="progress_review_detail",
)
def progress_review_detail(
    request: HttpRequest, response: HttpResponse, pk: int = Path(..., ge=1, le=MAX_ID)
) -> dict:
    return document_detail(request, response, PublicationKind.PROGRESS_REVIEW, pk, review_data)
