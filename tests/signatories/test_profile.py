"""Everyone signed in keeps their own name, job title and telephone number."""

import pytest
from django.urls import reverse

from tests.conftest import PERSONAS
from tests.matrix import is_allowed, outcome


@pytest.mark.parametrize(
    ("person", "result"),
    [pytest.param(p, "login" if p == "anonymous" else 302, id=p) for p in PERSONAS],
    indirect=["person"],
)
def test_each_person_changes_only_their_own_details(client_as, person, result, lead_of_org_a):
    response = client_as(person).post(
        reverse("signatories:profile"),
        {"full_name": "  Nia   Owens ", "job_title": "Technical manager", "telephone": "029 0000"},
    )
    assert outcome(response) == result
    if is_allowed(result):
        person.refresh_from_db()
        assert (person.full_name, person.job_title, person.telephone) == (
            "Nia Owens",
            "Technical manager",
            "029 0000",
        )
    if person is None or person.pk != lead_of_org_a.pk:
        lead_of_org_a.refresh_from_db()
        assert lead_of_org_a.full_name == "Lena Aldous"


def test_a_missing_name_is_explained_and_what_was_typed_is_kept(client, lead_of_org_a):
    client.force_login(lead_of_org_a)
    response = client.post(
        reverse("signatories:profile"),
        {"full_name": " ", "job_title": "Chief technician", "telephone": ""},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert '<a href="#id_full_name">Full name: This field is required.</a>' in page
    assert 'value="Chief technician"' in page
    lead_of_org_a.refresh_from_db()
    assert lead_of_org_a.full_name == "Lena Aldous"


def test_the_profile_page_shows_the_current_details(client, lead_of_org_a):
    client.force_login(lead_of_org_a)
    page = client.get(reverse("signatories:profile")).content.decode()
    assert "<h1>Your details</h1>" in page
    assert 'value="Lena Aldous"' in page
    assert "You sign in with lead.a@example.org" in page
