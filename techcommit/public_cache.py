"""Caching the public pages (the directory, an organisation's page, its documents, the open data).

Everything the public reads changes only when something is published or withdrawn, an
organisation is edited, or the assessment calendar changes. ``public_changed()`` is the moment
of the last such change, kept in the shared cache (so every worker and app server agrees);
``mark_public_change()`` moves it on, and with it every public page's ETag, Last-Modified and
server-side copy. The publications app calls it from signals (publications/signals.py); code
that changes what the public sees through ``QuerySet.update()`` calls it itself.

Rendered pages are kept in the "pages" cache under a key that holds that moment and the day
(due dates count from today), so a change never needs to find and delete old copies: they are
simply never asked for again and expire.

Only anonymous requests are cached, and only responses that carry no cookie, no CSRF token and
no message: a signed-in person's page is theirs alone (``private, no-cache``). A page is kept
once the whole middleware chain has added its headers (``keep``, called by
techcommit.middleware.PublicPageMiddleware), which then answers the next visitor without cookies
from it before the session is read (``kept_page``); a page is compressed once, when it is kept.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Callable
from datetime import UTC, datetime

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache, caches
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date
from django.utils.text import compress_string

CHANGED_KEY = "public-pages:changed"
# Browsers and proxies may show a public page this many seconds old without asking again.
MAX_AGE = 60
# A rendered page is kept at most this long (a change makes it unreachable sooner).
PAGE_TIMEOUT = 60 * 60
# What PublicGZipMiddleware compresses, and how Django's GZipMiddleware reads Accept-Encoding.
COMPRESSIBLE = ("text/html", "text/csv", "application/json")
ACCEPTS_GZIP = re.compile(r"\bgzip\b")


def mark_public_change() -> None:
    """Something the public sees changed: every public page is out of date. Marked at once and
    again when the transaction commits, so that a page rendered meanwhile from the old data is
    never kept under the new mark."""
    _mark()
    transaction.on_commit(_mark)


def _mark() -> int:
    changed = time.time_ns()
    cache.set(CHANGED_KEY, changed, timeout=None)
    _remember(changed)
    return changed


# This process's copy of the mark, trusted for PUBLIC_CHANGE_CHECK_SECONDS: a page or stored PDF
# answered from the kept copies then costs no round trip to the shared cache (on the database
# cache, two: the connection's health check and the query). A change made in this process is
# seen at once; one made in another (an app server, the worker) within those seconds.
_seen = {"changed": 0, "until": 0.0}


def _remember(changed: int) -> None:
    if settings.PUBLIC_CHANGE_CHECK_SECONDS:
        _seen.update(changed=changed, until=time.monotonic() + settings.PUBLIC_CHANGE_CHECK_SECONDS)


def forget_public_change() -> None:
    """Ask the shared cache next time (tests that change the mark behind this process's back)."""
    _seen.update(changed=0, until=0.0)


def public_changed() -> int:
    """When the public pages last changed, in nanoseconds since the epoch. A cache that lost
    the mark (a restart of Redis, a cull) starts a new one: never an old one again."""
    if _seen["changed"] and time.monotonic() < _seen["until"]:
        return _seen["changed"]
    changed = cache.get(CHANGED_KEY)
    if changed is None:
        changed = cache.add(CHANGED_KEY, time.time_ns(), timeout=None) and cache.get(CHANGED_KEY)
        changed = changed or _mark()
    _remember(changed)
    return changed


def is_cacheable(request: HttpRequest) -> bool:
    """An anonymous GET or HEAD with no message waiting to be shown."""
    user = getattr(request, "user", None)
    return (
        request.method in ("GET", "HEAD")
        and not (user and user.is_authenticated)
        and not len(messages.get_messages(request))
    )


def validators() -> tuple[str, int]:
    """The ETag and Last-Modified (seconds) of every public page now: the last public change,
    and the day (due dates count from today)."""
    changed = public_changed()
    today = timezone.localdate()
    etag = f'"{changed:x}-{today:%Y%m%d}"'
    midnight = timezone.make_aware(datetime.combine(today, datetime.min.time()))
    last_modified = max(changed // 1_000_000_000, int(midnight.astimezone(UTC).timestamp()))
    return etag, last_modified


def page_key(request: HttpRequest, etag: str) -> str:
    """Where a rendered page is kept: by the last change, the address, htmx or not (as
    django-htmx reads it) and gzip or not."""
    htmx = request.headers.get("HX-Request") == "true"
    described = f"{etag}|{htmx}|{accepts_gzip(request)}|{request.get_full_path()}"
    return "public-page:" + hashlib.sha256(described.encode()).hexdigest()


def public_response(request: HttpRequest, render: Callable[[], HttpResponse]) -> HttpResponse:
    """``render()``'s response for a public page: for an anonymous visitor with the ETag and
    Last-Modified of the last public change, 304 when their copy is current, and from the
    server-side cache when another visitor asked first; for a signed-in person, never cached.
    A new page is kept by ``PublicPageMiddleware`` once every middleware has added its headers,
    so that it can answer the next visitor without cookies before any of them runs."""
    if not is_cacheable(request):
        response = render()
        patch_cache_control(response, private=True, no_cache=True)
        return response
    # Read once a request: PublicPageMiddleware may have read them already, and missed.
    etag, last_modified = getattr(request, "public_validators", None) or validators()
    response = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if response is None:
        key = page_key(request, etag)
        response = caches["pages"].get(key)
        if response is None:
            response = render()
            if hasattr(response, "render"):
                response.render()
            if not keepable(request, response):
                # A page that needed a CSRF token or set a cookie is this visitor's own.
                patch_cache_control(response, private=True, no_cache=True)
                return response
            if response.status_code == 200:
                if accepts_gzip(request):
                    compress(response)
                response.public_page_key = key
    return with_validators(response, etag, last_modified)


def with_validators(response: HttpResponse, etag: str, last_modified: int) -> HttpResponse:
    if response.status_code in (200, 304):
        # A compressed copy is the same page in another encoding: its ETag is weak (as
        # GZipMiddleware makes it), and still matches a conditional request.
        response["ETag"] = f"W/{etag}" if response.get("Content-Encoding") else etag
        response["Last-Modified"] = http_date(last_modified)
        patch_cache_control(response, public=True, max_age=MAX_AGE)
        patch_vary_headers(response, ["HX-Request"])
    return response


def keep(response: HttpResponse) -> None:
    """Keep a page ``public_response`` marked, with the headers every middleware gave it."""
    key = getattr(response, "public_page_key", None)
    if key:
        del response.public_page_key
        caches["pages"].set(key, response, PAGE_TIMEOUT)


def kept_page(request: HttpRequest) -> HttpResponse | None:
    """The kept copy of the page ``request`` asks for (or 304 if the visitor's is current), or
    None. Only for a visitor who sends no cookie: no session, so no one signed in and no
    message waiting, which is what ``public_response`` checks the long way."""
    etag, last_modified = request.public_validators = validators()
    response = caches["pages"].get(page_key(request, etag))
    if response is None:
        return None
    current = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if current is not None:
        patch_vary_headers(current, ["Cookie"])
        response = current
    return with_validators(response, etag, last_modified)


def sessionless(view):
    """Mark a public view that needs no session, no user and no CSRF token (a stored PDF): for
    a visitor who sends no cookie, PublicPageMiddleware calls it before that middleware runs."""
    view.sessionless = True
    return view


def accepts_gzip(request: HttpRequest) -> bool:
    return bool(ACCEPTS_GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", "")))


def compress(response: HttpResponse) -> None:
    """Gzip a public page once, before it is kept, rather than on every answer from the cache
    (PublicGZipMiddleware leaves a response that has an encoding alone). Only pages no secret is
    in reach this point (``keepable``), so compressing them exposes nothing (BREACH)."""
    content_type = response.get("Content-Type", "")
    if (
        response.streaming
        or response.has_header("Content-Encoding")
        or len(response.content) < 200
        or not content_type.startswith(COMPRESSIBLE)
    ):
        return
    compressed = compress_string(response.content)
    if len(compressed) >= len(response.content):
        return
    response.content = compressed
    response["Content-Length"] = str(len(compressed))
    response["Content-Encoding"] = "gzip"
    patch_vary_headers(response, ["Accept-Encoding"])


def keepable(request: HttpRequest, response: HttpResponse) -> bool:
    """A response that is the same for every anonymous visitor: no cookie, no CSRF token."""
    return (
        not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not response.streaming
    )
