"""Who may do what with consultations. The organisation's writers (the lead and contributors)
run them and read their results; the lead alone moderates comments and attaches a summary to
the self-assessment. The steering group (reviewers and administrators) sees only the sector's
figures, never one organisation's consultation."""

import rules

from assessments.rules import WRITER_ROLES
from consultations.enums import EDITABLE_STATES
from signatories.enums import Role
from signatories.rules import is_sector_staff, role_in


@rules.predicate
def is_writer_in(user, organisation) -> bool:
    return user.is_active and role_in(user, organisation) in WRITER_ROLES


@rules.predicate
def is_writer_of(user, consultation) -> bool:
    return user.is_active and role_in(user, consultation.organisation) in WRITER_ROLES


@rules.predicate
def is_its_lead(user, consultation) -> bool:
    return user.is_active and role_in(user, consultation.organisation) == Role.LEAD


@rules.predicate
def is_editable(user, consultation) -> bool:
    return consultation.status in EDITABLE_STATES


# On an organisation: list and start consultations.
rules.add_perm("consultations.view_consultations", is_writer_in)
rules.add_perm("consultations.add_consultation", is_writer_in)
# On a consultation.
rules.add_perm("consultations.view_consultation", is_writer_of)
rules.add_perm("consultations.change_consultation", is_writer_of & is_editable)
rules.add_perm("consultations.run_consultation", is_writer_of)  # open, invite, close
rules.add_perm("consultations.moderate_consultation", is_its_lead)
rules.add_perm("consultations.attach_consultation", is_its_lead)
# The sector's figures across consenting organisations.
rules.add_perm("consultations.view_sector_voice", is_sector_staff)
