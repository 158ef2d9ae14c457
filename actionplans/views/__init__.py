"""Action plan pages, in four modules: the plan and its editor (``plans``), progress reviews
(``reviews``), import and export (``transfer``), and the owner key's order (``key``). The mixin
they share lives here; the plan lookup is actionplans/lookups.py."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.utils.functional import cached_property

from actionplans.lookups import plan_for
from actionplans.models import ActionPlan
from techcommit.permissions import may


class PlanMixin(LoginRequiredMixin):
    """Pages of one plan; ``permission`` decides who reaches them (404 for everyone else)."""

    permission = "actionplans.view_plan"

    @cached_property
    def plan(self) -> ActionPlan:
        return plan_for(self.request.user, self.kwargs["slug"], self.kwargs["pk"], self.permission)

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
