"""Every write to an action plan that touches more than one field or row."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import F, Max, Q
from django.utils import timezone

from actionplans.enums import (
    ALLOWED_TRANSITIONS,
    EDITABLE_PLAN_STATES,
    UNFINISHED_STATUSES,
    PlanStatus,
    Status,
    TimingStyle,
)
from actionplans.models import (
    Action,
    ActionPlan,
    Heading,
    OwnerCode,
    Phase,
    PhaseTarget,
    PlanStatusChange,
    ProgressReview,
    ReviewEntry,
    StatusWording,
    default_wording,
)
from assessments.enums import EDITABLE_STATES
from assessments.models import ExampleActivity, SelfAssessment, Theme
from signatories.models import Organisation
from techcommit.public_cache import mark_public_change
from techcommit.transitions import change_status


class PlanError(Exception):
    """A change the plan's state or rules do not allow; the message is for the person."""


def plan_themes():
    """The Commitment's four themes (Evaluating Impact is the self-assessment itself)."""
    return Theme.objects.filter(asked_per_theme=True).order_by("position")


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def first_of_month(day: date) -> date:
    return day.replace(day=1)


def check_editable(plan: ActionPlan) -> None:
    if plan.status not in EDITABLE_PLAN_STATES:
        raise PlanError(f"This plan is {plan.get_status_display().lower()} and cannot change.")
    if not plan.assessment_allows_changes:
        raise PlanError(
            "This plan is part of a self-assessment that is "
            f"{plan.assessment.get_status_display().lower()}; it cannot change now."
        )


# --- Status ----------------------------------------------------------------------------------


def transition(plan: ActionPlan, *, to: str, by, comment: str = "") -> ActionPlan:
    """Change the plan's status, as ``ALLOWED_TRANSITIONS`` allows; every change is kept in the
    plan's history."""

    def refuse(locked: ActionPlan) -> PlanError:
        return PlanError(
            f"A plan that is {locked.get_status_display().lower()} cannot become "
            f"{PlanStatus(to).label.lower()}."
        )

    def record(locked: ActionPlan, before: str) -> None:
        PlanStatusChange.objects.create(
            plan=locked, from_status=before, to_status=to, by=by, comment=comment[:500]
        )

    return change_status(plan, to=to, allowed=ALLOWED_TRANSITIONS, refuse=refuse, record=record)


# --- Plans -----------------------------------------------------------------------------------


@transaction.atomic
def create_plan(
    organisation: Organisation,
    *,
    by,
    title: str = "",
    starts_on: date,
    horizon_months: int = 24,
    timing_style: str = TimingStyle.PHASES,
    assessment: SelfAssessment | None = None,
    previous: ActionPlan | None = None,
) -> ActionPlan:
    """A new draft plan with the four themes as headings and the default status wording.

    Started from a previous plan, it takes that plan's own headings, key and wording too; its
    unfinished actions are offered separately (``carry_forward``)."""
    starts_on = first_of_month(starts_on)
    ends_on = add_months(starts_on, horizon_months - 1)
    plan = ActionPlan.objects.create(
        organisation=organisation,
        assessment=assessment,
        title=title
        or f"{organisation.name} Technician Commitment Action Plan {starts_on.year}–{ends_on.year}",
        starts_on=starts_on,
        ends_on=ends_on,
        horizon_months=horizon_months,
        timing_style=timing_style,
        previous=previous,
        created_by=by,
    )
    if previous is None:
        Heading.objects.bulk_create(
            Heading(plan=plan, theme=theme, position=n)
            for n, theme in enumerate(plan_themes(), start=1)
        )
        StatusWording.objects.bulk_create(
            StatusWording(plan=plan, status=status, label=label, description=description)
            for status, label, description in default_wording()
        )
    else:
        Heading.objects.bulk_create(
            Heading(plan=plan, theme=h.theme, own_name=h.own_name, position=h.position)
            for h in previous.headings.all()
        )
        ensure_theme_headings(plan)
        OwnerCode.objects.bulk_create(
            OwnerCode(plan=plan, code=c.code, title=c.title, position=c.position)
            for c in previous.owner_codes.all()
        )
        StatusWording.objects.bulk_create(
            StatusWording(plan=plan, status=w.status, label=w.label, description=w.description)
            for w in previous.status_wordings.all()
        )
    return plan


@transaction.atomic
def record_earlier_plan(
    organisation: Organisation,
    *,
    by,
    title: str,
    starts_on: date,
    ends_on: date,
    approved_on: date,
    original=None,
    original_public: bool = False,
) -> ActionPlan:
    """A plan of an earlier cycle, approved outside the portal before it existed.

    It starts as any new plan does (the four themes, the default words), so that its actions can
    be imported through the plan import and its progress reviewed; it stays open for changes,
    because its approval happened elsewhere and nothing in the portal froze it. ``original`` is
    the approved document, already checked to be a PDF (``forms.EarlierPlanForm``)."""
    starts_on, ends_on = first_of_month(starts_on), first_of_month(ends_on)
    if ends_on < starts_on:
        raise PlanError("The last month comes before the first.")
    months = (ends_on.year - starts_on.year) * 12 + ends_on.month - starts_on.month + 1
    plan = create_plan(
        organisation,
        by=by,
        title=title,
        starts_on=starts_on,
        horizon_months=24 if months <= 24 else 36,
    )
    plan.ends_on = ends_on
    plan.approved_outside_on = approved_on
    plan.original_public = bool(original) and original_public
    if original:
        plan.original_pdf.save(original.name, original, save=False)  # named by original_path
    plan.save(update_fields=["ends_on", "approved_outside_on", "original_public", "original_pdf"])
    if plan.original_public:
        mark_public_change()  # the organisation's public archive now lists the original
    return plan


def replace_original(plan: ActionPlan, original) -> ActionPlan:
    """Add an earlier plan's original PDF, or replace it (already checked to be a PDF); the file
    it replaces is deleted once the change is committed."""
    if not plan.is_earlier:
        raise PlanError("Only a plan approved before the portal has an original PDF.")
    old = plan.original_pdf.name
    plan.original_pdf.save(original.name, original, save=False)  # named by original_path
    plan.save(update_fields=["original_pdf"])
    if old:
        storage = plan.original_pdf.storage
        transaction.on_commit(lambda: storage.delete(old))
    if plan.original_public:
        mark_public_change()
    return plan


def show_original(plan: ActionPlan, *, public: bool) -> ActionPlan:
    """Show an earlier plan's original PDF on the organisation's public page, or take it off."""
    if public and not plan.original_pdf:
        raise PlanError("This plan has no original PDF to show.")
    if plan.original_public != public:
        plan.original_public = public
        plan.save(update_fields=["original_public"])
        mark_public_change()
    return plan


def ensure_theme_headings(plan: ActionPlan) -> None:
    """The Commitment's four themes are always headings of every plan."""
    present = set(plan.headings.exclude(theme=None).values_list("theme_id", flat=True))
    last = plan.headings.aggregate(last=Max("position"))["last"] or 0
    missing = [t for t in plan_themes() if t.pk not in present]
    Heading.objects.bulk_create(
        Heading(plan=plan, theme=theme, position=last + n)
        for n, theme in enumerate(missing, start=1)
    )


# --- Headings, key, wording, phases ------------------------------------------------------------


def add_heading(plan: ActionPlan, name: str) -> Heading:
    check_editable(plan)
    name = name.strip()
    if not name:
        raise PlanError("Give the heading a name.")
    if any(h.name.casefold() == name.casefold() for h in plan.headings.select_related("theme")):
        raise PlanError(f"The plan already has a heading called ‘{name}’.")
    last = plan.headings.aggregate(last=Max("position"))["last"] or 0
    return Heading.objects.create(plan=plan, own_name=name, position=last + 1)


@transaction.atomic
def move_heading(heading: Heading, offset: int) -> None:
    check_editable(heading.plan)
    headings = list(heading.plan.headings.select_for_update().order_by("position", "pk"))
    index = next(i for i, h in enumerate(headings) if h.pk == heading.pk)
    target = index + offset
    if not 0 <= target < len(headings):
        return
    headings.insert(target, headings.pop(index))
    for n, h in enumerate(headings, start=1):
        h.position = n
    Heading.objects.bulk_update(headings, ["position"])


def delete_heading(heading: Heading) -> None:
    check_editable(heading.plan)
    if heading.is_theme:
        raise PlanError("The Commitment's four themes are part of every plan.")
    if heading.actions.live().exists():
        raise PlanError(f"Move or delete the actions under ‘{heading.name}’ first.")
    # Deleted ones waiting for an undo go with it; their entries in progress reviews stay, with
    # the action's title and the heading's name (models.keep_action_record).
    heading.actions.all().delete()
    heading.delete()


CODE_PATTERN = re.compile(r"^[A-Za-z0-9&.+-]{1,12}$")


def clean_code(code: str) -> str:
    code = code.strip()
    if not CODE_PATTERN.match(code):
        raise PlanError(
            f"‘{code}’ cannot be a code: use up to 12 letters, digits or & . + - (no slashes)."
        )
    return code


def add_owner_code(plan: ActionPlan, code: str, title: str) -> OwnerCode:
    check_editable(plan)
    code = clean_code(code)
    if not title.strip():
        raise PlanError(f"Say what ‘{code}’ stands for.")
    if plan.owner_codes.filter(code__iexact=code).exists():
        raise PlanError(f"The key already has ‘{code}’.")
    last = plan.owner_codes.aggregate(last=Max("position"))["last"] or 0
    return OwnerCode.objects.create(plan=plan, code=code, title=title.strip(), position=last + 1)


@transaction.atomic
def change_owner_code(owner: OwnerCode, code: str, title: str) -> OwnerCode:
    """Rename a code; every action led by it follows."""
    plan = owner.plan
    check_editable(plan)
    code = clean_code(code)
    if plan.owner_codes.exclude(pk=owner.pk).filter(code__iexact=code).exists():
        raise PlanError(f"The key already has ‘{code}’.")
    old = owner.code
    owner.code, owner.title = code, title.strip() or owner.title
    owner.save(update_fields=["code", "title"])
    if old != code:
        changed = []
        for action in plan.actions.filter(led_by__contains=old):
            codes = [code if c == old else c for c in action.owner_codes]
            if codes != action.owner_codes:
                action.led_by = "/".join(codes)
                changed.append(action)
        Action.objects.bulk_update(changed, ["led_by"])
    return owner


@transaction.atomic
def move_owner_code(owner: OwnerCode, offset: int) -> None:
    """Move a code up (negative) or down the key; the key prints in this order everywhere."""
    check_editable(owner.plan)
    codes = list(owner.plan.owner_codes.select_for_update().order_by("position", "pk"))
    index = next(i for i, c in enumerate(codes) if c.pk == owner.pk)
    target = max(0, min(len(codes) - 1, index + offset))
    codes.insert(target, codes.pop(index))
    for n, code in enumerate(codes, start=1):
        code.position = n
    OwnerCode.objects.bulk_update(codes, ["position"])


def delete_owner_code(owner: OwnerCode) -> None:
    check_editable(owner.plan)
    using = [a for a in owner.plan.actions.live() if owner.code in a.owner_codes]
    if using:
        raise PlanError(
            f"{len(using)} action{'s' if len(using) != 1 else ''} "
            f"{'are' if len(using) != 1 else 'is'} led by ‘{owner.code}’; change them first."
        )
    owner.delete()


def parse_led_by(plan: ActionPlan, text: str, known: set[str] | None = None) -> tuple[str, list]:
    """'PS / pl, G' -> ('PS/PL/G', unknown codes). Codes match the key whatever their case."""
    if known is None:
        known = set(plan.owner_codes.values_list("code", flat=True))
    by_fold = {k.casefold(): k for k in known}
    codes, unknown = [], []
    for raw in re.split(r"[/,;+]|\s+and\s+", text or ""):
        raw = raw.strip()
        if not raw:
            continue
        code = by_fold.get(raw.casefold())
        if code is None:
            unknown.append(raw)
            code = raw
        if code not in codes:
            codes.append(code)
    return "/".join(codes), unknown


def set_wording(plan: ActionPlan, status: str, label: str, description: str = "") -> None:
    check_editable(plan)
    label = label.strip()
    if not label:
        raise PlanError("Give every status a word.")
    clash = plan.status_wordings.exclude(status=status).filter(label__iexact=label).first()
    if clash:
        raise PlanError(f"‘{label}’ already names {clash.get_status_display().lower()}.")
    StatusWording.objects.update_or_create(
        plan=plan, status=status, defaults={"label": label, "description": description.strip()}
    )


def wording_for(plan: ActionPlan) -> dict[str, StatusWording]:
    """{status: wording}, with the defaults for any status the plan has not worded."""
    wordings = {w.status: w for w in plan.status_wordings.all()}
    for status, label, description in default_wording():
        wordings.setdefault(
            status, StatusWording(plan=plan, status=status, label=label, description=description)
        )
    return wordings


def add_phase(plan: ActionPlan, name: str, starts_on: date, ends_on: date) -> Phase:
    check_editable(plan)
    if ends_on < starts_on:
        raise PlanError("The phase's last month comes before its first.")
    last = plan.phases.aggregate(last=Max("position"))["last"] or 0
    return Phase.objects.create(
        plan=plan,
        name=name.strip() or f"Phase {last + 1}",
        starts_on=first_of_month(starts_on),
        ends_on=first_of_month(ends_on),
        position=last + 1,
    )


# --- Actions ---------------------------------------------------------------------------------


@dataclass
class ActionSave:
    action: Action
    conflict: bool = False


EDITABLE_FIELDS = (
    "title",
    "description",
    "led_by",
    "target_on",
    "focus_years",
    "success_criteria",
    "status",
    "comment",
)


@transaction.atomic
def add_action(
    heading: Heading, *, by, after: Action | None = None, targets: dict | None = None, **fields
) -> Action:
    """A new action at the end of a heading, or just after ``after``."""
    plan = heading.plan
    check_editable(plan)
    siblings = Action.objects.select_for_update().filter(plan=plan, heading=heading)
    if after is not None and after.heading_id == heading.pk:
        position = after.position + 1
        siblings.filter(position__gte=position).update(position=F("position") + 1)
    else:
        position = (siblings.aggregate(last=Max("position"))["last"] or 0) + 1
    fields.setdefault("title", "")
    action = Action.objects.create(
        plan=plan, heading=heading, position=position, updated_by=by, **fields
    )
    if targets:
        set_phase_targets(action, targets)
    return action


def set_phase_targets(action: Action, targets: dict[int, date | None]) -> None:
    """{phase id: month or None} for the action's phases."""
    phases = {p.pk for p in action.plan.phases.all()}
    for phase_id, month in targets.items():
        if phase_id not in phases:
            raise PlanError("That phase belongs to another plan.")
        if month is None:
            PhaseTarget.objects.filter(action=action, phase_id=phase_id).delete()
        else:
            PhaseTarget.objects.update_or_create(
                action=action, phase_id=phase_id, defaults={"month": first_of_month(month)}
            )


@transaction.atomic
def save_action(
    action: Action, *, base_version: int, by, targets: dict | None = None, **fields
) -> ActionSave:
    """Compare-and-swap on ``version``: a save from an older version changes nothing."""
    check_editable(action.plan)
    unknown = set(fields) - set(EDITABLE_FIELDS) - {"heading"}
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    updated = Action.objects.filter(pk=action.pk, version=base_version, deleted_at=None).update(
        **fields, version=base_version + 1, updated_at=timezone.now(), updated_by=by
    )
    fresh = Action.objects.select_related("heading__theme", "updated_by").get(pk=action.pk)
    fresh.plan = action.plan
    if not updated:
        return ActionSave(fresh, conflict=True)
    if targets is not None:
        set_phase_targets(fresh, targets)
    return ActionSave(fresh)


@dataclass
class ActionMove:
    """What a move changed: the action it swapped places with, or the heading it went into."""

    swapped_with: Action | None = None
    heading: Heading | None = None
    first: bool = False


@transaction.atomic
def move_action(action: Action, offset: int) -> ActionMove:
    """Up or down within its heading; past the first or last, into the heading before or after.

    Within a heading the action swaps places with its neighbour: two rows change, whatever
    the plan's size."""
    plan = action.plan
    check_editable(plan)
    current = Action.objects.select_for_update().only("position", "heading_id").get(pk=action.pk)
    action.position, action.heading_id = current.position, current.heading_id
    siblings = Action.objects.live().filter(plan=plan, heading_id=action.heading_id)
    if offset < 0:
        before = Q(position__lt=action.position) | Q(position=action.position, pk__lt=action.pk)
        neighbour = siblings.filter(before).order_by("-position", "-pk").first()
    else:
        after = Q(position__gt=action.position) | Q(position=action.position, pk__gt=action.pk)
        neighbour = siblings.filter(after).order_by("position", "pk").first()
    if neighbour is not None:
        if neighbour.position == action.position:  # equal positions (an old import): renumber
            ordered = list(siblings.select_for_update().order_by("position", "pk"))
            _renumber(ordered)
            numbers = {a.pk: a.position for a in ordered}
            action.position, neighbour.position = numbers[action.pk], numbers[neighbour.pk]
        action.position, neighbour.position = neighbour.position, action.position
        Action.objects.bulk_update([action, neighbour], ["position"])
        return ActionMove(swapped_with=neighbour)
    headings = list(plan.headings.order_by("position", "pk"))
    h = next(i for i, x in enumerate(headings) if x.pk == action.heading_id) + offset
    if 0 <= h < len(headings):
        move_to_heading(action, headings[h], first=offset > 0)
        return ActionMove(heading=headings[h], first=offset > 0)
    return ActionMove()


def next_action(action: Action) -> Action | None:
    """The live action just after this one under its heading, if any."""
    after = Q(position__gt=action.position) | Q(position=action.position, pk__gt=action.pk)
    return (
        Action.objects.live()
        .filter(plan_id=action.plan_id, heading_id=action.heading_id)
        .filter(after)
        .exclude(pk=action.pk)
        .order_by("position", "pk")
        .first()
    )


def _renumber(actions: list[Action]) -> None:
    for n, a in enumerate(actions, start=1):
        a.position = n
    Action.objects.bulk_update(actions, ["position"])


@transaction.atomic
def move_to_heading(action: Action, heading: Heading, first: bool = False) -> None:
    """To the start or the end of another heading; the other actions keep their order."""
    check_editable(action.plan)
    if heading.plan_id != action.plan_id:
        raise PlanError("That heading belongs to another plan.")
    if heading.pk == action.heading_id:
        return
    others = Action.objects.filter(plan=action.plan, heading=heading)
    if first:
        others.update(position=F("position") + 1)
        action.position = 0
    else:
        action.position = (others.aggregate(last=Max("position"))["last"] or 0) + 1
    action.heading = heading
    action.save(update_fields=["heading", "position"])


@transaction.atomic
def duplicate_action(action: Action, by) -> Action:
    copy = add_action(
        action.heading,
        by=by,
        after=action,
        title=f"{action.title} (copy)",
        description=action.description,
        led_by=action.led_by,
        target_on=action.target_on,
        focus_years=list(action.focus_years),
        success_criteria=action.success_criteria,
        status=Status.NOT_STARTED,
    )
    PhaseTarget.objects.bulk_create(
        PhaseTarget(action=copy, phase_id=t.phase_id, month=t.month)
        for t in action.phase_targets.all()
    )
    return copy


def delete_action(action: Action, by) -> None:
    """Deleted actions stay until they are purged, so that 'Undo' can bring them back."""
    check_editable(action.plan)
    Action.objects.filter(pk=action.pk).update(
        deleted_at=timezone.now(), updated_by=by, version=F("version") + 1
    )


def undo_delete(action: Action, by) -> None:
    check_editable(action.plan)
    Action.objects.filter(pk=action.pk).update(
        deleted_at=None, updated_by=by, version=F("version") + 1
    )


def action_from_example(plan: ActionPlan, example: ExampleActivity, by) -> Action:
    """One of Appendix A's example activities, as a draft action under its theme."""
    heading = plan.headings.filter(theme_id=example.theme_id).first()
    if heading is None:
        ensure_theme_headings(plan)
        heading = plan.headings.get(theme_id=example.theme_id)
    return add_action(heading, by=by, title=example.text)


# --- Carrying forward ------------------------------------------------------------------------


def unfinished_actions(plan: ActionPlan):
    return (
        plan.actions.live()
        .filter(status__in=sorted(UNFINISHED_STATUSES))
        .select_related("heading__theme")
        .order_by("heading__position", "position")
    )


@transaction.atomic
def carry_forward(plan: ActionPlan, actions, by) -> list[Action]:
    """Copy the previous plan's chosen actions into this one; each keeps its lineage."""
    check_editable(plan)
    previous = plan.previous
    if previous is None:
        raise PlanError("This plan was not started from an earlier one.")
    headings = {(h.theme_id, h.own_name): h for h in plan.headings.all()}
    already = set(
        plan.actions.live().exclude(carried_from=None).values_list("carried_from_id", flat=True)
    )
    copies = []
    for old in actions:
        if old.plan_id != previous.pk:
            raise PlanError("Only actions of the previous plan can be carried forward.")
        if old.pk in already:
            continue
        heading = headings.get((old.heading.theme_id, old.heading.own_name))
        if heading is None:
            heading = add_heading(plan, old.heading.own_name)
            headings[(None, heading.own_name)] = heading
        copies.append(
            add_action(
                heading,
                by=by,
                title=old.title,
                description=old.description,
                led_by=old.led_by,
                success_criteria=old.success_criteria,
                status=old.status,
                comment=old.comment,
                carried_from=old,
                lineage=old.lineage,
            )
        )
    return copies


# --- Progress reviews ------------------------------------------------------------------------


@transaction.atomic
def start_review(
    plan: ActionPlan, *, by, reviewed_on: date, period_from: date, period_to: date
) -> ProgressReview:
    """A draft review with every live action at its current status and comment."""
    if period_to < period_from:
        raise PlanError("The period ends before it starts.")
    review = ProgressReview.objects.create(
        plan=plan,
        reviewed_on=reviewed_on,
        period_from=period_from,
        period_to=period_to,
        author=by,
    )
    ReviewEntry.objects.bulk_create(
        ReviewEntry(review=review, action=a, status=a.status, comment=a.comment)
        for a in plan.actions.live()
    )
    return review


def review_problems(review: ProgressReview) -> list[ReviewEntry]:
    """Entries that stop the review being finalised: every red needs an explanation."""
    return list(
        review.entries.filter(status=Status.RED, comment__regex=r"^\s*$")
        .select_related("action__heading__theme")
        .order_by("action__heading__position", "action__position")
    )


@transaction.atomic
def finalise_review(review: ProgressReview, by) -> ProgressReview:
    """Finalised reviews are read-only; the actions take the statuses they record."""
    review = ProgressReview.objects.select_for_update().get(pk=review.pk)
    if review.is_final:
        raise PlanError("This review is already final.")
    missing = review_problems(review)
    if missing:
        raise PlanError(
            f"{len(missing)} red action{'s need' if len(missing) != 1 else ' needs'} "
            "an explanation before the review can be finalised."
        )
    review.finalised_at = timezone.now()
    review.finalised_by = by
    review.save(update_fields=["finalised_at", "finalised_by"])
    for entry in review.entries.exclude(action=None).select_related("action"):
        # Each action takes the status the review records, and its comment as the latest on
        # the plan (a review that says nothing about an action leaves the plan's comment).
        # An entry whose action was since deleted from the plan has nothing to give it to.
        changes = {}
        if entry.action.status != entry.status:
            changes["status"] = entry.status
        comment = normalise_text(entry.comment)
        if comment and comment != normalise_text(entry.action.comment):
            changes["comment"] = comment
        if changes:
            Action.objects.filter(pk=entry.action_id).update(**changes, version=F("version") + 1)
    return review


def check_review_changeable(review: ProgressReview) -> None:
    """Refuse any change to a review that is final, or appended to a self-assessment whose
    content is frozen for signing, review or publication. A service that reopens a finalised
    review must call this too: it refuses while ``review.is_attached_to_frozen_assessment``."""
    if review.is_attached_to_frozen_assessment:
        raise PlanError(
            "This review is appended to a self-assessment that is being signed off, reviewed or "
            "has been accepted: it cannot change."
        )
    if review.is_final:
        raise PlanError("This review is final and cannot change.")


# --- Appending a review of an earlier plan to a later self-assessment -------------------------
# The lead appends it beside the later form's RAG-analysis question (actionplans/panels.py), and
# from then on it is part of the self-assessment's content: frozen with each revision, signed,
# reviewed, and published with it. A finalised review that was never published on its own (an
# earlier plan entered only for this, whose review needs no approval in the portal) reaches the
# public only this way, inside the published self-assessment, because the lead chose to append it.


@transaction.atomic
def append_review(review: ProgressReview, assessment: SelfAssessment, *, by) -> ProgressReview:
    """Append a finalised review of one of the organisation's earlier plans to the
    self-assessment while its answers may change."""
    assessment = SelfAssessment.objects.select_for_update().get(pk=assessment.pk)
    review = ProgressReview.objects.select_for_update().select_related("plan").get(pk=review.pk)
    if assessment.status not in EDITABLE_STATES:
        raise PlanError("The self-assessment cannot change now, so nothing can be appended.")
    if review.plan.organisation_id != assessment.organisation_id:
        raise PlanError("Only a review of your organisation's own plans can be appended.")
    if not review.is_final:
        raise PlanError("Finalise the review before appending it.")
    if review.plan.assessment_id == assessment.pk:
        raise PlanError("This cycle's own plan is already an appendix; append an earlier plan's.")
    if review.appended_to_id == assessment.pk:
        return review
    if review.appended_to_id is not None:
        raise PlanError("This review is already appended to another self-assessment.")
    review.appended_to = assessment
    review.save(update_fields=["appended_to"])
    return review


@transaction.atomic
def detach_review(review: ProgressReview, assessment: SelfAssessment, *, by) -> ProgressReview:
    """Take an appended review out of the self-assessment while its answers may change."""
    assessment = SelfAssessment.objects.select_for_update().get(pk=assessment.pk)
    review = ProgressReview.objects.select_for_update().get(pk=review.pk)
    if review.appended_to_id != assessment.pk:
        raise PlanError("This review is not appended to this self-assessment.")
    if assessment.status not in EDITABLE_STATES:
        raise PlanError("The self-assessment cannot change now, so its appendices stay.")
    review.appended_to = None
    review.save(update_fields=["appended_to"])
    return review


class ReviewNotReopened(PlanError):
    """The review may not be reopened (``ProgressReview.may_reopen`` says no)."""


@transaction.atomic
def reopen_review(review: ProgressReview, by) -> ProgressReview:
    """A final review back to a draft, for its lead to correct and finalise again. Refused
    once the review is published (the public has read it), and wherever ``may_reopen`` says
    no. The actions keep what the review gave them until it is finalised again."""
    review = ProgressReview.objects.select_for_update().get(pk=review.pk)
    if not review.is_final:
        raise ReviewNotReopened("This review is not final, so there is nothing to reopen.")
    if not review.may_reopen():
        if review.is_attached_to_frozen_assessment:
            raise ReviewNotReopened(
                "This review is appended to a self-assessment that is being signed off, "
                "reviewed or has been accepted, so it cannot be reopened now."
            )
        raise ReviewNotReopened(
            "This review is published, so it can no longer be reopened. Start a new review "
            "to record what has changed."
        )
    review.finalised_at = None
    review.finalised_by = None
    review.save(update_fields=["finalised_at", "finalised_by"])
    return review


@transaction.atomic
def import_review_rows(review: ProgressReview, rows: dict[int, tuple[str, str]]) -> int:
    """Set the status and comment of the review's entries (by entry id) from an imported
    spreadsheet; refused once the review is final. How many entries changed."""
    review = ProgressReview.objects.select_for_update().get(pk=review.pk)
    check_review_changeable(review)
    allowed = set(Status.values)
    changed = []
    for entry in review.entries.select_for_update().filter(pk__in=list(rows)):
        status, comment = rows[entry.pk]
        if status not in allowed:
            raise PlanError(f"‘{status}’ is not a status.")
        entry.status, entry.comment = status, normalise_text(comment)
        changed.append(entry)
    ReviewEntry.objects.bulk_update(changed, ["status", "comment"])
    return len(changed)


# --- Progress review pages: starting with an overall status, saving what people typed ---------
# (used by actionplans/views/reviews.py)


def begin_review(
    plan: ActionPlan,
    *,
    by,
    reviewed_on: date,
    period_from: date,
    period_to: date,
    overall_status: str,
) -> ProgressReview:
    """``start_review`` with the overall status the author chose."""
    with transaction.atomic():
        review = start_review(
            plan, by=by, reviewed_on=reviewed_on, period_from=period_from, period_to=period_to
        )
        review.overall_status = overall_status
        review.save(update_fields=["overall_status"])
    return review


def normalise_text(text: str) -> str:
    """Browsers send CR LF from text areas: store LF, without trailing blanks."""
    return (text or "").replace("\r\n", "\n").replace("\r", "\n").rstrip()


def fingerprint(status: str, text: str) -> str:
    """A short token of what a person saw, compared again when they save (compare-and-swap)."""
    import hashlib

    joined = f"{status}\x1f{normalise_text(text)}"
    return hashlib.sha256(joined.encode()).hexdigest()[:16]


@dataclass
class ReviewEdit:
    """One row of the review page as sent: the fingerprint the person saw, and what they want."""

    seen: str
    status: str
    comment: str


def untouched(edit: ReviewEdit) -> bool:
    """The person sent the row as they loaded it: whatever it holds now is not theirs to undo."""
    return fingerprint(edit.status, edit.comment) == edit.seen


@dataclass
class ReviewSave:
    saved: int
    conflicts: list[ReviewEntry]  # their entries, where a colleague saved first
    overall_conflict: bool = False


@transaction.atomic
def save_review(
    review: ProgressReview,
    edits: dict[int, ReviewEdit],
    *,
    overall: ReviewEdit | None = None,
) -> ReviewSave:
    """Save the rows a person changed (by entry id); rows they left alone are not written.

    A row a colleague changed since this person loaded it (its fingerprint differs) is not
    overwritten: it comes back as a conflict, for the page to show both versions. ``overall``
    carries the review's overall status and summary the same way."""
    review = ProgressReview.objects.select_for_update().get(pk=review.pk)
    check_review_changeable(review)
    allowed = set(Status.values)
    overall_conflict = False
    if overall is not None and overall.status in allowed and not untouched(overall):
        wanted = (overall.status, normalise_text(overall.comment))
        if wanted != (review.overall_status, normalise_text(review.summary)):
            if overall.seen != fingerprint(review.overall_status, review.summary):
                overall_conflict = True
            else:
                review.overall_status, review.summary = wanted
                review.save(update_fields=["overall_status", "summary"])
    entries = review.entries.select_for_update().filter(pk__in=list(edits))
    changed, conflicts = [], []
    for entry in entries.order_by("pk"):
        edit = edits[entry.pk]
        wanted = (edit.status, normalise_text(edit.comment))
        if (
            edit.status not in allowed
            or untouched(edit)
            or wanted == (entry.status, normalise_text(entry.comment))
        ):
            continue
        if edit.seen != fingerprint(entry.status, entry.comment):
            conflicts.append(entry)
            continue
        entry.status, entry.comment = wanted
        changed.append(entry)
    ReviewEntry.objects.bulk_update(changed, ["status", "comment"])
    return ReviewSave(saved=len(changed), conflicts=conflicts, overall_conflict=overall_conflict)
