"""The permission matrix: every role x every verb x own organisation / another / anonymous."""

import pytest
from django.contrib.auth.models import AnonymousUser

from tests.conftest import PERSONAS

Y, N = True, False
COLUMNS = PERSONAS
# What each persona may do with organisation A. Members of A act on their own organisation; the
# lead of B acts on another organisation.
MATRIX = {
    #                                 lead   contr  spons  leader lead-B review admin  anon
    "signatories.view_organisation": (Y,     Y,     Y,     Y,     N,     Y,     Y,     N),
    "signatories.view_members":      (Y,     Y,     Y,     Y,     N,     N,     Y,     N),
    "signatories.manage_members":    (Y,     N,     N,     N,     N,     N,     Y,     N),
}  # fmt: skip
CASES = [
    pytest.param(perm, persona, allowed, id=f"{perm.split('.')[1]}-{persona}")
    for perm, row in MATRIX.items()
    for persona, allowed in zip(COLUMNS, row, strict=True)
]


@pytest.mark.parametrize(("permission", "person", "allowed"), CASES, indirect=["person"])
def test_permission_on_organisation_a(person, org_a, permission, allowed):
    user = person or AnonymousUser()
    assert user.has_perm(permission, org_a) is allowed


@pytest.mark.parametrize(
    ("permission", "person"),
    [(perm, persona) for perm in MATRIX for persona in ["lead_of_org_b"]],
    indirect=["person"],
)
def test_the_lead_of_b_holds_the_same_permissions_on_their_own_organisation(
    person, org_a, org_b, permission
):
    """Mirror of the matrix: what B's lead may not do in A, they may do in B as its lead."""
    lead_column = COLUMNS.index("lead_of_org_a")
    assert person.has_perm(permission, org_b) is MATRIX[permission][lead_column]


@pytest.mark.parametrize(
    ("person", "allowed"),
    [pytest.param(p, p in {"reviewer", "administrator"}, id=p) for p in PERSONAS],
    indirect=["person"],
)
def test_only_sector_staff_see_the_sector_overview(person, allowed):
    user = person or AnonymousUser()
    assert user.has_perm("signatories.view_sector_overview") is allowed


def test_a_deactivated_lead_loses_every_permission(lead_of_org_a, org_a):
    lead_of_org_a.is_active = False
    lead_of_org_a.save()
    assert [lead_of_org_a.has_perm(p, org_a) for p in MATRIX] == [False, False, False]


def test_checking_several_permissions_costs_one_query(
    lead_of_org_a, org_a, django_assert_num_queries
):
    with django_assert_num_queries(1):
        results = [lead_of_org_a.has_perm(p, org_a) for p in MATRIX]
    assert results == [True, True, True]
