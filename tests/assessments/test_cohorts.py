"""Cohort deadlines in the portal's administration: administrators only; the dates in order."""

from datetime import date

import pytest
from django.urls import reverse

from assessments.models import CohortDeadline
from tests.matrix import is_allowed, matrix, outcome

ADMINISTRATORS = {"administrator"}
EARLY = {
    "name": "Early signatories, 2027 round",
    "signed_from": "2017-01-01",
    "signed_until": "2019-12-31",
    "due_on": "2027-06-30",
    "counts_from": "2027-01-01",
}


@pytest.fixture
def cohort(db):
    return CohortDeadline.objects.create(
        name="First round",
        signed_from=date(2016, 1, 1),
        signed_until=date(2016, 12, 31),
        due_on=date(2027, 3, 31),
        counts_from=date(2026, 10, 1),
    )


@pytest.mark.parametrize(("person", "result"), matrix(ADMINISTRATORS), indirect=["person"])
def test_the_cohort_pages(client_as, person, result, cohort):
    client = client_as(person)
    for url in (
        reverse("assessments:admin_cohorts"),
        reverse("assessments:admin_cohort_add"),
        reverse("assessments:admin_cohort", args=[cohort.pk]),
    ):
        assert outcome(client.get(url)) == result
    if is_allowed(result):
        page = client.get(reverse("assessments:admin_cohorts")).content.decode()
        assert "<td>31 Mar 2027</td>" in page


@pytest.mark.parametrize(("person", "result"), matrix(ADMINISTRATORS, ok=302), indirect=["person"])
def test_adding_a_cohort_deadline(client_as, person, result):
    response = client_as(person).post(reverse("assessments:admin_cohort_add"), EARLY)
    assert outcome(response) == result
    added = list(CohortDeadline.objects.values_list("name", "due_on"))
    assert added == (
        [("Early signatories, 2027 round", date(2027, 6, 30))] if is_allowed(result) else []
    )


@pytest.mark.parametrize(("person", "result"), matrix(ADMINISTRATORS, ok=302), indirect=["person"])
def test_moving_a_cohort_deadline(client_as, person, result, cohort):
    response = client_as(person).post(
        reverse("assessments:admin_cohort", args=[cohort.pk]),
        {**EARLY, "name": "First round"},
    )
    assert outcome(response) == result
    cohort.refresh_from_db()
    assert cohort.due_on == (date(2027, 6, 30) if is_allowed(result) else date(2027, 3, 31))


def test_dates_out_of_order_are_explained_and_kept(client, administrator):
    client.force_login(administrator)
    response = client.post(
        reverse("assessments:admin_cohort_add"),
        {**EARLY, "signed_until": "2016-12-31", "counts_from": "2027-09-01"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert (
        '<a href="#id_signed_until">Signed on or before: The signing range must end on or after '
        "its start.</a>" in page
    )
    assert 'value="Early signatories, 2027 round"' in page
    assert CohortDeadline.objects.count() == 0
