from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse


class RequireTwoFactorMiddleware:
    """Administrators and steering group reviewers must set up an authenticator app.

    Until they have, every page but the account pages sends them to the set-up page.
    """

    exempt_prefixes = ("/accounts/", "/static/", "/healthz")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(self.exempt_prefixes) and self.must_set_up(request.user):
            messages.warning(
                request,
                "Administrators and steering group reviewers must use two-factor "
                "authentication. Set up an authenticator app to continue.",
            )
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)

    @staticmethod
    def must_set_up(user) -> bool:
        return (
            user.is_authenticated
            and user.needs_two_factor
            and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        )
