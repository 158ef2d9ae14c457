# ruff: noqa: F811 - the fixtures of test_public, imported by name, are the tests' arguments
"""The public directory's columns (last review, overall status), its "has a published plan"
filter, sortable headers, numbered pages, and search by short name and initials."""

import re
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from actionplans.enums import Status, status_shape, status_word
from publications.forms import initials
from signatories.enums import Nation, OrganisationKind
from signatories.models import Organisation
from tests import bulk_plans
from tests.publications.test_public import (  # noqa: F401 - fixtures
    _media,
    aldermoor,
    plan,
    published_plan,
    published_review,
    text_of,
)

DIRECTORY = reverse("publications:directory")


def names(response) -> list[str]:
    return [o.name for o in response.context["page_obj"].object_list]


def organisation(name: str, short_name: str = "", slug: str = "") -> Organisation:
    return Organisation.objects.create(
        name=name,
        short_name=short_name,
        slug=slug or re.sub(r"[^a-z]+", "-", name.lower()),
        kind=OrganisationKind.UNIVERSITY,
        nation=Nation.ENGLAND,
        signed_on=date(2020, 1, 1),
    )


def test_initials_are_of_every_word_and_of_the_words_but_the_small_ones():
    assert initials("University College London") == {"ucl"}
    assert initials("London School of Economics and Political Science") == {"lsoeaps", "lseps"}
    assert initials("Aldermoor") == set()


def test_search_finds_names_short_names_and_initials(client, db):
    organisation("University College London")
    organisation("Northmoor Institute of Technology", short_name="NIT Labs")
    organisation("Uplands College of Lace", slug="uplands")
    for words, expected in [
        ("UCL", ["University College London", "Uplands College of Lace"]),
        ("u.c.l.", ["University College London", "Uplands College of Lace"]),
        ("nit labs", ["Northmoor Institute of Technology"]),
        ("NIT", ["Northmoor Institute of Technology"]),
        ("college", ["University College London", "Uplands College of Lace"]),
        ("XYZ", []),
    ]:
        assert names(client.get(DIRECTORY, {"q": words})) == expected, words


def test_the_last_review_and_its_overall_status_are_columns_and_the_plan_a_filter(
    client, published_review, org_b
):
    response = client.get(DIRECTORY)
    row = next(
        r
        for r in re.findall(r"<tr>(.*?)</tr>", response.content.decode(), re.S)
        if "Aldermoor" in r
    )
    cells = " ".join(re.sub(r"<[^>]+>", " ", row).split())
    assert '<time datetime="2027-06-30">30 June 2027</time>' in row
    assert f"30 June 2027 {status_shape(Status.GREEN)} {status_word({}, Status.GREEN)}" in cells
    assert 'class="status-badge status-green"' in row
    other = next(
        r for r in re.findall(r"<tr>(.*?)</tr>", response.content.decode(), re.S) if org_b.name in r
    )
    assert "None published" in other
    assert names(client.get(DIRECTORY, {"plan": "yes"})) == [published_review.organisation.name]
    without = names(client.get(DIRECTORY, {"plan": "no"}))
    assert org_b.name in without
    assert published_review.organisation.name not in without


def test_headers_sort_with_aria_sort_and_keep_the_filters(client, published_review, org_b):
    html = client.get(DIRECTORY, {"nation": Nation.ENGLAND}).content.decode()
    assert re.search(
        r'<th scope="col" aria-sort="ascending">'
        r'<a href="\?nation=england&amp;sort=name-desc">Organisation',
        html,
    )
    assert '<a href="?nation=england&amp;sort=reviewed">Last review' in html
    assert html.count("aria-sort=") == 1
    response = client.get(DIRECTORY, {"sort": "reviewed"})
    assert names(response)[0] == published_review.organisation.name
    html = response.content.decode()
    assert re.search(
        r'<th scope="col" aria-sort="descending"><a href="\?sort=reviewed-oldest">Last review',
        html,
    )
    assert names(client.get(DIRECTORY, {"sort": "name-desc"})) == sorted(
        names(client.get(DIRECTORY)), reverse=True
    )


def test_pages_are_numbered(client, db):
    for n in range(120):
        organisation(f"Numbered University {n:03}", slug=f"numbered-{n:03}")
    html = client.get(DIRECTORY, {"q": "numbered", "page": 2}).content.decode()
    assert (
        '<a class="page-link" href="?q=numbered&amp;page=1">'
        '<span class="visually-hidden">Page </span>1</a>' in html
    )
    assert (
        '<li class="page-item active" aria-current="page"><span class="page-link">'
        '<span class="visually-hidden">Page </span>2</span></li>' in html
    )
    assert 'href="?q=numbered&amp;page=3"><span class="visually-hidden">Page </span>3</a>' in html


@pytest.mark.parametrize("count", [10, 150])
def test_the_directory_with_published_plans_and_reviews_runs_in_constant_queries(
    db, count, django_assert_max_num_queries
):
    bulk_plans.build(count, actions=40)
    # The organisations' count and page (with their plan and review), the names for the
    # initials, and the last public change from the shared cache.
    with django_assert_max_num_queries(4):
        response = Client().get(DIRECTORY, {"q": "bulk", "sort": "reviewed", "plan": "yes"})
    assert response.context["count"] == count
    assert "30 June 2027" in text_of(response)
