"""The reviewer pool in the portal's administration: administrators only."""

from datetime import date

import pytest
from django.urls import reverse

from submissions.models import Reviewer, ReviewRound
from tests.factories import UserFactory
from tests.matrix import is_allowed, matrix, outcome

ADMINISTRATORS = {"administrator"}


@pytest.fixture
def in_pool(reviewer, org_b):
    return Reviewer.objects.create(user=reviewer, organisation=org_b)


@pytest.mark.parametrize(("person", "result"), matrix(ADMINISTRATORS), indirect=["person"])
def test_the_pool_pages(client_as, person, result, in_pool):
    client = client_as(person)
    for url in (
        reverse("submissions:admin_pool"),
        reverse("submissions:admin_pool_add"),
        reverse("submissions:admin_reviewer", args=[in_pool.pk]),
    ):
        response = client.get(url)
        assert outcome(response) == result
    if is_allowed(result):
        page = client.get(reverse("submissions:admin_pool")).content.decode()
        assert "reviewer@example.org" in page
        assert "<td>Brackenfield Institute</td>" in page


@pytest.mark.parametrize(("person", "result"), matrix(ADMINISTRATORS, ok=302), indirect=["person"])
def test_adding_someone_to_the_pool(client_as, person, result, org_a):
    newcomer = UserFactory(email="new.reviewer@example.org", full_name="Nell Reviewer")
    spring = ReviewRound.objects.create(
        name="Spring 2027", starts_on=date(2027, 3, 1), ends_on=date(2027, 5, 31)
    )
    response = client_as(person).post(
        reverse("submissions:admin_pool_add"),
        {
            "email": "New.Reviewer@example.org",
            "organisation": org_a.pk,
            "trained_on": "2026-10-01",
            "available_in": [spring.pk],
            "active": "on",
        },
    )
    assert outcome(response) == result
    newcomer.refresh_from_db()
    pool = list(Reviewer.objects.values_list("user__email", "organisation__slug", "active"))
    if is_allowed(result):
        assert pool == [("new.reviewer@example.org", "aldermoor", True)]
        assert newcomer.is_reviewer is True
        assert list(Reviewer.objects.get().available_in.all()) == [spring]
    else:
        assert (pool, newcomer.is_reviewer) == ([], False)


def test_an_unknown_address_or_someone_already_in_the_pool_is_explained(
    client, administrator, in_pool
):
    client.force_login(administrator)
    url = reverse("submissions:admin_pool_add")
    response = client.post(url, {"email": "nobody@example.org", "active": "on"})
    page = response.content.decode()
    assert '<a href="#id_email">E-mail address: No one signs in with nobody@example.org.' in page
    assert 'value="nobody@example.org"' in page
    response = client.post(url, {"email": "reviewer@example.org", "active": "on"})
    assert "Rhys Vaughan is already in the reviewer pool." in response.content.decode()
    assert Reviewer.objects.count() == 1


@pytest.mark.parametrize(("person", "result"), matrix(ADMINISTRATORS, ok=302), indirect=["person"])
def test_a_reviewer_is_made_inactive(client_as, person, result, in_pool):
    response = client_as(person).post(
        reverse("submissions:admin_reviewer", args=[in_pool.pk]),
        {"organisation": in_pool.organisation_id, "trained_on": ""},
    )
    assert outcome(response) == result
    in_pool.refresh_from_db()
    assert in_pool.active is (not is_allowed(result))


def test_the_pool_page_has_flat_query_counts(client, administrator, django_assert_max_num_queries):
    client.force_login(administrator)
    spring = ReviewRound.objects.create(
        name="Spring 2027", starts_on=date(2027, 3, 1), ends_on=date(2027, 5, 31)
    )

    def add(count):
        for _ in range(count):
            entry = Reviewer.objects.create(user=UserFactory(is_reviewer=True))
            entry.available_in.add(spring)

    add(1)
    with django_assert_max_num_queries(12):
        client.get(reverse("submissions:admin_pool"))
    add(5)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("submissions:admin_pool"))
    assert response.content.decode().count("Spring 2027") == 6
