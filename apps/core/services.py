from django.http import HttpRequest

from .middleware import CARE_MODE_SESSION_KEY


def care_mode_set(*, request: HttpRequest, enabled: bool) -> None:
    """Remember care mode (适老化) for the signed-in user, or for this session."""
    request.session[CARE_MODE_SESSION_KEY] = enabled
    user = request.user
    if user.is_authenticated and user.care_mode != enabled:
        user.care_mode = enabled
        user.save(update_fields=["care_mode"])
