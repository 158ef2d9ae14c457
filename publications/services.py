"""Publishing and withdrawing. A publication copies what it shows at the moment of publishing,
so later changes (a new progress review, a revised plan) never alter what was published."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from actionplans import papers
from actionplans import services as plan_services
from actionplans.enums import PlanStatus
from actionplans.layout import with_review_statuses
from actionplans.models import ActionPlan, ProgressReview, UpdatePaper
from actionplans.queries import plan_as_data, review_as_data
from assessments.enums import AssessmentStatus
from assessments.models import SelfAssessment
from publications.enums import PdfState, PublicationKind
from publications.models import Publication, newest_review
from publications.redaction import redact
from publications.search import reindex_publication
from submissions.services import Signature, signatures_covering, submitted_snapshots


class PublishError(Exception):
    """Something that cannot be published (yet); the message is for the person."""


def _next_version(organisation, kind: str) -> int:
    last = Publication.objects.filter(organisation=organisation, kind=kind).aggregate(
        last=Max("version")
    )["last"]
    return (last or 0) + 1


def _create(organisation, kind, *, by, title, content, **source) -> Publication:
    """A new version of a document, its PDF queued and the search's rows written again (for
    a plan, a review of it or an update paper; a self-assessment has none)."""
    publication = Publication.objects.create(
        organisation=organisation,
        kind=kind,
        version=_next_version(organisation, kind),
        title=title,
        content=content,
        published_by=by,
        pdf_state=PdfState.PENDING,
        **source,
    )
    from publications.tasks import queue_pdf  # the renderer imports these models

    queue_pdf(publication)
    reindex_publication(publication)
    return publication


@transaction.atomic
def publish_self_assessment(assessment: SelfAssessment, *, by) -> Publication:
    """The accepted revision, with its signatures (names, roles, dates; never e-mails), its
    private answers taken out (``redaction.redact``) before it is stored.

    The revision's appendices are published with it, including any progress review of an
    earlier plan the lead appended (``actionplans.services.append_review``): a review never
    published on its own reaches the public this way only, as part of the self-assessment.
    A review holds no private answer (its author's name is published as on a review's own
    publication), so redaction leaves it as it is."""
    assessment = SelfAssessment.objects.select_related("organisation").get(pk=assessment.pk)
    if assessment.status != AssessmentStatus.ACCEPTED:
        raise PublishError("Only an accepted self-assessment can be published.")
    snapshot = submitted_snapshots(assessment).last()
    signatures = signatures_covering(snapshot)
    sign_offs = [published_signature(signature, snapshot) for signature in signatures]
    earlier = [s for s in signatures if not s.covers]
    reason = assessment.form_version.resign_off_reason
    content = {
        "document": snapshot.content,
        "revision": snapshot.revision,
        "submitted_on": snapshot.submitted_at.date().isoformat(),
        "sign_offs": sign_offs,
    }
    if earlier:
        content["sign_off_note"] = (
            "Some signatures cover an earlier revision: the answers changed after they were "
            "signed, and the steering group does not ask signers to sign again for this form"
            + (f": {reason}" if reason else ".")
        )
    organisation = assessment.organisation
    return _create(
        organisation,
        PublicationKind.SELF_ASSESSMENT,
        by=by,
        title=f"{organisation.name} Technician Commitment self-assessment "
        f"({assessment.due_on:%B %Y})",
        content=redact(content),
        snapshot=snapshot,
    )


def published_signature(signature: Signature, snapshot) -> dict:
    """A signature as the publication keeps it (never an e-mail address), naming the revision it
    was given on and saying plainly whether it covers the published content."""
    sign_off = signature.sign_off
    signed, published = sign_off.snapshot.revision, snapshot.revision
    if not signature.covers:
        coverage = (
            f"Covers an earlier revision: signed revision {signed}; the answers changed before "
            f"revision {published} was submitted."
        )
    elif signed == published:
        coverage = f"Signed revision {published}, as published."
    else:
        coverage = f"Signed revision {signed}, whose content is identical to revision {published}."
    return {
        "title": sign_off.title,
        "name": sign_off.signed_name,
        "job_title": sign_off.signed_job_title,
        "signed_on": sign_off.signed_at.date().isoformat(),
        "hash": sign_off.signed_hash[:12],
        "revision": signed,
        "covers": signature.covers,
        "coverage": coverage,
    }


@transaction.atomic
def publish_plan(plan: ActionPlan, *, by) -> Publication:
    """An approved plan (its self-assessment accepted), as it stands today."""
    plan = ActionPlan.objects.select_related("organisation").get(pk=plan.pk)
    if plan.status == PlanStatus.DRAFT:
        raise PublishError(
            "Only an approved plan can be published: its self-assessment must be accepted first."
        )
    content = plan_as_data(plan)
    # Its statuses are those of its latest published progress review, as on its public page.
    review = newest_review(
        Publication.objects.reviews_of_plan(plan.pk).select_related("organisation")
    )
    if review is not None:
        content = with_review_statuses(
            content, review.content, title=review.title, url=review.get_absolute_url()
        )
    publication = _create(
        plan.organisation,
        PublicationKind.ACTION_PLAN,
        by=by,
        title=plan.title,
        content=content,
        plan=plan,
    )
    if plan.status != PlanStatus.PUBLISHED:
        plan_services.transition(
            plan,
            to=PlanStatus.PUBLISHED,
            by=by,
            comment=f"Published as version {publication.version}.",
        )
    return publication


@transaction.atomic
def publish_review(review: ProgressReview, *, by) -> Publication:
    review = ProgressReview.objects.select_related("plan__organisation").get(pk=review.pk)
    if not review.is_final:
        raise PublishError("Only a finalised progress review can be published.")
    # A plan of an earlier cycle was approved before the portal existed, so stays a draft here.
    if review.plan.status == PlanStatus.DRAFT and not review.plan.is_earlier:
        raise PublishError("Publish a progress review of an approved plan only.")
    return _create(
        review.plan.organisation,
        PublicationKind.PROGRESS_REVIEW,
        by=by,
        title=f"Progress review of {review.plan.title}, {review.reviewed_on:%-d %B %Y}",
        content=review_as_data(review),
        review=review,
    )


@transaction.atomic
def publish_update_paper(paper: UpdatePaper, *, by) -> Publication:
    """An update paper as it stands now, with its review's RAG table: published again, it is a
    new version; the review itself need not be published."""
    paper = UpdatePaper.objects.select_related("review__plan__organisation").get(pk=paper.pk)
    review = paper.review
    if not review.is_final:
        raise PublishError("Publish an update paper of a finalised progress review only.")
    if review.plan.status == PlanStatus.DRAFT:
        raise PublishError("Publish an update paper of an approved plan only.")
    return _create(
        review.plan.organisation,
        PublicationKind.UPDATE_PAPER,
        by=by,
        title=paper.title,
        content=papers.paper_as_data(paper),
        update_paper=paper,
    )


@transaction.atomic
def withdraw(publication: Publication, *, by, reason: str) -> Publication:
    publication = Publication.objects.select_for_update().get(pk=publication.pk)
    if publication.withdrawn_at:
        raise PublishError("This publication is already withdrawn.")
    if not reason.strip():
        raise PublishError("Say why it is withdrawn; the reason is kept with the record.")
    publication.withdrawn_at = timezone.now()
    publication.withdrawn_by = by
    publication.withdrawal_reason = reason.strip()[:300]
    publication.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_reason"])
    reindex_publication(publication)  # a withdrawn document is never found by the search
    return publication
