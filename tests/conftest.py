"""Persona fixtures: two organisations, a person in each role of the first, and sector staff."""

import os
from pathlib import Path

import pytest
from allauth.mfa.models import Authenticator

from signatories.enums import Role
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

# Every persona the permission matrices run through. Members of org A hold each organisation
# role; the lead of org B is "someone from another organisation".
MEMBER_PERSONAS = ["lead_of_org_a", "contributor_of_org_a", "sponsor_of_org_a", "leader_of_org_a"]
PERSONAS = [*MEMBER_PERSONAS, "lead_of_org_b", "reviewer", "administrator", "anonymous"]

# The team's shared folder sits beside the checkout (``../shared``), as it does in CI.
SHARED = Path(__file__).resolve().parent.parent.parent / "shared"


@pytest.fixture
def shared_seed():
    """The path of one of the real submissions in ``../shared/seeds``. Tests read them, never copy
    them. Without the folder the test is skipped on a laptop, and fails in CI, where it is laid."""

    def find(name: str) -> Path:
        path = SHARED / "seeds" / name
        if not path.exists():
            if os.environ.get("CI"):
                pytest.fail(f"{path} is missing: CI lays ../shared beside the checkout")
            pytest.skip(f"{path} is not on this machine (it is in CI)")
        return path

    return find


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's, and at the end of the run: PostgreSQL will not drop the test database
    while another session is connected to it, and a live server's request thread, left by a
    browser that closed mid-request (a daemon thread: nothing waits for it), once failed a whole
    green run that way. Such sessions are named on stderr, so that one left by the portal itself
    would be seen, and ended, before pytest-django drops the database."""
    yield
    from django.db import connection

    with django_db_blocker.unblock():
        if connection.vendor != "postgresql":
            return
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pid, state, left(query, 120), pg_terminate_backend(pid) "
                "FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid()"
            )
            for pid, state, query, _ in cursor.fetchall():
                print(f"\nended a session left on the test database: {pid} {state} {query}")


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _media_in_a_temporary_folder(settings, tmp_path_factory):
    """Uploaded figures and rendered PDFs never land in the project's own media folder."""
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")


@pytest.fixture(autouse=True)
def _empty_shared_cache(settings):
    """With REDIS_URL the cache outlives each test's transaction: every test starts with it empty,
    so that one test's failed sign-ins never throttle another's. (The database cache is rolled
    back with each test.) Give the tests a Redis database of their own: this empties it."""
    if settings.CACHES["default"]["BACKEND"].endswith("RedisCache"):
        from django.core.cache import cache

        cache.clear()


@pytest.fixture
def org_a(db):
    return OrganisationFactory(
        name="University of Aldermoor", short_name="Aldermoor", slug="aldermoor"
    )


@pytest.fixture
def org_b(db):
    return OrganisationFactory(
        name="Brackenfield Institute", short_name="Brackenfield", slug="brackenfield"
    )


def _member(organisation, role, email, name):
    user = UserFactory(email=email, full_name=name)
    MembershipFactory(organisation=organisation, role=role, user=user)
    return user


@pytest.fixture
def lead_of_org_a(org_a):
    return _member(org_a, Role.LEAD, "lead.a@example.org", "Lena Aldous")


@pytest.fixture
def contributor_of_org_a(org_a):
    return _member(org_a, Role.CONTRIBUTOR, "contributor.a@example.org", "Carl Ash")


@pytest.fixture
def sponsor_of_org_a(org_a):
    return _member(org_a, Role.SPONSOR, "sponsor.a@example.org", "Sara Ainsley")


@pytest.fixture
def leader_of_org_a(org_a):
    return _member(org_a, Role.LEADER, "leader.a@example.org", "Leo Arden")


@pytest.fixture
def lead_of_org_b(org_b):
    return _member(org_b, Role.LEAD, "lead.b@example.org", "Bea Brook")


def with_totp(user):
    """A real authenticator row, so that the two-factor requirement is met."""
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})
    return user


@pytest.fixture
def reviewer(db):
    user = UserFactory(email="reviewer@example.org", full_name="Rhys Vaughan", is_reviewer=True)
    return with_totp(user)


@pytest.fixture
def administrator(db):
    user = UserFactory(
        email="admin@example.org", full_name="Ada Minter", is_staff=True, is_superuser=True
    )
    return with_totp(user)


@pytest.fixture
def person(request, org_a, org_b):
    """The persona named by the test's ``persona`` parameter (None for anonymous).

    Both organisations always exist, so "another organisation" is never a missing one.
    """
    name = request.param
    return None if name == "anonymous" else request.getfixturevalue(name)


@pytest.fixture
def client_as(client):
    """A client signed in as the given person (or anonymous for None)."""

    def sign_in(user):
        if user is not None:
            client.force_login(user)
        return client

    return sign_in


@pytest.fixture
def official_forms(transactional_db):
    """The official forms and themes, as the data migrations make them.

    Live-server tests empty every table when they finish, taking migration data with them; a
    browser test that needs the forms asks for this fixture to put them back.
    """
    import importlib

    from django.apps import apps

    from assessments.models import FormVersion

    if FormVersion.objects.exists():
        return
    for name, function in [
        ("0002_official_form_versions", "add_versions"),
        ("0004_official_forms", "add_official_forms"),
    ]:
        migration = importlib.import_module(f"assessments.migrations.{name}")
        getattr(migration, function)(apps, None)
