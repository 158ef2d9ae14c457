"""An action plan for one person, reached through its organisation, or a 404."""

from django.shortcuts import get_object_or_404

from actionplans.models import ActionPlan
from actionplans.queries import plans_of
from signatories.models import Organisation
from techcommit.lookups import reached


def plan_for(user, slug: str, pk: int, permission: str = "actionplans.view_plan") -> ActionPlan:
    """A plan reached through its organisation; 404 for anyone without ``permission``."""
    organisation = get_object_or_404(Organisation, slug=slug)
    return reached(
        user, plans_of(organisation), pk, see="actionplans.view_plan", permission=permission
    )
