"""Who may do what with self-assessments. Drafts belong to their organisation: only its members
(and the portal's administrators) read them; leads and contributors write them."""

import rules

from assessments.enums import EDITABLE_STATES
from signatories.enums import Role
from signatories.rules import is_administrator, is_lead_of, is_member_of, role_in

WRITER_ROLES = frozenset({Role.LEAD, Role.CONTRIBUTOR})


@rules.predicate
def is_member_of_its_organisation(user, assessment) -> bool:
    return is_member_of(user, assessment.organisation)


@rules.predicate
def is_writer_of(user, assessment) -> bool:
    return user.is_active and role_in(user, assessment.organisation) in WRITER_ROLES


@rules.predicate
def is_editable(user, assessment) -> bool:
    return assessment.status in EDITABLE_STATES


# On an organisation: start its self-assessment for the current cycle.
rules.add_perm("assessments.start_assessment", is_lead_of)
# On a self-assessment.
rules.add_perm("assessments.view_assessment", is_member_of_its_organisation | is_administrator)
rules.add_perm("assessments.change_assessment", is_writer_of & is_editable)
# Sector-wide: the cohort deadlines (the portal's administration).
rules.add_perm("assessments.manage_cohorts", is_administrator)
