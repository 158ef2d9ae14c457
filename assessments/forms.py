"""The section form, built from the form version's questions (policy as data), and the figure
forms. Every box is optional here: drafts save whatever was typed; problems are reported, not
refused."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.core.exceptions import ValidationError

from assessments.enums import QuestionKind
from assessments.images import ImageProblem, inspect_image
from assessments.models import CohortDeadline
from assessments.queries import Box, SectionView

MAX_FIGURE_BYTES = 10 * 1024 * 1024


def _text(**attrs):
    return forms.CharField(required=False, strip=False, widget=forms.TextInput(attrs=attrs))


def _rich():
    return forms.CharField(
        required=False, strip=False, widget=forms.Textarea(attrs={"rows": 8, "data-rich": ""})
    )


FIELD_BUILDERS = {
    QuestionKind.SHORT_TEXT: lambda: _text(),
    QuestionKind.LONG_TEXT: _rich,
    QuestionKind.PER_THEME: _rich,
    QuestionKind.ACTION_PLAN: _rich,
    QuestionKind.NUMBER: lambda: _text(inputmode="numeric"),
    QuestionKind.EMAIL: lambda: _text(type="email", autocomplete="email"),
    QuestionKind.TELEPHONE: lambda: _text(type="tel", autocomplete="tel"),
    QuestionKind.URL: lambda: _text(type="url"),
    QuestionKind.CONFIRM_URL: lambda: _text(type="url"),
    QuestionKind.DATE: lambda: _text(type="date"),
}

FLAG_CHOICES = [("yes", "Yes"), ("no", "No")]


def flag_to_bool(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


def bool_to_flag(value: bool | None) -> str:
    return {True: "yes", False: "no"}.get(value, "")


class SectionForm(forms.Form):
    """One field per answer box, with the version it was loaded at, and "mark as complete"."""

    complete = forms.BooleanField(label="Mark this section as complete", required=False)

    def __init__(self, *args, section: SectionView, **kwargs):
        self.section = section
        self.boxes: list[Box] = [
            box
            for question_view in section.questions
            for box in question_view.boxes
            if box.question.kind in FIELD_BUILDERS
        ]
        initial = {"complete": section.completion is not None}
        for box in self.boxes:
            initial[box.html_id] = box.text
            initial[f"{box.html_id}__version"] = box.version
            if box.question.kind == QuestionKind.CONFIRM_URL:
                initial[f"{box.html_id}__flag"] = bool_to_flag(box.flag)
        kwargs.setdefault("initial", initial)
        kwargs.setdefault("auto_id", "%s")
        super().__init__(*args, **kwargs)
        for box in self.boxes:
            field = FIELD_BUILDERS[box.question.kind]()
            field.label = box.label
            described_by = [f"{box.html_id}-status"]
            if box.question.guidance and not box.theme:
                described_by.insert(0, f"{box.html_id}-hint")
            field.widget.attrs.update(
                {
                    "class": "form-control" + (" is-invalid" if box.problems else ""),
                    "data-field": "",
                    "aria-describedby": " ".join(described_by),
                }
            )
            self.fields[box.html_id] = field
            # Not required: a box left out of the submission is simply not saved.
            self.fields[f"{box.html_id}__version"] = forms.IntegerField(
                required=False, min_value=0, widget=forms.HiddenInput(attrs={"data-version": ""})
            )
            if box.question.kind == QuestionKind.CONFIRM_URL:
                self.fields[f"{box.html_id}__flag"] = forms.ChoiceField(
                    label="Published?",
                    choices=FLAG_CHOICES,
                    required=False,
                    widget=forms.RadioSelect(attrs={"data-flag": "", "class": "form-check-input"}),
                )
        self.order_fields([f for f in self.fields if f != "complete"] + ["complete"])

    def rows(self):
        """For the template: each question with its boxes' bound fields."""
        by_question = {}
        for box in self.boxes:
            by_question.setdefault(box.question.pk, []).append(
                {
                    "box": box,
                    "field": self[box.html_id],
                    "version": self[f"{box.html_id}__version"],
                    "flag": self[f"{box.html_id}__flag"]
                    if box.question.kind == QuestionKind.CONFIRM_URL
                    else None,
                }
            )
        return [
            {"view": question_view, "boxes": by_question.get(question_view.question.pk, [])}
            for question_view in self.section.questions
        ]

    def submitted_boxes(self):
        """(box, text, flag, base version) for every box whose value differs from the saved one."""
        for box in self.boxes:
            text = self.cleaned_data.get(box.html_id) or ""
            flag = flag_to_bool(self.cleaned_data.get(f"{box.html_id}__flag") or "")
            base = self.cleaned_data.get(f"{box.html_id}__version")
            if base is None:
                continue
            if box.question.kind != QuestionKind.CONFIRM_URL:
                flag = None
            if text.strip() != box.text.strip() or flag != box.flag or base != box.version:
                yield box, text, flag, base


class FigureForm(forms.Form):
    image = forms.FileField(
        label="Image file",
        help_text="A PNG, JPEG, GIF or WebP image, up to 10 MB.",
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/png,image/jpeg,image/gif,image/webp"}
        ),
    )
    caption = forms.CharField(
        label="Caption",
        max_length=300,
        help_text="For example: Fig. 1 – Technical staff by faculty, August 2026.",
    )
    alt_text = forms.CharField(
        label="Description for people who cannot see the image",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Say what the figure shows and its main numbers, in a sentence or two.",
    )

    def clean_image(self):
        upload = self.cleaned_data["image"]
        if upload.size > MAX_FIGURE_BYTES:
            raise ValidationError("The image is larger than 10 MB. Save it smaller and try again.")
        try:
            self.image_info = inspect_image(upload)
        except ImageProblem as problem:
            raise ValidationError(str(problem)) from None
        return upload


class FigureDetailsForm(forms.Form):
    caption = forms.CharField(label="Caption", max_length=300)
    alt_text = forms.CharField(
        label="Description for people who cannot see the image",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CohortDeadlineForm(forms.ModelForm):
    """A sector-wide deadline for the organisations that signed in a date range."""

    class Meta:
        model = CohortDeadline
        fields = ["name", "signed_from", "signed_until", "due_on", "counts_from"]
        widgets = {
            name: forms.DateInput(attrs={"type": "date"})
            for name in ["signed_from", "signed_until", "due_on", "counts_from"]
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(
            Submit("submit", "Save the deadline" if self.instance.pk else "Add the deadline")
        )
