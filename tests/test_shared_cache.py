"""Shared state: with REDIS_URL the cache, and with it allauth's sign-in throttling, is one for
every process on every app server; without it, a table in the database, so that `make run` needs
no Redis. Run the Redis tests with REDIS_URL=redis://127.0.0.1:6379/<n> (a database of their own:
each test empties it); CI sets it (.ci/run starts Redis)."""

import os

import pytest
from django.core.cache import cache

from tests.factories import PASSWORD
from tests.processes import run

LOGIN_URL = "/accounts/login/"
SETTINGS = {"DJANGO_SETTINGS_MODULE": "techcommit.settings", "DEBUG": "true"}
SHOW_CACHE = (
    "import django; django.setup(); from django.conf import settings as s\n"
    "c = s.CACHES['default']; print(c['BACKEND'], c['LOCATION'])\n"
)


@pytest.fixture
def redis():
    """The Redis the tests were pointed at. Skipped on a laptop without REDIS_URL; in CI a
    missing REDIS_URL or an unreachable Redis fails."""
    url = os.environ.get("REDIS_URL")
    if not url:
        if os.environ.get("CI"):
            pytest.fail("REDIS_URL is not set: CI tests shared state on Redis (.ci/run sets it)")
        pytest.skip("REDIS_URL is not set: run with REDIS_URL=redis://127.0.0.1:6379/<n>")
    try:
        cache.set("reachable", "yes", 10)
    except Exception as exc:  # any failure to reach Redis is the finding
        pytest.fail(f"Redis at {url} cannot be reached: {exc!r}")
    return url


def test_without_redis_url_the_cache_is_a_database_table():
    result = run(SHOW_CACHE, REDIS_URL="", **SETTINGS)
    assert result.stdout.strip() == (
        "django.core.cache.backends.db.DatabaseCache techcommit_cache"
    ), result.stderr


def test_with_redis_url_the_cache_is_django_s_redis_backend():
    result = run(SHOW_CACHE, REDIS_URL="redis://cache.internal:6379/2", **SETTINGS)
    assert result.stdout.strip() == (
        "django.core.cache.backends.redis.RedisCache redis://cache.internal:6379/2"
    ), result.stderr


def test_what_one_process_caches_another_reads(redis):
    cache.set("written-here", "by the test process", 60)
    code = (
        "import django; django.setup(); from django.core.cache import cache\n"
        "print(cache.get('written-here'))\n"
        "cache.set('written-there', 'by another process', 60)\n"
    )
    result = run(code, **SETTINGS)
    assert result.stdout.strip() == "by the test process", result.stderr
    assert cache.get("written-there") == "by another process"


def test_failed_sign_ins_on_another_app_server_throttle_this_one(redis, client, lead_of_org_a):
    # Another process fails five sign-ins for the lead's address, through allauth's own adapter
    # (the step its sign-in form takes before checking a password).
    code = (
        "import django; django.setup()\n"
        "from allauth.account.adapter import get_adapter\n"
        "from django.test import RequestFactory\n"
        "request = RequestFactory().post('/accounts/login/')\n"
        "for _ in range(5):\n"
        "    get_adapter(request).pre_authenticate(\n"
        "        request, email='lead.a@example.org', password='wrong')\n"
        "print('five failures counted')\n"
    )
    result = run(code, ALLOWED_HOSTS="testserver", **SETTINGS)
    assert result.stdout.strip() == "five failures counted", result.stderr

    page = client.post(LOGIN_URL, {"login": "lead.a@example.org", "password": PASSWORD})
    assert "Too many failed login attempts. Try again later." in page.content.decode()
    assert "_auth_user_id" not in client.session
