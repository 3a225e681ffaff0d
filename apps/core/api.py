from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .exceptions import ApplicationError


def exception_handler(exc, context):
    """DRF's handler, plus `ApplicationError` as a translated `detail` with its status."""
    if isinstance(exc, ApplicationError):
        return Response({"detail": str(exc.message), **exc.extra}, status=exc.status_code)
    return drf_exception_handler(exc, context)
