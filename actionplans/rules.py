"""Who may do what with action plans. Like self-assessments, drafts belong to their organisation:
its members (and the portal's administrators) read them; leads and contributors write them; the
lead alone shapes the plan (its key, status wording, headings and phases) and finalises reviews."""

import rules

from actionplans.enums import EDITABLE_PLAN_STATES
from assessments.rules import WRITER_ROLES
from signatories.enums import Role
from signatories.rules import is_administrator, is_lead_of, is_member_of, role_in


@rules.predicate
def is_member_of_its_organisation(user, plan) -> bool:
    return is_member_of(user, plan.organisation)


@rules.predicate
def is_writer_of(user, plan) -> bool:
    return user.is_active and role_in(user, plan.organisation) in WRITER_ROLES


@rules.predicate
def is_its_lead(user, plan) -> bool:
    return user.is_active and role_in(user, plan.organisation) == Role.LEAD


@rules.predicate
def is_editable(user, plan) -> bool:
    return plan.status in EDITABLE_PLAN_STATES and plan.assessment_allows_changes


# On an organisation: start a plan.
rules.add_perm("actionplans.add_plan", is_lead_of)
# On a plan.
rules.add_perm("actionplans.view_plan", is_member_of_its_organisation | is_administrator)
rules.add_perm("actionplans.change_plan", is_writer_of & is_editable)
rules.add_perm("actionplans.shape_plan", is_its_lead & is_editable)
# Progress reviews: written by the plan's writers whatever the plan's state; finalised by the lead.
rules.add_perm("actionplans.review_plan", is_writer_of)
rules.add_perm("actionplans.finalise_review", is_its_lead)
# On an organisation: record a plan of an earlier cycle, approved before the portal.
rules.add_perm("actionplans.record_earlier_plan", is_lead_of | is_administrator)
# On an earlier plan: add or replace its original PDF, show it on the public page or take it off.
rules.add_perm("actionplans.manage_original", is_its_lead | is_administrator)
# On an organisation: see its plans at all (drafts are the organisation's own).
rules.add_perm("actionplans.view_plans", is_member_of | is_administrator)
