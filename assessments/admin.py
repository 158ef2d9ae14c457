from django.contrib import admin

from assessments.models import CohortDeadline, FormVersion


@admin.register(FormVersion)
class FormVersionAdmin(admin.ModelAdmin):
    list_display = ["name", "in_use_from", "cycle_months", "plan_horizon_months"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(CohortDeadline)
class CohortDeadlineAdmin(admin.ModelAdmin):
    list_display = ["name", "signed_from", "signed_until", "due_on", "counts_from"]
    list_filter = ["due_on"]
    search_fields = ["name"]
    date_hierarchy = "due_on"
