from django import template
from django.template import Context

from ..selectors import resident_find

register = template.Library()


@register.inclusion_tag("desk/acting_banner.html", takes_context=True)
def acting_banner(context: Context) -> dict[str, object]:
    """The persistent "Acting for <resident> — stop" banner on every desk page."""
    request = context.get("request")
    acting = request.session.get("acting_for") if request is not None else None
    resident = resident_find(resident_id=acting.get("resident")) if acting else None
    return {"resident": resident, "request": request, "csrf_token": context.get("csrf_token")}


@register.simple_tag(takes_context=True)
def letters_waiting(context: Context) -> int:
    """How many letters wait to be printed at the signed-in counter staff member's point."""
    from apps.notifications.selectors import letters_pending

    from ..services.residents import counter_service_point

    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return 0
    point = counter_service_point(user=request.user)
    return letters_pending(service_point=point).count() if point else 0


@register.inclusion_tag("desk/lookup_form.html", takes_context=True)
def resident_lookup_form(context: Context) -> dict[str, object]:
    """The look-up form (full number and a reason), posting to the search page."""
    from ..forms import SearchForm

    return {"form": SearchForm(), "csrf_token": context.get("csrf_token")}
