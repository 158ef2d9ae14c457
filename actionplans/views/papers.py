"""Update papers: start one from a finalised progress review, then edit it (its introduction,
achievements, feedback and next steps) on one page. Its writers are the plan's (the lead and
contributors); previewing and publishing are publications' pages."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.generic import TemplateView

from actionplans import papers
from actionplans.models import ProgressReview, UpdatePaper, UpdatePaperAchievement
from actionplans.services import PlanError
from actionplans.views import PlanMixin
from actionplans.views.reviews import date_input
from techcommit.text import sanitise_html


class PaperStartForm(forms.Form):
    title = forms.CharField(max_length=200)
    dated_on = forms.DateField(label="Date of the paper", widget=date_input())
    periods = forms.MultipleChoiceField(
        label="Plan periods it reports on",
        widget=forms.CheckboxSelectMultiple,
        help_text="Achievements are prefilled from the actions completed in each.",
    )

    def __init__(self, *args, periods: list[papers.Period], **kwargs):
        super().__init__(*args, **kwargs)
        self.periods = {p.name: p for p in periods}
        self.fields["periods"].choices = [(p.name, p.label) for p in periods]
        self.helper = FormHelper()
        self.helper.form_tag = False

    def chosen(self) -> list[papers.Period]:
        return [self.periods[name] for name in self.cleaned_data["periods"]]


class PaperForm(forms.ModelForm):
    class Meta:
        model = UpdatePaper
        fields = [
            "title",
            "dated_on",
            "introduction",
            "feedback",
            "feedback_source",
            "feedback_on",
            "next_steps",
            "next_steps_due_on",
        ]
        widgets = {
            "dated_on": date_input(),
            "feedback_on": date_input(),
            "next_steps_due_on": date_input(),
            "introduction": forms.Textarea(attrs={"rows": 8, "data-rich": "headings"}),
            "feedback": forms.Textarea(attrs={"rows": 5}),
            "next_steps": forms.Textarea(attrs={"rows": 5}),
        }
        help_texts = {
            "introduction": "Headings, bold and italic text, lists and links are kept.",
            "feedback": "Quoted as given.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["introduction"].strip = False
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_introduction(self):
        return sanitise_html(self.cleaned_data["introduction"], headings=True)

    def clean(self):
        data = super().clean()
        if data.get("next_steps", "").strip() and not data.get("next_steps_due_on"):
            self.add_error("next_steps_due_on", "Give the next steps a deadline.")
        return data


class AchievementForm(forms.ModelForm):
    class Meta:
        model = UpdatePaperAchievement
        fields = ["period", "heading", "text", "action", "position"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}
        labels = {"action": "From the action (optional)"}

    def __init__(self, *args, paper: UpdatePaper, periods: list[str], choices: dict, **kwargs):
        super().__init__(*args, **kwargs)
        plan = paper.review.plan
        self.fields["period"] = forms.ChoiceField(
            label="Plan period", choices=[("", "Choose a period"), *((n, n) for n in periods)]
        )
        self.fields["heading"].queryset = plan.headings.all()
        self.fields["heading"].label = "Theme"
        self.fields["action"].queryset = plan.actions.live()
        # The choices are read once for the page, not once for every row.
        for name in ("heading", "action"):
            self.fields[name].choices = choices[name]
        if self.instance.pk and not self.instance.heading_id and self.instance.heading_name:
            # Its heading was deleted from the plan: it stays under the name it had, unless
            # another theme is chosen.
            recorded = f"{self.instance.heading_name} (no longer in the plan)"
            self.fields["heading"].required = False
            self.fields["heading"].choices = [("", recorded), *choices["heading"][1:]]
        self.fields["position"].widget.attrs["min"] = 0


def row_choices(plan) -> dict:
    """The theme and action choices every achievement row offers, read once."""
    headings = plan.headings.select_related("theme").order_by("position", "pk")
    actions = plan.actions.live().order_by("heading__position", "position", "pk")
    return {
        "heading": [("", "Choose a theme"), *((h.pk, h.name) for h in headings)],
        "action": [("", "None"), *((a.pk, a.title) for a in actions.only("pk", "title"))],
    }


AchievementFormSet = forms.modelformset_factory(
    UpdatePaperAchievement, form=AchievementForm, extra=1, can_delete=True
)


class PaperMixin(PlanMixin):
    permission = "actionplans.review_plan"


class PaperStartView(PaperMixin, TemplateView):
    """Start an update paper from a finalised review of the plan."""

    template_name = "actionplans/update_paper_new.html"

    @cached_property
    def review(self) -> ProgressReview:
        review = get_object_or_404(self.plan.reviews, pk=self.kwargs["review_id"])
        if not review.is_final:
            raise Http404("Only a finalised review makes an update paper.")
        return review

    def form(self, data=None) -> PaperStartForm:
        periods = papers.plan_periods(self.plan)
        today = timezone.localdate()
        return PaperStartForm(
            data,
            periods=periods,
            initial={"title": papers.default_title(today), "dated_on": today},
        )

    def get_context_data(self, form=None, **kwargs):
        return super().get_context_data(review=self.review, form=form or self.form(), **kwargs)

    def post(self, request, *args, **kwargs):
        form = self.form(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        try:
            paper = papers.start_update_paper(
                self.review,
                by=request.user,
                title=form.cleaned_data["title"],
                dated_on=form.cleaned_data["dated_on"],
                periods=form.chosen(),
            )
        except PlanError as error:
            form.add_error(None, str(error))
            return self.render_to_response(self.get_context_data(form=form), status=400)
        messages.success(request, "The update paper is started with the achievements found.")
        return redirect(paper_url(paper))


def paper_url(paper: UpdatePaper) -> str:
    plan = paper.review.plan
    return reverse("actionplans:update_paper", args=[plan.organisation.slug, plan.pk, paper.pk])


class PaperView(PaperMixin, TemplateView):
    """Edit the paper and its achievements on one page."""

    template_name = "actionplans/update_paper.html"

    @cached_property
    def paper(self) -> UpdatePaper:
        return get_object_or_404(
            UpdatePaper.objects.select_related("review__plan__organisation"),
            pk=self.kwargs["paper_id"],
            review__plan=self.plan,
        )

    def forms(self, data=None):
        paper = self.paper
        names = [p.name for p in papers.plan_periods(self.plan)]
        names += [n for n in paper.achievements.values_list("period", flat=True) if n not in names]
        form = PaperForm(data, instance=paper)
        formset = AchievementFormSet(
            data,
            queryset=paper.achievements.select_related("heading__theme", "action"),
            form_kwargs={
                "paper": paper,
                "periods": list(dict.fromkeys(names)),
                "choices": row_choices(self.plan),
            },
        )
        formset.helper = FormHelper()
        formset.helper.form_tag = False
        return form, formset

    def get_context_data(self, forms=None, **kwargs):
        form, formset = forms or self.forms()
        return super().get_context_data(paper=self.paper, form=form, formset=formset, **kwargs)

    def post(self, request, *args, **kwargs):
        form, formset = self.forms(request.POST)
        if not (form.is_valid() and formset.is_valid()):
            context = self.get_context_data(forms=(form, formset))
            return self.render_to_response(context, status=400)
        form.save()
        for row in formset.save(commit=False):
            row.paper = self.paper
            row.save()
        for row in formset.deleted_objects:
            row.delete()
        messages.success(request, "The update paper is saved.")
        if "preview" in request.POST:
            return redirect(
                "publications:update_paper_preview",
                slug=self.plan.organisation.slug,
                paper_id=self.paper.pk,
            )
        return redirect(paper_url(self.paper))
