from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from apps.accounts.models import ServicePoint, User
from apps.core.pagination import SeekKey, seek_order

from .models import Notification

# The inbox's order (for `apps.core.pagination`), served by `notif_inbox_order_idx`.
NOTIFICATION_ORDER = (SeekKey("created_at", descending=True), SeekKey("pk", descending=True))


def notification_list_for_user(*, user: User) -> QuerySet[Notification]:
    """`user`'s in-app notifications (their inbox), newest first (`NOTIFICATION_ORDER`)."""
    return Notification.objects.filter(
        recipient=user, channel=Notification.Channel.IN_APP
    ).order_by(*seek_order(NOTIFICATION_ORDER))


def notification_get_for_user(*, user: User, notification_id: int) -> Notification:
    """One of `user`'s in-app notifications; Http404 for anyone else's."""
    return get_object_or_404(notification_list_for_user(user=user), pk=notification_id)


def unread_count(*, user: User) -> int:
    """How many of `user`'s in-app notifications are unread."""
    if not user.is_authenticated:
        return 0
    return notification_list_for_user(user=user).filter(read_at__isnull=True).count()


def letters_pending(*, service_point: ServicePoint | None) -> QuerySet[Notification]:
    """Letters waiting to be printed at `service_point` (None: residents without one).

    Oldest first.
    """
    return (
        Notification.objects.filter(
            channel=Notification.Channel.LETTER,
            status=Notification.Status.QUEUED,
            service_point=service_point,
        )
        .select_related("recipient", "recipient__profile")
        .order_by("created_at", "pk")
    )
