"""Every write about organisations and their people that touches more than one field or row."""

import secrets
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from signatories.enums import ALLOWED_TRANSITIONS, OrganisationStatus, Role
from signatories.models import (
    DraftRead,
    Invitation,
    Membership,
    Organisation,
    OrganisationStatusChange,
    User,
    hash_token,
    normalise_email,
)
from signatories.queries import SESSION_KEY
from signatories.rules import is_administrator, is_member_of
from techcommit.mail import send_templated_mail
from techcommit.transitions import change_status


class StatusError(Exception):
    """A status change that is not allowed, or lacks its reason; the message is for the person."""


def transition(organisation: Organisation, *, to: str, by, comment: str) -> Organisation:
    """Change the organisation's status (signatory, lapsed, withdrawn). Every change needs a
    reason, is checked against ``ALLOWED_TRANSITIONS`` and is kept in its history."""
    comment = comment.strip()
    if not comment:
        raise StatusError("Say why the status changes; the reason is kept in its history.")

    def refuse(locked: Organisation) -> StatusError:
        return StatusError(
            f"An organisation that is {locked.get_status_display().lower()} cannot become "
            f"{OrganisationStatus(to).label.lower()}."
        )

    def record(locked: Organisation, before: str) -> None:
        OrganisationStatusChange.objects.create(
            organisation=locked, from_status=before, to_status=to, by=by, comment=comment[:500]
        )

    return change_status(
        organisation, to=to, allowed=ALLOWED_TRANSITIONS, refuse=refuse, record=record
    )


# Reads of the same draft by the same administrator within this time are one read (a page, its
# figures and the next section are one look, not a dozen rows in the trail).
DRAFT_READ_WINDOW = timedelta(minutes=10)


def record_draft_read(user, organisation: Organisation, what: str) -> None:
    """Keep in the organisation's audit trail that an administrator who is not one of its
    members read ``what``, one of its drafts. Members reading their own drafts are not
    recorded; neither is the same read again within ``DRAFT_READ_WINDOW``."""
    if not is_administrator(user) or is_member_of(user, organisation):
        return
    now = timezone.now()
    what = what[:200]
    recent = DraftRead.objects.filter(
        organisation=organisation, by=user, what=what, at__gte=now - DRAFT_READ_WINDOW
    )
    if not recent.exists():
        DraftRead.objects.create(organisation=organisation, by=user, what=what, at=now)


class InvitationProblem(Exception):
    """An invitation link that cannot be used, with the reason a person can act on."""

    def __init__(self, reason: str, invitation: Invitation | None = None):
        super().__init__(reason)
        self.reason = reason
        self.invitation = invitation


@transaction.atomic
def invite(
    organisation: Organisation, email: str, role: str, by: User, accept_url_for
) -> Invitation:
    """Invite ``email`` to join ``organisation`` with ``role`` and e-mail them a link.

    ``accept_url_for(path)`` turns the acceptance path into an absolute address. Inviting an
    address that already has a pending invitation replaces it, so only the newest link works.
    """
    email = normalise_email(email)
    if Membership.objects.filter(organisation=organisation, user__email__iexact=email).exists():
        raise ValidationError(
            {"email": f"{email} is already a member of {organisation.name}."}, code="member"
        )
    now = timezone.now()
    Invitation.objects.pending().filter(organisation=organisation, email=email).update(
        revoked_at=now
    )
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        organisation=organisation,
        email=email,
        role=role,
        invited_by=by,
        token_hash=hash_token(token),
        created_at=now,
        expires_at=now + timedelta(days=settings.INVITATION_VALID_DAYS),
    )
    link = accept_url_for(reverse("signatories:accept_invitation", kwargs={"token": token}))
    send_templated_mail(
        "signatories/email/invitation",
        to=[email],
        context={"invitation": invitation, "link": link, "inviter": by},
        reply_to=[by.email],
    )
    return invitation


def find_invitation(token: str) -> Invitation:
    """The invitation behind a link, or InvitationProblem saying why it cannot be used."""
    invitation = (
        Invitation.objects.select_related("organisation", "invited_by")
        .filter(token_hash=hash_token(token))
        .first()
    )
    check_usable(invitation)
    return invitation


def check_usable(invitation: Invitation | None) -> None:
    if invitation is None:
        raise InvitationProblem(
            "This invitation link is not valid. Check that you copied the whole address from "
            "the e-mail."
        )
    inviter = invitation.invited_by.full_name if invitation.invited_by else "the lead"
    if invitation.accepted_at is not None:
        raise InvitationProblem(
            "This invitation has already been used. Sign in with the e-mail address it was "
            "sent to.",
            invitation,
        )
    if invitation.revoked_at is not None:
        raise InvitationProblem(
            f"This invitation has been withdrawn or replaced by a newer one. Look for a newer "
            f"e-mail, or ask {inviter} to invite you again.",
            invitation,
        )
    if invitation.is_expired:
        raise InvitationProblem(
            f"This invitation expired on {invitation.expires_at:%d %B %Y}. Ask {inviter} to "
            f"invite you again.",
            invitation,
        )


@transaction.atomic
def accept_invitation(
    invitation: Invitation,
    *,
    user: User | None = None,
    full_name: str = "",
    job_title: str = "",
    password: str = "",
) -> Membership:
    """Use an invitation once: join its organisation, creating the person if they are new.

    The row is locked, so a link used twice at the same moment makes one membership and the
    second request is told the link was used.
    """
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    check_usable(invitation)
    if user is None:
        if User.objects.filter(email__iexact=invitation.email).exists():
            raise InvitationProblem(
                "An account with this e-mail address already exists: sign in to accept.",
                invitation,
            )
        user = User.objects.create_user(
            email=invitation.email,
            password=password,
            full_name=full_name.strip(),
            job_title=job_title.strip(),
        )
    elif normalise_email(user.email) != invitation.email:
        raise InvitationProblem(
            f"This invitation was sent to {invitation.email}; you are signed in as "
            f"{user.email}. Sign out and follow the link again.",
            invitation,
        )
    # The person followed a link sent to this address, so the address is verified.
    EmailAddress.objects.update_or_create(
        user=user, email=invitation.email, defaults={"verified": True, "primary": True}
    )
    membership, created = Membership.objects.get_or_create(
        organisation=invitation.organisation, user=user, defaults={"role": invitation.role}
    )
    if not created:
        raise InvitationProblem(
            f"You are already a member of {invitation.organisation.name}.", invitation
        )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return membership


def revoke_invitation(invitation: Invitation) -> None:
    Invitation.objects.pending().filter(pk=invitation.pk).update(revoked_at=timezone.now())


def _lock_members(organisation: Organisation) -> list[Membership]:
    return list(Membership.objects.select_for_update().filter(organisation=organisation))


def _keeps_a_lead(memberships: list[Membership], changed: Membership, new_role: str | None) -> bool:
    """False when the change would take away the organisation's last lead."""
    if changed.role != Role.LEAD or new_role == Role.LEAD:
        return True
    return any(m.role == Role.LEAD and m.pk != changed.pk for m in memberships)


@transaction.atomic
def change_role(membership: Membership, role: str) -> Membership:
    """Give a member another role; an organisation always keeps at least one lead."""
    memberships = _lock_members(membership.organisation)
    current = next((m for m in memberships if m.pk == membership.pk), None)
    if current is None:
        raise ValidationError("This person is no longer a member.")
    if not _keeps_a_lead(memberships, current, role):
        raise ValidationError(
            {
                "role": f"{current.user} is the only institutional lead. Make someone else a lead "
                "first."
            },
            code="last_lead",
        )
    current.role = role
    current.save(update_fields=["role"])
    return current


@transaction.atomic
def remove_member(membership: Membership) -> None:
    """Remove someone from the organisation; the last lead cannot be removed."""
    memberships = _lock_members(membership.organisation)
    current = next((m for m in memberships if m.pk == membership.pk), None)
    if current is None:
        return
    if not _keeps_a_lead(memberships, current, None):
        raise ValidationError(
            f"{current.user} is the only institutional lead and cannot be removed. Make someone "
            "else a lead first.",
            code="last_lead",
        )
    current.delete()


def switch_organisation(request, organisation: Organisation) -> None:
    request.session[SESSION_KEY] = organisation.pk
