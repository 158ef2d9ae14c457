from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.http import Http404, HttpResponse, QueryDict
from django.middleware.gzip import GZipMiddleware
from django.shortcuts import redirect, resolve_url
from django.urls import Resolver404, resolve, reverse

from techcommit.public_cache import COMPRESSIBLE, keep, kept_page


class HealthCheckMiddleware:
    """Answers ``/healthz`` and ``/readyz`` before anything reads the Host header.

    A load balancer or orchestrator asks by the server's address (``10.0.3.7:8000``), which is
    not in ``ALLOWED_HOSTS``: through the rest of the stack the check would answer 400 and the
    server would be taken out of service. These two answers reveal nothing and build no link, so
    the host they were asked by does not matter. First in ``MIDDLEWARE``.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from techcommit import views  # views import the apps; middleware loads before them

        view = {"/healthz": views.healthz, "/readyz": views.readyz}.get(request.path_info)
        if view is not None:
            return view(request)
        return self.get_response(request)


class RequireTwoFactorMiddleware:
    """Administrators and steering group reviewers must set up an authenticator app.

    Until they have, every page but the account pages sends them to the set-up page.
    """

    exempt_prefixes = ("/accounts/", "/static/", "/healthz", "/readyz", "/api/")

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


class HtmxSignedOutMiddleware:
    """An htmx request from someone whose session has ended answers 401, not the sign-in page.

    Otherwise the browser follows the redirect and htmx swaps the whole sign-in page into a
    table row, where the text being typed used to be. With a 401 nothing is swapped, the typed
    text stays in its form, and the page says what happened (static/js/plan.js).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            getattr(request, "htmx", False)
            and response.status_code == 302
            and response.url.split("?")[0] == resolve_url(settings.LOGIN_URL)
        ):
            signed_out = HttpResponse("You have been signed out.", status=401)
            signed_out["HX-Reswap"] = "none"
            return signed_out
        return response


def without_nul(data: QueryDict) -> QueryDict:
    """``data`` without NUL characters in its names and values (the same object when it has
    none, as almost every request)."""
    if not any("\x00" in key or any("\x00" in v for v in values) for key, values in data.lists()):
        return data
    cleaned = QueryDict(mutable=True, encoding=data.encoding)
    for key, values in data.lists():
        cleaned.setlist(key.replace("\x00", ""), [v.replace("\x00", "") for v in values])
    cleaned._mutable = False
    return cleaned


class StripNulMiddleware:
    """No NUL character reaches a view: it is taken out of every query, form and cookie value.

    PostgreSQL cannot store NUL in text (a server error on save), no browser types one, and a
    view that reads ``request.POST`` directly (autosave, a withdrawal's reason) would otherwise
    need its own check. Django's form fields refuse NUL already; here is the one place for the
    rest. A path with NUL names nothing: 404. Placed before the session and CSRF middleware, so
    that they, too, only ever see clean values.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path_info:
            raise Http404("Nothing here.")
        request.GET = without_nul(request.GET)
        if request.method == "POST":
            request.POST = without_nul(request.POST)
        if any("\x00" in key + value for key, value in request.COOKIES.items()):
            request.COOKIES = {
                key.replace("\x00", ""): value.replace("\x00", "")
                for key, value in request.COOKIES.items()
            }
        return self.get_response(request)


class PublicGZipMiddleware(GZipMiddleware):
    """Gzip for HTML, CSV and JSON that holds no secret.

    Compressing a page that carries a secret beside text an attacker can put in the request (a
    search term) lets them guess the secret from the compressed size (BREACH). So only responses
    for visitors who are not signed in, that neither set a cookie nor carry a CSRF token, are
    compressed: the public pages, the open data and the API. Static files are compressed by
    whitenoise; PDFs and images already are.
    """

    compressible = COMPRESSIBLE

    def process_response(self, request, response):
        user = getattr(request, "user", None)
        if (
            (user is not None and user.is_authenticated)
            or response.cookies
            or request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
            or not response.get("Content-Type", "").startswith(self.compressible)
        ):
            return response
        return super().process_response(request, response)


def is_public_page(view) -> bool:
    """A view that answers through ``public_cache.public_response`` and says so
    (``public_page``), a function or a class-based view."""
    return getattr(view, "public_page", False) or getattr(
        getattr(view, "view_class", None), "public_page", False
    )


class PublicPageMiddleware:
    """Public pages for visitors who send no cookie, answered before the session,
    authentication, CSRF and message middleware (which would only find an anonymous visitor
    with nothing waiting): a page kept by ``public_cache.public_response`` (of a view marked
    ``public_page``), or a view marked ``public_cache.sessionless`` (a stored PDF). Any other
    address asks nothing here (``/healthz`` no cache, no database). Everything before this in
    MIDDLEWARE (security headers, CSP, X-Frame-Options, compression) still applies; what comes
    after had added its headers to the page before it was kept."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in ("GET", "HEAD") and not request.META.get("HTTP_COOKIE"):
            # A host ALLOWED_HOSTS does not name is refused (400) here too, as CommonMiddleware
            # would, before any kept page could answer it.
            request.get_host()
            try:
                match = resolve(request.path_info)
            except Resolver404:
                match = None
            if match is not None and getattr(match.func, "sessionless", False):
                request.resolver_match = match
                request.user = AnonymousUser()
                return match.func(request, *match.args, **match.kwargs)
            if match is not None and is_public_page(match.func):
                response = kept_page(request)
                if response is not None:
                    return response
        response = self.get_response(request)
        keep(response)
        return response
