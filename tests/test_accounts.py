"""Signing in: e-mail and password, throttling (the admin's sign-in too), two factors, reset."""

import pytest
from django.urls import reverse

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
    page = client.post(response.url, {"login": "admin@example.org", "password": PASSWORD})
    assert "Too many failed login attempts." in page.content.decode()


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


def test_password_reset_sends_a_link_to_a_known_address(client, lead_of_org_a, mailoutbox):
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(
        user=lead_of_org_a, email=lead_of_org_a.email, verified=True, primary=True
    )
    client.post(reverse("account_reset_password"), {"email": "lead.a@example.org"})
    assert [m.to for m in mailoutbox] == [["lead.a@example.org"]]
    assert "/accounts/password/reset/key/" in mailoutbox[0].body


@pytest.mark.parametrize("flag", ["is_reviewer", "is_staff"])
def test_reviewers_and_administrators_must_set_up_two_factor(client, db, flag):
    user = UserFactory(email="sector@example.org", **{flag: True})
    client.force_login(user)
    response = client.get("/signatories/")
    assert response.url == reverse("mfa_activate_totp")
    final = client.get(response.url, follow=True)
    # allauth asks for the password again before an authenticator is added.
    assert final.redirect_chain[-1][0].startswith("/accounts/reauthenticate/")
    assert "must use two-factor authentication" in final.content.decode()


def test_members_are_not_forced_to_set_up_two_factor(client, contributor_of_org_a):
    client.force_login(contributor_of_org_a)
    assert client.get("/organisations/aldermoor/").status_code == 200


def test_reviewer_with_an_authenticator_reaches_the_sector_overview(client, reviewer, org_a):
    client.force_login(reviewer)
    assert client.get("/").url == "/signatories/"
    assert "University of Aldermoor" in client.get("/signatories/").content.decode()
