"""Administrators keep the review rounds and the reviewer pool here.

Snapshots, their sign-offs, the audit trail and the reminders sent are records of what happened:
the admin shows them read-only. They change only through the submission flow (services), so
the trail stays true.
"""

from django.contrib import admin
from django.db.models import Count

from submissions.models import AuditEntry, ReminderSent, Reviewer, ReviewRound, SignOff, Snapshot


class ReadOnlyMixin:
    """Viewable by administrators; nobody adds, changes or deletes through the admin."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ReviewRound)
class ReviewRoundAdmin(admin.ModelAdmin):
    list_display = ["name", "starts_on", "ends_on", "reviewers_available"]
    search_fields = ["name"]
    date_hierarchy = "starts_on"

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(available=Count("reviewers", distinct=True))

    @admin.display(description="reviewers available", ordering="available")
    def reviewers_available(self, obj):
        return obj.available


@admin.register(Reviewer)
class ReviewerAdmin(admin.ModelAdmin):
    """The reviewer pool: who reviews, where they work (never reviewed by them), whether they
    are trained, and the rounds they can take part in."""

    list_display = ["user", "email", "organisation", "trained_on", "rounds", "active"]
    list_filter = [
        "active",
        ("trained_on", admin.EmptyFieldListFilter),
        "available_in",
        ("organisation", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["user", "organisation"]
    search_fields = ["user__full_name", "user__email", "organisation__name"]
    autocomplete_fields = ["user", "organisation"]
    filter_horizontal = ["available_in"]
    fields = ["user", "organisation", "trained_on", "available_in", "active"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("available_in")

    @admin.display(description="e-mail address", ordering="user__email")
    def email(self, obj):
        return obj.user.email

    @admin.display(description="available in")
    def rounds(self, obj):
        return ", ".join(sorted(r.name for r in obj.available_in.all())) or "–"


class SignOffInline(ReadOnlyMixin, admin.TabularInline):
    model = SignOff
    extra = 0
    fields = [
        "position",
        "title",
        "state",
        "signer",
        "signed_name",
        "signed_job_title",
        "signed_at",
        "declined_at",
        "decline_reason",
        "voided_at",
        "void_reason",
    ]
    readonly_fields = fields


@admin.register(Snapshot)
class SnapshotAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """Submitted revisions, as they were. Their content is read on the submission pages."""

    list_display = ["__str__", "revision", "created_at", "submitted_at", "submitted_by"]
    list_filter = [("submitted_at", admin.EmptyFieldListFilter)]
    list_select_related = ["assessment__organisation", "submitted_by"]
    search_fields = ["assessment__organisation__name"]
    date_hierarchy = "created_at"
    fields = [
        "assessment",
        "revision",
        "content_hash",
        "created_at",
        "created_by",
        "submitted_at",
        "submitted_by",
    ]
    readonly_fields = fields
    inlines = [SignOffInline]


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = [
        "at",
        "assessment",
        "kind",
        "from_status",
        "to_status",
        "revision",
        "by",
        "message",
    ]
    list_filter = ["kind"]
    list_select_related = ["assessment__organisation", "by"]
    search_fields = ["assessment__organisation__name", "message"]
    date_hierarchy = "at"
    fields = [
        "assessment",
        "kind",
        "at",
        "by",
        "from_status",
        "to_status",
        "revision",
        "message",
    ]
    readonly_fields = fields


@admin.register(ReminderSent)
class ReminderSentAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["organisation", "due_on", "reminder", "sent_at"]
    list_filter = ["reminder"]
    list_select_related = ["organisation"]
    search_fields = ["organisation__name"]
    date_hierarchy = "sent_at"
    fields = ["organisation", "due_on", "reminder", "sent_at"]
    readonly_fields = fields
