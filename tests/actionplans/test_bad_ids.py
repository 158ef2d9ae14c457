"""Ids that no browser of ours would send (words, "²", numbers beyond 64 bits) are "nothing
there" (a 404 or ignored), never a server error; the plan is left as it was."""

import pytest
from django.urls import reverse

from actionplans import services
from actionplans.enums import Status
from actionplans.models import Heading, OwnerCode, Phase, ReviewEntry
from techcommit.forms import MAX_ID, id_or_404, parse_id, parse_ids

HUGE = str(2**64)
BAD_IDS = ["x", "", "²", "-1", "0", "1.5", HUGE, "9" * 40]


def url(name, plan, *args):
    return reverse(f"actionplans:{name}", args=["aldermoor", plan.pk, *args])


def test_parse_id_takes_only_what_can_name_a_row():
    assert parse_id("42") == 42
    assert parse_id(" 42 ") == 42
    assert parse_id(str(MAX_ID)) == MAX_ID
    for bad in [*BAD_IDS, str(MAX_ID + 1), None, 7, ["1"], "٣"]:
        assert parse_id(bad) is None, bad
    assert parse_ids(["3", "x", HUGE, "3", "5"]) == {3, 5}
    assert id_or_404("9") == 9


@pytest.mark.parametrize("bad", BAD_IDS)
@pytest.mark.parametrize(
    ("part", "field", "extra"),
    [
        ("delete_phase", "phase", {}),
        ("rename_code", "owner", {"code": "ZZ", "title": "Renamed"}),
        ("delete_code", "owner", {}),
        ("move_heading", "heading", {"direction": "up"}),
        ("delete_heading", "heading", {}),
    ],
)
def test_a_bad_id_in_the_plan_settings_is_not_found(
    client, plan, lead_of_org_a, part, field, extra, bad
):
    client.force_login(lead_of_org_a)
    before = (
        list(Phase.objects.filter(plan=plan).values_list("pk", "name")),
        list(OwnerCode.objects.filter(plan=plan).values_list("pk", "code", "title")),
        list(Heading.objects.filter(plan=plan).values_list("pk", "position")),
    )
    response = client.post(url("settings_part", plan, part), {field: bad, **extra})
    assert response.status_code == 404
    assert before == (
        list(Phase.objects.filter(plan=plan).values_list("pk", "name")),
        list(OwnerCode.objects.filter(plan=plan).values_list("pk", "code", "title")),
        list(Heading.objects.filter(plan=plan).values_list("pk", "position")),
    )


@pytest.mark.parametrize("bad", ["²", HUGE, "sideways-{pk}", "down-", "down-{pk}x"])
def test_a_bad_row_change_is_not_found(client, plan, heading, lead_of_org_a, bad):
    action = services.add_action(heading("visibility"), by=lead_of_org_a, title="Name them")
    client.force_login(lead_of_org_a)
    response = client.post(url("change_row", plan), {"do": bad.format(pk=action.pk)})
    assert response.status_code == 404
    action.refresh_from_db()
    assert (action.heading, action.deleted_at) == (heading("visibility"), None)


@pytest.mark.parametrize("bad", ["²", HUGE])
def test_a_bad_row_to_edit_or_add_to_shows_the_plan_as_it_is(client, plan, lead_of_org_a, bad):
    client.force_login(lead_of_org_a)
    for query in ("edit", "add"):
        response = client.get(url("plan", plan) + f"?{query}={bad}")
        assert response.status_code == 200
        assert "Count every technician" not in response.content.decode()
        assert response.context["editing"] is None
        assert response.context["adding"] is None


def test_a_huge_entry_id_in_a_review_is_ignored_and_the_real_rows_saved(
    client, plan, heading, lead_of_org_a
):
    action = services.add_action(heading("visibility"), by=lead_of_org_a, title="Name them")
    review = services.begin_review(
        plan,
        by=lead_of_org_a,
        reviewed_on=plan.starts_on,
        period_from=plan.starts_on,
        period_to=plan.starts_on,
        overall_status=Status.AMBER,
    )
    entry = ReviewEntry.objects.get(review=review, action=action)
    seen = services.fingerprint(entry.status, entry.comment)
    data = {
        "seen": f"{HUGE}:abc ²:abc {entry.pk}:{seen}",
        f"status-{HUGE}": Status.GREEN,
        "status-²": Status.GREEN,
        f"status-{entry.pk}": Status.GREEN,
        f"comment-{entry.pk}": "Names on every page.",
    }
    client.force_login(lead_of_org_a)
    response = client.post(
        reverse("actionplans:review", args=["aldermoor", plan.pk, review.pk]), data
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.status, entry.comment) == (Status.GREEN, "Names on every page.")


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("review_import", "get"),
        ("review_import_preview", "get"),
        ("review_import_confirm", "post"),
        ("review_reopen", "post"),
        ("review_export", "get"),
    ],
)
def test_a_review_number_beyond_any_row_is_not_found(client, plan, lead_of_org_a, name, method):
    client.force_login(lead_of_org_a)
    args = [int(HUGE)] + (["csv"] if name == "review_export" else [])
    response = getattr(client, method)(url(name, plan, *args))
    assert response.status_code == 404


def test_an_owner_code_number_beyond_any_row_is_not_found(client, plan, lead_of_org_a):
    client.force_login(lead_of_org_a)
    response = client.post(url("move_code", plan, int(HUGE)), {"direction": "up"})
    assert response.status_code == 404
