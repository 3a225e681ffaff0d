"""The staff home page (/staff/): the signed-in member's departments and roles."""

from django.http import HttpResponse
from django.shortcuts import render

from .. import selectors
from ..http import AuthenticatedHttpRequest
from ..permissions import staff_required


@staff_required()
def staff_home(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(
        request,
        "staff/home.html",
        {"memberships": selectors.staff_memberships_of(user=request.user)},
    )
