CARE_MODE_SESSION_KEY = "care_mode"


class CareModeMiddleware:
    """Sets `request.care_mode` (适老化) from the signed-in user's preference or the session."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            request.care_mode = bool(user.care_mode)
        else:
            request.care_mode = bool(request.session.get(CARE_MODE_SESSION_KEY, False))
        return self.get_response(request)
