"""Consultation pages: the organisation's (sign-in, its writers), the respondent's (no account,
by a link) and the steering group's sector view. Views are thin: forms validate, services
write, queries count."""

from __future__ import annotations

import io

from allauth.core.internal import ratelimit
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core import signing
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.functional import cached_property
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView

from consultations import queries, services
from consultations.enums import CommentStatus, ConsultationStatus
from consultations.forms import (
    AttachForm,
    ConsultationForm,
    InviteForm,
    QuestionForm,
    ResponseForm,
    SharedQuestionForm,
    WithdrawalForm,
)
from consultations.lookups import consultation_for, organisation_for
from consultations.models import Attachment, Comment, Consultation
from consultations.services import ConsultationError
from signatories.mixins import OrganisationMixin
from techcommit.permissions import may
from techcommit.spreadsheets import csv_writer

# --- The organisation's pages -----------------------------------------------------------------


class OrganisationPageMixin(OrganisationMixin):
    @cached_property
    def organisation(self):
        return organisation_for(self.request.user, self.kwargs["slug"], self.permission)


class ConsultationListView(OrganisationPageMixin, TemplateView):
    template_name = "consultations/list.html"
    permission = "consultations.view_consultations"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            consultations=list(queries.consultations_of(self.organisation)),
            can_add=may(self.request.user, "consultations.add_consultation", self.organisation),
            **kwargs,
        )


class ConsultationCreateView(OrganisationPageMixin, TemplateView):
    template_name = "consultations/edit.html"
    permission = "consultations.add_consultation"

    def form(self, data=None) -> ConsultationForm:
        return ConsultationForm(data, organisation=self.organisation, by=self.request.user)

    def get_context_data(self, form=None, **kwargs):
        return super().get_context_data(form=form or self.form(), **kwargs)

    def post(self, request, *args, **kwargs):
        form = self.form(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        consultation = form.save()
        messages.success(request, "The consultation is saved as a draft. Add its questions.")
        return redirect(consultation.get_absolute_url())


class ConsultationMixin(LoginRequiredMixin):
    """Pages of one consultation; ``permission`` decides who reaches them (404 otherwise)."""

    permission = "consultations.view_consultation"

    @cached_property
    def consultation(self) -> Consultation:
        return consultation_for(
            self.request.user, self.kwargs["slug"], self.kwargs["pk"], self.permission
        )

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.consultation  # noqa: B018 - 404 before anything else
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        user, consultation = self.request.user, self.consultation
        return super().get_context_data(
            consultation=consultation,
            organisation=consultation.organisation,
            can_change=may(user, "consultations.change_consultation", consultation),
            can_run=may(user, "consultations.run_consultation", consultation),
            can_moderate=may(user, "consultations.moderate_consultation", consultation),
            can_attach=may(user, "consultations.attach_consultation", consultation),
            **kwargs,
        )


class ConsultationView(ConsultationMixin, TemplateView):
    template_name = "consultations/detail.html"

    def get_context_data(self, question_form=None, shared_form=None, invite_form=None, **kw):
        consultation = self.consultation
        return super().get_context_data(
            questions=list(consultation.questions.select_related("theme")),
            responses=queries.response_count(consultation),
            invitations=consultation.invitations.count(),
            link=services.respondent_url(consultation),
            question_form=question_form or QuestionForm(consultation=consultation),
            shared_form=shared_form or SharedQuestionForm(consultation=consultation),
            invite_form=invite_form or InviteForm(),
            **kw,
        )


class ConsultationEditView(ConsultationMixin, TemplateView):
    template_name = "consultations/edit.html"
    permission = "consultations.change_consultation"

    def form(self, data=None) -> ConsultationForm:
        c = self.consultation
        return ConsultationForm(data, organisation=c.organisation, by=self.request.user, instance=c)

    def get_context_data(self, form=None, **kwargs):
        return super().get_context_data(form=form or self.form(), **kwargs)

    def post(self, request, *args, **kwargs):
        form = self.form(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        form.save()
        messages.success(request, "The consultation is saved.")
        return redirect(self.consultation.get_absolute_url())


class AddQuestionView(ConsultationView):
    """POST only: a question written here, or one from the shared set (``shared`` sent)."""

    permission = "consultations.change_consultation"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        consultation = self.consultation
        shared = "shared" in request.POST
        form = (SharedQuestionForm if shared else QuestionForm)(
            request.POST, consultation=consultation
        )
        if form.is_valid():
            try:
                form.save()
            except ConsultationError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, "The question is added.")
                return redirect(consultation.get_absolute_url() + "#questions")
            return redirect(consultation.get_absolute_url())
        forms = {"shared_form" if shared else "question_form": form}
        return self.render_to_response(self.get_context_data(**forms), status=400)


class InviteView(ConsultationView):
    permission = "consultations.run_consultation"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        form = InviteForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(invite_form=form), status=400)
        try:
            sent = services.invite(self.consultation, form.cleaned_data["addresses"])
        except ConsultationError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                f"{sent} invitation{'s' if sent != 1 else ''} sent. The addresses "
                "are not kept with the consultation.",
            )
        return redirect(self.consultation.get_absolute_url())


@login_required
@require_POST
def remove_question(request, slug, pk, question_id):
    consultation = consultation_for(request.user, slug, pk, "consultations.change_consultation")
    question = get_object_or_404(consultation.questions, pk=question_id)
    try:
        services.remove_question(consultation, question)
    except ConsultationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "The question is removed.")
    return redirect(consultation.get_absolute_url() + "#questions")


@login_required
@require_POST
def change_status(request, slug, pk, to):
    consultation = consultation_for(request.user, slug, pk, "consultations.run_consultation")
    if to not in (ConsultationStatus.OPEN, ConsultationStatus.CLOSED):
        raise Http404("No such step.")
    try:
        services.transition(consultation, to=to, by=request.user)
    except ConsultationError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            "The consultation is open: share its link or send invitations."
            if to == ConsultationStatus.OPEN
            else "The consultation is closed. Its results are ready if enough people answered.",
        )
    return redirect(consultation.get_absolute_url())


class ResultsView(ConsultationMixin, TemplateView):
    template_name = "consultations/results.html"

    def get_context_data(self, attach_form=None, **kwargs):
        consultation = self.consultation
        total = queries.response_count(consultation)
        filters = queries.filters(consultation, total)
        group = None
        if "q" in self.request.GET:
            group = queries.find_group(
                consultation, self.request.GET.get("q"), self.request.GET.get("v")
            )
            if group is None:
                raise Http404("No such group.")
        results = queries.results(consultation, group)
        compared = queries.comparison(consultation, results) if results and not group else None
        return super().get_context_data(
            total=total,
            results=results,
            filters=filters,
            group=group,
            comparison=compared,
            comments=queries.approved_comments(consultation) if results else [],
            attachments=list(consultation.attachments.select_related("assessment__form_version")),
            attach_form=attach_form or AttachForm(consultation=consultation),
            **kwargs,
        )


class ModerationView(ConsultationMixin, TemplateView):
    template_name = "consultations/moderation.html"
    permission = "consultations.moderate_consultation"

    def get_context_data(self, **kwargs):
        consultation = self.consultation
        visible = queries.results_visible(consultation, queries.response_count(consultation))
        return super().get_context_data(
            visible=visible,
            comments=queries.comments_to_moderate(consultation) if visible else [],
            statuses=CommentStatus,
            **kwargs,
        )


@login_required
@require_POST
def moderate(request, slug, pk, comment_id):
    consultation = consultation_for(request.user, slug, pk, "consultations.moderate_consultation")
    comment = get_object_or_404(Comment, pk=comment_id, consultation=consultation)
    status = request.POST.get("status")
    if status not in CommentStatus.values:
        raise Http404("No such decision.")
    try:
        services.moderate(consultation, comment, status=status)
    except ConsultationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"The comment is marked “{comment.get_status_display()}”.")
    return redirect(reverse("consultations:moderation", args=[slug, pk]) + f"#c-{comment.pk}")


class AttachView(ResultsView):
    permission = "consultations.attach_consultation"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        consultation = self.consultation
        form = AttachForm(request.POST, consultation=consultation)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(attach_form=form), status=400)
        try:
            services.attach(
                consultation,
                form.cleaned_data["assessment"],
                publish=form.cleaned_data["publish"],
                by=request.user,
            )
        except ConsultationError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                "The summary is attached to the self-assessment as an appendix (its check page "
                "shows its letter): cite it in your answer on the technician voice.",
            )
        return redirect(reverse("consultations:results", args=[kwargs["slug"], consultation.pk]))


@login_required
@require_POST
def detach(request, slug, pk, attachment_id):
    consultation = consultation_for(request.user, slug, pk, "consultations.attach_consultation")
    attachment = get_object_or_404(
        Attachment.objects.select_related("assessment"),
        pk=attachment_id,
        consultation=consultation,
    )
    try:
        services.detach(attachment)
    except ConsultationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "The summary is no longer attached.")
    return redirect(reverse("consultations:results", args=[slug, pk]))


@login_required
def export_csv(request, slug, pk):
    """The whole consultation's figures: aggregates only, never a response."""
    consultation = consultation_for(request.user, slug, pk, "consultations.view_consultation")
    results = queries.results(consultation)
    if results is None:
        raise Http404("No results may be shown.")
    buffer = io.StringIO()
    writer = csv_writer(buffer)
    writer.writerow(["Question", "Theme", "Answer", "Number", "Per cent", "Answered"])
    for row in results.questions:
        theme = row.question.theme.name if row.question.theme else ""
        for option in row.options:
            writer.writerow(
                [row.question.text, theme, option.label, option.count, option.percent, row.answered]
            )
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="consultation-{consultation.pk}.csv"'
    return response


# --- The sector view --------------------------------------------------------------------------


@login_required
def sector(request):
    if not may(request.user, "consultations.view_sector_voice", None):
        raise Http404("No page here.")
    return render(request, "consultations/sector.html", {"themes": queries.sector_agreement()})


# --- The respondent's pages (no account) ------------------------------------------------------
#
# A browser that has answered by the shared link keeps a cookie saying so, the same for every
# respondent (the consultation's number, signed: no identity, no time), so that a second visit
# or a resent form asks before taking the same person's answers twice; someone else using the
# same computer can still answer. Answers by the shared link are also limited per network
# address (CONSULTATION_RESPONSE_RATE_LIMIT, counted with allauth's rate limits in the shared
# cache); an invitation takes one answer and needs neither.

ANSWERED_COOKIE = "voice_answered"


def _answered_value(consultation: Consultation) -> str:
    return signing.Signer(salt="consultations.answered").sign(str(consultation.pk))


def _has_answered(request, consultation: Consultation) -> bool:
    return request.COOKIES.get(ANSWERED_COOKIE) == _answered_value(consultation)


def _within_limit(request, action: str, setting: str, *, dry_run: bool = False) -> bool:
    """Whether one more ``action`` from this address is within its limit (counted, unless
    ``dry_run``)."""
    return bool(
        ratelimit.consume(
            request,
            app="consultations",
            action=action,
            config={action: getattr(settings, setting)},
            dry_run=dry_run,
        )
    )


def _no_store(response):
    """The pages that show a withdrawal code or what it found are never kept by a browser's
    or a proxy's cache."""
    patch_cache_control(response, no_store=True, private=True)
    return response


def _answer_page(request, consultation: Consultation, invitation=None, action: str = ""):
    questions = list(consultation.questions.select_related("theme"))
    context = {"consultation": consultation, "public_organisation": consultation.organisation}
    if not consultation.is_accepting or (invitation is not None and invitation.used):
        closed = invitation is None or not invitation.used
        return render(
            request,
            "consultations/respond_closed.html",
            {**context, "closed": closed},
            status=410,
        )
    shared_link = invitation is None
    again = request.GET.get("again") == "1" or request.POST.get("again") == "1"
    if shared_link and not again and _has_answered(request, consultation):
        return render(request, "consultations/answered.html", context)
    form = ResponseForm(request.POST or None, questions=questions)
    limited = []
    if request.method == "POST" and form.is_valid():
        if shared_link and not _within_limit(
            request, "respond", "CONSULTATION_RESPONSE_RATE_LIMIT"
        ):
            limited = [
                "Many answers have come from your network recently, so we cannot take more "
                "for now. Your answers are not saved yet: please send them again later."
            ]
        else:
            choices, comments = form.answers()
            try:
                code = services.respond(
                    consultation, choices=choices, comments=comments, invitation=invitation
                )
            except ConsultationError as error:
                return render(
                    request,
                    "consultations/respond_closed.html",
                    {**context, "closed": True, "error": str(error)},
                    status=410,
                )
            # Shown here, once, and stored nowhere: not redirected to a page that would have to
            # find it again.
            response = render(
                request,
                "consultations/thanks.html",
                {**context, "code": code, "withdraw_link": services.withdraw_url()},
            )
            if shared_link:
                response.set_cookie(
                    ANSWERED_COOKIE,
                    _answered_value(consultation),
                    max_age=_days_left(consultation) * 24 * 60 * 60,
                    path=reverse("consultations:respond", args=[consultation.link_token]),
                    secure=request.is_secure(),
                    httponly=True,
                    samesite="Lax",
                )
            return _no_store(response)
    status = 429 if limited else 400 if request.method == "POST" else 200
    return render(
        request,
        "consultations/respond.html",
        {**context, "form": form, "action": action, "again": again, "extra_errors": limited},
        status=status,
    )


def _days_left(consultation: Consultation) -> int:
    return max((consultation.closes_on - timezone.localdate()).days, 0) + 1


def respond(request, token):
    consultation = get_object_or_404(
        Consultation.objects.select_related("organisation").exclude(
            status=ConsultationStatus.DRAFT
        ),
        link_token=token,
    )
    return _answer_page(request, consultation)


def respond_invited(request, token):
    invitation = services.invitation_for(token)
    if invitation is None or invitation.consultation.status == ConsultationStatus.DRAFT:
        raise Http404("No consultation here.")
    return _answer_page(request, invitation.consultation, invitation)


WRONG_CODE = (
    "No answers match this code. Check it against the one you were given (letters and "
    "numbers in four groups of five); if it is right, the answers may already be withdrawn."
)


def withdraw(request):
    """Withdraw one's answers with the code the thank-you page gave: enter the code, read whose
    consultation they belong to, confirm. Anyone may try a code; only its holder learns
    anything, and a wrong code learns nothing (the same message whether it never existed or
    its answers are gone; wrong codes are limited per network address)."""
    form = WithdrawalForm(request.POST or None)
    if request.method != "POST":
        return _no_store(render(request, "consultations/withdraw.html", {"form": form}))
    limit = ("withdraw_failed", "CONSULTATION_WITHDRAWAL_RATE_LIMIT")
    if form.is_valid() and not _within_limit(request, *limit, dry_run=True):
        # Checked before the code is looked up, so that past the limit a right guess is not
        # told from a wrong one.
        form.add_error(
            "code", "Too many wrong codes have been tried from your network. Please try later."
        )
        return _no_store(render(request, "consultations/withdraw.html", {"form": form}, status=429))
    if form.is_valid():
        code = form.cleaned_data["code"]
        found = services.response_for_code(code)
        if found is None:
            _within_limit(request, *limit)  # one more wrong code counted
            form.add_error("code", WRONG_CODE)
        elif request.POST.get("confirm") == "1":
            withdrawn = services.withdraw(code)
            if withdrawn is not None:  # else withdrawn a moment ago, from another page
                return _no_store(
                    render(request, "consultations/withdrawn.html", {"withdrawn": withdrawn})
                )
            form.add_error("code", WRONG_CODE)
        else:
            return _no_store(
                render(
                    request,
                    "consultations/withdraw_confirm.html",
                    {"form": form, "consultation": found.consultation},
                )
            )
    return _no_store(render(request, "consultations/withdraw.html", {"form": form}, status=400))
