"""Public pages, open to everyone without signing in: the signatory directory, an organisation's
page, its published documents, the accessibility statement and the open data.

Everything here starts from ``Publication.objects.public()``: a draft, a withdrawn document or
anything a reviewer wrote is never in reach of these views."""

from __future__ import annotations

import io
import json
from datetime import date
from email.utils import parseaddr
from functools import wraps

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import F
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView

from actionplans.enums import Status
from assessments import documents
from assessments.models import Theme
from assessments.services import due_date_for
from publications import search
from publications.documents import publication_document
from publications.enums import PublicationKind
from publications.forms import DirectoryForm, SearchForm
from publications.models import Publication, PublishedAction, newest_review
from publications.queries import (
    OPEN_DATA_LICENCE,
    archive_by_cycle,
    day,
    plan_actions,
    plan_data,
    public_document,
    public_plan_view,
    review_data,
    review_view,
    signatories,
    signatory_records,
    update_paper_view,
)
from publications.summary import progress_by_theme
from signatories.enums import Nation, OrganisationKind, OrganisationStatus
from signatories.models import Organisation
from submissions.models import SnapshotFigure
from techcommit.charts import progress_bar
from techcommit.public_cache import MAX_AGE, public_response
from techcommit.spreadsheets import csv_dict_writer

PAGE_SIZE = 50
SEARCH_PAGE_SIZE = 20


# --- The directory --------------------------------------------------------------------------


class PublicPage(TemplateView):
    """A page anyone may read, signed in or not. Reading changes nothing, so GET only. For
    visitors who are not signed in it is cached (techcommit.public_cache)."""

    http_method_names = ["get", "head"]
    public_page = True  # answered from its kept copy early (techcommit.middleware)

    def dispatch(self, request, *args, **kwargs):
        return public_response(
            request, lambda: super(PublicPage, self).dispatch(request, *args, **kwargs)
        )


def public(view):
    """A public function view (CSV, JSON), cached as the public pages are."""

    @wraps(view)
    def cached(request, *args, **kwargs):
        return public_response(request, lambda: view(request, *args, **kwargs))

    cached.public_page = True  # answered from its kept copy early (techcommit.middleware)
    return cached


def numbered(page):
    """The page numbers a public list's pager shows (templates/publications/_pager.html)."""
    return page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)


class DirectoryView(PublicPage):
    """Search, filters and sorting in a GET form and in the columns' header links, so it works
    without JavaScript; 50 a page, with numbered pages."""

    template_name = "publications/directory.html"

    def get_context_data(self, **kwargs):
        form = DirectoryForm(self.request.GET)
        page = Paginator(form.filter(signatories()), PAGE_SIZE).get_page(
            self.request.GET.get("page")
        )
        page.object_list = list(page.object_list)
        for organisation in page.object_list:  # ISO text from the published review's content
            organisation.last_reviewed_on = day(organisation.last_reviewed_on)
        query = self.request.GET.copy()
        query.pop("page", None)
        unsorted = query.copy()
        unsorted.pop("sort", None)
        return super().get_context_data(
            form=form,
            page_obj=page,
            pages=numbered(page),
            count=page.paginator.count,
            query=query.urlencode(),
            unsorted=unsorted.urlencode(),
            headers=form.headers(),
            **kwargs,
        )


class SearchView(PublicPage):
    """Every action of every published plan and every achievement of every published update
    paper, found by its words (publications.search), with filters in the same GET form; 20 a
    page, each hit linking to its row in its plan or its place in its paper."""

    template_name = "publications/search.html"

    def get_context_data(self, **kwargs):
        form = SearchForm(
            self.request.GET,
            themes=Theme.objects.order_by("position").values_list("slug", "name"),
            years=PublishedAction.objects.order_by("starts_year")
            .exclude(starts_year=None)
            .values_list("starts_year", flat=True)
            .distinct(),
        )
        filters = form.filters()
        asked = bool(form.words.strip() or any(filters.values()))
        found = search.find(form.words, filters) if asked else PublishedAction.objects.none()
        page = Paginator(found, SEARCH_PAGE_SIZE).get_page(self.request.GET.get("page"))
        query = self.request.GET.copy()
        query.pop("page", None)
        return super().get_context_data(
            form=form,
            asked=asked,
            page_obj=page,
            pages=numbered(page),
            hits=search.hits(list(page.object_list), form.words),
            count=page.paginator.count,
            query=query.urlencode(),
            **kwargs,
        )


# --- An organisation and its documents -------------------------------------------------------


def self_assessment_view(publication: Publication) -> dict:
    """The published self-assessment as it was stored, with the public addresses of its
    figures."""
    content = publication.content
    args = [publication.organisation.slug, publication.pk]
    figures = documents.figures_by_key(
        SnapshotFigure.objects.filter(snapshot_id=publication.snapshot_id),
        lambda row: reverse("publications:figure", args=[*args, row.pk]),
    )
    return {
        "document": publication_document(content, figures),
        "revision": content.get("revision"),
        "submitted_on": day(content.get("submitted_on")),
    }


class OrganisationView(PublicPage):
    """Status, contact and webpage; the current plan, the latest review, and the archive.
    Lapsed and withdrawn organisations keep their page, with their status."""

    template_name = "publications/organisation.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**organisation_context(self.kwargs["slug"]), **kwargs)


def organisation_context(slug: str) -> dict:
    signatory = get_object_or_404(Organisation, slug=slug)
    publications = list(
        Publication.objects.public()
        .filter(organisation=signatory)
        .annotate(
            review_plan_id=F("review__plan_id"),
            paper_plan_id=F("update_paper__review__plan_id"),
            assessment_plan_id=F("snapshot__assessment__action_plan__id"),
            assessment_due_on=F("snapshot__assessment__due_on"),
        )
        .select_related("plan")
        .order_by("-version", "-pk")
    )
    for publication in publications:
        publication.organisation = signatory  # for their addresses, without a query each
    plan = next((p for p in publications if p.kind == PublicationKind.ACTION_PLAN), None)
    plan_review = plan and newest_review(
        p for p in publications if p.review_plan_id and p.review_plan_id == plan.plan_id
    )
    review = newest_review(p for p in publications if p.kind == PublicationKind.PROGRESS_REVIEW)
    plan_content = public_plan_view(plan, plan_review) if plan else None
    review_content = review_view(review.content) if review else None
    today = timezone.localdate()
    return {
        "signatory": signatory,
        "plan": plan,
        "plan_content": plan_content,
        "plan_progress": (
            progress_bar("Plan period", plan.plan.starts_on, plan.plan.ends_on, today)
            if plan and plan.plan
            else None
        ),
        "due": due_date_for(signatory, today),
        # The plan's statuses are already the latest review of that plan's (public_plan_view);
        # a review stands in only when no plan is published.
        "progress": progress_by_theme(plan_content, None if plan else review_content),
        "review": review,
        "review_content": review_content,
        "cycles": archive_by_cycle(signatory, publications),
    }


class DocumentView(PublicPage):
    """A published self-assessment, plan, progress review or update paper, from its frozen
    content."""

    template_name = "publications/document.html"

    def get_context_data(self, **kwargs):
        publication = public_document(self.kwargs["slug"], self.kwargs["pk"])
        context = {"signatory": publication.organisation, "publication": publication}
        if publication.kind == PublicationKind.ACTION_PLAN:
            context["plan_content"] = public_plan_view(publication, *current_of(publication))
        elif publication.kind == PublicationKind.PROGRESS_REVIEW:
            context["review_content"] = review_view(publication.content)
        elif publication.kind == PublicationKind.UPDATE_PAPER:
            context["paper_content"] = update_paper_view(publication.content)
        else:
            context["assessment"] = self_assessment_view(publication)
        return super().get_context_data(**context, **kwargs)


def current_of(plan: Publication) -> tuple[Publication | None, Publication | None]:
    """The latest published progress review of a published plan's plan, and the organisation's
    current published plan (the one the public reads as current)."""
    public = Publication.objects.public().select_related("organisation")
    review = newest_review(public.reviews_of_plan(plan.plan_id))
    current = (
        public.filter(organisation=plan.organisation_id, kind=PublicationKind.ACTION_PLAN)
        .order_by("-version", "-pk")
        .first()
    )
    return review, current


@require_safe
def figure(request, slug: str, pk: int, figure_id: int):
    """A figure of a published self-assessment: only of the snapshot that was published."""
    publication = public_document(slug, pk, PublicationKind.SELF_ASSESSMENT)
    found = get_object_or_404(SnapshotFigure, pk=figure_id, snapshot_id=publication.snapshot_id)
    # A revision's figure never changes (its SHA-256 is part of what was signed), so its digest
    # is its ETag: a browser or proxy asks again after MAX_AGE (the publication may have been
    # withdrawn) and is answered 304 without the file being opened.
    etag = f'"{found.sha256}"'
    response = get_conditional_response(request, etag=etag)
    if response is None:
        content_type = "image/jpeg" if found.extension == "jpg" else f"image/{found.extension}"
        response = FileResponse(found.image.open("rb"), content_type=content_type)
    response["ETag"] = etag
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    return response


# --- Accessibility and open data -------------------------------------------------------------


class AccessibilityView(PublicPage):
    template_name = "publications/accessibility.html"

    def get_context_data(self, **kwargs):
        # ACCESSIBILITY_CONTACT_EMAIL names the team that answers; until it is set, the
        # portal's own sender address.
        contact = settings.ACCESSIBILITY_CONTACT_EMAIL or parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
        return super().get_context_data(contact_email=contact, **kwargs)


# The column names of the open data. They are a published interface: add columns at the end,
# never rename or remove one.
SIGNATORY_COLUMNS = [
    "name",
    "short_name",
    "slug",
    "kind",
    "nation",
    "status",
    "signed_on",
    "webpage",
    "contact_name",
    "contact_email",
    "page_url",
    "plan_url",
    "last_assessed_on",
    "next_due_on",
]

PLAN_COLUMNS = [
    "heading",
    "theme",
    "action",
    "description",
    "led_by",
    "led_by_names",
    "targets",
    "focus_years",
    "target_on",
    "success_criteria",
    "status",
    "status_label",
    "comment",
]

REVIEW_COLUMNS = [
    "organisation",
    "organisation_slug",
    "title",
    "version",
    "published_on",
    "page_url",
    "plan_title",
    "reviewed_on",
    "period_from",
    "period_to",
    "overall_status",
    "overall_label",
    "heading",
    "action",
    "status",
    "status_label",
    "comment",
]


class OpenDataView(PublicPage):
    """What the CSV and JSON files hold, column by column, and their licence."""

    template_name = "publications/open_data.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            signatory_columns=SIGNATORY_COLUMNS,
            plan_columns=PLAN_COLUMNS,
            review_columns=REVIEW_COLUMNS,
            kinds=OrganisationKind.choices,
            nations=Nation.choices,
            statuses=OrganisationStatus.choices,
            plan_statuses=Status.choices,
            licence=OPEN_DATA_LICENCE,
            **kwargs,
        )


def iso(value: date | None) -> str:
    return value.isoformat() if value else ""


def signatory_rows(request) -> list[dict]:
    rows = []
    for record in signatory_records(DirectoryForm(request.GET).filter(signatories())):
        slug, plan_id = record["slug"], record["current_plan_id"]
        plan_url = ""
        if plan_id:
            plan_url = request.build_absolute_uri(
                reverse("publications:plan_json", kwargs={"slug": slug, "pk": plan_id})
            )
        rows.append(
            {
                **{column: record[column] for column in SIGNATORY_COLUMNS if column in record},
                "signed_on": iso(record["signed_on"]),
                "page_url": request.build_absolute_uri(
                    reverse("publications:organisation", kwargs={"slug": slug})
                ),
                "plan_url": plan_url,
                "last_assessed_on": iso(record["last_assessed_on"]),
                "next_due_on": iso(record["next_due_on"]),
            }
        )
    return rows


def with_licence(response: HttpResponse) -> HttpResponse:
    """Every open data file names its licence in a Link header (RFC 8288, rel="license")."""
    response["Link"] = f'<{OPEN_DATA_LICENCE["url"]}>; rel="license"'
    return response


def csv_response(columns: list[str], rows: list[dict], filename: str) -> HttpResponse:
    """A CSV file with a UTF-8 byte-order mark, so that spreadsheets read its accents right."""
    buffer = io.StringIO()
    writer = csv_dict_writer(buffer, columns, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return with_licence(response)


def json_response(data: dict, filename: str) -> HttpResponse:
    response = HttpResponse(
        json.dumps({**data, "licence": OPEN_DATA_LICENCE}, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return with_licence(response)


@require_safe
@public
def signatories_csv(request):
    return csv_response(SIGNATORY_COLUMNS, signatory_rows(request), "signatories.csv")


@require_safe
@public
def signatories_json(request):
    rows = signatory_rows(request)
    return json_response({"count": len(rows), "signatories": rows}, "signatories.json")


def plan_filename(publication: Publication, extension: str) -> str:
    return f"{publication.organisation.slug}-action-plan-v{publication.version}.{extension}"


@require_safe
@public
def plan_csv(request, slug: str, pk: int):
    publication = public_document(slug, pk, PublicationKind.ACTION_PLAN)
    return csv_response(
        PLAN_COLUMNS, plan_actions(publication.content), plan_filename(publication, "csv")
    )


@require_safe
@public
def plan_json(request, slug: str, pk: int):
    publication = public_document(slug, pk, PublicationKind.ACTION_PLAN)
    page_url = request.build_absolute_uri(publication.get_absolute_url())
    return json_response(plan_data(publication, page_url), plan_filename(publication, "json"))


def progress_reviews(request) -> list[dict]:
    """Every published progress review, newest first, each with its page's address."""
    found = (
        Publication.objects.public()
        .filter(kind=PublicationKind.PROGRESS_REVIEW)
        .select_related("organisation")
        .order_by("-published_at", "-pk")
    )
    return [
        review_data(publication, request.build_absolute_uri(publication.get_absolute_url()))
        for publication in found
    ]


@require_safe
@public
def progress_reviews_csv(request):
    """One row per action of every published progress review."""
    rows = [
        {**review, **entry} for review in progress_reviews(request) for entry in review["entries"]
    ]
    return csv_response(
        REVIEW_COLUMNS,
        [{column: row[column] or "" for column in REVIEW_COLUMNS} for row in rows],
        "progress-reviews.csv",
    )


@require_safe
@public
def progress_reviews_json(request):
    reviews = progress_reviews(request)
    return json_response(
        {"count": len(reviews), "progress_reviews": reviews}, "progress-reviews.json"
    )
