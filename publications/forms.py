"""The public directory's search, filters and sorting: one form for the page, the open data and
the API."""

from __future__ import annotations

from django import forms
from django.db.models import Q, QuerySet

from actionplans.enums import Status
from signatories.enums import Nation, OrganisationKind, OrganisationStatus
from signatories.models import Organisation


class DirectoryForm(forms.Form):
    SORTS = {
        "name": ("Name (A to Z)", ["name"]),
        "newest": ("Date signed (most recent first)", ["-signed_on", "name"]),
        "oldest": ("Date signed (earliest first)", ["signed_on", "name"]),
    }

    q = forms.CharField(label="Name contains", required=False, max_length=100)
    kind = forms.ChoiceField(
        label="Kind", required=False, choices=[("", "Any kind"), *OrganisationKind.choices]
    )
    nation = forms.ChoiceField(
        label="Nation", required=False, choices=[("", "Anywhere"), *Nation.choices]
    )
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[("", "Any status"), *OrganisationStatus.choices],
    )
    sort = forms.ChoiceField(
        label="Sort by",
        required=False,
        choices=[(key, label) for key, (label, _) in SORTS.items()],
    )

    def filter(self, organisations: QuerySet[Organisation]) -> QuerySet[Organisation]:
        """The organisations the form asks for; an invalid field is ignored, not an error."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        if words := (data.get("q") or "").strip():
            organisations = organisations.filter(
                Q(name__icontains=words) | Q(short_name__icontains=words)
            )
        for field in ("kind", "nation", "status"):
            if data.get(field):
                organisations = organisations.filter(**{field: data[field]})
        _, ordering = self.SORTS.get(data.get("sort") or "name", self.SORTS["name"])
        return organisations.order_by(*ordering)


class SearchForm(forms.Form):
    """The search across published plans: words, and filters by theme, status, nation, kind and
    the cycle (the year the plan starts). An invalid filter is ignored, not an error."""

    q = forms.CharField(label="Words to find", required=False, max_length=200)
    theme = forms.ChoiceField(label="Theme", required=False)
    status = forms.ChoiceField(
        label="Status", required=False, choices=[("", "Any status"), *Status.choices]
    )
    nation = forms.ChoiceField(
        label="Nation", required=False, choices=[("", "Anywhere"), *Nation.choices]
    )
    kind = forms.ChoiceField(
        label="Kind", required=False, choices=[("", "Any kind"), *OrganisationKind.choices]
    )
    cycle = forms.ChoiceField(label="Plan starting in", required=False)

    def __init__(self, *args, themes=(), years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].choices = [("", "Any theme"), *themes]
        self.fields["cycle"].choices = [("", "Any year"), *((str(y), str(y)) for y in years)]

    def filters(self) -> dict:
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {key: data.get(key) for key in ("theme", "status", "nation", "kind", "cycle")}

    @property
    def words(self) -> str:
        return getattr(self, "cleaned_data", {}).get("q") or ""
