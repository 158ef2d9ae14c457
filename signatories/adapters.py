"""How allauth signs people in and e-mails them, adapted to a closed portal.

* Nobody signs up on their own (people join by invitation).
* Every e-mail goes through the portal's outbox (techcommit/mail.py), named with ``SITE_NAME``
  and linked from ``SITE_URL``: never from the host a request happened to use.
* Failed sign-ins are limited per network address and per account
  (``ACCOUNT_RATE_LIMITS["login_failed"]``). Once an account is locked, the right password of
  an account with a second factor still goes on to the second-factor step: the code is then
  what stands in the way, and allauth limits its own failures per account. Without a second
  factor the lock holds.
* Someone who has just signed in sets up their first authenticator without being asked for
  the password again.
"""

import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.login import get_authentication_records
from allauth.core import context
from allauth.core.internal import ratelimit
from allauth.mfa.models import Authenticator
from django import forms
from django.conf import settings

from signatories.models import User
from techcommit.mail import queue_mail, site_url


@dataclass(frozen=True)
class PortalSite:
    """What allauth's e-mail templates call ``current_site``, from settings."""

    name: str
    domain: str


def portal_site() -> PortalSite:
    return PortalSite(name=settings.SITE_NAME, domain=urlsplit(settings.SITE_URL).netloc)


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        """Nobody signs up on their own: leads invite colleagues, administrators add the rest."""
        return False

    # --- E-mail -------------------------------------------------------------------------------

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        ctx = {"email": email, **context, "current_site": portal_site()}
        ctx.pop("signup_url", None)  # the portal is closed: never invite a sign-up
        message = self.render_mail(template_prefix, email, ctx)
        queue_mail(message.subject, message.body, to=message.to)

    def format_email_subject(self, subject: str) -> str:
        return f"{settings.SITE_NAME}: {subject}"

    def get_reset_password_from_key_url(self, key: str) -> str:
        return site_url(urlsplit(super().get_reset_password_from_key_url(key)).path)

    def get_email_confirmation_url(self, request, emailconfirmation) -> str:
        url = super().get_email_confirmation_url(request, emailconfirmation)
        return site_url(urlsplit(url).path)

    # --- Signing in ---------------------------------------------------------------------------

    def pre_authenticate(self, request, **credentials) -> None:
        try:
            super().pre_authenticate(request, **credentials)
        except forms.ValidationError:
            if not self._passes_the_account_lock(request, credentials):
                raise

    def _passes_the_account_lock(self, request, credentials: dict) -> bool:
        """The right password of an account with a second factor, from an address that is not
        itself over its limit."""
        if _address_limit_reached(request):
            return False
        user = User.objects.filter(email__iexact=credentials.get("email", "")).first()
        return bool(
            user is not None
            and user.is_active
            and Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
            and user.check_password(credentials.get("password", ""))
        )

    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        """Setting up the first authenticator straight after signing in needs no second
        password prompt (allauth counts only a reauthentication as recent, not the sign-in)."""
        required = super().is_reauthentication_required(app=app, **kwargs)
        if required and app == "allauth.mfa" and _just_signed_in_without_authenticator():
            return False
        return required


def _address_limit_reached(request) -> bool:
    """Whether the per-address part of ``login_failed`` is used up (checked, not counted)."""
    rates = account_settings.RATE_LIMITS.get("login_failed") or ""
    per_address = ",".join(rate for rate in rates.split(",") if rate.strip().endswith("/ip"))
    if not per_address:
        return False
    return not ratelimit.consume(
        request,
        app="allauth.account",
        action="login_failed",
        config={"login_failed": per_address},
        dry_run=True,
    )


def _just_signed_in_without_authenticator() -> bool:
    request = context.request
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    if Authenticator.objects.filter(user=user).exists():
        return False  # changing or removing one always asks for the password again
    records = [r for r in get_authentication_records(request, user) if r.get("method")]
    return bool(records) and (
        time.time() - records[-1]["at"] < account_settings.REAUTHENTICATION_TIMEOUT
    )
