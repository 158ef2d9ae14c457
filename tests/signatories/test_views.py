"""Every organisation page and action, for every persona: what they see and what changes."""

import pytest
from django.urls import reverse

from signatories.enums import Role
from signatories.models import Invitation, Membership
from tests.factories import MembershipFactory, UserFactory
from tests.matrix import is_allowed, matrix, outcome

MEMBERS_OF_A = {"lead_of_org_a", "contributor_of_org_a", "sponsor_of_org_a", "leader_of_org_a"}
MANAGERS_OF_A = {"lead_of_org_a", "administrator"}


@pytest.mark.parametrize(
    ("person", "result"), matrix(MEMBERS_OF_A | {"reviewer", "administrator"}), indirect=["person"]
)
def test_dashboard(client_as, person, org_a, result):
    response = client_as(person).get(reverse("signatories:dashboard", args=[org_a.slug]))
    assert outcome(response) == result
    if is_allowed(result):
        assert response.status_code == 200
        assert "<h1>University of Aldermoor</h1>" in response.content.decode()


@pytest.mark.parametrize(
    ("person", "result"), matrix(MEMBERS_OF_A | {"administrator"}), indirect=["person"]
)
def test_members_page(client_as, person, org_a, lead_of_org_a, result):
    response = client_as(person).get(reverse("signatories:members", args=[org_a.slug]))
    assert outcome(response) == result
    if is_allowed(result):
        page = response.content.decode()
        assert "lead.a@example.org" in page
        assert ("Invite a colleague" in page) is (
            person.email in {"lead.a@example.org", "admin@example.org"}
        )


@pytest.mark.parametrize(("person", "result"), matrix(MANAGERS_OF_A), indirect=["person"])
def test_invite_page(client_as, person, org_a, result):
    response = client_as(person).get(reverse("signatories:invite", args=[org_a.slug]))
    assert outcome(response) == result


@pytest.mark.parametrize(("person", "result"), matrix(MANAGERS_OF_A, ok=302), indirect=["person"])
def test_sending_an_invitation(
    client_as, person, org_a, result, mailoutbox, django_capture_on_commit_callbacks
):
    url = reverse("signatories:invite", args=[org_a.slug])
    with django_capture_on_commit_callbacks(execute=True):
        response = client_as(person).post(
            url, {"email": "New.Person@Example.org", "role": Role.CONTRIBUTOR}
        )
    assert outcome(response) == result
    invitations = list(Invitation.objects.values_list("organisation__slug", "email", "role"))
    if is_allowed(result):
        assert response.status_code == 302
        assert invitations == [("aldermoor", "new.person@example.org", "contributor")]
        assert [m.to for m in mailoutbox] == [["new.person@example.org"]]
    else:
        assert (invitations, mailoutbox) == ([], [])


@pytest.mark.parametrize(("person", "result"), matrix(MANAGERS_OF_A, ok=302), indirect=["person"])
def test_changing_a_role(client_as, person, org_a, contributor_of_org_a, result):
    membership = Membership.objects.get(user=contributor_of_org_a)
    url = reverse("signatories:change_role", args=[org_a.slug, membership.pk])
    response = client_as(person).post(url, {f"m{membership.pk}-role": Role.SPONSOR})
    assert outcome(response) == result
    membership.refresh_from_db()
    assert membership.role == (Role.SPONSOR if is_allowed(result) else Role.CONTRIBUTOR)


@pytest.mark.parametrize(("person", "result"), matrix(MANAGERS_OF_A, ok=302), indirect=["person"])
def test_removing_a_member(client_as, person, org_a, lead_of_org_a, result):
    target = MembershipFactory(
        organisation=org_a, role=Role.CONTRIBUTOR, user=UserFactory(email="leaving@example.org")
    )
    url = reverse("signatories:remove_member", args=[org_a.slug, target.pk])
    client = client_as(person)
    assert outcome(client.get(url)) == (200 if is_allowed(result) else result)
    response = client.post(url)
    assert outcome(response) == result
    assert Membership.objects.filter(pk=target.pk).exists() is (not is_allowed(result))


@pytest.mark.parametrize(("person", "result"), matrix(MANAGERS_OF_A, ok=302), indirect=["person"])
def test_withdrawing_an_invitation(client_as, person, org_a, lead_of_org_a, result):
    from signatories import services

    invitation = services.invite(
        org_a, "someone@example.org", Role.CONTRIBUTOR, by=lead_of_org_a, accept_url_for=str
    )
    url = reverse("signatories:revoke_invitation", args=[org_a.slug, invitation.pk])
    response = client_as(person).post(url)
    assert outcome(response) == result
    invitation.refresh_from_db()
    assert (invitation.revoked_at is not None) is is_allowed(result)


def test_a_member_cannot_reach_another_organisations_member_through_their_own_slug(
    client, org_a, lead_of_org_a, lead_of_org_b
):
    other = Membership.objects.get(user=lead_of_org_b)
    client.force_login(lead_of_org_a)
    url = reverse("signatories:change_role", args=[org_a.slug, other.pk])
    response = client.post(url, {f"m{other.pk}-role": Role.CONTRIBUTOR})
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.role == Role.LEAD


@pytest.mark.parametrize("name", ["change_role", "revoke_invitation"])
def test_get_to_an_action_url_changes_nothing(
    client, org_a, lead_of_org_a, contributor_of_org_a, name
):
    membership = Membership.objects.get(user=contributor_of_org_a)
    client.force_login(lead_of_org_a)
    response = client.get(reverse(f"signatories:{name}", args=[org_a.slug, membership.pk]))
    assert response.status_code == 405
    membership.refresh_from_db()
    assert membership.role == Role.CONTRIBUTOR


def test_get_to_the_remove_url_only_asks_for_confirmation(
    client, org_a, lead_of_org_a, contributor_of_org_a
):
    membership = Membership.objects.get(user=contributor_of_org_a)
    client.force_login(lead_of_org_a)
    response = client.get(reverse("signatories:remove_member", args=[org_a.slug, membership.pk]))
    assert "Remove Carl Ash from University of Aldermoor?" in response.content.decode()
    assert Membership.objects.filter(pk=membership.pk).exists()
