"""Administrators keep the forms here: copy a version, edit the copy, set when it comes into use.

A version that any self-assessment was made with is shown read-only: changing its questions would
change what those organisations answered. Copy it instead.
"""

from django import forms
from django.contrib import admin, messages
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from assessments.models import (
    CohortDeadline,
    ExampleActivity,
    FormVersion,
    Question,
    Section,
    SelfAssessment,
    SignOffRequirement,
    Theme,
)
from assessments.services import copy_form_version, form_version_in_use, set_sign_off_policy


class LockedWhenInUse:
    """Inline and model admins whose rows belong to a form version that may be in use."""

    def form_version_of(self, obj) -> FormVersion | None:
        if isinstance(obj, FormVersion):
            return obj
        if isinstance(obj, Section):
            return obj.form_version
        return None

    def is_locked(self, obj) -> bool:
        version = self.form_version_of(obj)
        return version is not None and version.pk is not None and form_version_in_use(version)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not self.is_locked(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not self.is_locked(obj)


class LockedInline(LockedWhenInUse):
    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and not self.is_locked(obj)


class SignOffInline(LockedInline, admin.TabularInline):
    model = SignOffRequirement
    extra = 0
    fields = ["position", "role", "title"]


class SectionInline(LockedInline, admin.TabularInline):
    model = Section
    extra = 0
    fields = ["position", "title"]
    show_change_link = True


class CopyForm(forms.Form):
    name = forms.CharField(label="Name of the new version", max_length=120)
    slug = forms.SlugField(
        label="Short name for addresses", max_length=60, help_text="Letters, numbers and hyphens."
    )
    in_use_from = forms.DateField(
        label="In use from",
        help_text="Self-assessments started on or after this date use the new version.",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def clean_name(self):
        name = self.cleaned_data["name"]
        if FormVersion.objects.filter(name=name).exists():
            raise forms.ValidationError("A form version with this name already exists.")
        return name

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if FormVersion.objects.filter(slug=slug).exists():
            raise forms.ValidationError("A form version with this short name already exists.")
        return slug

    def clean_in_use_from(self):
        day = self.cleaned_data["in_use_from"]
        if FormVersion.objects.filter(in_use_from=day).exists():
            raise forms.ValidationError("Another version comes into use on this date.")
        return day


class SignOffPolicyForm(forms.Form):
    resign_on_change = forms.BooleanField(
        label="Signers sign again when a resubmission changes",
        required=False,
        help_text="Recommended: the published signatures then always cover the published content.",
    )
    reason = forms.CharField(
        label="Why signers are not asked again",
        required=False,
        max_length=1000,
        widget=forms.Textarea({"rows": 3}),
        help_text="Needed when the box above is not ticked.",
    )

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("resign_on_change") and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", "Say why signers are not asked to sign again.")
        return cleaned


def policy_text(version: FormVersion) -> str:
    if version.resign_on_change:
        return "Signers sign again when a resubmission changes."
    return f"Signers are not asked again: {version.resign_off_reason}"


@admin.register(FormVersion)
class FormVersionAdmin(LockedWhenInUse, admin.ModelAdmin):
    list_display = [
        "name",
        "in_use_from",
        "for_first_assessment",
        "cycle_months",
        "plan_horizon_months",
        "assessments_made",
        "sign_off_policy",
        "copy_link",
    ]
    search_fields = ["name"]
    # The sign-off policy changes on its own page (policy_view), with a reason, even in use.
    exclude = [
        "resign_on_change",
        "resign_off_reason",
        "sign_off_policy_changed_at",
        "sign_off_policy_changed_by",
    ]
    readonly_fields = ["sign_off_policy"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [SignOffInline, SectionInline]
    actions = ["copy_selected"]

    def get_queryset(self, request):
        # Self-assessments point at their version without a reverse name; count them in one query.
        counts = (
            SelfAssessment.objects.filter(form_version=OuterRef("pk"))
            .values("form_version")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return (
            super()
            .get_queryset(request)
            .annotate(made=Coalesce(Subquery(counts), 0))
            .select_related("sign_off_policy_changed_by")
        )

    @admin.display(description="self-assessments", ordering="made")
    def assessments_made(self, obj):
        return obj.made

    @admin.display(description="")
    def copy_link(self, obj):
        url = reverse("admin:assessments_formversion_copy", args=[obj.pk])
        return format_html(
            '<a href="{}">Copy<span class="visually-hidden"> {}</span></a>', url, obj
        )

    def get_urls(self):
        return [
            path(
                "<int:pk>/copy/",
                self.admin_site.admin_view(self.copy_view),
                name="assessments_formversion_copy",
            ),
            path(
                "<int:pk>/sign-off-policy/",
                self.admin_site.admin_view(self.policy_view),
                name="assessments_formversion_policy",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        version = self.get_object(request, object_id)
        if version is not None and self.is_locked(version):
            messages.info(
                request,
                "Self-assessments have been made with this version, so it cannot be changed. "
                "Copy it to make a new version.",
            )
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.action(description="Copy the selected form version")
    def copy_selected(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, "Choose one form version to copy.", messages.WARNING)
            return None
        return redirect("admin:assessments_formversion_copy", pk=queryset.get().pk)

    def copy_view(self, request, pk):
        source = get_object_or_404(FormVersion, pk=pk)
        if not self.has_add_permission(request):
            return redirect("admin:index")
        form = CopyForm(
            request.POST or None,
            initial={"name": f"{source.name} (copy)", "slug": f"{source.slug}-copy"},
        )
        if request.method == "POST" and form.is_valid():
            copy = copy_form_version(source, **form.cleaned_data)
            self.log_addition(request, copy, f"Copied from {source}.")
            self.message_user(
                request,
                f"Made ‘{copy}’, a copy of ‘{source}’. Edit its sections and questions below.",
                messages.SUCCESS,
            )
            return redirect("admin:assessments_formversion_change", copy.pk)
        return self.form_page(
            request,
            source,
            form,
            title=f"Copy {source}",
            crumb="Copy",
            intro=f"The copy has the same settings, sign-offs, sections and questions as "
            f"‘{source}’. You can change all of them once it is made.",
            submit="Make the copy",
        )

    def form_page(self, request, source, form, **texts) -> TemplateResponse:
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "source": source,
            "form": form,
            **texts,
        }
        return TemplateResponse(request, "admin/assessments/formversion/form_page.html", context)

    def policy_view(self, request, pk):
        """Whether signers sign again when a resubmission changes: this may change while the
        version is in use, so it has a page of its own, and turning it off needs a reason."""
        version = get_object_or_404(FormVersion, pk=pk)
        if not request.user.has_perm("assessments.change_formversion"):
            return redirect("admin:index")
        form = SignOffPolicyForm(
            request.POST or None,
            initial={
                "resign_on_change": version.resign_on_change,
                "reason": version.resign_off_reason,
            },
        )
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            set_sign_off_policy(
                version,
                resign_on_change=data["resign_on_change"],
                reason=data["reason"],
                by=request.user,
            )
            self.log_change(request, version, f"Sign-off policy: {policy_text(version)}")
            self.message_user(request, f"‘{version}’: {policy_text(version)}", messages.SUCCESS)
            return redirect("admin:assessments_formversion_change", version.pk)
        return self.form_page(
            request,
            version,
            form,
            title=f"Sign-off policy of {version}",
            crumb="Sign-off policy",
            intro="After the steering group asks for changes, a revised self-assessment whose "
            "content differs from what was signed is normally signed again before it is "
            "submitted, so that the published signatures cover the published content. Turn "
            "this off only with a reason: the organisation sees it, and the published document "
            "prints the earlier signatures as covering an earlier revision.",
            submit="Save the policy",
        )

    @admin.display(description="sign-off after changes")
    def sign_off_policy(self, obj):
        if obj.pk is None:
            return policy_text(obj)
        url = reverse("admin:assessments_formversion_policy", args=[obj.pk])
        changed = ""
        if obj.sign_off_policy_changed_at:
            changed = (
                f" (set {timezone.localtime(obj.sign_off_policy_changed_at):%d %B %Y} by "
                f"{obj.sign_off_policy_changed_by or 'an administrator'})"
            )
        return format_html(
            '{}{} <a href="{}">Change<span class="visually-hidden"> the sign-off policy of {}'
            "</span></a>",
            policy_text(obj),
            changed,
            url,
            obj,
        )


class QuestionInline(LockedInline, admin.StackedInline):
    model = Question
    extra = 0
    fields = [
        ("position", "key", "kind"),
        "text",
        "guidance",
        ("required", "word_limit", "prefill"),
    ]


@admin.register(Section)
class SectionAdmin(LockedWhenInUse, admin.ModelAdmin):
    list_display = ["__str__", "form_version"]
    list_filter = ["form_version"]
    list_select_related = ["form_version"]
    search_fields = ["title"]
    inlines = [QuestionInline]


class ExampleActivityInline(admin.TabularInline):
    model = ExampleActivity
    extra = 0
    fields = ["position", "text"]


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["name", "position", "asked_per_theme"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [ExampleActivityInline]


@admin.register(CohortDeadline)
class CohortDeadlineAdmin(admin.ModelAdmin):
    list_display = ["name", "signed_from", "signed_until", "due_on", "counts_from"]
    list_filter = ["due_on"]
    search_fields = ["name"]
    date_hierarchy = "due_on"
