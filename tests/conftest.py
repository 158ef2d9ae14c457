"""Persona fixtures: two organisations, a person in each role of the first, and sector staff."""

import pytest
from allauth.mfa.models import Authenticator

from signatories.enums import Role
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


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
    return MembershipFactory(
        organisation=organisation, role=role, user=UserFactory(email=email, full_name=name)
    ).user


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


def _with_totp(user):
    # A real authenticator row, so that the two-factor requirement is met.
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})
    return user


@pytest.fixture
def reviewer(db):
    return _with_totp(
        UserFactory(email="reviewer@example.org", full_name="Rhys Vaughan", is_reviewer=True)
    )


@pytest.fixture
def administrator(db):
    return _with_totp(
        UserFactory(
            email="admin@example.org", full_name="Ada Minter", is_staff=True, is_superuser=True
        )
    )


PERSONAS = [
    "lead_of_org_a",
    "contributor_of_org_a",
    "sponsor_of_org_a",
    "leader_of_org_a",
    "lead_of_org_b",
    "reviewer",
    "administrator",
    "anonymous",
]


@pytest.fixture
def persona(request, db):
    """The person named by the test's ``persona_name`` parameter; None for anonymous."""
    name = request.param if hasattr(request, "param") else request.getfixturevalue("persona_name")
    if name == "anonymous":
        return None
    return request.getfixturevalue(name)
