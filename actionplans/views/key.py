"""The plan's owner key in order: moving a code up or down (the settings page's buttons)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from actionplans import services
from actionplans.lookups import plan_for
from actionplans.models import OwnerCode


@login_required
@require_POST
def move_code(request, slug: str, pk: int, owner_id: int):
    plan = plan_for(request.user, slug, pk, "actionplans.shape_plan")
    owner = get_object_or_404(OwnerCode, pk=owner_id, plan=plan)
    up = request.POST.get("direction") == "up"
    try:
        services.move_owner_code(owner, -1 if up else 1)
    except services.PlanError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"‘{owner.code}’ moved {'up' if up else 'down'} the key.")
    return redirect(f"{plan.get_absolute_url()}settings/#key-title")
