"""The plan editor at any size: each change reads and answers with the rows it changes only,
in a number of queries that does not grow with the plan; the page carries one CSRF token for
the whole table, and a 300-action plan's page stays small enough to use."""

import re
from datetime import date

import pytest
from django.urls import reverse

from actionplans import services
from actionplans.enums import Status
from actionplans.models import Action
from tests.matrix import is_allowed, matrix, outcome

HTMX = {"HX-Request": "true"}
WRITERS = {"lead_of_org_a", "contributor_of_org_a"}


def url(name, plan, *args):
    return reverse(f"actionplans:{name}", args=["aldermoor", plan.pk, *args])


def fill(plan, lead, count: int) -> list[Action]:
    """``count`` actions spread over the first four headings, with phase targets and a
    finalised review (so that every row shows a timeline)."""
    headings = list(plan.headings.all())[:4]
    phase = plan.phases.get(position=1)
    actions = Action.objects.bulk_create(
        Action(
            plan=plan,
            heading=headings[n % 4],
            position=n + 1,
            title=f"Action {n}: a sentence about what the organisation will do for technicians",
            led_by="PL/PT",
            success_criteria="Evidence that shows it happened, in a sentence or two.",
            status=Status.AMBER,
            comment="A comment of a line or so from the last meeting.",
        )
        for n in range(count)
    )
    for action in actions[:10]:
        services.set_phase_targets(action, {phase.pk: date(2027, 3, 1)})
    review = services.start_review(
        plan,
        by=lead,
        reviewed_on=date(2027, 6, 1),
        period_from=date(2026, 12, 1),
        period_to=date(2027, 5, 1),
    )
    services.finalise_review(review, by=lead)
    return list(plan.actions.live().order_by("heading__position", "position"))


def rows_in(html: str) -> set[int]:
    return {int(pk) for pk in re.findall(r'<tr id="action-(\d+)"', html)}


def save_data(plan, action, **changes):
    data = {
        "title": action.title,
        "description": "",
        "led_by": "PL",
        "success_criteria": "",
        "status": Status.GREEN,
        "comment": "",
        "version": str(action.version),
        "heading": str(action.heading_id),
    }
    for phase in plan.phases.all():
        data[f"phase_{phase.pk}"] = ""
    data.update(changes)
    return data


@pytest.mark.parametrize("count", [5, 300])
def test_each_change_costs_the_same_queries_whatever_the_plan_size(
    client, plan, lead_of_org_a, django_assert_max_num_queries, count
):
    actions = fill(plan, lead_of_org_a, count)
    first = actions[0]
    client.force_login(lead_of_org_a)
    with django_assert_max_num_queries(25):
        response = client.post(
            url("save_action", plan, first.pk), save_data(plan, first), headers=HTMX
        )
    assert rows_in(response.content.decode()) == {first.pk}
    with django_assert_max_num_queries(20):
        response = client.post(url("change_row", plan), {"do": f"down-{first.pk}"}, headers=HTMX)
    assert rows_in(response.content.decode()) == {first.pk}
    with django_assert_max_num_queries(25):
        response = client.post(
            url("change_row", plan), {"do": f"duplicate-{first.pk}"}, headers=HTMX
        )
    assert len(rows_in(response.content.decode())) == 2
    with django_assert_max_num_queries(15):
        response = client.post(url("change_row", plan), {"do": f"delete-{first.pk}"}, headers=HTMX)
    assert rows_in(response.content.decode()) == set()
    with django_assert_max_num_queries(19):
        response = client.post(url("change_row", plan), {"do": f"undo-{first.pk}"}, headers=HTMX)
    assert rows_in(response.content.decode()) == {first.pk}
    with django_assert_max_num_queries(25):
        response = client.post(
            url("add_action", plan, first.heading_id),
            save_data(plan, first, title="A new one", version="0"),
            headers=HTMX,
        )
    assert len(rows_in(response.content.decode())) == 1


def ordered(plan) -> list[int]:
    return list(
        plan.actions.live()
        .order_by("heading__position", "position", "pk")
        .values_list("pk", flat=True)
    )


@pytest.fixture
def five(plan, lead_of_org_a, client):
    """Five actions under four headings (1 and 5 under the first), the lead signed in."""
    client.force_login(lead_of_org_a)
    return fill(plan, lead_of_org_a, 5)


def test_moving_within_a_heading_sends_the_moved_row_only(client, plan, five):
    first, fifth = five[0], five[1]  # the first heading holds actions 0 and 4
    assert first.heading_id == fifth.heading_id
    html = client.post(
        url("change_row", plan), {"do": f"up-{fifth.pk}"}, headers=HTMX
    ).content.decode()
    # The moved row goes before its neighbour (whose content does not change, so it is not
    # sent: an editor open on it keeps what is typed), its menu open, focus on the same button;
    # the row's old place is the main target, emptied.
    assert html.lstrip().startswith(
        f'<template><tbody hx-swap-oob="beforebegin:#action-{first.pk}">'
        f'<tr id="action-{fifth.pk}" class="action-row">'
    )
    assert rows_in(html) == {fifth.pk}
    assert 'id="row-menu"' in html
    assert f'data-focus="#row-menu [value=&#x27;up-{fifth.pk}&#x27;]"' in html
    assert "heading-count" not in html  # no heading changed its number of actions
    assert ordered(plan)[:2] == [fifth.pk, first.pk]
    html = client.post(
        url("change_row", plan), {"do": f"down-{fifth.pk}"}, headers=HTMX
    ).content.decode()
    assert f'<tbody hx-swap-oob="afterend:#action-{first.pk}">' in html
    assert ordered(plan)[:2] == [first.pk, fifth.pk]


def test_moving_past_a_heading_moves_the_row_and_both_counts(client, plan, five):
    last_of_first = five[1]
    next_heading = five[2].heading_id
    html = client.post(
        url("change_row", plan), {"do": f"down-{last_of_first.pk}"}, headers=HTMX
    ).content.decode()
    assert f'<tbody hx-swap-oob="afterend:#heading-row-{next_heading}">' in html
    assert rows_in(html) == {last_of_first.pk}
    assert f'id="heading-count-{last_of_first.heading_id}" hx-swap-oob="true">(1 action)' in html
    assert f'id="heading-count-{next_heading}" hx-swap-oob="true">(2 actions)' in html
    assert ordered(plan)[1:3] == [last_of_first.pk, five[2].pk]


def test_duplicate_delete_undo_and_add_answer_with_their_rows_only(client, plan, five):
    first, second = five[0], five[1]
    html = client.post(
        url("change_row", plan), {"do": f"duplicate-{first.pk}"}, headers=HTMX
    ).content.decode()
    copy = Action.objects.get(title=f"{first.title} (copy)")
    assert html.index(f'id="action-{first.pk}"') < html.index(f'id="action-{copy.pk}"')
    assert rows_in(html) == {first.pk, copy.pk}
    assert '<span id="action-count" hx-swap-oob="true">6 actions</span>' in html
    assert f'id="heading-count-{first.heading_id}" hx-swap-oob="true">(3 actions)' in html

    html = client.post(
        url("change_row", plan), {"do": f"delete-{copy.pk}"}, headers=HTMX
    ).content.decode()
    assert rows_in(html) == set()
    assert 'id="undo-notice" role="status" hx-swap-oob="innerHTML"' in html
    assert f'value="undo-{copy.pk}"' in html
    assert "5 actions" in html

    html = client.post(
        url("change_row", plan), {"do": f"undo-{copy.pk}"}, headers=HTMX
    ).content.decode()
    assert rows_in(html) == {copy.pk}
    assert f'<tbody hx-swap-oob="beforebegin:#action-{second.pk}">' in html
    assert ordered(plan)[:3] == [first.pk, copy.pk, second.pk]

    html = client.post(
        url("add_action", plan, second.heading_id),
        save_data(plan, second, title="One more", version="0"),
        headers=HTMX,
    ).content.decode()
    added = Action.objects.get(title="One more")
    assert html.lstrip().startswith(f'<tr id="action-{added.pk}" class="action-row just-added">')
    assert rows_in(html) == {added.pk}
    assert ordered(plan)[3] == added.pk


def test_saving_into_another_heading_moves_the_row_there(client, plan, five):
    first = five[0]
    other = five[2].heading_id
    html = client.post(
        url("save_action", plan, first.pk),
        save_data(plan, first, heading=str(other)),
        headers=HTMX,
    ).content.decode()
    assert f'<tbody hx-swap-oob="beforebegin:#add-row-{other}">' in html
    assert rows_in(html) == {first.pk}
    assert Action.objects.get(pk=first.pk).heading_id == other


@pytest.mark.parametrize("count", [5, 300])
def test_the_page_has_one_csrf_token_for_the_table_and_no_form_per_row(
    client, plan, lead_of_org_a, count
):
    fill(plan, lead_of_org_a, count)
    client.force_login(lead_of_org_a)
    page = client.get(url("plan", plan)).content.decode()
    editor = page[page.index('<div id="plan-editor"') : page.index('id="examples-title"')]
    assert editor.count("csrfmiddlewaretoken") == 1
    assert editor.count('hx-headers=\'{"X-CSRFToken": "') == 1
    rows = re.findall(r'<tr id="action-\d+".*?</tr>', page, re.S)
    assert len(rows) == count
    assert not [row for row in rows if "<form" in row or "csrf" in row or "<input" in row]
    # The table's one form, and the menu that is copied into a row when it opens.
    assert f'<form id="plan-rows" method="post" action="{url("change_row", plan)}">' in page
    assert '<template id="row-menu-template">' in page


def test_a_300_action_page_is_under_300_kb(client, plan, lead_of_org_a):
    fill(plan, lead_of_org_a, 300)
    client.force_login(lead_of_org_a)
    page = client.get(url("plan", plan)).content
    assert page.count(b'class="action-row"') == 300
    assert len(page) < 300_000, f"{len(page)} bytes"


# --- Without JavaScript -------------------------------------------------------------------------


def test_without_javascript_the_menu_is_a_page_and_each_change_comes_back_to_the_row(
    client, plan, five
):
    first, fifth = five[0], five[1]
    page = client.get(url("plan", plan), {"menu": first.pk}).content.decode()
    row = re.search(rf'<tr id="action-{first.pk}".*?</tr>', page, re.S).group()
    assert f'<button form="plan-rows" name="do" value="down-{first.pk}">Move down</button>' in row
    assert f'href="?menu={first.pk}#action-{first.pk}"' in row

    response = client.post(url("change_row", plan), {"do": f"down-{first.pk}"})
    assert response.status_code == 302
    assert response.url == f"{plan.get_absolute_url()}?menu={first.pk}#action-{first.pk}"
    assert ordered(plan)[:2] == [fifth.pk, first.pk]

    response = client.post(url("change_row", plan), {"do": f"delete-{first.pk}"})
    assert response.url == f"{plan.get_absolute_url()}?deleted={first.pk}#undo"
    page = client.get(response.url).content.decode()
    assert f"Action ‘{first.title}’ deleted." in page
    assert f'value="undo-{first.pk}">Undo</button>' in page
    response = client.post(url("change_row", plan), {"do": f"undo-{first.pk}"})
    assert response.url == f"{plan.get_absolute_url()}#action-{first.pk}"
    assert first.pk in ordered(plan)


@pytest.mark.parametrize("bad", ["", "up", "up-x", "sideways-1", "delete-0", "undo-99999"])
def test_an_unknown_change_is_a_404(client, plan, five, bad):
    assert client.post(url("change_row", plan), {"do": bad}).status_code == 404


# --- Who may ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("person", "result"), matrix(WRITERS, ok=302), indirect=["person"])
def test_who_may_change_rows(client_as, person, result, plan, lead_of_org_a):
    first, second = fill(plan, lead_of_org_a, 2)
    response = client_as(person).post(url("change_row", plan), {"do": f"duplicate-{first.pk}"})
    assert outcome(response) == result
    assert (plan.actions.count() == 3) is is_allowed(result)


def test_another_organisation_changes_no_row(client, plan, lead_of_org_a, lead_of_org_b):
    first = fill(plan, lead_of_org_a, 1)[0]
    client.force_login(lead_of_org_b)
    for change in ("up", "down", "duplicate", "delete", "undo"):
        for slug in ("aldermoor", "brackenfield"):
            target = reverse("actionplans:change_row", args=[slug, plan.pk])
            assert client.post(target, {"do": f"{change}-{first.pk}"}).status_code == 404
    assert (plan.actions.count(), ordered(plan)) == (1, [first.pk])
