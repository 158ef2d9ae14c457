"""The reviewer pool in the portal's administration: who reviews, where they work, their
training, the rounds they can take part in, and how many reviews they have open."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import redirect
from django.views.generic import TemplateView, UpdateView

from signatories.mixins import SectorPermissionMixin
from submissions.enums import REVIEW_QUEUE_STATES
from submissions.forms_pool import AddReviewerForm, ReviewerForm
from submissions.models import Reviewer


class PoolMixin(SectorPermissionMixin):
    permission = "submissions.manage_reviews"


class PoolView(PoolMixin, TemplateView):
    template_name = "submissions/admin/pool.html"

    def get_context_data(self, **kwargs):
        reviewers = list(
            Reviewer.objects.select_related("user", "organisation")
            .prefetch_related("available_in")
            .annotate(
                open_reviews=Count(
                    "user__assignments",
                    filter=Q(user__assignments__assessment__status__in=REVIEW_QUEUE_STATES),
                )
            )
            .order_by("user__full_name", "user__email")
        )
        return super().get_context_data(reviewers=reviewers, **kwargs)


class AddReviewerView(PoolMixin, TemplateView):
    template_name = "submissions/admin/reviewer_form.html"

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", AddReviewerForm())
        return super().get_context_data(**kwargs)

    def post(self, request, *args, **kwargs):
        form = AddReviewerForm(request.POST)
        if form.is_valid():
            try:
                reviewer = form.save()
            except ValidationError:
                pass
            else:
                messages.success(request, f"{reviewer.user} is in the reviewer pool.")
                return redirect("submissions:admin_pool")
        return self.render_to_response(self.get_context_data(form=form))


class ReviewerView(PoolMixin, UpdateView):
    template_name = "submissions/admin/reviewer_form.html"
    form_class = ReviewerForm
    queryset = Reviewer.objects.select_related("user")

    def form_valid(self, form):
        reviewer = form.save()
        messages.success(self.request, f"The pool entry of {reviewer.user} has been saved.")
        return redirect("submissions:admin_pool")
