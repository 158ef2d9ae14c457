import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from signatories import services
from signatories.enums import Role
from signatories.models import Invitation, Membership, User
from tests.factories import UserFactory

INVITE_URL = reverse("signatories:invite", args=["aldermoor"])


@pytest.fixture
def send_invitation(
    client, lead_of_org_a, mailoutbox, django_capture_on_commit_callbacks, settings
):
    """The lead invites someone through the form; returns the path of the e-mailed link."""

    settings.SITE_URL = "https://portal.example.org"  # links never use the request's host

    def send(email="new.colleague@example.org", role=Role.CONTRIBUTOR):
        client.force_login(lead_of_org_a)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(INVITE_URL, {"email": email, "role": role})
        assert response.status_code == 302, response.content.decode()
        client.logout()
        link = re.search(r"https://portal.example.org(/invitations/\S+/)", mailoutbox[-1].body)
        return link.group(1)

    return send


def test_invitation_email_names_the_organisation_role_and_expiry(send_invitation, mailoutbox):
    send_invitation()
    message = mailoutbox[0]
    assert message.subject == (
        "Lena Aldous invites you to join University of Aldermoor "
        "on the Technician Commitment portal"
    )
    assert "as contributor" in message.body
    assert "The link works once, until" in message.body
    assert message.reply_to == ["lead.a@example.org"]


def test_an_apostrophe_in_a_name_reads_as_itself_in_the_subject(
    send_invitation, mailoutbox, org_a, lead_of_org_a
):
    """E-mail is plain text: nothing in its subject is HTML-escaped."""
    org_a.name = "St Mary's College"
    org_a.save(update_fields=["name"])
    lead_of_org_a.full_name = "Seán O'Neill"
    lead_of_org_a.save(update_fields=["full_name"])
    send_invitation()
    assert mailoutbox[0].subject == (
        "Seán O'Neill invites you to join St Mary's College on the Technician Commitment portal"
    )


def test_only_a_hash_of_the_token_is_stored(send_invitation):
    path = send_invitation()
    token = path.split("/")[2]
    assert Invitation.objects.filter(token_hash=token).exists() is False
    assert Invitation.objects.get().token_hash == services.hash_token(token)


def test_newcomer_sets_a_password_and_joins(client, send_invitation, org_a):
    path = send_invitation()
    page = client.get(path).content.decode()
    assert "Create your account" in page
    response = client.post(
        path,
        {
            "full_name": "Nia Colleague",
            "job_title": "Workshop Technician",
            "password1": "a-long-enough-passphrase",
            "password2": "a-long-enough-passphrase",
        },
    )
    assert response.url == reverse("signatories:dashboard", args=[org_a.slug])
    user = User.objects.get(email="new.colleague@example.org")
    assert (user.full_name, user.job_title, user.check_password("a-long-enough-passphrase")) == (
        "Nia Colleague",
        "Workshop Technician",
        True,
    )
    assert Membership.objects.get(user=user).role == Role.CONTRIBUTOR
    home = client.get(response.url).content.decode()
    assert "<h1>University of Aldermoor</h1>" in home
    assert "Welcome to University of Aldermoor. You have joined as contributor." in home


def test_a_used_link_cannot_be_used_again(client, send_invitation):
    path = send_invitation()
    form = {
        "full_name": "Nia",
        "password1": "a-long-enough-passphrase",
        "password2": "a-long-enough-passphrase",
    }
    client.post(path, form)
    client.logout()
    response = client.post(path, {**form, "full_name": "Impostor"})
    assert response.status_code == 410
    assert "This invitation has already been used." in response.content.decode()
    assert list(
        User.objects.filter(email="new.colleague@example.org").values_list("full_name", flat=True)
    ) == ["Nia"]


def test_an_expired_link_says_so_and_creates_nothing(client, send_invitation):
    path = send_invitation()
    Invitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    response = client.post(
        path,
        {
            "full_name": "Nia",
            "password1": "a-long-enough-passphrase",
            "password2": "a-long-enough-passphrase",
        },
    )
    page = response.content.decode()
    assert response.status_code == 410
    assert "This invitation expired on" in page
    assert "Ask Lena Aldous to invite you again." in page
    assert User.objects.filter(email="new.colleague@example.org").exists() is False


def test_links_last_seven_days(send_invitation):
    send_invitation()
    invitation = Invitation.objects.get()
    assert invitation.expires_at - invitation.created_at == timedelta(days=7)


def test_an_unknown_link_is_not_found(client, db):
    response = client.get(reverse("signatories:accept_invitation", args=["not-a-real-token"]))
    assert response.status_code == 404
    assert "This invitation link is not valid." in response.content.decode()


def test_inviting_again_replaces_the_earlier_link(client, send_invitation):
    first = send_invitation()
    second = send_invitation(role=Role.SPONSOR)
    assert client.get(first).status_code == 410
    assert "withdrawn or replaced by a newer one" in client.get(first).content.decode()
    assert "as sponsor" in client.get(second).content.decode()
    assert Invitation.objects.pending().count() == 1


def test_inviting_an_existing_member_is_refused_and_keeps_the_input(
    client, lead_of_org_a, contributor_of_org_a, mailoutbox
):
    client.force_login(lead_of_org_a)
    response = client.post(INVITE_URL, {"email": "Contributor.A@example.org", "role": Role.SPONSOR})
    page = response.content.decode()
    assert response.status_code == 200
    assert "contributor.a@example.org is already a member of University of Aldermoor." in page
    assert 'value="Contributor.A@example.org"' in page
    assert '<option value="sponsor" selected>' in page
    assert (Invitation.objects.count(), mailoutbox) == (0, [])


def test_an_invalid_address_is_listed_at_the_top_with_a_link_to_the_field(client, lead_of_org_a):
    client.force_login(lead_of_org_a)
    response = client.post(INVITE_URL, {"email": "not an address", "role": Role.CONTRIBUTOR})
    page = response.content.decode()
    assert '<a href="#id_email">E-mail address: Enter a valid email address.</a>' in page
    assert 'value="not an address"' in page
    assert "<title>Error: Invite a colleague" in page
    assert Invitation.objects.count() == 0


def test_newcomer_form_errors_keep_what_was_typed(client, send_invitation):
    path = send_invitation()
    response = client.post(
        path,
        {
            "full_name": "Nia Colleague",
            "job_title": "Technician",
            "password1": "a-long-enough-passphrase",
            "password2": "different",
        },
    )
    page = response.content.decode()
    assert (
        '<a href="#id_password2">Type the password again: The two passwords do not match.</a>'
        in page
    )
    assert 'value="Nia Colleague"' in page
    assert 'value="Technician"' in page
    assert User.objects.filter(email="new.colleague@example.org").exists() is False
    assert Invitation.objects.get().accepted_at is None


def test_someone_with_an_account_signs_in_and_joins(client, send_invitation, lead_of_org_b, org_a):
    path = send_invitation(email="lead.b@example.org", role=Role.SPONSOR)
    page = client.get(path).content.decode()
    assert "You already have an account with this e-mail address." in page
    assert client.post(path).url.startswith("/accounts/login/")
    client.force_login(lead_of_org_b)
    response = client.post(path)
    assert response.url == reverse("signatories:dashboard", args=[org_a.slug])
    assert sorted(
        Membership.objects.filter(user=lead_of_org_b).values_list("organisation__slug", "role")
    ) == [
        ("aldermoor", "sponsor"),
        ("brackenfield", "lead"),
    ]


def test_signed_in_as_someone_else_cannot_accept(client, send_invitation, lead_of_org_b):
    path = send_invitation()
    client.force_login(lead_of_org_b)
    assert "but you are signed in as lead.b@example.org" in client.get(path).content.decode()
    response = client.post(path)
    assert response.status_code == 409
    assert Membership.objects.filter(user=lead_of_org_b).count() == 1
    assert Invitation.objects.get().accepted_at is None


def test_accepting_creates_one_membership_even_when_used_twice(lead_of_org_a, org_a):
    invitation = services.invite(
        org_a, "twice@example.org", Role.CONTRIBUTOR, by=lead_of_org_a, accept_url_for=str
    )
    services.accept_invitation(invitation, full_name="Twice", password="a-long-enough-passphrase")
    with pytest.raises(services.InvitationProblem, match="already been used"):
        services.accept_invitation(
            invitation, full_name="Twice", password="a-long-enough-passphrase"
        )
    assert Membership.objects.filter(user__email="twice@example.org").count() == 1


def test_new_person_address_is_verified_for_password_reset(client, send_invitation):
    from allauth.account.models import EmailAddress

    path = send_invitation()
    client.post(
        path,
        {
            "full_name": "Nia",
            "password1": "a-long-enough-passphrase",
            "password2": "a-long-enough-passphrase",
        },
    )
    address = EmailAddress.objects.get(email="new.colleague@example.org")
    assert (address.verified, address.primary) == (True, True)


def test_an_existing_user_with_different_case_is_recognised(client, send_invitation):
    UserFactory(email="mixed@example.org")
    path = send_invitation(email="MIXED@Example.org")
    assert "You already have an account" in client.get(path).content.decode()
