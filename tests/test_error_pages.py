"""Errors people can read: branded 400, 403 (and the CSRF failure), 404, 429 and 500 pages,
each saying what to do next with a way back home; the maintenance page (503) when the database
cannot be reached. DEBUG is off here, as in production (pytest-django turns it off)."""

import re

import pytest
from django.template.loader import render_to_string
from django.test import Client, RequestFactory

from techcommit.views import server_error
from tests.processes import run


def text_of(response) -> str:
    html = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def assert_branded(response, heading: str):
    html = response.content.decode()
    assert f"<h1>{heading}</h1>" in html
    assert f"<title>{heading} – Technician Commitment portal</title>" in html
    assert '<a class="btn btn-primary" href="/">Go to the home page</a>' in html
    assert 'href="/accessibility/"' in html
    assert_identity(html)


def assert_identity(html: str):
    """The portal's look: its identity stylesheet, the header with its name, the footer."""
    assert re.search(r'<link rel="stylesheet" href="/static/css/identity\.[0-9a-f.]*css">', html)
    assert re.search(
        r'<header class="portal-header">.*<a class="navbar-brand fw-semibold" href="/">'
        r"Technician Commitment portal</a>",
        html,
        re.S,
    )
    assert '<footer class="portal-footer py-3 mt-4">' in html
    assert "open-source software for signatories" in html
    assert 'href="/open-data/"' in html


@pytest.fixture
def failing(settings):
    settings.ROOT_URLCONF = "tests.error_urls"
    return Client(raise_request_exception=False)


def test_a_missing_page_is_a_branded_404(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert_branded(response, "Page not found")
    assert "signatories directory" in text_of(response)


def test_a_bad_request_is_a_branded_400(failing, db):
    response = failing.get("/test-errors/suspicious/")
    assert response.status_code == 400
    assert_branded(response, "Something was wrong with that request")
    assert "Tampered" not in text_of(response)


def test_a_refusal_is_a_branded_403(failing, db):
    response = failing.get("/test-errors/forbidden/")
    assert response.status_code == 403
    assert_branded(response, "You cannot do that here")


def test_an_expired_form_is_a_branded_403_that_says_so(db):
    response = Client(enforce_csrf_checks=True).post(
        "/accounts/login/", {"login": "someone@example.org", "password": "x"}
    )
    assert response.status_code == 403
    assert_branded(response, "The form had expired")
    assert "reload the page, and send the form again" in text_of(response)


def test_too_many_requests_are_a_branded_429(client, db, settings):
    # Password reset requests are throttled per address (allauth answers with its 429 page).
    settings.ACCOUNT_RATE_LIMITS = {"reset_password": "2/m/ip"}
    for _ in range(3):
        response = client.post("/accounts/password/reset/", {"email": "someone@example.org"})
    assert response.status_code == 429
    assert_branded(response, "Too many attempts")
    assert "Wait a few minutes, then try again." in text_of(response)


def test_a_bug_is_a_branded_500(failing, db):
    response = failing.get("/test-errors/broken/")
    assert response.status_code == 500
    assert_branded(response, "Sorry, something went wrong")
    assert "A bug." not in text_of(response)


def test_a_database_error_with_the_database_up_is_a_500_not_maintenance(failing, db):
    response = failing.get("/test-errors/locked/")
    assert response.status_code == 500
    assert_branded(response, "Sorry, something went wrong")


def test_the_500_page_needs_no_request_context_and_no_database():
    # No database fixture: any query would fail this test.
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert_branded(response, "Sorry, something went wrong")


@pytest.mark.parametrize(
    ("name", "heading"),
    [
        ("400.html", "Something was wrong with that request"),
        ("403.html", "You cannot do that here"),
        ("403_csrf.html", "The form had expired"),
        ("404.html", "Page not found"),
        ("429.html", "Too many attempts"),
        ("500.html", "Sorry, something went wrong"),
        ("503.html", "The portal is unavailable for a moment"),
    ],
)
def test_every_error_page_has_the_portals_identity_without_a_request_or_database(name, heading):
    # No request, no context processors, no database fixture (a query would fail the test).
    html = render_to_string(name)
    assert f"<h1>{heading}</h1>" in html
    assert_identity(html)


def test_with_the_database_unreachable_pages_are_the_maintenance_page():
    code = (
        "import django; django.setup()\n"
        "from django.conf import settings; settings.DEBUG = False\n"
        "from django.test.utils import setup_test_environment; setup_test_environment()\n"
        "from django.test import Client\n"
        "r = Client(raise_request_exception=False).get('/directory/')\n"
        "print(r.status_code, r['Retry-After'])\n"
        "print(r.content.decode())\n"
    )
    # Port 1 on the loopback interface: nothing listens there, so the connection is refused.
    result = run(
        code,
        DJANGO_SETTINGS_MODULE="techcommit.settings",
        DEBUG="true",
        DATABASE_URL="postgres://postgres@127.0.0.1:1/unreachable",
    )
    status, _, page = result.stdout.partition("\n")
    assert status == "503 120", result.stderr[-3000:]
    assert "<h1>The portal is unavailable for a moment</h1>" in page
    assert "cannot reach its database just now" in page
    assert '<a class="btn btn-primary" href="/">Go to the home page</a>' in page
    assert_identity(page)
