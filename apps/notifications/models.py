from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.template import TemplateSyntaxError
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import User
from apps.core.models import BaseModel


class NotificationTemplate(BaseModel):
    """The words of one event in one language; Django template syntax over the event's context.

    The same subject and body serve every channel: email uses both, SMS and the in-app list use
    the body, a printed letter uses both.
    """

    event = models.CharField(
        _("event"), max_length=100, help_text=_("For example case.submitted or case.decided.")
    )
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(
        _("body"),
        help_text=_("Django template syntax, for example {{ case_number }} or {{ url }}."),
    )

    class Meta:
        ordering = ["event", "language"]
        verbose_name = _("notification template")
        verbose_name_plural = _("notification templates")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "language"], name="unique_notification_template_event_language"
            )
        ]

    def __str__(self):
        return f"{self.event} ({self.language})"

    def clean(self):
        super().clean()
        from .services import template_compile

        errors = {}
        for field in ("subject", "body"):
            try:
                template_compile(source=getattr(self, field))
            except TemplateSyntaxError as exc:
                errors[field] = _("This is not a valid template: %(error)s") % {"error": exc}
        if errors:
            raise ValidationError(errors)


class Notification(BaseModel):
    """One message about one event to one recipient on one channel, and what became of it."""

    Channel = User.Channel

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENT = "sent", _("Sent")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")

    recipient = models.ForeignKey(
        User,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    event = models.CharField(_("event"), max_length=100)
    dedup_key = models.CharField(
        _("deduplication key"),
        max_length=200,
        blank=True,
        default="",
        help_text=_("Tells apart occurrences of one event, for example case:123:approved."),
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    language = models.CharField(_("language"), max_length=10)
    subject = models.CharField(_("subject"), max_length=255)
    body = models.TextField(_("body"))
    url = models.CharField(_("link"), max_length=500, blank=True)
    destination = models.CharField(
        _("sent to"), max_length=254, blank=True, help_text=_("Email address or phone number.")
    )
    service_point = models.ForeignKey(
        "accounts.ServicePoint",
        verbose_name=_("service point"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="letters",
        help_text=_("Where a printed letter is handed over."),
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    provider_message_id = models.CharField(_("provider message id"), max_length=255, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            # Nothing is sent twice: notify() and every retry go through this key.
            models.UniqueConstraint(
                fields=["event", "dedup_key", "recipient", "channel"],
                name="unique_notification_event_key_recipient_channel",
            )
        ]
        indexes = [
            models.Index(fields=["recipient", "channel", "read_at"], name="notif_inbox_idx"),
            # The inbox API's keyset pages (`selectors.NOTIFICATION_ORDER`): a walk from the cursor.
            models.Index(
                fields=["recipient", "channel", "-created_at", "-id"], name="notif_inbox_order_idx"
            ),
            models.Index(fields=["channel", "status", "service_point"], name="notif_letters_idx"),
        ]

    def __str__(self):
        return f"{self.event} → {self.recipient} ({self.get_channel_display()})"

    @property
    def idempotency_key(self) -> str:
        """The unique key as one string: what providers use to drop a message sent twice."""
        return f"{self.event}:{self.dedup_key}:{self.recipient_id}:{self.channel}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
