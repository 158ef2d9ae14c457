from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from techcommit import views

# The admin signs in through allauth, so that its sign-in is throttled and asks for the second
# factor like every other.
admin.site.login = secure_admin_login(admin.site.login)
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
