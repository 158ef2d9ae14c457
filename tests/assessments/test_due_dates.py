from datetime import date

import pytest

from assessments.models import CohortDeadline, FormVersion
from assessments.services import due_date_for, due_dates_for, version_in_use
from signatories.enums import OrganisationStatus
from tests.factories import OrganisationFactory

TODAY = date(2026, 11, 25)


@pytest.fixture
def cohort_2024(db):
    return CohortDeadline.objects.create(
        name="2024 round for early signatories",
        signed_from=date(2017, 1, 1),
        signed_until=date(2019, 12, 31),
        due_on=date(2024, 7, 31),
        counts_from=date(2023, 8, 1),
    )


def test_official_form_versions_set_the_cycles(db):
    versions = {v.slug: (v.cycle_months, v.plan_horizon_months) for v in FormVersion.objects.all()}
    assert versions == {"early-form": (24, 24), "later-form": (36, 36)}


def test_first_self_assessment_is_due_twelve_months_after_signing(db):
    org = OrganisationFactory(signed_on=date(2026, 3, 10))
    due = due_date_for(org, today=TODAY)
    assert (due.due_on, due.is_first, due.days_left, due.is_overdue) == (
        date(2027, 3, 10),
        True,
        105,
        False,
    )


def test_signing_on_29_february_makes_the_first_due_on_28_february(db):
    org = OrganisationFactory(signed_on=date(2024, 2, 29))
    assert due_date_for(org, today=TODAY).due_on == date(2025, 2, 28)


def test_overdue_counts_the_days_since_the_due_date(db):
    org = OrganisationFactory(signed_on=date(2025, 9, 1))
    due = due_date_for(org, today=TODAY)
    assert (due.due_on, due.is_overdue, due.days_overdue) == (date(2026, 9, 1), True, 85)


def test_later_self_assessment_follows_the_early_forms_24_month_cycle(db):
    org = OrganisationFactory(signed_on=date(2018, 1, 10), last_assessed_on=date(2019, 1, 20))
    due = due_date_for(org, today=TODAY)
    assert (due.due_on, due.is_first) == (date(2021, 1, 20), False)


def test_later_self_assessment_follows_the_later_forms_36_month_cycle(db):
    org = OrganisationFactory(signed_on=date(2018, 1, 10), last_assessed_on=date(2024, 2, 29))
    assert due_date_for(org, today=TODAY).due_on == date(2027, 2, 28)


def test_administrator_changing_a_versions_cycle_moves_the_due_date(db):
    FormVersion.objects.filter(slug="later-form").update(cycle_months=24)
    org = OrganisationFactory(signed_on=date(2018, 1, 10), last_assessed_on=date(2024, 2, 29))
    assert due_date_for(org, today=TODAY).due_on == date(2026, 2, 28)


def test_cohort_deadline_replaces_the_cycle_for_organisations_signed_in_its_range(cohort_2024):
    inside = OrganisationFactory(signed_on=date(2018, 5, 1), last_assessed_on=date(2021, 6, 1))
    outside = OrganisationFactory(signed_on=date(2020, 5, 1), last_assessed_on=date(2021, 6, 1))
    dues = due_dates_for([inside, outside], today=TODAY)
    assert (dues[inside.pk].due_on, dues[inside.pk].cohort) == (date(2024, 7, 31), cohort_2024)
    assert (dues[outside.pk].due_on, dues[outside.pk].cohort) == (date(2024, 6, 1), None)


def test_cohort_deadline_is_met_by_a_self_assessment_from_its_counting_date(cohort_2024):
    org = OrganisationFactory(signed_on=date(2018, 5, 1), last_assessed_on=date(2024, 7, 15))
    due = due_date_for(org, today=TODAY)
    assert (due.due_on, due.cohort) == (date(2027, 7, 15), None)


def test_cohort_range_includes_both_ends(cohort_2024):
    first_day = OrganisationFactory(signed_on=date(2017, 1, 1))
    last_day = OrganisationFactory(signed_on=date(2019, 12, 31))
    day_after = OrganisationFactory(signed_on=date(2020, 1, 1))
    dues = due_dates_for([first_day, last_day, day_after], today=TODAY)
    assert [dues[o.pk].due_on for o in (first_day, last_day, day_after)] == [
        date(2024, 7, 31),
        date(2024, 7, 31),
        date(2021, 1, 1),
    ]


def test_earliest_of_two_open_cohort_deadlines_applies(cohort_2024):
    CohortDeadline.objects.create(
        name="Earlier round",
        signed_from=date(2018, 1, 1),
        signed_until=date(2018, 12, 31),
        due_on=date(2024, 3, 31),
        counts_from=date(2023, 4, 1),
    )
    org = OrganisationFactory(signed_on=date(2018, 5, 1), last_assessed_on=date(2021, 6, 1))
    assert due_date_for(org, today=TODAY).due_on == date(2024, 3, 31)


@pytest.mark.parametrize("status", [OrganisationStatus.LAPSED, OrganisationStatus.WITHDRAWN])
def test_lapsed_and_withdrawn_organisations_have_nothing_due(db, status):
    org = OrganisationFactory(signed_on=date(2025, 1, 1), status=status)
    assert due_date_for(org, today=TODAY) is None


def test_version_in_use_before_the_first_version_is_the_first(db):
    versions = list(FormVersion.objects.all())
    assert version_in_use(versions, date(2016, 1, 1)).slug == "early-form"
    assert version_in_use(versions, date(2020, 12, 31)).slug == "early-form"
    assert version_in_use(versions, date(2021, 1, 1)).slug == "later-form"


def test_due_dates_for_many_organisations_take_two_queries(db, django_assert_num_queries):
    organisations = OrganisationFactory.create_batch(5)
    with django_assert_num_queries(2):
        dues = due_dates_for(organisations, today=TODAY)
    assert len(dues) == 5
