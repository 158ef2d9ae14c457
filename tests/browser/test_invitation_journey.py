"""A lead invites a contributor, who accepts, sets a password and sees the organisation."""

import re

import pytest

from signatories.enums import Role
from signatories.models import Membership
from tests.factories import PASSWORD, MembershipFactory, OrganisationFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_lead_invites_a_contributor_who_joins(page, mailoutbox):
    from playwright.sync_api import expect

    organisation = OrganisationFactory(
        name="University of Aldermoor", short_name="Aldermoor", slug="aldermoor"
    )
    MembershipFactory(
        organisation=organisation,
        role=Role.LEAD,
        user=UserFactory(email="lead.a@example.org", full_name="Lena Aldous"),
    )

    # The lead signs in and finds the organisation's members.
    page.goto("/")
    page.get_by_role("link", name="Sign in").first.click()
    page.get_by_label("Email").fill("lead.a@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("University of Aldermoor")
    page.get_by_role("link", name="Members of Aldermoor").click()

    # A mistyped address is reported at the top, with a link to the field, and kept.
    page.get_by_role("link", name="Invite a colleague").click()
    page.get_by_label("E-mail address").fill("nia.colleague@example")
    page.get_by_label("Role").select_option(label="Contributor")
    page.get_by_role("button", name="Send invitation").click()
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    summary.get_by_role("link").click()
    expect(page.get_by_label("E-mail address")).to_be_focused()
    expect(page.get_by_label("E-mail address")).to_have_value("nia.colleague@example")

    page.get_by_label("E-mail address").fill("nia.colleague@example.org")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_role("status")).to_contain_text(
        "Invitation sent to nia.colleague@example.org."
    )
    expect(page.get_by_text("nia.colleague@example.org, as contributor.")).to_be_visible()

    # The lead signs out; the colleague follows the e-mailed link.
    page.get_by_role("button", name="Signed in as Lena Aldous").click()
    page.get_by_role("button", name="Sign out").click()
    link = re.search(r"https?://\S+/invitations/\S+/", mailoutbox[-1].body).group(0)
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Join University of Aldermoor")
    page.get_by_label("Your full name").fill("Nia Colleague")
    page.get_by_label("Job title").fill("Workshop Technician")
    page.get_by_label("Choose a password").fill("a-long-enough-passphrase")
    page.get_by_label("Type the password again").fill("a-long-enough-passphrase")
    page.get_by_role("button", name="Create account and join").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("University of Aldermoor")
    expect(page.get_by_role("status")).to_contain_text("You have joined as contributor.")
    expect(page.get_by_text("Your role: Contributor.")).to_be_visible()
    expect(page.get_by_text("First self-assessment due:")).to_be_visible()
    assert Membership.objects.get(user__email="nia.colleague@example.org").role == Role.CONTRIBUTOR

    # The link works once.
    page.goto(link)
    expect(page.get_by_role("alert")).to_contain_text("This invitation has already been used.")
