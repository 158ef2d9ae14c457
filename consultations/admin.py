"""The sector-wide question set, kept by administrators. Nothing else of a consultation is in
the admin: individual responses are never shown to anyone."""

from django.contrib import admin

from consultations.models import SharedQuestion


@admin.register(SharedQuestion)
class SharedQuestionAdmin(admin.ModelAdmin):
    list_display = ["text", "kind", "theme", "position", "active"]
    list_filter = ["kind", "theme", "active"]
    list_editable = ["position", "active"]
    fields = ["kind", "text", "theme", "choices", "position", "active"]
