"""Writes for notifications: `notify()` for every app, delivery for the Celery task."""

import logging
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import prefetch_related_objects
from django.template import Context, Engine, Template, TemplateSyntaxError
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from apps.accounts.models import ResidentProfile, User
from apps.audit.actions import AuditAction
from apps.audit.services import audit_record
from apps.core.links import portal_url
from apps.core.sms import send_sms

from .models import Notification, NotificationTemplate

logger = logging.getLogger(__name__)

Channel = Notification.Channel
Status = Notification.Status

# Admin-edited templates get the built-in tags and filters plus i18n/l10n, and no template
# loaders: `{% include %}` or `{% extends %}` cannot reach files on disk.
_ENGINE = Engine(
    dirs=[],
    app_dirs=False,
    libraries={"i18n": "django.templatetags.i18n", "l10n": "django.templatetags.l10n"},
)


class NotificationDeliveryError(Exception):
    """One delivery attempt failed; the task retries it."""


def template_compile(*, source: str) -> Template:
    """Compile an admin-edited notification template (raises TemplateSyntaxError)."""
    return _ENGINE.from_string(source)


def _language_for(user: User) -> str:
    try:
        return translation.get_supported_language_variant(user.preferred_language or "")
    except LookupError:
        return settings.LANGUAGE_CODE


def _absolute_url(url: str) -> str:
    return portal_url(path=url)


def notification_render(*, event: str, language: str, context: dict) -> tuple[str, str]:
    """The subject and body of `event` in `language`; zh-hans if missing, else generic text."""
    templates = {
        template.language: template
        for template in NotificationTemplate.objects.filter(
            event=event, language__in=[language, settings.LANGUAGE_CODE]
        )
    }
    template = templates.get(language) or templates.get(settings.LANGUAGE_CODE)
    context = {**context, "url": _absolute_url(str(context.get("url", "")))}
    with translation.override(language):
        if template is not None:
            try:
                # Plain text for email, SMS and letters: no HTML escaping.
                render_context = Context(context, autoescape=False)
                rendered_subject = template_compile(source=template.subject).render(render_context)
                rendered_body = template_compile(source=template.body).render(render_context)
                return " ".join(rendered_subject.split())[:255], rendered_body.strip()
            except TemplateSyntaxError:
                logger.exception("Notification template %s is broken; using generic text", template)
        subject = _("News from the citizen services portal")
        body = _("There is an update for you in the citizen services portal.")
        if context["url"]:
            body = f"{body} {context['url']}"
        return subject, body


def _sms_number(user: User, profile: ResidentProfile | None) -> str:
    if profile is not None and profile.preferred_contact == ResidentProfile.Contact.FAMILY_PHONE:
        return profile.family_phone or user.phone or ""
    return user.phone or ""


def notification_channels_for(*, user: User) -> dict[str, dict]:
    """Where `user` is told about events: {channel: {"destination": ..., "service_point": ...}}.

    In the portal always. Staff (no resident profile): also email. Residents: the channels they
    chose, and the one their preferred contact implies. Assisted residents: a printed letter at
    their service point, and SMS where a phone is known (the family member's when they chose it).
    A channel without an address (email chosen, none known) is left out.
    """
    profile = getattr(user, "profile", None)
    plans: dict[str, dict] = {Channel.IN_APP: {}}
    if profile is None:
        if user.email:
            plans[Channel.EMAIL] = {"destination": user.email}
        return plans
    chosen = set(profile.notification_channels or [])
    contact = profile.preferred_contact
    if contact == ResidentProfile.Contact.LETTER:
        chosen.add(Channel.LETTER)
    elif contact in (ResidentProfile.Contact.SMS, ResidentProfile.Contact.FAMILY_PHONE):
        chosen.add(Channel.SMS)
    if user.is_assisted:
        chosen |= {Channel.LETTER, Channel.SMS}
    if Channel.EMAIL in chosen and user.email:
        plans[Channel.EMAIL] = {"destination": user.email}
    number = _sms_number(user, profile)
    if Channel.SMS in chosen and number:
        plans[Channel.SMS] = {"destination": number}
    if Channel.LETTER in chosen:
        plans[Channel.LETTER] = {"service_point": profile.service_point}
    return plans


def _queue_delivery(notification_id: int) -> None:
    from .tasks import deliver_notification

    options = {}
    queue = getattr(settings, "NOTIFICATIONS_CELERY_QUEUE", "")
    if queue:
        options["queue"] = queue
    deliver_notification.apply_async((notification_id,), **options)


def _queue_on_commit(notification_id: int) -> None:
    # robust: a broker outage must not turn the caller's committed request into an error page;
    # the notification stays queued and `notifications_requeue_stale` sends it later.
    transaction.on_commit(lambda: _queue_delivery(notification_id), robust=True)


@transaction.atomic
def notify(
    *, event: str, recipients: Iterable[User], context: dict, dedup_key: str = ""
) -> list[Notification]:
    """Tell each recipient about `event` on their channels; return the notifications created.

    One notification per (event, dedup_key, recipient, channel): calling again with the same key
    creates and sends nothing more, so pass a `dedup_key` such as "case:123:approved" for events
    that happen more than once. Text comes from the event's `NotificationTemplate` in the
    recipient's language, rendered with `context` (a relative `url` is made absolute with
    `core.links.portal_url`, from PORTAL_BASE_URL). In-app items are delivered at once; email
    and SMS are queued for Celery when the caller's transaction commits (nothing is sent if it
    rolls back); letters wait in the print queue of the resident's service point
    (`selectors.letters_pending`).
    """
    # A department's system reads no inbox: the last guard behind the people selectors.
    users = [user for user in recipients if not user.is_system_account]
    # Each recipient's channels come from their profile: one query for all, not one each.
    prefetch_related_objects(users, "profile")
    rendered: dict[str, tuple[str, str]] = {}
    now = timezone.now()
    planned: list[Notification] = []
    seen: set[tuple[int, str]] = set()
    for recipient in users:
        language = _language_for(recipient)
        if language not in rendered:
            rendered[language] = notification_render(
                event=event, language=language, context=context
            )
        subject, body = rendered[language]
        for channel, plan in notification_channels_for(user=recipient).items():
            if (recipient.pk, channel) in seen:  # named twice: told once
                continue
            seen.add((recipient.pk, channel))
            in_app = channel == Channel.IN_APP
            planned.append(
                Notification(
                    event=event,
                    dedup_key=dedup_key,
                    recipient=recipient,
                    channel=channel,
                    language=language,
                    subject=subject,
                    body=body,
                    url=str(context.get("url", ""))[:500],
                    destination=plan.get("destination", ""),
                    service_point=plan.get("service_point"),
                    status=Status.DELIVERED if in_app else Status.QUEUED,
                    sent_at=now if in_app else None,
                )
            )
    created = _notifications_create(planned)
    for notification in created:
        if notification.channel in (Channel.EMAIL, Channel.SMS):
            _queue_on_commit(notification.pk)
    return created


def _notifications_create(planned: list[Notification]) -> list[Notification]:
    """Insert the planned rows whose (event, key, recipient, channel) is not there yet, in one
    statement; return those inserted. If a concurrent call inserts one of them first, the rows
    go one at a time, each kept only if this call created it."""
    if not planned:
        return []
    first = planned[0]
    existing = set(
        Notification.objects.filter(
            event=first.event,
            dedup_key=first.dedup_key,
            recipient_id__in={row.recipient_id for row in planned},
        ).values_list("recipient_id", "channel")
    )
    fresh = [row for row in planned if (row.recipient_id, row.channel) not in existing]
    if not fresh:
        return []
    try:
        with transaction.atomic():
            return Notification.objects.bulk_create(fresh)
    except IntegrityError:
        created = []
        for row in fresh:
            try:
                with transaction.atomic():
                    row.save(force_insert=True)
            except IntegrityError:  # the concurrent call wrote this one
                continue
            created.append(row)
        return created


def _send(notification: Notification) -> str:
    """Hand the message to the provider; return its message id."""
    if notification.channel == Channel.SMS:
        return send_sms(
            to=notification.destination,
            body=notification.body,
            idempotency_key=notification.idempotency_key,
        )
    if notification.channel == Channel.EMAIL:
        domain = getattr(settings, "NOTIFICATIONS_EMAIL_DOMAIN", "portal.invalid")
        # A Message-ID fixed by the unique key: mail systems collapse the rare duplicate left
        # when a worker dies between the SMTP server's "accepted" and our commit.
        message_id = f"<notification-{notification.pk}@{domain}>"
        message = EmailMessage(
            subject=notification.subject,
            body=notification.body,
            to=[notification.destination],
            headers={"Message-ID": message_id},
        )
        message.send()
        return message_id
    raise NotificationDeliveryError(f"Channel {notification.channel} is not sent by a worker.")


def notification_deliver(*, notification_id: int, final_attempt: bool = False) -> Notification:
    """Send one queued email or SMS notification; safe to call again for the same id.

    The row stays locked while the provider is called, so two workers given the same task (a
    redelivery after a worker died, or a visibility timeout) send it once: the second one finds
    it sent. If the worker dies mid-send the lock and the attempt roll back and the task is
    redelivered; the SMS provider drops the repeat by its idempotency key, and email keeps the
    same Message-ID. On error the attempt and `last_error` are saved and
    NotificationDeliveryError is raised for the task to retry; on the final attempt the
    notification is marked failed instead.
    """
    error: Exception | None = None
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update()
            .select_related("recipient")
            .get(pk=notification_id)
        )
        if notification.status != Status.QUEUED or notification.channel not in (
            Channel.EMAIL,
            Channel.SMS,
        ):
            return notification
        notification.attempts += 1
        try:
            provider_id = _send(notification)
        except Exception as exc:  # any provider error is one failed attempt
            error = exc
            notification.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            if final_attempt:
                notification.status = Status.FAILED
            logger.warning(
                "Notification %s attempt %s failed: %s",
                notification.pk,
                notification.attempts,
                notification.last_error,
            )
        else:
            notification.status = Status.SENT
            notification.sent_at = timezone.now()
            notification.provider_message_id = str(provider_id or "")[:255]
        notification.save(
            update_fields=[
                "attempts",
                "last_error",
                "status",
                "sent_at",
                "provider_message_id",
                "updated_at",
            ]
        )
    if error is not None and not final_attempt:
        raise NotificationDeliveryError(notification.last_error) from error
    return notification


def notification_mark_read(*, notification: Notification, user: User) -> Notification:
    """Mark one of `user`'s in-app notifications read (again is a no-op)."""
    if notification.recipient_id != user.pk:
        raise Notification.DoesNotExist
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at", "updated_at"])
    return notification


def notification_mark_all_read(*, user: User) -> int:
    """Mark all of `user`'s in-app notifications read; return how many were unread."""
    return Notification.objects.filter(
        recipient=user, channel=Channel.IN_APP, read_at__isnull=True
    ).update(read_at=timezone.now(), updated_at=timezone.now())


@transaction.atomic
def letter_mark_printed(*, notification: Notification, actor: User | None) -> Notification:
    """Counter staff (or the daily print run, `actor=None`) printed this letter for the
    resident: it leaves the print queue."""
    notification = Notification.objects.select_for_update().get(
        pk=notification.pk, channel=Channel.LETTER
    )
    if notification.status == Status.QUEUED:
        notification.status = Status.SENT
        notification.sent_at = timezone.now()
        notification.attempts += 1
        notification.save(update_fields=["status", "sent_at", "attempts", "updated_at"])
        audit_record(
            actor=actor,
            on_behalf_of=notification.recipient,
            action=AuditAction.LETTER_PRINT_NOTIFICATION,
            target=notification,
            data={"event": notification.event},
        )
    return notification


@transaction.atomic
def notification_retry(*, notification: Notification, actor: User) -> Notification:
    """Queue a failed email or SMS notification again (from the admin)."""
    notification = Notification.objects.select_for_update().get(pk=notification.pk)
    if notification.status == Status.FAILED and notification.channel in (
        Channel.EMAIL,
        Channel.SMS,
    ):
        notification.status = Status.QUEUED
        notification.save(update_fields=["status", "updated_at"])
        audit_record(
            action=AuditAction.NOTIFICATION_RETRY,
            actor=actor,
            target=notification,
            data={"event": notification.event, "channel": notification.channel},
        )
        _queue_on_commit(notification.pk)
    return notification


def notifications_requeue_stale(*, older_than: timedelta = timedelta(minutes=15)) -> int:
    """Queue again email and SMS notifications still queued after `older_than`.

    They were committed but their task never reached the broker (it was down), or the broker lost
    it. Sending twice is harmless: delivery is idempotent.
    """
    ids = list(
        Notification.objects.filter(
            status=Status.QUEUED,
            channel__in=[Channel.EMAIL, Channel.SMS],
            updated_at__lt=timezone.now() - older_than,
        ).values_list("pk", flat=True)[:1000]
    )
    for notification_id in ids:
        _queue_delivery(notification_id)
    return len(ids)
