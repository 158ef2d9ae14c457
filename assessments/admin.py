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
from assessments.services import copy_form_version, form_version_in_use


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


@admin.register(FormVersion)
class FormVersionAdmin(LockedWhenInUse, admin.ModelAdmin):
    list_display = [
        "name",
        "in_use_from",
        "for_first_assessment",
        "cycle_months",
        "plan_horizon_months",
        "assessments_made",
        "copy_link",
    ]
    search_fields = ["name"]
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
        return super().get_queryset(request).annotate(made=Coalesce(Subquery(counts), 0))

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
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"Copy {source}",
            "source": source,
            "form": form,
        }
        return TemplateResponse(request, "admin/assessments/formversion/copy.html", context)


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
