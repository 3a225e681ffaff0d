"""The signed-in user's inbox (one audience: resident; staff read theirs the same way)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.accounts.http import AuthenticatedHttpRequest
from apps.core.http import safe_next_url

from . import selectors, services


def _back_to_inbox(request: HttpRequest) -> HttpResponse:
    return redirect(safe_next_url(request, reverse("notifications:notification-list")))


@login_required
def notification_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    paginator = Paginator(selectors.notification_list_for_user(user=request.user), 20)
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/inbox.html",
        {"page": page, "unread_count": selectors.unread_count(user=request.user)},
    )


@login_required
@require_POST
def notification_read(request: AuthenticatedHttpRequest, notification_id: int) -> HttpResponse:
    notification = selectors.notification_get_for_user(
        user=request.user, notification_id=notification_id
    )
    services.notification_mark_read(notification=notification, user=request.user)
    if request.POST.get("open") and url_has_allowed_host_and_scheme(
        notification.url, {request.get_host()}, request.is_secure()
    ):
        return redirect(notification.url)
    return _back_to_inbox(request)


@login_required
@require_POST
def notification_read_all(request: AuthenticatedHttpRequest) -> HttpResponse:
    count = services.notification_mark_all_read(user=request.user)
    if count:
        messages.success(request, _("All notifications are marked as read."))
    return _back_to_inbox(request)
