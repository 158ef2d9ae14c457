"""Progress reviews (the RAG analysis) and the achievements summary.

A review is a dated snapshot of every action's status and comment. Its writers (the lead and
contributors) edit it on one page, or import its statuses and comments from a spreadsheet (through
the plan import's pages and ``actionplans.review_transfer``), until the lead finalises it, after a
confirmation page; a red without an explanation stops that. Finalised reviews are read-only; the
lead may reopen one until it is published. Any reader may export a review. Saving sends the whole
page, but only the rows a person changed are written, and a row a colleague changed meanwhile is
shown beside what this person typed instead of being overwritten."""

from __future__ import annotations

from datetime import date, timedelta

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.decorators.http import require_POST, require_safe
from django.views.generic import FormView, TemplateView, View
from django.views.generic.base import ContextMixin

from actionplans import exports, review_transfer, services, transfer
from actionplans.enums import RAG_ANALYSIS_KEY, Status, status_word
from actionplans.lookups import plan_for
from actionplans.models import ProgressReview
from actionplans.panels import appendix_panel_data
from actionplans.queries import (
    Achievements,
    achievements,
    appended_reviews,
    load_review,
    reviews_of,
)
from actionplans.services import PlanError, ReviewEdit, fingerprint, wording_for
from actionplans.views import PlanMixin, may
from actionplans.views.transfer import MappingForm, UploadForm, download, problem_summary
from assessments.documents import appendix_letter
from assessments.lookups import assessment_for
from assessments.models import Question
from techcommit.forms import id_or_404, parse_id


def status_choices(wording: dict) -> list[tuple[str, str]]:
    """The canonical scale, in the plan's own words."""
    return [(status.value, status_word(wording, status)) for status in Status]


def date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


# --- Forms (kept with their pages: they are only ever used here) ------------------------------


class ReviewStartForm(forms.Form):
    reviewed_on = forms.DateField(label="Date of the review", widget=date_input())
    period_from = forms.DateField(label="Period covered from", widget=date_input())
    period_to = forms.DateField(label="Period covered to", widget=date_input())
    overall_status = forms.ChoiceField(label="Overall status")

    def __init__(self, *args, wording: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["overall_status"].choices = status_choices(wording)

    def clean(self):
        data = super().clean()
        start, end = data.get("period_from"), data.get("period_to")
        if start and end and end < start:
            self.add_error("period_to", "The period ends before it starts.")
        return data


class PeriodForm(forms.Form):
    """The achievements summary's period, as ``?from=2027-01-01&to=2027-12-31``."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # "from" is a Python keyword, so the fields are added here rather than declared.
        self.fields["from"] = forms.DateField(label="From", widget=date_input())
        self.fields["to"] = forms.DateField(label="To", widget=date_input())

    def clean(self):
        data = super().clean()
        start, end = data.get("from"), data.get("to")
        if start and end and end < start:
            self.add_error("to", "The period ends before it starts.")
        return data


# --- Pages ------------------------------------------------------------------------------------


class ReviewListView(PlanMixin, TemplateView):
    template_name = "actionplans/review_list.html"

    def get_context_data(self, **kwargs):
        reviews = list(reviews_of(self.plan))
        for review in reviews:
            review.status_counts = [
                (status.value, getattr(review, f"count_{status.value}"))
                for status in Status
                if getattr(review, f"count_{status.value}")
            ]
        return super().get_context_data(reviews=reviews, wording=wording_for(self.plan), **kwargs)


class ReviewStartView(PlanMixin, TemplateView):
    template_name = "actionplans/review_new.html"
    permission = "actionplans.review_plan"

    @cached_property
    def wording(self) -> dict:
        return wording_for(self.plan)

    def initial(self) -> dict:
        today = timezone.localdate()
        last = self.plan.reviews.order_by("-period_to").first()
        start = last.period_to + timedelta(days=1) if last else self.plan.starts_on
        return {
            "reviewed_on": today,
            "period_from": start,
            "period_to": max(today, start),
            "overall_status": Status.AMBER,
        }

    def get_context_data(self, form=None, **kwargs):
        form = form or ReviewStartForm(wording=self.wording, initial=self.initial())
        drafts = list(self.plan.reviews.filter(finalised_at=None))
        return super().get_context_data(form=form, drafts=drafts, **kwargs)

    def post(self, request, *args, **kwargs):
        form = ReviewStartForm(request.POST, wording=self.wording)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        review = services.begin_review(self.plan, by=request.user, **form.cleaned_data)
        messages.success(request, "The review is started with every action's current status.")
        return redirect(review_url(self.plan, review))


def review_url(plan, review) -> str:
    return reverse("actionplans:review", args=[plan.organisation.slug, plan.pk, review.pk])


def edits_from(post) -> tuple[dict[int, ReviewEdit], ReviewEdit | None]:
    """The rows a review form sent, by entry id, and its overall status and summary.

    What each row looked like when loaded travels in one field, ``seen`` ("id:fingerprint"
    pairs), so that a 300-action review stays well inside Django's limit on the number of
    fields a POST may carry (DATA_UPLOAD_MAX_NUMBER_FIELDS, 1,000)."""
    edits = {}
    for pair in post.get("seen", "").split():
        number, _, seen = pair.partition(":")
        entry_id = parse_id(number)
        if entry_id and f"status-{number}" in post:
            edits[entry_id] = ReviewEdit(
                seen=seen,
                status=post.get(f"status-{number}", ""),
                comment=post.get(f"comment-{number}", ""),
            )
    overall = None
    if "seen_overall" in post:
        overall = ReviewEdit(
            seen=post["seen_overall"],
            status=post.get("overall_status", ""),
            comment=post.get("summary", ""),
        )
    return edits, overall


def changed(edit: ReviewEdit | None) -> bool:
    return edit is not None and not services.untouched(edit)


class ReviewView(PlanMixin, TemplateView):
    """One review: a row per action under its heading, editable until it is final."""

    template_name = "actionplans/review.html"

    @cached_property
    def review(self) -> ProgressReview:
        review = get_object_or_404(
            ProgressReview.objects.select_related("author", "finalised_by", "appended_to"),
            pk=self.kwargs["review_id"],
            plan=self.plan,
        )
        review.plan = self.plan
        return review

    def get_context_data(self, typed=None, conflicts=(), problems=(), **kwargs):
        """``typed``: what the person sent, kept in the boxes; ``conflicts``: entry ids a
        colleague changed first; ``problems``: entries that stop finalising."""
        review, user = self.review, self.request.user
        loaded = load_review(review)
        edits, overall = typed or ({}, None)
        conflict_ids = set(conflicts)
        problem_ids = {e.pk for e in problems}
        for entry in loaded.entries:
            edit = edits.get(entry.pk)
            if edit is not None and services.untouched(edit):
                edit = None  # show what the row holds now, a colleague's change included
            entry.seen = fingerprint(entry.status, entry.comment)
            entry.form_status = edit.status if edit else entry.status
            entry.form_comment = edit.comment if edit else entry.comment
            entry.conflict = entry.pk in conflict_ids
            entry.problem = entry.pk in problem_ids
            entry.needs_explanation = entry.status == Status.RED and not entry.comment.strip()
        can_edit = not review.is_final and may(user, "actionplans.review_plan", self.plan)
        return super().get_context_data(
            review=review,
            loaded=loaded,
            wording=loaded.wording,
            status_choices=status_choices(loaded.wording),
            can_edit=can_edit,
            can_finalise=can_edit and may(user, "actionplans.finalise_review", self.plan),
            can_reopen=review.is_final
            and may(user, "actionplans.finalise_review", self.plan)
            and review.may_reopen(),
            update_papers=list(review.update_papers.all()) if review.is_final else [],
            seen_overall=fingerprint(review.overall_status, review.summary),
            form_overall_status=overall.status if changed(overall) else review.overall_status,
            form_summary=overall.comment if changed(overall) else review.summary,
            overall_conflict=kwargs.pop("overall_conflict", False),
            problems=list(problems),
            conflict_entries=[e for e in loaded.entries if e.conflict],
            seen_rows=" ".join(f"{e.pk}:{e.seen}" for e in loaded.entries),
            **kwargs,
        )

    def save(self, request) -> HttpResponse | None:
        """Save what was sent; on a conflict, the response that shows both versions."""
        typed = edits_from(request.POST)
        result = services.save_review(self.review, typed[0], overall=typed[1])
        if result.conflicts or result.overall_conflict:
            self.__dict__.pop("review", None)
            context = self.get_context_data(
                typed=typed,
                conflicts=[e.pk for e in result.conflicts],
                overall_conflict=result.overall_conflict,
            )
            return self.render_to_response(context, status=409)
        return None

    def post(self, request, *args, **kwargs):
        if not may(request.user, "actionplans.review_plan", self.plan):
            raise Http404("You cannot change this review.")
        try:
            conflict = self.save(request)
        except PlanError as error:
            messages.error(request, str(error))
            return redirect(review_url(self.plan, self.review))
        if conflict is not None:
            return conflict
        messages.success(request, "Your changes to the review are saved.")
        return redirect(review_url(self.plan, self.review))


@login_required
@require_POST
def finalise_review(request, slug: str, pk: int, review_id: int):
    """ "Save and finalise": save what the page sent, then ask for confirmation on a page of its
    own (no script needed); the confirmation (``confirm=yes``) finalises. A red without an
    explanation stops it, and the page comes back with each such action linked from the error
    summary."""
    plan_for(request.user, slug, pk, "actionplans.finalise_review")
    view = ReviewView()
    view.setup(request, slug=slug, pk=pk, review_id=review_id)
    review = view.review
    if review.is_final:
        messages.error(request, "This review is already final.")
        return redirect(review_url(view.plan, review))
    confirmed = request.POST.get("confirm") == "yes"
    try:
        if not confirmed:
            conflict = view.save(request)
            if conflict is not None:
                return conflict
        problems = services.review_problems(review)
        if problems:
            context = view.get_context_data(problems=problems)
            return view.render_to_response(context, status=400)
        if not confirmed:
            context = view.get_context_data()
            return render(request, "actionplans/review_finalise.html", context)
        services.finalise_review(review, by=request.user)
    except PlanError as error:
        messages.error(request, str(error))
        return redirect(review_url(view.plan, review))
    messages.success(
        request,
        "The review is final. Each action now has the status and comment it records.",
    )
    return redirect(review_url(view.plan, review))


@login_required
@require_POST
def reopen_review(request, slug: str, pk: int, review_id: int):
    """The lead reopens a final review to correct it, until it is published."""
    plan = plan_for(request.user, slug, pk, "actionplans.finalise_review")
    review = get_object_or_404(ProgressReview, pk=review_id, plan=plan)
    try:
        services.reopen_review(review, by=request.user)
    except PlanError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "The review is a draft again. Finalise it once corrected.")
    return redirect(review_url(plan, review))


# --- Import and export of a review ------------------------------------------------------------


@login_required
@require_safe
def export_review(request, slug: str, pk: int, review_id: int, fmt: str):
    plan = plan_for(request.user, slug, pk)
    review = get_object_or_404(ProgressReview, pk=review_id, plan=plan)
    review.plan = plan
    exporter = exports.REVIEW_EXPORTERS.get(fmt)
    if exporter is None:
        raise Http404("No such format.")
    return download(*exporter().render(review))


class ReviewUploadForm(UploadForm):
    guess = staticmethod(review_transfer.guess_review_mapping)


class ReviewImportMixin(PlanMixin):
    """The import's pages: the review's writers, while the review is a draft."""

    permission = "actionplans.review_plan"

    @cached_property
    def review(self) -> ProgressReview:
        review = get_object_or_404(ProgressReview, pk=self.kwargs["review_id"], plan=self.plan)
        review.plan = self.plan
        return review

    @property
    def session_key(self) -> str:
        return f"actionplans.review_import.{self.review.pk}"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and self.review.is_final:
            messages.info(request, "This review is final, so nothing can be imported into it.")
            return redirect(review_url(self.plan, self.review))
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(review=self.review, **kwargs)

    def mapping_form(self, stored: dict, data=None) -> MappingForm:
        headers = stored["table"][stored["header_row"]]
        initial = {f"column_{i}": field for i, field in enumerate(stored["columns"])}
        if data is None or not any(name.startswith("column_") for name in data):
            data = initial
        return MappingForm(
            data,
            headers=headers,
            fields=review_transfer.FIELDS,
            single=review_transfer.SINGLE_FIELDS,
        )

    def render_preview(self, stored, form, refusal="", status=200):
        found = None
        if form.is_valid():
            mapping = transfer.ColumnMapping(stored["header_row"], form.cleaned_data["columns"])
            found = review_transfer.preview(self.review, stored["table"], mapping)
        context = self.get_context_data(
            file_name=stored["name"],
            form=form,
            preview=found,
            wording=wording_for(self.plan),
            summary=problem_summary(refusal, found.problems if found else ()),
        )
        return render(
            self.request, "actionplans/review_import_preview.html", context, status=status
        )

    def stored_or_redirect(self):
        stored = self.request.session.get(self.session_key)
        if stored is None:
            messages.info(self.request, "Upload the spreadsheet to import first.")
            return None, redirect(
                "actionplans:review_import",
                self.plan.organisation.slug,
                self.plan.pk,
                self.review.pk,
            )
        return stored, None


class ReviewImportView(ReviewImportMixin, FormView):
    template_name = "actionplans/review_import.html"
    form_class = ReviewUploadForm

    def form_valid(self, form):
        self.request.session[self.session_key] = {
            "name": form.cleaned_data["file"].name,
            "table": form.table,
            "header_row": form.mapping.header_row,
            "columns": form.mapping.columns,
        }
        return redirect(
            "actionplans:review_import_preview",
            self.plan.organisation.slug,
            self.plan.pk,
            self.review.pk,
        )


class ReviewImportPreviewView(ReviewImportMixin, ContextMixin, View):
    """GET: what each column holds and what would change; nothing is saved."""

    http_method_names = ["get", "head"]

    def get(self, request, *args, **kwargs):
        stored, away = self.stored_or_redirect()
        return away or self.render_preview(stored, self.mapping_form(stored, request.GET))


class ReviewImportConfirmView(ReviewImportMixin, ContextMixin, View):
    """POST: save every row of the preview, or none."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        stored, away = self.stored_or_redirect()
        if away:
            return away
        form = self.mapping_form(stored, request.POST)
        if not form.is_valid():
            return self.render_preview(stored, form, status=400)
        mapping = transfer.ColumnMapping(stored["header_row"], form.cleaned_data["columns"])
        found = review_transfer.preview(self.review, stored["table"], mapping)
        try:
            count = review_transfer.apply(self.review, found)
        except transfer.ImportRefused as refused:
            return self.render_preview(stored, form, refusal=str(refused), status=400)
        del request.session[self.session_key]
        messages.success(
            request,
            f"Imported ‘{stored['name']}’: {count} action{'s' if count != 1 else ''} changed.",
        )
        return redirect(review_url(self.plan, self.review))


# --- Achievements -----------------------------------------------------------------------------


def achievements_text(plan, found: Achievements, wording: dict) -> str:
    """The summary as plain text, to paste into a governance paper."""
    lines = [
        f"Achievements: {plan.title}",
        f"{found.period_from:%-d %B %Y} to {found.period_to:%-d %B %Y}",
    ]
    for group in found.headings:
        lines += ["", group.name]
        for row in group.entries:
            lines.append(f"- {row.title}")
            lines += [f"  {line}" for line in row.comment.splitlines() if line.strip()]
    if not found.headings:
        lines += [
            "",
            f"No action is {status_word(wording, Status.COMPLETE).lower()} in this period.",
        ]
    return "\n".join(lines) + "\n"


class AchievementsView(PlanMixin, TemplateView):
    template_name = "actionplans/achievements.html"

    def get_context_data(self, **kwargs):
        plan = self.plan
        today = timezone.localdate()
        last_day = last_day_of(plan.ends_on)
        # The whole plan so far; before it starts or after it ends, the whole plan.
        end = today if plan.starts_on <= today <= last_day else last_day
        defaults = {"from": plan.starts_on, "to": end}
        data = {
            name: self.request.GET.get(name) or f"{value:%Y-%m-%d}"
            for name, value in defaults.items()
        }
        form = PeriodForm(data)
        wording = wording_for(plan)
        found = text = None
        if form.is_valid():
            found = achievements(plan, form.cleaned_data["from"], form.cleaned_data["to"])
            text = achievements_text(plan, found, wording)
        return super().get_context_data(
            form=form, found=found, text=text, wording=wording, **kwargs
        )


def last_day_of(month: date) -> date:
    return services.add_months(month.replace(day=1), 1) - timedelta(days=1)


# --- Appending a review of an earlier plan to a later self-assessment -------------------------


def _rag_question_url(assessment) -> str:
    """The section page of the RAG-analysis question, at the appended reviews' card (the task
    list for a form without that question)."""
    args = [assessment.organisation.slug, assessment.pk]
    position = (
        Question.objects.filter(section__form_version_id=assessment.form_version_id)
        .filter(key=RAG_ANALYSIS_KEY)
        .values_list("section__position", flat=True)
        .first()
    )
    if position is None:
        return reverse("assessments:task_list", args=args)
    return reverse("assessments:section", args=[*args, position]) + "#rag-appendices"


def _appending(request, slug: str, pk: int, change) -> HttpResponse:
    """Whoever may change the self-assessment appends or removes a review of one of its
    organisation's plans (any other review is a 404); with htmx, the card comes back."""
    assessment = assessment_for(request.user, slug, pk, "assessments.change_assessment")
    review = get_object_or_404(
        ProgressReview,
        pk=id_or_404(request.POST.get("review")),
        plan__organisation=assessment.organisation,
    )
    message = error = ""
    try:
        message = change(review, assessment, by=request.user)
    except PlanError as problem:
        error = str(problem)
    if request.htmx:
        data = appendix_panel_data(request.user, assessment, message=message, error=error)
        return render(
            request,
            "actionplans/_rag_appendices.html",
            {"data": data},
            status=409 if error else 200,
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(request, message)
    return redirect(_rag_question_url(assessment))


def _append(review, assessment, *, by) -> str:
    services.append_review(review, assessment, by=by)
    letter = next(
        n for n, found in enumerate(appended_reviews(assessment)) if found.pk == review.pk
    )
    return f"The progress review is appended as Appendix {appendix_letter(letter)}."


def _detach(review, assessment, *, by) -> str:
    services.detach_review(review, assessment, by=by)
    return "The progress review is no longer appended."


@login_required
@require_POST
def append_review(request, slug: str, pk: int):
    return _appending(request, slug, pk, _append)


@login_required
@require_POST
def detach_review(request, slug: str, pk: int):
    return _appending(request, slug, pk, _detach)
