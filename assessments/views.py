import difflib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.decorators.http import require_POST
from django.views.generic import CreateView, TemplateView, UpdateView

from assessments import documents, panels, services
from assessments.enums import QuestionKind
from assessments.fields import value_problems
from assessments.forms import (
    CohortDeadlineForm,
    FigureDetailsForm,
    FigureForm,
    SectionForm,
    flag_to_bool,
)
from assessments.lookups import assessment_for
from assessments.models import Answer, CohortDeadline, Figure, Question, SelfAssessment, Theme
from assessments.queries import assessments_listed_for, assessments_of, load_assessment
from assessments.services import AssessmentError, due_date_for
from signatories.mixins import OrganisationMixin, SectorPermissionMixin
from signatories.models import Organisation
from techcommit.limits import body_size_limit
from techcommit.permissions import may
from techcommit.text import count_words, html_to_text, sanitise_html


class AssessmentMixin(LoginRequiredMixin):
    permission = "assessments.view_assessment"

    @cached_property
    def assessment(self) -> SelfAssessment:
        return assessment_for(
            self.request.user, self.kwargs["slug"], self.kwargs["pk"], self.permission
        )

    @cached_property
    def loaded(self):
        return load_assessment(self.assessment)

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.assessment  # noqa: B018 - 404 before anything else
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            assessment=self.assessment,
            organisation=self.assessment.organisation,
            can_change=may(user, "assessments.change_assessment", self.assessment),
            **kwargs,
        )


class AssessmentListView(OrganisationMixin, TemplateView):
    template_name = "assessments/assessment_list.html"

    def get_context_data(self, **kwargs):
        organisation = self.organisation
        listed = assessments_listed_for(self.request.user, organisation)
        due = due_date_for(organisation)
        can_start = (
            bool(due)
            and may(self.request.user, "assessments.start_assessment", organisation)
            and not assessments_of(organisation).filter(due_on=due.due_on).exists()
        )
        return super().get_context_data(listed=listed, due=due, can_start=can_start, **kwargs)


@login_required
@require_POST
def start_assessment(request, slug: str):
    organisation = get_object_or_404(Organisation, slug=slug)
    if not request.user.has_perm("signatories.view_organisation", organisation) or not (
        may(request.user, "assessments.start_assessment", organisation)
    ):
        raise Http404("No organisation here.")
    try:
        assessment = services.start_assessment(organisation, by=request.user)
    except AssessmentError as error:
        messages.error(request, str(error))
        return redirect("assessments:list", slug=slug)
    return redirect(assessment)


class TaskListView(AssessmentMixin, TemplateView):
    template_name = "assessments/task_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(loaded=self.loaded, **kwargs)


def question_rows(user, assessment: SelfAssessment, form: SectionForm) -> list[dict]:
    """The form's rows, each with the panels other apps show beside or under its question."""
    rows = form.rows()
    found = panels.panels_for(user, assessment, [row["view"].question for row in rows])
    for row in rows:
        mine = found.get(row["view"].question.key, [])
        row["beside"] = [panel for panel in mine if panel.beside]
        row["below"] = [panel for panel in mine if not panel.beside]
    return rows


class SectionView(AssessmentMixin, TemplateView):
    template_name = "assessments/section.html"

    @cached_property
    def section_view(self):
        section = self.loaded.section(self.kwargs["position"])
        if section is None:
            raise Http404("No such section.")
        return section

    def get_context_data(self, form=None, conflicts=None, **kwargs):
        section_view = self.section_view
        form = form or SectionForm(section=section_view)
        previous = services.previous_answers(self.assessment)
        sections = self.loaded.sections
        index = sections.index(section_view)
        return super().get_context_data(
            loaded=self.loaded,
            section=section_view,
            form=form,
            conflicts=conflicts or [],
            previous={
                box.html_id: previous[(box.question.key, box.theme.pk if box.theme else None)]
                for qv in section_view.questions
                for box in qv.boxes
                if (box.question.key, box.theme.pk if box.theme else None) in previous
            },
            figure_form=kwargs.pop("figure_form", None) or FigureForm(),
            next_section=sections[index + 1] if index + 1 < len(sections) else None,
            rows=question_rows(self.request.user, self.assessment, form),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        if not may(request.user, "assessments.change_assessment", self.assessment):
            raise Http404("You cannot change this self-assessment.")
        form = SectionForm(request.POST, section=self.section_view)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        conflicts = []
        for box, text, flag, base in form.submitted_boxes():
            result = services.save_answer(
                self.assessment,
                box.question,
                theme=box.theme,
                text=text,
                flag=flag,
                base_version=base,
                by=request.user,
            )
            if result.conflict:
                conflicts.append((box, result.answer, text))
        section = self.section_view.section
        if conflicts:
            # Reload what is saved, but keep what this person typed in the conflicting boxes.
            self.__dict__.pop("loaded", None)
            self.__dict__.pop("section_view", None)
            fresh = SectionForm(section=self.section_view)
            data = {**fresh.initial}
            for box, theirs, typed in conflicts:
                data[box.html_id] = typed
                data[f"{box.html_id}__version"] = theirs.version
            retry = SectionForm(data=data, section=self.section_view)
            retry.is_valid()
            return self.render_to_response(
                self.get_context_data(form=retry, conflicts=conflicts), status=409
            )
        services.set_section_complete(
            self.assessment, section, form.cleaned_data["complete"], by=request.user
        )
        messages.success(request, f"‘{section.title}’ is saved.")
        if "continue" in request.POST:
            nxt = self.get_context_data()["next_section"]
            if nxt:
                return redirect(
                    "assessments:section",
                    slug=self.kwargs["slug"],
                    pk=self.assessment.pk,
                    position=nxt.section.position,
                )
        return redirect(self.assessment)


def _box_question(assessment: SelfAssessment, question_id: int, theme_slug: str | None):
    question = get_object_or_404(
        Question.objects.select_related("section"),
        pk=question_id,
        section__form_version_id=assessment.form_version_id,
    )
    theme = None
    if question.kind == QuestionKind.PER_THEME:
        theme = get_object_or_404(Theme, slug=theme_slug or "", asked_per_theme=True)
    elif theme_slug:
        raise Http404("This question has no themes.")
    return question, theme


@require_POST
@body_size_limit("TEXT_REQUEST_MAX_BYTES")
def autosave(request, slug: str, pk: int, question_id: int, theme: str | None = None):
    """Save one box as the person types. Answers JSON; never redirects to sign in."""
    if not request.user.is_authenticated:
        login = reverse("account_login")
        return JsonResponse({"status": "signed_out", "login_url": login}, status=401)
    assessment = assessment_for(request.user, slug, pk, "assessments.change_assessment")
    question, theme_obj = _box_question(assessment, question_id, theme)
    try:
        base = int(request.POST.get("version", ""))
    except ValueError:
        return JsonResponse({"status": "invalid", "message": "Reload the page."}, status=400)
    flag = (
        flag_to_bool(request.POST.get("flag", ""))
        if question.kind == QuestionKind.CONFIRM_URL
        else None
    )
    result = services.save_answer(
        assessment,
        question,
        theme=theme_obj,
        text=request.POST.get("text", ""),
        flag=flag,
        base_version=base,
        by=request.user,
    )
    answer = result.answer
    if result.conflict:
        return JsonResponse(
            {
                "status": "conflict",
                "version": answer.version,
                "theirs_html": answer.text,
                "theirs_text": answer.text,
                "theirs_flag": answer.flag,
                "theirs_by": str(answer.updated_by or "A colleague"),
                "theirs_at": timezone.localtime(answer.updated_at).strftime("%H:%M"),
            },
            status=409,
        )
    return JsonResponse(
        {
            "status": "saved" if result.saved else "unchanged",
            "version": answer.version,
            "saved_at": timezone.localtime(answer.updated_at).strftime("%H:%M"),
            "problems": value_problems(question, answer.text, answer.flag),
            "words": count_words(answer.text),
        }
    )


@require_POST
@body_size_limit("TEXT_REQUEST_MAX_BYTES")
def clean_pasted_html(request):
    """The editor sends pasted HTML here, so one sanitiser (the server's) decides what stays;
    ``headings`` for a field that keeps them (an update paper's introduction)."""
    if not request.user.is_authenticated:
        return JsonResponse({"status": "signed_out"}, status=401)
    headings = request.POST.get("headings") == "1"
    return JsonResponse({"html": sanitise_html(request.POST.get("html", ""), headings=headings)})


@login_required
@require_POST
def reuse_previous(request, slug: str, pk: int, question_id: int, theme: str | None = None):
    """Start an answer from the one given in the organisation's previous self-assessment."""
    assessment = assessment_for(request.user, slug, pk, "assessments.change_assessment")
    question, theme_obj = _box_question(assessment, question_id, theme)
    previous = services.previous_answers(assessment).get(
        (question.key, theme_obj.pk if theme_obj else None)
    )
    if previous is None:
        raise Http404("There is no earlier answer to this question.")
    current = Answer.objects.filter(
        assessment=assessment, question=question, theme=theme_obj
    ).first()
    result = services.save_answer(
        assessment,
        question,
        theme=theme_obj,
        text=previous.text,
        flag=previous.flag,
        base_version=current.version if current else 0,
        by=request.user,
    )
    if result.conflict:
        messages.error(request, "A colleague changed this answer just now; look at it again.")
    else:
        messages.success(request, "The earlier answer is in the box. Update it for this cycle.")
    box_id = f"answer-{question.key}" + (f"-{theme_obj.slug}" if theme_obj else "")
    url = reverse("assessments:section", args=[slug, pk, question.section.position])
    return redirect(f"{url}#{box_id}")


class DocumentMixin(AssessmentMixin):
    """The draft as the one document builder reads it, plan appendix included."""

    def get_context_data(self, **kwargs):
        assessment = self.assessment
        slug = assessment.organisation.slug
        document = documents.build_live(
            self.loaded,
            figure_src=lambda figure: reverse(
                "assessments:figure_image", args=[slug, assessment.pk, figure.pk]
            ),
        )
        return super().get_context_data(loaded=self.loaded, document=document, **kwargs)


class CheckView(DocumentMixin, TemplateView):
    template_name = "assessments/check.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(problems=self.loaded.problems(), **kwargs)


class PreviewView(DocumentMixin, TemplateView):
    template_name = "assessments/preview.html"


class HistoryView(AssessmentMixin, TemplateView):
    """Every saved version of one answer; one of them beside the current text, with the
    difference."""

    template_name = "assessments/history.html"

    @cached_property
    def answer(self) -> Answer:
        return get_object_or_404(
            Answer.objects.select_related("question__section", "theme", "updated_by"),
            pk=self.kwargs["answer_id"],
            assessment=self.assessment,
        )

    def get_context_data(self, **kwargs):
        answer = self.answer
        revisions = list(answer.revisions.select_related("saved_by"))
        chosen = None
        if "version" in self.request.GET:
            chosen = next(
                (r for r in revisions if str(r.version) == self.request.GET["version"]), None
            )
            if chosen is None:
                raise Http404("No such version.")
        diff = None
        if chosen:
            before = html_to_text(chosen.text).splitlines()
            after = html_to_text(answer.text).splitlines()
            diff = list(difflib.ndiff(before, after))
        return super().get_context_data(
            answer=answer, revisions=revisions, chosen=chosen, diff=diff, **kwargs
        )


@login_required
@require_POST
def restore_version(request, slug: str, pk: int, answer_id: int, version: int):
    assessment = assessment_for(request.user, slug, pk, "assessments.change_assessment")
    answer = get_object_or_404(
        Answer.objects.select_related("question__section"), pk=answer_id, assessment=assessment
    )
    revision = get_object_or_404(answer.revisions, version=version)
    result = services.restore_revision(answer, revision, by=request.user)
    if result.conflict:
        messages.error(request, "A colleague changed this answer just now; look at it again.")
    else:
        messages.success(request, f"Version {version} is the current answer again.")
    return redirect("assessments:history", slug=slug, pk=pk, answer_id=answer.pk)


# --- Figures ---------------------------------------------------------------------------------


def _figure_redirect(figure_or_question, slug, pk):
    question = getattr(figure_or_question, "question", figure_or_question)
    url = reverse("assessments:section", args=[slug, pk, question.section.position])
    return redirect(f"{url}#figures-{question.key}")


@login_required
@require_POST
def add_figure(request, slug: str, pk: int, question_id: int):
    assessment = assessment_for(request.user, slug, pk, "assessments.change_assessment")
    question, _ = _box_question(assessment, question_id, None)
    if question.kind != QuestionKind.FIGURES:
        raise Http404("This question takes no figures.")
    form = FigureForm(request.POST, request.FILES, auto_id=f"new-figure-{question.key}-%s")
    if not form.is_valid():
        view = SectionView(
            request=request, kwargs={"slug": slug, "pk": pk, "position": question.section.position}
        )
        return view.render_to_response(
            view.get_context_data(figure_form=form, figure_question=question), status=400
        )
    services.add_figure(
        assessment,
        question,
        upload=form.cleaned_data["image"],
        info=form.image_info,
        caption=form.cleaned_data["caption"],
        alt_text=form.cleaned_data["alt_text"],
        by=request.user,
    )
    messages.success(request, f"Figure ‘{form.cleaned_data['caption']}’ added.")
    return _figure_redirect(question, slug, pk)


def _figure_for(request, slug, pk, figure_id, permission):
    assessment = assessment_for(request.user, slug, pk, permission)
    return get_object_or_404(
        Figure.objects.select_related("question__section", "assessment"),
        pk=figure_id,
        assessment=assessment,
    )


@login_required
def figure_image(request, slug: str, pk: int, figure_id: int):
    """Figures of drafts are private: served through the organisation, never from /media/."""
    figure = _figure_for(request, slug, pk, figure_id, "assessments.view_assessment")
    return FileResponse(
        figure.image.open("rb"),
        content_type=f"image/{'jpeg' if figure.extension == 'jpg' else figure.extension}",
    )


@login_required
@require_POST
def change_figure(request, slug: str, pk: int, figure_id: int):
    figure = _figure_for(request, slug, pk, figure_id, "assessments.change_assessment")
    action = request.POST.get("action", "")
    try:
        if action == "up":
            services.move_figure(figure, -1)
        elif action == "down":
            services.move_figure(figure, +1)
        elif action == "delete":
            services.delete_figure(figure)
            messages.success(request, f"Figure ‘{figure.caption}’ removed.")
        else:
            form = FigureDetailsForm(request.POST)
            if not form.is_valid():
                messages.error(request, "Give the figure a caption and a description.")
            else:
                services.update_figure(figure, **form.cleaned_data)
                messages.success(request, "Figure details saved.")
    except (AssessmentError, ValidationError) as error:
        messages.error(request, str(error))
    return _figure_redirect(figure, slug, pk)


# --- The portal's administration: cohort deadlines ---------------------------------------------


class CohortMixin(SectorPermissionMixin):
    permission = "assessments.manage_cohorts"


class CohortListView(CohortMixin, TemplateView):
    template_name = "assessments/admin/cohort_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(cohorts=list(CohortDeadline.objects.all()), **kwargs)


class CohortFormMixin(CohortMixin):
    template_name = "assessments/admin/cohort_form.html"
    form_class = CohortDeadlineForm
    model = CohortDeadline

    def form_valid(self, form):
        cohort = form.save()
        messages.success(self.request, f"The deadline ‘{cohort.name}’ has been saved.")
        return redirect("assessments:admin_cohorts")


class CohortAddView(CohortFormMixin, CreateView):
    pass


class CohortEditView(CohortFormMixin, UpdateView):
    pass
