import rules
from django.conf import settings

from signatories.queries import current_organisation, memberships_for_request


def portal(request):
    """The organisation switcher and the site's name, for the base layout."""
    context = {"site_name": settings.SITE_NAME}
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        context["my_memberships"] = memberships_for_request(request)
        context["current_organisation"] = current_organisation(request)
        # Asked of the rules alone: the model backend would add two queries to every page.
        context["can_view_sector"] = rules.has_perm("signatories.view_sector_overview", user)
    return context
