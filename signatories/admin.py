from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm

from signatories.models import Invitation, Membership, Organisation, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


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
    fieldsets = [
        (
            None,
            {"fields": ["name", "short_name", "slug", "kind", "nation", "technical_staff_count"]},
        ),
        ("Commitment", {"fields": ["status", "signed_on", "last_assessed_on"]}),
        ("Public information", {"fields": ["webpage", "contact_name", "contact_email"]}),
    ]


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
    inlines = [MembershipInline]
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
