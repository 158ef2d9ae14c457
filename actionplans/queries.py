"""Which plans a page may show, and everything a plan page needs in a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet

from actionplans.models import Action, ActionPlan, Heading, ReviewEntry
from actionplans.services import wording_for
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
    headings = list(plan.headings.select_related("theme").order_by("position", "pk"))
    actions = list(
        Action.objects.live()
        .filter(plan=plan)
        .select_related("updated_by")
        .prefetch_related(Prefetch("phase_targets"))
        .order_by("position", "pk")
    )
    by_heading = defaultdict(list)
    for action in actions:
        action.targets_by_phase = {t.phase_id: t.month for t in action.phase_targets.all()}
        by_heading[action.heading_id].append(action)
    timelines = defaultdict(list)
    if with_timelines and actions:
        entries = (
            ReviewEntry.objects.filter(
                action__lineage__in={a.lineage for a in actions},
                review__finalised_at__isnull=False,
            )
            .select_related("review")
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
        for entry in entries.select_related("action"):
            timelines[entry.action.lineage].append(entry)
    for action in actions:
        action.timeline = timelines.get(action.lineage, [])
    return LoadedPlan(
        plan=plan,
        headings=[HeadingRows(h, by_heading.get(h.pk, [])) for h in headings],
        phases=list(plan.phases.all()),
        owner_codes=list(plan.owner_codes.all()),
        wording=wording_for(plan),
        timelines=dict(timelines),
    )
