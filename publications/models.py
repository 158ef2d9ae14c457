"""Publications: what the public sees. Each is a frozen copy of an accepted self-assessment,
an approved action plan, a finalised progress review or an update paper made from one, with a
stable address. Publishing again makes a new version; earlier ones stay in the archive; a
withdrawn one is gone from public view but kept, with who withdrew it and why."""

import hashlib

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from actionplans.models import ActionPlan, ProgressReview, UpdatePaper
from publications.enums import PdfState, PublicationKind
from signatories.models import Organisation
from submissions.models import Snapshot

# Published and not withdrawn: the only rows a public page may show. A Q object, so code that
# runs with a migration's historical models (publications.search) filters the same way.
PUBLIC = Q(withdrawn_at__isnull=True)


class PublicationQuerySet(models.QuerySet):
    def public(self):
        """Published and not withdrawn: the only rows a public page may show."""
        return self.filter(PUBLIC)

    def reviews_of_plan(self, plan_id: int):
        """The public progress reviews of one plan (their statuses are the plan's current)."""
        return self.public().filter(kind="progress_review", review__plan_id=plan_id)


def newest_review(publications) -> "Publication | None":
    """Of published progress reviews, the one of the latest date (then the latest version)."""
    return max(
        publications,
        key=lambda p: (p.content.get("reviewed_on") or "", p.version),
        default=None,
    )


def pdf_path(publication: "Publication", filename: str) -> str:
    return f"publications/{publication.organisation_id}/{publication.pk}/{filename}"


class Publication(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="publications"
    )
    kind = models.CharField(max_length=20, choices=PublicationKind.choices)
    version = models.PositiveIntegerField()
    title = models.CharField(max_length=250)
    content = models.JSONField(help_text="Everything the public page and the PDF show.")
    snapshot = models.ForeignKey(
        Snapshot, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    plan = models.ForeignKey(
        ActionPlan, on_delete=models.PROTECT, null=True, blank=True, related_name="publications"
    )
    review = models.ForeignKey(
        ProgressReview,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="publications",
    )
    update_paper = models.ForeignKey(
        UpdatePaper,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="publications",
    )
    published_at = models.DateTimeField(default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    withdrawal_reason = models.CharField(max_length=300, blank=True)
    pdf = models.FileField(upload_to=pdf_path, blank=True)
    pdf_state = models.CharField(max_length=10, choices=PdfState.choices, default=PdfState.PENDING)
    # Renders tried (a retry, a worker killed mid-render and rerun), the last one's error, and
    # the SHA-256 of the stored PDF: the key that keeps a rerun from storing a second file.
    pdf_attempts = models.PositiveSmallIntegerField(default=0)
    pdf_error = models.CharField(max_length=500, blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True)

    objects = PublicationQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "kind", "version"], name="one_publication_per_version"
            ),
            models.CheckConstraint(
                condition=Q(kind="self_assessment", snapshot__isnull=False)
                | Q(kind="action_plan", plan__isnull=False)
                | Q(kind="progress_review", review__isnull=False)
                | Q(kind="update_paper", update_paper__isnull=False),
                name="publication_has_its_source",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "kind", "withdrawn_at"])]

    def __str__(self) -> str:
        return f"{self.title} (version {self.version})"

    def get_absolute_url(self) -> str:
        return reverse(
            "publications:document", kwargs={"slug": self.organisation.slug, "pk": self.pk}
        )

    @property
    def is_public(self) -> bool:
        return self.withdrawn_at is None

    @property
    def pdf_token(self) -> str:
        """What names this PDF in its versioned address: a PDF is rendered once and never
        changes, so its address may be cached for good. Empty until it is ready."""
        if self.pdf_state != PdfState.READY or not self.pdf:
            return ""
        return pdf_token(self.pdf_sha256, self.pdf.name)

    def pdf_url(self) -> str:
        """The PDF's address: versioned once it is ready, the one that waits for it until then."""
        kwargs = {"slug": self.organisation.slug, "pk": self.pk}
        if token := self.pdf_token:
            return reverse("publications:pdf_file", kwargs={**kwargs, "token": token})
        return reverse("publications:pdf", kwargs=kwargs)


def pdf_token(sha256: str, name: str) -> str:
    """The start of the PDF's own SHA-256 (a PDF rendered again is stored under the same name),
    or, for one stored before its digest was kept, of its name's."""
    return (sha256 or hashlib.sha256(name.encode()).hexdigest())[:16]


def draft_pdf_path(draft: "DraftPdf", filename: str) -> str:
    return (
        f"drafts/{draft.organisation_id}/{draft.kind}-{draft.source_id}/"
        f"{draft.content_sha256[:16]}-{filename}"
    )


class DraftPdf(models.Model):
    """The PDF of a draft (a self-assessment or an action plan), rendered by the background
    worker and kept under the SHA-256 of what it draws: the same content gives the same file
    (no second render); a changed draft gets a new row, and the old one is pruned once the new
    file is stored (publications/drafts.py)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="draft_pdfs"
    )
    kind = models.CharField(max_length=20, choices=PublicationKind.choices)
    # The self-assessment's or the action plan's id, as ``kind`` says.
    source_id = models.PositiveIntegerField()
    content_sha256 = models.CharField(max_length=64)
    state = models.CharField(max_length=10, choices=PdfState.choices, default=PdfState.PENDING)
    file = models.FileField(upload_to=draft_pdf_path, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.CharField(max_length=500, blank=True)
    requested_at = models.DateTimeField(default=timezone.now)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    started_at = models.DateTimeField(null=True, blank=True)  # by the worker, for each attempt
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "kind", "source_id", "content_sha256"],
                name="one_draft_pdf_per_content",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.source_id}, draft PDF {self.content_sha256[:12]}"

    @property
    def is_pending(self) -> bool:
        return self.state == PdfState.PENDING

    @property
    def is_ready(self) -> bool:
        return self.state == PdfState.READY and bool(self.file)

    @property
    def is_failed(self) -> bool:
        return self.state == PdfState.FAILED


def paper_anchor(period: int, number: int) -> str:
    """The id of an achievement on an update paper's page (publications/_update_paper.html):
    the ``number``th of its ``period``th plan period; period 0 is the paper's next steps."""
    return f"paper-p{period}-a{number}" if period else "paper-next-steps"


class PublishedAction(models.Model):
    """What the search across published documents finds (publications.search): one action of
    the latest public version of a published plan, or one achievement (or the next steps) of the
    latest public version of a published update paper. Rewritten whenever that plan, a progress
    review of it or that update paper is published or withdrawn, so a withdrawn document is
    never found; ``status`` is an action's status as its public page shows it (from the plan's
    latest published review), empty for an update paper's rows, which have none."""

    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    heading_number = models.PositiveSmallIntegerField()
    number = models.PositiveSmallIntegerField(help_text="The action's place under its heading.")
    heading = models.CharField(max_length=250, blank=True)
    theme = models.CharField(max_length=40, blank=True)
    title = models.TextField()
    text = models.TextField(help_text="Description, success criteria and comment.")
    status = models.CharField(max_length=20, blank=True)
    status_label = models.CharField(max_length=100, blank=True, help_text="The plan's word.")
    starts_year = models.PositiveSmallIntegerField(null=True)
    # Filled on PostgreSQL only (publications.search), with a GIN index its migration adds there.
    search = SearchVectorField(null=True)

    class Meta:
        ordering = ["organisation__name", "heading_number", "number"]
        indexes = [models.Index(fields=["theme", "status"])]

    def __str__(self) -> str:
        return self.title

    @property
    def from_paper(self) -> bool:
        """From an update paper rather than a plan (its publication is loaded with it)."""
        return self.publication.kind == PublicationKind.UPDATE_PAPER

    @property
    def anchor(self) -> str:
        """The id of the action's row in its plan's table (actionplans/_plan_table.html), or of
        the achievement on its update paper's page (``paper_anchor``)."""
        if self.from_paper:
            return paper_anchor(self.heading_number, self.number)
        return f"plan-h{self.heading_number}-a{self.number}"
