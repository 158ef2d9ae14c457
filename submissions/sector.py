"""Where the sector stands, for the steering group: the signatories list's filters and the
dashboard's figures. Every figure is counted from the same filtered list of organisations, so
each links to that list with one more filter, and the page costs the same number of queries
however many organisations there are.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlencode

from django.db.models import Count, Min, OuterRef, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone

from actionplans.enums import Status, status_shape, status_word
from actionplans.models import ProgressReview, ReviewEntry
from assessments.enums import AssessmentStatus
from assessments.models import CohortDeadline, SelfAssessment
from assessments.services import DueDate, due_dates_for
from signatories.enums import Nation, OrganisationKind
from signatories.models import Organisation
from signatories.queries import organisations_visible_to
from submissions.models import Assignment, Snapshot
from techcommit.charts import STATUS_COLOURS, Bar, Progress, progress_bar, stacked_bar

NOT_STARTED = "not_started"  # no self-assessment yet, as a state of the list's filter
NO_COHORT = "none"
# The windows "due within" counts, nearest first; each counts the ones due in that many days.
DUE_WINDOWS = (7, 30, 60)
# A self-assessment is with the reviewers in these states; its assignments are open work.
OPEN_REVIEW_STATES = (AssessmentStatus.SUBMITTED, AssessmentStatus.UNDER_REVIEW)
STATE_CHOICES = [(NOT_STARTED, "Not started"), *AssessmentStatus.choices]
DUE_CHOICES = [("overdue", "Overdue"), *[(str(d), f"Due within {d} days") for d in DUE_WINDOWS]]


@dataclass
class Filters:
    """What the list and the dashboard are narrowed to; every one optional."""

    nation: str = ""
    kind: str = ""
    cohort: str = ""  # a cohort's id, or NO_COHORT
    status: str = ""  # the organisation's status (signatory, lapsed, withdrawn)
    state: str = ""  # its latest self-assessment's state, or NOT_STARTED
    due: str = ""  # "overdue" or a window in days
    reviewer: int | None = None  # open assignments of this reviewer
    reviewed: bool = False  # has a published progress review

    def query(self, **more) -> str:
        """The filters (and ``more``) as a query string, for links to the list."""
        values = {
            "nation": self.nation,
            "kind": self.kind,
            "cohort": self.cohort,
            "status": self.status,
            "state": self.state,
            "due": self.due,
            "reviewer": self.reviewer or "",
            "reviewed": "1" if self.reviewed else "",
            **more,
        }
        return urlencode({k: v for k, v in values.items() if v not in ("", None)})


def list_url(filters: Filters, **more) -> str:
    query = filters.query(**more)
    return reverse("submissions:sector_overview") + (f"?{query}" if query else "")


def cohort_of(organisation: Organisation, cohorts: list[CohortDeadline]) -> CohortDeadline | None:
    """The cohort whose signing range covers the organisation's signing date (the earliest due)."""
    covering = [c for c in cohorts if c.covers(organisation.signed_on)]
    return min(covering, key=lambda c: c.due_on) if covering else None


@dataclass
class Row:
    organisation: Organisation
    due: DueDate | None
    cohort: CohortDeadline | None

    @property
    def cohort_key(self) -> str:
        return str(self.cohort.pk) if self.cohort else NO_COHORT

    @property
    def state(self) -> str:
        return self.organisation.latest_status or NOT_STARTED

    @property
    def state_label(self) -> str:
        return dict(STATE_CHOICES)[self.state]

    def in_window(self, window: str) -> bool:
        if self.due is None:
            return False
        if window == "overdue":
            return self.due.is_overdue
        return 0 <= self.due.days_left <= int(window)


def published_reviews() -> QuerySet[ProgressReview]:
    """The progress reviews the public can read (published, not withdrawn): what the sector's
    figures count, as the issue's "latest published review of every signatory" asks. Read by
    their publications' reverse relation, so this app imports nothing of publications."""
    return ProgressReview.objects.filter(
        publications__isnull=False, publications__withdrawn_at__isnull=True
    ).distinct()


def sector_rows(
    user, filters: Filters, today: date | None = None, cohorts: list | None = None
) -> list[Row]:
    """Every organisation the person may see that passes the filters, with its latest
    self-assessment (state, due date, submitted revision), latest published progress review,
    next due date and cohort: three queries, however many organisations."""
    today = today or timezone.localdate()
    latest = SelfAssessment.objects.filter(organisation=OuterRef("pk")).order_by(
        "-due_on", "-created_at", "-pk"
    )
    submitted = Snapshot.objects.filter(
        assessment_id=OuterRef("latest_assessment_id"), submitted_at__isnull=False
    ).order_by("-revision")
    review = (
        published_reviews()
        .filter(plan__organisation=OuterRef("pk"))
        .order_by("-reviewed_on", "-pk")
    )
    organisations: QuerySet[Organisation] = organisations_visible_to(user).annotate(
        latest_assessment_id=Subquery(latest.values("pk")[:1]),
        latest_status=Subquery(latest.values("status")[:1]),
        latest_due_on=Subquery(latest.values("due_on")[:1]),
        latest_review_id=Subquery(review.values("pk")[:1]),
    )
    organisations = organisations.annotate(
        submitted_revision=Subquery(submitted.values("revision")[:1])
    )
    if filters.nation:
        organisations = organisations.filter(nation=filters.nation)
    if filters.kind:
        organisations = organisations.filter(kind=filters.kind)
    if filters.status:
        organisations = organisations.filter(status=filters.status)
    if filters.state == NOT_STARTED:
        organisations = organisations.filter(latest_status__isnull=True)
    elif filters.state:
        organisations = organisations.filter(latest_status=filters.state)
    if filters.reviewer:
        open_work = Assignment.objects.filter(
            reviewer_id=filters.reviewer, assessment__status__in=OPEN_REVIEW_STATES
        )
        organisations = organisations.filter(pk__in=open_work.values("assessment__organisation_id"))
    if filters.reviewed:
        organisations = organisations.filter(latest_review_id__isnull=False)
    organisations = list(organisations)
    if cohorts is None:
        cohorts = list(CohortDeadline.objects.all())
    dues = due_dates_for(organisations, today)
    rows = [Row(org, dues[org.pk], cohort_of(org, cohorts)) for org in organisations]
    if filters.cohort:
        rows = [row for row in rows if row.cohort_key == filters.cohort]
    if filters.due:
        rows = [row for row in rows if row.in_window(filters.due)]
    rows.sort(key=lambda r: (r.due is None, r.due.due_on if r.due else None, r.organisation.name))
    return rows


# --- The dashboard ----------------------------------------------------------------------------


@dataclass
class Figure:
    """One number on the dashboard and the list behind it."""

    count: int
    url: str


@dataclass
class LinkedBar:
    bar: Bar
    url: str
    organisations: int
    chart_id: str


@dataclass
class TrendRow:
    organisation: Organisation
    progress: Progress
    chart_id: str
    # (reviewed on, the number of actions in each status, in the scale's order)
    reviews: list[tuple[date, list[int]]] = field(default_factory=list)


def status_label(status: str) -> str:
    return f"{status_shape(status)} {status_word(None, status)}"


def rag_bar(title: str, counts: Counter) -> Bar:
    return stacked_bar(
        title,
        [(status_label(s), counts.get(s.value, 0), STATUS_COLOURS[s.value]) for s in Status],
        unit="actions",
        category="Status",
    )


def state_table(rows: list[Row], filters: Filters, cohorts: list[CohortDeadline]) -> dict:
    """Counts of organisations by the state of their latest self-assessment (rows) and cohort
    (columns, "no cohort" last), each a Figure linking to the list."""
    columns = [(str(c.pk), c.name) for c in cohorts] + [(NO_COHORT, "No cohort")]
    counts = Counter((row.state, row.cohort_key) for row in rows)
    used = {key for _, key in counts}
    columns = [(key, name) for key, name in columns if key in used]
    table = []
    for state, label in STATE_CHOICES:
        cells = [
            Figure(
                counts[(state, key)],
                list_url(filters, state=state, cohort=key),
            )
            for key, _ in columns
        ]
        total = sum(cell.count for cell in cells)
        table.append((state, label, cells, Figure(total, list_url(filters, state=state))))
    return {"columns": columns, "rows": table}


def due_figures(rows: list[Row], filters: Filters) -> list[tuple[str, Figure]]:
    return [
        (label, Figure(sum(row.in_window(key) for row in rows), list_url(filters, due=key)))
        for key, label in DUE_CHOICES
    ]


def reviewer_workload(rows: list[Row], filters: Filters, today: date) -> list[dict]:
    """Each reviewer with open assignments among these organisations: how many, and the age in
    days of the oldest. One query."""
    organisation_ids = [row.organisation.pk for row in rows]
    found = (
        Assignment.objects.filter(
            assessment__status__in=OPEN_REVIEW_STATES,
            assessment__organisation_id__in=organisation_ids,
        )
        .values("reviewer_id", "reviewer__full_name", "reviewer__email")
        .annotate(open=Count("pk"), oldest=Min("assigned_at"))
        .order_by("oldest")
    )
    return [
        {
            "name": item["reviewer__full_name"] or item["reviewer__email"],
            "open": Figure(item["open"], list_url(filters, reviewer=item["reviewer_id"])),
            "oldest": timezone.localdate(item["oldest"]),
            "age": (today - timezone.localdate(item["oldest"])).days,
        }
        for item in found
    ]


def rag_charts(rows: list[Row], filters: Filters) -> dict:
    """Actions by status in each organisation's latest published progress review: per theme,
    per nation and per kind. One query."""
    by_id = {row.organisation.latest_review_id: row.organisation for row in rows}
    entries = (
        ReviewEntry.objects.filter(review_id__in=[pk for pk in by_id if pk])
        .values("review_id", "action__heading__theme__name", "status")
        .annotate(n=Count("pk"))
    )
    themes: dict[str, Counter] = defaultdict(Counter)
    nations: dict[str, Counter] = defaultdict(Counter)
    kinds: dict[str, Counter] = defaultdict(Counter)
    reviewed_by: dict[str, set] = defaultdict(set)
    for entry in entries:
        organisation = by_id[entry["review_id"]]
        theme = entry["action__heading__theme__name"] or "Other headings"
        themes[theme][entry["status"]] += entry["n"]
        nations[organisation.nation][entry["status"]] += entry["n"]
        kinds[organisation.kind][entry["status"]] += entry["n"]
        reviewed_by[f"nation:{organisation.nation}"].add(organisation.pk)
        reviewed_by[f"kind:{organisation.kind}"].add(organisation.pk)
        reviewed_by["all"].add(organisation.pk)
    reviewed = len(reviewed_by["all"])

    def small_multiples(field: str, choices, counts: dict[str, Counter]) -> list[LinkedBar]:
        """One bar per nation or kind that has reviewed actions, linked to its list."""
        return [
            LinkedBar(
                rag_bar(label, counts[value]),
                list_url(filters, reviewed="1", **{field: value}),
                len(reviewed_by[f"{field}:{value}"]),
                f"{field}-{value}",
            )
            for value, label in choices
            if value in counts
        ]

    return {
        "reviewed": Figure(reviewed, list_url(filters, reviewed="1")),
        "themes": [
            LinkedBar(
                rag_bar(name, counts), list_url(filters, reviewed="1"), reviewed, f"theme-{i}"
            )
            for i, (name, counts) in enumerate(sorted(themes.items()))
        ],
        "nations": small_multiples("nation", Nation.choices, nations),
        "kinds": small_multiples("kind", OrganisationKind.choices, kinds),
    }


def trends(rows: list[Row], today: date) -> list[TrendRow]:
    """Each organisation with published progress reviews: its actions by status at each review,
    oldest first, and how far through the latest reviewed plan it is. One query."""
    organisations = {row.organisation.pk: row.organisation for row in rows}
    entries = (
        ReviewEntry.objects.filter(
            review_id__in=published_reviews().values("pk"),
            review__plan__organisation_id__in=organisations,
        )
        .values(
            "review_id",
            "review__reviewed_on",
            "review__plan__organisation_id",
            "review__plan__starts_on",
            "review__plan__ends_on",
            "status",
        )
        .annotate(n=Count("pk"))
        .order_by("review__reviewed_on", "review_id")
    )
    reviews: dict[int, dict[int, tuple[date, Counter]]] = defaultdict(dict)
    periods: dict[int, tuple[date, date]] = {}
    for entry in entries:
        organisation_id = entry["review__plan__organisation_id"]
        found = reviews[organisation_id].setdefault(
            entry["review_id"], (entry["review__reviewed_on"], Counter())
        )
        found[1][entry["status"]] += entry["n"]
        periods[organisation_id] = (
            entry["review__plan__starts_on"],
            entry["review__plan__ends_on"],
        )
    result = []
    for organisation_id, by_review in reviews.items():
        starts_on, ends_on = periods[organisation_id]
        result.append(
            TrendRow(
                organisation=organisations[organisation_id],
                progress=progress_bar("Plan period", starts_on, ends_on, today),
                chart_id=f"plan-{organisation_id}",
                reviews=[
                    (on, [counts.get(s.value, 0) for s in Status])
                    for on, counts in by_review.values()
                ],
            )
        )
    result.sort(key=lambda r: r.organisation.name)
    return result


def dashboard(
    user, filters: Filters, today: date | None = None, cohorts: list | None = None
) -> dict:
    today = today or timezone.localdate()
    rows = sector_rows(user, filters, today, cohorts)
    cohorts = sorted(
        {row.cohort.pk: row.cohort for row in rows if row.cohort}.values(),
        key=lambda c: (c.due_on, c.name),
    )
    return {
        "organisations": Figure(len(rows), list_url(filters)),
        "states": state_table(rows, filters, cohorts),
        "due": due_figures(rows, filters),
        "reviewers": reviewer_workload(rows, filters, today),
        "rag": rag_charts(rows, filters),
        "trends": trends(rows, today),
        "statuses": [(s.value, status_label(s)) for s in Status],
    }
