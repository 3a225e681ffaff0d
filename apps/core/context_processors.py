from django.conf import settings


def portal(request):
    """What every layout needs: the portal's name, care mode and the audience of the page."""
    path = request.path
    if path.startswith("/staff/"):
        audience = "staff"
    elif path.startswith("/desk/"):
        audience = "desk"
    else:
        audience = "resident"
    return {
        "portal_name": settings.PORTAL_NAME,
        "care_mode": getattr(request, "care_mode", False),
        "audience": audience,
    }
