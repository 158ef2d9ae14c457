"""The admin is served the portal's strict Content-Security-Policy, unchanged: it needs no
inline script or style (tests/browser/test_admin_csp.py runs its add page in a browser)."""

import pytest


@pytest.mark.parametrize("path", ["/admin/signatories/organisation/add/", "/admin/"])
def test_the_admin_has_the_same_strict_policy_as_every_page(client, administrator, path):
    client.force_login(administrator)
    admin_page = client.get(path)
    home = client.get("/")
    assert admin_page.status_code == 200
    assert admin_page.headers["Content-Security-Policy"] == home.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in admin_page.headers["Content-Security-Policy"]
    assert "unsafe-eval" not in admin_page.headers["Content-Security-Policy"]
