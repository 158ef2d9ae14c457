from django.contrib import admin, messages

from publications.models import Publication
from publications.tasks import rerender


@admin.register(Publication)
class PublicationAdmin(admin.ModelAdmin):
    """What is published, and whether its PDF is ready; a failed PDF can be rendered again.
    Publishing and withdrawing happen on the organisation's own pages, not here."""

    list_display = [
        "title",
        "organisation",
        "version",
        "published_at",
        "withdrawn_at",
        "pdf_state",
        "pdf_attempts",
    ]
    list_filter = ["pdf_state", "kind"]
    search_fields = ["title", "organisation__name"]
    readonly_fields = [field.name for field in Publication._meta.fields]
    actions = ["render_pdf_again"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description="Render the PDF again")
    def render_pdf_again(self, request, queryset):
        count = rerender(queryset)
        self.message_user(
            request,
            f"{count} PDF{'s' if count != 1 else ''} queued to be rendered again.",
            messages.SUCCESS,
        )
