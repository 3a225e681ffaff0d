"""Reads of the feed: the events a staff member's departments may receive, by cursor."""

from dataclasses import dataclass

from apps.accounts.models import User

from .models import Event, EventDepartment

DEFAULT_LIMIT = 100
MAX_LIMIT = 500


@dataclass(frozen=True, slots=True)
class FeedPage:
    events: list[Event]
    next: int  # the cursor to pass as `after` next time (the last sequence served, or `after`)
    has_more: bool


def user_department_ids(*, user: User) -> list[int]:
    return sorted(
        set(
            user.staff_memberships.filter(is_active=True, department__is_active=True).values_list(
                "department_id", flat=True
            )
        )
    )


def event_feed_for_user(*, user: User, after: int, limit: int = DEFAULT_LIMIT) -> FeedPage:
    """Events of cases the user's departments lead or review, after the cursor, in sequence:
    keyset on (department, sequence) so a page costs the same at any depth. Events not yet
    numbered come on the next read."""
    limit = max(1, min(limit, MAX_LIMIT))
    departments = user_department_ids(user=user)
    found = list(
        EventDepartment.objects.filter(department_id__in=departments, sequence__gt=after)
        .order_by("sequence")
        .values_list("sequence", flat=True)
        .distinct()[: limit + 1]
    )
    has_more = len(found) > limit
    numbers = [number for number in found[:limit] if number is not None]  # none is: typing
    events = list(Event.objects.filter(sequence__in=numbers).order_by("sequence"))
    return FeedPage(events=events, next=numbers[-1] if numbers else after, has_more=has_more)
