"""Signing in: e-mail and password, throttling (the admin's sign-in too), two factors, reset."""

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.urls import reverse

from techcommit.models import OutgoingEmail
from tests.factories import PASSWORD, UserFactory

LOGIN = reverse("account_login")


def sign_in(client, email, password):
    return client.post(LOGIN, {"login": email, "password": password})


def test_people_sign_in_with_their_email_address(client, lead_of_org_a):
    response = sign_in(client, "Lead.A@example.org", PASSWORD)
    assert response.url == "/"
    assert client.get("/").url == "/organisations/aldermoor/"


def test_a_wrong_password_is_reported_and_keeps_the_address(client, lead_of_org_a):
    page = sign_in(client, "lead.a@example.org", "wrong").content.decode()
    assert "There is a problem" in page
    assert "The email address and/or password you specified are not correct." in page
    assert 'value="lead.a@example.org"' in page


def test_repeated_failed_sign_ins_are_throttled_even_with_the_right_password(client, lead_of_org_a):
    for _ in range(5):
        sign_in(client, "lead.a@example.org", "wrong")
    page = sign_in(client, "lead.a@example.org", PASSWORD).content.decode()
    assert "Too many failed login attempts. Try again later." in page
    assert "_auth_user_id" not in client.session


def test_the_admin_sign_in_goes_through_the_throttled_form(client, administrator):
    response = client.get("/admin/login/?next=/admin/")
    assert response.url == "/accounts/login/?next=%2Fadmin%2F"
    for _ in range(5):
        client.post(response.url, {"login": "admin@example.org", "password": "wrong"})
    page = client.post(response.url, {"login": "admin@example.org", "password": "wrong again"})
    assert "Too many failed login attempts." in page.content.decode()
    # The right password goes on to the second factor, and no further without it.
    page = client.post(response.url, {"login": "admin@example.org", "password": PASSWORD})
    assert page.url == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session


def with_real_totp(user) -> str:
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def current_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))


def test_a_locked_account_with_a_second_factor_signs_in_with_the_password_and_the_code(client, db):
    user = UserFactory(email="rev@example.org", is_reviewer=True)
    secret = with_real_totp(user)
    for _ in range(5):
        sign_in(client, "rev@example.org", "wrong")
    assert (
        "Too many failed login attempts."
        in sign_in(client, "rev@example.org", "wrong").content.decode()
    )
    response = sign_in(client, "rev@example.org", PASSWORD)
    assert response.url == reverse("mfa_authenticate")
    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert "_auth_user_id" not in client.session, wrong
    response = client.post(reverse("mfa_authenticate"), {"code": current_code(secret)})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_a_shared_network_address_does_not_lock_everyone_behind_it(client, db):
    """Ten people at one university mistype their passwords; the eleventh still signs in."""
    for n in range(10):
        UserFactory(email=f"person{n}@example.ac.uk")
        sign_in(client, f"person{n}@example.ac.uk", "wrong")
    UserFactory(email="eleventh@example.ac.uk")
    response = sign_in(client, "eleventh@example.ac.uk", PASSWORD)
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_the_address_limit_still_holds(client, settings, db):
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "3/m/ip,5/300s/key"}
    user = UserFactory(email="rev@example.org", is_reviewer=True)
    with_real_totp(user)
    for n in range(3):
        sign_in(client, f"nobody{n}@example.org", "wrong")
    page = sign_in(client, "rev@example.org", PASSWORD).content.decode()
    assert "Too many failed login attempts." in page


def test_nobody_signs_up_on_their_own(client, db):
    page = client.get(reverse("account_signup")).content.decode()
    assert "Sign Up Closed" in page
    client.post(
        reverse("account_signup"),
        {
            "email": "x@example.org",
            "password1": "a-long-passphrase",
            "password2": "a-long-passphrase",
        },
    )
    assert not UserFactory._meta.model.objects.filter(email="x@example.org").exists()


def test_password_reset_sends_a_link_to_a_known_address(
    client, lead_of_org_a, mailoutbox, settings, django_capture_on_commit_callbacks
):
    settings.SITE_NAME = "Technician Commitment portal"
    settings.SITE_URL = "https://portal.example.org"
    EmailAddress.objects.create(
        user=lead_of_org_a, email=lead_of_org_a.email, verified=True, primary=True
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": "lead.a@example.org"})
    [message] = mailoutbox
    assert message.to == ["lead.a@example.org"]
    assert message.subject == "Technician Commitment portal: Password Reset Email"
    assert message.body.startswith("Hello from Technician Commitment portal!")
    assert "https://portal.example.org/accounts/password/reset/key/" in message.body
    assert message.body.rstrip().endswith("portal.example.org")
    for host in ("testserver", "127.0.0.1", "localhost"):
        assert host not in message.body


def test_password_reset_for_an_unknown_address_sends_nothing(
    client, db, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_reset_password"), {"email": "stranger@example.org"})
    assert response.url == reverse("account_reset_password_done")
    assert (mailoutbox, OutgoingEmail.objects.count()) == ([], 0)


@pytest.mark.parametrize("flag", ["is_reviewer", "is_staff"])
def test_reviewers_and_administrators_go_straight_from_signing_in_to_two_factor_set_up(
    client, db, flag
):
    UserFactory(email="sector@example.org", **{flag: True})
    response = sign_in(client, "sector@example.org", PASSWORD)
    response = client.get(response.url, follow=True)
    assert response.redirect_chain[-1][0] == reverse("mfa_activate_totp")
    page = response.content.decode()
    assert "must use two-factor authentication" in page
    assert 'name="code"' in page  # the set-up form itself, no second password prompt


def test_setting_up_two_factor_later_asks_for_the_password_again(client, db, settings):
    settings.ACCOUNT_REAUTHENTICATION_TIMEOUT = 0  # the sign-in is no longer recent
    UserFactory(email="sector@example.org", is_reviewer=True)
    sign_in(client, "sector@example.org", PASSWORD)
    final = client.get(reverse("mfa_activate_totp"), follow=True)
    assert final.redirect_chain[-1][0].startswith("/accounts/reauthenticate/")


def test_an_existing_authenticator_is_never_changed_without_the_password(client, db):
    user = UserFactory(email="sector@example.org", is_reviewer=True)
    with_real_totp(user)
    client.force_login(user)
    final = client.get(reverse("mfa_deactivate_totp"), follow=True)
    assert final.redirect_chain[-1][0].startswith("/accounts/reauthenticate/")


def test_members_are_not_forced_to_set_up_two_factor(client, contributor_of_org_a):
    client.force_login(contributor_of_org_a)
    assert client.get("/organisations/aldermoor/").status_code == 200


def test_reviewer_with_an_authenticator_reaches_the_sector_overview(client, reviewer, org_a):
    client.force_login(reviewer)
    assert client.get("/").url == "/signatories/"
    assert "University of Aldermoor" in client.get("/signatories/").content.decode()
