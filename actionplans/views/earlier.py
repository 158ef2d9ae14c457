"""Plans of earlier cycles, approved before the portal existed: recording one (its period, the
day it was approved and the original PDF), and opening that original.

The original is private to the organisation (and the portal's administrators) until the lead
chooses to show it on the public page; then anyone may open it here."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST, require_safe
from django.views.generic import TemplateView

from actionplans import services
from actionplans.forms import EarlierPlanForm, OriginalPdfForm
from actionplans.lookups import plan_for
from actionplans.models import ActionPlan
from actionplans.services import PlanError
from actionplans.views import PlanMixin
from signatories.mixins import OrganisationMixin
from signatories.models import Organisation
from techcommit.public_cache import MAX_AGE


class EarlierPlanView(OrganisationMixin, TemplateView):
    template_name = "actionplans/earlier_plan.html"
    permission = "actionplans.record_earlier_plan"

    def get_context_data(self, form=None, **kwargs):
        return super().get_context_data(form=form or EarlierPlanForm(), **kwargs)

    def post(self, request, *args, **kwargs):
        form = EarlierPlanForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        data = form.cleaned_data
        plan = services.record_earlier_plan(
            self.organisation,
            by=request.user,
            title=data["title"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            approved_on=data["approved_on"],
            original=data["original_pdf"],
            original_public=data["original_public"],
        )
        messages.success(
            request,
            f"‘{plan.title}’ is recorded as approved before the portal. Import its actions from "
            "a spreadsheet or type them in, then review its progress.",
        )
        return redirect(plan)


class OriginalView(PlanMixin, TemplateView):
    """Add an earlier plan's original PDF, or replace it."""

    template_name = "actionplans/earlier_original.html"
    permission = "actionplans.manage_original"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not self.plan.is_earlier:
            raise Http404("Only a plan approved before the portal has an original PDF.")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, form=None, **kwargs):
        return super().get_context_data(form=form or OriginalPdfForm(), **kwargs)

    def post(self, request, *args, **kwargs):
        form = OriginalPdfForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        services.replace_original(self.plan, form.cleaned_data["original_pdf"])
        messages.success(request, "The original PDF is saved.")
        return redirect(self.plan)


@login_required
@require_POST
def show_original(request, slug: str, pk: int):
    """Show an earlier plan's original on the public page ("yes"), or take it off."""
    plan = plan_for(request.user, slug, pk, "actionplans.manage_original")
    public = request.POST.get("public") == "yes"
    try:
        services.show_original(plan, public=public)
    except PlanError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            "The original PDF is shown on your public page."
            if public
            else "The original PDF is no longer on your public page.",
        )
    return redirect(plan)


@require_safe
def original(request, slug: str, pk: int):
    """The original PDF of an earlier plan: for anyone once it is public, otherwise for those
    who may see the plan (everyone else gets a 404, as if there were none)."""
    organisation = get_object_or_404(Organisation, slug=slug)
    public = ActionPlan.objects.filter(organisation=organisation, original_public=True)
    plan = public.exclude(original_pdf="").filter(pk=pk).first()
    if plan is None:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        plan = plan_for(request.user, slug, pk)
    if not plan.original_pdf:
        raise Http404("This plan has no original PDF.")
    response = FileResponse(
        plan.original_pdf.open("rb"),
        content_type="application/pdf",
        filename=f"{plan.organisation.slug}-plan-{plan.starts_on:%Y-%m}-original.pdf",
    )
    response["X-Content-Type-Options"] = "nosniff"
    # Public as the public pages are (asked again after MAX_AGE, in case it was taken off).
    response["Cache-Control"] = (
        f"public, max-age={MAX_AGE}" if plan.original_public else "private, no-cache"
    )
    return response
