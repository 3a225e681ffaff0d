import functools

from .selectors import unread_count


def notifications(request):
    """`unread_notifications` for the page header (lazy: counted only if a template uses it)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_notifications": 0}
    # Counted at most once per page, and only if a template uses it (templates call it twice).
    return {"unread_notifications": functools.cache(lambda: unread_count(user=user))}
