"""The steering group's filters for the signatories list and the sector dashboard, read from the
query string (a GET form: it works without script); every one is optional."""

from django import forms

from assessments.models import CohortDeadline
from signatories.enums import Nation, OrganisationKind, OrganisationStatus
from submissions.sector import DUE_CHOICES, NO_COHORT, STATE_CHOICES, Filters

ANY = [("", "Any")]
# The dashboard offers these; the list behind its figures takes the rest as well.
DASHBOARD_FIELDS = ("nation", "kind", "cohort", "status")


class SectorFilterForm(forms.Form):
    nation = forms.ChoiceField(label="Nation", required=False, choices=ANY + Nation.choices)
    kind = forms.ChoiceField(label="Kind", required=False, choices=ANY + OrganisationKind.choices)
    cohort = forms.ChoiceField(label="Cohort", required=False)
    status = forms.ChoiceField(
        label="Organisation status", required=False, choices=ANY + OrganisationStatus.choices
    )
    state = forms.ChoiceField(label="Self-assessment", required=False, choices=ANY + STATE_CHOICES)
    due = forms.ChoiceField(label="Next due", required=False, choices=ANY + DUE_CHOICES)
    reviewer = forms.IntegerField(required=False, widget=forms.HiddenInput)
    reviewed = forms.BooleanField(label="Has a published progress review", required=False)

    def __init__(self, *args, fields=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Read once: the list and the dashboard place organisations in these as well.
        self.cohorts = list(CohortDeadline.objects.all())
        self.fields["cohort"].choices = [
            *ANY,
            *[(str(c.pk), c.name) for c in self.cohorts],
            (NO_COHORT, "No cohort"),
        ]
        for name in list(self.fields):
            if fields is not None and name not in fields:
                del self.fields[name]
            elif isinstance(self.fields[name], forms.ChoiceField):
                self.fields[name].widget.attrs["class"] = "form-select"
            elif isinstance(self.fields[name], forms.BooleanField):
                self.fields[name].widget.attrs["class"] = "form-check-input"

    def filters(self) -> Filters:
        if not self.is_valid():
            return Filters()
        return Filters(**{k: v for k, v in self.cleaned_data.items() if v not in ("", None)})
