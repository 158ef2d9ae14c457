"""Public pages for visitors who are not signed in: no cookie and no CSRF token, cacheable
(Cache-Control, ETag, Last-Modified, 304), kept rendered on the server until something public
changes, and compressed; a signed-in person's pages are none of these."""

import gzip

import pytest
from django.test import Client
from django.urls import reverse

from publications import services
from signatories.models import Organisation
from tests.publications import test_public

# The published plan of test_public.py, and the fixtures it stands on.
aldermoor, plan, published_plan = (
    test_public.aldermoor,
    test_public.plan,
    test_public.published_plan,
)


@pytest.fixture
def urls(published_plan):
    slug = published_plan.organisation.slug
    return {
        "directory": reverse("publications:directory"),
        "organisation": reverse("publications:organisation", kwargs={"slug": slug}),
        "document": reverse(
            "publications:document", kwargs={"slug": slug, "pk": published_plan.pk}
        ),
        "csv": reverse("publications:plan_csv", kwargs={"slug": slug, "pk": published_plan.pk}),
        "json": reverse("publications:signatories_json"),
        "api": "/api/v1/signatories",
    }


@pytest.mark.parametrize("page", ["directory", "organisation", "document"])
def test_an_anonymous_public_page_sets_no_cookie_carries_no_token_and_may_be_cached(
    client, urls, page
):
    response = client.get(urls[page])
    html = response.content.decode()
    assert response.status_code == 200
    assert (dict(response.cookies), "csrf" in html.lower()) == ({}, False)
    assert response["Cache-Control"] == "public, max-age=60"
    assert response["ETag"].startswith('"')
    assert response["Last-Modified"].endswith(" GMT")


def test_a_signed_in_persons_page_keeps_its_token_and_is_never_shared(client, urls, lead_of_org_a):
    client.force_login(lead_of_org_a)
    response = client.get(urls["organisation"])
    assert 'name="csrf-token"' in response.content.decode()
    assert "private" in response["Cache-Control"]
    assert "no-cache" in response["Cache-Control"]
    assert not response.has_header("ETag")


@pytest.mark.parametrize("page", ["directory", "organisation", "document", "csv", "json"])
def test_a_conditional_get_with_the_current_etag_is_answered_not_modified(client, urls, page):
    first = client.get(urls[page])
    again = client.get(urls[page], headers={"If-None-Match": first["ETag"]})
    assert (again.status_code, again.content, again["ETag"]) == (304, b"", first["ETag"])
    since = client.get(urls[page], headers={"If-Modified-Since": first["Last-Modified"]})
    assert since.status_code == 304


def test_publishing_and_withdrawing_change_the_etag_and_the_page(
    client, urls, published_plan, plan, lead_of_org_a
):
    before = client.get(urls["organisation"])
    assert "Version 2" not in before.content.decode()
    second = services.publish_plan(plan, by=lead_of_org_a)
    published = client.get(urls["organisation"], headers={"If-None-Match": before["ETag"]})
    assert published.status_code == 200
    assert published["ETag"] != before["ETag"]
    assert f"/documents/{second.pk}/" in published.content.decode()

    services.withdraw(second, by=lead_of_org_a, reason="Published by mistake.")
    withdrawn = client.get(urls["organisation"], headers={"If-None-Match": published["ETag"]})
    assert withdrawn.status_code == 200
    assert withdrawn["ETag"] not in (before["ETag"], published["ETag"])
    assert f"/documents/{second.pk}/" not in withdrawn.content.decode()


def test_the_rendered_page_is_kept_until_an_organisation_is_edited(
    client, urls, published_plan, django_assert_max_num_queries
):
    first = client.get(urls["organisation"])
    # A second visitor's request reads only the last change: the page is kept rendered.
    with django_assert_max_num_queries(1):
        kept = Client().get(urls["organisation"])
    assert kept.content == first.content
    organisation = Organisation.objects.get(pk=published_plan.organisation_id)
    organisation.contact_name = "Morwenna Tregarthen"
    organisation.save()
    edited = Client().get(urls["organisation"])
    assert "Morwenna Tregarthen" in edited.content.decode()
    assert edited["ETag"] != first["ETag"]


@pytest.mark.parametrize("page", ["directory", "organisation", "csv", "json", "api"])
def test_anonymous_pages_and_open_data_are_compressed(client, urls, page):
    plain = client.get(urls[page])
    response = client.get(urls[page], headers={"Accept-Encoding": "gzip, br"})
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    assert gzip.decompress(response.content) == plain.content
    # The compressed copy's ETag is weak; sent back, it still matches.
    again = client.get(
        urls[page], headers={"Accept-Encoding": "gzip", "If-None-Match": response["ETag"]}
    )
    assert again.status_code == 304


def test_a_page_with_a_token_is_never_compressed(client, urls, lead_of_org_a):
    signed_in = Client()
    signed_in.force_login(lead_of_org_a)
    page = signed_in.get(urls["organisation"], headers={"Accept-Encoding": "gzip"})
    assert 'name="csrf-token"' in page.content.decode()
    assert not page.has_header("Content-Encoding")
    # The sign-in form carries a token for anyone: not compressed either.
    sign_in = client.get(reverse("account_login"), headers={"Accept-Encoding": "gzip"})
    assert "csrfmiddlewaretoken" in sign_in.content.decode()
    assert not sign_in.has_header("Content-Encoding")


@pytest.mark.parametrize("page", ["directory", "organisation", "csv"])
def test_the_compressed_and_the_plain_copy_are_kept_apart(client, urls, page):
    # Compressed once and kept so (not on every answer): a client that asks for no encoding
    # after one that asked for gzip still gets the plain page.
    compressed = client.get(urls[page], headers={"Accept-Encoding": "gzip"})
    plain = client.get(urls[page])
    again = client.get(urls[page], headers={"Accept-Encoding": "gzip"})
    assert (compressed["Content-Encoding"], plain.has_header("Content-Encoding")) == ("gzip", False)
    assert gzip.decompress(compressed.content) == plain.content
    assert (again.content, again["ETag"]) == (compressed.content, compressed["ETag"])
    assert compressed["ETag"] == f"W/{plain['ETag']}"


@pytest.mark.parametrize("page", ["directory", "organisation", "document", "csv"])
@pytest.mark.parametrize("encoding", ["", "gzip"])
def test_a_visitor_without_cookies_gets_the_kept_page_before_the_session_is_read(
    urls, page, encoding, django_assert_max_num_queries
):
    headers = {"Accept-Encoding": encoding} if encoding else {}
    first = Client().get(urls[page], headers=headers)
    # Answered by PublicPageMiddleware: the last public change is all it reads, and the page
    # has every header the whole chain gave it (security, CSP, Vary, validators).
    with django_assert_max_num_queries(1):
        kept = Client().get(urls[page], headers=headers)
    assert kept.wsgi_request.__dict__.get("session") is None  # the session was never looked at
    assert (kept.status_code, kept.content) == (200, first.content)
    assert dict(kept.headers) == dict(first.headers)
    assert "Cookie" in kept["Vary"]
    assert kept["X-Frame-Options"] == "DENY"
    assert kept.has_header("Content-Security-Policy")
    assert not kept.cookies
    # A visitor with a cookie (not signed in) gets the same page the long way.
    with_cookie = Client()
    with_cookie.cookies["analytics-consent"] = "no"
    assert with_cookie.get(urls[page], headers=headers).content == first.content


def test_a_current_copy_is_answered_not_modified_before_the_session_is_read(urls):
    first = Client().get(urls["directory"])
    again = Client().get(urls["directory"], headers={"If-None-Match": first["ETag"]})
    assert (again.status_code, again.content, again["ETag"]) == (304, b"", first["ETag"])
    assert again.wsgi_request.__dict__.get("session") is None


def test_a_process_trusts_its_copy_of_the_last_change_for_a_moment(db, settings):
    from django.core.cache import cache

    from techcommit.public_cache import (
        CHANGED_KEY,
        forget_public_change,
        mark_public_change,
        public_changed,
    )

    settings.PUBLIC_CHANGE_CHECK_SECONDS = 60
    forget_public_change()
    try:
        first = public_changed()
        cache.set(CHANGED_KEY, first + 1)  # a change another process made
        assert public_changed() == first  # seen within PUBLIC_CHANGE_CHECK_SECONDS
        mark_public_change()  # a change made here is seen at once
        marked = cache.get(CHANGED_KEY)
        assert public_changed() == marked
        assert marked not in (first, first + 1)
    finally:
        forget_public_change()


def test_without_a_moment_to_trust_every_request_asks_the_shared_cache(db, settings):
    from django.core.cache import cache

    from techcommit.public_cache import CHANGED_KEY, public_changed

    settings.PUBLIC_CHANGE_CHECK_SECONDS = 0  # the default with DEBUG, as in these tests
    first = public_changed()
    cache.set(CHANGED_KEY, first + 1)
    assert public_changed() == first + 1
