"""Validation for consultations; ``save()`` hands over to a service."""

from __future__ import annotations

import re

from crispy_forms.helper import FormHelper
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone

from assessments.models import Theme
from consultations import services
from consultations.enums import (
    AGREEMENT_SCALE,
    CHOICE_KINDS,
    DEFAULT_THRESHOLD,
    MIN_THRESHOLD,
    QuestionKind,
)
from consultations.models import Consultation, SharedQuestion, check_question

MAX_INVITATIONS = 500
MAX_COMMENT = 2000


def date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ConsultationForm(forms.Form):
    title = forms.CharField(label="Title", max_length=200)
    introduction = forms.CharField(
        label="Introduction",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="What the consultation is for. Respondents read it first.",
    )
    closes_on = forms.DateField(label="Closing date", widget=date_input())
    threshold = forms.IntegerField(
        label="Smallest group of answers shown",
        min_value=MIN_THRESHOLD,
        max_value=100,
        initial=DEFAULT_THRESHOLD,
        help_text=f"Results of fewer people are never shown. At least {MIN_THRESHOLD}.",
    )
    sector_consent = forms.BooleanField(
        label="Share agreement per theme from the shared questions with the steering group",
        required=False,
        help_text="Only figures for the whole consultation, and only above the threshold.",
    )

    def __init__(self, *args, organisation, by, instance: Consultation | None = None, **kwargs):
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                name: getattr(instance, name)
                for name in ["title", "introduction", "closes_on", "threshold", "sector_consent"]
            }
        super().__init__(*args, **kwargs)
        self.organisation, self.by, self.instance = organisation, by, instance
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def clean_closes_on(self):
        closes_on = self.cleaned_data["closes_on"]
        if closes_on < timezone.localdate():
            raise ValidationError("The closing date is in the past.")
        return closes_on

    def save(self) -> Consultation:
        if self.instance is None:
            return services.create(self.organisation, by=self.by, **self.cleaned_data)
        return services.update(self.instance, **self.cleaned_data)


def choice_lines(value: str) -> list[str]:
    return [line.strip() for line in (value or "").splitlines() if line.strip()]


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(label="Kind of question", choices=QuestionKind.choices)
    text = forms.CharField(label="Question or statement", max_length=300)
    theme = forms.ModelChoiceField(
        label="Theme (for an agreement statement)",
        queryset=Theme.objects.filter(asked_per_theme=True),
        required=False,
    )
    choices = forms.CharField(
        label="Choices (for single or multiple choice), one a line",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, consultation: Consultation, **kwargs):
        super().__init__(*args, **kwargs)
        self.consultation = consultation
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        lines = choice_lines(data.get("choices", ""))
        if kind:
            try:
                check_question(kind, data.get("theme"), lines if kind in CHOICE_KINDS else ["", ""])
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    for error in errors:
                        self.add_error(field, error)
        data["choices"] = lines
        return data

    def save(self):
        data = self.cleaned_data
        return services.add_question(
            self.consultation,
            kind=data["kind"],
            text=data["text"],
            theme=data.get("theme"),
            choices=data["choices"],
        )


class SharedQuestionForm(forms.Form):
    shared = forms.ModelChoiceField(
        label="Question from the sector's shared set",
        queryset=SharedQuestion.objects.filter(active=True).select_related("theme"),
    )

    def __init__(self, *args, consultation: Consultation, **kwargs):
        super().__init__(*args, **kwargs)
        self.consultation = consultation
        used = consultation.questions.exclude(shared=None).values("shared_id")
        self.fields["shared"].queryset = self.fields["shared"].queryset.exclude(pk__in=used)

    def save(self):
        return services.add_shared(self.consultation, self.cleaned_data["shared"])


class InviteForm(forms.Form):
    addresses = forms.CharField(
        label="E-mail addresses",
        widget=forms.Textarea(attrs={"rows": 6, "autocomplete": "off"}),
        help_text="Paste addresses separated by new lines, commas or spaces. Each person gets a "
        "link that works once. The addresses are not kept with the consultation.",
    )

    def clean_addresses(self) -> list[str]:
        found = [a for a in re.split(r"[\s,;]+", self.cleaned_data["addresses"]) if a]
        bad = []
        for address in found:
            try:
                validate_email(address)
            except ValidationError:
                bad.append(address)
        if bad:
            raise ValidationError(f"These are not e-mail addresses: {', '.join(bad[:5])}.")
        if len(found) > MAX_INVITATIONS:
            raise ValidationError(f"Send at most {MAX_INVITATIONS} invitations at a time.")
        return found


class AttachForm(forms.Form):
    assessment = forms.ModelChoiceField(label="Self-assessment", queryset=None)
    publish = forms.BooleanField(
        label="Publish the summary with the self-assessment",
        required=False,
        help_text="Without this, signers and the steering group see it; the public does not.",
    )

    def __init__(self, *args, consultation: Consultation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assessment"].queryset = services.attachable_assessments(consultation)


class WithdrawalForm(forms.Form):
    code = forms.CharField(
        label="Withdrawal code",
        max_length=40,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}
        ),
        help_text="The code the thank-you page gave you when you sent your answers, for "
        "example 7K3QX-M2P9D-R4T8V-W6Y1Z.",
    )

    def clean_code(self) -> str:
        code = services.normalise_code(self.cleaned_data["code"])
        if len(code) != services.CODE_LENGTH or set(code) - set(services.CODE_ALPHABET):
            raise ValidationError(
                "Enter the code as you were given it: 20 letters and numbers (hyphens and "
                "spaces do not matter)."
            )
        return code


# --- The respondent's form: one field per question, built by kind (STYLE.md 2.5) --------------


def _agreement(question) -> forms.Field:
    return forms.TypedChoiceField(
        label=question.text,
        choices=list(enumerate(AGREEMENT_SCALE, start=1)),
        coerce=int,
        required=False,
        widget=forms.RadioSelect,
    )


def _single(question) -> forms.Field:
    return forms.TypedChoiceField(
        label=question.text,
        choices=list(enumerate(question.choices, start=1)),
        coerce=int,
        required=False,
        widget=forms.RadioSelect,
    )


def _multiple(question) -> forms.Field:
    return forms.TypedMultipleChoiceField(
        label=question.text,
        choices=list(enumerate(question.choices, start=1)),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


def _text(question) -> forms.Field:
    return forms.CharField(
        label=question.text,
        required=False,
        max_length=MAX_COMMENT,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


BUILDERS = {
    QuestionKind.AGREEMENT: _agreement,
    QuestionKind.SINGLE: _single,
    QuestionKind.MULTIPLE: _multiple,
    QuestionKind.TEXT: _text,
}


class ResponseForm(forms.Form):
    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        for question in self.questions:
            self.fields[f"q{question.pk}"] = BUILDERS[question.kind](question)

    def items(self):
        """(question, bound field) pairs in the consultation's order, for the template."""
        return [(question, self[f"q{question.pk}"]) for question in self.questions]

    def answers(self) -> tuple[dict[int, list[int]], dict[int, str]]:
        choices: dict[int, list[int]] = {}
        comments: dict[int, str] = {}
        for question in self.questions:
            value = self.cleaned_data.get(f"q{question.pk}")
            if question.kind == QuestionKind.TEXT:
                if value and value.strip():
                    comments[question.pk] = value
            elif question.kind == QuestionKind.MULTIPLE:
                if value:
                    choices[question.pk] = list(value)
            elif value not in (None, ""):
                choices[question.pk] = [value]
        return choices, comments
