"""The plan list, the plan table and its inline editor, carrying forward, and the plan's shape
(key, status words, headings, phases).

Every action works without JavaScript (a POST and a redirect back to the row); with htmx the
same URLs answer with the rows that changed and nothing else (``_changes``), so that the cost of
a change does not grow with the plan. The rows' menus post to one form for the whole table
(``change_row``), which carries the page's one CSRF token."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe
from django.views.generic import TemplateView

from actionplans import services
from actionplans.forms import (
    ActionForm,
    HeadingForm,
    OwnerCodeForm,
    PhaseForm,
    PlanDetailsForm,
    PlanStartForm,
    WordingForm,
)
from actionplans.lookups import plan_for
from actionplans.models import Action, Heading, OwnerCode, Phase
from actionplans.queries import heading_counts, load_plan, load_rows, load_shape, plans_of
from actionplans.services import PlanError
from actionplans.views import PlanMixin, may
from assessments.models import ExampleActivity
from signatories.mixins import OrganisationMixin
from signatories.models import Organisation
from techcommit.forms import id_or_404, parse_id, parse_ids

PLAN_PAGE = "actionplans/plan.html"


# --- The list and starting a plan --------------------------------------------------------------


class PlanListView(OrganisationMixin, TemplateView):
    template_name = "actionplans/plan_list.html"
    permission = "actionplans.view_plans"

    def get_context_data(self, form=None, **kwargs):
        organisation = self.organisation
        can_add = may(self.request.user, "actionplans.add_plan", organisation)
        return super().get_context_data(
            plans=list(plans_of(organisation)),
            can_add=can_add,
            can_record_earlier=may(
                self.request.user, "actionplans.record_earlier_plan", organisation
            ),
            form=form or (PlanStartForm(organisation=organisation) if can_add else None),
            **kwargs,
        )


@login_required
@require_POST
def start_plan(request, slug: str):
    organisation = get_object_or_404(Organisation, slug=slug)
    if not may(request.user, "actionplans.view_plans", organisation) or not may(
        request.user, "actionplans.add_plan", organisation
    ):
        raise Http404("You cannot start a plan here.")
    form = PlanStartForm(request.POST, organisation=organisation)
    if not form.is_valid():
        view = PlanListView(request=request, kwargs={"slug": slug})
        return view.render_to_response(view.get_context_data(form=form), status=400)
    data = form.cleaned_data
    plan = services.create_plan(
        organisation,
        by=request.user,
        title=data["title"],
        starts_on=data["starts_on"],
        horizon_months=data["horizon_months"],
        timing_style=data["timing_style"],
        assessment=data["assessment"],
        previous=data["previous"],
    )
    messages.success(request, f"‘{plan.title}’ is started.")
    if plan.previous_id and services.unfinished_actions(plan.previous).exists():
        return redirect("actionplans:carry_forward", slug=slug, pk=plan.pk)
    return redirect(plan)


# --- The plan table ----------------------------------------------------------------------------


# Every name the plan page and its partials read, so that each fragment renders on its own.
PAGE_DEFAULTS = {
    "editing": None,
    "edit_form": None,
    "adding": None,
    "new_form": None,
    "focus": "",
    "deleted": None,
    "added": None,
    "just_saved": False,
    "open_menu": None,
    "row_oob": "",
    "conflict": None,
    "examples": None,
    "form": None,
}


def base_context(request, loaded, **extra) -> dict:
    plan = loaded.plan
    return {
        **PAGE_DEFAULTS,
        "plan": plan,
        "organisation": plan.organisation,
        "loaded": loaded,
        "wording": loaded.wording,
        "can_change": may(request.user, "actionplans.change_plan", plan),
        "can_shape": may(request.user, "actionplans.shape_plan", plan),
        **extra,
    }


def table_context(request, plan, **extra) -> dict:
    return base_context(request, load_plan(plan), **extra)


def render_table(request, plan, status=200, **extra):
    return render(
        request, f"{PLAN_PAGE}#table", table_context(request, plan, **extra), status=status
    )


class PlanView(PlanMixin, TemplateView):
    template_name = PLAN_PAGE

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(table_context(self.request, self.plan, **kwargs))
        editing = parse_id(self.request.GET.get("edit"))
        if context["can_change"] and editing:
            context["editing"] = editing
            action = next((a for a in context["loaded"].actions if a.pk == editing), None)
            if action is not None:
                context["edit_form"] = action_form(context["loaded"], action=action)
        adding = parse_id(self.request.GET.get("add"))
        if context["can_change"] and adding:
            heading = next(
                (g.heading for g in context["loaded"].headings if g.heading.pk == adding), None
            )
            if heading is not None:
                context["adding"] = heading.pk
                context["new_form"] = action_form(context["loaded"], initial_heading=heading)
        deleted = parse_id(self.request.GET.get("deleted"))
        if context["can_change"] and deleted:
            # Without JavaScript, 'Delete' comes back here, still offering 'Undo'.
            context["deleted"] = (
                Action.objects.filter(plan=self.plan, pk=deleted).exclude(deleted_at=None).first()
            )
        if context["can_change"]:
            context["open_menu"] = parse_id(self.request.GET.get("menu"))
            context["examples"] = services.plan_themes().prefetch_related("examples")
        context["status_changes"] = list(self.plan.status_changes.all())
        context["can_manage_original"] = self.plan.is_earlier and may(
            self.request.user, "actionplans.manage_original", self.plan
        )
        return context


def action_form(
    loaded, data=None, action: Action | None = None, initial_heading=None, **kwargs
) -> ActionForm:
    initial = ActionForm.initial_for(action) if action else {"version": 0}
    if initial_heading is not None:
        initial["heading"] = initial_heading.pk
    return ActionForm(
        data,
        initial=initial,
        plan=loaded.plan,
        wording=loaded.wording,
        owner_codes=loaded.owner_codes,
        phases=loaded.phases,
        headings=[group.heading for group in loaded.headings],
        auto_id=f"{'a' + str(action.pk) if action else 'new'}-%s",
        **kwargs,
    )


def _action_for(request, slug, pk, action_id, permission="actionplans.change_plan") -> Action:
    plan = plan_for(request.user, slug, pk, permission)
    action = get_object_or_404(
        Action.objects.live().select_related("heading__theme", "plan__organisation"),
        pk=action_id,
        plan=plan,
    )
    action.plan = plan
    return action


def _heading_of(loaded, heading_id) -> Heading:
    heading = next((g.heading for g in loaded.headings if g.heading.pk == heading_id), None)
    if heading is None:
        raise Http404("No such heading in this plan.")
    return heading


def _row(request, loaded, action, form=None, conflict=None, status=200, just_saved=False):
    """One row of the table: shown, or (with a form) being edited. Only this action is read."""
    if form is None:
        action = load_rows(loaded.plan, [action.pk])[action.pk]
    context = base_context(
        request, loaded, action=action, form=form, conflict=conflict, just_saved=just_saved
    )
    fragment = "edit_row" if form is not None else "row"
    return render(request, f"{PLAN_PAGE}#{fragment}", context, status=status)


def _changes(
    request,
    loaded,
    *,
    main=(),
    oob=(),
    counts=(),
    deleted=None,
    focus="",
    **extra,
):
    """The htmx answer to a change of a few rows, whatever the plan's size.

    ``main`` (action ids) replaces the element the request came from (the row, or nothing to
    remove it); ``oob`` is ``(action id, "style:#selector")`` for rows elsewhere (a neighbour
    that swapped places, a row that went into another heading); ``counts`` are headings whose
    number of actions changed; ``deleted`` offers 'Undo'."""
    plan = loaded.plan
    rows = load_rows(plan, [*main, *(pk for pk, _ in oob)])
    numbers, total = heading_counts(plan, counts) if counts else ({}, None)
    context = base_context(
        request,
        loaded,
        main_rows=[rows[pk] for pk in main if pk in rows],
        oob_rows=[
            {"action": rows[pk], "swap": swap, "wrap": not swap.startswith("outerHTML")}
            for pk, swap in oob
            if pk in rows
        ],
        counts=numbers,
        total=total,
        deleted=deleted,
        focus=focus,
        **extra,
    )
    return render(request, f"{PLAN_PAGE}#changes", context)


def _back_to(plan, anchor: str = "", **query):
    url = plan.get_absolute_url()
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return redirect(f"{url}#{anchor}" if anchor else url)


def _end_of(heading) -> str:
    return f"beforebegin:#add-row-{heading.pk}"


@login_required
@require_safe
def action_row(request, slug: str, pk: int, action_id: int):
    """The row as it is shown (htmx: 'Cancel' on an edit row)."""
    action = _action_for(request, slug, pk, action_id, "actionplans.view_plan")
    if not request.htmx:
        return _back_to(action.plan, f"action-{action.pk}")
    return _row(request, load_shape(action.plan), action)


@login_required
@require_safe
def edit_action(request, slug: str, pk: int, action_id: int):
    action = _action_for(request, slug, pk, action_id)
    if not request.htmx:
        return _back_to(action.plan, f"action-{action.pk}", edit=action.pk)
    loaded = load_shape(action.plan)
    return _row(request, loaded, action, form=action_form(loaded, action=action))


@login_required
@require_POST
def save_action(request, slug: str, pk: int, action_id: int):
    action = _action_for(request, slug, pk, action_id)
    loaded = load_shape(action.plan)
    form = action_form(loaded, request.POST, action=action)
    if not form.is_valid():
        return _invalid(request, loaded, action, form)
    result = services.save_action(
        action,
        base_version=form.cleaned_data["version"],
        by=request.user,
        targets=form.phase_targets() if loaded.phases else None,
        **form.changes(),
    )
    heading_id = form.cleaned_data.get("heading")
    if not result.conflict and heading_id and heading_id != action.heading_id:
        heading = _heading_of(loaded, heading_id)
        services.move_to_heading(result.action, heading)
        if request.htmx:
            return _changes(
                request,
                loaded,
                oob=[(action.pk, _end_of(heading))],
                counts=[action.heading_id, heading.pk],
                focus=f"#edit-{action.pk}",
            )
    if result.conflict:
        # Keep what this person typed; show what the colleague saved; the next save wins.
        theirs = result.action
        data = request.POST.copy()
        data["version"] = str(theirs.version)
        retry = action_form(loaded, data, action=theirs)
        retry.is_valid()
        if not request.htmx:
            context = table_context(request, action.plan, editing=action.pk, edit_form=retry)
            context.update(conflict=theirs, examples=None)
            return render(request, PLAN_PAGE, context, status=409)
        return _row(request, loaded, theirs, form=retry, conflict=theirs, status=409)
    if not request.htmx:
        messages.success(request, "Action saved.")
        return _back_to(action.plan, f"action-{action.pk}")
    return _row(request, loaded, result.action, just_saved=True)


def _invalid(request, loaded, action, form, heading=None):
    """Show the row again with every problem listed and everything typed kept."""
    if request.htmx and action is not None:
        return _row(request, loaded, action, form=form, status=400)
    context = table_context(request, loaded.plan)
    if action is not None:
        context.update(editing=action.pk, edit_form=form)
    else:
        context.update(adding=heading.pk, new_form=form)
    return render(request, PLAN_PAGE, context, status=400)


@login_required
@require_safe
def new_action(request, slug: str, pk: int, heading_id: int):
    """An empty edit row under a heading; nothing is saved until 'Save'."""
    plan = plan_for(request.user, slug, pk, "actionplans.change_plan")
    heading = get_object_or_404(Heading.objects.select_related("theme"), pk=heading_id, plan=plan)
    if not request.htmx:
        return _back_to(plan, f"heading-{heading.pk}", add=heading.pk)
    loaded = load_shape(plan)
    form = action_form(loaded, initial_heading=heading)
    context = base_context(request, loaded, form=form, heading=heading)
    return render(request, f"{PLAN_PAGE}#new_row", context)


@login_required
@require_POST
def add_action(request, slug: str, pk: int, heading_id: int):
    plan = plan_for(request.user, slug, pk, "actionplans.change_plan")
    loaded = load_shape(plan)
    heading = _heading_of(loaded, heading_id)
    form = action_form(loaded, request.POST, initial_heading=heading)
    if not form.is_valid():
        if request.htmx:
            context = base_context(request, loaded, form=form, heading=heading)
            response = render(request, f"{PLAN_PAGE}#new_row", context, status=400)
            response["HX-Retarget"] = f"#new-action-{heading.pk}"
            response["HX-Reswap"] = "outerHTML"
            return response
        return _invalid(request, loaded, None, form, heading=heading)
    asked = heading
    chosen = form.cleaned_data.get("heading")
    if chosen and chosen != heading.pk:
        heading = _heading_of(loaded, chosen)
    action = services.add_action(
        heading,
        by=request.user,
        targets=form.phase_targets() if loaded.phases else None,
        **form.changes(),
    )
    if not request.htmx:
        messages.success(request, "Action added.")
        return _back_to(plan, f"action-{action.pk}")
    # The new row takes the place of the form (the end of its heading), or goes to the end of
    # the heading chosen in the form.
    here = heading.pk == asked.pk
    return _changes(
        request,
        loaded,
        main=[action.pk] if here else [],
        oob=[] if here else [(action.pk, _end_of(heading))],
        counts=[heading.pk],
        focus=f"#edit-{action.pk}",
        added=action.pk,
    )


# The row changes below are reached through ``change_row`` only (the table's one form), which
# checks the method and the sign-in; each finds its action through the plan the user may change.


def _move(request, slug: str, pk: int, action_id: int, direction: str):
    action = _action_for(request, slug, pk, action_id)
    was_under = action.heading_id
    moved = services.ActionMove()
    try:
        moved = services.move_action(action, -1 if direction == "up" else 1)
    except PlanError as error:
        messages.error(request, str(error))
    if not request.htmx:  # back to the row, its menu still open for the next move
        return _back_to(action.plan, f"action-{action.pk}", menu=action.pk)
    loaded = load_shape(action.plan)
    focus = f"#row-menu [value='{direction}-{action.pk}']"
    if moved.swapped_with is not None:
        # The row goes to the other side of its neighbour, which is left as it is (shown, or
        # open in its editor with whatever is typed there).
        side = "beforebegin" if direction == "up" else "afterend"
        return _changes(
            request,
            loaded,
            oob=[(action.pk, f"{side}:#action-{moved.swapped_with.pk}")],
            focus=focus,
            open_menu=action.pk,
        )
    if moved.heading is not None:
        place = (
            f"afterend:#heading-row-{moved.heading.pk}" if moved.first else _end_of(moved.heading)
        )
        return _changes(
            request,
            loaded,
            oob=[(action.pk, place)],
            counts=[was_under, moved.heading.pk],
            focus=focus,
            open_menu=action.pk,
        )
    return _changes(request, loaded, main=[action.pk], focus=focus, open_menu=action.pk)


def _duplicate(request, slug: str, pk: int, action_id: int):
    action = _action_for(request, slug, pk, action_id)
    copy = services.duplicate_action(action, by=request.user)
    if not request.htmx:
        messages.success(request, "Action duplicated.")
        return _back_to(action.plan, f"action-{copy.pk}")
    return _changes(
        request,
        load_shape(action.plan),
        main=[action.pk, copy.pk],
        counts=[action.heading_id],
        focus=f"#edit-{copy.pk}",
        added=copy.pk,
    )


def _delete(request, slug: str, pk: int, action_id: int):
    action = _action_for(request, slug, pk, action_id)
    services.delete_action(action, by=request.user)
    if not request.htmx:
        messages.success(request, f"Action ‘{action.title}’ deleted.")
        return _back_to(action.plan, "undo", deleted=action.pk)
    return _changes(
        request,
        load_shape(action.plan),
        counts=[action.heading_id],
        deleted=action,
        focus="#undo",
    )


def _undo(request, slug: str, pk: int, action_id: int):
    plan = plan_for(request.user, slug, pk, "actionplans.change_plan")
    action = get_object_or_404(Action.objects.exclude(deleted_at=None), pk=action_id, plan=plan)
    action.plan = plan
    services.undo_delete(action, by=request.user)
    if not request.htmx:
        messages.success(request, f"Action ‘{action.title}’ is back.")
        return _back_to(plan, f"action-{action.pk}")
    # Back in its place: before the next action of its heading, or at the heading's end.
    following = services.next_action(action)
    place = f"beforebegin:#action-{following.pk}" if following else None
    return _changes(
        request,
        load_shape(plan),
        oob=[(action.pk, place or f"beforebegin:#add-row-{action.heading_id}")],
        counts=[action.heading_id],
        focus=f"#edit-{action.pk}",
        undo_done=True,
    )


ROW_CHANGES = {"duplicate": _duplicate, "delete": _delete, "undo": _undo}


@login_required
@require_POST
def change_row(request, slug: str, pk: int):
    """The table's one form: each row's menu posts ``do=<change>-<action id>`` here, so that
    rows carry neither a form nor a token of their own (with or without JavaScript)."""
    change, _, action_id = request.POST.get("do", "").partition("-")
    action_id = id_or_404(action_id)
    if change in ("up", "down"):
        return _move(request, slug, pk, action_id, direction=change)
    if change not in ROW_CHANGES:
        raise Http404("No such change.")
    return ROW_CHANGES[change](request, slug, pk, action_id)


@login_required
@require_POST
def add_example(request, slug: str, pk: int, example_id: int):
    """One of Appendix A's example activities, as a draft action under its theme."""
    plan = plan_for(request.user, slug, pk, "actionplans.change_plan")
    example = get_object_or_404(ExampleActivity.objects.select_related("theme"), pk=example_id)
    action = services.action_from_example(plan, example, by=request.user)
    messages.success(request, f"‘{example.text}’ added under {example.theme.name}.")
    return _back_to(plan, f"action-{action.pk}", edit=action.pk)


# --- Carrying forward ----------------------------------------------------------------------


class CarryForwardView(PlanMixin, TemplateView):
    template_name = "actionplans/carry_forward.html"
    permission = "actionplans.change_plan"

    def get_context_data(self, **kwargs):
        plan = self.plan
        offered = list(services.unfinished_actions(plan.previous)) if plan.previous else []
        carried = set(
            plan.actions.live().exclude(carried_from=None).values_list("carried_from_id", flat=True)
        )
        wording = services.wording_for(plan.previous) if plan.previous else {}
        return super().get_context_data(
            offered=[a for a in offered if a.pk not in carried],
            wording=wording,
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        plan = self.plan
        if plan.previous is None:
            raise Http404("This plan was not started from an earlier one.")
        chosen = parse_ids(request.POST.getlist("action"))
        actions = [a for a in services.unfinished_actions(plan.previous) if a.pk in chosen]
        copies = services.carry_forward(plan, actions, by=request.user)
        messages.success(
            request,
            f"{len(copies)} action{'s' if len(copies) != 1 else ''} carried forward."
            if copies
            else "No actions carried forward.",
        )
        return redirect(plan)


# --- The plan's shape: details, phases, key, words, headings -------------------------------


class PlanSettingsView(PlanMixin, TemplateView):
    template_name = "actionplans/settings.html"
    permission = "actionplans.shape_plan"

    def get_context_data(self, **kwargs):
        plan = self.plan
        kwargs.setdefault("details_form", PlanDetailsForm(instance=plan, prefix="details"))
        kwargs.setdefault("phase_form", PhaseForm(prefix="phase"))
        kwargs.setdefault("code_form", OwnerCodeForm(prefix="code"))
        kwargs.setdefault(
            "wording_form", WordingForm(wording=services.wording_for(plan), prefix="wording")
        )
        kwargs.setdefault("heading_form", HeadingForm(prefix="heading"))
        in_use = {}
        for led_by in plan.actions.live().values_list("led_by", flat=True):
            for code in filter(None, led_by.split("/")):
                in_use[code] = in_use.get(code, 0) + 1
        return super().get_context_data(
            phases=list(plan.phases.all()),
            codes=[(c, in_use.get(c.code, 0)) for c in plan.owner_codes.all()],
            headings=list(plan.headings.select_related("theme")),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        plan, part = self.plan, kwargs.get("part", "")
        handler = getattr(self, f"post_{part}", None)
        if handler is None:
            raise Http404("No such setting.")
        try:
            with transaction.atomic():
                response = handler(request, plan)
        except PlanError as error:
            messages.error(request, str(error))
            response = None
        return response or redirect("actionplans:settings", slug=kwargs["slug"], pk=plan.pk)

    def _again(self, status=400, **forms):
        return self.render_to_response(self.get_context_data(**forms), status=status)

    def post_details(self, request, plan):
        form = PlanDetailsForm(request.POST, instance=plan, prefix="details")
        if not form.is_valid():
            return self._again(details_form=form)
        form.save()
        messages.success(request, "Plan details saved.")
        return None

    def post_phase(self, request, plan):
        form = PhaseForm(request.POST, prefix="phase")
        if not form.is_valid():
            return self._again(phase_form=form)
        data = form.cleaned_data
        phase = services.add_phase(plan, data["name"], data["starts_on"], data["ends_on"])
        messages.success(request, f"‘{phase.name}’ added.")
        return None

    def post_delete_phase(self, request, plan):
        phase = get_object_or_404(Phase, pk=id_or_404(request.POST.get("phase")), plan=plan)
        phase.delete()
        messages.success(request, f"‘{phase.name}’ removed, with its target months.")

    def post_code(self, request, plan):
        form = OwnerCodeForm(request.POST, prefix="code")
        if not form.is_valid():
            return self._again(code_form=form)
        code = services.add_owner_code(plan, form.cleaned_data["code"], form.cleaned_data["title"])
        messages.success(request, f"‘{code.code}’ added to the key.")
        return None

    def post_rename_code(self, request, plan):
        owner = get_object_or_404(OwnerCode, pk=id_or_404(request.POST.get("owner")), plan=plan)
        services.change_owner_code(
            owner, request.POST.get("code", ""), request.POST.get("title", "")
        )
        messages.success(request, f"‘{owner.code}’ saved; actions led by it follow.")

    def post_delete_code(self, request, plan):
        owner = get_object_or_404(OwnerCode, pk=id_or_404(request.POST.get("owner")), plan=plan)
        services.delete_owner_code(owner)
        messages.success(request, f"‘{owner.code}’ removed from the key.")

    def post_wording(self, request, plan):
        form = WordingForm(request.POST, wording=services.wording_for(plan), prefix="wording")
        if not form.is_valid():
            return self._again(wording_form=form)
        data = form.cleaned_data
        # Two passes, so that swapping two words never clashes half-way.
        for status, _, _ in form.rows():
            services.set_wording(plan, status, f"\u2063{status}")
        for status, _, _ in form.rows():
            services.set_wording(
                plan, status, data[f"{status}_label"], data[f"{status}_description"]
            )
        messages.success(request, "Status words saved.")
        return None

    def post_heading(self, request, plan):
        form = HeadingForm(request.POST, prefix="heading")
        if not form.is_valid():
            return self._again(heading_form=form)
        heading = services.add_heading(plan, form.cleaned_data["name"])
        messages.success(request, f"‘{heading.name}’ added.")
        return None

    def post_move_heading(self, request, plan):
        heading = get_object_or_404(Heading, pk=id_or_404(request.POST.get("heading")), plan=plan)
        services.move_heading(heading, -1 if request.POST.get("direction") == "up" else 1)

    def post_delete_heading(self, request, plan):
        heading = get_object_or_404(Heading, pk=id_or_404(request.POST.get("heading")), plan=plan)
        services.delete_heading(heading)
        messages.success(request, f"‘{heading.name}’ removed.")
