"""A progress review is a record of what was reported: deleting an action or its heading from the
plan keeps the action's entries, with its title, number and heading's name, and every reader of
a review shows them where they were, marked as no longer in the plan."""

import csv
import io
import re
from datetime import date

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actionplans import papers, services
from actionplans.enums import Status
from actionplans.exports import review_table
from actionplans.models import Action, ReviewEntry
from actionplans.queries import load_review, review_as_data
from actionplans.review_transfer import reference

OUTREACH = "Fenwick outreach"
VISIT = "Visit the Fenwick schools"
VISITED = "Two fictional school visits."


def text_of(response) -> str:
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def start(plan, lead, reviewed_on=date(2027, 6, 5)):
    return services.start_review(
        plan,
        by=lead,
        reviewed_on=reviewed_on,
        period_from=date(2026, 12, 1),
        period_to=reviewed_on.replace(day=1),
    )


@pytest.fixture
def visit(plan, actions, lead_of_org_a):
    """An action under the plan's own heading 'Fenwick outreach', besides the three actions."""
    outreach = services.add_heading(plan, OUTREACH)
    return services.add_action(outreach, by=lead_of_org_a, title=VISIT)


@pytest.fixture
def final(plan, visit, lead_of_org_a):
    """A finalised review that reports the visit complete."""
    review = start(plan, lead_of_org_a)
    review.entries.filter(action=visit).update(status=Status.COMPLETE, comment=VISITED)
    review.entries.exclude(action=visit).update(status=Status.GREEN)
    return services.finalise_review(review, by=lead_of_org_a)


def delete_outreach(visit, lead):
    """What the plan editor does: delete the action (it waits for an undo), then its heading."""
    services.delete_action(visit, by=lead)
    services.delete_heading(visit.heading)


# --- The rule ---------------------------------------------------------------------------------


def test_deleting_a_heading_keeps_its_actions_entries(plan, visit, final, lead_of_org_a):
    draft = start(plan, lead_of_org_a, reviewed_on=date(2027, 12, 3))
    draft.entries.filter(action=visit).update(comment="A third visit is booked.")
    number = visit.pk
    delete_outreach(visit, lead_of_org_a)
    assert not Action.objects.filter(pk=number).exists()
    kept = ReviewEntry.objects.filter(action_title=VISIT).order_by("review__reviewed_on")
    assert [
        (e.review_id, e.action_id, e.action_number, e.heading_name, e.status, e.comment)
        for e in kept
    ] == [
        (final.pk, None, number, OUTREACH, Status.COMPLETE, VISITED),
        (draft.pk, None, number, OUTREACH, Status.COMPLETE, "A third visit is booked."),
    ]
    assert [e.title for e in kept] == [VISIT, VISIT]
    assert (final.entries.count(), draft.entries.count()) == (4, 4)


def test_undo_still_brings_an_action_back_with_its_entries(plan, visit, final, lead_of_org_a):
    services.delete_action(visit, by=lead_of_org_a)
    services.undo_delete(visit, by=lead_of_org_a)
    row = final.entries.get(action=visit)
    assert (row.in_plan, row.title, row.status) == (True, VISIT, Status.COMPLETE)
    with pytest.raises(services.PlanError):
        services.delete_heading(visit.heading)  # its action is live again
    assert final.entries.count() == 4


def test_any_deletion_of_an_action_keeps_its_entries(plan, actions, review, lead_of_org_a):
    """The rule is on the foreign key, not only in the editor's service (an administrator)."""
    services.finalise_review(review, by=lead_of_org_a)
    Action.objects.filter(pk__in=[actions[0].pk, actions[2].pk]).delete()
    kept = review.entries.filter(action=None).order_by("action_number")
    assert [(e.action_title, e.action_number, e.heading_name) for e in kept] == [
        ("Name technicians", actions[0].pk, "Visibility"),
        ("Register with RSci", actions[2].pk, "Recognition"),
    ]
    assert review.entries.count() == 3


# --- The readers ------------------------------------------------------------------------------


def test_the_review_page_shows_the_kept_entry_under_its_heading(
    client_as, plan, visit, final, lead_of_org_a
):
    client = client_as(lead_of_org_a)
    review_url = reverse("actionplans:review", args=["aldermoor", plan.pk, final.pk])
    with CaptureQueriesContext(connection) as before:
        client.get(review_url)
    delete_outreach(visit, lead_of_org_a)
    with CaptureQueriesContext(connection) as after:
        response = client.get(review_url)
    assert response.status_code == 200
    assert len(after) == len(before)
    text = text_of(response)
    assert (
        f"{OUTREACH} Action Status Comment Earlier reviews "
        f"{VISIT} (no longer in the plan) ✔ Completed {VISITED} None All progress reviews"
    ) in text
    # Counted with the others, by theme and overall.
    assert f"{OUTREACH} 1 ✔ Completed" in text
    assert "Overall 3 ● On track 1 ✔ Completed" in text


def test_the_export_keeps_the_row_with_its_number(client_as, plan, visit, final, lead_of_org_a):
    number = visit.pk
    delete_outreach(visit, lead_of_org_a)
    rows = review_table(final)
    assert rows[-1] == [
        str(number),
        OUTREACH,
        f"{VISIT} (no longer in the plan)",
        "Completed",
        VISITED,
    ]
    assert len(rows) == 4 + 4  # title, period, blank, header; then every entry
    response = client_as(lead_of_org_a).get(
        reverse("actionplans:review_export", args=["aldermoor", plan.pk, final.pk, "csv"])
    )
    found = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert found[-1] == rows[-1]


def test_the_reviews_data_keeps_the_entry(plan, visit, final, lead_of_org_a):
    """What a publication, an update paper and an appendix read (it used to raise on the
    deleted action)."""
    delete_outreach(visit, lead_of_org_a)
    data = review_as_data(final)
    assert data["headings"][-1] == {
        "name": OUTREACH,
        "entries": [{"title": VISIT, "status": Status.COMPLETE, "comment": VISITED}],
    }
    assert sum(len(h["entries"]) for h in data["headings"]) == 4


def test_achievements_and_an_update_paper_keep_the_deleted_action(
    client_as, plan, visit, final, lead_of_org_a
):
    delete_outreach(visit, lead_of_org_a)
    response = client_as(lead_of_org_a).get(
        reverse("actionplans:achievements", args=["aldermoor", plan.pk])
        + "?from=2026-12-01&to=2027-06-30"
    )
    assert response.status_code == 200
    text = text_of(response)
    assert f"{OUTREACH} {VISIT} (no longer in the plan) {VISITED}" in text
    assert f"{OUTREACH}\n- {VISIT}\n  {VISITED}\n" in response.content.decode()
    paper = papers.start_update_paper(
        final,
        by=lead_of_org_a,
        title="Update paper, June 2027",
        dated_on=date(2027, 6, 20),
        periods=[papers.Period("Year 1", date(2026, 12, 1), date(2027, 6, 30))],
    )
    row = paper.achievements.get()
    assert (row.heading_id, row.heading_name, row.action_id, row.text) == (
        None,
        OUTREACH,
        None,
        f"{VISIT}: {VISITED}",
    )


def test_a_reopened_review_with_a_kept_entry_is_saved_imported_and_finalised(
    plan, actions, visit, final, lead_of_org_a
):
    delete_outreach(visit, lead_of_org_a)
    services.reopen_review(final, by=lead_of_org_a)
    kept = final.entries.get(action=None)
    assert reference(kept) == str(kept.action_number)
    services.import_review_rows(final, {kept.pk: (Status.COMPLETE, "Three visits.")})
    services.finalise_review(final, by=lead_of_org_a)  # it used to raise on the deleted action
    kept.refresh_from_db()
    assert (kept.status, kept.comment) == (Status.COMPLETE, "Three visits.")
    assert [a.status for a in Action.objects.filter(plan=plan)] == [Status.GREEN] * 3
    loaded = load_review(final)
    assert [(g.name, [e.title for e in g.entries]) for g in loaded.headings][-1] == (
        OUTREACH,
        [VISIT],
    )


def test_the_rag_panel_lists_the_kept_entry(plan, visit, final, lead_of_org_a):
    """Beside the later form's RAG-analysis question (it used to raise on the deleted action)."""
    delete_outreach(visit, lead_of_org_a)
    final.plan = plan
    html = render_to_string(
        "actionplans/_previous_review.html", {"previous_review": load_review(final, False)}
    )
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    assert f"{OUTREACH} (1) ✔ Completed {VISIT} (no longer in the plan) {VISITED}" in text


@pytest.mark.parametrize("size", [1, 6])
def test_deleting_a_heading_costs_the_same_however_many_entries_it_keeps(
    plan, actions, lead_of_org_a, django_assert_num_queries, size
):
    outreach = services.add_heading(plan, OUTREACH)
    for n in range(size):
        services.add_action(outreach, by=lead_of_org_a, title=f"Visit school {n}")
    for day in (5, 6):
        start(plan, lead_of_org_a, reviewed_on=date(2027, 6, day))
    for action in outreach.actions.all():
        services.delete_action(action, by=lead_of_org_a)
    with django_assert_num_queries(12):
        services.delete_heading(outreach)
    assert ReviewEntry.objects.filter(action=None, heading_name=OUTREACH).count() == 2 * size
