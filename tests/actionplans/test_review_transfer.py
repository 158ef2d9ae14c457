"""Progress reviews as data in and out: a review exports as CSV and XLSX and imports back as
itself; rows match actions by reference or title, with a row error for each row that cannot be
matched or read; finalising asks first, and makes the review's comments the plan's; the lead
reopens a final review until it is published; counts by theme and overall; every URL for
every persona."""

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from actionplans import exports, review_transfer, services, transfer
from actionplans.enums import PlanStatus, Status
from actionplans.models import Action, ActionPlan, ProgressReview, ReviewEntry
from publications import services as publication_services
from tests.actionplans.test_plan_views import LEAD, READERS, WRITERS
from tests.matrix import is_allowed, matrix, outcome

STATUSES = [Status.NOT_STARTED, Status.RED, Status.AMBER, Status.GREEN, Status.COMPLETE]


def upload(name: str, content: bytes | str) -> SimpleUploadedFile:
    return SimpleUploadedFile(
        name, content.encode("utf-8") if isinstance(content, str) else content
    )


def url(name, plan, review, *extra):
    return reverse(f"actionplans:{name}", args=["aldermoor", plan.pk, review.pk, *extra])


def start(plan, lead, day=date(2027, 6, 5)) -> ProgressReview:
    return services.begin_review(
        plan,
        by=lead,
        reviewed_on=day,
        period_from=date(2026, 12, 1),
        period_to=date(2027, 5, 31),
        overall_status=Status.AMBER,
    )


@pytest.fixture
def review(plan, actions, lead_of_org_a):
    return start(plan, lead_of_org_a)


def publish(review, lead):
    """Publish a final review (of an approved plan, as only those are published)."""
    ActionPlan.objects.filter(pk=review.plan_id).update(status=PlanStatus.APPROVED)
    return publication_services.publish_review(review, by=lead)


def entries(review) -> list[tuple]:
    return [
        (e.action.title, e.status, e.comment)
        for e in review.entries.select_related("action").order_by("action__pk")
    ]


def import_file(review, file):
    table = transfer.read_table(file)
    preview = review_transfer.preview(review, table, review_transfer.guess_review_mapping(table))
    return preview


# --- Export and import -------------------------------------------------------------------------


def test_the_csv_export_of_a_review(review, actions):
    ReviewEntry.objects.filter(review=review, action=actions[2]).update(
        status=Status.RED, comment="=cmd|' /C calc'!A0\nBudget cut; we bid again in May."
    )
    filename, content_type, content = exports.ReviewCsvExporter().render(review)
    assert (filename, content_type) == (
        "aldermoor-progress-review-2027-06-05.csv",
        "text/csv; charset=utf-8",
    )
    a, b, c = (action.pk for action in actions)
    assert content.decode("utf-8") == (
        "\ufeffProgress review of 5 June 2027: University of Aldermoor Technician Commitment "
        "Action Plan 2026–2028\r\n"
        "Period covered: 1 Dec 2026 to 31 May 2027\r\n"
        "\r\n"
        "Reference,Theme,Action,Status,Comment\r\n"
        f"{a},Visibility,Name technicians,Not started,\r\n"
        f"{b},Visibility,Count technicians,Not started,\r\n"
        f"{c},Recognition,Register with RSci,Delayed,\"'=cmd|' /C calc'!A0\n"
        'Budget cut; we bid again in May."\r\n'
    )


def test_a_review_of_33_actions_imports_from_xlsx_and_exports_back_unchanged(
    plan, heading, lead_of_org_a
):
    themes = ["visibility", "recognition", "career-development", "sustainability"]
    for n in range(33):
        services.add_action(heading(themes[n % 4]), by=lead_of_org_a, title=f"Action {n + 1}")
    written = start(plan, lead_of_org_a)
    for n, entry in enumerate(written.entries.order_by("action__pk")):
        entry.status = STATUSES[n % 5]
        entry.comment = (
            f"Comment {n}: a paragraph,\nwith a second line; and “quotes”." if n % 3 else ""
        )
        if n == 7:
            entry.comment = "=SUM(A1:A3) is text, not a formula"
        entry.save()
    _, _, exported = exports.ReviewXlsxExporter().render(written)

    written.delete()
    review = start(plan, lead_of_org_a)  # every action back at the plan's status
    preview = import_file(review, upload("review.xlsx", exported))
    assert (preview.problems, preview.unmapped, preview.missing) == ([], [], [])
    assert len(preview.rows) == 33
    review_transfer.apply(review, preview)
    _, _, again = exports.ReviewXlsxExporter().render(review)

    def table(content):
        return transfer.read_table(upload("review.xlsx", content))

    assert table(again) == table(exported)
    assert len(table(again)) == 4 + 33


def test_rows_match_by_title_and_every_row_that_cannot_be_read_says_why(
    review, actions, heading, lead_of_org_a
):
    services.add_action(heading("sustainability"), by=lead_of_org_a, title="Twice")
    services.add_action(heading("sustainability"), by=lead_of_org_a, title="Twice")
    ReviewEntry.objects.bulk_create(
        ReviewEntry(review=review, action=a, status=a.status)
        for a in Action.objects.filter(title="Twice")
    )
    content = (
        "Milestone,RAG,Comments,Budget\n"
        "name technicians,Completed,Names on every poster.,£200\n"
        "Count technicians,Purple,,\n"
        "Open a crèche,Amber,,\n"
        "Twice,Amber,,\n"
        "Name technicians,Amber,,£50\n"
    )
    preview = import_file(review, upload("review.csv", content))
    assert [(p.row, p.message) for p in preview.problems] == [
        (
            3,
            "‘Purple’ in ‘RAG’ is not one of the plan's statuses: Not started, Delayed, "
            "In progress, On track, Completed.",
        ),
        (4, "No action of this review is titled ‘Open a crèche’."),
        (
            5,
            "2 actions of the review are titled ‘Twice’; add the ‘Reference’ column of an "
            "export of the review to tell them apart.",
        ),
        (6, "Row 2 is about the same action already."),
    ]
    assert [(u.letter, u.header, u.samples) for u in preview.unmapped] == [
        ("D", "Budget", ["£200", "£50"])
    ]
    with pytest.raises(transfer.ImportRefused, match="4 rows cannot be read"):
        review_transfer.apply(review, preview)
    assert entries(review)[0] == ("Name technicians", Status.NOT_STARTED, "")


def test_a_reference_that_is_not_the_reviews_is_a_row_error(review, actions):
    preview = import_file(review, upload("r.csv", "Reference,Status\n999999,Amber\n"))
    assert [(p.row, p.message) for p in preview.problems] == [
        (2, "No action of this review has the reference ‘999999’.")
    ]


def test_a_final_review_takes_no_import(review, lead_of_org_a):
    preview = import_file(review, upload("r.csv", "Action,Status\nName technicians,Amber\n"))
    services.finalise_review(review, by=lead_of_org_a)
    with pytest.raises(transfer.ImportRefused, match="final and cannot change"):
        review_transfer.apply(review, preview)


# --- Finalising and reopening -------------------------------------------------------------------


def test_finalising_makes_each_review_comment_the_actions_latest(review, actions, lead_of_org_a):
    Action.objects.filter(pk=actions[1].pk).update(comment="From the plan.")
    ReviewEntry.objects.filter(review=review, action=actions[0]).update(
        status=Status.COMPLETE, comment="Names on every poster since March."
    )
    services.finalise_review(review, by=lead_of_org_a)
    assert list(Action.objects.order_by("pk").values_list("status", "comment")) == [
        (Status.COMPLETE, "Names on every poster since March."),
        (Status.NOT_STARTED, "From the plan."),  # the review said nothing: the plan's stays
        (Status.NOT_STARTED, ""),
    ]


def test_the_lead_reopens_a_final_review_until_it_is_published(review, lead_of_org_a):
    with pytest.raises(services.ReviewNotReopened, match="not final"):
        services.reopen_review(review, by=lead_of_org_a)
    services.finalise_review(review, by=lead_of_org_a)
    review.refresh_from_db()
    assert review.may_reopen()
    services.reopen_review(review, by=lead_of_org_a)
    review.refresh_from_db()
    assert not review.is_final

    services.finalise_review(review, by=lead_of_org_a)
    publish(review, lead_of_org_a)
    review.refresh_from_db()
    assert not review.may_reopen()
    with pytest.raises(services.ReviewNotReopened, match="published"):
        services.reopen_review(review, by=lead_of_org_a)
    assert ProgressReview.objects.get(pk=review.pk).is_final


@pytest.mark.parametrize(("person", "result"), matrix(LEAD, ok=302), indirect=["person"])
def test_who_may_reopen(client_as, person, result, plan, review, lead_of_org_a):
    services.finalise_review(review, by=lead_of_org_a)
    response = client_as(person).post(url("review_reopen", plan, review))
    assert outcome(response) == result
    review.refresh_from_db()
    assert review.is_final is not is_allowed(result)


def test_a_published_review_has_no_reopen_button_and_refuses(
    client_as, plan, review, lead_of_org_a
):
    services.finalise_review(review, by=lead_of_org_a)
    client = client_as(lead_of_org_a)
    assert "Reopen the review" in client.get(url("review", plan, review)).content.decode()
    publish(review, lead_of_org_a)
    page = client.get(url("review", plan, review)).content.decode()
    assert "Reopen the review" not in page
    response = client.post(url("review_reopen", plan, review), follow=True)
    assert "This review is published, so it can no longer be reopened." in (
        response.content.decode()
    )


def test_the_review_shows_counts_by_theme_and_overall(
    client_as, lead_of_org_a, plan, review, actions
):
    ReviewEntry.objects.filter(review=review, action=actions[0]).update(status=Status.COMPLETE)
    page = " ".join(
        client_as(lead_of_org_a).get(url("review", plan, review)).content.decode().split()
    )
    start_at = page.index('id="progress-by-theme"')
    section = page[start_at : page.index("</section>", start_at)]
    badge = '<span class="status-badge status-{}"><span class="shape" aria-hidden="true">{}</span> {}</span>'  # noqa: E501
    done, todo = (
        badge.format("complete", "✔", "Completed"),
        badge.format("not_started", "○", "Not started"),
    )
    item = '<li class="list-inline-item">'
    row = '<th scope="row">{}</th><td><ul class="list-inline mb-0">{}</ul></td></tr>'
    counts = "".join(f"{item}{n} {badge}</li>" for n, badge in [(1, todo), (1, done)])
    assert row.format("Visibility", counts) in section
    assert row.format("Recognition", f"{item}1 {todo}</li>") in section
    counts = "".join(f"{item}{n} {badge}</li>" for n, badge in [(2, todo), (1, done)])
    assert row.format("Overall", counts) in section


# --- Every URL for every persona ----------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize(("person", "result"), matrix(READERS), indirect=["person"])
def test_who_may_export_a_review(client_as, person, result, plan, review, fmt):
    response = client_as(person).get(url("review_export", plan, review, fmt))
    assert outcome(response) == result
    if is_allowed(result):
        assert response["Content-Disposition"].startswith("attachment;")
        table = transfer.read_table(upload(f"r.{fmt}", response.content))
        assert table[3] == exports.REVIEW_HEADER
        assert len(table) == 4 + 3


@pytest.mark.parametrize(("person", "result"), matrix(WRITERS), indirect=["person"])
def test_who_may_open_the_import(client_as, person, result, plan, review):
    response = client_as(person).get(url("review_import", plan, review))
    assert outcome(response) == result
    if is_allowed(result):
        assert "Import statuses and comments into the progress review of 5 June 2027" in (
            response.content.decode()
        )


@pytest.mark.parametrize(("person", "result"), matrix(WRITERS, ok=302), indirect=["person"])
def test_who_may_import(client_as, person, result, plan, review, actions):
    client = client_as(person)
    content = "Action,Status,Comment\nCount technicians,Completed,Counted: 240.\n"
    response = client.post(url("review_import", plan, review), {"file": upload("r.csv", content)})
    assert outcome(response) == result
    preview = client.get(url("review_import_preview", plan, review))
    assert outcome(preview) == (200 if is_allowed(result) else result)
    confirm = client.post(
        url("review_import_confirm", plan, review),
        {"column_0": "title", "column_1": "status", "column_2": "comment"},
    )
    assert outcome(confirm) == result
    expected = (
        (Status.COMPLETE, "Counted: 240.") if is_allowed(result) else (Status.NOT_STARTED, "")
    )
    assert entries(review)[1][1:] == expected


def test_the_import_preview_shows_row_errors_and_saves_nothing_until_fixed(
    client_as, lead_of_org_a, plan, review, actions
):
    client = client_as(lead_of_org_a)
    bad = "Action,Status\nCount technicians,Purple\nName technicians,Amber\n"
    client.post(url("review_import", plan, review), {"file": upload("r.csv", bad)})
    page = client.get(url("review_import_preview", plan, review)).content.decode()
    assert "1 problem to solve" in page
    assert '<th scope="row">2</th><td>‘Purple’ in ‘Status’ is not one of' in page
    assert "Import 1 change" not in page
    refused = client.post(
        url("review_import_confirm", plan, review), {"column_0": "title", "column_1": "status"}
    )
    assert refused.status_code == 400
    assert "1 row cannot be read, so nothing was imported." in refused.content.decode()
    assert {e[1] for e in entries(review)} == {Status.NOT_STARTED}

    good = "Action,Status\nCount technicians,Completed\nName technicians,Amber\n"
    client.post(url("review_import", plan, review), {"file": upload("r.csv", good)})
    page = client.get(url("review_import_preview", plan, review)).content.decode()
    assert "Import 2 changes" in page
    assert "1 action of the review is not in the file and keeps what it has." in " ".join(
        page.split()
    )
    done = client.post(
        url("review_import_confirm", plan, review), {"column_0": "title", "column_1": "status"}
    )
    assert done.status_code == 302
    assert [e[1] for e in entries(review)] == [Status.AMBER, Status.COMPLETE, Status.NOT_STARTED]


def test_a_final_review_sends_the_import_back_to_the_review(client_as, lead_of_org_a, plan, review):
    services.finalise_review(review, by=lead_of_org_a)
    response = client_as(lead_of_org_a).get(url("review_import", plan, review))
    assert response.status_code == 302
    assert response.url == url("review", plan, review)


@pytest.mark.parametrize("size", [3, 33])
def test_the_review_export_runs_in_constant_queries(
    client_as, lead_of_org_a, plan, heading, size, django_assert_max_num_queries
):
    for n in range(size):
        services.add_action(heading("visibility"), by=lead_of_org_a, title=f"Action {n}")
    review = start(plan, lead_of_org_a)
    client = client_as(lead_of_org_a)
    with django_assert_max_num_queries(12):
        response = client.get(url("review_export", plan, review, "csv"))
    assert len(io.StringIO(response.content.decode("utf-8-sig")).readlines()) == 4 + size


@pytest.mark.parametrize("size", [3, 30])
def test_a_final_review_with_its_reopen_button_runs_in_constant_queries(
    client_as, lead_of_org_a, plan, heading, size, django_assert_max_num_queries
):
    for n in range(size):
        services.add_action(heading("visibility"), by=lead_of_org_a, title=f"Action {n}")
    review = start(plan, lead_of_org_a)
    services.finalise_review(review, by=lead_of_org_a)
    client = client_as(lead_of_org_a)
    # 13: a final review also lists the update papers made from it.
    with django_assert_max_num_queries(13):
        response = client.get(url("review", plan, review))
    assert "Reopen the review to correct it" in response.content.decode()
