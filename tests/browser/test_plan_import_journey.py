"""Importing a phased plan exported from a spreadsheet, as the lead: no column is dropped
silently (an unmapped column is named with its values), phase columns without dates ask for
their months on the preview, and every owner code of the file is kept."""

from datetime import date

import pytest
from django.test import Client

from actionplans import services
from actionplans.models import Action
from signatories.enums import Role
from tests.browser.test_accessibility import AXE, CHECK, RULES
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("official_forms"),
]

CSV = "\n".join(
    [
        "theme,action,led_by,phase_1,phase_2,phase_3,success_criteria,rag,budget",
        "Visibility,Publish a yearly census of technical roles,PS/PL,Mar 2027,,,Census online,"
        "Not started,£200",
        "Recognition,Run a technician awards evening,G/PT,,Oct 2027,,Awards held,In progress,",
        "Sustainability,Start an apprenticeship scheme,PS/G,,,Sep 2028,Four apprentices,Delayed,"
        "£1500",
        "",
    ]
)


@pytest.fixture
def empty_plan(official_forms):
    organisation = OrganisationFactory(
        name="Brackenfield Institute", short_name="Brackenfield", slug="brackenfield"
    )
    lead = UserFactory(email="lead.b@example.org", full_name="Bea Lowther")
    MembershipFactory(organisation=organisation, role=Role.LEAD, user=lead)
    plan = services.create_plan(organisation, by=lead, starts_on=date(2027, 1, 1))
    return plan, lead


def test_a_phased_plan_without_dates_imports_with_every_code(
    page, empty_plan, live_server, tmp_path
):
    from playwright.sync_api import expect

    plan, lead = empty_plan
    client = Client()
    client.force_login(lead)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    file = tmp_path / "phased.csv"
    file.write_text(CSV)
    page.goto(f"{plan.get_absolute_url()}import/")
    page.get_by_label("Spreadsheet").set_input_files(str(file))
    page.get_by_role("button", name="Upload and check").click()

    warning = page.locator(".unmapped-column")
    expect(warning).to_have_text("Column I ‘budget’: for example ‘£200’, ‘£1500’")
    expect(page.get_by_role("heading", name="When each phase runs")).to_be_visible()
    page.evaluate(AXE)
    assert page.evaluate(CHECK, RULES) == []

    for name, first, last in [
        ("Phase 1", "Jan 2027", "Dec 2027"),
        ("Phase 2", "Jan 2028", "Jun 2028"),
        ("Phase 3", "Jul 2028", "Dec 2028"),
    ]:
        page.get_by_label(f"First month of {name}").fill(first)
        page.get_by_label(f"Last month of {name}").fill(last)
    page.get_by_role("button", name="Check again").last.click()
    expect(page.get_by_role("columnheader", name="Phase 1 (Jan 2027 to Dec 2027)")).to_be_visible()
    expect(page.get_by_role("cell", name="Mar 2027")).to_be_visible()
    for code in ["PS", "PL", "G", "PT"]:
        page.get_by_label(f"Add ‘{code}’ to the key").check()
    page.get_by_role("button", name="Import 3 actions").click()
    expect(page.get_by_text("Imported 3 actions from ‘phased.csv’.")).to_be_visible()

    assert list(plan.owner_codes.values_list("code", flat=True)) == ["PS", "PL", "G", "PT"]
    assert list(
        Action.objects.filter(plan=plan).order_by("pk").values_list("led_by", flat=True)
    ) == [
        "PS/PL",
        "G/PT",
        "PS/G",
    ]
    assert [(p.name, p.starts_on) for p in plan.phases.all()] == [
        ("Phase 1", date(2027, 1, 1)),
        ("Phase 2", date(2028, 1, 1)),
        ("Phase 3", date(2028, 7, 1)),
    ]
