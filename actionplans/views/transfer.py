"""Import and export of a plan: a download per format; an upload, a page to check what each
column holds and every row that cannot be read, and a confirmation that saves it all or nothing.

The uploaded table waits in the session between the steps, as text; nothing reaches the plan
before the confirmation. The forms live here rather than in ``actionplans/forms.py`` because they
belong to these three pages alone."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout, Submit
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST, require_safe
from django.views.generic import FormView, View

from actionplans import exports, transfer
from actionplans.enums import status_word
from actionplans.forms import MonthField
from actionplans.layout import timing_cells, timing_columns
from actionplans.lookups import plan_for
from actionplans.services import wording_for
from actionplans.views import PlanMixin, may
from techcommit import spreadsheets

SHAPE = "actionplans.shape_plan"


def _session_key(plan) -> str:
    return f"actionplans.import.{plan.pk}"


# --- Export ----------------------------------------------------------------------------------


@login_required
@require_safe
def export(request, slug: str, pk: int, fmt: str):
    plan = plan_for(request.user, slug, pk)
    exporter = exports.EXPORTERS.get(fmt)
    if exporter is None:
        raise Http404("No such format.")
    return download(*exporter().render(plan))


def download(filename: str, content_type: str, content: bytes) -> HttpResponse:
    """An exporter's file as an attachment (a plan's or a progress review's)."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


# --- Upload ----------------------------------------------------------------------------------


class UploadForm(spreadsheets.UploadForm):
    """The spreadsheet to import; ``guess`` finds its header row (a plan's, or a review's)."""

    guess = staticmethod(transfer.guess_mapping)
    read_table = staticmethod(transfer.read_table)  # refusals worded for a plan

    def inspect(self, table):
        self.mapping = self.guess(table)


class ImportView(PlanMixin, FormView):
    template_name = "actionplans/import.html"
    permission = SHAPE
    form_class = UploadForm

    def form_valid(self, form):
        self.request.session[_session_key(self.plan)] = {
            "name": form.cleaned_data["file"].name,
            "table": form.table,
            "header_row": form.mapping.header_row,
            "columns": form.mapping.columns,
        }
        return redirect(
            "actionplans:import_preview", slug=self.plan.organisation.slug, pk=self.plan.pk
        )


# --- Mapping and preview ---------------------------------------------------------------------


class MappingForm(forms.Form):
    """What each column of the header row holds; one select per column. ``fields`` are the
    choices (``transfer.FIELDS`` for a plan); ``single`` the ones at most one column holds.
    ``undated``: phase columns without a period, (column, name), each asked for its first and
    last month in place."""

    def __init__(
        self,
        *args,
        headers: list[str],
        fields: dict = transfer.FIELDS,
        single=transfer.SINGLE_FIELDS,
        undated=(),
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.choices, self.single = fields, single
        for index, header in enumerate(headers):
            letter = transfer.column_letter(index)
            self.fields[f"column_{index}"] = forms.ChoiceField(
                label=f"Column {letter}: ‘{header}’" if header else f"Column {letter}",
                choices=list(fields.items()),
                required=False,
            )
        self.undated = list(undated)
        for index, name in self.undated:
            self.fields[f"phase_{index}_from"] = MonthField(
                label=f"First month of {name}", required=False
            )
            self.fields[f"phase_{index}_to"] = MonthField(
                label=f"Last month of {name}", required=False
            )
        self.helper = FormHelper()
        self.helper.form_method = "get"
        # The phases' periods have their own boxes above the problems (``period_fields``).
        self.helper.layout = Layout(*(n for n in self.fields if n.startswith("column_")))
        check = Submit("check", "Check again")
        check.field_classes = "btn btn-outline-primary"
        self.helper.add_input(check)

    def clean(self):
        data = super().clean()
        columns = [data.get(name, "") for name in self.fields if name.startswith("column_")]
        for field, label in self.choices.items():
            if field in self.single and columns.count(field) > 1:
                raise forms.ValidationError(f"Only one column can hold ‘{label}’.")
        data["columns"] = columns
        data["periods"] = {
            index: (data.get(f"phase_{index}_from"), data.get(f"phase_{index}_to"))
            for index, _ in self.undated
        }
        return data

    def period_fields(self):
        """The boxes of each undated phase, in pairs, for the template."""
        return [
            (name, [self[f"phase_{index}_from"], self[f"phase_{index}_to"]])
            for index, name in self.undated
        ]


def _stored(request, plan) -> dict | None:
    return request.session.get(_session_key(plan))


def _mapping_form(plan, stored: dict, data=None) -> MappingForm:
    headers = stored["table"][stored["header_row"]]
    initial = {f"column_{i}": field for i, field in enumerate(stored["columns"])}
    source = data if data is not None and any(n.startswith("column_") for n in data) else None
    columns = [(source or initial).get(f"column_{i}", "") for i in range(len(headers))]
    undated = transfer.undated_phases(plan, headers, columns)
    if source is not None:
        return MappingForm(source, headers=headers, undated=undated)
    return MappingForm(initial, headers=headers, undated=undated)


def _render_preview(request, plan, stored, form, refusal="", status=200):
    preview = None
    if form.is_valid():
        mapping = transfer.ColumnMapping(stored["header_row"], form.cleaned_data["columns"])
        preview = transfer.preview(
            plan, stored["table"], mapping, periods=form.cleaned_data["periods"]
        )
    context = {
        "plan": plan,
        "organisation": plan.organisation,
        "file_name": stored["name"],
        "form": form,
        "preview": preview,
        "refusal": refusal,
        "can_change": may(request.user, "actionplans.change_plan", plan),
    }
    if preview is not None:
        context |= _preview_context(plan, preview)
    context["summary"] = problem_summary(refusal, context.get("blocking"))
    return render(request, "actionplans/import_preview.html", context, status=status)


def problem_summary(refusal: str, blocking) -> list[str]:
    """The lines of the preview's error summary: the refusal, and how many rows cannot be read."""
    summary = [refusal] if refusal else []
    if blocking:
        rows = len(set().union(*(p.row_numbers for p in blocking)))
        summary.append(
            f"{rows} row{'s' if rows != 1 else ''} cannot be read; the table of problems says why."
        )
    return summary


def _preview_context(plan, preview) -> dict:
    """The rows that will import, their timing cells worked out by ``layout`` as on every
    other table of a plan."""
    labels = {status: w.label for status, w in wording_for(plan).items()} | preview.legend
    style, columns = timing_columns(preview.as_plan_data()) if preview.timing_style else ("", [])
    timing = [f"{c['label']} ({c['period']})" if c["period"] else c["label"] for c in columns]
    rows = [
        {
            "row": row,
            "when": timing_cells(style, columns, row.as_data()),
            "status": status_word(labels, row.status),
        }
        for row in preview.rows
    ]
    blocking = preview.blocking(preview.unknown_codes)
    return {
        "timing": timing,
        "rows": rows,
        "blocking": blocking,
        "unknown_codes": preview.unknown_codes,
    }


class ImportPreviewView(PlanMixin, View):
    """GET only: choosing what each column holds changes nothing until it is confirmed."""

    permission = SHAPE
    http_method_names = ["get", "head"]

    def get(self, request, *args, **kwargs):
        stored = _stored(request, self.plan)
        if stored is None:
            messages.info(request, "Upload the spreadsheet to import first.")
            return redirect("actionplans:import", slug=self.plan.organisation.slug, pk=self.plan.pk)
        form = _mapping_form(self.plan, stored, request.GET)
        return _render_preview(request, self.plan, stored, form)


@login_required
@require_POST
def confirm_import(request, slug: str, pk: int):
    plan = plan_for(request.user, slug, pk, SHAPE)
    stored = _stored(request, plan)
    if stored is None:
        messages.info(request, "Upload the spreadsheet to import first.")
        return redirect("actionplans:import", slug=slug, pk=pk)
    form = _mapping_form(plan, stored, request.POST)
    if not form.is_valid():
        return _render_preview(request, plan, stored, form, status=400)
    mapping = transfer.ColumnMapping(stored["header_row"], form.cleaned_data["columns"])
    preview = transfer.preview(plan, stored["table"], mapping, periods=form.cleaned_data["periods"])
    chosen = set(request.POST.getlist("add_code"))
    add_codes = {
        code: request.POST.get(f"title:{code}", "")
        for code in preview.unknown_codes
        if code in chosen
    }
    try:
        actions = transfer.apply(plan, preview, by=request.user, add_codes=add_codes)
    except transfer.ImportRefused as refused:
        return _render_preview(request, plan, stored, form, refusal=str(refused), status=400)
    del request.session[_session_key(plan)]
    count = len(actions)
    messages.success(
        request, f"Imported {count} action{'s' if count != 1 else ''} from ‘{stored['name']}’."
    )
    return redirect(reverse("actionplans:plan", kwargs={"slug": slug, "pk": pk}))
