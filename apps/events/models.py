"""The outbox of case events, the departments' subscriptions, and one delivery row per
(subscription, event).

`Event.sequence` is the feed's cursor. An event is written in its case's transaction without
one; once that transaction has committed, the sequencer (`services/outbox.py`) numbers the
committed events one batch at a time, so a reader that has seen number N never sees a smaller
number appear later, and no state change waits on another's transaction to number its event."""

import secrets
import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.models import BaseModel


def new_secret() -> str:
    return secrets.token_urlsafe(32)


class Event(models.Model):
    """One case event as it is published: the CloudEvent is built from these columns."""

    id = models.BigAutoField(primary_key=True)
    event_id = models.UUIDField(_("event id"), unique=True, default=uuid.uuid4, editable=False)
    # Its place in the feed, given after its transaction committed (null until then).
    sequence = models.BigIntegerField(_("sequence"), null=True, blank=True, unique=True)
    type = models.CharField(_("type"), max_length=80, db_index=True)
    source = models.CharField(_("source"), max_length=255)
    subject = models.CharField(_("subject"), max_length=40)
    time = models.DateTimeField(_("time"))
    data = models.JSONField(_("data"), default=dict)
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("case"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Who may receive it: the case's lead department and its reviewing departments, then.
    departments = models.ManyToManyField(
        "accounts.Department",
        verbose_name=_("departments"),
        through="EventDepartment",
        related_name="+",
    )

    class Meta:
        ordering = ["id"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        indexes = [
            # What the sequencer has still to number: a few rows, whatever the outbox holds.
            models.Index(
                fields=["id"], condition=models.Q(sequence__isnull=True), name="event_unnumbered"
            )
        ]

    def __str__(self) -> str:
        return f"{self.pk} {self.type} {self.subject}"


class EventDepartment(models.Model):
    """An event a department may read: the feed walks (department, sequence) in this index."""

    department = models.ForeignKey(
        "accounts.Department", on_delete=models.CASCADE, related_name="+"
    )
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="+")
    # The event's sequence, copied when it is numbered, so one index serves the feed.
    sequence = models.BigIntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["department", "event"], name="events_department_event_unique"
            )
        ]
        indexes = [
            models.Index(
                fields=["department", "sequence"],
                condition=models.Q(sequence__isnull=False),
                name="event_department_feed",
            )
        ]

    def __str__(self) -> str:
        return f"{self.event_id} → {self.department_id}"


class Subscription(BaseModel):
    """A department's system that takes webhooks: registered by an administrator."""

    department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("department"),
        on_delete=models.CASCADE,
        related_name="event_subscriptions",
    )
    name = models.CharField(_("name"), max_length=100)
    url = models.URLField(_("URL"), max_length=500)
    event_types = models.JSONField(
        _("event types"),
        default=list,
        blank=True,
        help_text=_("The event types sent to this URL; none chosen means every type."),
    )
    secret = models.CharField(
        _("secret"),
        max_length=128,
        default=new_secret,
        help_text=_("The key of the HMAC-SHA256 signature; tell it to the department only."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["department__code", "name"]
        verbose_name = _("event subscription")
        verbose_name_plural = _("event subscriptions")

    def __str__(self) -> str:
        return f"{self.department.code}: {self.name}"

    def wants(self, event_type: str) -> bool:
        return not self.event_types or event_type in self.event_types


class Delivery(BaseModel):
    """One event to one subscription: the delivery log. Unique per pair, so an event is
    queued to a subscription once however often the code that writes it runs."""

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")

    subscription = models.ForeignKey(
        Subscription,
        verbose_name=_("subscription"),
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="deliveries"
    )
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.PENDING, db_index=True
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_status_code = models.PositiveSmallIntegerField(_("last status code"), null=True)
    last_error = models.TextField(_("last error"), blank=True)
    last_attempt_at = models.DateTimeField(_("last attempt at"), null=True)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("event delivery")
        verbose_name_plural = _("event deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "event"], name="events_delivery_once_per_subscription"
            )
        ]

    def __str__(self) -> str:
        return f"{self.event_id} → {self.subscription_id}: {self.state}"
