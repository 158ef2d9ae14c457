from datetime import date

import pytest

from actionplans import services
from actionplans.enums import Status
from actionplans.models import Heading
from assessments import services as assessment_services
from assessments.enums import AssessmentStatus
from assessments.models import SelfAssessment
from signatories.models import Organisation


@pytest.fixture
def plan(org_a, lead_of_org_a):
    """Organisation A's draft 24-month plan from December 2026, in three named phases, with an
    owner key of three codes."""
    plan = services.create_plan(
        org_a, by=lead_of_org_a, starts_on=date(2026, 12, 1), horizon_months=24
    )
    services.add_phase(plan, "Phase 1", date(2026, 12, 1), date(2027, 5, 1))
    services.add_phase(plan, "Phase 2", date(2027, 6, 1), date(2028, 5, 1))
    services.add_phase(plan, "Phase 3", date(2028, 6, 1), date(2028, 11, 1))
    services.add_owner_code(plan, "PL", "Project Lead")
    services.add_owner_code(plan, "PT", "Project Team")
    services.add_owner_code(plan, "G", "Governance")
    return plan


@pytest.fixture
def heading(plan):
    """A heading of the plan by theme slug, or by its own name."""

    def get(name="visibility") -> Heading:
        found = plan.headings.filter(theme__slug=name).first()
        return found or plan.headings.get(own_name=name)

    return get


@pytest.fixture
def actions(plan, heading, lead_of_org_a):
    """Three actions: two under Visibility, one under Recognition."""
    return [
        services.add_action(heading("visibility"), by=lead_of_org_a, title="Name technicians"),
        services.add_action(heading("visibility"), by=lead_of_org_a, title="Count technicians"),
        services.add_action(heading("recognition"), by=lead_of_org_a, title="Register with RSci"),
    ]


@pytest.fixture
def review(plan, actions, lead_of_org_a):
    return services.begin_review(
        plan,
        by=lead_of_org_a,
        reviewed_on=date(2027, 6, 5),
        period_from=date(2026, 12, 1),
        period_to=date(2027, 5, 31),
        overall_status=Status.AMBER,
    )


@pytest.fixture
def later_assessment(org_a, lead_of_org_a):
    """Organisation A's first self-assessment, accepted, and its second (later form)."""
    Organisation.objects.filter(pk=org_a.pk).update(signed_on=date(2025, 12, 1))
    org_a.refresh_from_db()
    first = assessment_services.start_assessment(org_a, by=lead_of_org_a, today=date(2026, 11, 25))
    SelfAssessment.objects.filter(pk=first.pk).update(status=AssessmentStatus.ACCEPTED)
    Organisation.objects.filter(pk=org_a.pk).update(last_assessed_on=date(2026, 11, 30))
    org_a.refresh_from_db()
    second = assessment_services.start_assessment(org_a, by=lead_of_org_a, today=date(2028, 9, 1))
    return first, second
