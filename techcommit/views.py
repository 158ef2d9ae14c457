from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from signatories.queries import current_organisation


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
    """200 after a round trip to the database; 503 when the database cannot be reached."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")
