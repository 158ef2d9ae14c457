"""Input for action plans. Forms check; services write."""

from __future__ import annotations

from datetime import date

from django import forms
from django.core.exceptions import ValidationError

from actionplans import services
from actionplans.enums import Status, TimingStyle, status_word
from actionplans.models import Action, ActionPlan, month_label
from actionplans.transfer import MONTH_FORMATS, parse_month


class MonthInput(forms.TextInput):
    """A month as people write it in plans: Mar 2027 (also Mar-27, 03/2027, 2027-03)."""

    def __init__(self, attrs=None):
        super().__init__({"placeholder": "e.g. Mar 2027", "autocomplete": "off", **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, date):
            return month_label(value)
        return value


class MonthField(forms.Field):
    widget = MonthInput

    def to_python(self, value):
        if value in (None, ""):
            return None
        if isinstance(value, date):
            return value.replace(day=1)
        try:
            return parse_month(str(value))
        except ValueError:
            raise ValidationError(
                f"‘{value}’ is not a month. Write it as {MONTH_FORMATS}."
            ) from None


class PlanStartForm(forms.Form):
    title = forms.CharField(
        label="Title",
        max_length=200,
        required=False,
        help_text="Leave empty for ‘<organisation> Technician Commitment Action Plan <years>’.",
    )
    starts_on = MonthField(label="First month of the plan")
    horizon_months = forms.TypedChoiceField(
        label="Horizon",
        choices=[(24, "24 months"), (36, "36 months")],
        coerce=int,
        widget=forms.RadioSelect,
    )
    timing_style = forms.ChoiceField(
        label="How actions are timed",
        choices=TimingStyle.choices,
        widget=forms.RadioSelect,
        initial=TimingStyle.PHASES,
    )
    assessment = forms.ModelChoiceField(
        label="Self-assessment this plan goes with",
        queryset=None,
        required=False,
        empty_label="None yet",
    )
    previous = forms.ModelChoiceField(
        label="Start from an earlier plan",
        queryset=None,
        required=False,
        empty_label="No: start an empty plan",
        help_text="Its headings, key and status words are copied, and you choose which "
        "unfinished actions to carry forward.",
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        taken = ActionPlan.objects.filter(organisation=organisation).exclude(assessment=None)
        self.fields["assessment"].queryset = organisation.self_assessments.exclude(
            pk__in=taken.values("assessment_id")
        )
        self.fields["assessment"].label_from_instance = lambda a: (
            f"Self-assessment due {a.due_on:%-d %B %Y}"
        )
        self.fields["previous"].queryset = ActionPlan.objects.filter(organisation=organisation)
        self.fields["previous"].label_from_instance = lambda p: f"{p.title} ({p.period_label})"


# An earlier plan's original: a real PDF (pypdf must read it) of at most this size.
MAX_ORIGINAL_BYTES = 10 * 1024 * 1024


def check_pdf(upload) -> None:
    """Refuse anything that is not a readable PDF, whatever its name says."""
    from pypdf import PdfReader  # heavy; only here

    if upload.size > MAX_ORIGINAL_BYTES:
        raise ValidationError("The PDF is larger than 10 MB. Save it smaller and try again.")
    upload.seek(0)
    if upload.read(5) != b"%PDF-":
        raise ValidationError("This file is not a PDF. Choose the plan's PDF and try again.")
    upload.seek(0)
    try:
        pages = len(PdfReader(upload).pages)
    except Exception:  # noqa: BLE001 - a crafted file can make pypdf raise almost anything
        pages = 0
    finally:
        upload.seek(0)
    if not pages:
        raise ValidationError("This PDF cannot be read. Save it again as a PDF and try again.")


class EarlierPlanForm(forms.Form):
    """A plan of an earlier cycle, approved before the portal existed."""

    title = forms.CharField(label="Title", max_length=200)
    starts_on = MonthField(label="First month of the plan")
    ends_on = MonthField(label="Last month of the plan")
    approved_on = forms.DateField(
        label="Date it was approved",
        help_text="As on the approval, for example 14/03/2019.",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    original_pdf = forms.FileField(
        label="The plan as approved (PDF, optional)",
        required=False,
        help_text="A PDF of up to 10 MB.",
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )
    original_public = forms.BooleanField(
        label="Show the original PDF on the organisation's public page",
        required=False,
        help_text="Until you choose so, only your organisation and the portal's administrators "
        "can open it.",
    )

    def clean_original_pdf(self):
        upload = self.cleaned_data.get("original_pdf")
        if upload:
            check_pdf(upload)
        return upload

    def clean_approved_on(self):
        approved_on = self.cleaned_data["approved_on"]
        if approved_on > date.today():
            raise ValidationError("The approval date is in the future.")
        return approved_on

    def clean(self):
        data = super().clean()
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", "The last month comes before the first.")
        if data.get("original_public") and not data.get("original_pdf"):
            self.add_error("original_public", "Choose the PDF to show, or leave this unticked.")
        return data


class OriginalPdfForm(forms.Form):
    """An earlier plan's original, added or replaced after it was recorded."""

    original_pdf = forms.FileField(
        label="The plan as approved (PDF)",
        help_text="A PDF of up to 10 MB.",
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )

    def clean_original_pdf(self):
        upload = self.cleaned_data["original_pdf"]
        check_pdf(upload)
        return upload


class ActionForm(forms.Form):
    """One row of the plan table. Fields follow the plan: its phases, years or target date."""

    title = forms.CharField(label="Action", max_length=500, widget=forms.Textarea({"rows": 2}))
    description = forms.CharField(
        label="Description", required=False, widget=forms.Textarea({"rows": 2})
    )
    led_by = forms.CharField(label="Led by", max_length=120, required=False)
    success_criteria = forms.CharField(
        label="Success criteria", required=False, widget=forms.Textarea({"rows": 2})
    )
    status = forms.ChoiceField(label="Status", choices=Status.choices)
    comment = forms.CharField(label="Comment", required=False, widget=forms.Textarea({"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(
        self, *args, plan: ActionPlan, wording: dict, owner_codes: list, phases, headings, **kw
    ):
        self.plan = plan
        self.phases = phases
        self.known_codes = {c.code for c in owner_codes}
        super().__init__(*args, **kw)
        self.fields["status"].choices = [(s, status_word(wording, s)) for s in Status]
        self.fields["heading"] = forms.TypedChoiceField(
            label="Heading",
            choices=[(h.pk, h.name) for h in headings],
            coerce=int,
            required=False,
            widget=forms.Select({"class": "form-select"}),
        )
        self.fields["status"].widget.attrs["class"] = "form-select"
        if plan.timing_style == TimingStyle.PHASES:
            for phase in phases:
                self.fields[f"phase_{phase.pk}"] = MonthField(
                    label=f"{phase.name} target", required=False
                )
        elif plan.timing_style == TimingStyle.YEARS:
            self.fields["focus_years"] = forms.TypedMultipleChoiceField(
                label="Focus years",
                choices=[(y, str(y)) for y in plan.years],
                coerce=int,
                required=False,
                widget=forms.CheckboxSelectMultiple({"class": "form-check-input"}),
            )
        else:
            self.fields["target_on"] = forms.DateField(
                label="Target date", required=False, widget=forms.DateInput({"type": "date"})
            )

    @classmethod
    def initial_for(cls, action: Action) -> dict:
        initial = {
            "title": action.title,
            "description": action.description,
            "led_by": action.led_by,
            "success_criteria": action.success_criteria,
            "status": action.status,
            "heading": action.heading_id,
            "comment": action.comment,
            "version": action.version,
            "focus_years": action.focus_years,
            "target_on": action.target_on,
        }
        targets = getattr(action, "targets_by_phase", None)
        if targets is None:
            targets = {t.phase_id: t.month for t in action.phase_targets.all()}
        for phase_id, month in targets.items():
            initial[f"phase_{phase_id}"] = month
        return initial

    def clean_led_by(self):
        led_by, unknown = services.parse_led_by(
            self.plan, self.cleaned_data["led_by"], self.known_codes
        )
        if unknown:
            codes = ", ".join(sorted(self.known_codes)) or "none yet"
            raise ValidationError(
                f"{' and '.join(f'‘{c}’' for c in unknown)} "
                f"{'is' if len(unknown) == 1 else 'are'} not in the plan's key. "
                f"Use codes from the key ({codes}) or ask the lead to add it."
            )
        return led_by

    def phase_targets(self) -> dict[int, date | None]:
        return {p.pk: self.cleaned_data.get(f"phase_{p.pk}") for p in self.phases}

    def changes(self) -> dict:
        data = self.cleaned_data
        fields = {
            key: data[key]
            for key in ("title", "description", "led_by", "success_criteria", "status", "comment")
        }
        if "focus_years" in data:
            fields["focus_years"] = sorted(data["focus_years"])
        if "target_on" in data:
            fields["target_on"] = data["target_on"]
        return fields

    def phase_boxes(self):
        return [(phase, self[f"phase_{phase.pk}"]) for phase in self.phases]


class PlanDetailsForm(forms.ModelForm):
    starts_on = MonthField(label="First month")
    ends_on = MonthField(label="Last month")

    class Meta:
        model = ActionPlan
        fields = ["title", "starts_on", "ends_on", "horizon_months", "timing_style", "assessment"]
        widgets = {"timing_style": forms.RadioSelect, "horizon_months": forms.RadioSelect}
        labels = {"assessment": "Self-assessment this plan goes with"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        plan = self.instance
        taken = ActionPlan.objects.exclude(pk=plan.pk).exclude(assessment=None)
        field = self.fields["assessment"]
        field.queryset = plan.organisation.self_assessments.exclude(
            pk__in=taken.values("assessment_id")
        )
        field.empty_label = "None yet"
        field.label_from_instance = lambda a: f"Self-assessment due {a.due_on:%-d %B %Y}"

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", "The last month comes before the first.")
        return data


class PhaseForm(forms.Form):
    name = forms.CharField(label="Name", max_length=60)
    starts_on = MonthField(label="First month")
    ends_on = MonthField(label="Last month")

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", "The last month comes before the first.")
        return data


class OwnerCodeForm(forms.Form):
    code = forms.CharField(label="Code", max_length=12, help_text="For example PL.")
    title = forms.CharField(
        label="Stands for", max_length=120, help_text="For example Project Lead."
    )

    def clean_code(self):
        try:
            return services.clean_code(self.cleaned_data["code"])
        except services.PlanError as error:
            raise ValidationError(str(error)) from None


class WordingForm(forms.Form):
    """The plan's own words for the five statuses."""

    def __init__(self, *args, wording: dict, **kwargs):
        super().__init__(*args, **kwargs)
        for status in Status:
            self.fields[f"{status}_label"] = forms.CharField(
                label=f"Word for {status.label.lower()}",
                max_length=60,
                initial=wording[status].label,
            )
            self.fields[f"{status}_description"] = forms.CharField(
                label=f"What {status.label.lower()} means",
                max_length=300,
                required=False,
                initial=wording[status].description,
            )

    def clean(self):
        data = super().clean()
        labels = [data.get(f"{s}_label", "").strip().casefold() for s in Status]
        for status, label in zip(Status, labels, strict=True):
            if label and labels.count(label) > 1:
                self.add_error(f"{status}_label", "Each status needs its own word.")
        return data

    def rows(self):
        return [(s, self[f"{s}_label"], self[f"{s}_description"]) for s in Status]


class HeadingForm(forms.Form):
    name = forms.CharField(
        label="Heading", max_length=120, help_text="For example Ongoing actions or Staff wellbeing."
    )
