"""The steering group's view of the sector: the signatories list (every signatory, its next due
date and where its self-assessment stands, filtered by the query string) and the dashboard
whose every figure links to that list. They live here, above signatories, because they read
self-assessments, their submitted revisions and plans' progress reviews; the list's address
stays /signatories/."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from signatories.rules import is_reviewer
from submissions import next_steps, sector
from submissions.forms_sector import DASHBOARD_FIELDS, SectorFilterForm
from techcommit.spreadsheets import csv_text


class SectorStaffMixin(LoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.has_perm(
            "signatories.view_sector_overview"
        ):
            raise Http404("Not here.")
        return super().dispatch(request, *args, **kwargs)


class SectorOverviewView(SectorStaffMixin, TemplateView):
    """Every signatory with its next due date, overdue first, narrowed by the filters."""

    template_name = "submissions/sector_overview.html"

    def get_context_data(self, **kwargs):
        form = SectorFilterForm(self.request.GET or None)
        filters = form.filters()
        rows = sector.sector_rows(self.request.user, filters, cohorts=form.cohorts)
        # A reviewer's home page: the reviews waiting for them come first.
        user = self.request.user
        step = next_steps.for_reviewer(user) if is_reviewer(user) else None
        return super().get_context_data(
            form=form,
            rows=rows,
            query=filters.query(),
            next_step={"step": step} if step else None,
            **kwargs,
        )


class SectorDashboardView(SectorStaffMixin, TemplateView):
    template_name = "submissions/sector_dashboard.html"

    def get_context_data(self, **kwargs):
        form = SectorFilterForm(self.request.GET or None, fields=DASHBOARD_FIELDS)
        filters = form.filters()
        return super().get_context_data(
            form=form,
            query=filters.query(),
            **sector.dashboard(self.request.user, filters, cohorts=form.cohorts),
            **kwargs,
        )


def _bar_rows(bars) -> list[list]:
    return [[b.bar.title, *[s.count for s in b.bar.segments], b.bar.total] for b in bars]


def _tables(data) -> dict[str, tuple[list[str], list[list]]]:
    statuses = [label for _, label in data["statuses"]]
    states = data["states"]
    return {
        "states": (
            ["Self-assessment", *[name for _, name in states["columns"]], "Total"],
            [
                [label, *[cell.count for cell in cells], total.count]
                for _, label, cells, total in states["rows"]
            ],
        ),
        "due": (["Next due", "Organisations"], [[label, f.count] for label, f in data["due"]]),
        "reviewers": (
            ["Reviewer", "Open reviews", "Oldest assigned on", "Days since"],
            [[r["name"], r["open"].count, r["oldest"], r["age"]] for r in data["reviewers"]],
        ),
        "themes": (["Theme", *statuses, "Total"], _bar_rows(data["rag"]["themes"])),
        "nations": (["Nation", *statuses, "Total"], _bar_rows(data["rag"]["nations"])),
        "kinds": (["Kind", *statuses, "Total"], _bar_rows(data["rag"]["kinds"])),
        "trends": (
            ["Organisation", "Plan period", "Review on", *statuses],
            [
                [row.organisation.name, row.progress.words, on, *counts]
                for row in data["trends"]
                for on, counts in row.reviews
            ],
        ),
    }


TABLES = ("states", "due", "reviewers", "themes", "nations", "kinds", "trends")


def _list_table(rows) -> tuple[list[str], list[list]]:
    """The signatories list as it stands on the page, filters applied."""
    header = [
        "Organisation",
        "Nation",
        "Kind",
        "Status",
        "Signed",
        "Next due",
        "Days left",
        "Self-assessment",
        "Submitted revision",
    ]
    return header, [
        [
            row.organisation.name,
            row.organisation.get_nation_display(),
            row.organisation.get_kind_display(),
            row.organisation.get_status_display(),
            row.organisation.signed_on,
            row.due.due_on if row.due else "",
            row.due.days_left if row.due else "",
            row.state_label,
            row.organisation.submitted_revision or "",
        ]
        for row in rows
    ]


class SectorCsvView(SectorStaffMixin, View):
    """One of the dashboard's tables, or the signatories list, as CSV with the same filters."""

    def get(self, request, table: str):
        if table == "signatories":
            form = SectorFilterForm(request.GET or None)
            found = sector.sector_rows(request.user, form.filters(), cohorts=form.cohorts)
            header, rows = _list_table(found)
        elif table in TABLES:
            form = SectorFilterForm(request.GET or None, fields=DASHBOARD_FIELDS)
            data = sector.dashboard(request.user, form.filters(), cohorts=form.cohorts)
            header, rows = _tables(data)[table]
        else:
            raise Http404("No such table.")
        response = HttpResponse(csv_text(header, rows), content_type="text/csv; charset=utf-8")
        name = f"sector-{table}-{timezone.localdate():%Y-%m-%d}.csv"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
