"""Every e-mail of the submission flow, written once. Each is sent after the transaction
commits (techcommit.mail), so a step that fails never e-mails anyone.

Reviewer-only notes (comments not shared with the organisation, the structured assessment)
never go into an e-mail to the organisation: only released feedback does.
"""

from __future__ import annotations

from django.urls import reverse

from signatories.enums import Role
from signatories.models import Membership
from techcommit.mail import send_templated_mail
from techcommit.mail import site_url as absolute


def submission_url(assessment) -> str:
    return absolute(
        reverse("submissions:submission", args=[assessment.organisation.slug, assessment.pk])
    )


def _leads(assessment) -> list[str]:
    return list(
        Membership.objects.filter(
            organisation_id=assessment.organisation_id, role=Role.LEAD, user__is_active=True
        ).values_list("user__email", flat=True)
    )


def _send(name: str, to: list[str], **context) -> None:
    recipients = sorted({address for address in to if address})
    if recipients:
        send_templated_mail(f"submissions/email/{name}", to=recipients, context=context)


def sign_off_requested(sign_off, holders, earlier=None) -> None:
    """To the holders of the role: please sign. ``earlier`` is the revision signed before, when
    the answers changed after it (after the steering group asked for changes)."""
    snapshot = sign_off.snapshot
    link = absolute(
        reverse(
            "submissions:sign",
            args=[snapshot.assessment.organisation.slug, snapshot.assessment.pk, sign_off.pk],
        )
    )
    _send(
        "sign_off_requested",
        [user.email for user in holders],
        sign_off=sign_off,
        snapshot=snapshot,
        earlier=earlier,
        assessment=snapshot.assessment,
        link=link,
    )


def sign_off_given(sign_off) -> None:
    assessment = sign_off.snapshot.assessment
    _send(
        "sign_off_given",
        _leads(assessment),
        sign_off=sign_off,
        assessment=assessment,
        link=submission_url(assessment),
    )


def sign_off_declined(sign_off) -> None:
    assessment = sign_off.snapshot.assessment
    _send(
        "sign_off_declined",
        _leads(assessment),
        sign_off=sign_off,
        assessment=assessment,
        link=submission_url(assessment),
    )


def sign_off_voided(sign_off) -> None:
    assessment = sign_off.snapshot.assessment
    to = _leads(assessment) + ([sign_off.signer.email] if sign_off.signer else [])
    _send(
        "sign_off_voided",
        to,
        sign_off=sign_off,
        assessment=assessment,
        link=submission_url(assessment),
    )


def submitted(snapshot) -> None:
    from signatories.models import User

    assessment = snapshot.assessment
    staff = list(User.objects.filter(is_active=True, is_staff=True).values_list("email", flat=True))
    reviewers = list(
        assessment.assignments.filter(reviewer__is_active=True).values_list(
            "reviewer__email", flat=True
        )
    )
    _send(
        "submitted",
        _leads(assessment) + staff + reviewers,
        snapshot=snapshot,
        assessment=assessment,
        link=submission_url(assessment),
    )


def feedback_released(feedback) -> None:
    """To the organisation: the overall feedback and the decision, never reviewer notes."""
    assessment = feedback.snapshot.assessment
    members = Membership.objects.filter(
        organisation_id=assessment.organisation_id,
        role__in=[Role.LEAD, Role.CONTRIBUTOR, Role.SPONSOR, Role.LEADER],
        user__is_active=True,
    ).values_list("user__email", flat=True)
    _send(
        "feedback_released",
        list(members),
        feedback=feedback,
        assessment=assessment,
        link=submission_url(assessment),
    )
