"""Every write to a consultation: making and shaping it, opening and closing it, inviting,
answering (the one place a response is made, anonymous by construction), withdrawing an answer,
moderating and attaching its summary to a self-assessment."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import F, Max
from django.urls import reverse
from django.utils import timezone

from assessments.enums import EDITABLE_STATES as ASSESSMENT_EDITABLE_STATES
from assessments.enums import AssessmentStatus
from consultations.enums import (
    ALLOWED_TRANSITIONS,
    EDITABLE_STATES,
    MAX_QUESTIONS,
    CommentStatus,
    ConsultationStatus,
    QuestionKind,
)
from consultations.models import (
    Answer,
    Attachment,
    Comment,
    Consultation,
    ConsultationQuestion,
    ConsultationStatusChange,
    Invitation,
    Response,
    SharedQuestion,
)
from consultations.queries import response_count, results_visible
from signatories.models import hash_token
from techcommit.mail import send_templated_mail, site_url
from techcommit.text import sanitise_html
from techcommit.transitions import change_status


class ConsultationError(Exception):
    """A change the consultation's state does not allow; the message is for the person."""


def new_token() -> str:
    return secrets.token_urlsafe(32)


def create(
    organisation,
    *,
    by,
    title: str,
    introduction: str,
    closes_on,
    threshold: int,
    sector_consent: bool,
) -> Consultation:
    return Consultation.objects.create(
        organisation=organisation,
        title=title,
        introduction=sanitise_html(introduction),
        closes_on=closes_on,
        threshold=threshold,
        sector_consent=sector_consent,
        link_token=new_token(),
        created_by=by,
    )


def update(consultation: Consultation, **fields) -> Consultation:
    if "introduction" in fields:
        fields["introduction"] = sanitise_html(fields["introduction"])
    for name, value in fields.items():
        setattr(consultation, name, value)
    consultation.full_clean()
    consultation.save(update_fields=list(fields))
    return consultation


def _check_editable(consultation: Consultation) -> None:
    if consultation.status not in EDITABLE_STATES:
        raise ConsultationError("The questions cannot change once the consultation is open.")


@transaction.atomic
def add_question(
    consultation: Consultation,
    *,
    kind: str,
    text: str,
    theme=None,
    choices: list[str] | None = None,
    shared: SharedQuestion | None = None,
) -> ConsultationQuestion:
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    _check_editable(consultation)
    last = consultation.questions.aggregate(last=Max("position"))["last"] or 0
    if consultation.questions.count() >= MAX_QUESTIONS:
        raise ConsultationError(f"A consultation has at most {MAX_QUESTIONS} questions.")
    question = ConsultationQuestion(
        consultation=consultation,
        position=last + 1,
        kind=kind,
        text=text,
        theme=theme if kind == QuestionKind.AGREEMENT else None,
        choices=list(choices or []) if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE) else [],
        shared=shared,
    )
    question.full_clean()
    question.save()
    return question


def add_shared(consultation: Consultation, shared: SharedQuestion) -> ConsultationQuestion:
    return add_question(
        consultation,
        kind=shared.kind,
        text=shared.text,
        theme=shared.theme,
        choices=shared.choices,
        shared=shared,
    )


@transaction.atomic
def remove_question(consultation: Consultation, question: ConsultationQuestion) -> None:
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    _check_editable(consultation)
    position = question.position
    question.delete()
    # Close the gap from the front, so that no two rows ever share a position.
    for later in consultation.questions.filter(position__gt=position).order_by("position"):
        ConsultationQuestion.objects.filter(pk=later.pk).update(position=F("position") - 1)


def transition(consultation: Consultation, *, to: str, by) -> Consultation:
    """The one way a consultation's status changes (STYLE.md 2.2)."""
    if to == ConsultationStatus.OPEN and not consultation.questions.exists():
        raise ConsultationError("Add at least one question before opening the consultation.")

    def refuse(locked):
        return ConsultationError(
            f"The consultation is {locked.get_status_display().lower()}: it cannot be "
            f"{'opened' if to == ConsultationStatus.OPEN else 'closed'}."
        )

    def record(locked, before):
        if to == ConsultationStatus.CLOSED:
            locked.closed_on = timezone.localdate()
            locked.save(update_fields=["closed_on"])
            consultation.closed_on = locked.closed_on
        ConsultationStatusChange.objects.create(
            consultation=locked, from_status=before, to_status=to, by=by
        )

    return change_status(
        consultation, to=to, allowed=ALLOWED_TRANSITIONS, refuse=refuse, record=record
    )


def close_due(today: date | None = None) -> int:
    """Close every open consultation whose closing date has passed (``manage.py
    close_consultations``, daily): it stopped taking answers at the end of its closing day, and
    its results and comments to moderate wait for it to be closed. Recorded as closed by nobody
    (the portal did it); how many were closed."""
    today = today or timezone.localdate()
    closed = 0
    for consultation in Consultation.objects.filter(
        status=ConsultationStatus.OPEN, closes_on__lt=today
    ):
        transition(consultation, to=ConsultationStatus.CLOSED, by=None)
        closed += 1
    return closed


def respondent_url(consultation: Consultation) -> str:
    return site_url(reverse("consultations:respond", args=[consultation.link_token]))


def withdraw_url() -> str:
    return site_url(reverse("consultations:withdraw"))


@transaction.atomic
def invite(consultation: Consultation, addresses: list[str]) -> int:
    """One single-use link to each address, sent through the outbox. Only each token's hash is
    kept here; the address is nowhere in this app's tables."""
    if not consultation.is_accepting:
        raise ConsultationError("Invitations can be sent only while the consultation is open.")
    addresses = list(dict.fromkeys(a.strip().lower() for a in addresses if a.strip()))
    for address in addresses:
        token = new_token()
        Invitation.objects.create(consultation=consultation, token_hash=hash_token(token))
        send_templated_mail(
            "consultations/email/invitation",
            to=[address],
            context={
                "consultation": consultation,
                "organisation": consultation.organisation,
                "link": site_url(reverse("consultations:respond_invited", args=[token])),
            },
        )
    return len(addresses)


def invitation_for(token: str) -> Invitation | None:
    return (
        Invitation.objects.filter(token_hash=hash_token(token))
        .select_related("consultation__organisation")
        .first()
    )


# Withdrawal codes: 20 characters of Crockford's base32 (100 bits), shown in groups of five.
# Typed back, case, spaces and hyphens do not matter, and O, I and L read as 0, 1 and 1.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 20


def new_withdrawal_code() -> str:
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(code[i : i + 5] for i in range(0, CODE_LENGTH, 5))


def normalise_code(code: str) -> str:
    code = re.sub(r"[\s-]+", "", code or "").upper()
    return code.translate(str.maketrans("OIL", "011"))


def _withdrawal_hash(code: str, part: str) -> str:
    """The hash a row keeps for ``part`` ("response", or "comment:<question id>") of the answers
    the code withdraws: different for every row, the same only for the code's holder."""
    return hash_token(f"consultations:{normalise_code(code)}:{part}")


@transaction.atomic
def respond(
    consultation: Consultation,
    *,
    choices: dict[int, list[int]],
    comments: dict[int, str],
    invitation: Invitation | None = None,
) -> str:
    """Store one person's answers: ``choices`` {question id: chosen values},
    ``comments`` {question id: text}. Nothing about the person is stored; an invitation is
    only marked used, and once. Answers the withdrawal code, which is stored nowhere: show it
    to the respondent, once."""
    if not Consultation.objects.get(pk=consultation.pk).is_accepting:
        raise ConsultationError("This consultation has closed.")
    if invitation is not None:
        used = Invitation.objects.filter(pk=invitation.pk, used=False).update(used=True)
        if used != 1:
            raise ConsultationError("This invitation has already been used.")
    code = new_withdrawal_code()
    response = Response.objects.create(
        consultation=consultation,
        submitted_on=timezone.localdate(),
        withdrawal_hash=_withdrawal_hash(code, "response"),
    )
    Answer.objects.bulk_create(
        Answer(response=response, question_id=question_id, value=value)
        for question_id, values in choices.items()
        for value in sorted(set(values))
    )
    Comment.objects.bulk_create(
        Comment(
            consultation=consultation,
            question_id=question_id,
            text=text.strip(),
            withdrawal_hash=_withdrawal_hash(code, f"comment:{question_id}"),
        )
        for question_id, text in comments.items()
        if text.strip()
    )
    return code


def response_for_code(code: str) -> Response | None:
    """The response a withdrawal code belongs to (None for a wrong code, or one whose answers
    are already withdrawn: the two are told apart by nobody)."""
    if len(normalise_code(code)) != CODE_LENGTH:
        return None
    return (
        Response.objects.filter(withdrawal_hash=_withdrawal_hash(code, "response"))
        .select_related("consultation__organisation")
        .first()
    )


@dataclass(frozen=True)
class Withdrawn:
    consultation: Consultation
    comments: int  # how many comments were deleted
    quoted: bool  # one of them had been approved, so may be in a summary already sent
    sent: bool  # the summary is attached to a self-assessment that has been sent for sign-off


@transaction.atomic
def withdraw(code: str) -> Withdrawn | None:
    """Delete the answers and comments a withdrawal code belongs to (None when it belongs to
    none). Deleted, not marked: the person asked for them to be gone, and a response holds
    nothing worth keeping without them. Every figure and the summary of a self-assessment
    still being written are computed from what is stored, so they lose them at once; a copy
    already frozen in a sent or published self-assessment cannot change (``Withdrawn.sent``
    says whether there may be one)."""
    response = response_for_code(code)
    if response is None:
        return None
    consultation = response.consultation
    hashes = [
        _withdrawal_hash(code, f"comment:{pk}")
        for pk in consultation.questions.values_list("pk", flat=True)
    ]
    comments = Comment.objects.filter(consultation=consultation, withdrawal_hash__in=hashes)
    quoted = comments.filter(status=CommentStatus.APPROVED).exists()
    deleted = comments.delete()[1].get(Comment._meta.label, 0)
    response.delete()
    sent = consultation.attachments.exclude(assessment__status=AssessmentStatus.DRAFT).exists()
    return Withdrawn(consultation=consultation, comments=deleted, quoted=quoted, sent=sent)


def moderate(consultation: Consultation, comment: Comment, *, status: str) -> Comment:
    if not results_visible(consultation, response_count(consultation)):
        raise ConsultationError(
            "Comments are moderated once the consultation has closed with enough answers."
        )
    comment.status = CommentStatus(status)
    comment.save(update_fields=["status"])
    return comment


def attachable_assessments(consultation: Consultation):
    return consultation.organisation.self_assessments.filter(
        status__in=sorted(ASSESSMENT_EDITABLE_STATES)
    ).select_related("form_version")


@transaction.atomic
def attach(consultation: Consultation, assessment, *, publish: bool, by) -> Attachment:
    if not results_visible(consultation, response_count(consultation)):
        raise ConsultationError("Only a closed consultation with enough answers can be attached.")
    if assessment.organisation_id != consultation.organisation_id or (
        assessment.status not in ASSESSMENT_EDITABLE_STATES
    ):
        raise ConsultationError("That self-assessment cannot take an appendix now.")
    attachment, _ = Attachment.objects.update_or_create(
        consultation=consultation,
        assessment=assessment,
        defaults={"publish": publish, "attached_by": by},
    )
    return attachment


@transaction.atomic
def detach(attachment: Attachment) -> None:
    if attachment.assessment.status not in ASSESSMENT_EDITABLE_STATES:
        raise ConsultationError("That self-assessment cannot change now.")
    attachment.delete()
