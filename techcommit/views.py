from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from signatories.queries import current_organisation
from techcommit.health import readiness


def home(request):
    """Members go to their current organisation; reviewers and administrators to the sector."""
    user = request.user
    if not user.is_authenticated:
        return render(request, "home_public.html")
    organisation = current_organisation(request)
    if organisation is not None:
        return redirect(organisation)
    if user.has_perm("signatories.view_sector_overview"):
        return redirect("submissions:sector_overview")
    return render(request, "home_no_organisation.html")


@never_cache
@require_safe
def healthz(request):
    """Liveness: the process answers. No dependency is asked, so that a database or cache outage
    never has the process restarted."""
    return JsonResponse({"status": "ok", "checks": {}})


@never_cache
@require_safe
def readyz(request):
    """Readiness: the database, the cache, migrations applied and, with the database task backend,
    a recent worker heartbeat; each check's result and time. 200 when all pass, 503 otherwise."""
    ready, results = readiness()
    return JsonResponse(
        {"status": "ok" if ready else "unavailable", "checks": results},
        status=200 if ready else 503,
    )
