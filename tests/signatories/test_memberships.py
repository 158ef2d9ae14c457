import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from signatories import services
from signatories.enums import Role
from signatories.models import Membership


def test_the_only_lead_cannot_become_a_contributor(lead_of_org_a):
    membership = Membership.objects.get(user=lead_of_org_a)
    with pytest.raises(ValidationError, match="is the only institutional lead"):
        services.change_role(membership, Role.CONTRIBUTOR)
    membership.refresh_from_db()
    assert membership.role == Role.LEAD


def test_the_only_lead_cannot_be_removed(lead_of_org_a):
    membership = Membership.objects.get(user=lead_of_org_a)
    with pytest.raises(ValidationError, match="cannot be removed"):
        services.remove_member(membership)
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_a_lead_may_step_down_once_there_is_another(lead_of_org_a, contributor_of_org_a):
    services.change_role(Membership.objects.get(user=contributor_of_org_a), Role.LEAD)
    services.change_role(Membership.objects.get(user=lead_of_org_a), Role.SPONSOR)
    roles = dict(Membership.objects.values_list("user__email", "role"))
    assert roles == {"lead.a@example.org": "sponsor", "contributor.a@example.org": "lead"}


def test_last_lead_rule_is_shown_on_the_members_page(client, lead_of_org_a):
    membership = Membership.objects.get(user=lead_of_org_a)
    client.force_login(lead_of_org_a)
    url = reverse("signatories:change_role", args=["aldermoor", membership.pk])
    response = client.post(url, {f"m{membership.pk}-role": Role.CONTRIBUTOR})
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "Lena Aldous is the only institutional lead. Make someone else a lead first." in page
    membership.refresh_from_db()
    assert membership.role == Role.LEAD


def test_removing_the_last_lead_through_the_page_explains_why(client, lead_of_org_a):
    membership = Membership.objects.get(user=lead_of_org_a)
    client.force_login(lead_of_org_a)
    response = client.post(reverse("signatories:remove_member", args=["aldermoor", membership.pk]))
    assert (
        "Lena Aldous is the only institutional lead and cannot be removed."
        in response.content.decode()
    )
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_an_organisation_without_a_lead_can_still_change_other_roles(contributor_of_org_a):
    membership = Membership.objects.get(user=contributor_of_org_a)
    assert services.change_role(membership, Role.SPONSOR).role == Role.SPONSOR


def test_one_person_belongs_to_two_organisations_and_switches(client, lead_of_org_a, org_b):
    Membership.objects.create(organisation=org_b, user=lead_of_org_a, role=Role.CONTRIBUTOR)
    client.force_login(lead_of_org_a)
    # Until they choose, people start in the first of their organisations by name.
    assert client.get("/").url == "/organisations/brackenfield/"
    page = client.get("/organisations/brackenfield/").content.decode()
    assert '<option value="aldermoor">Aldermoor</option>' in page
    response = client.post(reverse("signatories:switch"), {"organisation": "aldermoor"})
    assert response.url == "/organisations/aldermoor/"
    assert client.get("/").url == "/organisations/aldermoor/"


def test_switching_to_an_organisation_one_does_not_belong_to_is_not_found(
    client, lead_of_org_a, org_b
):
    client.force_login(lead_of_org_a)
    response = client.post(reverse("signatories:switch"), {"organisation": "brackenfield"})
    assert response.status_code == 404
    assert client.get("/").url == "/organisations/aldermoor/"


def test_duplicate_membership_is_refused_by_the_database(lead_of_org_a, org_a):
    duplicate = Membership(organisation=org_a, user=lead_of_org_a, role=Role.CONTRIBUTOR)
    with pytest.raises(ValidationError, match="already a member of the organisation"):
        duplicate.full_clean()
