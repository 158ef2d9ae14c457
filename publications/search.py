"""The search across every published plan and update paper: each action of the latest public
version of every published plan, and each achievement (and the next steps) of the latest public
version of every published update paper, is a row of PublishedAction, written when a plan, a
progress review of it or an update paper is published or withdrawn (``reindex_publication``).
PostgreSQL searches it by full text, ranked, with highlighted snippets; SQLite (development and
the default test run) by plain substrings.

PostgreSQL's headline leaves out anything shaped like an HTML tag from a snippet; the rest of
the text is kept. Snippets are built with two control characters around each match, which the
stored text never holds, and turned into HTML here: the text is escaped, only the marks become
<mark>."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.db import connection, transaction
from django.db.models import F, Q, QuerySet
from django.db.models.fields.json import KeyTextTransform
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from actionplans.enums import status_shape, status_word
from actionplans.layout import _folded, with_review_statuses
from publications.enums import PublicationKind
from publications.models import PUBLIC, Publication, PublishedAction, newest_review
from publications.queries import day, paper_periods, plan_view

START, STOP = "\x01", "\x02"
SNIPPET_WORDS = 30
# An organisation's hits: its plan's actions, then its update papers' rows (the kinds' names
# sort so), each document's in its own order (a paper's next steps, numbered 0, first).
ORDER = ("organisation__name", "publication__kind", "publication_id", "heading_number", "number")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _clean(text: str | None) -> str:
    return _CONTROL.sub(" ", text or "")


def full_text() -> bool:
    return connection.vendor == "postgresql"


def _models(apps) -> tuple[type[Publication], type[PublishedAction]]:
    """Publication and PublishedAction from ``apps``: the project's models, or a migration's
    historical ones (publications/migrations/0008), so both build the index with this code.
    Only fields are used here, never a model's methods or its manager's own queries."""
    if apps is None:
        return Publication, PublishedAction
    return apps.get_model("publications", "Publication"), apps.get_model(
        "publications", "PublishedAction"
    )


def _write(model, publication, rows: list) -> int:
    """Store a document's new rows (its old ones are deleted by the caller) and, on PostgreSQL,
    their search vectors: one path for plans and update papers."""
    model.objects.bulk_create(rows)
    if rows and full_text():
        model.objects.filter(publication=publication).update(
            search=SearchVector("title", weight="A", config="english")
            + SearchVector("heading", weight="C", config="english")
            + SearchVector("text", weight="B", config="english")
        )
    return len(rows)


@transaction.atomic
def reindex_plan(plan_id: int | None, apps=None) -> int:
    """Write the searchable rows of one ActionPlan from its latest public published version,
    with each action's status from the plan's latest public progress review; none when no
    version is public. Returns the number of rows."""
    if plan_id is None:
        return 0
    Publication, PublishedAction = _models(apps)
    PublishedAction.objects.filter(
        publication__kind=PublicationKind.ACTION_PLAN, publication__plan_id=plan_id
    ).delete()
    public = Publication.objects.filter(PUBLIC)
    plan = (
        public.filter(kind=PublicationKind.ACTION_PLAN, plan_id=plan_id)
        .select_related("plan")
        .order_by("-version", "-pk")
        .first()
    )
    if plan is None:
        return 0
    review = newest_review(
        public.filter(kind=PublicationKind.PROGRESS_REVIEW, review__plan_id=plan_id)
    )
    # As its public page shows it (publications.queries.public_plan_view), without the review's
    # address, which the index does not keep (and a historical model cannot give).
    content = plan_view(
        with_review_statuses(plan.content, review.content) if review else plan.content
    )
    reported = review_comments(review.content if review else {})
    starts_year = plan.plan.starts_on.year if plan.plan else None
    wording = content.get("wording") or {}
    rows = [
        PublishedAction(
            publication=plan,
            organisation_id=plan.organisation_id,
            heading_number=h,
            number=n,
            heading=_clean(heading.get("name"))[:250],
            theme=heading.get("theme") or "",
            title=_clean(action.get("title")),
            text="\n".join(
                [
                    *(
                        _clean(action.get(key))
                        for key in ("description", "success_criteria", "comment")
                        if action.get(key)
                    ),
                    *reported.get((_folded(heading.get("name")), _folded(action.get("title"))), []),
                ]
            ),
            status=action.get("status") or "",
            status_label=status_word(wording, action.get("status"))[:100],
            starts_year=starts_year,
        )
        for h, heading in enumerate(content["headings"], start=1)
        for n, action in enumerate(heading["actions"], start=1)
    ]
    return _write(PublishedAction, plan, rows)


@transaction.atomic
def reindex_update_paper(paper_id: int | None, apps=None) -> int:
    """Write the searchable rows of one UpdatePaper from its latest public published version:
    each achievement (under its plan period and heading, with the heading's theme) and its next
    steps; none when no version is public. An update paper has no status of its own (its
    achievements are what was done, whatever the actions' statuses now), so its rows have none
    and a search by status leaves them out; they take the plan's first year, as its actions do.
    Returns the number of rows."""
    if paper_id is None:
        return 0
    Publication, PublishedAction = _models(apps)
    PublishedAction.objects.filter(
        publication__kind=PublicationKind.UPDATE_PAPER, publication__update_paper_id=paper_id
    ).delete()
    paper = (
        Publication.objects.filter(
            PUBLIC, kind=PublicationKind.UPDATE_PAPER, update_paper_id=paper_id
        )
        .select_related("update_paper__review__plan")
        .order_by("-version", "-pk")
        .first()
    )
    if paper is None:
        return 0
    plan = paper.update_paper.review.plan
    common = {
        "publication": paper,
        "organisation_id": paper.organisation_id,
        "starts_year": plan.starts_on.year if plan.starts_on else None,
    }
    rows = [
        PublishedAction(
            heading_number=period["number"],
            number=achievement["number"],
            heading=_clean(f"{period.get('name') or ''}, {heading.get('name') or ''}")[:250],
            # Published before papers kept their headings' themes: none (never a guess).
            theme=heading.get("theme") or "",
            title=_clean(achievement.get("action") or f"Achievement, {period.get('name') or ''}"),
            text=_clean(achievement.get("text")),
            **common,
        )
        for period in paper_periods(paper.content)
        for heading in period["headings"]
        for achievement in heading["achievements"]
    ]
    if (paper.content.get("next_steps") or "").strip():
        rows.append(
            PublishedAction(
                heading_number=0,
                number=0,
                title="Next steps",
                text=_clean(paper.content["next_steps"]),
                **common,
            )
        )
    return _write(PublishedAction, paper, rows)


def review_comments(review: dict) -> dict[tuple[str, str], list[str]]:
    """What the plan's latest published progress review says of each action (its comment), by
    heading and title as the plan's page matches them: the report's words are found with the
    action they speak of."""
    found: dict[tuple[str, str], list[str]] = defaultdict(list)
    for heading in review.get("headings") or []:
        for entry in heading.get("entries") or []:
            if entry.get("comment"):
                key = (_folded(heading.get("name")), _folded(entry.get("title")))
                found[key].append(_clean(entry["comment"]))
    return found


def reindex_publication(publication: Publication) -> None:
    """After a plan, a progress review or an update paper was published or withdrawn: the rows
    of its plan, or of its update paper, again. The one way the index is written (with
    ``reindex_all``, which rebuilds it through the same functions)."""
    if publication.kind == PublicationKind.ACTION_PLAN:
        reindex_plan(publication.plan_id)
    elif publication.kind == PublicationKind.PROGRESS_REVIEW:
        reindex_plan(publication.review.plan_id if publication.review_id else None)
    elif publication.kind == PublicationKind.UPDATE_PAPER:
        reindex_update_paper(publication.update_paper_id)


@transaction.atomic
def reindex_all(apps=None) -> int:
    """Every published plan's and update paper's rows, from scratch (after a migration or a
    restore); ``apps`` is a migration's registry (publications/migrations/0008)."""
    Publication, PublishedAction = _models(apps)
    PublishedAction.objects.all().delete()
    public = Publication.objects.filter(PUBLIC)
    plan_ids = public.filter(kind=PublicationKind.ACTION_PLAN).values_list("plan_id", flat=True)
    paper_ids = public.filter(kind=PublicationKind.UPDATE_PAPER).values_list(
        "update_paper_id", flat=True
    )
    return sum(reindex_plan(plan_id, apps) for plan_id in set(plan_ids)) + sum(
        reindex_update_paper(paper_id, apps) for paper_id in set(paper_ids)
    )


# --- Finding ---------------------------------------------------------------------------------


def find(words: str, filters: dict) -> QuerySet[PublishedAction]:
    """The actions and update papers' achievements that hold every word (PostgreSQL: their
    stems), best first; filtered by theme, status, nation, kind and the plan's first year. An
    organisation's plan comes before its update papers (then each document in its order)."""
    found = (
        PublishedAction.objects.select_related("organisation", "publication")
        # A hit needs none of its document's content: its status word is stored with it, and an
        # update paper's date is read here, in the same query.
        .defer("publication__content")
        .annotate(paper_dated_on=KeyTextTransform("dated_on", "publication__content"))
    )
    for key, lookup in (
        ("theme", "theme"),
        ("status", "status"),
        ("nation", "organisation__nation"),
        ("kind", "organisation__kind"),
        ("cycle", "starts_year"),
    ):
        if filters.get(key):
            found = found.filter(**{lookup: filters[key]})
    words = _clean(words).strip()
    if not words:
        return found.order_by(*ORDER)
    if full_text():
        query = SearchQuery(words, search_type="websearch", config="english")
        return (
            found.filter(search=query)
            .annotate(
                # The stored vector itself (a name alone would be parsed again, row by row).
                rank=SearchRank(F("search"), query),
            )
            .order_by("-rank", *ORDER)
        )
    for word in words.split():
        found = found.filter(
            Q(title__icontains=word) | Q(text__icontains=word) | Q(heading__icontains=word)
        )
    return found.order_by(*ORDER)


def marked(text: str, words: list[str]) -> str:
    """``text`` with START and STOP around each (case-insensitive) occurrence of the words."""
    if not words:
        return text
    pattern = re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE)
    return pattern.sub(lambda m: f"{START}{m.group(0)}{STOP}", text)


def plain_snippet(text: str, words: list[str]) -> str:
    """Up to SNIPPET_WORDS words of ``text`` around the first match, marked (SQLite)."""
    tokens = text.split()
    lowered = [w.casefold() for w in words]
    first = next(
        (i for i, token in enumerate(tokens) if any(w in token.casefold() for w in lowered)), 0
    )
    start = max(0, first - SNIPPET_WORDS // 3)
    shown = " ".join(tokens[start : start + SNIPPET_WORDS])
    return marked(shown, words)


def as_html(text: str) -> SafeString:
    """Marked text as HTML: everything escaped, then the marks made <mark> elements."""
    if text.count(START) != text.count(STOP):  # never from our own marks; be safe anyway
        text = text.replace(START, "").replace(STOP, "")
    escaped = escape(text)
    return mark_safe(escaped.replace(START, "<mark>").replace(STOP, "</mark>"))  # noqa: S308


@dataclass
class Hit:
    action: PublishedAction
    title: SafeString
    snippet: SafeString
    status_label: str
    status_shape: str
    history: list[dict] = field(default_factory=list)
    paper_dated_on: date | None = None  # an update paper's own date; None for a plan's action


def hits(actions: list[PublishedAction], words: str) -> list[Hit]:
    """The page's actions as hits: highlighted title and snippet, status word and shape, and
    the action's status in each published progress review of its plan (oldest first), from one
    query however many hits there are."""
    plan_ids = {a.publication.plan_id for a in actions} - {None}
    reviews = defaultdict(list)
    for review in (
        Publication.objects.public()
        .filter(kind=PublicationKind.PROGRESS_REVIEW, review__plan_id__in=plan_ids)
        .select_related("organisation", "review")
    ):
        reviews[review.review.plan_id].append(review)
    terms = _clean(words).split()
    snippets = headlines([a.pk for a in actions], words) if full_text() and terms else {}
    found = []
    for action in actions:
        action.publication.organisation = action.organisation  # its address, without a query
        # Titles are marked here on either database: PostgreSQL's headline drops anything that
        # looks like an HTML tag, and a title is shown whole.
        title = marked(action.title, [t.strip('"-') for t in terms if t.strip('"-')])
        if full_text():
            snippet = snippets.get(action.pk, "")
        else:
            snippet = plain_snippet(action.text, terms) if action.text else ""
        found.append(
            Hit(
                action=action,
                title=as_html(title),
                snippet=as_html(snippet),
                status_label=action.status_label,
                status_shape=status_shape(action.status),
                history=status_history(action, reviews[action.publication.plan_id])
                if action.publication.plan_id
                else [],
                paper_dated_on=day(getattr(action, "paper_dated_on", None))
                if action.from_paper
                else None,
            )
        )
    return found


def headlines(ids: list[int], words: str) -> dict[int, str]:
    """PostgreSQL's marked snippets of the page's actions only (a headline costs more than the
    search itself, so never for every match): one query."""
    query = SearchQuery(_clean(words), search_type="websearch", config="english")
    return dict(
        PublishedAction.objects.filter(pk__in=ids)
        .annotate(
            snippet=SearchHeadline(
                "text",
                query,
                config="english",
                start_sel=START,
                stop_sel=STOP,
                max_words=SNIPPET_WORDS,
                min_words=12,
            )
        )
        .values_list("pk", "snippet")
    )


def status_history(action: PublishedAction, reviews: list[Publication]) -> list[dict]:
    """The action's status in each published review of its plan, oldest first (matched as the
    plan's page matches them: same heading and title, or the same title alone when unique)."""
    history = []
    for review in sorted(reviews, key=lambda r: (r.content.get("reviewed_on") or "", r.version)):
        content = review.content
        by_place, by_title = {}, defaultdict(list)
        for heading in content.get("headings") or []:
            for entry in heading.get("entries") or []:
                by_place[(_folded(heading.get("name")), _folded(entry.get("title")))] = entry
                by_title[_folded(entry.get("title"))].append(entry)
        entry = by_place.get((_folded(action.heading), _folded(action.title)))
        if entry is None and len(by_title[_folded(action.title)]) == 1:
            entry = by_title[_folded(action.title)][0]
        if entry and entry.get("status"):
            wording = content.get("wording") or {}
            history.append(
                {
                    "reviewed_on": day(content.get("reviewed_on")),
                    "status": entry["status"],
                    "label": status_word(wording, entry["status"]),
                    "shape": status_shape(entry["status"]),
                    "url": review.get_absolute_url(),
                    "title": review.title,
                }
            )
    return history
