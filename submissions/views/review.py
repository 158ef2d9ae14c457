"""The steering group's side: the review queue, the reviewer pool's assignments, the reviewer's
workspace (notes beside the snapshot), what changed between revisions, and the organisation's
page of released feedback with its replies.

Reviewer-only notes (comments not shared, the structured assessment) appear only on pages that
need ``submissions.read_reviewer_notes``; the feedback page reads only what was released.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import cached_property
from django.views import View
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView

from assessments.enums import AssessmentStatus
from assessments.models import Section
from signatories.rules import is_reviewer
from submissions import next_steps, queries, services
from submissions.enums import Criterion, Decision
from submissions.forms_review import (
    AssignForm,
    CommentForm,
    FeedbackForm,
    QueueFilterForm,
    RatingsForm,
    ReplyForm,
)
from submissions.lookups import submission_for
from submissions.models import (
    Assignment,
    CommentReply,
    CriterionRating,
    Feedback,
    ReviewRound,
    SectionComment,
    Snapshot,
)
from submissions.services import FlowError
from submissions.views.flow import snapshot_document
from techcommit.permissions import may

# The reviewers write while the self-assessment is with them.
REVIEWING_STATES = frozenset({AssessmentStatus.SUBMITTED, AssessmentStatus.UNDER_REVIEW})


# --- Lists -------------------------------------------------------------------------------------


class SteeringGroupMixin(LoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not may(
            request.user, "submissions.manage_reviews", None
        ):
            raise Http404("Not here.")
        return super().dispatch(request, *args, **kwargs)


class ReviewQueueView(SteeringGroupMixin, TemplateView):
    """Every self-assessment that reached the steering group, with its reviewers."""

    template_name = "submissions/review_queue.html"

    def get_context_data(self, **kwargs):
        form = QueueFilterForm(self.request.GET or None)
        rows = list(queries.review_queue(**form.filters()))
        return super().get_context_data(form=form, rows=rows, **kwargs)


class MyReviewsView(LoginRequiredMixin, TemplateView):
    """A reviewer's own assignments."""

    template_name = "submissions/review_mine.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not is_reviewer(request.user):
            raise Http404("Not here.")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        assignments = list(queries.assignments_of(self.request.user))
        step = next_steps.for_reviewer(self.request.user, assignments)
        return super().get_context_data(
            assignments=assignments, next_step={"step": step} if step else None, **kwargs
        )


# --- Assigning ---------------------------------------------------------------------------------


def workspace_url(assessment) -> str:
    return reverse(
        "submissions:review_workspace", args=[assessment.organisation.slug, assessment.pk]
    )


@login_required
@require_POST
def assign(request, slug: str, pk: int):
    assessment = submission_for(request.user, slug, pk, "submissions.manage_reviews")
    form = AssignForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a reviewer from the pool.")
        return redirect(workspace_url(assessment) + "#reviewers")
    reviewer = form.cleaned_data["reviewer"]
    try:
        services.assign(
            assessment,
            reviewer=reviewer,
            review_round=form.cleaned_data["review_round"],
            by=request.user,
        )
    except FlowError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"{reviewer} is assigned.")
    return redirect(workspace_url(assessment) + "#reviewers")


@login_required
@require_POST
def unassign(request, slug: str, pk: int, assignment_id: int):
    assessment = submission_for(request.user, slug, pk, "submissions.manage_reviews")
    assignment = get_object_or_404(
        Assignment.objects.select_related("reviewer"), pk=assignment_id, assessment=assessment
    )
    assignment.assessment = assessment
    services.unassign(assignment, by=request.user)
    messages.success(request, f"{assignment.reviewer} is no longer assigned.")
    return redirect(workspace_url(assessment) + "#reviewers")


# --- The reviewer's workspace ------------------------------------------------------------------


def readable_sections(snapshot: Snapshot, sections_by_position: dict) -> tuple[list[dict], list]:
    """The revision's sections as the one document builder reads them (``doc``), each with the
    form's Section row the reviewers comment on."""
    document = snapshot_document(snapshot, [])
    return [
        {
            "doc": section,
            "position": section.position,
            "title": section.title,
            "section": sections_by_position.get(section.position),
        }
        for section in document.sections
    ], document.appendices


def previous_submitted(snapshot: Snapshot) -> Snapshot | None:
    return (
        Snapshot.objects.filter(
            assessment_id=snapshot.assessment_id,
            submitted_at__isnull=False,
            revision__lt=snapshot.revision,
        )
        .order_by("-revision")
        .first()
    )


def render_workspace(
    request,
    assessment,
    *,
    comment_forms=None,
    ratings_form=None,
    feedback_form=None,
    conflict=None,
    status=200,
):
    user = request.user
    snapshot = services.latest_submitted_snapshot(assessment)
    context = {
        "assessment": assessment,
        "organisation": assessment.organisation,
        "snapshot": snapshot,
        "can_manage": may(user, "submissions.manage_reviews", assessment),
        "assignments": list(
            assessment.assignments.select_related("reviewer", "round").order_by(
                "reviewer__full_name"
            )
        ),
        "conflict": conflict,
    }
    if context["can_manage"]:
        candidates = list(queries.reviewers_who_may_review(assessment))
        context["assign_form"] = AssignForm(candidates=candidates)
        context["candidates"] = candidates
        context["has_rounds"] = ReviewRound.objects.exists()
    if snapshot is None:
        return render(request, "submissions/review_workspace.html", context, status=status)

    feedback = Feedback.objects.filter(snapshot=snapshot).select_related("updated_by").first()
    is_open = assessment.status in REVIEWING_STATES and not (feedback and feedback.is_released)
    sections_by_position = {
        s.position: s for s in Section.objects.filter(form_version_id=assessment.form_version_id)
    }
    comments = list(
        SectionComment.objects.filter(snapshot=snapshot).select_related("author", "section")
    )
    comment_forms = comment_forms or {}
    sections, appendices = readable_sections(snapshot, sections_by_position)
    for section in sections:
        row = section["section"]
        section["comments"] = [c for c in comments if row and c.section_id == row.pk]
        if row and is_open:
            section["form"] = comment_forms.get(row.pk) or CommentForm(prefix=f"section-{row.pk}")

    ratings = list(
        CriterionRating.objects.filter(snapshot=snapshot)
        .select_related("reviewer")
        .order_by("reviewer__full_name", "reviewer_id")
    )
    by_reviewer: dict[int, dict] = {}
    for rating in ratings:
        entry = by_reviewer.setdefault(rating.reviewer_id, {"reviewer": rating.reviewer, "by": {}})
        entry["by"][rating.criterion] = rating
    rating_tables = [
        {
            "reviewer": entry["reviewer"],
            "rows": [(criterion, entry["by"].get(criterion.value)) for criterion in Criterion],
        }
        for entry in by_reviewer.values()
    ]
    mine = [r for r in ratings if r.reviewer_id == user.pk]
    if feedback_form is None:
        feedback_form = FeedbackForm(
            prefix="feedback",
            initial={
                "text": feedback.text if feedback else "",
                "decision": feedback.decision if feedback else "",
                "version": feedback.version if feedback else 0,
            },
        )
    previous = previous_submitted(snapshot)
    context.update(
        feedback=feedback,
        is_open=is_open,
        sections=sections,
        appendices=appendices,
        rating_tables=rating_tables,
        ratings_form=ratings_form
        or RatingsForm(prefix="ratings", initial=RatingsForm.initial_from(mine)),
        feedback_form=feedback_form,
        previous=previous,
        can_release=is_open and may(user, "submissions.review_submission", assessment),
    )
    return render(request, "submissions/review_workspace.html", context, status=status)


class ReviewWorkspaceView(LoginRequiredMixin, View):
    """The latest submitted revision on the left, the reviewers' notes on the right."""

    def get(self, request, slug: str, pk: int):
        assessment = submission_for(request.user, slug, pk, "submissions.review_submission")
        return render_workspace(request, assessment)


def _reviewing(request, slug: str, pk: int):
    """The self-assessment and its latest submitted snapshot, for a reviewer's POST."""
    assessment = submission_for(request.user, slug, pk, "submissions.review_submission")
    snapshot = services.latest_submitted_snapshot(assessment)
    if snapshot is None:
        raise Http404("Nothing has been submitted yet.")
    return assessment, snapshot


@login_required
@require_POST
def comment(request, slug: str, pk: int, section_id: int):
    assessment, snapshot = _reviewing(request, slug, pk)
    section = get_object_or_404(Section, pk=section_id, form_version_id=assessment.form_version_id)
    form = CommentForm(request.POST, prefix=f"section-{section.pk}")
    if not form.is_valid():
        return render_workspace(request, assessment, comment_forms={section.pk: form})
    try:
        services.save_comment(
            snapshot,
            section,
            by=request.user,
            text=form.cleaned_data["text"],
            for_organisation=form.cleaned_data["for_organisation"],
        )
    except FlowError as error:
        messages.error(request, str(error))
    else:
        shared = form.cleaned_data["for_organisation"]
        messages.success(
            request,
            "Comment saved; the organisation sees it when the feedback is released."
            if shared
            else "Note saved; only the reviewers and the steering group see it.",
        )
    return redirect(workspace_url(assessment) + f"#section-{section.position}")


@login_required
@require_POST
def save_ratings(request, slug: str, pk: int):
    assessment, snapshot = _reviewing(request, slug, pk)
    form = RatingsForm(request.POST, prefix="ratings")
    if not form.is_valid():
        return render_workspace(request, assessment, ratings_form=form)
    try:
        rated = services.save_ratings(snapshot, by=request.user, ratings=form.ratings())
    except FlowError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Your assessment is saved: {rated} of {len(Criterion)} rated.")
    return redirect(workspace_url(assessment) + "#assessment")


@login_required
@require_POST
def save_feedback(request, slug: str, pk: int):
    assessment, snapshot = _reviewing(request, slug, pk)
    form = FeedbackForm(request.POST, prefix="feedback")
    if not form.is_valid():
        return render_workspace(request, assessment, feedback_form=form)
    try:
        result = services.save_feedback(
            snapshot,
            by=request.user,
            text=form.cleaned_data["text"],
            decision=form.cleaned_data["decision"],
            seen_version=form.cleaned_data["version"],
        )
    except FlowError as error:
        messages.error(request, str(error))
        return redirect(workspace_url(assessment) + "#feedback")
    if result.conflict:
        # Nothing is overwritten: the colleague's version is shown, and this person's text is
        # kept in the box, now against the newer version, to merge and save again.
        kept = FeedbackForm(
            prefix="feedback",
            initial={
                "text": form.cleaned_data["text"],
                "decision": form.cleaned_data["decision"],
                "version": result.feedback.version,
            },
        )
        return render_workspace(
            request, assessment, feedback_form=kept, conflict=result.feedback, status=409
        )
    messages.success(request, "Feedback saved. The organisation sees it once it is released.")
    return redirect(workspace_url(assessment) + "#feedback")


@login_required
@require_POST
def release(request, slug: str, pk: int):
    assessment, snapshot = _reviewing(request, slug, pk)
    if not Feedback.objects.filter(snapshot=snapshot).exists():
        messages.error(request, "Write the overall feedback before releasing it.")
        return redirect(workspace_url(assessment) + "#feedback")
    try:
        feedback = services.release_feedback(snapshot, by=request.user)
    except FlowError as error:
        messages.error(request, str(error))
        return redirect(workspace_url(assessment) + "#feedback")
    messages.success(
        request,
        f"Feedback on revision {snapshot.revision} released to {assessment.organisation.name}: "
        f"{feedback.get_decision_display().lower()}.",
    )
    return redirect(workspace_url(assessment))


class ReviewChangesView(LoginRequiredMixin, TemplateView):
    """What changed between an earlier submitted revision and the latest one."""

    template_name = "submissions/review_changes.html"

    @cached_property
    def assessment(self):
        return submission_for(
            self.request.user,
            self.kwargs["slug"],
            self.kwargs["pk"],
            "submissions.review_submission",
        )

    def get_context_data(self, **kwargs):
        assessment = self.assessment
        submitted = list(services.submitted_snapshots(assessment))
        latest = submitted[-1] if submitted else None
        earlier = submitted[:-1]
        chosen = earlier[-1] if earlier else None
        wanted = self.request.GET.get("from", "")
        if wanted:
            chosen = next((s for s in earlier if str(s.revision) == wanted), None)
            if chosen is None:
                raise Http404("No such earlier revision.")
        diff = services.revision_diff(chosen, latest) if chosen else None
        # What the reviewers said about the earlier revision, and how the organisation replied.
        replies = (
            list(
                SectionComment.objects.filter(snapshot=chosen, for_organisation=True)
                .select_related("section", "author")
                .prefetch_related(
                    Prefetch("replies", queryset=CommentReply.objects.select_related("author"))
                )
            )
            if chosen
            else []
        )
        return super().get_context_data(
            can_manage=may(self.request.user, "submissions.manage_reviews", assessment),
            earlier_comments=replies,
            assessment=assessment,
            organisation=assessment.organisation,
            latest=latest,
            earlier=earlier,
            chosen=chosen,
            diff=diff,
            **kwargs,
        )


# --- The organisation's feedback page ----------------------------------------------------------


def render_feedback_page(request, assessment, *, reply_forms=None, status=200):
    """Each submitted revision with released feedback: the overall feedback, the decision and
    the comments shared with the organisation, with their replies. Never reviewer notes."""
    released = list(
        Snapshot.objects.filter(
            assessment=assessment, submitted_at__isnull=False, feedback__released_at__isnull=False
        )
        .select_related("feedback")
        .order_by("-revision")
    )
    comments = list(
        SectionComment.objects.filter(snapshot__in=released, for_organisation=True)
        .select_related("section")
        .prefetch_related(
            Prefetch("replies", queryset=CommentReply.objects.select_related("author"))
        )
    )
    can_reply = may(request.user, "submissions.reply_to_feedback", assessment)
    reply_forms = reply_forms or {}
    revisions = []
    for snapshot in released:
        groups: dict[int, dict] = {}
        for item in comments:
            if item.snapshot_id != snapshot.pk:
                continue
            group = groups.setdefault(item.section_id, {"section": item.section, "comments": []})
            group["comments"].append(
                {
                    "comment": item,
                    "form": (
                        reply_forms.get(item.pk) or ReplyForm(prefix=f"reply-{item.pk}")
                        if can_reply
                        else None
                    ),
                }
            )
        revisions.append(
            {
                "snapshot": snapshot,
                "feedback": snapshot.feedback,
                "accepted": snapshot.feedback.decision == Decision.ACCEPT,
                "sections": sorted(groups.values(), key=lambda g: g["section"].position),
            }
        )
    context = {
        "assessment": assessment,
        "organisation": assessment.organisation,
        "revisions": revisions,
        "can_reply": can_reply,
    }
    return render(request, "submissions/feedback.html", context, status=status)


class FeedbackView(LoginRequiredMixin, View):
    def get(self, request, slug: str, pk: int):
        assessment = submission_for(request.user, slug, pk)
        return render_feedback_page(request, assessment)


@login_required
@require_POST
def reply(request, slug: str, pk: int, comment_id: int):
    assessment = submission_for(request.user, slug, pk, "submissions.reply_to_feedback")
    item = get_object_or_404(
        SectionComment.objects.select_related("snapshot"),
        pk=comment_id,
        snapshot__assessment=assessment,
        for_organisation=True,
        snapshot__feedback__released_at__isnull=False,
    )
    form = ReplyForm(request.POST, prefix=f"reply-{item.pk}")
    if not form.is_valid():
        return render_feedback_page(request, assessment, reply_forms={item.pk: form})
    try:
        services.reply(item, by=request.user, text=form.cleaned_data["text"])
    except FlowError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Your reply is saved; the reviewers can read it.")
    url = reverse("submissions:feedback", args=[assessment.organisation.slug, assessment.pk])
    return redirect(url + f"#comment-{item.pk}")
