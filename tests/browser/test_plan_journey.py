"""A lead builds a small action plan with the keyboard alone: adds actions under two themes,
takes one from Appendix A, reorders, changes a status, deletes one and undoes it."""

import re
from datetime import date

import pytest
from django.test import Client

from actionplans import services
from actionplans.enums import Status
from actionplans.models import Action
from assessments.models import ExampleActivity
from signatories.enums import Role
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("official_forms"),
]


@pytest.fixture
def plan(official_forms):
    organisation = OrganisationFactory(
        name="University of Aldermoor", short_name="Aldermoor", slug="aldermoor"
    )
    lead = UserFactory(email="lead.a@example.org", full_name="Lena Aldous")
    MembershipFactory(organisation=organisation, role=Role.LEAD, user=lead)
    plan = services.create_plan(organisation, by=lead, starts_on=date(2026, 12, 1))
    services.add_phase(plan, "Phase 1", date(2026, 12, 1), date(2027, 11, 1))
    services.add_phase(plan, "Phase 2", date(2027, 12, 1), date(2028, 11, 1))
    services.add_owner_code(plan, "PL", "Project Lead")
    services.add_owner_code(plan, "HR", "Human Resources")
    plan.lead = lead
    return plan


def sign_in(page, user, live_server):
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def tab_to(page, locator, limit=250):
    """Press Tab until the element has focus: proof that the keyboard reaches it."""
    for _ in range(limit):
        if locator.evaluate("element => element === document.activeElement"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {locator}")


def add_with_keyboard(page, heading, title, led_by, phase_1=""):
    from playwright.sync_api import expect

    tab_to(page, page.get_by_role("link", name=f"Add an action under {heading}"))
    page.keyboard.press("Enter")
    form = page.get_by_role("form", name=f"New action under {heading}")
    expect(form.get_by_label("Action", exact=True)).to_be_focused()
    page.keyboard.type(title)
    tab_to(page, form.get_by_label("Led by"))
    page.keyboard.type(led_by)
    if phase_1:
        tab_to(page, form.get_by_label("Phase 1 target"))
        page.keyboard.type(phase_1)
    page.keyboard.press("Control+Enter")
    row = page.get_by_role("row").filter(has_text=title)
    expect(row).to_be_visible()
    return row


def table_titles(page):
    return page.locator("#plan-table .action-title").all_inner_texts()


def test_a_lead_builds_a_plan_with_the_keyboard_alone(page, plan, live_server):
    from playwright.sync_api import expect

    sign_in(page, plan.lead, live_server)
    page.goto(plan.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_have_text(plan.title)

    add_with_keyboard(page, "Visibility", "Publish a technician headcount", "pl", "Mar 2027")
    first = Action.objects.get(title="Publish a technician headcount")
    assert (first.led_by, first.heading.name) == ("PL", "Visibility")
    assert [t.month for t in first.phase_targets.all()] == [date(2027, 3, 1)]
    expect(page.locator(f"#edit-{first.pk}")).to_be_focused()

    add_with_keyboard(page, "Visibility", "Name technicians on papers", "PL/HR")
    add_with_keyboard(page, "Career Development", "Map career pathways", "HR")
    assert table_titles(page) == [
        "Publish a technician headcount",
        "Name technicians on papers",
        "Map career pathways",
    ]

    # An unknown code is refused in words, with everything typed kept.
    tab_to(page, page.get_by_role("link", name="Add an action under Sustainability"))
    page.keyboard.press("Enter")
    form = page.get_by_role("form", name="New action under Sustainability")
    expect(form.get_by_label("Action", exact=True)).to_be_focused()
    page.keyboard.type("Start an apprenticeship scheme")
    tab_to(page, form.get_by_label("Led by"))
    page.keyboard.type("XY")
    page.keyboard.press("Control+Enter")
    expect(form.get_by_role("alert")).to_contain_text("‘XY’ is not in the plan's key.")
    expect(form.get_by_label("Action", exact=True)).to_have_value("Start an apprenticeship scheme")
    expect(form.get_by_role("alert")).to_be_focused()
    page.keyboard.press("Tab")
    expect(form.get_by_role("link", name="Led by: ‘XY’ is not in the plan's key.")).to_be_focused()
    page.keyboard.press("Enter")
    expect(form.get_by_label("Led by")).to_be_focused()
    page.keyboard.press("Control+a")
    page.keyboard.type("HR")
    page.keyboard.press("Control+Enter")
    expect(
        page.get_by_role("row").filter(has_text="Start an apprenticeship scheme")
    ).to_be_visible()

    # Reorder: the second action's menu moves it above the first; focus stays on its button.
    second = Action.objects.get(title="Name technicians on papers")
    tab_to(page, page.get_by_role("button", name="Actions Name technicians on papers"))
    page.keyboard.press("Enter")
    expect(page.locator(f"#menu-{second.pk}")).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_role("button", name="Move up")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#plan-table .action-title").first).to_have_text(
        "Name technicians on papers"
    )
    expect(page.locator(f"#row-menu button[value='up-{second.pk}']")).to_be_focused()
    assert table_titles(page)[:2] == [
        "Name technicians on papers",
        "Publish a technician headcount",
    ]
    # Escape closes the menu, back on its button; arrow keys move between rows on the same
    # kind of control.
    page.keyboard.press("Escape")
    expect(page.locator(f"#menu-{second.pk}")).to_be_focused()
    expect(page.locator("#row-menu")).to_have_count(0)
    page.keyboard.press("ArrowDown")
    expect(page.locator(f"#menu-{first.pk}")).to_be_focused()

    # Change a status: Edit, choose the word, save.
    tab_to(page, page.locator(f"#edit-{first.pk}"))
    page.keyboard.press("Enter")
    form = page.get_by_role("form", name="Edit ‘Publish a technician headcount’")
    expect(form.get_by_label("Action", exact=True)).to_be_focused()
    tab_to(page, form.get_by_label("Status"))
    page.keyboard.press("ArrowDown")  # Not started -> Delayed
    page.keyboard.press("ArrowDown")  # -> In progress
    tab_to(page, form.get_by_label("Comment"))
    page.keyboard.type("HR data arrives in March.")
    page.keyboard.press("Control+Enter")
    row = page.locator(f"#action-{first.pk}")
    expect(row.get_by_role("cell").nth(4)).to_have_text("▲ In progress")
    expect(row).to_contain_text("HR data arrives in March.")
    first.refresh_from_db()
    assert (first.status, first.comment) == (Status.AMBER, "HR data arrives in March.")

    # Escape leaves an edit without saving.
    tab_to(page, page.locator(f"#edit-{first.pk}"))
    page.keyboard.press("Enter")
    expect(page.locator(f"#a{first.pk}-title")).to_be_focused()
    page.keyboard.type(" – not meant")
    page.keyboard.press("Escape")
    expect(page.locator(f"#action-{first.pk} .action-title")).to_have_text(
        "Publish a technician headcount"
    )

    # Delete, then undo.
    third = Action.objects.get(title="Map career pathways")
    tab_to(page, page.locator(f"#menu-{third.pk}"))
    page.keyboard.press("Enter")
    tab_to(page, page.get_by_role("button", name="Delete"))
    page.keyboard.press("Enter")
    expect(page.locator("#undo-notice")).to_contain_text("Action ‘Map career pathways’ deleted.")
    expect(page.get_by_role("button", name="Undo")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator(f"#action-{third.pk}")).to_be_visible()

    # One of Appendix A's examples becomes a draft action under its theme.
    example = ExampleActivity.objects.get(theme__slug="recognition", position=4)
    tab_to(page, page.locator("summary").filter(has_text="Recognition"))
    page.keyboard.press("Enter")
    tab_to(page, page.get_by_role("button", name=f"Add ‘{example.text}’ as an action"))
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"\?edit=\d+#action-\d+$"))
    added = Action.objects.get(title=example.text)
    form = page.locator(f"#action-{added.pk} form.action-edit")
    expect(form.get_by_label("Action", exact=True)).to_be_focused()
    page.keyboard.press("Control+Enter")
    expect(page.locator(f"#edit-{added.pk}")).to_be_visible()
    assert added.heading.name == "Recognition"
    expect(page.locator(f"#action-{added.pk}")).to_contain_text("Not started")

    # Everything reads back after a reload.
    page.goto(plan.get_absolute_url())
    assert table_titles(page) == [
        "Name technicians on papers",
        "Publish a technician headcount",
        example.text,
        "Map career pathways",
        "Start an apprenticeship scheme",
    ]


@pytest.fixture
def one_action(plan):
    return services.add_action(
        plan.headings.get(theme__slug="visibility"), by=plan.lead, title="Hold a technician fair"
    )


def open_editor(page, action):
    from playwright.sync_api import expect

    page.locator(f"#edit-{action.pk}").click()
    form = page.locator(f"#action-{action.pk} form.action-edit")
    expect(form.get_by_label("Action", exact=True)).to_be_focused()
    # Nothing more is on its way to replace the row once it is open.
    page.wait_for_load_state("networkidle")
    return form


def test_a_save_after_the_session_ended_keeps_the_typing_and_says_so(
    page, plan, one_action, live_server
):
    from django.contrib.sessions.models import Session
    from playwright.sync_api import expect

    page.expected_errors += ["Response Status Error Code 401", "htmx:responseError"]
    sign_in(page, plan.lead, live_server)
    page.goto(plan.get_absolute_url())
    form = open_editor(page, one_action)
    form.get_by_label("Comment").fill("Written after lunch.")
    expect(form.get_by_label("Comment")).to_have_value("Written after lunch.")
    Session.objects.all().delete()
    form.get_by_role("button", name="Save the action").click()
    notice = form.get_by_role("alert")
    expect(notice).to_contain_text("You have been signed out, so this was not saved.")
    expect(notice).to_be_focused()
    expect(form.get_by_label("Comment")).to_have_value("Written after lunch.")
    assert notice.get_by_role("link", name="Sign in again in a new tab").get_attribute("href") == (
        f"/accounts/login/?next=%2Forganisations%2Faldermoor%2Faction-plans%2F{plan.pk}%2F"
    )

    # Signed in again (here, by a fresh session), the same form saves what was typed.
    sign_in(page, plan.lead, live_server)
    form.get_by_role("button", name="Save the action").click()
    expect(page.locator(f"#action-{one_action.pk}")).to_contain_text("Written after lunch.")
    one_action.refresh_from_db()
    assert one_action.comment == "Written after lunch."


def test_a_save_on_a_dropped_connection_keeps_the_typing_and_says_so(
    page, plan, one_action, live_server
):
    from playwright.sync_api import expect

    page.expected_errors += ["htmx:sendError", "htmx:afterRequest"]
    sign_in(page, plan.lead, live_server)
    page.goto(plan.get_absolute_url())
    form = open_editor(page, one_action)
    form.get_by_label("Comment").fill("Written on the train.")
    page.route("**/save/", lambda route: route.abort("internetdisconnected"))
    form.get_by_role("button", name="Save the action").click()
    expect(form.get_by_role("alert")).to_contain_text("Not saved – check your connection.")
    expect(form.get_by_label("Comment")).to_have_value("Written on the train.")
    page.unroute("**/save/")
    form.get_by_role("button", name="Save the action").click()
    expect(page.locator(f"#action-{one_action.pk}")).to_contain_text("Written on the train.")
    one_action.refresh_from_db()
    assert one_action.comment == "Written on the train."
