"""Who may do what in the submission flow.

The organisation's members read their own submissions; its lead requests sign-off, submits and
reopens; the holder of each required role signs. The steering group's administrators see every
submission and assign reviewers; a reviewer sees only what they are assigned, and never their
own organisation's. Reviewer-only notes stay with reviewers and administrators.
"""

import rules

from signatories.rules import is_administrator, is_lead_of, is_member_of, is_reviewer, role_in


@rules.predicate
def is_member_of_its_organisation(user, assessment) -> bool:
    return is_member_of(user, assessment.organisation)


@rules.predicate
def is_its_lead(user, assessment) -> bool:
    return is_lead_of(user, assessment.organisation)


@rules.predicate
def is_writer_of_it(user, assessment) -> bool:
    return user.is_active and role_in(user, assessment.organisation) in {"lead", "contributor"}


@rules.predicate
def is_assigned_reviewer(user, assessment) -> bool:
    if not (is_reviewer(user) and not is_member_of(user, assessment.organisation)):
        return False
    cached = getattr(user, "_assigned_assessments", None)
    if cached is None:
        # Never the organisation the reviewer's pool entry names, however they were assigned.
        home = user.reviewer_profile.organisation_id if hasattr(user, "reviewer_profile") else None
        cached = set(
            user.assignments.exclude(assessment__organisation_id=home).values_list(
                "assessment_id", flat=True
            )
            if home
            else user.assignments.values_list("assessment_id", flat=True)
        )
        user._assigned_assessments = cached
    return assessment.pk in cached


@rules.predicate
def holds_the_role(user, sign_off) -> bool:
    return user.is_active and role_in(user, sign_off.snapshot.assessment.organisation) == (
        sign_off.role
    )


is_steering_group = is_administrator

# On a self-assessment.
rules.add_perm(
    "submissions.view_submission",
    is_member_of_its_organisation | is_assigned_reviewer | is_steering_group,
)
rules.add_perm("submissions.lead_submission", is_its_lead)
rules.add_perm("submissions.reply_to_feedback", is_writer_of_it)
rules.add_perm("submissions.review_submission", is_assigned_reviewer | is_steering_group)
rules.add_perm("submissions.read_reviewer_notes", is_assigned_reviewer | is_steering_group)
# On a sign-off.
rules.add_perm("submissions.sign", holds_the_role)
# The sector: the review queue, the reviewer pool, assignments.
rules.add_perm("submissions.manage_reviews", is_steering_group)
