"""A plan's status (draft, approved, published) changes only through the transition: the table
allows or refuses each move, each move is kept in the plan's history, and accepting the
self-assessment and publishing the plan both go through it."""

import pytest
from django.urls import reverse

from actionplans import services
from actionplans.enums import ALLOWED_TRANSITIONS, PlanStatus
from actionplans.models import PlanStatusChange
from actionplans.services import PlanError
from tests.actionplans.test_plan_views import READERS
from tests.matrix import is_allowed, matrix, outcome
from tests.transitions import assert_table_decides, pairs


@pytest.mark.parametrize(("start", "to"), pairs(PlanStatus))
def test_every_transition_is_allowed_or_refused_by_the_table(plan, lead_of_org_a, start, to):
    row = assert_table_decides(
        plan,
        start=start,
        to=to,
        table=ALLOWED_TRANSITIONS,
        move=lambda p, status: services.transition(p, to=status, by=lead_of_org_a, comment="Why."),
        history=lambda: PlanStatusChange.objects.filter(plan=plan),
        refused=PlanError,
    )
    if row:
        assert (row.by, row.comment) == (lead_of_org_a, "Why.")


@pytest.mark.parametrize(
    ("person", "result"),
    matrix(READERS),
    indirect=["person"],
)
def test_the_plan_page_shows_the_status_history(client_as, person, result, plan, lead_of_org_a):
    services.transition(plan, to=PlanStatus.APPROVED, by=lead_of_org_a, comment="Accepted.")
    services.transition(plan, to=PlanStatus.PUBLISHED, by=lead_of_org_a, comment="Version 1.")
    response = client_as(person).get(reverse("actionplans:plan", args=["aldermoor", plan.pk]))
    assert outcome(response) == result
    if is_allowed(result):
        page = response.content.decode()
        assert "Draft → Approved. Accepted." in page
        assert page.index("Draft → Approved") < page.index("Approved → Published. Version 1.")
