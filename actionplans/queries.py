"""Which plans a page may show, and everything a plan page needs in a fixed number of queries."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, F, Prefetch, Q, QuerySet

from actionplans.enums import RAG_ANALYSIS_KEY, Status
from actionplans.models import Action, ActionPlan, Heading, ProgressReview, ReviewEntry
from actionplans.services import wording_for
from assessments.enums import AssessmentStatus
from assessments.models import SelfAssessment
from signatories.models import Organisation


def plans_of(organisation: Organisation) -> QuerySet[ActionPlan]:
    return ActionPlan.objects.filter(organisation=organisation).select_related(
        "organisation", "assessment"
    )


@dataclass
class HeadingRows:
    heading: Heading
    actions: list[Action] = field(default_factory=list)


@dataclass
class LoadedPlan:
    plan: ActionPlan
    headings: list[HeadingRows]
    phases: list
    owner_codes: list
    wording: dict
    timelines: dict  # lineage -> [(review, entry)], finalised reviews only, oldest first

    @property
    def actions(self) -> list[Action]:
        return [a for h in self.headings for a in h.actions]


def load_plan(plan: ActionPlan, with_timelines: bool = True) -> LoadedPlan:
    """The whole plan in a constant number of queries, whatever its size."""
    loaded = load_shape(plan)
    actions = _actions_with_targets(Action.objects.live().filter(plan=plan))
    by_heading = defaultdict(list)
    for action in actions:
        by_heading[action.heading_id].append(action)
    for group in loaded.headings:
        group.actions = by_heading.get(group.heading.pk, [])
    loaded.timelines = _timelines(actions) if with_timelines else {}
    for action in actions:
        action.timeline = loaded.timelines.get(action.lineage, [])
    return loaded


def load_shape(plan: ActionPlan) -> LoadedPlan:
    """What every row of the editor reads besides its own action (headings, phases, the key,
    the status words), without the actions: the cost of showing one row does not grow with
    the plan."""
    headings = list(plan.headings.select_related("theme").order_by("position", "pk"))
    return LoadedPlan(
        plan=plan,
        headings=[HeadingRows(h) for h in headings],
        phases=list(plan.phases.all()),
        owner_codes=list(plan.owner_codes.all()),
        wording=wording_for(plan),
        timelines={},
    )


def load_rows(plan: ActionPlan, ids, deleted: bool = False) -> dict[int, Action]:
    """{id: action} for a few of the plan's actions, each ready to show as an editor row (its
    phase targets and its status at each finalised review), in three queries."""
    found = Action.objects.filter(plan=plan, pk__in=set(ids))
    if not deleted:
        found = found.filter(deleted_at=None)
    actions = _actions_with_targets(found)
    timelines = _timelines(actions)
    for action in actions:
        action.plan = plan
        action.timeline = timelines.get(action.lineage, [])
    return {a.pk: a for a in actions}


def heading_counts(plan: ActionPlan, heading_ids) -> tuple[dict[int, int], int]:
    """How many live actions each of these headings has, and the plan in all."""
    live = Action.objects.live().filter(plan=plan)
    counts = dict(
        live.filter(heading_id__in=set(heading_ids))
        .values_list("heading_id")
        .annotate(n=Count("pk"))
        .values_list("heading_id", "n")
    )
    return {pk: counts.get(pk, 0) for pk in heading_ids}, live.count()


def _actions_with_targets(actions: QuerySet[Action]) -> list[Action]:
    found = list(
        actions.select_related("updated_by")
        .prefetch_related(Prefetch("phase_targets"))
        .order_by("position", "pk")
    )
    for action in found:
        action.targets_by_phase = {t.phase_id: t.month for t in action.phase_targets.all()}
    return found


def _timelines(actions: list[Action]) -> dict:
    """lineage -> the finalised reviews' entries for it, oldest first."""
    timelines = defaultdict(list)
    if not actions:
        return {}
    entries = (
        ReviewEntry.objects.filter(
            action__lineage__in={a.lineage for a in actions},
            review__finalised_at__isnull=False,
        )
        .select_related("review", "action")
        .only(
            "status",
            "comment",
            "action__lineage",
            "review__reviewed_on",
            "review__plan_id",
            "review__finalised_at",
        )
        .order_by("review__reviewed_on", "review__pk")
    )
    for entry in entries:
        timelines[entry.action.lineage].append(entry)
    return dict(timelines)


# --- Progress reviews: one review's rows, the previous cycle's review, achievements ----------


@dataclass
class ReviewRows:
    """A heading's entries (a review's, or the achievements taken from one); ``heading`` None
    for the entries of actions since deleted from the plan, under the name of the heading they
    were under (``ReviewEntry.heading_name``)."""

    heading: Heading | None
    entries: list = field(default_factory=list)  # ReviewEntry, or Achievement
    deleted_heading: str = ""

    @property
    def name(self) -> str:
        return self.heading.name if self.heading else self.deleted_heading


@dataclass
class LoadedReview:
    review: ProgressReview
    headings: list[ReviewRows]  # headings with entries only, in plan order
    wording: dict

    @property
    def entries(self) -> list[ReviewEntry]:
        return [e for h in self.headings for e in h.entries]

    @property
    def counts(self) -> list[tuple[str, int]]:
        """(status, how many actions have it), in the scale's order, leaving out zeros."""
        return status_counts(e.status for e in self.entries)

    @property
    def heading_counts(self) -> list[tuple[str, list[tuple[str, int]]]]:
        """Each heading's name with its counts by status: the review's progress by theme."""
        return [(h.name, status_counts(e.status for e in h.entries)) for h in self.headings]


def status_counts(statuses) -> list[tuple[str, int]]:
    """(status, how many), in the scale's order, leaving out zeros."""
    found = Counter(statuses)
    return [(status.value, found[status]) for status in Status if found[status]]


def reviews_of(plan: ActionPlan) -> QuerySet[ProgressReview]:
    """The plan's reviews, newest first, with how many actions each rates at each status."""
    counts = {
        f"count_{status.value}": Count("entries", filter=Q(entries__status=status))
        for status in Status
    }
    return (
        ProgressReview.objects.filter(plan=plan)
        .select_related("author", "finalised_by")
        .annotate(entry_count=Count("entries"), **counts)
        .order_by("-reviewed_on", "-pk")
    )


def load_review(review: ProgressReview, with_timelines: bool = True) -> LoadedReview:
    """Every entry of a review under its heading, in a constant number of queries. The entries
    of actions since deleted from the plan come after the plan's headings, under the names of
    the headings they were under (in alphabetical order).

    With timelines, each entry's action gets ``timeline``: the action's entries (across its
    lineage) in the other finalised reviews up to this one's date, oldest first."""
    plan = review.plan
    headings = list(plan.headings.select_related("theme").order_by("position", "pk"))
    entries = list(
        review.entries.select_related("action").order_by("action__position", "action__pk", "pk")
    )
    in_plan = [e for e in entries if e.in_plan]
    by_heading = defaultdict(list)
    kept = defaultdict(list)
    for entry in entries:
        if entry.in_plan:
            entry.action.timeline = []
            by_heading[entry.action.heading_id].append(entry)
        else:
            kept[entry.heading_name].append(entry)
    if with_timelines and in_plan:
        earlier = (
            ReviewEntry.objects.filter(
                action__lineage__in={e.action.lineage for e in in_plan},
                review__finalised_at__isnull=False,
                review__reviewed_on__lte=review.reviewed_on,
            )
            .exclude(review=review)
            .select_related("review")
            .annotate(lineage=F("action__lineage"))
            .order_by("review__reviewed_on", "review__pk")
        )
        timelines = defaultdict(list)
        for entry in earlier:
            timelines[entry.lineage].append(entry)
        for entry in in_plan:
            entry.action.timeline = timelines.get(entry.action.lineage, [])
    return LoadedReview(
        review=review,
        headings=[ReviewRows(h, by_heading[h.pk]) for h in headings if by_heading.get(h.pk)]
        + [ReviewRows(None, rows, name) for name, rows in sorted(kept.items())],
        wording=wording_for(plan),
    )


def previous_plan(assessment: SelfAssessment) -> ActionPlan | None:
    """The previous cycle's plan: the one of the organisation's latest earlier accepted
    self-assessment, or else its most recent plan not of this or a later self-assessment."""
    plans = plans_of(assessment.organisation).exclude(assessment=assessment)
    found = (
        plans.filter(
            assessment__due_on__lt=assessment.due_on,
            assessment__status=AssessmentStatus.ACCEPTED,
        )
        .order_by("-assessment__due_on", "-pk")
        .first()
    )
    if found is None:
        found = (
            plans.filter(Q(assessment=None) | Q(assessment__due_on__lt=assessment.due_on))
            .order_by("-starts_on", "-pk")
            .first()
        )
    return found


def latest_previous_review(assessment: SelfAssessment) -> ProgressReview | None:
    """The latest finalised progress review of the previous cycle's plan (the RAG analysis)."""
    plan = previous_plan(assessment)
    if plan is None:
        return None
    return (
        ProgressReview.objects.filter(plan=plan, finalised_at__isnull=False)
        .select_related("plan__organisation", "author")
        .order_by("-reviewed_on", "-pk")
        .first()
    )


@dataclass
class Achievement:
    """A completed action and its comment; ``action`` None once it is deleted from the plan
    (its title kept on the review's entry)."""

    title: str
    comment: str
    action: Action | None


@dataclass
class Achievements:
    """Completed actions and their comments, by heading in plan order, for a chosen period;
    a deleted action's under the name of the heading it was under, after the plan's."""

    period_from: date
    period_to: date
    review: ProgressReview | None  # the review it is taken from; None: the actions' own status
    headings: list[ReviewRows]  # each with Achievement entries

    @property
    def count(self) -> int:
        return sum(len(group.entries) for group in self.headings)


def achievements(plan: ActionPlan, period_from: date, period_to: date) -> Achievements:
    """Actions complete in the latest finalised review whose covered period ends within the
    chosen one; without such a review, the live actions whose current status is complete."""
    review = (
        ProgressReview.objects.filter(
            plan=plan,
            finalised_at__isnull=False,
            period_to__gte=period_from,
            period_to__lte=period_to,
        )
        .order_by("-period_to", "-reviewed_on", "-pk")
        .first()
    )
    by_heading = defaultdict(list)
    kept = defaultdict(list)
    if review is not None:
        for e in (
            review.entries.filter(status=Status.COMPLETE)
            .select_related("action")
            .order_by("action__position", "action__pk", "pk")
        ):
            if e.in_plan:
                by_heading[e.action.heading_id].append(Achievement(e.title, e.comment, e.action))
            else:
                kept[e.heading_name].append(Achievement(e.title, e.comment, None))
    else:
        for a in (
            Action.objects.live()
            .filter(plan=plan, status=Status.COMPLETE)
            .order_by("position", "pk")
        ):
            by_heading[a.heading_id].append(Achievement(a.title, a.comment, a))
    headings = plan.headings.select_related("theme").order_by("position", "pk")
    return Achievements(
        period_from=period_from,
        period_to=period_to,
        review=review,
        headings=[ReviewRows(h, by_heading[h.pk]) for h in headings if by_heading.get(h.pk)]
        + [ReviewRows(None, rows, name) for name, rows in sorted(kept.items())],
    )


# --- Plans and reviews as plain data (for snapshots and publications) -------------------------


def plan_as_data(plan: ActionPlan) -> dict:
    """The plan as plain data: what a submission freezes and a publication shows."""
    loaded = load_plan(plan, with_timelines=False)
    phases = {p.pk: p.name for p in loaded.phases}
    return {
        "title": plan.title,
        "period": plan.period_label,
        "horizon_months": plan.horizon_months,
        "timing_style": plan.timing_style,
        "phases": [{"name": p.name, "period": p.period_label} for p in loaded.phases],
        "key": [{"code": c.code, "title": c.title} for c in loaded.owner_codes],
        "wording": {s: w.label for s, w in loaded.wording.items()},
        "wording_descriptions": {s: w.description for s, w in loaded.wording.items()},
        "headings": [
            {
                "name": group.heading.name,
                "theme": group.heading.theme.slug if group.heading.theme_id else None,
                "description": group.heading.description,
                "actions": [
                    {
                        "title": a.title,
                        "description": a.description,
                        "led_by": a.led_by,
                        "targets": {
                            phases[pid]: f"{month:%Y-%m}"
                            for pid, month in sorted(a.targets_by_phase.items())
                        },
                        "focus_years": list(a.focus_years),
                        "target_on": a.target_on.isoformat() if a.target_on else None,
                        "success_criteria": a.success_criteria,
                        "status": a.status,
                        "comment": a.comment,
                    }
                    for a in group.actions
                ],
            }
            for group in loaded.headings
        ],
    }


def review_as_data(review: ProgressReview) -> dict:
    """A finalised progress review as plain data, for its publication."""
    loaded = load_review(review, with_timelines=False)
    return {
        "plan_title": review.plan.title,
        "reviewed_on": review.reviewed_on.isoformat(),
        "period_from": review.period_from.isoformat(),
        "period_to": review.period_to.isoformat(),
        "author": review.author.full_name if review.author else "",
        "overall_status": review.overall_status,
        "summary": review.summary,
        "wording": {s: w.label for s, w in loaded.wording.items()},
        "headings": [
            {
                "name": rows.name,
                "entries": [
                    {"title": e.title, "status": e.status, "comment": e.comment}
                    for e in rows.entries
                ],
            }
            for rows in loaded.headings
        ],
    }


def assessment_plan_data(assessment) -> dict | None:
    """The plan that goes with a self-assessment, as plain data (its appendix), or None."""
    plan = ActionPlan.objects.filter(assessment=assessment).first()
    return plan_as_data(plan) if plan else None


# --- Progress reviews appended to a later self-assessment -------------------------------------


def appended_reviews(assessment: SelfAssessment) -> QuerySet[ProgressReview]:
    """The progress reviews of earlier plans appended to the self-assessment, oldest plan first
    (the order of their appendices)."""
    return (
        ProgressReview.objects.filter(appended_to=assessment)
        .select_related("plan__organisation", "author")
        .order_by("plan__starts_on", "reviewed_on", "pk")
    )


def appendable_reviews(assessment: SelfAssessment) -> QuerySet[ProgressReview]:
    """The finalised reviews the lead may append: of the organisation's plans that started
    before the self-assessment is due, other than its own cycle's plan, not appended elsewhere."""
    return (
        ProgressReview.objects.filter(
            plan__organisation_id=assessment.organisation_id,
            plan__starts_on__lt=assessment.due_on,
            finalised_at__isnull=False,
            appended_to__isnull=True,
        )
        .exclude(plan__assessment=assessment)
        .select_related("plan", "author")
        .order_by("-reviewed_on", "-pk")
    )


def appendix_content(assessment: SelfAssessment) -> dict:
    """What a self-assessment's appendices freeze (``submissions.services.snapshot_content``)
    and the draft shows (registered with ``assessments.documents``): its plan, always, and
    ``reviews`` only when a review is appended, so that content without one keeps the keys,
    and the hash, it always had. Each review says which question refers to it."""
    content = {"plan": assessment_plan_data(assessment)}
    reviews = [
        {**review_as_data(review), "question": RAG_ANALYSIS_KEY}
        for review in appended_reviews(assessment)
    ]
    if reviews:
        content["reviews"] = reviews
    return content
