"""Action plan pages, in three modules: the plan and its editor (``plans``), progress reviews
(``reviews``), and import and export (``transfer``). Shared lookups live here."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.functional import cached_property

from actionplans.models import ActionPlan
from actionplans.queries import plans_of
from signatories.models import Organisation
from techcommit.permissions import may


def plan_for(request, slug: str, pk: int, permission: str = "actionplans.view_plan") -> ActionPlan:
    """A plan reached through its organisation; 404 for anyone without ``permission``."""
    organisation = get_object_or_404(Organisation, slug=slug)
    plan = get_object_or_404(plans_of(organisation), pk=pk)
    if not may(request.user, "actionplans.view_plan", plan):
        raise Http404("No action plan here.")
    if permission != "actionplans.view_plan" and not may(request.user, permission, plan):
        raise Http404("You cannot change this action plan.")
    return plan


class PlanMixin(LoginRequiredMixin):
    """Pages of one plan; ``permission`` decides who reaches them (404 for everyone else)."""

    permission = "actionplans.view_plan"

    @cached_property
    def plan(self) -> ActionPlan:
        return plan_for(self.request, self.kwargs["slug"], self.kwargs["pk"], self.permission)

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.plan  # noqa: B018 - 404 before anything else
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        user, plan = self.request.user, self.plan
        return super().get_context_data(
            plan=plan,
            organisation=plan.organisation,
            can_change=may(user, "actionplans.change_plan", plan),
            can_shape=may(user, "actionplans.shape_plan", plan),
            can_review=may(user, "actionplans.review_plan", plan),
            **kwargs,
        )
