import logging
import sys

from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from signatories.queries import current_organisation
from techcommit.health import check_database, readiness


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


@require_safe
def favicon(request):
    """Browsers ask for /favicon.ico on pages that name no icon (the Django admin's): the one
    icon, as base.html links it."""
    return redirect(static("favicon.svg"), permanent=True)


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


def database_reachable() -> bool:
    """A round trip to the database (the readiness check's own)."""
    try:
        check_database()
    except DatabaseError:
        return False
    return True


def server_error(request):
    """The 500 page (handler500), or the maintenance page (503) when the database is down.

    Django calls this while it handles the error, wherever it was raised (a view or a
    middleware), so the exception is still at hand. A connection error alone does not mean the
    database is down (SQLite calls a locked table an OperationalError too): only a failed
    round trip does. Neither page needs the request, a context processor or the database.
    """
    error = sys.exc_info()[1]
    if isinstance(error, (OperationalError, InterfaceError)) and not database_reachable():
        response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = "120"
        return response
    try:
        return HttpResponseServerError(render_to_string("500.html"))
    except Exception:  # the page itself failed: say so in plain words rather than nothing
        logging.getLogger(__name__).exception("The 500 page could not be rendered.")
        return HttpResponseServerError(
            "Sorry, something went wrong. Please try again in a few minutes.",
            content_type="text/plain; charset=utf-8",
        )
