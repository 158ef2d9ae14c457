from datetime import date

import pytest

from assessments import services
from assessments.models import Question
from signatories.models import Organisation


@pytest.fixture
def assessment(org_a, lead_of_org_a):
    """Organisation A's first self-assessment (early form), started by its lead."""
    Organisation.objects.filter(pk=org_a.pk).update(signed_on=date(2025, 12, 1))
    org_a.refresh_from_db()
    lead_of_org_a.telephone = "0151 000 0000"
    lead_of_org_a.save()
    return services.start_assessment(org_a, by=lead_of_org_a, today=date(2026, 11, 25))


@pytest.fixture
def question(assessment):
    """The profile question: long text, up to 250 words."""

    def get(key="profile"):
        return Question.objects.get(section__form_version=assessment.form_version, key=key)

    return get
