"""An action plan for one person, reached through its organisation, or a 404."""

from django.shortcuts import get_object_or_404

from actionplans.models import ActionPlan
from actionplans.queries import plans_of
from signatories.models import Organisation
from signatories.services import record_draft_read
from techcommit.lookups import reached


def plan_for(user, slug: str, pk: int, permission: str = "actionplans.view_plan") -> ActionPlan:
    """A plan reached through its organisation; 404 for anyone without ``permission``.

    Every page and export of a plan is reached here, so this is where an administrator's read
    of a draft is kept in the organisation's audit trail."""
    organisation = get_object_or_404(Organisation, slug=slug)
    plan = reached(
        user, plans_of(organisation), pk, see="actionplans.view_plan", permission=permission
    )
    if plan.is_unsubmitted_draft:
        record_draft_read(user, organisation, f"the draft action plan “{plan.title}”")
    return plan
