"""The search across every published plan: each action of the latest public version of every
published plan is a row of PublishedAction, written when a plan or a progress review of it is
published or withdrawn (``reindex_plan``). PostgreSQL searches it by full text, ranked, with
highlighted snippets; SQLite (development and the default test run) by plain substrings.

PostgreSQL's headline leaves out anything shaped like an HTML tag from a snippet; the rest of
the text is kept. Snippets are built with two control characters around each match, which the
stored text never holds, and turned into HTML here: the text is escaped, only the marks become
<mark>."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.db import connection, transaction
from django.db.models import F, Q, QuerySet
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from actionplans.enums import status_shape, status_word
from actionplans.layout import _folded
from publications.enums import PublicationKind
from publications.models import Publication, PublishedAction, newest_review
from publications.queries import day, public_plan_view

START, STOP = "\x01", "\x02"
SNIPPET_WORDS = 30
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _clean(text: str | None) -> str:
    return _CONTROL.sub(" ", text or "")


def full_text() -> bool:
    return connection.vendor == "postgresql"


@transaction.atomic
def reindex_plan(plan_id: int | None) -> int:
    """Write the searchable rows of one ActionPlan from its latest public published version,
    with each action's status from the plan's latest public progress review; none when no
    version is public. Returns the number of rows."""
    if plan_id is None:
        return 0
    PublishedAction.objects.filter(publication__plan_id=plan_id).delete()
    public = Publication.objects.public()
    plan = (
        public.filter(kind=PublicationKind.ACTION_PLAN, plan_id=plan_id)
        .select_related("plan")
        .order_by("-version", "-pk")
        .first()
    )
    if plan is None:
        return 0
    review = newest_review(public.reviews_of_plan(plan_id).select_related("organisation"))
    content = public_plan_view(plan, review)
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
    PublishedAction.objects.bulk_create(rows)
    if full_text():
        PublishedAction.objects.filter(publication=plan).update(
            search=SearchVector("title", weight="A", config="english")
            + SearchVector("heading", weight="C", config="english")
            + SearchVector("text", weight="B", config="english")
        )
    return len(rows)


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
    """After a plan or a progress review was published or withdrawn: its plan's rows again."""
    if publication.kind == PublicationKind.ACTION_PLAN:
        reindex_plan(publication.plan_id)
    elif publication.kind == PublicationKind.PROGRESS_REVIEW:
        reindex_plan(publication.review.plan_id if publication.review_id else None)


def reindex_all() -> int:
    """Every published plan's rows, from scratch (after a migration or a restore)."""
    PublishedAction.objects.all().delete()
    plan_ids = (
        Publication.objects.public()
        .filter(kind=PublicationKind.ACTION_PLAN)
        .values_list("plan_id", flat=True)
        .distinct()
    )
    return sum(reindex_plan(plan_id) for plan_id in set(plan_ids))


# --- Finding ---------------------------------------------------------------------------------


def find(words: str, filters: dict) -> QuerySet[PublishedAction]:
    """The actions that hold every word (PostgreSQL: their stems), best first; filtered by
    theme, status, nation, kind and the plan's first year."""
    found = (
        PublishedAction.objects.select_related("organisation", "publication")
        # A hit needs none of its plan's content: its status word is stored with it.
        .defer("publication__content")
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
        return found.order_by("organisation__name", "heading_number", "number")
    if full_text():
        query = SearchQuery(words, search_type="websearch", config="english")
        return (
            found.filter(search=query)
            .annotate(
                # The stored vector itself (a name alone would be parsed again, row by row).
                rank=SearchRank(F("search"), query),
            )
            .order_by("-rank", "organisation__name", "heading_number", "number")
        )
    for word in words.split():
        found = found.filter(
            Q(title__icontains=word) | Q(text__icontains=word) | Q(heading__icontains=word)
        )
    return found.order_by("organisation__name", "heading_number", "number")


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


def hits(actions: list[PublishedAction], words: str) -> list[Hit]:
    """The page's actions as hits: highlighted title and snippet, status word and shape, and
    the action's status in each published progress review of its plan (oldest first), from one
    query however many hits there are."""
    plan_ids = {a.publication.plan_id for a in actions}
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
                history=status_history(action, reviews[action.publication.plan_id]),
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
