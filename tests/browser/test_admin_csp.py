"""The Django admin stays for superusers. Django 5.2's admin has no inline script or style, so it
works under the portal's strict policy as it is: its add pages, their autocomplete widgets and
calendar shortcuts run with no console errors (a policy violation is one), and /admin/ is served
the same policy as every other page (tests/test_admin_policy.py)."""

import pytest

from tests.browser.helpers import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_admin_adds_an_organisation_with_no_console_errors(page, live_server, administrator):
    sign_in(page, administrator, live_server)
    home_policy = page.goto("/").headers["content-security-policy"]
    response = page.goto("/admin/signatories/organisation/add/")
    assert response.headers["content-security-policy"] == home_policy
    assert "'unsafe-inline'" not in home_policy
    page.get_by_label("Name:", exact=True).fill("Fenmarsh College")
    page.get_by_label("Slug:", exact=True).fill("fenmarsh")
    page.get_by_label("Kind:").select_option(label="University")
    page.get_by_label("Nation:").select_option(label="Wales")
    page.get_by_label("Date signed:").fill("2020-03-01")
    page.get_by_label("Most recent self-assessment submitted on:").fill("")
    page.locator(".datetimeshortcuts").get_by_text("Today").last.click()
    # A membership row, with its autocomplete person picker (select2).
    page.get_by_text("Add another Membership").click()
    page.locator(".select2-selection").last.click()
    page.keyboard.type("Ada")
    page.get_by_role("option", name="Ada Minter").click()
    page.locator("#id_memberships-0-role").select_option(label="Institutional lead")
    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_text("was added successfully").wait_for()
    # (The page fixture fails the test on any console error, a policy violation included.)
