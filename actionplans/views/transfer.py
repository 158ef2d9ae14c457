"""Import and export of a plan: a download per format; an upload, a page to check what each
column holds and every row that cannot be read, and a confirmation that saves it all or nothing.

The uploaded table waits in the session between the steps, as text; nothing reaches the plan
before the confirmation. The forms live here rather than in ``actionplans/forms.py`` because they
belong to these three pages alone."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
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
from actionplans.enums import TimingStyle, status_word
from actionplans.lookups import plan_for
from actionplans.models import month_label
from actionplans.services import wording_for
from actionplans.views import PlanMixin, may

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
    filename, content_type, content = exporter().render(plan)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


# --- Upload ----------------------------------------------------------------------------------


class UploadForm(forms.Form):
    file = forms.FileField(
        label="Spreadsheet",
        help_text=(
            f"An Excel workbook (.xlsx) or a CSV file, up to 10 MB and {transfer.MAX_ROWS:,} rows."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv,.tsv,.txt"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", "Upload and check"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            self.table = transfer.read_table(upload)
            self.mapping = transfer.guess_mapping(self.table)
        except transfer.ImportRefused as refused:
            raise forms.ValidationError(str(refused)) from refused
        return upload


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
    """What each column of the header row holds; one select per column."""

    def __init__(self, *args, headers: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        for index, header in enumerate(headers):
            self.fields[f"column_{index}"] = forms.ChoiceField(
                label=f"Column {_letter(index)}: ‘{header}’"
                if header
                else f"Column {_letter(index)}",
                choices=list(transfer.FIELDS.items()),
                required=False,
            )
        self.helper = FormHelper()
        self.helper.form_method = "get"
        check = Submit("check", "Check again")
        check.field_classes = "btn btn-outline-primary"
        self.helper.add_input(check)

    def clean(self):
        data = super().clean()
        columns = [data.get(name, "") for name in self.fields]
        for field, label in transfer.FIELDS.items():
            if field in transfer.SINGLE_FIELDS and columns.count(field) > 1:
                raise forms.ValidationError(f"Only one column can hold ‘{label}’.")
        data["columns"] = columns
        return data


def _letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _stored(request, plan) -> dict | None:
    return request.session.get(_session_key(plan))


def _mapping_form(stored: dict, data=None) -> MappingForm:
    headers = stored["table"][stored["header_row"]]
    initial = {f"column_{i}": field for i, field in enumerate(stored["columns"])}
    if data is not None and any(name.startswith("column_") for name in data):
        return MappingForm(data, headers=headers)
    return MappingForm(initial, headers=headers)


def _render_preview(request, plan, stored, form, refusal="", status=200):
    preview = None
    if form.is_valid():
        mapping = transfer.ColumnMapping(stored["header_row"], form.cleaned_data["columns"])
        preview = transfer.preview(plan, stored["table"], mapping)
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
    summary = [refusal] if refusal else []
    if context.get("blocking"):
        rows = len({p.row for p in context["blocking"]})
        summary.append(
            f"{rows} row{'s' if rows != 1 else ''} cannot be read; the table of problems says why."
        )
    context["summary"] = summary
    return render(request, "actionplans/import_preview.html", context, status=status)


def _preview_context(plan, preview) -> dict:
    labels = {status: w.label for status, w in wording_for(plan).items()} | preview.legend
    if preview.timing_style == TimingStyle.PHASES:
        timing = [f"{p.name} ({p.period_label})" for p in preview.phases]
    elif preview.timing_style == TimingStyle.YEARS:
        timing = [str(year) for year in preview.years]
    elif preview.timing_style == TimingStyle.DATES:
        timing = ["Target date"]
    else:
        timing = []
    rows = []
    for row in preview.rows:
        if preview.timing_style == TimingStyle.PHASES:
            when = [month_label(row.targets.get(p.name)) for p in preview.phases]
        elif preview.timing_style == TimingStyle.YEARS:
            when = ["✓" if year in row.focus_years else "" for year in preview.years]
        elif preview.timing_style == TimingStyle.DATES:
            when = [f"{row.target_on:%-d %b %Y}" if row.target_on else ""]
        else:
            when = []
        rows.append({"row": row, "when": when, "status": status_word(labels, row.status)})
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
        return _render_preview(request, self.plan, stored, _mapping_form(stored, request.GET))


@login_required
@require_POST
def confirm_import(request, slug: str, pk: int):
    plan = plan_for(request.user, slug, pk, SHAPE)
    stored = _stored(request, plan)
    if stored is None:
        messages.info(request, "Upload the spreadsheet to import first.")
        return redirect("actionplans:import", slug=slug, pk=pk)
    form = _mapping_form(stored, request.POST)
    if not form.is_valid():
        return _render_preview(request, plan, stored, form, status=400)
    mapping = transfer.ColumnMapping(stored["header_row"], form.cleaned_data["columns"])
    preview = transfer.preview(plan, stored["table"], mapping)
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
