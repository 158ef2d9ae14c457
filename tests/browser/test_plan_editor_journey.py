"""The plan editor changes rows in place: a lead opens a row's menu, moves an action down,
duplicates it, deletes and undoes, edits and saves a row, moves a row past one open in its editor
(what is typed there stays) and folds a heading away, and the page never reloads (a marker set on
window survives); without JavaScript the same menu moves an action through a plain form post."""

from datetime import date

import pytest

from actionplans import services
from actionplans.models import Action
from tests.browser.test_plan_journey import plan, sign_in  # noqa: F401 - the fixture

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("official_forms"),
]


@pytest.fixture
def actions(plan):  # noqa: F811 - the fixture imported above
    """Three actions under Visibility and one under Recognition, with a finalised review."""
    visibility = plan.headings.get(theme__slug="visibility")
    recognition = plan.headings.get(theme__slug="recognition")
    made = [
        services.add_action(visibility, by=plan.lead, title=title, led_by="PL")
        for title in ("Count technicians", "Publish the count", "Name technicians on papers")
    ]
    made.append(services.add_action(recognition, by=plan.lead, title="Thank technicians"))
    review = services.start_review(
        plan,
        by=plan.lead,
        reviewed_on=date(2027, 6, 1),
        period_from=date(2026, 12, 1),
        period_to=date(2027, 5, 31),
    )
    services.finalise_review(review, by=plan.lead)
    return made


def titles(page, heading):
    return page.locator(f"#heading-{heading.pk} .action-title").all_inner_texts()


def test_the_editor_changes_rows_without_reloading_the_page(
    page,
    plan,  # noqa: F811
    actions,
    live_server,
):
    from playwright.sync_api import expect

    count, publish, name, thank = actions
    visibility = count.heading
    sign_in(page, plan.lead, live_server)
    page.goto(plan.get_absolute_url())
    page.evaluate("window.stillTheSamePage = true")

    # The row menu opens in place, named after its action.
    menu = page.get_by_role("button", name="Actions Count technicians")
    expect(menu).to_have_attribute("aria-expanded", "false")
    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(page.locator(f"#action-{count.pk} #row-menu")).to_be_visible()

    # Move down: the two rows swap; the menu stays open on the moved row, focus on its button.
    page.get_by_role("button", name="Move down").click()
    expect(page.locator(f"#heading-{visibility.pk} .action-title").nth(1)).to_have_text(
        "Count technicians"
    )
    assert titles(page, visibility) == [
        "Publish the count",
        "Count technicians",
        "Name technicians on papers",
    ]
    expect(page.locator(f"#row-menu button[value='down-{count.pk}']")).to_be_focused()

    # Duplicate: the copy appears just below, ready to edit, and the heading counts it.
    page.locator(f"#row-menu button[value='duplicate-{count.pk}']").click()
    expect(page.get_by_text("Count technicians (copy)")).to_be_visible()
    copy = Action.objects.get(title="Count technicians (copy)")
    expect(page.locator(f"#edit-{copy.pk}")).to_be_focused()
    assert titles(page, visibility)[1:3] == ["Count technicians", "Count technicians (copy)"]
    expect(page.locator(f"#heading-count-{visibility.pk}")).to_have_text("(4 actions)")

    # Delete and undo.
    page.get_by_role("button", name="Actions Count technicians (copy)").click()
    page.get_by_role("button", name="Delete").click()
    expect(page.locator("#undo-notice")).to_contain_text(
        "Action ‘Count technicians (copy)’ deleted."
    )
    expect(page.locator(f"#action-{copy.pk}")).to_have_count(0)
    expect(page.locator(f"#heading-count-{visibility.pk}")).to_have_text("(3 actions)")
    expect(page.get_by_role("button", name="Undo")).to_be_focused()
    page.get_by_role("button", name="Undo").click()
    expect(page.locator(f"#action-{copy.pk}")).to_be_visible()
    assert titles(page, visibility)[1:3] == ["Count technicians", "Count technicians (copy)"]
    expect(page.locator("#undo-notice")).to_have_text("")

    # Edit and save one row.
    page.get_by_role("link", name="Edit Publish the count").click()
    form = page.locator(f"#action-{publish.pk} form.action-edit")
    form.get_by_label("Comment").fill("Figures from HR in March.")
    form.get_by_role("button", name="Save the action").click()
    expect(page.locator(f"#action-{publish.pk}")).to_contain_text("Figures from HR in March.")
    expect(page.locator(f"#edit-{publish.pk}")).to_be_focused()
    publish.refresh_from_db()
    assert publish.comment == "Figures from HR in March."

    # A row open in its editor keeps what is typed while its neighbour moves past it.
    page.get_by_role("link", name="Edit Name technicians on papers").click()
    editing = page.locator(f"#action-{name.pk} form.action-edit")
    editing.get_by_label("Comment").fill("A thought half typed")
    page.get_by_role("button", name="Actions Count technicians (copy)").click()
    page.locator(f"#row-menu button[value='down-{copy.pk}']").click()
    expect(page.locator(f"#heading-{visibility.pk} tr[id^=action-]").nth(3)).to_have_id(
        f"action-{copy.pk}"
    )
    expect(editing.get_by_label("Comment")).to_have_value("A thought half typed")

    # A heading folds away and back.
    fold = page.get_by_role("button", name="Actions under Visibility")
    expect(fold).to_have_attribute("aria-expanded", "true")
    fold.click()
    expect(fold).to_have_attribute("aria-expanded", "false")
    expect(page.locator(f"#action-{publish.pk}")).to_be_hidden()
    expect(page.locator(f"#action-{thank.pk}")).to_be_visible()
    fold.click()
    expect(page.locator(f"#action-{publish.pk}")).to_be_visible()

    # None of it reloaded the page.
    assert page.evaluate("window.stillTheSamePage") is True
    assert [a.title for a in plan.actions.live().filter(heading=visibility)] == [
        "Publish the count",
        "Count technicians",
        "Name technicians on papers",
        "Count technicians (copy)",
    ]


def test_without_javascript_the_row_menu_moves_an_action(
    browser,
    plan,  # noqa: F811
    actions,
    live_server,
    settings,
):
    from playwright.sync_api import expect

    settings.ALLOWED_HOSTS = ["localhost", "127.0.0.1"]
    count, publish, name, thank = actions
    context = browser.new_context(
        base_url=live_server.url, locale="en-GB", java_script_enabled=False
    )
    try:
        page = context.new_page()
        page.set_default_timeout(10_000)
        sign_in(page, plan.lead, live_server)
        page.goto(plan.get_absolute_url())
        expect(page.get_by_role("button", name="Actions under Visibility")).to_be_hidden()
        page.get_by_role("link", name="Actions Count technicians").click()
        page.wait_for_url(f"**?menu={count.pk}#action-{count.pk}")
        page.locator(f"#action-{count.pk}").get_by_role("button", name="Move down").click()
        page.wait_for_url(f"**?menu={count.pk}#action-{count.pk}")
        expect(page.locator(f"#heading-{count.heading_id} .action-title").nth(1)).to_have_text(
            "Count technicians"
        )
        assert [a.pk for a in plan.actions.live().filter(heading=count.heading)] == [
            publish.pk,
            count.pk,
            name.pk,
        ]
    finally:
        context.close()
