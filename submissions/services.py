"""The submission flow: snapshots, sign-off, submission and the steering group's decisions.

Only ``transition`` sets a self-assessment's status. It checks ``ALLOWED_TRANSITIONS``, locks
the row, saves, writes an audit entry, and leaves the e-mails to be sent after commit.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from actionplans import services as plan_services
from actionplans.enums import PlanStatus, status_word
from actionplans.models import ActionPlan
from assessments import documents
from assessments.documents import live_appendices, live_sections
from assessments.enums import AssessmentStatus, QuestionKind
from assessments.models import SelfAssessment, SignOffRequirement
from assessments.queries import load_assessment
from signatories.models import Membership, Organisation
from submissions import notifications
from submissions.enums import (
    ALLOWED_TRANSITIONS,
    DECLARATION,
    LIVE_SIGN_OFF_STATES,
    SIGN_OFF_FROM_STATES,
    AuditKind,
    Decision,
    SignOffState,
)
from submissions.models import AuditEntry, Feedback, SignOff, Snapshot, SnapshotFigure
from techcommit.public_cache import mark_public_change
from techcommit.transitions import change_status


class FlowError(Exception):
    """A step the flow does not allow now; the message is for the person."""


class AlreadySubmitted(FlowError):
    """A second press of "Submit" (a double click, another tab, a colleague): the revision went
    in once, and this press is refused with a message saying so."""


# --- State changes -----------------------------------------------------------------------------


def transition(
    assessment: SelfAssessment, *, to: str, by, comment: str = "", revision: int | None = None
) -> SelfAssessment:
    """Move a self-assessment to ``to``, or refuse; every move leaves an audit entry."""

    def refuse(locked: SelfAssessment) -> FlowError:
        return FlowError(
            f"A self-assessment that is {locked.get_status_display().lower()} cannot become "
            f"{AssessmentStatus(to).label.lower()}."
        )

    def record(locked: SelfAssessment, before: str) -> None:
        AuditEntry.objects.create(
            assessment=locked,
            kind=AuditKind.STATUS,
            by=by,
            from_status=before,
            to_status=to,
            revision=revision,
            message=comment[:500],
        )

    return change_status(
        assessment, to=to, allowed=ALLOWED_TRANSITIONS, refuse=refuse, record=record
    )


def audit(assessment, *, by, message: str, kind=AuditKind.SIGN_OFF, revision=None) -> None:
    AuditEntry.objects.create(
        assessment=assessment, kind=kind, by=by, message=message[:500], revision=revision
    )


# --- Snapshots ---------------------------------------------------------------------------------


def snapshot_content(assessment: SelfAssessment) -> tuple[dict, list]:
    """Everything a submission shows, as plain data, and the figures to copy with it."""
    loaded = load_assessment(assessment)
    figures = []
    sections = live_sections(loaded)
    for section_view, section in zip(loaded.sections, sections, strict=True):
        for qv, entry in zip(section_view.questions, section["questions"], strict=True):
            if qv.question.kind != QuestionKind.FIGURES:
                continue
            entry["figures"] = []
            for figure in qv.figures:
                with figure.image.open("rb") as stored:
                    data = stored.read()
                digest = hashlib.sha256(data).hexdigest()
                figures.append((qv.question.key, figure, data, digest))
                entry["figures"].append(
                    {
                        "position": figure.position,
                        "caption": figure.caption,
                        "alt_text": figure.alt_text,
                        "sha256": digest,
                    }
                )
    content = {
        "organisation": assessment.organisation.name,
        "form_version": assessment.form_version.name,
        "due_on": assessment.due_on.isoformat(),
        "sections": sections,
        # The plan, and "reviews" or "consultations" only when a progress review or a
        # consultation's summary is appended (each app registers its appendices with the
        # document builder): the frozen format stays version 1, and content without them hashes
        # as it always did.
        **live_appendices(assessment),
        "sign_offs": [{"role": r.role, "title": r.title} for r in required_sign_offs(assessment)],
    }
    return content, figures


def content_hash(content: dict) -> str:
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def required_sign_offs(assessment: SelfAssessment) -> list[SignOffRequirement]:
    return list(
        SignOffRequirement.objects.filter(form_version_id=assessment.form_version_id).order_by(
            "position"
        )
    )


@transaction.atomic
def take_snapshot(
    assessment: SelfAssessment, by, frozen: tuple[dict, list] | None = None
) -> Snapshot:
    """The next revision, from ``frozen`` (``snapshot_content``'s answer) when the caller has
    it already."""
    content, figures = frozen or snapshot_content(assessment)
    last = assessment.snapshots.aggregate(last=Max("revision"))["last"] or 0
    snapshot = Snapshot.objects.create(
        assessment=assessment,
        revision=last + 1,
        content=content,
        content_hash=content_hash(content),
        created_by=by,
    )
    for key, figure, data, digest in figures:
        copy = SnapshotFigure(
            snapshot=snapshot,
            question_key=key,
            position=figure.position,
            extension=figure.extension,
            width=figure.width,
            height=figure.height,
            caption=figure.caption,
            alt_text=figure.alt_text,
            sha256=digest,
        )
        copy.image.save(
            f"{key}-{figure.position}.{figure.extension}", ContentFile(data), save=False
        )
        copy.save()
    return snapshot


def latest_snapshot(assessment: SelfAssessment) -> Snapshot | None:
    return assessment.snapshots.order_by("-revision").first()


# --- Sign-off ----------------------------------------------------------------------------------


def _lock(assessment: SelfAssessment) -> SelfAssessment:
    return (
        SelfAssessment.objects.select_for_update()
        .select_related("organisation")
        .get(pk=assessment.pk)
    )


@transaction.atomic
def request_sign_off(given: SelfAssessment, by) -> Snapshot:
    """Freeze the draft (or the revised self-assessment, after changes were requested) as the
    next revision and ask each required role to sign it."""
    assessment = _lock(given)
    if assessment.status not in SIGN_OFF_FROM_STATES:
        raise FlowError(
            "Sign-off can only be requested for a draft, or after the steering group asked for "
            "changes."
        )
    problems = load_assessment(assessment).problems()
    if problems:
        raise FlowError(
            f"{len(problems)} problem{'s' if len(problems) != 1 else ''} to fix first: "
            "see ‘Check your answers’."
        )
    earlier = last_signed_snapshot(assessment)
    snapshot = take_snapshot(assessment, by)
    again = f" again (revision {earlier.revision} was signed)" if earlier else ""
    transition(
        assessment,
        to=AssessmentStatus.AWAITING_SIGN_OFF,
        by=by,
        revision=snapshot.revision,
        comment=f"Sign-off requested{again} for revision {snapshot.revision}.",
    )
    given.status = assessment.status
    members = Membership.objects.filter(organisation=assessment.organisation).select_related("user")
    for requirement in required_sign_offs(assessment):
        holders = [m.user for m in members if m.role == requirement.role and m.user.is_active]
        sign_off = SignOff.objects.create(
            snapshot=snapshot,
            role=requirement.role,
            title=requirement.title,
            position=requirement.position,
            requested_by=by,
        )
        notifications.sign_off_requested(sign_off, holders, earlier=earlier)
    return snapshot


@transaction.atomic
def sign(sign_off: SignOff, *, by, name: str, job_title: str) -> SignOff:
    """Sign exactly the snapshot shown: the hash of its content is recorded with the name."""
    sign_off = (
        SignOff.objects.select_for_update()
        .select_related("snapshot__assessment")
        .get(pk=sign_off.pk)
    )
    assessment = sign_off.snapshot.assessment
    if assessment.status != AssessmentStatus.AWAITING_SIGN_OFF:
        raise FlowError("This self-assessment is not waiting for sign-off.")
    if sign_off.state != SignOffState.REQUESTED:
        raise FlowError(f"This sign-off is already {sign_off.get_state_display().lower()}.")
    if latest_snapshot(assessment).pk != sign_off.snapshot_id:
        raise FlowError("A newer revision replaced this one; sign that instead.")
    sign_off.state = SignOffState.SIGNED
    sign_off.signer = by
    sign_off.signed_name = name.strip()
    sign_off.signed_job_title = job_title.strip()
    sign_off.declaration = DECLARATION
    sign_off.signed_at = timezone.now()
    sign_off.signed_hash = sign_off.snapshot.content_hash
    sign_off.save()
    audit(
        assessment,
        by=by,
        revision=sign_off.snapshot.revision,
        message=f"{sign_off.title} signed by {sign_off.signed_name}, {sign_off.signed_job_title}.",
    )
    notifications.sign_off_given(sign_off)
    return sign_off


@transaction.atomic
def decline(sign_off: SignOff, *, by, reason: str) -> SignOff:
    sign_off = (
        SignOff.objects.select_for_update()
        .select_related("snapshot__assessment")
        .get(pk=sign_off.pk)
    )
    if sign_off.state != SignOffState.REQUESTED:
        raise FlowError(f"This sign-off is already {sign_off.get_state_display().lower()}.")
    if not reason.strip():
        raise FlowError("Say why you are declining, so that the lead can put it right.")
    sign_off.state = SignOffState.DECLINED
    sign_off.signer = by
    sign_off.declined_at = timezone.now()
    sign_off.decline_reason = reason.strip()
    sign_off.save()
    audit(
        sign_off.snapshot.assessment,
        by=by,
        revision=sign_off.snapshot.revision,
        message=f"{sign_off.title} declined by {by}: {sign_off.decline_reason}",
    )
    notifications.sign_off_declined(sign_off)
    return sign_off


@transaction.atomic
def reopen(given: SelfAssessment, by, reason: str = "") -> int:
    """Back to draft to change the answers: every sign-off of the revision is voided, visibly,
    and will be asked for again. Returns how many were voided."""
    assessment = _lock(given)
    snapshot = latest_snapshot(assessment)
    # A self-assessment the steering group has seen goes back to "changes requested".
    back_to = (
        AssessmentStatus.CHANGES_REQUESTED
        if submitted_snapshots(assessment).exists()
        else AssessmentStatus.DRAFT
    )
    transition(
        assessment,
        to=back_to,
        by=by,
        revision=snapshot.revision if snapshot else None,
        comment=reason or "Reopened to change the answers.",
    )
    given.status = assessment.status
    return void_sign_offs(snapshot, by=by, reason=reason or "The answers are being changed.")


def void_sign_offs(snapshot: Snapshot | None, *, by, reason: str) -> int:
    if snapshot is None:
        return 0
    voided = 0
    for sign_off in snapshot.sign_offs.select_for_update().filter(
        state__in=sorted(LIVE_SIGN_OFF_STATES)
    ):
        was_signed = sign_off.state == SignOffState.SIGNED
        sign_off.state = SignOffState.VOIDED
        sign_off.voided_at = timezone.now()
        sign_off.void_reason = reason[:300]
        sign_off.save(update_fields=["state", "voided_at", "void_reason"])
        voided += 1
        audit(
            snapshot.assessment,
            by=by,
            revision=snapshot.revision,
            message=f"{sign_off.title} voided: {reason}",
        )
        if was_signed:
            notifications.sign_off_voided(sign_off)
    return voided


def missing_sign_offs(snapshot: Snapshot) -> list[str]:
    """The titles of required sign-offs this snapshot does not have."""
    signed = {
        s.role
        for s in snapshot.sign_offs.filter(state=SignOffState.SIGNED)
        if s.signed_hash == snapshot.content_hash
    }
    return [r.title for r in required_sign_offs(snapshot.assessment) if r.role not in signed]


def last_signed_snapshot(assessment: SelfAssessment, before: int | None = None) -> Snapshot | None:
    """The latest revision (before revision ``before``, if given) that every required signature
    signed, or None."""
    required = {r.role for r in required_sign_offs(assessment)}
    snapshots = assessment.snapshots.order_by("-revision").prefetch_related("sign_offs")
    if before is not None:
        snapshots = snapshots.filter(revision__lt=before)
    for snapshot in snapshots:
        signed = {
            s.role
            for s in snapshot.sign_offs.all()
            if s.state == SignOffState.SIGNED and s.signed_hash == snapshot.content_hash
        }
        if required <= signed:
            return snapshot
    return None


def last_signed_snapshot_before(snapshot: Snapshot) -> Snapshot | None:
    """What the signers of ``snapshot`` signed last time, when its content differs from that."""
    earlier = last_signed_snapshot(snapshot.assessment, before=snapshot.revision)
    return earlier if earlier and earlier.content_hash != snapshot.content_hash else None


@dataclass(frozen=True)
class Resubmission:
    """The revised self-assessment as it would be frozen now, beside the revision last signed.

    ``needs_sign_off``: it differs from what was signed and its form version asks signers to
    sign again, so it goes back to sign-off before it can be submitted."""

    frozen: tuple[dict, list]
    content_hash: str
    signed: Snapshot | None
    resign_on_change: bool

    @property
    def changed(self) -> bool:
        return self.signed is None or self.signed.content_hash != self.content_hash

    @property
    def needs_sign_off(self) -> bool:
        return self.changed and self.resign_on_change


def resubmission(assessment: SelfAssessment) -> Resubmission:
    frozen = snapshot_content(assessment)
    return Resubmission(
        frozen=frozen,
        content_hash=content_hash(frozen[0]),
        signed=last_signed_snapshot(assessment),
        resign_on_change=assessment.form_version.resign_on_change,
    )


@dataclass(frozen=True)
class Signature:
    """A signature as a publication shows it: the sign-off, and whether it covers the
    published content (signed on it, or on an earlier revision with exactly the same content)
    or an earlier revision whose content differs."""

    sign_off: SignOff
    covers: bool


def signatures_covering(snapshot: Snapshot) -> list[Signature]:
    """For each signature the form asks for, in order: the latest sign-off of content identical
    to ``snapshot``'s, else the latest one of an earlier revision (``covers`` False), else
    nothing. A signature of other content is therefore never passed off as covering this one."""
    signed = list(
        SignOff.objects.filter(
            snapshot__assessment_id=snapshot.assessment_id,
            snapshot__revision__lte=snapshot.revision,
            state=SignOffState.SIGNED,
        )
        .select_related("snapshot")
        .order_by("-snapshot__revision")
    )
    found = []
    for requirement in required_sign_offs(snapshot.assessment):
        theirs = [s for s in signed if s.role == requirement.role]
        same = [s for s in theirs if s.signed_hash == snapshot.content_hash]
        chosen = (same or theirs or [None])[0]
        if chosen is not None:
            found.append(Signature(chosen, covers=bool(same)))
    return found


# --- Submitting --------------------------------------------------------------------------------


@transaction.atomic
def submit(given: SelfAssessment, by) -> Snapshot:
    """Submit the signed revision, or (after changes were requested) the revised draft.

    The row lock makes a double click, a second tab or a retry submit once: the second request
    finds the self-assessment already submitted and is refused with ``AlreadySubmitted``."""
    assessment = _lock(given)
    if assessment.status in (AssessmentStatus.SUBMITTED, AssessmentStatus.UNDER_REVIEW):
        snapshot = latest_snapshot(assessment)
        if snapshot and snapshot.submitted_at:
            raise AlreadySubmitted(
                f"Revision {snapshot.revision} was already submitted to the steering group."
            )
    if assessment.status == AssessmentStatus.AWAITING_SIGN_OFF:
        snapshot = latest_snapshot(assessment)
        if load_assessment(assessment).problems():
            raise FlowError("Fix the problems on ‘Check your answers’ first.")
        missing = missing_sign_offs(snapshot)
        if missing:
            raise FlowError("Still to sign: " + "; ".join(missing) + ".")
    elif assessment.status == AssessmentStatus.CHANGES_REQUESTED:
        if load_assessment(assessment).problems():
            raise FlowError("Fix the problems on ‘Check your answers’ first.")
        pending = resubmission(assessment)
        if pending.needs_sign_off:
            since = (
                f" since revision {pending.signed.revision} was signed" if pending.signed else ""
            )
            raise FlowError(
                f"The answers have changed{since}: request sign-off again, so that the "
                "signatures cover what is submitted."
            )
        snapshot = take_snapshot(assessment, by, pending.frozen)
    else:
        raise FlowError(
            f"A self-assessment that is {assessment.get_status_display().lower()} cannot be "
            "submitted."
        )
    snapshot.submitted_at = timezone.now()
    snapshot.submitted_by = by
    snapshot.save(update_fields=["submitted_at", "submitted_by"])
    transition(
        assessment,
        to=AssessmentStatus.SUBMITTED,
        by=by,
        revision=snapshot.revision,
        comment=f"Revision {snapshot.revision} submitted.",
    )
    given.status = assessment.status
    notifications.submitted(snapshot)
    return snapshot


def submitted_snapshots(assessment: SelfAssessment):
    return assessment.snapshots.exclude(submitted_at=None).order_by("revision")


# --- The steering group's decision --------------------------------------------------------------


@transaction.atomic
def release_feedback(snapshot: Snapshot, *, by) -> Feedback:
    """Release the feedback and the decision to the organisation, which moves accordingly."""
    feedback = Feedback.objects.select_for_update().get(snapshot=snapshot)
    # Read the snapshot and its self-assessment as they are now, not as the caller last saw them.
    snapshot = Snapshot.objects.select_related("assessment__organisation").get(pk=snapshot.pk)
    if feedback.is_released:
        raise FlowError("This feedback has already been released.")
    if feedback.decision not in Decision.values:
        raise FlowError("Choose a decision: accept, or request changes.")
    if not feedback.text.strip():
        raise FlowError("Write the overall feedback before releasing it.")
    assessment = snapshot.assessment
    if assessment.status == AssessmentStatus.SUBMITTED:
        transition(assessment, to=AssessmentStatus.UNDER_REVIEW, by=by, revision=snapshot.revision)
    accepted = feedback.decision == Decision.ACCEPT
    transition(
        assessment,
        to=AssessmentStatus.ACCEPTED if accepted else AssessmentStatus.CHANGES_REQUESTED,
        by=by,
        revision=snapshot.revision,
        comment="Feedback released: " + feedback.get_decision_display().lower() + ".",
    )
    feedback.released_at = timezone.now()
    feedback.released_by = by
    feedback.save(update_fields=["released_at", "released_by"])
    if accepted:
        accept(assessment, snapshot, by=by)
    notifications.feedback_released(feedback)
    return feedback


def accept(assessment: SelfAssessment, snapshot: Snapshot, *, by) -> None:
    """The cycle is done: the organisation's next due date counts from this submission, and
    its plan is approved."""
    submitted_on = timezone.localdate(snapshot.submitted_at)
    Organisation.objects.filter(pk=assessment.organisation_id).update(last_assessed_on=submitted_on)
    mark_public_change()  # the directory shows when it was last assessed
    for plan in ActionPlan.objects.filter(assessment=assessment, status=PlanStatus.DRAFT):
        plan_services.transition(
            plan,
            to=PlanStatus.APPROVED,
            by=by,
            comment=f"Approved with revision {snapshot.revision} of its self-assessment.",
        )


def start_review(assessment: SelfAssessment, by) -> None:
    """A submitted self-assessment is under review once a reviewer is on it."""
    if assessment.status == AssessmentStatus.SUBMITTED:
        transition(assessment, to=AssessmentStatus.UNDER_REVIEW, by=by)


# --- Review work -------------------------------------------------------------------------------
# Assigning reviewers, their notes (comments, ratings), the shared feedback (saved with a
# compare-and-swap on its version) and the organisation's replies.

# A reviewer can be put on a self-assessment in these states (after changes were requested the
# same reviewers read the resubmission).
ASSIGNABLE_STATES = frozenset(
    {
        AssessmentStatus.SUBMITTED,
        AssessmentStatus.UNDER_REVIEW,
        AssessmentStatus.CHANGES_REQUESTED,
    }
)


def own_organisation_problem(assessment: SelfAssessment, user) -> str | None:
    """Why ``user`` may not review ``assessment`` because of where they work, or None."""
    from submissions.models import Reviewer

    profile = Reviewer.objects.filter(user=user).first()
    works_there = profile is not None and profile.organisation_id == assessment.organisation_id
    if (
        works_there
        or Membership.objects.filter(user=user, organisation_id=assessment.organisation_id).exists()
    ):
        return (
            f"{user} belongs to {assessment.organisation.name}: a reviewer never reviews their "
            "own organisation."
        )
    return None


@transaction.atomic
def assign(assessment: SelfAssessment, *, reviewer, review_round=None, by):
    """Put a reviewer from the pool on a self-assessment; a submitted one is then under review."""
    from submissions.models import Assignment, Reviewer

    assessment = _lock(assessment)
    if assessment.status not in ASSIGNABLE_STATES:
        raise FlowError(
            f"A self-assessment that is {assessment.get_status_display().lower()} cannot be "
            "given a reviewer."
        )
    profile = Reviewer.objects.filter(user=reviewer).first()
    if profile is None or not (profile.active and reviewer.is_active and reviewer.is_reviewer):
        raise FlowError(f"{reviewer} is not an active member of the reviewer pool.")
    problem = own_organisation_problem(assessment, reviewer)
    if problem:
        raise FlowError(problem)
    if review_round is not None and not profile.available_in.filter(pk=review_round.pk).exists():
        raise FlowError(f"{reviewer} is not available in {review_round}.")
    if Assignment.objects.filter(assessment=assessment, reviewer=reviewer).exists():
        raise FlowError(f"{reviewer} is already assigned.")
    assignment = Assignment.objects.create(
        assessment=assessment, reviewer=reviewer, round=review_round, assigned_by=by
    )
    in_round = f" for {review_round}" if review_round else ""
    audit(assessment, by=by, kind=AuditKind.REVIEW, message=f"{reviewer} assigned{in_round}.")
    start_review(assessment, by)
    return assignment


@transaction.atomic
def unassign(assignment, *, by) -> None:
    """Take a reviewer off; their notes stay with the snapshot they wrote them on."""
    assessment = assignment.assessment
    reviewer = assignment.reviewer
    assignment.delete()
    audit(assessment, by=by, kind=AuditKind.REVIEW, message=f"{reviewer} unassigned.")


def latest_submitted_snapshot(assessment: SelfAssessment) -> Snapshot | None:
    return assessment.snapshots.exclude(submitted_at=None).order_by("-revision").first()


def _check_open_for_review(snapshot: Snapshot) -> None:
    if Feedback.objects.filter(snapshot=snapshot).exclude(released_at=None).exists():
        raise FlowError(
            f"The feedback on revision {snapshot.revision} has been released; notes on it can "
            "no longer change."
        )
    latest = latest_submitted_snapshot(snapshot.assessment)
    if latest is None or latest.pk != snapshot.pk:
        raise FlowError("A newer revision has been submitted; review that one.")


def save_comment(snapshot: Snapshot, section, *, by, text: str, for_organisation: bool):
    """A reviewer's comment on one section: shared with the organisation, or a note."""
    from submissions.models import SectionComment

    _check_open_for_review(snapshot)
    if section.form_version_id != snapshot.assessment.form_version_id:
        raise FlowError("That section is not part of this self-assessment.")
    if not text.strip():
        raise FlowError("Write the comment first.")
    return SectionComment.objects.create(
        snapshot=snapshot,
        section=section,
        author=by,
        text=text.strip(),
        for_organisation=for_organisation,
    )


@transaction.atomic
def save_ratings(snapshot: Snapshot, *, by, ratings: dict[str, tuple[str, str]]) -> int:
    """One reviewer's structured assessment: {criterion: (rating, note)}; a criterion left
    without a rating is removed. Returns how many criteria are rated."""
    from submissions.enums import Criterion
    from submissions.models import CriterionRating

    _check_open_for_review(snapshot)
    rated = 0
    for criterion in Criterion.values:
        rating, note = ratings.get(criterion, ("", ""))
        if rating:
            CriterionRating.objects.update_or_create(
                snapshot=snapshot,
                reviewer=by,
                criterion=criterion,
                defaults={"rating": rating, "note": note.strip()},
            )
            rated += 1
        else:
            CriterionRating.objects.filter(
                snapshot=snapshot, reviewer=by, criterion=criterion
            ).delete()
    return rated


class FeedbackSave:
    """What became of a save: ``saved``, or a ``conflict`` with a colleague's newer version
    (``feedback`` is then theirs, unchanged)."""

    def __init__(self, feedback: Feedback, *, saved: bool):
        self.feedback = feedback
        self.saved = saved

    @property
    def conflict(self) -> bool:
        return not self.saved


def save_feedback(snapshot: Snapshot, *, by, text: str, decision: str, seen_version: int):
    """Save the reviewers' shared feedback only if nobody saved it since ``seen_version``."""
    _check_open_for_review(snapshot)
    if decision and decision not in Decision.values:
        raise FlowError("Choose a decision: accept, or request changes.")
    with transaction.atomic():
        Feedback.objects.get_or_create(snapshot=snapshot)
        changed = Feedback.objects.filter(
            snapshot=snapshot, version=seen_version, released_at=None
        ).update(
            text=text.strip(),
            decision=decision,
            version=seen_version + 1,
            updated_at=timezone.now(),
            updated_by=by,
        )
    return FeedbackSave(Feedback.objects.get(snapshot=snapshot), saved=changed == 1)


def reply(comment, *, by, text: str):
    """The organisation's reply to a comment released to it."""
    from submissions.models import CommentReply

    released = Feedback.objects.filter(snapshot_id=comment.snapshot_id).exclude(released_at=None)
    if not comment.for_organisation or not released.exists():
        raise FlowError("This comment has not been released to the organisation.")
    if not text.strip():
        raise FlowError("Write the reply first.")
    return CommentReply.objects.create(comment=comment, author=by, text=text.strip())


def _answer_lines(question: documents.Question) -> list[str]:
    from techcommit.text import html_to_text

    lines: list[str] = []
    for box in question.boxes:
        if box.theme_name:
            lines.append(f"{box.theme_name}:")
        lines.extend(line for line in html_to_text(box.text).splitlines() if line)
        if box.flag is not None:
            lines.append("Confirmed: " + ("yes" if box.flag else "no"))
    for figure in question.figures:
        lines.append(f"Figure {figure.position}: {figure.caption}")
    return lines


def _action_lines(plan: dict | None) -> list[str]:
    from techcommit.text import html_to_text

    lines: list[str] = []
    for heading in (plan or {}).get("headings", []):
        for action in heading["actions"]:
            parts = [f"{heading['name']}: {action['title']}"]
            if action.get("description"):
                parts.append(html_to_text(action["description"]).replace("\n", " "))
            if action.get("led_by"):
                parts.append(f"led by {action['led_by']}")
            if action.get("success_criteria"):
                parts.append("success: " + html_to_text(action["success_criteria"]))
            if action.get("status"):
                parts.append(f"status: {action['status']}")
            lines.append("; ".join(parts))
    return lines


def _review_lines(document: documents.Document) -> list[str]:
    """The appended progress reviews, a line for each action's status and (plain) comment."""
    lines: list[str] = []
    for appendix in document.appendices:
        if appendix.kind != documents.AppendixKind.RAG_ANALYSIS:
            continue
        review = appendix.data
        wording = review.get("wording") or {}
        lines.append(
            f"{appendix.title}: overall {status_word(wording, review.get('overall_status'))}"
        )
        for heading in review.get("headings") or []:
            for entry in heading.get("entries") or []:
                parts = [
                    f"{heading.get('name', '')}: {entry.get('title', '')}",
                    status_word(wording, entry.get("status")),
                    " ".join((entry.get("comment") or "").split()),
                ]
                lines.append("; ".join(part for part in parts if part))
    return lines


def _line_diff(before: list[str], after: list[str]) -> list[tuple[str, str]]:
    """[(kind, line)] with kind "same", "removed" or "added"."""
    import difflib

    kinds = {"  ": "same", "- ": "removed", "+ ": "added"}
    return [
        (kinds[line[:2]], line[2:]) for line in difflib.ndiff(before, after) if line[:2] in kinds
    ]


def revision_diff(before: Snapshot, after: Snapshot) -> dict:
    """What changed between two revisions, as the one document builder reads them: per
    question (matched by key), the plan appendix's actions and the rows of the appended
    progress reviews, each a list of (kind, line)."""
    old, new = documents.build(before.content), documents.build(after.content)
    old_questions = {q.key: q for s in old.sections for q in s.questions}
    sections = []
    for section in new.sections:
        questions = []
        for question in section.questions:
            earlier = old_questions.get(question.key)
            lines = _line_diff(_answer_lines(earlier) if earlier else [], _answer_lines(question))
            questions.append(
                {
                    "key": question.key,
                    "text": question.text,
                    "lines": lines,
                    "changed": any(kind != "same" for kind, _ in lines),
                }
            )
        sections.append(
            {"position": section.position, "title": section.title, "questions": questions}
        )
    actions = _line_diff(
        _action_lines(old.plan.data if old.plan else None),
        _action_lines(new.plan.data if new.plan else None),
    )
    reviews = _line_diff(_review_lines(old), _review_lines(new))
    return {
        "sections": sections,
        "actions": actions,
        "actions_changed": any(kind != "same" for kind, _ in actions),
        "reviews": reviews,
        "reviews_changed": any(kind != "same" for kind, _ in reviews),
    }


# --- The reviewer pool ---------------------------------------------------------------------------


@transaction.atomic
def add_to_pool(user, *, organisation=None, trained_on=None, rounds=(), active=True):
    """Put ``user`` in the reviewer pool: a pool entry, and the reviewer role that shows them the
    sector (they set up two-factor authentication at their next sign-in)."""
    from django.core.exceptions import ValidationError

    from submissions.models import Reviewer

    if Reviewer.objects.filter(user=user).exists():
        raise ValidationError({"email": f"{user} is already in the reviewer pool."})
    reviewer = Reviewer.objects.create(
        user=user, organisation=organisation, trained_on=trained_on, active=active
    )
    reviewer.available_in.set(rounds)
    if not user.is_reviewer:
        user.is_reviewer = True
        user.save(update_fields=["is_reviewer"])
    return reviewer
