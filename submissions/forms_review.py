"""Forms of the steering group's review: queue filters, assigning, and the reviewer's notes.

Forms check input; the services in ``submissions.services`` write."""

from django import forms

from signatories.enums import Nation
from signatories.models import User
from submissions.enums import Criterion, Decision, Rating
from submissions.models import ReviewRound
from submissions.queries import QUEUE_STATES

DUE_CHOICES = [("", "Any"), ("overdue", "Overdue"), ("due_soon", "Due in the next 60 days")]


class QueueFilterForm(forms.Form):
    """The queue's filters, read from the query string; every one is optional."""

    review_round = forms.ModelChoiceField(
        label="Round", queryset=ReviewRound.objects.all(), required=False, empty_label="Any"
    )
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[("", "Any"), *[(s.value, s.label) for s in QUEUE_STATES]],
    )
    due = forms.ChoiceField(label="Due date", required=False, choices=DUE_CHOICES)
    nation = forms.ChoiceField(
        label="Nation", required=False, choices=[("", "Any"), *Nation.choices]
    )
    reviewer = forms.ModelChoiceField(
        label="Reviewer",
        queryset=User.objects.filter(reviewer_profile__isnull=False).order_by("full_name"),
        required=False,
        empty_label="Any",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select"

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        return {name: value for name, value in self.cleaned_data.items() if value}


class AssignForm(forms.Form):
    reviewer = forms.ModelChoiceField(label="Reviewer", queryset=User.objects.none())
    review_round = forms.ModelChoiceField(
        label="Round",
        queryset=ReviewRound.objects.all(),
        required=False,
        empty_label="No round",
        help_text="The reviewer must be available in it.",
    )

    def __init__(self, *args, candidates=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Every person in the pool is accepted here, so that the service can say why one of
        # them cannot review this self-assessment.
        self.fields["reviewer"].queryset = User.objects.filter(reviewer_profile__isnull=False)
        if candidates is not None:
            # Offer only reviewers who may review it; the service checks again on save.
            self.fields["reviewer"].choices = [("", "Choose a reviewer")] + [
                (
                    candidate.user.pk,
                    f"{candidate.user}"
                    + (f" ({candidate.organisation.name})" if candidate.organisation else ""),
                )
                for candidate in candidates
            ]


class CommentForm(forms.Form):
    text = forms.CharField(label="Comment", widget=forms.Textarea(attrs={"rows": 3}))
    for_organisation = forms.BooleanField(
        label="Share with the organisation",
        required=False,
        initial=False,
        help_text=(
            "It is released with the feedback. Left unticked, it is a note only the reviewers "
            "and the steering group see."
        ),
    )


class RatingsForm(forms.Form):
    """The structured assessment: for each criterion a rating and a note."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for criterion in Criterion:
            self.fields[f"{criterion.value}-rating"] = forms.ChoiceField(
                label=criterion.label,
                choices=Rating.choices,
                required=False,
                widget=forms.RadioSelect,
            )
            self.fields[f"{criterion.value}-note"] = forms.CharField(
                label=f"Note on {criterion.label.lower()}",
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    @classmethod
    def initial_from(cls, ratings) -> dict:
        initial = {}
        for rating in ratings:
            initial[f"{rating.criterion}-rating"] = rating.rating
            initial[f"{rating.criterion}-note"] = rating.note
        return initial

    def rows(self):
        """(criterion, rating field, note field) for the template."""
        return [
            (criterion, self[f"{criterion.value}-rating"], self[f"{criterion.value}-note"])
            for criterion in Criterion
        ]

    def clean(self):
        cleaned = super().clean()
        for criterion in Criterion:
            rating = cleaned.get(f"{criterion.value}-rating")
            note = (cleaned.get(f"{criterion.value}-note") or "").strip()
            if note and not rating:
                self.add_error(
                    f"{criterion.value}-rating",
                    f"Choose a rating for {criterion.label.lower()}, or clear its note.",
                )
        return cleaned

    def ratings(self) -> dict[str, tuple[str, str]]:
        return {
            criterion.value: (
                self.cleaned_data.get(f"{criterion.value}-rating") or "",
                self.cleaned_data.get(f"{criterion.value}-note") or "",
            )
            for criterion in Criterion
        }


class FeedbackForm(forms.Form):
    text = forms.CharField(
        label="Overall feedback",
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Developmental, written for the organisation: no score or award.",
    )
    decision = forms.ChoiceField(
        label="Decision",
        choices=Decision.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class ReplyForm(forms.Form):
    text = forms.CharField(label="Your reply", widget=forms.Textarea(attrs={"rows": 3}))
