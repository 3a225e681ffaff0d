"""The staff home page (/staff/): the signed-in member's departments and roles."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .. import selectors
from ..permissions import staff_required


@staff_required()
def staff_home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "staff/home.html",
        {"memberships": selectors.staff_memberships_of(user=request.user)},
    )
