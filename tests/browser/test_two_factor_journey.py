"""A steering group reviewer signs in for the first time and must set up an authenticator app."""

import re

import pytest

from tests.factories import PASSWORD, OrganisationFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def current_code(secret: str) -> str:
    from allauth.mfa.totp.internal.auth import (
        format_hotp_value,
        hotp_value,
        yield_hotp_counters_from_time,
    )

    counter = next(iter(yield_hotp_counters_from_time()))
    return format_hotp_value(hotp_value(secret, counter))


def test_reviewer_sets_up_two_factor_then_sees_the_sector(page):
    from playwright.sync_api import expect

    OrganisationFactory(name="University of Aldermoor")
    UserFactory(email="reviewer@example.org", full_name="Rhys Vaughan", is_reviewer=True)

    page.goto("/accounts/login/")
    page.get_by_label("Email").fill("reviewer@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    # Sent straight to set up two factors: the password just typed is not asked for again.
    expect(page.get_by_role("status")).to_contain_text("must use two-factor authentication")
    expect(page.get_by_role("heading", level=1)).to_have_text("Activate Authenticator App")
    expect(
        page.get_by_role("img", name="QR code to scan with your authenticator app")
    ).to_be_visible()
    secret = page.get_by_label("Authenticator secret").input_value()
    assert re.fullmatch(r"[A-Z2-7]{32}", secret)

    # A wrong code is reported at the top and on its field.
    page.get_by_label("Authenticator code").fill("000000")
    page.get_by_role("button", name="Activate").click()
    expect(page.locator(".error-summary")).to_contain_text("Incorrect code.")

    page.get_by_label("Authenticator code").fill(current_code(secret))
    page.get_by_role("button", name="Activate").click()
    # allauth shows the recovery codes next; the sector list is then one click away.
    page.get_by_role("link", name="Signatories").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Signatories and their next self-assessment"
    )
    expect(page.get_by_role("row", name=re.compile("University of Aldermoor"))).to_be_visible()
