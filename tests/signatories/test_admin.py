"""The Django admin is the administrators' tool for now: its forms must refuse bad input clearly."""

from datetime import date

from signatories.enums import Role
from signatories.models import Membership, Organisation

ADD_URL = "/admin/signatories/organisation/add/"


def organisation_form(**overrides):
    data = {
        "name": "Northfield University",
        "short_name": "Northfield",
        "slug": "northfield",
        "kind": "university",
        "nation": "england",
        "technical_staff_count": "120",
        "status": "signatory",
        "signed_on": "2024-02-29",
        "last_assessed_on": "",
        "webpage": "https://northfield.example.org/tc",
        "contact_name": "Noor Field",
        "contact_email": "tc@northfield.example.org",
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
    }
    return {**data, **overrides}


def test_administrator_adds_an_organisation(client, administrator):
    client.force_login(administrator)
    response = client.post(ADD_URL, organisation_form())
    assert response.status_code == 302
    org = Organisation.objects.get(slug="northfield")
    assert (org.name, org.signed_on, org.contact_email) == (
        "Northfield University",
        date(2024, 2, 29),
        "tc@northfield.example.org",
    )


def test_a_slug_clash_is_explained_and_the_input_kept(client, administrator, org_a):
    client.force_login(administrator)
    response = client.post(ADD_URL, organisation_form(slug="aldermoor"))
    page = response.content.decode()
    assert "Another organisation already uses this slug in its addresses." in page
    assert 'value="Northfield University"' in page
    assert Organisation.objects.filter(name="Northfield University").exists() is False


def test_an_invalid_contact_address_is_refused(client, administrator):
    client.force_login(administrator)
    page = client.post(ADD_URL, organisation_form(contact_email="not-an-address")).content
    assert "Enter a valid email address." in page.decode()
    assert Organisation.objects.count() == 0


def test_a_self_assessment_before_signing_is_refused(client, administrator):
    client.force_login(administrator)
    response = client.post(ADD_URL, organisation_form(last_assessed_on="2023-01-01"))
    assert "A self-assessment cannot come before the date signed." in response.content.decode()
    assert Organisation.objects.count() == 0


def membership_rows(org, rows):
    data = {
        "memberships-TOTAL_FORMS": str(len(rows)),
        "memberships-INITIAL_FORMS": str(sum(1 for r in rows if "id" in r)),
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"memberships-{i}-{key}"] = value
        data[f"memberships-{i}-organisation"] = str(org.pk)
    return data


def change_form(org, rows):
    base = organisation_form(
        name=org.name, short_name=org.short_name, slug=org.slug, signed_on="2020-01-15"
    )
    return {**base, **membership_rows(org, rows)}


def test_the_admin_keeps_the_last_lead(client, administrator, org_a, lead_of_org_a):
    membership = Membership.objects.get(user=lead_of_org_a)
    client.force_login(administrator)
    url = f"/admin/signatories/organisation/{org_a.pk}/change/"
    rows = [{"id": str(membership.pk), "user": str(lead_of_org_a.pk), "role": Role.CONTRIBUTOR}]
    page = client.post(url, change_form(org_a, rows)).content.decode()
    assert "An organisation always keeps at least one institutional lead." in page
    membership.refresh_from_db()
    assert membership.role == Role.LEAD


def test_the_admin_refuses_a_duplicate_membership(client, administrator, org_a, lead_of_org_a):
    membership = Membership.objects.get(user=lead_of_org_a)
    client.force_login(administrator)
    url = f"/admin/signatories/organisation/{org_a.pk}/change/"
    rows = [
        {"id": str(membership.pk), "user": str(lead_of_org_a.pk), "role": Role.LEAD},
        {"user": str(lead_of_org_a.pk), "role": Role.SPONSOR},
    ]
    page = client.post(url, change_form(org_a, rows)).content.decode()
    assert "Please correct the duplicate data" in page
    assert Membership.objects.filter(user=lead_of_org_a).count() == 1


def test_admin_lists_can_be_filtered_and_searched(client, administrator, org_a, org_b):
    client.force_login(administrator)
    page = client.get("/admin/signatories/organisation/?q=Bracken").content.decode()
    assert "Brackenfield Institute" in page
    assert "University of Aldermoor" not in page
    assert "By nation" in client.get("/admin/signatories/organisation/").content.decode()
