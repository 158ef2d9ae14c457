"""What the public may read, in one place for the public pages, the open data and the API.

Everything here starts from ``Publication.objects.public()``: a draft, a withdrawn document or
anything a reviewer wrote is never in reach."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date, datetime

from django.core.cache import caches
from django.db.models import Max, OuterRef, Q, QuerySet, Subquery
from django.db.models.fields.json import KT
from django.shortcuts import get_object_or_404
from django.utils.safestring import mark_safe

from actionplans.enums import Status, status_shape, status_word
from actionplans.layout import plan_layout, with_review_statuses
from actionplans.queries import status_counts
from assessments.services import due_dates_for
from publications.enums import PublicationKind
from publications.models import Publication, paper_anchor
from publications.pdf import download_name
from signatories.models import Organisation
from techcommit.public_cache import PAGE_TIMEOUT, public_changed
from techcommit.text import sanitise_html


def signatories() -> QuerySet[Organisation]:
    """Every organisation, each with the id of its current published action plan (or None)
    and the date and overall status of its latest published progress review (or None), in one
    query however many there are."""
    current_plan = (
        Publication.objects.public()
        .filter(organisation=OuterRef("pk"), kind=PublicationKind.ACTION_PLAN)
        .order_by("-version")
        .values("pk")[:1]
    )
    latest_review = (
        Publication.objects.public()
        .filter(organisation=OuterRef("pk"), kind=PublicationKind.PROGRESS_REVIEW)
        .annotate(reviewed_on=KT("content__reviewed_on"))
        .order_by("-reviewed_on", "-version")
    )
    return Organisation.objects.annotate(
        current_plan_id=Subquery(current_plan),
        # The latest published progress review's date (ISO text) and overall status.
        last_reviewed_on=Subquery(latest_review.values("reviewed_on")[:1]),
        last_review_status=Subquery(
            latest_review.annotate(overall=KT("content__overall_status")).values("overall")[:1]
        ),
    )


def plan_view(content: dict) -> dict:
    """A published plan's content, ready for the page: each action with its owners spelled out
    and its status word (as the plan table has them), and a summary of statuses by heading."""
    wording = content.get("wording") or {}
    laid_out = plan_layout(content)["headings"]
    headings = []
    for heading, laid in zip(content.get("headings") or [], laid_out, strict=True):
        actions = [
            {
                **action,
                "owners": row["owners"],
                "status_label": row["status_word"],
                "status_shape": row["status_shape"],
            }
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


def public_plan_view(
    plan: Publication, review: Publication | None, current: Publication | None = None
) -> dict:
    """A published plan for its public page. The current version takes each action's status
    from ``review``, the latest published progress review of the same plan, and says as of
    when; an earlier version (``current`` is a later one) keeps the statuses it was published
    with and says that it has been replaced."""
    content = plan.content
    if current is not None and current.pk != plan.pk:
        content = {
            **content,
            "superseded_by": {
                "url": current.get_absolute_url(),
                "version": current.version,
                "published_on": current.published_at,
            },
            "published_on": plan.published_at,
        }
    elif review is not None:
        content = with_review_statuses(
            content, review.content, title=review.title, url=review.get_absolute_url()
        )
    elif content.get("status_as_of"):  # the review it was published with is withdrawn since
        content = {**content, "status_as_of": {**content["status_as_of"], "url": ""}}
    return plan_view(content)


def day(value: str | None) -> date | None:
    """An ISO date from published content, for the templates to format."""
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def review_view(content: dict) -> dict:
    wording = content.get("wording") or {}
    headings = []
    for heading in content.get("headings") or []:
        entries = [
            {
                **entry,
                "status_label": status_word(wording, entry.get("status")),
                "status_shape": status_shape(entry.get("status")),
            }
            for entry in heading.get("entries") or []
        ]
        headings.append({**heading, "entries": entries})
    overall = content.get("overall_status") or ""
    return {
        **content,
        "headings": headings,
        "counts": status_counts(e.get("status") for h in headings for e in h["entries"]),
        "heading_counts": [
            (h.get("name", ""), status_counts(e.get("status") for e in h["entries"]))
            for h in headings
        ],
        "reviewed_on": day(content.get("reviewed_on")),
        "period_from": day(content.get("period_from")),
        "period_to": day(content.get("period_to")),
        "overall_label": status_word(wording, overall) if overall else "",
        "overall_shape": status_shape(overall),
    }


def update_paper_view(content: dict) -> dict:
    """A published (or previewed) update paper's content as its page and PDF draw it: its
    dates as dates, its review as ``review_view`` gives it (the RAG table and counts), and each
    achievement with the ``anchor`` the search links to (``paper_anchor``)."""
    return {
        **content,
        "periods": paper_periods(content),
        "dated_on": day(content.get("dated_on")),
        # Sanitised when typed and when frozen; once more here, so no reader shows more.
        "introduction": mark_safe(sanitise_html(content.get("introduction") or "", headings=True)),  # noqa: S308
        "feedback_on": day(content.get("feedback_on")),
        "next_steps_due_on": day(content.get("next_steps_due_on")),
        "review": review_view(content.get("review") or {}),
    }


def paper_periods(content: dict) -> list[dict]:
    """An update paper's plan periods, each achievement with its ``anchor``: numbered in its
    period, across the period's headings (the search's rows are numbered the same way)."""
    periods = []
    for p, period in enumerate(content.get("periods") or [], start=1):
        n, headings = 0, []
        for heading in period.get("headings") or []:
            found = []
            for achievement in heading.get("achievements") or []:
                n += 1
                found.append({**achievement, "anchor": paper_anchor(p, n), "number": n})
            headings.append({**heading, "achievements": found})
        periods.append({**period, "number": p, "headings": headings})
    return periods


def public_documents(
    kind: str | None = None, organisation: str | None = None
) -> QuerySet[Publication]:
    """Public documents, newest first; of one kind, of one organisation (its slug)."""
    found = Publication.objects.public().select_related("organisation")
    if kind:
        found = found.filter(kind=kind)
    if organisation:
        found = found.filter(organisation__slug=organisation)
    return found.order_by("-published_at", "-pk")


def public_document(slug: str, pk: int, kind: str | None = None) -> Publication:
    """A published, not withdrawn document of the organisation with this slug, or 404."""
    found = Publication.objects.public().select_related("organisation")
    if kind:
        found = found.filter(kind=kind)
    return get_object_or_404(found, pk=pk, organisation__slug=slug)


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


# --- Open data and the API --------------------------------------------------------------------

# The licence of everything the portal publishes as data: the UK public sector's usual one.
OPEN_DATA_LICENCE = {
    "name": "Open Government Licence v3.0",
    "url": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
}


def signatory_records(organisations: Iterable[Organisation]) -> list[dict]:
    """The public facts of each organisation (from ``signatories()``), with when its last
    self-assessment was submitted and when the next is due (None when none is expected)."""
    organisations = list(organisations)
    due = due_dates_for(organisations)
    return [
        {
            "name": org.name,
            "short_name": org.short_name,
            "slug": org.slug,
            "kind": org.kind,
            "nation": org.nation,
            "status": org.status,
            "signed_on": org.signed_on,
            "webpage": org.webpage,
            "contact_name": org.contact_name,
            "contact_email": org.contact_email,
            "last_assessed_on": org.last_assessed_on,
            "next_due_on": due[org.pk].due_on if due[org.pk] else None,
            "current_plan_id": org.current_plan_id,
        }
        for org in organisations
    ]


def published_facts(publication: Publication, page_url: str) -> dict:
    """Whose a publication is, what it is called, and when and where it was published."""
    return {
        "organisation": publication.organisation.name,
        "organisation_slug": publication.organisation.slug,
        "title": publication.title,
        "version": publication.version,
        "published_on": publication.published_at.date().isoformat(),
        "page_url": page_url,
    }


def plan_data(publication: Publication, page_url: str) -> dict:
    """A published plan with every action and its status, as the open data and the API give
    it."""
    content = publication.content
    wording = content.get("wording") or {}
    descriptions = content.get("wording_descriptions") or {}
    return {
        **published_facts(publication, page_url),
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


def review_entries(content: dict) -> list[dict]:
    """One row per action of a published progress review, in the review's order."""
    review = review_view(content)
    return [
        {
            "heading": heading.get("name", ""),
            "action": entry.get("title", ""),
            "status": entry.get("status") or "",
            "status_label": entry["status_label"],
            "comment": entry.get("comment", ""),
        }
        for heading in review["headings"]
        for entry in heading["entries"]
    ]


def review_data(publication: Publication, page_url: str) -> dict:
    """A published progress review: its period, overall status, summary and every action's
    status, as the open data and the API give it."""
    content = publication.content
    review = review_view(content)
    return {
        **published_facts(publication, page_url),
        "plan_title": content.get("plan_title", ""),
        "reviewed_on": content.get("reviewed_on") or None,
        "period_from": content.get("period_from") or None,
        "period_to": content.get("period_to") or None,
        "author": content.get("author", ""),
        "overall_status": content.get("overall_status") or "",
        "overall_label": review["overall_label"],
        "summary": content.get("summary", ""),
        "entries": review_entries(content),
    }


def published_pdf(slug: str, pk: int) -> dict | None:
    """What serving a public document's ready PDF needs (its stored name, token and download
    name), or None when it is not public or not ready. Looked up once per public change
    (techcommit.public_cache) and then kept, so a download costs no query of its own."""
    key = f"publication-pdf:{public_changed()}:{slug}:{pk}"
    pages = caches["pages"]
    found = pages.get(key)
    if found is None:
        publication = (
            Publication.objects.public()
            .select_related("organisation")
            .filter(organisation__slug=slug, pk=pk)
            .first()
        )
        found = {"ready": False}
        if publication and publication.pdf_token:
            found = {
                "ready": True,
                "name": publication.pdf.name,
                "token": publication.pdf_token,
                "filename": download_name(
                    publication.organisation, publication.kind, publication.version
                ),
            }
        pages.set(key, found, PAGE_TIMEOUT)
    return found if found["ready"] else None


def last_published() -> datetime | None:
    """When the set of public documents last changed: a publication or a withdrawal."""
    found = Publication.objects.aggregate(
        published=Max("published_at"), withdrawn=Max("withdrawn_at")
    )
    return max((t for t in found.values() if t), default=None)


# The order of a cycle's documents in the archive: what was assessed, what was planned, then
# how it went (newest review first).
KIND_ORDER = {
    PublicationKind.SELF_ASSESSMENT: 0,
    PublicationKind.ACTION_PLAN: 1,
    PublicationKind.PROGRESS_REVIEW: 2,
    PublicationKind.UPDATE_PAPER: 3,
}


def archive_by_cycle(signatory: Organisation, publications: list[Publication]) -> list[dict]:
    """An organisation's public documents grouped by cycle, newest cycle first.

    A cycle is an action plan: its self-assessment, the plan and its progress reviews, and, for
    a plan of an earlier cycle approved before the portal, the original PDF once the lead chose
    to show it. A self-assessment with no plan is a cycle of its own. ``publications`` are the
    public ones, annotated with ``review_plan_id``, ``paper_plan_id``, ``assessment_plan_id`` and
    ``assessment_due_on`` (``organisation_context``); the plans come in one more query."""
    from actionplans.models import ActionPlan  # a cycle's plan, as it is recorded

    def plan_of(publication: Publication) -> int | None:
        return (
            publication.plan_id
            or publication.review_plan_id
            or publication.paper_plan_id
            or publication.assessment_plan_id
        )

    plan_ids = {plan_of(p) for p in publications} - {None}
    plans = {
        plan.pk: plan
        for plan in ActionPlan.objects.filter(
            Q(pk__in=plan_ids)
            | Q(organisation=signatory, original_public=True) & ~Q(original_pdf="")
        )
    }
    cycles: dict[object, dict] = {
        pk: {"plan": plan, "starts_on": plan.starts_on, "documents": []}
        for pk, plan in plans.items()
    }
    for publication in publications:
        key = plan_of(publication) or ("assessment", publication.pk)
        cycle = cycles.setdefault(
            key,
            {"plan": None, "starts_on": publication.assessment_due_on, "documents": []},
        )
        cycle["documents"].append(publication)
    for cycle in cycles.values():
        plan = cycle["plan"]
        cycle["original"] = plan if plan is not None and plan.has_public_original else None
        cycle["documents"].sort(
            key=lambda p: (KIND_ORDER[p.kind], -p.published_at.timestamp(), -p.pk)
        )
    return sorted(
        (c for c in cycles.values() if c["documents"] or c["original"]),
        key=lambda c: c["starts_on"] or date.min,
        reverse=True,
    )
