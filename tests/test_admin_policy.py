"""The Django admin is for superusers only: administrators (staff who are not superusers) work in
the portal's own Administration, and are refused the admin with a 403 page. The admin is served
the portal's strict Content-Security-Policy, unchanged: it needs no inline script or style
(tests/browser/test_admin_csp.py runs its add page in a browser)."""

import pytest

from tests.conftest import with_totp
from tests.factories import UserFactory

ADMIN_PAGES = ["/admin/", "/admin/signatories/organisation/", "/admin/signatories/user/1/change/"]


@pytest.fixture
def staff_administrator(db):
    """A portal administrator who is not a superuser."""
    user = UserFactory(email="staff@example.org", full_name="Sam Taff", is_staff=True)
    return with_totp(user)


@pytest.mark.parametrize("path", ADMIN_PAGES)
@pytest.mark.parametrize("persona", ["staff_administrator", "reviewer", "lead_of_org_a"])
def test_only_superusers_may_open_the_admin(client, request, persona, path):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(path, follow=True)
    assert response.status_code == 403
    page = response.content.decode()
    assert "You cannot do that here" in page
    assert "Technician Commitment portal administration" not in page
    assert "Site administration" not in page


def test_a_staff_administrator_still_works_in_the_portals_administration(
    client, staff_administrator, org_a
):
    client.force_login(staff_administrator)
    response = client.get("/administration/organisations/")
    assert response.status_code == 200
    assert org_a.name in response.content.decode()


@pytest.mark.parametrize("path", ADMIN_PAGES[:2])
def test_a_superuser_opens_the_admin(client, administrator, path):
    client.force_login(administrator)
    response = client.get(path)
    assert response.status_code == 200
    assert "Technician Commitment portal administration" in response.content.decode()


def test_someone_signed_out_is_sent_to_the_portals_sign_in(client, db):
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0] == "/accounts/login/?next=%2Fadmin%2F"
    assert "Sign in" in response.content.decode()


@pytest.mark.parametrize("path", ["/admin/signatories/organisation/add/", "/admin/"])
def test_the_admin_has_the_same_strict_policy_as_every_page(client, administrator, path):
    client.force_login(administrator)
    admin_page = client.get(path)
    home = client.get("/")
    assert admin_page.status_code == 200
    assert admin_page.headers["Content-Security-Policy"] == home.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in admin_page.headers["Content-Security-Policy"]
    assert "unsafe-eval" not in admin_page.headers["Content-Security-Policy"]
