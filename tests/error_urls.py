"""The portal's URLs, and views that fail on purpose, for tests/test_error_pages.py."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.db import OperationalError
from django.urls import path

from techcommit.urls import handler500  # noqa: F401 - Django looks for it in the URLconf
from techcommit.urls import urlpatterns as portal


def broken(request):
    raise RuntimeError("A bug.")


def locked(request):
    raise OperationalError("database is locked")


def forbidden(request):
    raise PermissionDenied


def suspicious(request):
    raise SuspiciousOperation("Tampered with.")


urlpatterns = [
    path("test-errors/broken/", broken),
    path("test-errors/locked/", locked),
    path("test-errors/forbidden/", forbidden),
    path("test-errors/suspicious/", suspicious),
    *portal,
]
