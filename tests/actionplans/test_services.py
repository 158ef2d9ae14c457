"""The plan's domain rules: headings, key, wording, ordering, undo, carry forward, reviews."""

from datetime import date

import pytest

from actionplans import services
from actionplans.enums import PlanStatus, Status
from actionplans.models import Action, ActionPlan
from actionplans.services import PlanError
from assessments.models import ExampleActivity


def titles(plan):
    return [
        (a.heading.name, a.title)
        for a in plan.actions.live()
        .select_related("heading__theme")
        .order_by("heading__position", "position")
    ]


def test_a_new_plan_has_the_four_themes_and_default_wording(plan):
    assert [h.name for h in plan.headings.all()] == [
        "Visibility",
        "Recognition",
        "Career Development",
        "Sustainability",
    ]
    assert (plan.starts_on, plan.ends_on) == (date(2026, 12, 1), date(2028, 11, 1))
    assert plan.title == "University of Aldermoor Technician Commitment Action Plan 2026–2028"
    wording = services.wording_for(plan)
    assert [wording[s].label for s in Status] == [
        "Not started",
        "Delayed",
        "In progress",
        "On track",
        "Completed",
    ]


def test_own_headings_are_added_ordered_and_themes_stay(plan, heading):
    ongoing = services.add_heading(plan, "Ongoing actions")
    services.move_heading(ongoing, -4)
    assert [h.name for h in plan.headings.all()][:2] == ["Ongoing actions", "Visibility"]
    with pytest.raises(PlanError, match="already has a heading called ‘visibility’"):
        services.add_heading(plan, "visibility")
    with pytest.raises(PlanError, match="four themes are part of every plan"):
        services.delete_heading(heading("visibility"))
    services.add_action(ongoing, by=None, title="Keep going")
    with pytest.raises(PlanError, match="Move or delete the actions under ‘Ongoing actions’"):
        services.delete_heading(ongoing)


def test_actions_are_added_after_moved_across_headings_duplicated_and_undeleted(plan, heading):
    visibility, recognition = heading("visibility"), heading("recognition")
    first = services.add_action(visibility, by=None, title="One")
    third = services.add_action(visibility, by=None, title="Three")
    services.add_action(visibility, by=None, after=first, title="Two")
    assert titles(plan) == [("Visibility", "One"), ("Visibility", "Two"), ("Visibility", "Three")]
    services.move_action(third, -1)
    services.move_action(first, -1)  # already first: stays in the plan's first heading
    services.move_action(third, +1)
    services.move_action(third, +1)  # last of Visibility: first of Recognition
    assert titles(plan) == [
        ("Visibility", "One"),
        ("Visibility", "Two"),
        ("Recognition", "Three"),
    ]
    services.add_action(recognition, by=None, title="Four")
    copy = services.duplicate_action(first, by=None)
    assert titles(plan)[:3] == [
        ("Visibility", "One"),
        ("Visibility", "One (copy)"),
        ("Visibility", "Two"),
    ]
    services.delete_action(copy, by=None)
    assert ("Visibility", "One (copy)") not in titles(plan)
    services.undo_delete(copy, by=None)
    assert ("Visibility", "One (copy)") in titles(plan)


def test_a_save_from_an_old_version_is_a_conflict(plan, heading, lead_of_org_a):
    action = services.add_action(heading(), by=None, title="Count technicians")
    saved = services.save_action(action, base_version=1, by=lead_of_org_a, status=Status.AMBER)
    assert (saved.conflict, saved.action.version) == (False, 2)
    late = services.save_action(action, base_version=1, by=lead_of_org_a, status=Status.RED)
    assert late.conflict
    action.refresh_from_db()
    assert action.status == Status.AMBER


def test_led_by_is_read_against_the_key(plan):
    assert services.parse_led_by(plan, "pl / G, XX") == ("PL/G/XX", ["XX"])
    assert services.parse_led_by(plan, "PT and PL") == ("PT/PL", [])


def test_renaming_a_code_renames_it_in_every_action(plan, heading):
    action = services.add_action(heading(), by=None, title="A", led_by="PL/PT")
    other = services.add_action(heading(), by=None, title="B", led_by="PT")
    services.change_owner_code(plan.owner_codes.get(code="PL"), "LEAD", "Project Lead")
    action.refresh_from_db()
    other.refresh_from_db()
    assert (action.led_by, other.led_by) == ("LEAD/PT", "PT")
    with pytest.raises(PlanError, match="2 actions are led by ‘PT’; change them first."):
        services.delete_owner_code(plan.owner_codes.get(code="PT"))


def test_wording_stays_distinct(plan):
    services.set_wording(plan, Status.GREEN, "Completed/Start Pending")
    with pytest.raises(PlanError, match="‘completed’ already names complete"):
        services.set_wording(plan, Status.AMBER, "completed")


def test_an_example_activity_becomes_a_draft_action_under_its_theme(plan, db):
    example = ExampleActivity.objects.select_related("theme").get(
        theme__slug="sustainability", position=3
    )
    action = services.action_from_example(plan, example, by=None)
    assert (action.heading.name, action.title, action.status) == (
        "Sustainability",
        example.text,
        Status.NOT_STARTED,
    )


def test_a_plan_that_is_not_a_draft_cannot_change(plan, heading):
    ActionPlan.objects.filter(pk=plan.pk).update(status=PlanStatus.APPROVED)
    plan.refresh_from_db()
    with pytest.raises(PlanError, match="This plan is approved and cannot change."):
        services.add_action(plan.headings.first(), by=None, title="Late")


def test_unfinished_actions_carry_forward_with_their_lineage(plan, heading, org_a, lead_of_org_a):
    own = services.add_heading(plan, "Staff wellbeing")
    done = services.add_action(heading(), by=None, title="Done", status=Status.COMPLETE)
    late = services.add_action(own, by=None, title="Late", status=Status.RED, led_by="PL")
    services.add_action(heading(), by=None, title="Started", status=Status.AMBER)
    nxt = services.create_plan(
        org_a, by=lead_of_org_a, starts_on=date(2028, 12, 1), horizon_months=36, previous=plan
    )
    assert [h.name for h in nxt.headings.all()][-1] == "Staff wellbeing"
    assert list(nxt.owner_codes.values_list("code", flat=True)) == ["PL", "PT", "G"]
    offered = list(services.unfinished_actions(plan))
    assert [a.title for a in offered] == ["Started", "Late"]
    assert done not in offered
    copies = services.carry_forward(nxt, offered, by=lead_of_org_a)
    assert [(c.title, c.carried_from_id, c.lineage) for c in copies] == [
        ("Started", offered[0].pk, offered[0].lineage),
        ("Late", late.pk, late.lineage),
    ]
    assert services.carry_forward(nxt, offered, by=lead_of_org_a) == []  # never twice


def test_a_review_with_an_unexplained_red_cannot_be_finalised(plan, heading, lead_of_org_a):
    action = services.add_action(heading(), by=None, title="Late", status=Status.RED)
    review = services.start_review(
        plan,
        by=lead_of_org_a,
        reviewed_on=date(2027, 6, 1),
        period_from=date(2026, 12, 1),
        period_to=date(2027, 5, 31),
    )
    with pytest.raises(PlanError, match="1 red action needs an explanation"):
        services.finalise_review(review, by=lead_of_org_a)
    review.entries.update(comment="The survey slipped to June.", status=Status.AMBER)
    services.finalise_review(review, by=lead_of_org_a)
    assert Action.objects.get(pk=action.pk).status == Status.AMBER
