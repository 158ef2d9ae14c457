"""The steering group's sector overview: every signatory, its next due date and where its
self-assessment stands. It lives here, above signatories, because it reads self-assessments and
their submitted revisions; its address stays /signatories/."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import OuterRef, Subquery
from django.http import Http404
from django.views.generic import TemplateView

from assessments.enums import AssessmentStatus
from assessments.models import SelfAssessment
from assessments.services import due_dates_for
from signatories.queries import organisations_visible_to
from signatories.rules import is_reviewer
from submissions import next_steps
from submissions.models import Snapshot


class SectorOverviewView(LoginRequiredMixin, TemplateView):
    """Every signatory with its next due date, overdue first."""

    template_name = "submissions/sector_overview.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.has_perm(
            "signatories.view_sector_overview"
        ):
            raise Http404("Not here.")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        # The latest self-assessment (its status and due date) and its latest submitted
        # revision, as subqueries of the one query for the organisations.
        latest = SelfAssessment.objects.filter(organisation=OuterRef("pk")).order_by(
            "-due_on", "-created_at", "-pk"
        )
        submitted = Snapshot.objects.filter(
            assessment_id=OuterRef("latest_assessment_id"), submitted_at__isnull=False
        ).order_by("-revision")
        organisations = list(
            organisations_visible_to(self.request.user)
            .annotate(
                latest_assessment_id=Subquery(latest.values("pk")[:1]),
                latest_status=Subquery(latest.values("status")[:1]),
                latest_due_on=Subquery(latest.values("due_on")[:1]),
            )
            .annotate(submitted_revision=Subquery(submitted.values("revision")[:1]))
        )
        for org in organisations:
            org.assessment_state = (
                AssessmentStatus(org.latest_status).label if org.latest_status else "Not started"
            )
        dues = due_dates_for(organisations)
        rows = [(org, dues[org.pk]) for org in organisations]
        rows.sort(key=lambda row: (row[1] is None, row[1].due_on if row[1] else None, row[0].name))
        # A reviewer's home page: the reviews waiting for them come first.
        step = (
            next_steps.for_reviewer(self.request.user) if is_reviewer(self.request.user) else None
        )
        return super().get_context_data(
            rows=rows, next_step={"step": step} if step else None, **kwargs
        )
