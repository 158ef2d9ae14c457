from datetime import date

import pytest

from actionplans import services
from actionplans.models import Heading


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
