from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.urls import include, path

from techcommit import views


def is_superuser(request) -> bool:
    """The Django admin is for superusers only. Administrators (``is_staff``) work in the
    portal's own Administration, whose permissions are in the apps' rules.py; the admin would
    otherwise let them in with whatever model permissions the rules happen to grant."""
    return request.user.is_active and request.user.is_superuser


_throttled_admin_login = secure_admin_login(admin.site.login)


def admin_login(request, extra_context=None):
    """The admin signs in through allauth, so that its sign-in is throttled and asks for the
    second factor like every other; someone signed in who is not a superuser is refused (403),
    not shown the admin's own sign-in form."""
    if request.user.is_authenticated and not is_superuser(request):
        raise PermissionDenied("The Django admin is for superusers only.")
    return _throttled_admin_login(request, extra_context)


admin.site.has_permission = is_superuser
admin.site.login = admin_login
admin.site.site_header = "Technician Commitment portal administration"
admin.site.site_title = "Portal administration"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    # Browsers ask for /favicon.ico on pages without an icon link (the Django admin's, a PDF).
    path("favicon.ico", views.favicon),
    # The public pages first: a URL that fails inside an include costs Django a list of every
    # pattern it tried, which for the busiest pages was a third of the time of a cached answer.
    path("", include("publications.urls")),
    path("api/v1/", include("api.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("", include("signatories.urls")),
    path("", include("assessments.urls")),
    path("", include("actionplans.urls")),
    path("", include("consultations.urls")),
    path("", include("submissions.urls")),
]

# The 500 page, or the maintenance page when the database cannot be reached.
handler500 = "techcommit.views.server_error"
