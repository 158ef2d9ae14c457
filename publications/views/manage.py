"""Publishing, for an organisation's lead: publish an accepted self-assessment, an approved plan
or a finalised progress review; withdraw a publication with a reason. Members see the list."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView

from actionplans.lookups import plan_for
from actionplans.models import ActionPlan, ProgressReview, UpdatePaper
from actionplans.papers import paper_as_data
from assessments.enums import AssessmentStatus
from assessments.models import SelfAssessment
from publications import services
from publications.models import Publication
from publications.queries import update_paper_view
from publications.services import PublishError
from signatories.mixins import OrganisationMixin
from signatories.models import Organisation
from techcommit.permissions import may

VIEW_PLAN = "actionplans.view_plan"


def organisation_to_publish(request, slug: str) -> Organisation:
    organisation = get_object_or_404(Organisation, slug=slug)
    if not may(request.user, "publications.publish", organisation):
        raise Http404("You cannot publish for this organisation.")
    return organisation


class PublicationsView(OrganisationMixin, TemplateView):
    """Everything the organisation has published, withdrawn included, and what it could."""

    template_name = "publications/manage.html"
    permission = "actionplans.view_plans"

    def get_context_data(self, **kwargs):
        organisation = self.organisation
        can_publish = may(self.request.user, "publications.publish", organisation)
        return super().get_context_data(
            publications=list(
                Publication.objects.filter(organisation=organisation).select_related(
                    "published_by", "withdrawn_by"
                )
            ),
            can_publish=can_publish,
            accepted=list(
                SelfAssessment.objects.filter(
                    organisation=organisation, status=AssessmentStatus.ACCEPTED
                )
            )
            if can_publish
            else [],
            plans=list(ActionPlan.objects.filter(organisation=organisation).exclude(status="draft"))
            if can_publish
            else [],
            reviews=list(
                ProgressReview.objects.filter(
                    plan__organisation=organisation, finalised_at__isnull=False
                )
                # A plan of an earlier cycle was approved before the portal: its reviews too.
                .exclude(plan__status="draft", plan__approved_outside_on__isnull=True)
                .select_related("plan")
            )
            if can_publish
            else [],
            papers=list(
                UpdatePaper.objects.filter(
                    review__plan__organisation=organisation, review__finalised_at__isnull=False
                )
                .exclude(review__plan__status="draft")
                .select_related("review__plan")
            )
            if can_publish
            else [],
            **kwargs,
        )


def _publish(request, slug, make):
    organisation = organisation_to_publish(request, slug)
    try:
        publication = make(organisation)
    except PublishError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            f"‘{publication.title}’ is published as version {publication.version}. "
            "Its PDF is being prepared.",
        )
    return redirect("publications:manage", slug=slug)


@login_required
@require_POST
def publish_self_assessment(request, slug: str, assessment_id: int):
    return _publish(
        request,
        slug,
        lambda organisation: services.publish_self_assessment(
            get_object_or_404(SelfAssessment, pk=assessment_id, organisation=organisation),
            by=request.user,
        ),
    )


@login_required
@require_POST
def publish_plan(request, slug: str, plan_id: int):
    return _publish(
        request,
        slug,
        lambda organisation: services.publish_plan(
            get_object_or_404(ActionPlan, pk=plan_id, organisation=organisation), by=request.user
        ),
    )


@login_required
@require_POST
def publish_review(request, slug: str, review_id: int):
    return _publish(
        request,
        slug,
        lambda organisation: services.publish_review(
            get_object_or_404(
                ProgressReview.objects.select_related("plan__organisation"),
                pk=review_id,
                plan__organisation=organisation,
            ),
            by=request.user,
        ),
    )


def _paper(request, slug: str, paper_id: int, permission: str) -> UpdatePaper:
    """An update paper of one of the organisation's plans, for whoever has ``permission`` on
    that plan; 404 for everyone else."""
    paper = get_object_or_404(
        UpdatePaper.objects.select_related("review__plan"),
        pk=paper_id,
        review__plan__organisation__slug=slug,
    )
    plan_for(request.user, slug, paper.review.plan_id, permission)
    return paper


class UpdatePaperPreviewView(LoginRequiredMixin, TemplateView):
    """An update paper as its public page will show it, for the organisation's members."""

    template_name = "publications/update_paper_preview.html"

    def get_context_data(self, **kwargs):
        paper = _paper(self.request, self.kwargs["slug"], self.kwargs["paper_id"], VIEW_PLAN)
        plan = paper.review.plan
        return super().get_context_data(
            paper=paper,
            plan=plan,
            organisation=plan.organisation,
            paper_content=update_paper_view(paper_as_data(paper)),
            can_publish=may(self.request.user, "publications.publish", plan.organisation),
            **kwargs,
        )


@login_required
@require_POST
def publish_update_paper(request, slug: str, paper_id: int):
    return _publish(
        request,
        slug,
        lambda organisation: services.publish_update_paper(
            get_object_or_404(UpdatePaper, pk=paper_id, review__plan__organisation=organisation),
            by=request.user,
        ),
    )


@login_required
@require_POST
def withdraw(request, slug: str, pk: int):
    organisation = organisation_to_publish(request, slug)
    publication = get_object_or_404(Publication, pk=pk, organisation=organisation)
    try:
        services.withdraw(publication, by=request.user, reason=request.POST.get("reason", ""))
    except PublishError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, f"‘{publication.title}’ (version {publication.version}) is withdrawn."
        )
    return redirect("publications:manage", slug=slug)
