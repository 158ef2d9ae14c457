from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.core.exceptions import ValidationError
from django.db import models
from django.forms.models import BaseInlineFormSet
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from signatories import services
from signatories.enums import ALLOWED_TRANSITIONS, OrganisationStatus, Role
from signatories.models import (
    Invitation,
    Membership,
    Organisation,
    User,
)


class MembershipFormSet(BaseInlineFormSet):
    def clean(self):
        """The admin keeps the last-lead rule too: an organisation with a lead keeps one."""
        super().clean()
        if self.instance.pk is None or any(self.errors):
            return
        had_lead = self.instance.memberships.filter(role=Role.LEAD).exists()
        keeps_lead = any(
            form.cleaned_data.get("role") == Role.LEAD
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        )
        if had_lead and not keeps_lead:
            raise ValidationError(
                "An organisation always keeps at least one institutional lead. Make someone "
                "else a lead before removing or changing the last one."
            )


class MembershipInline(admin.TabularInline):
    """Memberships of one organisation, edited on the organisation."""

    model = Membership
    formset = MembershipFormSet
    extra = 0
    autocomplete_fields = ["user"]


class PersonMembershipInline(admin.TabularInline):
    """A person's memberships, read-only: roles are changed on the organisation, where the
    last-lead rule can be checked."""

    model = Membership
    extra = 0
    fields = ["organisation", "role", "created_at"]
    readonly_fields = fields
    can_delete = False
    verbose_name_plural = "memberships (change them on the organisation)"

    def has_add_permission(self, request, obj=None):
        return False


class OrganisationForm(forms.ModelForm):
    """A new organisation is given its status; an existing one changes it only through the
    transition, with a reason that is kept in its history."""

    new_status = forms.ChoiceField(label="Change status to", required=False)
    status_reason = forms.CharField(
        label="Reason for the change",
        required=False,
        max_length=500,
        widget=forms.Textarea({"rows": 2}),
        help_text="Kept in the organisation's history, which its members see.",
    )

    class Meta:
        model = Organisation
        fields = ["status"]  # the admin adds the rest from OrganisationAdmin.get_fieldsets

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "new_status" in self.fields:
            current = self.instance.status
            self.fields["new_status"].choices = [("", "Keep the current status")] + [
                (status.value, status.label)
                for status in OrganisationStatus
                if status in ALLOWED_TRANSITIONS[current]
            ]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("new_status") and not (cleaned.get("status_reason") or "").strip():
            self.add_error("status_reason", "Say why the status changes.")
        return cleaned


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "short_name",
        "kind",
        "nation",
        "status",
        "signed_on",
        "last_assessed_on",
    ]
    list_filter = ["status", "kind", "nation"]
    search_fields = ["name", "short_name", "slug", "contact_name", "contact_email"]
    prepopulated_fields = {"slug": ["short_name"]}
    date_hierarchy = "signed_on"
    inlines = [MembershipInline]
    form = OrganisationForm
    # A web address typed without a scheme is taken as https (Django 6's default).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def get_fieldsets(self, request, obj=None):
        commitment = ["status", "signed_on", "last_assessed_on"]
        if obj is not None:
            commitment[1:1] = ["new_status", "status_reason", "status_history"]
        about = ["name", "short_name", "slug", "kind", "nation", "technical_staff_count"]
        return [
            (None, {"fields": about}),
            ("Commitment", {"fields": commitment}),
            ("Public information", {"fields": ["webpage", "contact_name", "contact_email"]}),
        ]

    def get_readonly_fields(self, request, obj=None):
        # Once the organisation exists, its status changes only through the transition.
        return ["status", "status_history"] if obj is not None else []

    @admin.display(description="Status history")
    def status_history(self, obj) -> str:
        changes = obj.status_changes.select_related("by")
        if not changes:
            return "No changes since it was added."
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                "<li>{}: {} → {} by {}. {}</li>",
                (
                    (
                        f"{timezone.localtime(c.at):%d %B %Y %H:%M}",
                        c.from_label,
                        c.to_label,
                        c.by or "the portal",
                        c.comment,
                    )
                    for c in changes
                ),
            ),
        )

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        new_status = form.cleaned_data.get("new_status")
        if change and new_status:
            try:
                services.transition(
                    obj, to=new_status, by=request.user, comment=form.cleaned_data["status_reason"]
                )
            except services.StatusError as error:
                messages.error(request, str(error))


class PersonCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ["email", "full_name"]


class PersonChangeForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    add_form = PersonCreationForm
    form = PersonChangeForm
    ordering = ["full_name", "email"]
    list_display = ["email", "full_name", "job_title", "is_reviewer", "is_staff", "is_active"]
    list_filter = ["is_reviewer", "is_staff", "is_superuser", "is_active"]
    search_fields = ["email", "full_name", "job_title"]
    inlines = [PersonMembershipInline]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Person", {"fields": ["full_name", "job_title"]}),
        ("Sector roles", {"fields": ["is_reviewer", "is_staff", "is_superuser", "is_active"]}),
        (
            "Fine-grained permissions",
            {"classes": ["collapse"], "fields": ["groups", "user_permissions"]},
        ),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["email", "full_name", "usable_password", "password1", "password2"],
            },
        ),
    ]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = [
        "email",
        "organisation",
        "role",
        "invited_by",
        "created_at",
        "expires_at",
        "accepted_at",
        "revoked_at",
    ]
    list_filter = ["role", "organisation"]
    search_fields = ["email", "organisation__name"]
    readonly_fields = [
        "organisation",
        "email",
        "role",
        "invited_by",
        "created_at",
        "expires_at",
        "accepted_at",
        "accepted_by",
        "revoked_at",
    ]
    exclude = ["token_hash"]

    def has_add_permission(self, request):
        return False  # leads invite from the organisation's members page
