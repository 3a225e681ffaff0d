from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import services
from .models import Notification, NotificationTemplate


@admin.register(NotificationTemplate)
class NotificationTemplateAdmin(admin.ModelAdmin):
    list_display = ["event", "language", "subject", "updated_at"]
    list_filter = ["language"]
    search_fields = ["event", "subject", "body"]
    ordering = ["event", "language"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """What was sent to whom: read-only, except queueing a failed delivery again."""

    list_display = ["created_at", "event", "recipient", "channel", "status", "attempts", "sent_at"]
    list_filter = ["status", "channel", "event", "service_point"]
    search_fields = ["event", "dedup_key", "recipient__username", "recipient__email"]
    list_select_related = ["recipient"]
    date_hierarchy = "created_at"
    actions = ["retry_delivery"]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Send the selected failed notifications again"))
    def retry_delivery(self, request, queryset):
        count = 0
        for notification in queryset.filter(status=Notification.Status.FAILED):
            services.notification_retry(notification=notification, actor=request.user)
            count += 1
        self.message_user(
            request,
            ngettext(
                "%(count)d notification queued again.",
                "%(count)d notifications queued again.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )
