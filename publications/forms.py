"""The public directory's search, filters and sorting: one form for the page, the open data and
the API."""

from __future__ import annotations

import re

from django import forms
from django.db.models import F, Q, QuerySet

from actionplans.enums import Status
from signatories.enums import Nation, OrganisationKind, OrganisationStatus
from signatories.models import Organisation

# Small words left out of a name's initials: "University of the Highlands" is UH as well as UOTH.
MINOR_WORDS = frozenset({"of", "the", "and", "for", "in", "at", "&"})


def initials(name: str) -> set[str]:
    """A name's acronyms: the initials of all its words, and of its words but the small ones
    (University College London: UCL; London School of Economics: LSE and LSOE)."""
    words = [w for w in re.split(r"[\s\-–,]+", name) if w]
    return {
        "".join(w[0] for w in chosen).casefold()
        for chosen in (words, [w for w in words if w.casefold() not in MINOR_WORDS])
        if len(chosen) > 1
    }


class DirectoryForm(forms.Form):
    # Each sort: its label, the ordering, and the column whose header offers it (and which way).
    SORTS = {
        "name": ("Name (A to Z)", [F("name").asc()], ("name", "ascending")),
        "name-desc": ("Name (Z to A)", [F("name").desc()], ("name", "descending")),
        "newest": (
            "Date signed (most recent first)",
            [F("signed_on").desc(), F("name").asc()],
            ("signed", "descending"),
        ),
        "oldest": (
            "Date signed (earliest first)",
            [F("signed_on").asc(), F("name").asc()],
            ("signed", "ascending"),
        ),
        "reviewed": (
            "Last review (most recent first)",
            [F("last_reviewed_on").desc(nulls_last=True), F("name").asc()],
            ("reviewed", "descending"),
        ),
        "reviewed-oldest": (
            "Last review (earliest first)",
            [F("last_reviewed_on").asc(nulls_last=True), F("name").asc()],
            ("reviewed", "ascending"),
        ),
    }
    # The sortable columns: the sort a header's link asks for first, and its other way.
    COLUMNS = {
        "name": ("name", "name-desc"),
        "signed": ("newest", "oldest"),
        "reviewed": ("reviewed", "reviewed-oldest"),
    }

    q = forms.CharField(label="Name, short name or initials", required=False, max_length=100)
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
    plan = forms.ChoiceField(
        label="Action plan",
        required=False,
        choices=[
            ("", "With or without"),
            ("yes", "Has a published plan"),
            ("no", "None published"),
        ],
    )
    sort = forms.ChoiceField(
        label="Sort by",
        required=False,
        choices=[(key, label) for key, (label, _, _) in SORTS.items()],
    )

    def filter(self, organisations: QuerySet[Organisation]) -> QuerySet[Organisation]:
        """The organisations the form asks for; an invalid field is ignored, not an error.
        The words match the name or short name, or the name's initials (one more query, of
        names only, however many organisations match)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        if words := (data.get("q") or "").strip():
            acronym = re.sub(r"[\s.]", "", words).casefold()
            by_initials = [
                pk
                for pk, name in Organisation.objects.values_list("pk", "name")
                if acronym in initials(name)
            ]
            organisations = organisations.filter(
                Q(name__icontains=words) | Q(short_name__icontains=words) | Q(pk__in=by_initials)
            )
        for field in ("kind", "nation", "status"):
            if data.get(field):
                organisations = organisations.filter(**{field: data[field]})
        if data.get("plan"):
            organisations = organisations.filter(current_plan_id__isnull=data["plan"] == "no")
        _, ordering, _ = self.SORTS.get(self.sort_key, self.SORTS["name"])
        return organisations.order_by(*ordering)

    @property
    def sort_key(self) -> str:
        return getattr(self, "cleaned_data", {}).get("sort") or "name"

    def headers(self) -> dict[str, dict]:
        """For each sortable column: the sort its link asks for (the other way when it is the
        current one) and its aria-sort ("ascending", "descending" or none)."""
        current_column, direction = self.SORTS[self.sort_key][2]
        headers = {}
        for column, (first, other) in self.COLUMNS.items():
            current = column == current_column
            headers[column] = {
                "sort": (other if self.sort_key == first else first) if current else first,
                "aria_sort": direction if current else "",
            }
        return headers


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
