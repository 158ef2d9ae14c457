from django.contrib import admin, messages

from techcommit.mail import retry_failed
from techcommit.models import OutgoingEmail


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin):
    """What the portal e-mailed, to whom, and what the mail server has not taken yet."""

    list_display = ["subject", "to", "status", "attempts", "created_at", "sent_at"]
    list_filter = ["status"]
    search_fields = ["to", "subject"]
    readonly_fields = [field.name for field in OutgoingEmail._meta.fields]
    actions = ["send_again"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description="Send again")
    def send_again(self, request, queryset):
        sent, failed = retry_failed(queryset)
        level = messages.WARNING if failed else messages.SUCCESS
        self.message_user(request, f"{sent} sent, {failed} still not sent.", level)
