"""The plan pages for every persona; the inline editor with and without htmx; conflicts; undo;
the plan's shape; carrying forward; query counts."""

from datetime import date

import pytest
from django.urls import reverse

from actionplans import services
from actionplans.enums import PlanStatus, Status, TimingStyle
from actionplans.models import Action, ActionPlan
from assessments.models import ExampleActivity
from tests.matrix import is_allowed, matrix, outcome

READERS = {
    "lead_of_org_a",
    "contributor_of_org_a",
    "sponsor_of_org_a",
    "leader_of_org_a",
    "administrator",
}
WRITERS = {"lead_of_org_a", "contributor_of_org_a"}
LEAD = {"lead_of_org_a"}
HTMX = {"HX-Request": "true"}


@pytest.fixture
def action(plan, heading, lead_of_org_a):
    first = plan.phases.get(position=1)
    return services.add_action(
        heading("visibility"),
        by=lead_of_org_a,
        title="Count every technician",
        led_by="PL/PT",
        success_criteria="A published headcount",
        status=Status.AMBER,
        comment="HR data requested.",
        targets={first.pk: date(2027, 3, 1)},
    )


def url(name, plan, *args):
    return reverse(f"actionplans:{name}", args=["aldermoor", plan.pk, *args])


def row_change(client, plan, do: str, **kwargs):
    """What a row's menu button posts: ``do=<change>-<action id>`` to the table's one form."""
    return client.post(url("change_row", plan), {"do": do}, **kwargs)


def form_data(plan, **changes):
    data = {
        "title": "Count every technician",
        "description": "",
        "led_by": "PL/PT",
        "success_criteria": "A published headcount",
        "status": Status.AMBER,
        "comment": "HR data requested.",
        "version": "1",
        "heading": str(plan.headings.get(theme__slug="visibility").pk),
    }
    for phase in plan.phases.all():
        data[f"phase_{phase.pk}"] = "Mar 2027" if phase.position == 1 else ""
    data.update(changes)
    return data


def fresh(action) -> Action:
    return Action.objects.get(pk=action.pk)


# --- Who reaches what ---------------------------------------------------------------------


@pytest.mark.parametrize(("person", "result"), matrix(READERS), indirect=["person"])
def test_the_list_and_the_plan_page(client_as, person, result, plan, action):
    client = client_as(person)
    for target in (reverse("actionplans:list", args=["aldermoor"]), url("plan", plan)):
        response = client.get(target)
        assert outcome(response) == result
        if is_allowed(result):
            assert plan.title in response.content.decode()


@pytest.mark.parametrize(("person", "result"), matrix(LEAD), indirect=["person"])
def test_the_settings_page(client_as, person, result, plan):
    response = client_as(person).get(url("settings", plan))
    assert outcome(response) == result
    if is_allowed(result):
        assert "Key: who leads actions" in response.content.decode()


@pytest.mark.parametrize(("person", "result"), matrix(LEAD, ok=302), indirect=["person"])
def test_starting_a_plan(client_as, person, result, org_a):
    response = client_as(person).post(
        reverse("actionplans:start", args=["aldermoor"]),
        {"starts_on": "2027-01", "horizon_months": "36", "timing_style": TimingStyle.YEARS},
    )
    assert outcome(response) == result
    plans = [
        (p.starts_on, p.ends_on, p.timing_style)
        for p in ActionPlan.objects.filter(organisation=org_a)
    ]
    expected = [(date(2027, 1, 1), date(2029, 12, 1), TimingStyle.YEARS)]
    assert plans == (expected if is_allowed(result) else [])


@pytest.mark.parametrize(("person", "result"), matrix(WRITERS, ok=302), indirect=["person"])
def test_saving_an_action(client_as, person, result, plan, action):
    response = client_as(person).post(
        url("save_action", plan, action.pk), form_data(plan, title="Count all technicians")
    )
    assert outcome(response) == result
    assert fresh(action).title == (
        "Count all technicians" if is_allowed(result) else "Count every technician"
    )


@pytest.mark.parametrize(("person", "result"), matrix(WRITERS, ok=302), indirect=["person"])
def test_adding_an_action(client_as, person, result, plan, heading):
    target = url("add_action", plan, heading("recognition").pk)
    response = client_as(person).post(target, form_data(plan, title="Name technicians"))
    assert outcome(response) == result
    titles = list(plan.actions.values_list("title", flat=True))
    assert titles == (["Name technicians"] if is_allowed(result) else [])


@pytest.mark.parametrize(
    ("name", "changed"),
    [
        ("down", lambda a: a.heading.theme.slug == "recognition"),
        ("duplicate", lambda a: a.plan.actions.count() == 2),
        ("delete", lambda a: a.deleted_at is not None),
    ],
)
@pytest.mark.parametrize(("person", "result"), matrix(WRITERS, ok=302), indirect=["person"])
def test_row_actions(client_as, person, result, plan, action, name, changed):
    response = row_change(client_as(person), plan, f"{name}-{action.pk}")
    assert outcome(response) == result
    assert changed(fresh(action)) is is_allowed(result)


@pytest.mark.parametrize(("person", "result"), matrix(LEAD, ok=302), indirect=["person"])
def test_changing_the_key(client_as, person, result, plan):
    response = client_as(person).post(
        url("settings_part", plan, "code"), {"code-code": "M&C", "code-title": "Marketing"}
    )
    assert outcome(response) == result
    assert plan.owner_codes.filter(code="M&C").exists() is is_allowed(result)


def test_another_organisation_reaches_nothing_of_this_plan(client, plan, action, lead_of_org_b):
    client.force_login(lead_of_org_b)
    for slug in ("aldermoor", "brackenfield"):
        args = [slug, plan.pk]
        assert client.get(reverse("actionplans:plan", args=args)).status_code == 404
        assert client.get(reverse("actionplans:settings", args=args)).status_code == 404
        target = reverse("actionplans:save_action", args=[*args, action.pk])
        assert client.post(target, form_data(plan, title="Stolen")).status_code == 404
        for change in ("delete", "duplicate", "down"):
            target = reverse("actionplans:change_row", args=args)
            assert client.post(target, {"do": f"{change}-{action.pk}"}).status_code == 404
    assert (fresh(action).title, fresh(action).deleted_at) == ("Count every technician", None)


def test_get_to_an_action_url_changes_nothing(client, plan, action, lead_of_org_a):
    client.force_login(lead_of_org_a)
    assert client.get(url("save_action", plan, action.pk)).status_code == 405
    assert client.get(url("change_row", plan), {"do": f"delete-{action.pk}"}).status_code == 405
    assert plan.actions.count() == 1
    assert fresh(action).version == 1


# --- The table -----------------------------------------------------------------------------


def test_the_plan_page_shows_every_column_and_the_status_in_words(
    client, plan, action, lead_of_org_a
):
    services.set_wording(plan, Status.AMBER, "Under way")
    client.force_login(lead_of_org_a)
    page = client.get(url("plan", plan)).content.decode()
    row = page[page.index(f'id="action-{action.pk}"') :]
    row = row[: row.index("</tr>")]
    for text in (
        "Count every technician",
        "<td>PL/PT</td>",
        "<td>Mar 2027</td>",
        "A published headcount",
        "▲</span> Under way",
        "HR data requested.",
    ):
        assert text in row
    assert "Phase 1 <span" in page
    assert "Dec 2026 to May 2027" in page


def test_the_key_lists_owner_codes_as_terms_and_says_when_there_are_none(
    client, plan, lead_of_org_a
):
    from html.parser import HTMLParser

    class DefinitionLists(HTMLParser):
        """The tags directly inside each <dl> (only <dt>, <dd> or <div> groups are allowed)."""

        def __init__(self):
            super().__init__()
            self.stack, self.children = [], []

        def handle_starttag(self, tag, attrs):
            if self.stack and self.stack[-1] == "dl":
                self.children.append(tag)
            self.stack.append(tag)

        def handle_endtag(self, tag):
            while self.stack and self.stack.pop() != tag:
                pass

    client.force_login(lead_of_org_a)
    found = DefinitionLists()
    found.feed(client.get(url("plan", plan)).content.decode())
    assert found.children == ["div", "div", "div"]  # PL, PT and G, each a dt and its dd

    plan.owner_codes.all().delete()
    found = DefinitionLists()
    page = client.get(url("plan", plan)).content.decode()
    found.feed(page)
    assert found.children == []
    assert '<p class="owner-key mb-0">No owner codes yet.</p>' in page


def test_readers_see_no_editing_controls(client, plan, action, sponsor_of_org_a):
    client.force_login(sponsor_of_org_a)
    page = client.get(url("plan", plan)).content.decode()
    assert "Count every technician" in page
    for control in ("Edit<span", "Add an action under", "Ideas from Appendix A", "Delete<span"):
        assert control not in page


def test_user_text_is_escaped(client, plan, action, lead_of_org_a):
    services.save_action(
        action, base_version=1, by=lead_of_org_a, title='<script>alert("x")</script>'
    )
    client.force_login(lead_of_org_a)
    page = client.get(url("plan", plan)).content.decode()
    assert '<script>alert("x")</script>' not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page


# --- Editing with htmx ---------------------------------------------------------------------


def test_htmx_edit_returns_the_row_as_a_form_and_save_returns_the_row(
    client, plan, action, lead_of_org_a
):
    client.force_login(lead_of_org_a)
    row = client.get(url("edit_action", plan, action.pk), headers=HTMX).content.decode()
    assert row.strip().startswith(f'<tr id="action-{action.pk}" class="edit-row">')
    assert "Count every technician</textarea>" in row
    assert 'value="Mar 2027"' in row
    response = client.post(
        url("save_action", plan, action.pk),
        form_data(plan, status=Status.GREEN, led_by="g / pl"),
        headers=HTMX,
    )
    row = response.content.decode()
    assert row.strip().startswith(f'<tr id="action-{action.pk}" class="action-row')
    assert "<td>G/PL</td>" in row
    saved = fresh(action)
    assert (saved.status, saved.led_by, saved.version) == (Status.GREEN, "G/PL", 2)


def test_an_unknown_code_is_refused_and_the_typing_kept(client, plan, action, lead_of_org_a):
    client.force_login(lead_of_org_a)
    response = client.post(
        url("save_action", plan, action.pk),
        form_data(plan, led_by="PL/XX", comment="Typed with care."),
        headers=HTMX,
    )
    row = response.content.decode()
    assert response.status_code == 400
    assert "‘XX’ is not in the plan&#x27;s key." in row
    assert f'href="#a{action.pk}-led_by"' in row
    assert "Typed with care.</textarea>" in row
    assert fresh(action).led_by == "PL/PT"


def test_a_colleagues_newer_save_is_shown_and_not_overwritten(
    client, plan, action, lead_of_org_a, contributor_of_org_a
):
    services.save_action(action, base_version=1, by=contributor_of_org_a, status=Status.RED)
    client.force_login(lead_of_org_a)
    response = client.post(
        url("save_action", plan, action.pk),
        form_data(plan, comment="My newer comment."),
        headers=HTMX,
    )
    row = response.content.decode()
    assert response.status_code == 409
    assert "Carl Ash saved this action at" in row
    assert "■</span> Delayed" in row
    assert "My newer comment.</textarea>" in row
    assert 'name="version" value="2"' in row
    assert fresh(action).status == Status.RED
    # Saving again, on purpose, replaces theirs.
    client.post(
        url("save_action", plan, action.pk),
        form_data(plan, comment="My newer comment.", version="2"),
        headers=HTMX,
    )
    assert (fresh(action).comment, fresh(action).status) == ("My newer comment.", Status.AMBER)


def test_delete_offers_undo(client, plan, action, lead_of_org_a):
    client.force_login(lead_of_org_a)
    table = row_change(client, plan, f"delete-{action.pk}", headers=HTMX).content.decode()
    assert "Action ‘Count every technician’ deleted." in table
    assert 'id="undo"' in table
    assert f'id="action-{action.pk}"' not in table
    table = row_change(client, plan, f"undo-{action.pk}", headers=HTMX).content.decode()
    assert f'id="action-{action.pk}"' in table
    assert fresh(action).deleted_at is None


def test_moving_keeps_focus_on_the_moved_rows_button(client, plan, action, lead_of_org_a):
    client.force_login(lead_of_org_a)
    table = row_change(client, plan, f"down-{action.pk}", headers=HTMX).content.decode()
    assert f'data-focus="#row-menu [value=&#x27;down-{action.pk}&#x27;]"' in table
    assert fresh(action).heading.name == "Recognition"


# --- Without JavaScript ------------------------------------------------------------------------


def test_without_javascript_editing_is_a_page_and_errors_are_listed_at_the_top(
    client, plan, action, lead_of_org_a
):
    client.force_login(lead_of_org_a)
    response = client.get(url("edit_action", plan, action.pk))
    assert response.url == f"{url('plan', plan)}?edit={action.pk}#action-{action.pk}"
    page = client.get(response.url).content.decode()
    assert "Count every technician</textarea>" in page
    response = client.post(url("save_action", plan, action.pk), form_data(plan, title=""))
    page = response.content.decode()
    assert response.status_code == 400
    assert "<title>Error: " in page
    assert f'<a href="#a{action.pk}-title">Action: This field is required.</a>' in page
    response = client.post(url("save_action", plan, action.pk), form_data(plan, title="Better"))
    assert response.url == f"{url('plan', plan)}#action-{action.pk}"
    assert fresh(action).title == "Better"


def test_without_javascript_a_new_action_is_added_under_its_heading(
    client, plan, heading, lead_of_org_a
):
    client.force_login(lead_of_org_a)
    sustainability = heading("sustainability")
    page = client.get(f"{url('plan', plan)}?add={sustainability.pk}").content.decode()
    assert 'aria-label="New action under Sustainability"' in page
    client.post(
        url("add_action", plan, sustainability.pk),
        form_data(plan, title="Start an apprenticeship", heading=str(sustainability.pk)),
    )
    added = plan.actions.get()
    assert (added.heading.name, added.title) == ("Sustainability", "Start an apprenticeship")


def test_an_example_from_appendix_a_becomes_a_draft_action(client, plan, lead_of_org_a):
    example = ExampleActivity.objects.get(theme__slug="recognition", position=1)
    client.force_login(lead_of_org_a)
    response = client.post(url("add_example", plan, example.pk))
    added = plan.actions.get()
    assert (added.heading.name, added.title) == ("Recognition", example.text)
    assert response.url == f"{url('plan', plan)}?edit={added.pk}#action-{added.pk}"


def test_an_approved_plan_cannot_be_changed(client, plan, action, lead_of_org_a):
    ActionPlan.objects.filter(pk=plan.pk).update(status=PlanStatus.APPROVED)
    client.force_login(lead_of_org_a)
    assert client.post(url("save_action", plan, action.pk), form_data(plan)).status_code == 404
    assert "Edit<span" not in client.get(url("plan", plan)).content.decode()


# --- The plan's shape ------------------------------------------------------------------------


def test_status_words_can_be_swapped_and_must_differ(client, plan, lead_of_org_a):
    client.force_login(lead_of_org_a)
    wording = services.wording_for(plan)
    data = {f"wording-{s}_label": wording[s].label for s in Status}
    data["wording-red_label"], data["wording-amber_label"] = "In progress", "Delayed"
    client.post(url("settings_part", plan, "wording"), data)
    assert services.wording_for(plan)[Status.RED].label == "In progress"
    data["wording-green_label"] = "delayed"
    response = client.post(url("settings_part", plan, "wording"), data)
    assert response.status_code == 400
    assert "Each status needs its own word." in response.content.decode()


def test_headings_are_added_and_ordered(client, plan, lead_of_org_a):
    client.force_login(lead_of_org_a)
    client.post(url("settings_part", plan, "heading"), {"heading-name": "Staff wellbeing"})
    wellbeing = plan.headings.get(own_name="Staff wellbeing")
    client.post(
        url("settings_part", plan, "move_heading"),
        {"heading": wellbeing.pk, "direction": "up"},
    )
    assert [h.name for h in plan.headings.all()][-2:] == ["Staff wellbeing", "Sustainability"]


# --- Carrying forward ------------------------------------------------------------------------


def test_starting_from_a_previous_plan_offers_its_unfinished_actions(
    client, plan, heading, org_a, lead_of_org_a
):
    services.add_action(heading(), by=None, title="Finished", status=Status.COMPLETE)
    late = services.add_action(heading(), by=None, title="Late", status=Status.RED)
    client.force_login(lead_of_org_a)
    response = client.post(
        reverse("actionplans:start", args=["aldermoor"]),
        {
            "starts_on": "2028-12",
            "horizon_months": "36",
            "timing_style": TimingStyle.PHASES,
            "previous": plan.pk,
        },
    )
    nxt = ActionPlan.objects.exclude(pk=plan.pk).get()
    assert response.url == url("carry_forward", nxt)
    page = client.get(response.url).content.decode()
    assert "Late" in page
    assert "Finished" not in page
    client.post(url("carry_forward", nxt), {"action": [late.pk]})
    carried = nxt.actions.get()
    assert (carried.title, carried.carried_from_id, carried.lineage) == (
        "Late",
        late.pk,
        late.lineage,
    )


# --- Constant queries ------------------------------------------------------------------------


@pytest.mark.parametrize("count", [10, 300])
def test_the_plan_page_runs_in_constant_queries(
    client, plan, heading, lead_of_org_a, django_assert_max_num_queries, count
):
    phase = plan.phases.get(position=2)
    headings = list(plan.headings.all())
    Action.objects.bulk_create(
        Action(
            plan=plan,
            heading=headings[n % 4],
            position=n,
            title=f"Action {n}",
            led_by="PL",
            status=Status.AMBER,
        )
        for n in range(count)
    )
    for action in plan.actions.all()[:5]:
        services.set_phase_targets(action, {phase.pk: date(2027, 9, 1)})
    review = services.start_review(
        plan,
        by=lead_of_org_a,
        reviewed_on=date(2027, 6, 1),
        period_from=date(2026, 12, 1),
        period_to=date(2027, 5, 1),
    )
    services.finalise_review(review, by=lead_of_org_a)
    client.force_login(lead_of_org_a)
    with django_assert_max_num_queries(22):
        page = client.get(url("plan", plan)).content.decode()
    assert page.count('class="action-row') == count


def test_the_plan_is_linked_from_the_self_assessment_that_asks_for_it(
    client, plan, org_a, lead_of_org_a
):
    from assessments import services as assessment_services
    from signatories.models import Organisation

    Organisation.objects.filter(pk=org_a.pk).update(signed_on=date(2025, 12, 1))
    org_a.refresh_from_db()
    assessment = assessment_services.start_assessment(
        org_a, by=lead_of_org_a, today=date(2026, 11, 25)
    )
    section = reverse("assessments:section", args=["aldermoor", assessment.pk, 4])
    client.force_login(lead_of_org_a)
    assert (
        "No action plan is linked to this self-assessment yet."
        in client.get(section).content.decode()
    )
    details = {
        "details-title": plan.title,
        "details-starts_on": "Dec 2026",
        "details-ends_on": "Nov 2028",
        "details-horizon_months": "24",
        "details-timing_style": TimingStyle.PHASES,
        "details-assessment": assessment.pk,
    }
    client.post(url("settings_part", plan, "details"), details)
    plan.refresh_from_db()
    assert plan.assessment == assessment
    page = client.get(section).content.decode()
    assert f'This cycle\'s action plan, <a href="{url("plan", plan)}">' in page


def test_an_htmx_request_after_the_session_ended_answers_401_not_the_sign_in_page(
    client, plan, action
):
    response = client.post(url("save_action", plan, action.pk), form_data(plan), headers=HTMX)
    assert (response.status_code, response["HX-Reswap"]) == (401, "none")
    plain = client.post(url("save_action", plan, action.pk), form_data(plan))
    assert plain.status_code == 302
    assert plain.url.startswith("/accounts/login/")
