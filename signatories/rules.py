"""Who may do what with organisations and their members, written once.

Predicates read a per-request cache of the person's roles, so checking several verbs on one page
costs one query. Lists never call these per row: they start from ``queries``.
"""

import rules

from signatories.enums import SIGN_OFF_ROLES, Role


def roles_by_organisation(user) -> dict[int, str]:
    """{organisation id: role} for a signed-in person, loaded once per request."""
    if not user.is_authenticated:
        return {}
    cached = getattr(user, "_roles_by_organisation", None)
    if cached is None:
        cached = dict(user.memberships.values_list("organisation_id", "role"))
        user._roles_by_organisation = cached
    return cached


def role_in(user, organisation) -> str | None:
    if organisation is None:
        return None
    return roles_by_organisation(user).get(organisation.pk)


@rules.predicate
def is_administrator(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_staff)


@rules.predicate
def is_reviewer(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_reviewer)


@rules.predicate
def is_member_of(user, organisation) -> bool:
    return user.is_active and role_in(user, organisation) is not None


@rules.predicate
def is_lead_of(user, organisation) -> bool:
    return user.is_active and role_in(user, organisation) == Role.LEAD


@rules.predicate
def is_signer_of(user, organisation) -> bool:
    return user.is_active and role_in(user, organisation) in SIGN_OFF_ROLES


is_sector_staff = is_administrator | is_reviewer

# The organisation's own pages: its dashboard and due date.
rules.add_perm("signatories.view_organisation", is_member_of | is_sector_staff)
# Who belongs to it, with their e-mail addresses and roles.
rules.add_perm("signatories.view_members", is_member_of | is_administrator)
# Which administrators read the organisation's drafts, and when (its audit trail).
rules.add_perm("signatories.view_draft_reads", is_lead_of | is_administrator)
# Invite, change roles, remove members, withdraw invitations.
rules.add_perm("signatories.manage_members", is_lead_of | is_administrator)
# Every signatory's due date on one page.
rules.add_perm("signatories.view_sector_overview", is_sector_staff)
# The portal's own administration: add and edit organisations, import the signatory list, change
# an organisation's status with a reason.
rules.add_perm("signatories.administer_organisations", is_administrator)
# Everyone signed in keeps their own name, job title and telephone number.
rules.add_perm("signatories.change_own_profile", rules.is_authenticated & rules.is_active)
