"""Administrators register departments' subscriptions, read the outbox and the delivery log,
and replay chosen deliveries."""

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from apps.audit.context import AuditContext

from . import services
from .catalogue import ALL_TYPES
from .models import Delivery, Event, Subscription


class SubscriptionForm(forms.ModelForm):
    event_types = forms.MultipleChoiceField(
        label=_("event types"),
        choices=[(t, t) for t in ALL_TYPES],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The event types sent to this URL; none chosen means every type."),
    )

    class Meta:
        model = Subscription
        fields = ["department", "name", "url", "event_types", "secret", "is_active"]


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    form = SubscriptionForm
    list_display = ["name", "department", "url", "is_active", "updated_at"]
    list_filter = ["is_active", "department"]
    search_fields = ["name", "url", "department__code"]
    list_select_related = ["department"]

    def save_model(self, request, obj, form, change):
        services.subscription_save(
            subscription=obj,
            actor=request.user,
            changed=list(form.changed_data),
            context=AuditContext.from_request(request),
        )


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    """The outbox: read-only."""

    list_display = ["id", "type", "subject", "time"]
    list_filter = ["type"]
    search_fields = ["subject", "event_id"]
    date_hierarchy = "time"

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    """The delivery log: read-only, except replaying chosen deliveries."""

    list_display = [
        "id",
        "event",
        "subscription",
        "state",
        "attempts",
        "last_status_code",
        "last_attempt_at",
        "next_attempt_at",
        "delivered_at",
    ]
    list_filter = ["state", "subscription__department", "event__type"]
    search_fields = ["event__subject", "event__event_id", "subscription__name"]
    list_select_related = ["event", "subscription__department"]
    actions = ["replay"]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Replay the selected deliveries"))
    def replay(self, request, queryset):
        count = services.deliveries_replay(
            deliveries=list(queryset),
            actor=request.user,
            context=AuditContext.from_request(request),
        )
        self.message_user(
            request,
            ngettext(
                "%(count)d delivery queued again.", "%(count)d deliveries queued again.", count
            )
            % {"count": count},
            messages.SUCCESS,
        )
