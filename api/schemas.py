"""What the API returns, field by field: the OpenAPI schema is built from these."""

from __future__ import annotations

from datetime import date
from typing import Any

from ninja import Schema

from actionplans.enums import Status
from publications.enums import PublicationKind
from signatories.enums import Nation, OrganisationKind, OrganisationStatus


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
