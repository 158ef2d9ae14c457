"""Public pages, open to everyone without signing in: the signatory directory, an organisation's
page, its published documents, the accessibility statement and the open data.

Everything here starts from ``Publication.objects.public()``: a draft, a withdrawn document or
anything a reviewer wrote is never in reach of these views."""

from __future__ import annotations

import io
import json
from collections import Counter
from datetime import date
from email.utils import parseaddr

from django import forms
from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView

from actionplans.enums import Status, status_word
from actionplans.layout import plan_layout
from assessments.enums import QuestionKind
from publications.enums import PublicationKind
from publications.models import Publication
from signatories.enums import Nation, OrganisationKind, OrganisationStatus
from signatories.models import Organisation
from submissions.models import SnapshotFigure
from techcommit.spreadsheets import csv_dict_writer

PAGE_SIZE = 50


# --- The directory --------------------------------------------------------------------------


class DirectoryForm(forms.Form):
    SORTS = {
        "name": ("Name (A to Z)", ["name"]),
        "newest": ("Date signed (most recent first)", ["-signed_on", "name"]),
        "oldest": ("Date signed (earliest first)", ["signed_on", "name"]),
    }

    q = forms.CharField(label="Name contains", required=False, max_length=100)
    kind = forms.ChoiceField(
        label="Kind", required=False, choices=[("", "Any kind"), *OrganisationKind.choices]
    )
    nation = forms.ChoiceField(
        label="Nation", required=False, choices=[("", "Anywhere"), *Nation.choices]
    )
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[("", "Any status"), *OrganisationStatus.choices],
    )
    sort = forms.ChoiceField(
        label="Sort by",
        required=False,
        choices=[(key, label) for key, (label, _) in SORTS.items()],
    )

    def filter(self, organisations: QuerySet[Organisation]) -> QuerySet[Organisation]:
        """The organisations the form asks for; an invalid field is ignored, not an error."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        if words := (data.get("q") or "").strip():
            organisations = organisations.filter(
                Q(name__icontains=words) | Q(short_name__icontains=words)
            )
        for field in ("kind", "nation", "status"):
            if data.get(field):
                organisations = organisations.filter(**{field: data[field]})
        _, ordering = self.SORTS.get(data.get("sort") or "name", self.SORTS["name"])
        return organisations.order_by(*ordering)


def signatories() -> QuerySet[Organisation]:
    """Every organisation, each with the id of its current published action plan (or None),
    in one query however many there are."""
    current_plan = (
        Publication.objects.public()
        .filter(organisation=OuterRef("pk"), kind=PublicationKind.ACTION_PLAN)
        .order_by("-version")
        .values("pk")[:1]
    )
    return Organisation.objects.annotate(current_plan_id=Subquery(current_plan))


class PublicPage(TemplateView):
    """A page anyone may read, signed in or not. Reading changes nothing, so GET only."""

    http_method_names = ["get", "head"]


class DirectoryView(PublicPage):
    """Search, filters and sorting in a GET form, so it works without JavaScript; 50 a page."""

    template_name = "publications/directory.html"

    def get_context_data(self, **kwargs):
        form = DirectoryForm(self.request.GET)
        page = Paginator(form.filter(signatories()), PAGE_SIZE).get_page(
            self.request.GET.get("page")
        )
        query = self.request.GET.copy()
        query.pop("page", None)
        return super().get_context_data(
            form=form,
            page_obj=page,
            count=page.paginator.count,
            query=query.urlencode(),
            **kwargs,
        )


# --- An organisation and its documents -------------------------------------------------------


def plan_view(content: dict) -> dict:
    """A published plan's content, ready for the page: each action with its owners spelled out
    and its status word (as the plan table has them), and a summary of statuses by heading."""
    wording = content.get("wording") or {}
    laid_out = plan_layout(content)["headings"]
    headings = []
    for heading, laid in zip(content.get("headings") or [], laid_out, strict=True):
        actions = [
            {**action, "owners": row["owners"], "status_label": row["status_word"]}
            for action, row in zip(heading.get("actions") or [], laid["rows"], strict=True)
        ]
        found = Counter(a.get("status") for a in actions)
        summary = [
            {"status": status.value, "label": status_word(wording, status), "count": found[status]}
            for status in Status
            if found[status]
        ]
        headings.append({**heading, "actions": actions, "summary": summary})
    return {**content, "headings": headings}


def day(value: str | None) -> date | None:
    """An ISO date from published content, for the templates to format."""
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def review_view(content: dict) -> dict:
    overall = content.get("overall_status") or ""
    return {
        **content,
        "reviewed_on": day(content.get("reviewed_on")),
        "period_from": day(content.get("period_from")),
        "period_to": day(content.get("period_to")),
        "overall_label": status_word(content.get("wording"), overall),
    }


def self_assessment_view(publication: Publication) -> dict:
    """The published self-assessment as it was stored (already without private answers:
    publications.redaction), with the public addresses of its figures."""
    content = publication.content
    document = content.get("document") or {}
    figures: dict[str, list[SnapshotFigure]] = {}
    for figure in SnapshotFigure.objects.filter(snapshot_id=publication.snapshot_id):
        figures.setdefault(figure.question_key, []).append(figure)
    sections = []
    for section in document.get("sections") or []:
        questions = []
        for question in section.get("questions") or []:
            question = {**question}
            if question.get("kind") == QuestionKind.FIGURES:
                question["figure_rows"] = figures.get(question.get("key"), [])
            questions.append(question)
        sections.append({**section, "questions": questions})
    plan = document.get("plan")
    return {
        "document": {**document, "sections": sections},
        "plan": plan_view(plan) if plan else None,
        "revision": content.get("revision"),
        "submitted_on": day(content.get("submitted_on")),
        "sign_offs": [
            {**signed, "signed_on": day(signed.get("signed_on"))}
            for signed in content.get("sign_offs") or []
        ],
        "sign_off_note": content.get("sign_off_note", ""),
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
        Publication.objects.public().filter(organisation=signatory).order_by("-version", "-pk")
    )
    plan = next((p for p in publications if p.kind == PublicationKind.ACTION_PLAN), None)
    review = max(
        (p for p in publications if p.kind == PublicationKind.PROGRESS_REVIEW),
        key=lambda p: (p.content.get("reviewed_on") or "", p.version),
        default=None,
    )
    shown = {p.pk for p in (plan, review) if p}
    archive = sorted(
        (p for p in publications if p.pk not in shown),
        key=lambda p: (p.published_at, p.pk),
        reverse=True,
    )
    return {
        "signatory": signatory,
        "plan": plan,
        "plan_content": plan_view(plan.content) if plan else None,
        "review": review,
        "review_content": review_view(review.content) if review else None,
        "archive": archive,
    }


def public_document(slug: str, pk: int, kind: str | None = None) -> Publication:
    """A published, not withdrawn document of the organisation with this slug, or 404."""
    found = Publication.objects.public().select_related("organisation")
    if kind:
        found = found.filter(kind=kind)
    return get_object_or_404(found, pk=pk, organisation__slug=slug)


class DocumentView(PublicPage):
    """A published self-assessment, plan or progress review, from its frozen content."""

    template_name = "publications/document.html"

    def get_context_data(self, **kwargs):
        publication = public_document(self.kwargs["slug"], self.kwargs["pk"])
        context = {"signatory": publication.organisation, "publication": publication}
        if publication.kind == PublicationKind.ACTION_PLAN:
            context["plan_content"] = plan_view(publication.content)
        elif publication.kind == PublicationKind.PROGRESS_REVIEW:
            context["review_content"] = review_view(publication.content)
        else:
            context["assessment"] = self_assessment_view(publication)
        return super().get_context_data(**context, **kwargs)


@require_safe
def figure(request, slug: str, pk: int, figure_id: int):
    """A figure of a published self-assessment: only of the snapshot that was published."""
    publication = public_document(slug, pk, PublicationKind.SELF_ASSESSMENT)
    found = get_object_or_404(SnapshotFigure, pk=figure_id, snapshot_id=publication.snapshot_id)
    content_type = "image/jpeg" if found.extension == "jpg" else f"image/{found.extension}"
    return FileResponse(found.image.open("rb"), content_type=content_type)


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


class OpenDataView(PublicPage):
    """What the CSV and JSON files hold, column by column."""

    template_name = "publications/open_data.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            signatory_columns=SIGNATORY_COLUMNS,
            plan_columns=PLAN_COLUMNS,
            kinds=OrganisationKind.choices,
            nations=Nation.choices,
            statuses=OrganisationStatus.choices,
            plan_statuses=Status.choices,
            **kwargs,
        )


def signatory_rows(request) -> list[dict]:
    organisations = DirectoryForm(request.GET).filter(signatories())
    rows = []
    for org in organisations:
        plan_url = ""
        if org.current_plan_id:
            plan_url = request.build_absolute_uri(
                reverse(
                    "publications:plan_json", kwargs={"slug": org.slug, "pk": org.current_plan_id}
                )
            )
        rows.append(
            {
                "name": org.name,
                "short_name": org.short_name,
                "slug": org.slug,
                "kind": org.kind,
                "nation": org.nation,
                "status": org.status,
                "signed_on": org.signed_on.isoformat(),
                "webpage": org.webpage,
                "contact_name": org.contact_name,
                "contact_email": org.contact_email,
                "page_url": request.build_absolute_uri(
                    reverse("publications:organisation", kwargs={"slug": org.slug})
                ),
                "plan_url": plan_url,
            }
        )
    return rows


def csv_response(columns: list[str], rows: list[dict], filename: str) -> HttpResponse:
    buffer = io.StringIO()
    writer = csv_dict_writer(buffer, columns, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def json_response(data: dict, filename: str) -> HttpResponse:
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@require_safe
def signatories_csv(request):
    return csv_response(SIGNATORY_COLUMNS, signatory_rows(request), "signatories.csv")


@require_safe
def signatories_json(request):
    rows = signatory_rows(request)
    return json_response({"count": len(rows), "signatories": rows}, "signatories.json")


def plan_actions(content: dict) -> list[dict]:
    """One row per action of a published plan, in the plan's order, by PLAN_COLUMNS."""
    plan = plan_view(content)
    return [
        {
            "heading": heading.get("name", ""),
            "theme": heading.get("theme") or "",
            "action": action.get("title", ""),
            "description": action.get("description", ""),
            "led_by": action.get("led_by", ""),
            "led_by_names": "; ".join(action["owners"]),
            "targets": "; ".join(
                f"{phase}: {month}" for phase, month in (action.get("targets") or {}).items()
            ),
            "focus_years": "; ".join(str(y) for y in action.get("focus_years") or []),
            "target_on": action.get("target_on") or "",
            "success_criteria": action.get("success_criteria", ""),
            "status": action.get("status", ""),
            "status_label": action["status_label"],
            "comment": action.get("comment", ""),
        }
        for heading in plan["headings"]
        for action in heading["actions"]
    ]


def plan_filename(publication: Publication, extension: str) -> str:
    return f"{publication.organisation.slug}-action-plan-v{publication.version}.{extension}"


@require_safe
def plan_csv(request, slug: str, pk: int):
    publication = public_document(slug, pk, PublicationKind.ACTION_PLAN)
    return csv_response(
        PLAN_COLUMNS, plan_actions(publication.content), plan_filename(publication, "csv")
    )


@require_safe
def plan_json(request, slug: str, pk: int):
    publication = public_document(slug, pk, PublicationKind.ACTION_PLAN)
    content = publication.content
    wording = content.get("wording") or {}
    descriptions = content.get("wording_descriptions") or {}
    data = {
        "organisation": publication.organisation.name,
        "organisation_slug": publication.organisation.slug,
        "title": publication.title,
        "version": publication.version,
        "published_on": publication.published_at.date().isoformat(),
        "page_url": request.build_absolute_uri(publication.get_absolute_url()),
        "period": content.get("period", ""),
        "phases": content.get("phases") or [],
        "key": content.get("key") or [],
        "status_wording": [
            {
                "status": status.value,
                "label": status_word(wording, status),
                "description": descriptions.get(status, ""),
            }
            for status in Status
        ],
        "actions": plan_actions(content),
    }
    return json_response(data, plan_filename(publication, "json"))
