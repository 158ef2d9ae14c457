"""The organisation's side of the flow: the submission page (state, sign-offs, revisions, audit
trail), each revision as it was, signing or declining, and the lead's three actions."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import cached_property
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView

from assessments import documents
from assessments.enums import AssessmentStatus
from assessments.queries import load_assessment
from submissions import services
from submissions.enums import DECLARATION, SIGN_OFF_FROM_STATES, SignOffState
from submissions.lookups import submission_for
from submissions.models import AuditEntry, SignOff, Snapshot, SnapshotFigure
from submissions.services import FlowError
from techcommit.permissions import may


def is_member(user, assessment) -> bool:
    return may(user, "actionplans.view_plans", assessment.organisation)


def visible_snapshot(request, assessment, revision: int) -> Snapshot:
    """Members see every revision; reviewers and the steering group only submitted ones."""
    snapshots = assessment.snapshots.all()
    if not is_member(request.user, assessment):
        snapshots = snapshots.exclude(submitted_at=None)
    return get_object_or_404(snapshots, revision=revision)


class SubmissionMixin(LoginRequiredMixin):
    permission = "submissions.view_submission"

    @cached_property
    def assessment(self):
        return submission_for(
            self.request.user, self.kwargs["slug"], self.kwargs["pk"], self.permission
        )

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.assessment  # noqa: B018 - 404 before anything else
        return super().dispatch(request, *args, **kwargs)


class SubmissionView(SubmissionMixin, TemplateView):
    template_name = "submissions/submission.html"

    def get_context_data(self, **kwargs):
        assessment, user = self.assessment, self.request.user
        member = is_member(user, assessment)
        snapshots = list(assessment.snapshots.order_by("-revision"))
        if not member:
            snapshots = [s for s in snapshots if s.submitted_at]
        latest = snapshots[0] if snapshots else None
        sign_offs = list(latest.sign_offs.select_related("signer")) if latest else []
        is_lead = may(user, "submissions.lead_submission", assessment)
        status = assessment.status
        problems = []
        if is_lead and status in SIGN_OFF_FROM_STATES:
            problems = load_assessment(assessment).problems()
        # After changes were requested: does the revised version differ from what was signed?
        pending = (
            services.resubmission(assessment)
            if is_lead and status == AssessmentStatus.CHANGES_REQUESTED and not problems
            else None
        )
        missing = (
            services.missing_sign_offs(latest)
            if latest and status == AssessmentStatus.AWAITING_SIGN_OFF
            else []
        )
        my_sign_offs = [
            s
            for s in sign_offs
            if s.state == SignOffState.REQUESTED and may(user, "submissions.sign", s)
        ]
        return super().get_context_data(
            assessment=assessment,
            organisation=assessment.organisation,
            snapshots=snapshots,
            latest=latest,
            sign_offs=sign_offs,
            my_sign_offs=my_sign_offs,
            is_lead=is_lead,
            problems=problems,
            missing=missing,
            resubmission=pending,
            form_version=assessment.form_version,
            can_request=is_lead and status in SIGN_OFF_FROM_STATES and not problems,
            can_submit=is_lead
            and (
                (status == AssessmentStatus.AWAITING_SIGN_OFF and not missing)
                or (pending is not None and not pending.needs_sign_off)
            ),
            can_reopen=is_lead and status == AssessmentStatus.AWAITING_SIGN_OFF,
            audit=list(
                AuditEntry.objects.filter(assessment=assessment).select_related("by")
                if member or may(user, "submissions.review_submission", assessment)
                else []
            ),
            **kwargs,
        )


class SnapshotView(SubmissionMixin, TemplateView):
    """One revision exactly as it was signed or submitted."""

    template_name = "submissions/snapshot.html"

    def get_context_data(self, **kwargs):
        snapshot = visible_snapshot(self.request, self.assessment, self.kwargs["revision"])
        return super().get_context_data(
            assessment=self.assessment,
            organisation=self.assessment.organisation,
            snapshot=snapshot,
            **snapshot_context(snapshot),
            **kwargs,
        )


def snapshot_context(snapshot: Snapshot) -> dict:
    """What templates/documents/_document.html needs to draw a revision."""
    sign_offs = list(snapshot.sign_offs.select_related("signer"))
    return {"document": snapshot_document(snapshot, sign_offs), "sign_offs": sign_offs}


def snapshot_document(snapshot: Snapshot, sign_offs: list[SignOff]) -> documents.Document:
    """The revision as the one document builder reads its frozen content: its figures at
    their revision's addresses and the signatures standing on it."""
    assessment = snapshot.assessment
    args = [assessment.organisation.slug, assessment.pk, snapshot.revision]
    figures = documents.figures_by_key(
        snapshot.figures.all(),
        lambda row: reverse("submissions:snapshot_figure", args=[*args, row.pk]),
    )
    signatures = []
    for required in snapshot.content.get("sign_offs") or []:
        signed = next(
            (
                s
                for s in sign_offs
                if s.role == required.get("role") and s.state == SignOffState.SIGNED
            ),
            None,
        )
        signatures.append(
            documents.Signature(
                title=required.get("title", ""),
                role=required.get("role", ""),
                signed=documents.Signed(
                    name=signed.signed_name,
                    job_title=signed.signed_job_title,
                    signed_on=signed.signed_at,
                )
                if signed
                else None,
            )
        )
    return documents.build(snapshot.content, figures=figures, signatures=signatures)


@login_required
def snapshot_figure(request, slug: str, pk: int, revision: int, figure_id: int):
    assessment = submission_for(request.user, slug, pk)
    snapshot = visible_snapshot(request, assessment, revision)
    figure = get_object_or_404(SnapshotFigure, pk=figure_id, snapshot=snapshot)
    content_type = "image/jpeg" if figure.extension == "jpg" else f"image/{figure.extension}"
    return FileResponse(figure.image.open("rb"), content_type=content_type)


# --- Signing ---------------------------------------------------------------------------------


class SignForm(forms.Form):
    name = forms.CharField(label="Your full name", max_length=150)
    job_title = forms.CharField(label="Your job title", max_length=150)
    confirm = forms.BooleanField(label=DECLARATION)


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label="Why are you declining?",
        widget=forms.Textarea({"rows": 3}),
        help_text="The lead sees this, so that they can put it right.",
    )


def sign_off_for(request, slug, pk, sign_off_id) -> SignOff:
    assessment = submission_for(request.user, slug, pk)
    sign_off = get_object_or_404(
        SignOff.objects.select_related("snapshot__assessment__organisation", "signer"),
        pk=sign_off_id,
        snapshot__assessment=assessment,
    )
    if not may(request.user, "submissions.sign", sign_off):
        raise Http404("This sign-off is not yours.")
    return sign_off


@login_required
def sign(request, slug: str, pk: int, sign_off_id: int):
    """Read the revision, then sign it (name, job title, declaration) or decline with a reason."""
    sign_off = sign_off_for(request, slug, pk, sign_off_id)
    user = request.user
    sign_form = SignForm(
        initial={"name": user.full_name, "job_title": user.job_title}, prefix="sign"
    )
    decline_form = DeclineForm(prefix="decline")
    if request.method == "POST":
        try:
            if "decline" in request.POST:
                decline_form = DeclineForm(request.POST, prefix="decline")
                if decline_form.is_valid():
                    services.decline(sign_off, by=user, reason=decline_form.cleaned_data["reason"])
                    messages.success(request, "You declined. The lead has been told why.")
                    return redirect("submissions:submission", slug=slug, pk=pk)
            else:
                sign_form = SignForm(request.POST, prefix="sign")
                if sign_form.is_valid():
                    data = sign_form.cleaned_data
                    services.sign(sign_off, by=user, name=data["name"], job_title=data["job_title"])
                    messages.success(request, f"You signed as {sign_off.title}.")
                    return redirect("submissions:submission", slug=slug, pk=pk)
        except FlowError as error:
            messages.error(request, str(error))
            return redirect("submissions:submission", slug=slug, pk=pk)
    snapshot = sign_off.snapshot
    assessment = snapshot.assessment
    status = 400 if sign_form.errors or decline_form.errors else 200
    earlier = services.last_signed_snapshot_before(snapshot)
    return render(
        request,
        "submissions/sign.html",
        {
            "assessment": assessment,
            "organisation": assessment.organisation,
            "sign_off": sign_off,
            "snapshot": snapshot,
            "sign_form": sign_form,
            "decline_form": decline_form,
            "earlier": earlier,
            "changes": services.revision_diff(earlier, snapshot) if earlier else None,
            **snapshot_context(snapshot),
        },
        status=status,
    )


# --- The lead's actions ------------------------------------------------------------------------


def _lead_action(request, slug, pk, action, success):
    assessment = submission_for(request.user, slug, pk, "submissions.lead_submission")
    try:
        result = action(assessment)
    except FlowError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, success(result))
    return redirect("submissions:submission", slug=slug, pk=pk)


@login_required
@require_POST
def request_sign_off(request, slug: str, pk: int):
    return _lead_action(
        request,
        slug,
        pk,
        lambda a: services.request_sign_off(a, by=request.user),
        lambda snapshot: (
            f"Revision {snapshot.revision} is ready to sign; the signers have been sent a link."
        ),
    )


@login_required
@require_POST
def reopen(request, slug: str, pk: int):
    return _lead_action(
        request,
        slug,
        pk,
        lambda a: services.reopen(a, by=request.user, reason="The lead reopened the answers."),
        lambda voided: (
            "You can change the answers again. "
            + (
                f"{voided} sign-off{'s were' if voided != 1 else ' was'} voided and will be asked "
                "for again."
                if voided
                else ""
            )
        ),
    )


@login_required
@require_POST
def submit(request, slug: str, pk: int):
    return _lead_action(
        request,
        slug,
        pk,
        lambda a: services.submit(a, by=request.user),
        lambda snapshot: f"Revision {snapshot.revision} is submitted to the steering group.",
    )
