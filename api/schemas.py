"""What the API returns, field by field: the OpenAPI schema is built from these."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from ninja import Field, Schema

from actionplans.enums import Status
from publications.enums import PublicationKind
from signatories.enums import Nation, OrganisationKind, OrganisationStatus

# Addresses' identifiers: an organisation's slug.
SLUG = r"^[-a-zA-Z0-9_]+$"


class Message(Schema):
    detail: str


class Invalid(Schema):
    """A request whose parameters are not what the schema allows: one item per mistake."""

    detail: list[dict[str, Any]]


class Signatory(Schema):
    name: str
    short_name: str
    slug: str
    kind: OrganisationKind
    nation: Nation
    status: OrganisationStatus
    signed_on: date
    webpage: str
    contact_name: str
    contact_email: str
    last_assessed_on: date | None = None
    next_due_on: date | None = None
    page_url: str
    current_plan_id: int | None = None


class Published(Schema):
    id: int
    organisation: str
    organisation_slug: str
    title: str
    version: int
    published_on: date
    page_url: str


class Document(Published):
    kind: PublicationKind
    pdf_url: str
    api_url: str | None = None


class Phase(Schema):
    name: str
    period: str


class OwnerCode(Schema):
    code: str
    title: str


class StatusWording(Schema):
    status: Status
    label: str
    description: str


class Action(Schema):
    heading: str
    theme: str
    action: str
    description: str
    led_by: str
    led_by_names: str
    targets: str
    focus_years: str
    target_on: str
    success_criteria: str
    status: str
    status_label: str
    comment: str


class Plan(Published):
    period: str
    phases: list[Phase]
    key: list[OwnerCode]
    status_wording: list[StatusWording]
    actions: list[Action]


class ReviewEntry(Schema):
    heading: str
    action: str
    status: str
    status_label: str
    comment: str


class ProgressReview(Published):
    plan_title: str
    reviewed_on: date | None = None
    period_from: date | None = None
    period_to: date | None = None
    author: str
    overall_status: str
    overall_label: str
    summary: str
    entries: list[ReviewEntry]


# --- Asking: filters and paging -------------------------------------------------------------


class SignatoryQuery(Schema):
    q: str = Field("", max_length=100, description="Name or short name contains.")
    kind: OrganisationKind | None = None
    nation: Nation | None = None
    status: OrganisationStatus | None = None
    sort: Literal["name", "newest", "oldest"] = Field("name", description="Name or date signed.")


class DocumentQuery(Schema):
    organisation: str | None = Field(
        None, pattern=SLUG, max_length=80, description="Only this organisation's (its slug)."
    )
    kind: PublicationKind | None = None


class PageQuery(Schema):
    limit: int = Field(50, ge=1, le=100, description="At most this many items (1 to 100).")
    offset: int = Field(0, ge=0, le=1_000_000, description="Skip this many items first.")


class SignatoryPage(Schema):
    count: int = Field(description="How many match, on every page.")
    limit: int
    offset: int
    items: list[Signatory]


class DocumentPage(Schema):
    count: int = Field(description="How many match, on every page.")
    limit: int
    offset: int
    items: list[Document]
